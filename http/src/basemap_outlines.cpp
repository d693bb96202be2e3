// Outlines for the base layer: one member country and its neighbours cut out of world-atlas's
// Natural Earth 1:50m topology (countries-50m.json, 756 KB for the world), keeping the arcs they
// use and the topology's quantization, so that the page draws it with topojson-client as it draws
// the 1:110m world.
#include "basemap.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace enlace::http::detail {
namespace {

/// Every arc index a geometry's (nested) arc lists name; a negative index ~i is arc i reversed.
void collect_arcs(const nlohmann::json& arcs, std::set<std::int64_t>& out) {
    if (arcs.is_number_integer()) {
        const auto i = arcs.get<std::int64_t>();
        out.insert(i < 0 ? ~i : i);
    } else if (arcs.is_array()) {
        for (const auto& a : arcs)
            collect_arcs(a, out);
    }
}

/// The arc lists with every index renumbered into the cut topology, direction kept.
nlohmann::json renumber(const nlohmann::json& arcs, const std::map<std::int64_t, std::int64_t>& index) {
    if (arcs.is_number_integer()) {
        const auto i = arcs.get<std::int64_t>();
        return i < 0 ? ~index.at(~i) : index.at(i);
    }
    nlohmann::json out = nlohmann::json::array();
    for (const auto& a : arcs)
        out.push_back(renumber(a, index));
    return out;
}

std::set<std::int64_t> arcs_of(const nlohmann::json& geometry) {
    std::set<std::int64_t> arcs;
    if (geometry.contains("arcs")) collect_arcs(geometry["arcs"], arcs);
    return arcs;
}

} // namespace

std::string outline_topojson(const nlohmann::json& topology, const std::string& numeric_id) {
    const auto& geometries = topology.at("objects").at("countries").at("geometries");
    const auto country = std::find_if(geometries.begin(), geometries.end(), [&](const nlohmann::json& g) {
        return g.contains("id") && g["id"].is_string() && g["id"] == numeric_id;
    });
    if (country == geometries.end()) return {};
    const auto own = arcs_of(*country);

    // The country first, then each country sharing one of its arcs (a land border).
    std::vector<const nlohmann::json*> kept{&*country};
    std::set<std::int64_t> used = own;
    for (const auto& g : geometries) {
        if (&g == &*country) continue;
        const auto theirs = arcs_of(g);
        const bool borders =
            std::any_of(theirs.begin(), theirs.end(), [&](std::int64_t a) { return own.count(a) > 0; });
        if (!borders) continue;
        kept.push_back(&g);
        used.insert(theirs.begin(), theirs.end());
    }

    std::map<std::int64_t, std::int64_t> index;
    nlohmann::json arcs = nlohmann::json::array();
    const auto& all_arcs = topology.at("arcs");
    for (const auto a : used) {
        index[a] = static_cast<std::int64_t>(arcs.size());
        arcs.push_back(all_arcs.at(static_cast<std::size_t>(a)));
    }
    nlohmann::json cut = nlohmann::json::array();
    for (const auto* g : kept) {
        nlohmann::json geometry = {{"type", (*g)["type"]}};
        if (g->contains("id")) geometry["id"] = (*g)["id"];
        if (g->contains("properties")) geometry["properties"] = (*g)["properties"];
        if (g->contains("arcs")) geometry["arcs"] = renumber((*g)["arcs"], index);
        cut.push_back(std::move(geometry));
    }
    nlohmann::json out = {
        {"type", "Topology"},
        {"country", numeric_id},
        {"attribution", "Natural Earth 1:50m (public domain), through the npm package world-atlas"},
        {"objects", {{"countries", {{"type", "GeometryCollection"}, {"geometries", std::move(cut)}}}}},
        {"arcs", std::move(arcs)}};
    if (topology.contains("transform")) out["transform"] = topology["transform"];
    return out.dump();
}

} // namespace enlace::http::detail
