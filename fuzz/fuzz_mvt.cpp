// The vector tile encoder (http/src/mvt_encoder.hpp) on tiles built from the input: points and
// clusters anywhere (inside the tile, near it, or far off), any zoom and extent. The tile is read
// back with protozero and checked: MVT 2.1 layout, every point within the extent plus the buffer,
// and exactly the items inside drawn, in order, with their ids, families and counts.
#include "fuzz_support.hpp"
#include "mvt_encoder.hpp"

#include <fuzzer/FuzzedDataProvider.h>
#include <protozero/pbf_reader.hpp>
#include <protozero/varint.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace {

using enlace::fuzz::finding;
namespace core = enlace::core;
namespace detail = enlace::http::detail;

core::TileItem make_item(FuzzedDataProvider& in, const core::BBox& bounds) {
    core::TileItem item;
    if (in.ConsumeBool()) {
        // Around the tile: a fraction of its span from its west / north edge, often outside it.
        item.point.lon = bounds.west + (bounds.east - bounds.west) * in.ConsumeFloatingPointInRange(-0.5, 1.5);
        item.point.lat = bounds.north + (bounds.south - bounds.north) * in.ConsumeFloatingPointInRange(-0.5, 1.5);
    } else {
        item.point.lon = in.ConsumeFloatingPoint<double>();
        item.point.lat = in.ConsumeFloatingPoint<double>();
    }
    item.count = in.ConsumeBool() ? 1 : in.ConsumeIntegralInRange<std::int64_t>(1, std::int64_t{1} << 40);
    item.id = in.ConsumeIntegralInRange<std::int64_t>(1, INT64_MAX);
    item.family = in.ConsumeRandomLengthString(8);
    return item;
}

using Value = std::variant<std::string, std::uint64_t, bool>;

struct Feature {
    bool has_id = false;
    std::uint64_t id = 0;
    std::vector<std::uint32_t> tags, geometry;
    std::int32_t type = 0;
};

struct Layer {
    std::uint32_t version = 0, extent = 0;
    std::string name;
    std::vector<std::string> keys;
    std::vector<Value> values;
    std::vector<Feature> features;
};

Feature read_feature(protozero::pbf_reader message) {
    Feature f;
    while (message.next()) {
        switch (message.tag()) {
        case 1:
            f.has_id = true, f.id = message.get_uint64();
            break;
        case 2:
            for (auto v : message.get_packed_uint32())
                f.tags.push_back(v);
            break;
        case 3:
            f.type = message.get_enum();
            break;
        case 4:
            for (auto v : message.get_packed_uint32())
                f.geometry.push_back(v);
            break;
        default:
            finding("a feature field MVT does not define", std::to_string(message.tag()));
        }
    }
    return f;
}

Value read_value(protozero::pbf_reader message) {
    if (!message.next()) finding("an empty value");
    Value v;
    switch (message.tag()) {
    case 1:
        v = std::string(message.get_string());
        break;
    case 5:
        v = message.get_uint64();
        break;
    case 7:
        v = message.get_bool();
        break;
    default:
        finding("a value of a type the encoder does not write", std::to_string(message.tag()));
    }
    if (message.next()) finding("a value with two fields");
    return v;
}

Layer read_layer(protozero::pbf_reader message) {
    Layer layer;
    while (message.next()) {
        switch (message.tag()) {
        case 15:
            layer.version = message.get_uint32();
            break;
        case 1:
            layer.name = message.get_string();
            break;
        case 2:
            layer.features.push_back(read_feature(message.get_message()));
            break;
        case 3:
            layer.keys.emplace_back(message.get_string());
            break;
        case 4:
            layer.values.push_back(read_value(message.get_message()));
            break;
        case 5:
            layer.extent = message.get_uint32();
            break;
        default:
            finding("a layer field MVT does not define", std::to_string(message.tag()));
        }
    }
    return layer;
}

/// The feature's tag of `key`, or nothing.
const Value* tag_of(const Layer& layer, const Feature& f, const std::string& key) {
    if (f.tags.size() % 2) finding("an odd number of tag indexes");
    for (std::size_t i = 0; i < f.tags.size(); i += 2) {
        if (f.tags[i] >= layer.keys.size() || f.tags[i + 1] >= layer.values.size()) finding("a tag index out of range");
        if (layer.keys[f.tags[i]] == key) return &layer.values[f.tags[i + 1]];
    }
    return nullptr;
}

void check_feature(const Layer& layer, const Feature& f, const core::TileItem& item, int extent) {
    if (f.type != 1) finding("a feature that is not a point");
    if (f.geometry.size() != 3 || f.geometry[0] != 9) finding("a point geometry that is not one MoveTo");
    const double limit = static_cast<double>(detail::mvt_buffer) * extent / detail::mvt_extent;
    for (int axis = 1; axis <= 2; ++axis) {
        const auto v = protozero::decode_zigzag32(f.geometry[static_cast<std::size_t>(axis)]);
        if (v < -std::ceil(limit) || v > extent + std::ceil(limit))
            finding("a point outside the tile's extent and buffer", std::to_string(v));
    }
    const auto* count = tag_of(layer, f, "count");
    const auto* cluster = tag_of(layer, f, "cluster");
    if (!count || !std::holds_alternative<std::uint64_t>(*count) ||
        std::get<std::uint64_t>(*count) != static_cast<std::uint64_t>(item.count))
        finding("a feature's count is not its item's");
    if (!cluster || !std::holds_alternative<bool>(*cluster) || std::get<bool>(*cluster) != (item.count > 1))
        finding("a feature's cluster flag is wrong");
    if (item.count > 1) {
        if (f.has_id || tag_of(layer, f, "id")) finding("a cluster carries an id");
        return;
    }
    if (!f.has_id || f.id != static_cast<std::uint64_t>(item.id)) finding("a service's feature id is not its id");
    const auto* family = tag_of(layer, f, "family");
    if (item.family.empty() != (family == nullptr) ||
        (family && (!std::holds_alternative<std::string>(*family) || std::get<std::string>(*family) != item.family)))
        finding("a service's family is not its item's");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    core::TileAddress address;
    address.z = in.ConsumeIntegralInRange(0, core::TileAddress::max_zoom);
    const std::int64_t n = std::int64_t{1} << address.z;
    address.x = in.ConsumeIntegralInRange<std::int64_t>(0, n - 1);
    address.y = in.ConsumeIntegralInRange<std::int64_t>(0, n - 1);
    const int extent = in.ConsumeBool() ? detail::mvt_extent : in.ConsumeIntegralInRange(1, 1 << 16);
    const auto bounds = address.bounds();
    core::TileContent content;
    while (in.remaining_bytes() > 0 && content.items.size() < 256)
        content.items.push_back(make_item(in, bounds));

    const auto bytes = detail::encode_mvt(content, address, extent);
    if (content.items.empty()) {
        if (!bytes.empty()) finding("an empty tile has bytes");
        return 0;
    }
    // The items the tile must draw: those whose position falls within the extent and the buffer.
    const double buffer = static_cast<double>(detail::mvt_buffer) * extent / detail::mvt_extent;
    std::vector<const core::TileItem*> inside;
    for (const auto& item : content.items) {
        const auto [px, py] = address.position(item.point, extent);
        if (px >= -buffer && px <= extent + buffer && py >= -buffer && py <= extent + buffer) inside.push_back(&item);
    }
    protozero::pbf_reader tile(bytes);
    std::vector<Layer> layers;
    while (tile.next()) {
        if (tile.tag() != 3) finding("a tile field that is not a layer");
        layers.push_back(read_layer(tile.get_message()));
    }
    if (layers.size() != 1) finding("a tile with other than one layer");
    const auto& layer = layers.front();
    if (layer.version != 2 || layer.name != detail::mvt_layer || layer.extent != static_cast<std::uint32_t>(extent))
        finding("a layer's version, name or extent is wrong");
    if (layer.features.size() != inside.size())
        finding("features drawn != items inside",
                std::to_string(layer.features.size()) + " != " + std::to_string(inside.size()));
    for (std::size_t i = 0; i < inside.size(); ++i)
        check_feature(layer, layer.features[i], *inside[i], extent);
    return 0;
}
