#include "service_filters.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/hours.hpp"

#include <algorithm>
#include <cctype>

namespace enlace::http::detail {

namespace {

core::BBox parse_bbox(const Params& params) {
    const auto parts = split_list(params.get("bbox"), false);
    if (parts.size() != 4 && parts.size() != 6)
        throw core::query_error("bbox", "must be four numbers west,south,east,north (CRS84)");
    double v[6] = {};
    for (std::size_t i = 0; i < parts.size(); ++i) {
        try {
            std::size_t used = 0;
            v[i] = std::stod(parts[i], &used);
            if (used != parts[i].size()) throw std::invalid_argument("trailing");
        } catch (const std::exception&) {
            throw core::query_error("bbox", "must be numbers west,south,east,north ('" + parts[i] + "' is not)");
        }
    }
    // Six numbers carry heights (minz after south, maxz after north): drop them.
    if (parts.size() == 6) return core::BBox{v[0], v[1], v[3], v[4]};
    return core::BBox{v[0], v[1], v[2], v[3]};
}

} // namespace

core::ServiceQuery service_query(const Params& params, const LimitRule& limits) {
    core::ServiceQuery q;
    q.audience = core::Audience::public_;
    q.countries = split_list(params.get("country"), true);
    q.types = split_list(params.get("type"), true);
    q.populations = split_list(params.get("population"), false);
    q.languages = split_list(params.get("language"), false);
    if (auto age = params.integer("age")) {
        if (*age < 0 || *age > 120) throw core::query_error("age", "must be between 0 and 120");
        q.age = static_cast<int>(*age);
    }
    q.text = params.get("q");
    if (params.has("bbox")) q.bbox = parse_bbox(params);

    const auto lat = params.number("lat");
    const auto lon = params.number("lon");
    const auto radius_km = params.number("radius_km");
    const auto k = params.integer("k");
    if (lat.has_value() != lon.has_value()) throw core::query_error(lat ? "lon" : "lat", "give both lat and lon");
    if (lat) {
        q.near = core::Near{{*lon, *lat}, std::nullopt, std::nullopt};
        if (radius_km) q.near->radius_m = *radius_km * 1000.0;
        if (k) {
            if (*k < 1 || *k > core::ServiceQuery::max_limit) throw core::query_error("k", "must be between 1 and 10000");
            q.near->k = static_cast<int>(*k);
        }
    } else if (radius_km || k) {
        throw core::query_error(k ? "k" : "radius_km", "needs lat and lon");
    }
    if (params.has("open_at")) {
        q.open_at = core::parse_rfc3339(params.get("open_at"));
        if (!q.open_at) throw core::query_error("open_at", "must be an RFC 3339 time with an offset");
    }

    q.limit = limits.default_limit;
    if (auto limit = params.integer("limit")) {
        if (*limit < 1) throw core::query_error("limit", "must be at least 1");
        if (*limit > limits.max_limit && !limits.clamp)
            throw core::query_error("limit", "must be at most " + std::to_string(limits.max_limit));
        q.limit = static_cast<int>(std::min<long long>(*limit, limits.max_limit));
    } else if (q.near && q.near->k) {
        q.limit = std::min(*q.near->k, limits.max_limit);
    }
    q.cursor = params.get("cursor");
    return q;
}

} // namespace enlace::http::detail
