#pragma once
// The handler over a real temporary registry holding the demo dataset, called without a socket.
#include "enlace/http/handler.hpp"
#include "support/temp_registry.hpp"

#include "enlace/data/embedded.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace enlace::test {

/// A request with the method and target set, every header empty.
inline http::Request make_request(const std::string& method, const std::string& target) {
    http::Request request;
    request.method = method;
    request.target = target;
    return request;
}

struct DemoHandler {
    ScratchDir dir;
    core::Registry registry = make_registry(dir);
    http::Config config;

    /// As `enlace init --demo` leaves a registry: the demo records and the illustrative Plan.
    DemoHandler() {
        registry.load_dataset(std::string(*data::embedded("demo.json")));
        registry.load_plan(core::Caller::holder("test"),
                           core::PlanStructure::from_json(*data::embedded("strategic_plan.json")));
    }

    /// Adds tests/data/field_records.json: real-shaped records (exact points, phones, personal
    /// contacts, hotlines, a restricted service, a practice linked to it).
    void add_field_records();

    http::Response get(const std::string& target, const std::string& accept = {}, const std::string& method = "GET") {
        auto request = make_request(method, target);
        request.accept = accept;
        return send(request);
    }

    /// Any request; the Host is filled in when empty.
    http::Response send(http::Request request) {
        if (request.host.empty()) request.host = "example.test:8080";
        http::Context context{registry, config};
        return http::handle(request, context);
    }
};

inline void DemoHandler::add_field_records() { registry.load_dataset(test_data("field_records.json")); }

inline nlohmann::json body(const http::Response& response) { return nlohmann::json::parse(response.body); }

/// True when any object or array in the document holds exactly this point ({lon, lat} or [lon, lat]).
inline bool holds_point(const nlohmann::json& doc, double lon, double lat) {
    if (doc.is_array() && doc.size() == 2 && doc[0].is_number() && doc[1].is_number() && doc[0] == lon && doc[1] == lat)
        return true;
    if (doc.is_object() && doc.contains("lon") && doc.contains("lat") && doc["lon"] == lon && doc["lat"] == lat)
        return true;
    if (doc.is_structured())
        for (const auto& child : doc)
            if (holds_point(child, lon, lat)) return true;
    return false;
}

/// The exact sites of the demo's sensitive short-stay shelters, read with authorised access.
inline std::vector<core::Service> exact_shelters(const core::Registry& registry) {
    core::ServiceQuery q;
    q.types = {"REC.SHORTSTAY"};
    q.audience = core::Audience::authorised;
    q.limit = 100;
    std::vector<core::Service> out;
    for (auto& hit : registry.find(q).items)
        out.push_back(*hit.service.record());
    return out;
}

} // namespace enlace::test
