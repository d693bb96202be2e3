// GET /api/v1/countries/{alpha2}/bundle: what the web map keeps to work without a network in one
// country (docs/web.md "Offline"): every public service a child there can use, the actors and
// practices of the country, and the reference data and places the page starts from.
// Always the public's view, whoever asks: the page stores it on a phone, and a token never turns
// it into the authorised view (restricted records, exact points of sensitive sites).
#include "endpoints.hpp"
#include "geojson.hpp"
#include "manners.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/json_text.hpp"
#include "enlace/core/record_json.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <set>

namespace enlace::http::detail {
namespace {

/// Calls visit(item) for every item of every page of the query.
template <class Query, class Visit> void for_each_page(const core::Registry& registry, Query query, Visit&& visit) {
    query.limit = core::ServiceQuery::max_limit;
    while (true) {
        auto page = registry.find(query);
        for (auto& item : page.items)
            visit(item);
        if (page.next_cursor.empty()) return;
        query.cursor = page.next_cursor;
    }
}

/// The services of the bundle: sited in the country, or without a site and serving it (its
/// national hotlines and a neighbour's that covers it), in the public view, every page of them.
std::vector<core::ServiceView> bundle_services(const core::Registry& registry, const std::string& country) {
    core::ServiceQuery query;
    query.audience = core::Audience::public_;
    query.available_in = {country};
    std::vector<core::ServiceView> out;
    for_each_page(registry, query, [&](auto& hit) { out.push_back(std::move(hit.service)); });
    return out;
}

std::vector<core::Practice> bundle_practices(const core::Registry& registry, const std::string& country) {
    core::PracticeQuery query;
    query.audience = core::Audience::public_;
    query.countries = {country};
    std::vector<core::Practice> out;
    for_each_page(registry, query, [&](auto& practice) { out.push_back(std::move(practice)); });
    return out;
}

/// The country's actors, and the organisations of its services and practices that sit elsewhere
/// (a neighbour's hotline), so that every contact the page shows is in the bundle.
nlohmann::json bundle_actors(const core::Registry& registry, const std::string& country,
                             const std::set<std::int64_t>& referenced) {
    core::ActorQuery query;
    query.countries = {country};
    nlohmann::json items = nlohmann::json::array();
    std::set<std::int64_t> listed;
    for_each_page(registry, query, [&](const auto& actor) {
        items.push_back(core::to_json(actor));
        listed.insert(actor.id);
    });
    for (const auto id : referenced)
        if (!listed.count(id))
            if (const auto actor = registry.actor(id)) items.push_back(core::to_json(*actor));
    return items;
}

/// The bundle's ETag: the change log's revision and the reference data, so that a copy that is
/// still current gets a 304 before any record is read (a phone checks on every visit online).
std::string bundle_tag(const Call& call, const std::string& country) {
    const auto& reference = call.context.registry.reference();
    std::string listing = country;
    for (const auto& term : reference.terms())
        listing += core::to_json(term).dump();
    for (const auto& c : reference.countries())
        listing += core::to_json(c).dump();
    return "\"b" + std::to_string(call.context.registry.revision()) + "-" + etag_of(listing).substr(1, 8) + "\"";
}

} // namespace

Response rest_country_bundle(const Call& call, const std::string& alpha2) {
    call.params.require_known({});
    std::string country = alpha2;
    for (auto& c : country)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const auto& reference = call.context.registry.reference();
    if (country.size() != 2 || !reference.country(country))
        throw core::not_found("no member country '" + alpha2 +
                              "': country must be a member country's ISO 3166-1 alpha-2 code (/api/v1/countries)");

    const auto tag = bundle_tag(call, country);
    const auto revision = std::to_string(call.context.registry.revision());
    if (!call.request.if_none_match.empty() && none_match_hits(call.request.if_none_match, tag)) {
        Response unchanged = text_response({}, "application/json"); // the router's manners make it a 304
        unchanged.headers.emplace_back("ETag", tag);
        unchanged.headers.emplace_back("Enlace-Revision", revision);
        add_vary(unchanged, "Accept-Encoding");
        return unchanged;
    }

    const auto services = bundle_services(call.context.registry, country);
    const auto practices = bundle_practices(call.context.registry, country);
    std::set<std::int64_t> referenced;
    for (const auto& s : services)
        if (s->actor_id) referenced.insert(*s->actor_id);
    for (const auto& p : practices)
        referenced.insert(p.actor_ids.begin(), p.actor_ids.end());

    std::string body = R"({"country":)";
    core::append_json_string(body, country);
    body += R"(,"generated_at":)";
    core::append_json_string(body, utc_now());
    body += R"(,"revision":)" + revision;
    // The REST list's items (every language of each text, as without lang=): the page renders a
    // saved service exactly as an answered one, in whichever language it is switched to.
    body += R"(,"services":[)";
    body.reserve(services.size() * 1536 + 4096);
    for (std::size_t i = 0; i < services.size(); ++i) {
        if (i) body += ',';
        append_rest_item(body, services[i], std::nullopt, {});
    }
    body += R"(],"actors":)" + bundle_actors(call.context.registry, country, referenced).dump();
    nlohmann::json items = nlohmann::json::array();
    for (const auto& practice : practices)
        items.push_back(core::to_json(practice));
    body += R"(,"practices":)" + items.dump();
    items = nlohmann::json::array();
    for (const auto& term : reference.terms())
        items.push_back(core::to_json(term));
    body += R"(,"taxonomy":)" + items.dump();
    items = nlohmann::json::array();
    for (const auto& c : reference.countries())
        items.push_back(core::to_json(c));
    body += R"(,"countries":)" + items.dump();
    items = nlohmann::json::array();
    for (const auto& place : call.context.registry.places())
        if (place.country == country) items.push_back(place_json(place));
    body += R"(,"places":)" + items.dump() + '}';

    auto response = text_response(std::move(body));
    response.headers.emplace_back("ETag", tag);
    response.headers.emplace_back("Enlace-Revision", revision);
    return response;
}

} // namespace enlace::http::detail
