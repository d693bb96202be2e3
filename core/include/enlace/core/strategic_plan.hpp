#pragma once
// The RCM network's 2017-2022 Strategic Plan and its "responsible" column (seed item 4): the
// Plan's structure (axes, objectives, actions, texts in es/en), and per action and member country
// the entities the country proposes as responsible (actors of the registry), their status
// (proposed by the country, confirmed at the network's virtual meeting) and dated progress notes.
// docs/strategic-plan.md gives the file format and who may do what.
#include "enlace/core/model.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace enlace::core {

struct PlanAction {
    std::string code; // "1.2.3": unique in the Plan
    LocalizedText text;
};

struct PlanObjective {
    std::string code;
    LocalizedText text;
    std::vector<PlanAction> actions;
};

struct PlanAxis {
    std::string code;
    LocalizedText text;
    std::vector<PlanObjective> objectives;
};

/// The Plan as loaded from its file (data/strategic_plan.json, or one the user gives).
struct PlanStructure {
    LocalizedText title;
    std::string period; // "2017-2022"
    /// The structure stands in for the Plan's text (the demo's): every output says so.
    bool illustrative = false;
    std::vector<PlanAxis> axes;

    /// Parses and checks a Plan file; throws validation_error naming each bad entry by its path
    /// ("axes[0].objectives[1].actions[2].code").
    static PlanStructure from_json(std::string_view text);
    /// The form from_json reads.
    std::string to_json() const;

    /// Every action, in the Plan's order.
    std::vector<const PlanAction*> actions() const;
    const PlanAction* action(std::string_view code) const;
    bool empty() const { return axes.empty(); }
};

/// missing: no entity proposed yet (what the virtual meeting must fill); proposed: by the
/// country's focal point; confirmed: by a compiler at the meeting. A new proposal of a confirmed
/// entry makes it proposed again.
enum class PlanStatus { missing, proposed, confirmed };
std::string_view to_string(PlanStatus status);
std::optional<PlanStatus> parse_plan_status(std::string_view text);

/// A progress note: the day it is about, its text, and who wrote it (a signature, as in history).
struct PlanNote {
    std::string on; // YYYY-MM-DD
    std::string text;
    std::string by;
    std::string written_at;
};

/// The longest progress note, in characters.
inline constexpr std::size_t max_plan_note = 2000;

/// One cell of the responsible column: an action in a member country.
struct PlanEntry {
    std::string action, country;
    PlanStatus status = PlanStatus::missing;
    std::vector<std::int64_t> actors; // the proposed responsible entities, in the order given
    std::vector<PlanNote> notes;      // oldest first
    std::int64_t version = 0;         // 0: nothing stored yet; the ETag otherwise
    std::string updated_at;
    std::string confirmed_by; // who confirmed it, while confirmed
    /// Filled by reads, not stored: each actor's name (its acronym after it), "" for one deleted
    /// since it was proposed.
    std::vector<std::string> actor_names;

    /// The stored form: a JSON object of actors, notes and confirmed_by (status and version are
    /// kept beside it).
    std::string document() const;
    static PlanEntry from_document(std::string action, std::string country, std::string_view doc);
};

/// Which entries to list: of these countries (empty: every member country), of one status.
struct PlanFilter {
    std::vector<std::string> countries;
    std::optional<PlanStatus> status;
};

/// One change of an entry (or of the structure, with empty action and country), as its history
/// shows it: propose, confirm, note, or structure.
struct PlanChange {
    std::int64_t id = 0;
    std::string at, who, change, action, country;
    std::string before, after; // the entry's JSON (PlanEntry as the API shows it); empty: none
    std::string comment;
};

/// An entry as the API, the CLI and history show it.
std::string plan_entry_json(const PlanEntry& entry);

} // namespace enlace::core
