#include "mvt_encoder.hpp"

#include <protozero/pbf_writer.hpp>
#include <protozero/varint.hpp>

#include <cmath>
#include <map>
#include <variant>
#include <vector>

namespace enlace::http::detail {
namespace {

// Field numbers of vector_tile.proto (MVT 2.1).
namespace tile_field {
constexpr protozero::pbf_tag_type layers = 3;
}
namespace layer_field {
constexpr protozero::pbf_tag_type name = 1, features = 2, keys = 3, values = 4, extent = 5, version = 15;
}
namespace feature_field {
constexpr protozero::pbf_tag_type id = 1, tags = 2, type = 3, geometry = 4;
}
namespace value_field {
constexpr protozero::pbf_tag_type string = 1, uint = 5, boolean = 7;
}
constexpr std::int32_t point_type = 1;
constexpr std::uint32_t move_to_once = (1u & 0x7u) | (1u << 3); // command MoveTo, count 1

enum key : std::uint32_t { key_id, key_family, key_count, key_cluster, key_total };
constexpr const char* key_names[key_total] = {"id", "family", "count", "cluster"};

using Value = std::variant<std::string, std::uint64_t, bool>;

/// The layer's value table: each distinct value once, features refer to it by index.
class Values {
  public:
    std::uint32_t index(const Value& value) {
        const auto [it, added] = m_index.try_emplace(value, static_cast<std::uint32_t>(m_values.size()));
        if (added) m_values.push_back(value);
        return it->second;
    }
    void write(protozero::pbf_writer& layer) const {
        for (const auto& value : m_values) {
            protozero::pbf_writer message(layer, layer_field::values);
            if (const auto* s = std::get_if<std::string>(&value))
                message.add_string(value_field::string, *s);
            else if (const auto* u = std::get_if<std::uint64_t>(&value))
                message.add_uint64(value_field::uint, *u);
            else
                message.add_bool(value_field::boolean, std::get<bool>(value));
        }
    }

  private:
    std::map<Value, std::uint32_t> m_index;
    std::vector<Value> m_values;
};

} // namespace

std::string encode_mvt(const core::TileContent& content, const core::TileAddress& address, int extent) {
    std::string data;
    if (content.items.empty()) return data;
    protozero::pbf_writer tile(data);
    protozero::pbf_writer layer(tile, tile_field::layers);
    layer.add_uint32(layer_field::version, 2);
    layer.add_string(layer_field::name, mvt_layer);
    Values values;
    const double buffer = static_cast<double>(mvt_buffer) * extent / mvt_extent;
    const auto inside = [&](double v) { return v >= -buffer && v <= extent + buffer; }; // false for NaN
    for (const auto& item : content.items) {
        const auto [px, py] = address.position(item.point, extent);
        if (!inside(px) || !inside(py)) continue;
        protozero::pbf_writer feature(layer, layer_field::features);
        const bool cluster = item.count > 1;
        if (!cluster) feature.add_uint64(feature_field::id, static_cast<std::uint64_t>(item.id));
        {
            protozero::packed_field_uint32 tags(feature, feature_field::tags);
            auto tag = [&](key k, const Value& v) {
                tags.add_element(k);
                tags.add_element(values.index(v));
            };
            tag(key_count, static_cast<std::uint64_t>(item.count));
            tag(key_cluster, cluster);
            if (!cluster) {
                tag(key_id, static_cast<std::uint64_t>(item.id));
                if (!item.family.empty()) tag(key_family, item.family);
            }
        }
        feature.add_enum(feature_field::type, point_type);
        protozero::packed_field_uint32 geometry(feature, feature_field::geometry);
        geometry.add_element(move_to_once);
        geometry.add_element(protozero::encode_zigzag32(static_cast<std::int32_t>(std::lround(px))));
        geometry.add_element(protozero::encode_zigzag32(static_cast<std::int32_t>(std::lround(py))));
    }
    for (const auto* name : key_names)
        layer.add_string(layer_field::keys, name);
    values.write(layer);
    layer.add_uint32(layer_field::extent, static_cast<std::uint32_t>(extent));
    return data;
}

} // namespace enlace::http::detail
