#include "enlace/core/record_json.hpp"

#include "codec/actor_fields.hpp"
#include "codec/dom_value.hpp"
#include "codec/practice_fields.hpp"
#include "codec/service_fields.hpp"
#include "enlace/core/geodesy.hpp"
#include "enlace/core/vocabulary.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace enlace::core {
namespace {

using nlohmann::json;

codec::Unknown unknown_keys(UnknownFields unknown) {
    return unknown == UnknownFields::ignore ? codec::Unknown::ignore : codec::Unknown::refuse;
}

/// A record's JSON tree, read back from its text: one writer, so the two cannot drift apart.
template <class Record, class Fields> json tree_of(const Record& record, const Fields& fields) {
    std::string text;
    codec::write_object(text, record, codec::DocumentForm{}, fields);
    return json::parse(text);
}

} // namespace

std::optional<int> parse_clock(std::string_view text) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9' ? text[i] - '0' : -1; };
    for (std::size_t i : {0u, 1u, 3u, 4u})
        if (digit(i) < 0) return std::nullopt;
    const int hours = digit(0) * 10 + digit(1), minutes = digit(3) * 10 + digit(4);
    if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) return std::nullopt;
    return hours * 60 + minutes;
}

std::string format_clock(int minutes) {
    // Written by hand: this runs for every shift of every record served, and printf is slow.
    const int hours = (minutes / 60) % 100, rest = minutes % 60;
    return {static_cast<char>('0' + hours / 10), static_cast<char>('0' + hours % 10), ':',
            static_cast<char>('0' + rest / 10), static_cast<char>('0' + rest % 10)};
}

json to_json(const LocalizedText& text) {
    json out = json::object();
    for (const auto& [language, value] : text)
        out[language] = value;
    return out;
}

// The tree is read back from the text: one writer, so the two cannot drift apart.
json to_json(const Service& s) { return json::parse(to_json_text(s)); }
json to_json(const PublicService& s) { return json::parse(to_json_text(s)); }
json to_json(const ServiceView& s) { return s.record() ? to_json(*s.record()) : to_json(*s.public_view()); }

Service service_from_json(const json& doc, UnknownFields unknown) {
    return codec::read_service(codec::DomValue(doc), unknown_keys(unknown));
}

json to_json(const Actor& a) { return tree_of(a, codec::actor_fields); }
json to_json(const Practice& p) { return tree_of(p, codec::practice_fields); }

Actor actor_from_json(const json& doc, UnknownFields unknown) {
    return codec::read_actor(codec::DomValue(doc), unknown_keys(unknown));
}

Practice practice_from_json(const json& doc, UnknownFields unknown) {
    return codec::read_practice(codec::DomValue(doc), unknown_keys(unknown));
}

json to_geojson(const MultiPolygon& outline) {
    json polygons = json::array();
    for (const auto& polygon : outline) {
        json rings = json::array();
        for (const auto& ring : polygon.rings) {
            json positions = json::array();
            for (const auto& p : ring)
                positions.push_back({p.lon, p.lat});
            rings.push_back(std::move(positions));
        }
        polygons.push_back(std::move(rings));
    }
    return {{"type", "MultiPolygon"}, {"coordinates", std::move(polygons)}};
}

MultiPolygon outline_from_geojson(const json& geometry) {
    MultiPolygon out;
    const std::string type = geometry.is_object() ? geometry.value("type", std::string()) : std::string();
    const json* coordinates =
        geometry.is_object() && geometry.contains("coordinates") ? &geometry["coordinates"] : nullptr;
    if ((type != "Polygon" && type != "MultiPolygon") || !coordinates || !coordinates->is_array())
        throw validation_error("geometry", "must be a Polygon or MultiPolygon");
    const json polygons = type == "Polygon" ? json::array({*coordinates}) : *coordinates;
    for (const auto& polygon : polygons) {
        Polygon p;
        for (const auto& ring : polygon) {
            std::vector<GeoPoint> points;
            for (const auto& position : ring) {
                if (!position.is_array() || position.size() < 2 || !position[0].is_number() || !position[1].is_number())
                    throw validation_error("geometry", "has a position that is not [lon, lat]");
                points.push_back({position[0].get<double>(), position[1].get<double>()});
            }
            if (points.size() < 4) throw validation_error("geometry", "has a ring with fewer than 4 positions");
            p.rings.push_back(std::move(points));
        }
        if (p.rings.empty()) continue;
        p.bounds = geodesy::bounds_of(p.rings);
        out.push_back(std::move(p));
    }
    return out;
}

json to_json(const Country& c) {
    return {{"alpha2", c.alpha2},
            {"alpha3", c.alpha3},
            {"names", to_json(c.names)},
            {"bbox", {c.bbox.west, c.bbox.south, c.bbox.east, c.bbox.north}},
            {"timezone", c.timezone}};
}

json to_json(const TaxonomyTerm& t) {
    return {{"code", t.code},
            {"parent", t.parent.empty() ? json(nullptr) : json(t.parent)},
            {"labels", to_json(t.labels)},
            {"sensitive", t.sensitive}};
}

} // namespace enlace::core
