// Loading a dataset file (data/demo.json's shape): actors, services and practices of one source,
// all in one transaction, every refused record reported with its position.
#include "enlace/core/errors.hpp"
#include "enlace/core/record_json.hpp"
#include "json_reader.hpp"
#include "registry_impl.hpp"

#include <nlohmann/json.hpp>

namespace enlace::core {
namespace {

void tally(LoadSummary& summary, WriteOutcome outcome) {
    switch (outcome) {
    case WriteOutcome::created: ++summary.created; break;
    case WriteOutcome::updated: ++summary.updated; break;
    case WriteOutcome::unchanged: ++summary.unchanged; break;
    }
}

} // namespace

LoadSummary Registry::load_dataset(const std::string& json_text, const std::string& who) {
    m_impl->require_writable();
    const auto doc = detail::parse_json(json_text, "(dataset)");
    if (!doc.is_object()) throw validation_error("(dataset)", "must be a JSON object with actors, services, practices");
    detail::JsonReader keys;
    keys.only(doc, {"source", "actors", "services", "practices"}, "");
    keys.throw_if_any();
    const std::string source = doc.value("source", std::string());
    LoadSummary summary;
    std::vector<validation_issue> issues;
    sqlite::Transaction tx(m_impl->db);
    auto load = [&](const char* list, auto&& from_json, auto&& write) {
        auto it = doc.find(list);
        if (it == doc.end()) return;
        if (!it->is_array()) {
            issues.push_back({list, "must be an array"});
            return;
        }
        for (std::size_t i = 0; i < it->size(); ++i) {
            const std::string where = std::string(list) + "[" + std::to_string(i) + "]";
            try {
                nlohmann::json item = (*it)[i];
                if (item.is_object() && !item.contains("source") && !source.empty()) item["source"] = source;
                tally(summary, write(from_json(item)).outcome);
            } catch (const validation_error& e) {
                for (const auto& issue : e.issues()) issues.push_back({where + "." + issue.field, issue.reason});
            } catch (const not_found& e) {
                issues.push_back({where, e.what()});
            }
        }
    };
    load("actors", [](const nlohmann::json& j) { return actor_from_json(j); }, [&](Actor a) { return m_impl->write_actor(std::move(a), who); });
    load("services", [](const nlohmann::json& j) { return service_from_json(j); }, [&](Service s) { return m_impl->write_service(std::move(s), who); });
    load("practices", [](const nlohmann::json& j) { return practice_from_json(j); }, [&](Practice p) { return m_impl->write_practice(std::move(p), who); });
    if (!issues.empty()) throw validation_error(std::move(issues));
    tx.commit();
    return summary;
}

} // namespace enlace::core
