// The web map's side of the server: the places it offers for "near a place", and its static files.
#include "endpoints.hpp"

#include "enlace/core/errors.hpp"

#include <nlohmann/json.hpp>

namespace enlace::http::detail {

Response rest_places(const Call& call) {
    call.params.require_known({});
    nlohmann::json places = nlohmann::json::array();
    for (const auto& place : call.context.registry.places())
        places.push_back({{"name", place.name}, {"country", place.country}, {"lon", place.point.lon},
                          {"lat", place.point.lat}, {"services", place.services}});
    return json_response({{"places", places}});
}

Response web_asset(const Call& call) { throw core::not_found("no resource at " + call.path); }

} // namespace enlace::http::detail
