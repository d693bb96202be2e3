// The Strategic Plan's reads and writes as a caller (registry.hpp, "The Strategic Plan"): who may
// read, propose, confirm and note, checked here for the CLI and the server alike, and the Plan's
// history written in the transaction of each change.
#include "enlace/core/errors.hpp"
#include "enlace/core/hours.hpp"
#include "enlace/core/json_text.hpp"
#include "enlace/core/strategic_plan.hpp"
#include "plain_text.hpp"
#include "registry_impl.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace enlace::core {
namespace {

using detail::code_points;
using detail::trimmed;

/// The most entities one country names for one action.
constexpr std::size_t max_plan_actors = 20;

void check_reader(const Caller& by) {
    if (by.is_public()) throw unauthorized("the Plan's responsible entities are read with a registry user's token");
}

/// The country's focal points (its editors and reviewers), compilers and admins write its cells.
void check_writer(const Caller& by, const std::string& country) {
    check_reader(by);
    if (!by.writes({country}))
        throw forbidden(by.may_write() ? "only the focal points of " + country + " and the compilers write its entries"
                                       : "a viewer reads the Plan and does not write it");
}

const PlanStructure& loaded(const std::optional<PlanStructure>& plan) {
    if (!plan) throw not_found("no Strategic Plan is loaded: `enlace plan load FILE` loads one");
    return *plan;
}

/// The action and the member country of a cell, or not_found naming the one that is not.
void check_cell(const ReferenceData& reference, const PlanStructure& plan, const std::string& action,
                const std::string& country) {
    if (!plan.action(action)) throw not_found("no action '" + action + "' in the Plan");
    if (!reference.country(country)) throw not_found("'" + country + "' is not a member country of the RCM");
}

/// A note's text as kept, or validation_error naming `text`.
std::string checked_note_text(const std::string& given) {
    const std::string text = trimmed(given);
    if (!valid_utf8(text)) throw validation_error("text", "is not valid UTF-8 text");
    if (text.empty()) throw validation_error("text", "is required: what progress is there");
    if (const auto n = code_points(text); n > max_plan_note)
        throw validation_error("text", "is " + std::to_string(n) + " characters long: at most " +
                                           std::to_string(max_plan_note));
    if (std::any_of(text.begin(), text.end(), [](char c) {
            const auto u = static_cast<unsigned char>(c);
            return (u < 0x20 && c != '\n' && c != '\t') || u == 0x7F;
        }))
        throw validation_error("text", "must not hold control characters");
    return text;
}

void check_comment(const WriteOptions& options) {
    if (!valid_utf8(options.comment)) throw validation_error("comment", "is not valid UTF-8 text");
    if (options.comment.size() > max_plan_note)
        throw validation_error("comment", "is longer than " + std::to_string(max_plan_note) + " bytes");
}

/// Registry users name the version they read once the cell has one; the holder need not.
void check_version(const Caller& by, const PlanEntry& entry, const WriteOptions& options) {
    const std::string cell = "the entry of action " + entry.action + " for " + entry.country;
    if (!options.if_version) {
        if (by.kind == Caller::Kind::user && entry.version > 0)
            throw stale_version("a change of " + cell + " must name the version it was made against (If-Match: \"v" +
                                    std::to_string(entry.version) + "\" for the version stored now)",
                                entry.version, true);
        return;
    }
    if (*options.if_version != entry.version)
        throw stale_version(cell + " is at version " + std::to_string(entry.version) + ", not " +
                                std::to_string(*options.if_version) + ": someone changed it since; read it again",
                            entry.version);
}

std::string actor_label(const Actor& actor) {
    std::string name;
    if (const auto resolved = resolve(actor.name, "es")) name = resolved->text;
    if (!actor.acronym.empty()) name += name.empty() ? actor.acronym : " (" + actor.acronym + ")";
    return name;
}

} // namespace

bool Registry::load_plan(const Caller& by, const PlanStructure& plan) {
    check_reader(by);
    if (!(by.kind == Caller::Kind::holder || (by.kind == Caller::Kind::user && by.role == Role::admin)))
        throw forbidden("only an admin loads the Plan's structure");
    bool changed = false;
    detail::write_one(*m_impl, [&] {
        auto& store = *m_impl->store;
        const auto before = store.plan_structure();
        const std::string after = plan.to_json();
        if (before == after) return WriteResult{0, WriteOutcome::unchanged};
        // A cell's proposals and notes are the countries' work: a structure that drops its action
        // would orphan them.
        std::map<std::string, std::vector<std::string>> orphaned;
        for (const auto& entry : store.plan_entries({}))
            if (!plan.action(entry.action)) orphaned[entry.action].push_back(entry.country);
        if (!orphaned.empty()) {
            std::string list;
            for (const auto& [action, countries] : orphaned) {
                list += (list.empty() ? "" : "; ") + action + " (";
                for (std::size_t i = 0; i < countries.size(); ++i)
                    list += (i ? ", " : "") + countries[i];
                list += ")";
            }
            throw conflict("the new Plan lacks actions that countries have entries for: " + list +
                           ". Keep their codes in the file");
        }
        store.save_plan_structure(after);
        store.append_plan_change(
            {0, detail::utc_now(), by.signature(), "structure", "", "", before.value_or(""), after, ""});
        changed = true;
        return WriteResult{0, WriteOutcome::updated};
    });
    return changed;
}

std::optional<PlanStructure> Registry::plan() const {
    const auto text = m_impl->read([&] { return m_impl->store->plan_structure(); });
    if (!text) return std::nullopt;
    return PlanStructure::from_json(*text);
}

namespace {

/// Every cell of the filter's countries and status, in the Plan's order, the entities named.
std::vector<PlanEntry> grid(Registry::Impl& impl, const PlanStructure& plan, const PlanFilter& filter) {
    return impl.read([&] {
        const auto& reference = impl.reference;
        for (const auto& c : filter.countries)
            if (!reference.country(c)) throw query_error("country", "'" + c + "' is not a member country of the RCM");
        std::map<std::pair<std::string, std::string>, PlanEntry> stored;
        PlanFilter by_country = filter;
        by_country.status.reset(); // missing cells are not stored: the status applies below
        for (auto& entry : impl.store->plan_entries(by_country))
            stored.emplace(std::pair{entry.action, entry.country}, std::move(entry));
        std::map<std::int64_t, std::string> names;
        std::vector<PlanEntry> out;
        for (const auto* action : plan.actions())
            for (const auto& country : reference.countries()) {
                if (!filter.countries.empty() && std::find(filter.countries.begin(), filter.countries.end(),
                                                           country.alpha2) == filter.countries.end())
                    continue;
                PlanEntry entry;
                if (auto found = stored.find({action->code, country.alpha2}); found != stored.end()) {
                    entry = std::move(found->second);
                } else {
                    entry.action = action->code;
                    entry.country = country.alpha2;
                }
                if (filter.status && entry.status != *filter.status) continue;
                for (const auto id : entry.actors) {
                    auto name = names.find(id);
                    if (name == names.end()) {
                        const auto actor = impl.read_actor(id);
                        name = names.emplace(id, actor ? actor_label(*actor) : std::string()).first;
                    }
                    entry.actor_names.push_back(name->second);
                }
                out.push_back(std::move(entry));
            }
        return out;
    });
}

/// One cell of an action and a country checked to be the Plan's, its entities named.
PlanEntry cell_of(Registry::Impl& impl, const PlanStructure& plan, const std::string& action,
                  const std::string& country) {
    PlanFilter filter;
    filter.countries = {country};
    for (auto& entry : grid(impl, plan, filter))
        if (entry.action == action) return std::move(entry);
    throw not_found("no action '" + action + "' in the Plan");
}

} // namespace

std::vector<PlanEntry> Registry::plan_entries(const Caller& by, const PlanFilter& filter) const {
    check_reader(by);
    const auto structure = plan();
    return grid(*m_impl, loaded(structure), filter);
}

std::vector<PlanEntry> Registry::published_plan_entries(const std::vector<std::string>& countries) const {
    const auto structure = plan();
    if (!structure) return {};
    PlanFilter filter;
    filter.countries = countries;
    auto cells = grid(*m_impl, *structure, filter);
    for (auto& cell : cells) {
        if (cell.status != PlanStatus::confirmed) {
            cell.actors.clear();
            cell.actor_names.clear();
        }
        cell.notes.clear();
        cell.confirmed_by.clear();
        cell.updated_at.clear();
    }
    return cells;
}

PlanEntry Registry::plan_entry(const Caller& by, const std::string& action, const std::string& country) const {
    check_reader(by);
    const auto structure = plan();
    check_cell(m_impl->reference, loaded(structure), action, country);
    return cell_of(*m_impl, *structure, action, country);
}

void Registry::check_plan_writable(const Caller& by, const std::string& action, const std::string& country) const {
    check_writer(by, country);
    check_cell(m_impl->reference, loaded(plan()), action, country);
}

namespace {

/// The cell as stored, or a missing one.
PlanEntry stored_cell(Store& store, const std::string& action, const std::string& country) {
    if (auto entry = store.plan_entry(action, country)) return std::move(*entry);
    PlanEntry entry;
    entry.action = action;
    entry.country = country;
    return entry;
}

/// The entities a country proposes, deduplicated in the order given: each an actor of the registry
/// that works in the country. validation_error naming actors[i] otherwise.
std::vector<std::int64_t> checked_actors(Registry::Impl& impl, const std::string& country,
                                         const std::vector<std::int64_t>& given) {
    if (given.size() > max_plan_actors)
        throw validation_error("actors", "names " + std::to_string(given.size()) + " entities: at most " +
                                             std::to_string(max_plan_actors));
    std::vector<validation_issue> issues;
    std::vector<std::int64_t> out;
    for (std::size_t i = 0; i < given.size(); ++i) {
        const std::string path = "actors[" + std::to_string(i) + "]";
        const auto actor = impl.read_actor(given[i]);
        if (!actor) {
            issues.push_back({path, "no actor with id " + std::to_string(given[i])});
            continue;
        }
        if (std::find(actor->countries.begin(), actor->countries.end(), country) == actor->countries.end()) {
            issues.push_back({path, "actor " + std::to_string(given[i]) + " (" + actor_label(*actor) +
                                        ") does not work in " + country + ": add the country to it first"});
            continue;
        }
        if (std::find(out.begin(), out.end(), given[i]) == out.end()) out.push_back(given[i]);
    }
    if (!issues.empty()) throw validation_error(std::move(issues));
    return out;
}

/// Stores the cell's next version and its history row, in the open write transaction.
void write_cell(Store& store, const Caller& by, const PlanEntry& before, PlanEntry after, const std::string& change,
                const WriteOptions& options) {
    after.version = before.version + 1;
    after.updated_at = detail::utc_now();
    after.actor_names.clear();
    store.write_plan_entry(after);
    store.append_plan_change({0, after.updated_at, by.signature(), change, after.action, after.country,
                              before.version > 0 ? plan_entry_json(before) : std::string(), plan_entry_json(after),
                              options.comment});
}

} // namespace

PlanEntry Registry::propose_plan(const Caller& by, const std::string& action, const std::string& country,
                                 std::vector<std::int64_t> actors, const WriteOptions& options) {
    check_writer(by, country);
    const auto structure = plan();
    check_cell(m_impl->reference, loaded(structure), action, country);
    detail::write_one(*m_impl, [&] {
        auto& store = *m_impl->store;
        const PlanEntry before = stored_cell(store, action, country);
        check_version(by, before, options);
        check_comment(options);
        PlanEntry after = before;
        after.actors = checked_actors(*m_impl, country, actors);
        if (after.actors == before.actors && before.status != PlanStatus::missing)
            return WriteResult{0, WriteOutcome::unchanged, before.version};
        if (after.actors.empty() && before.status == PlanStatus::missing)
            return WriteResult{0, WriteOutcome::unchanged, before.version};
        // A changed proposal waits for the meeting again: a confirmation was of the old one.
        after.status = after.actors.empty() ? PlanStatus::missing : PlanStatus::proposed;
        after.confirmed_by.clear();
        write_cell(store, by, before, after, "propose", options);
        return WriteResult{0, WriteOutcome::updated, before.version + 1};
    });
    return cell_of(*m_impl, *structure, action, country); // as the caller, who reads every cell
}

PlanEntry Registry::confirm_plan(const Caller& by, const std::string& action, const std::string& country,
                                 const WriteOptions& options) {
    check_reader(by);
    if (!by.confirms_plan())
        throw forbidden("the compilers confirm the Plan's entries at the network's meeting; the focal points propose "
                        "them");
    const auto structure = plan();
    check_cell(m_impl->reference, loaded(structure), action, country);
    detail::write_one(*m_impl, [&] {
        auto& store = *m_impl->store;
        const PlanEntry before = stored_cell(store, action, country);
        // Confirming means confirming what was read: the version is required of every user.
        if (!options.if_version && by.kind == Caller::Kind::user)
            throw stale_version("a confirmation must name the version it confirms (If-Match: \"v" +
                                    std::to_string(before.version) + "\")",
                                before.version, true);
        check_version(by, before, options);
        check_comment(options);
        if (before.status == PlanStatus::missing)
            throw conflict("the entry of action " + action + " for " + country +
                           " has no proposed entity: the country proposes first");
        if (before.status == PlanStatus::confirmed)
            throw conflict("the entry of action " + action + " for " + country + " is confirmed already");
        PlanEntry after = before;
        after.status = PlanStatus::confirmed;
        after.confirmed_by = by.signature();
        write_cell(store, by, before, after, "confirm", options);
        return WriteResult{0, WriteOutcome::updated, before.version + 1};
    });
    return cell_of(*m_impl, *structure, action, country); // as the caller, who reads every cell
}

PlanEntry Registry::add_plan_note(const Caller& by, const std::string& action, const std::string& country,
                                  const std::string& on, const std::string& text, const WriteOptions& options) {
    check_writer(by, country);
    const auto structure = plan();
    check_cell(m_impl->reference, loaded(structure), action, country);
    if (!valid_date(on)) throw validation_error("on", "must be a day as YYYY-MM-DD");
    const std::string note_text = checked_note_text(text);
    check_comment(options);
    detail::write_one(*m_impl, [&] {
        auto& store = *m_impl->store;
        const PlanEntry before = stored_cell(store, action, country);
        // A note adds to the cell and replaces nothing: a version, when given, is still checked.
        if (options.if_version) check_version(by, before, options);
        PlanEntry after = before;
        after.notes.push_back({on, note_text, by.signature(), detail::utc_now()});
        write_cell(store, by, before, after, "note", options);
        return WriteResult{0, WriteOutcome::updated, before.version + 1};
    });
    return cell_of(*m_impl, *structure, action, country); // as the caller, who reads every cell
}

std::vector<PlanChange> Registry::plan_history(const Caller& by, const std::string& action,
                                               const std::string& country) const {
    check_reader(by);
    if (!action.empty() || !country.empty()) check_cell(m_impl->reference, loaded(plan()), action, country);
    return m_impl->read([&] { return m_impl->store->plan_history(action, country); });
}

} // namespace enlace::core
