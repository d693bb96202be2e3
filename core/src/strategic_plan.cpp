// The Strategic Plan's file format and the stored form of its entries (strategic_plan.hpp).
#include "enlace/core/strategic_plan.hpp"

#include "enlace/core/errors.hpp"
#include "json_reader.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <set>
#include <utility>

namespace enlace::core {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<PlanStatus, std::string_view>, 3> status_names{{
    {PlanStatus::missing, "missing"},
    {PlanStatus::proposed, "proposed"},
    {PlanStatus::confirmed, "confirmed"},
}};

/// The Plan's codes are short and printable ("1", "1.2", "1.2.3", "A-4"): they name its parts in
/// URLs, file names of exports and the meeting's minutes.
bool valid_code(const std::string& code) {
    if (code.empty() || code.size() > 16) return false;
    for (const char c : code)
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' || c == '-'))
            return false;
    return true;
}

/// Code and text of one part of the Plan; both languages are required (the meeting works in both).
template <class Part>
void read_part(detail::JsonReader& in, const json& entry, const std::string& path, Part& part,
               std::set<std::string>& codes, std::initializer_list<std::string_view> known) {
    if (!entry.is_object()) {
        in.issue(path, "must be an object");
        return;
    }
    in.only(entry, known, path);
    part.code = in.string(entry, "code", path + ".code", true);
    if (!part.code.empty() && !valid_code(part.code))
        in.issue(path + ".code", "must be 1 to 16 letters, digits, dots or hyphens");
    else if (!part.code.empty() && !codes.insert(part.code).second)
        in.issue(path + ".code", "'" + part.code + "' is used twice in the Plan");
    part.text = in.localized(entry, "text", path + ".text");
    for (const char* language : {"es", "en"})
        if (part.text.count(language) == 0 || part.text.at(language).empty())
            in.issue(path + ".text." + language, "is required (the Plan is read in Spanish and English)");
}

json localized_json(const LocalizedText& text) {
    json out = json::object();
    for (const auto& [language, value] : text)
        out[language] = value;
    return out;
}

json part_json(const std::string& code, const LocalizedText& text) {
    return json{{"code", code}, {"text", localized_json(text)}};
}

} // namespace

std::string_view to_string(PlanStatus status) {
    for (const auto& [value, name] : status_names)
        if (value == status) return name;
    return "missing";
}

std::optional<PlanStatus> parse_plan_status(std::string_view text) {
    for (const auto& [value, name] : status_names)
        if (name == text) return value;
    return std::nullopt;
}

PlanStructure PlanStructure::from_json(std::string_view text) {
    const json doc = detail::parse_json(text, "plan");
    detail::JsonReader in;
    PlanStructure plan;
    if (!doc.is_object()) throw validation_error("plan", "must be a JSON object with title, period and axes");
    in.only(doc, {"title", "period", "illustrative", "axes"}, "");
    plan.title = in.localized(doc, "title", "title");
    if (plan.title.empty()) in.issue("title", "is required");
    plan.period = in.string(doc, "period", "period", true);
    plan.illustrative = in.boolean(doc, "illustrative", "illustrative").value_or(false);
    std::set<std::string> codes;
    const auto* axes = in.array(doc, "axes", "axes");
    if (!axes || axes->empty()) in.issue("axes", "is required: at least one axis");
    for (std::size_t a = 0; axes && a < axes->size(); ++a) {
        const std::string axis_path = "axes[" + std::to_string(a) + "]";
        PlanAxis axis;
        read_part(in, (*axes)[a], axis_path, axis, codes, {"code", "text", "objectives"});
        const auto* objectives = (*axes)[a].is_object() ? in.array((*axes)[a], "objectives", axis_path) : nullptr;
        if ((*axes)[a].is_object() && (!objectives || objectives->empty()))
            in.issue(axis_path + ".objectives", "is required: at least one objective");
        for (std::size_t o = 0; objectives && o < objectives->size(); ++o) {
            const std::string objective_path = axis_path + ".objectives[" + std::to_string(o) + "]";
            PlanObjective objective;
            read_part(in, (*objectives)[o], objective_path, objective, codes, {"code", "text", "actions"});
            const auto* actions =
                (*objectives)[o].is_object() ? in.array((*objectives)[o], "actions", objective_path) : nullptr;
            if ((*objectives)[o].is_object() && (!actions || actions->empty()))
                in.issue(objective_path + ".actions", "is required: at least one action");
            for (std::size_t i = 0; actions && i < actions->size(); ++i) {
                PlanAction action;
                read_part(in, (*actions)[i], objective_path + ".actions[" + std::to_string(i) + "]", action, codes,
                          {"code", "text"});
                objective.actions.push_back(std::move(action));
            }
            axis.objectives.push_back(std::move(objective));
        }
        plan.axes.push_back(std::move(axis));
    }
    in.throw_if_any();
    return plan;
}

std::string PlanStructure::to_json() const {
    json axes_out = json::array();
    for (const auto& axis : axes) {
        json objectives_out = json::array();
        for (const auto& objective : axis.objectives) {
            json actions_out = json::array();
            for (const auto& action : objective.actions)
                actions_out.push_back(part_json(action.code, action.text));
            json o = part_json(objective.code, objective.text);
            o["actions"] = std::move(actions_out);
            objectives_out.push_back(std::move(o));
        }
        json a = part_json(axis.code, axis.text);
        a["objectives"] = std::move(objectives_out);
        axes_out.push_back(std::move(a));
    }
    return json{{"title", localized_json(title)},
                {"period", period},
                {"illustrative", illustrative},
                {"axes", std::move(axes_out)}}
        .dump();
}

std::vector<const PlanAction*> PlanStructure::actions() const {
    std::vector<const PlanAction*> out;
    for (const auto& axis : axes)
        for (const auto& objective : axis.objectives)
            for (const auto& action : objective.actions)
                out.push_back(&action);
    return out;
}

const PlanAction* PlanStructure::action(std::string_view code) const {
    for (const auto* action : actions())
        if (action->code == code) return action;
    return nullptr;
}

std::string PlanEntry::document() const {
    json notes_out = json::array();
    for (const auto& note : notes)
        notes_out.push_back({{"on", note.on}, {"text", note.text}, {"by", note.by}, {"written_at", note.written_at}});
    json doc{{"actors", actors}, {"notes", std::move(notes_out)}};
    if (!confirmed_by.empty()) doc["confirmed_by"] = confirmed_by;
    return doc.dump();
}

PlanEntry PlanEntry::from_document(std::string action, std::string country, std::string_view doc) {
    PlanEntry entry;
    entry.action = std::move(action);
    entry.country = std::move(country);
    const json stored = detail::parse_json(doc, "stored plan entry");
    for (const auto& id : stored.value("actors", json::array()))
        entry.actors.push_back(id.get<std::int64_t>());
    for (const auto& note : stored.value("notes", json::array()))
        entry.notes.push_back(
            {note.value("on", ""), note.value("text", ""), note.value("by", ""), note.value("written_at", "")});
    entry.confirmed_by = stored.value("confirmed_by", "");
    return entry;
}

std::string plan_entry_json(const PlanEntry& entry) {
    json notes_out = json::array();
    for (const auto& note : entry.notes) {
        json n{{"on", note.on}, {"text", note.text}, {"written_at", note.written_at}};
        if (!note.by.empty()) n["by"] = note.by;
        notes_out.push_back(std::move(n));
    }
    json out{
        {"action", entry.action}, {"country", entry.country},      {"status", std::string(to_string(entry.status))},
        {"actors", entry.actors}, {"notes", std::move(notes_out)}, {"version", entry.version}};
    if (!entry.updated_at.empty()) out["updated_at"] = entry.updated_at;
    if (!entry.confirmed_by.empty()) out["confirmed_by"] = entry.confirmed_by;
    return out.dump();
}

} // namespace enlace::core
