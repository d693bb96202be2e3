// Loading a dataset file (data/demo.json's shape): actors, services and practices of one source,
// all in one transaction, every refused record reported with its position.
#include "enlace/core/errors.hpp"
#include "enlace/core/record_json.hpp"
#include "json_reader.hpp"
#include "write_pipeline.hpp"

#include <nlohmann/json.hpp>

namespace enlace::core {
namespace {

void tally(LoadSummary& summary, WriteOutcome outcome) {
    switch (outcome) {
    case WriteOutcome::created:
        ++summary.created;
        break;
    case WriteOutcome::updated:
        ++summary.updated;
        break;
    case WriteOutcome::unchanged:
        ++summary.unchanged;
        break;
    }
}

} // namespace

LoadSummary Registry::load_dataset(const std::string& json_text, const std::string& who) {
    const auto doc = detail::parse_json(json_text, "(dataset)");
    if (!doc.is_object()) throw validation_error("(dataset)", "must be a JSON object with actors, services, practices");
    detail::JsonReader keys;
    keys.only(doc, {"source", "actors", "services", "practices"}, "");
    keys.throw_if_any();
    const std::string source = keys.string(doc, "source", "source");
    keys.throw_if_any();
    LoadSummary summary;
    std::vector<validation_issue> issues;
    static const WriteOptions direct;
    const Caller holder = Caller::holder(who);
    const detail::Writer writer{holder, who, direct};
    auto load = [&](const char* list, auto&& from_json) {
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
                tally(summary, detail::write_record(*m_impl, from_json(item), writer).outcome);
            } catch (const validation_error& e) {
                for (const auto& issue : e.issues())
                    issues.push_back({where + "." + issue.field, issue.reason});
            } catch (const not_found& e) {
                issues.push_back({where, e.what()});
            }
        }
    };
    // One batch: a refused record writes nothing (it is checked whole first), and any refused
    // record keeps the whole dataset out.
    batch([&] {
        load("actors", [](const nlohmann::json& j) { return actor_from_json(j); });
        load("services", [](const nlohmann::json& j) { return service_from_json(j); });
        load("practices", [](const nlohmann::json& j) { return practice_from_json(j); });
        if (!issues.empty()) throw validation_error(std::move(issues));
    });
    return summary;
}

} // namespace enlace::core
