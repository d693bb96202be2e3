#include "service_filters.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/hours.hpp"
#include "enlace/core/vocabulary.hpp"

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
    // Six numbers carry heights (minz after south, maxz after north): drop them, and say so when
    // the numbers look like four with heights appended.
    if (parts.size() == 6) {
        if (v[1] > v[4] || v[2] < -180 || v[2] > 180)
            throw core::query_error("bbox", "six numbers are west,south,min height,east,north,max height (OGC API "
                                            "order); give four, west,south,east,north, for a box without heights");
        return core::BBox{v[0], v[1], v[3], v[4]};
    }
    return core::BBox{v[0], v[1], v[2], v[3]};
}

std::vector<core::ServiceStatus> parse_statuses(const Params& params) {
    std::vector<core::ServiceStatus> out;
    for (const auto& text : split_list(params.get("status"), false)) {
        const auto status = core::parse_service_status(text);
        if (!status)
            throw core::query_error("status", "unknown status '" + text + "' (" +
                                                  std::string(core::service_status_values()) + ")");
        out.push_back(*status);
    }
    return out;
}

} // namespace

const std::vector<FilterParameter>& service_filter_parameters() {
    static const std::vector<FilterParameter> parameters{
        {"country", "The service's own country, ISO 3166-1 alpha-2, comma-separated", "string", ""},
        {"available_in",
         "Services a child in these countries can use: sited there, or without a site (hotlines) "
         "serving them (alpha-2, comma-separated)",
         "string", ""},
        {"type", "Service type codes, comma-separated; a family (REC) includes its children", "string", ""},
        {"population", "Populations served, comma-separated (unaccompanied, returned, ...)", "string", ""},
        {"age", "Served at this age (years, 0-120)", "integer", ""},
        {"gender", "The child's gender, female or male: services for it or for any gender", "string", ""},
        {"language", "Languages spoken, comma-separated (es matches es-MX)", "string", ""},
        {"q", "Full-text search, accent- and case-insensitive", "string", ""},
        {"bbox", "west,south,east,north in degrees (west > east crosses the antimeridian)", "string", ""},
        {"lat", "Latitude to sort by distance from (with lon; never cached)", "number", ""},
        {"lon", "Longitude to sort by distance from (with lat; never cached)", "number", ""},
        {"radius_km", "Only services within this distance of lat/lon, in km", "number", ""},
        {"k", "Only the k nearest services to lat/lon", "integer", ""},
        {"open_at", "Open at this RFC 3339 time", "string", "date-time"},
        {"status", "Statuses, comma-separated (active, temporarily_closed, inactive, defunct; default the first two)",
         "string", ""},
        {"updated_since", "Changed on or after this date (YYYY-MM-DD) or UTC time (YYYY-MM-DDTHH:MM:SSZ)", "string",
         ""},
        {"verified_since", "Last verified on or after this date (YYYY-MM-DD)", "string", "date"},
        {"verified_before", "Never verified, or last verified before this date (YYYY-MM-DD): what is due for a check",
         "string", "date"},
    };
    return parameters;
}

std::vector<std::string_view> with_service_filters(std::initializer_list<std::string_view> more) {
    std::vector<std::string_view> names;
    for (const auto& p : service_filter_parameters())
        names.push_back(p.name);
    names.insert(names.end(), more.begin(), more.end());
    return names;
}

core::ServiceQuery service_query(const Params& params, const LimitRule& limits) {
    core::ServiceQuery q;
    q.audience = core::Audience::public_;
    q.countries = split_list(params.get("country"), true);
    q.available_in = split_list(params.get("available_in"), true);
    q.gender = params.get("gender");
    q.statuses = parse_statuses(params);
    q.updated_since = params.get("updated_since");
    q.verified_since = params.get("verified_since");
    q.verified_before = params.get("verified_before");
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
            if (*k < 1 || *k > core::ServiceQuery::max_limit)
                throw core::query_error("k", "must be between 1 and 10000");
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
