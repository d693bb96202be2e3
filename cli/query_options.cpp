#include "query_options.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/vocabulary.hpp"

#include <cctype>
#include <charconv>

namespace enlace::cli {

void add_service_filters(CLI::App& cmd, ServiceFilterOptions& o, bool near_required) {
    auto* lat = cmd.add_option("--lat", o.lat, "Latitude of the point to search from (WGS84 degrees)");
    auto* lon = cmd.add_option("--lon", o.lon, "Longitude of the point to search from (e.g. --lon=-90.5)");
    if (near_required) {
        lat->required();
        lon->required();
    }
    cmd.add_option("--radius-km", o.radius_km, "Only services within this distance (km)");
    cmd.add_option("-k", o.k, "Only the k nearest services");
    cmd.add_option("--country", o.countries, "The services' own countries, alpha-2, comma-separated (SV,GT)");
    cmd.add_option("--available-in", o.available_in,
                   "Services a child in these countries can use: sited there, or hotlines serving them");
    cmd.add_option("--type", o.types, "Service types, comma-separated; a family (REC) includes its children");
    cmd.add_option("--population", o.populations, "Populations served (unaccompanied, returned, ...)");
    cmd.add_option("--age", o.age, "Age of the child, in years");
    cmd.add_option("--gender", o.gender, "Gender of the child (female, male): services for it or for any");
    cmd.add_option("--language", o.languages, "Languages spoken, comma-separated (es,en,quc)");
    cmd.add_option("--status", o.statuses, "Statuses (default active,temporarily_closed)");
    cmd.add_option("-q,--text", o.text, "Words to find in names and descriptions (accents optional)");
    cmd.add_option("--bbox", o.bbox, "West,south,east,north in degrees (west > east crosses 180°)");
    cmd.add_option("--open-at", o.open_at, "Open at this RFC 3339 time (2026-11-28T10:00:00-06:00)");
    cmd.add_option("--updated-since", o.updated_since, "Changed on or after this date (YYYY-MM-DD)");
    cmd.add_option("--verified-since", o.verified_since, "Verified on or after this date (YYYY-MM-DD)");
    cmd.add_option("--verified-before", o.verified_before,
                   "Never verified, or last verified before this date (YYYY-MM-DD): what is due for a check");
    cmd.add_option("--limit", o.limit, "Page size (1-10000; default k, or 50)");
    cmd.add_option("--cursor", o.cursor, "Continue after a previous page (its next_cursor)");
    cmd.add_flag("--authorised", o.authorised, "Show exact sites and restricted services (registry operators)");
}

core::ServiceQuery to_query(const ServiceFilterOptions& o) {
    core::ServiceQuery q;
    q.countries = split_list(o.countries, true);
    q.available_in = split_list(o.available_in, true);
    q.gender = o.gender;
    q.types = split_list(o.types, true);
    q.populations = split_list(o.populations);
    q.languages = split_list(o.languages);
    for (const auto& s : split_list(o.statuses)) {
        auto status = core::parse_service_status(s);
        if (!status)
            throw core::query_error("--status",
                                    "unknown status '" + s + "' (" + std::string(core::service_status_values()) + ")");
        q.statuses.push_back(*status);
    }
    q.age = o.age;
    q.text = o.text;
    if (!o.bbox.empty()) {
        const auto parts = split_list(o.bbox);
        double v[4];
        bool ok = parts.size() == 4;
        for (std::size_t i = 0; ok && i < 4; ++i) {
            auto [end, ec] = std::from_chars(parts[i].data(), parts[i].data() + parts[i].size(), v[i]);
            ok = ec == std::errc() && end == parts[i].data() + parts[i].size();
        }
        if (!ok) throw core::query_error("--bbox", "must be four numbers west,south,east,north");
        q.bbox = core::BBox{v[0], v[1], v[2], v[3]};
    }
    if (o.k && *o.k < 1) throw core::query_error("-k", "must be at least 1 (how many nearest services)");
    if (o.radius_km && !(*o.radius_km > 0))
        throw core::query_error("--radius-km", "must be a positive number of kilometres");
    if (o.limit && (*o.limit < 1 || *o.limit > core::ServiceQuery::max_limit))
        throw core::query_error("--limit", "must be between 1 and " + std::to_string(core::ServiceQuery::max_limit));
    if (o.lat.has_value() != o.lon.has_value()) throw core::query_error("--lat/--lon", "give both or neither");
    if (o.lat) {
        q.near = core::Near{{*o.lon, *o.lat}, std::nullopt, o.k};
        if (o.radius_km) q.near->radius_m = *o.radius_km * 1000.0;
    } else if (o.radius_km || o.k) {
        throw core::query_error(o.k ? "-k" : "--radius-km", "needs --lat and --lon");
    }
    if (!o.open_at.empty()) {
        q.open_at = core::parse_rfc3339(o.open_at);
        if (!q.open_at) throw core::query_error("--open-at", "must be an RFC 3339 time with an offset");
    }
    q.updated_since = o.updated_since;
    q.verified_since = o.verified_since;
    q.verified_before = o.verified_before;
    // Asking for the k nearest without a page size means one page of k.
    q.limit = o.limit.value_or(q.near && q.near->k ? std::min(*q.near->k, core::ServiceQuery::max_limit) : 50);
    q.cursor = o.cursor;
    q.audience = o.authorised ? core::Audience::authorised : core::Audience::public_;
    return q;
}

} // namespace enlace::cli
