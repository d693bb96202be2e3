// enlace plan load / show / overview / propose / confirm / note / history / export: the Strategic
// Plan's responsible column, as the caller (the holder, or --as a registry user) may read and
// write it. The rules are the core's (Registry's Plan members).
#include "commands.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/registry.hpp"
#include "enlace/core/strategic_plan.hpp"
#include "enlace/geo/plan_export.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

namespace enlace::cli {
namespace {

struct PlanFlags {
    std::string file, action, country, status, language = "es", on, text, comment, output;
    std::vector<std::string> countries;
    std::vector<std::int64_t> actors;
    bool none = false, json = false, overwrite = false;
};

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw core::error("cannot read '" + path + "'");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string text_in(const core::LocalizedText& text, const std::string& language) {
    const auto resolved = core::resolve(text, language);
    return resolved ? resolved->text : std::string();
}

std::string names_of(const core::PlanEntry& entry) {
    std::string out;
    for (std::size_t i = 0; i < entry.actors.size(); ++i) {
        const auto& name = i < entry.actor_names.size() ? entry.actor_names[i] : std::string();
        out += (i ? "; " : "") + (name.empty() ? "actor " + std::to_string(entry.actors[i]) + " (deleted)" : name) +
               " [" + std::to_string(entry.actors[i]) + "]";
    }
    return out;
}

/// The version a --as user read, named with the write as the API's If-Match would be.
core::WriteOptions options_for(const core::Registry& registry, const core::Caller& by, const PlanFlags& f) {
    core::WriteOptions options;
    options.comment = f.comment;
    if (by.kind == core::Caller::Kind::user) options.if_version = registry.plan_entry(by, f.action, f.country).version;
    return options;
}

void print_entry(const core::PlanEntry& entry) { std::cout << core::plan_entry_json(entry) << '\n'; }

} // namespace

/// The illustrative Plan of data/ when none is loaded yet, or the file given (`enlace init`).
void load_plan_at_init(core::Registry& registry, const std::string& file, std::string_view embedded_plan) {
    const auto by = core::Caller::holder("init");
    if (!file.empty()) {
        registry.load_plan(by, core::PlanStructure::from_json(read_file(file)));
    } else if (!registry.plan()) {
        registry.load_plan(by, core::PlanStructure::from_json(embedded_plan));
    }
    const auto plan = registry.plan();
    if (plan)
        std::cout << "Strategic Plan " << plan->period << ": " << plan->actions().size() << " actions"
                  << (plan->illustrative ? " (illustrative structure: load the Plan's text with `enlace plan load`)"
                                         : "")
                  << '\n';
}

void add_plan_commands(CLI::App& app, const Common& common) {
    auto* plan = app.add_subcommand("plan", "The Strategic Plan 2017-2022: the responsible entities each member "
                                            "country proposes for each action, and their confirmation");
    plan->require_subcommand(1);
    auto f = std::make_shared<PlanFlags>();

    auto* load = plan->add_subcommand("load", "Load or replace the Plan's axes, objectives and actions from a "
                                              "JSON file (docs/strategic-plan.md gives its format)");
    load->add_option("file", f->file, "The Plan file")->required();
    load->callback([&common, f] {
        auto registry = core::Registry::open(common.db, core::Registry::mode::read_write);
        const auto structure = core::PlanStructure::from_json(read_file(f->file));
        const bool changed = registry.load_plan(caller_of(common, registry), structure);
        std::cout << "Strategic Plan " << structure.period << ": " << structure.actions().size() << " actions"
                  << (changed ? "" : " (unchanged)") << '\n';
    });

    auto* show = plan->add_subcommand("show", "The entries: action, country, status and responsible entities");
    show->add_option("--country", f->countries, "Only these member countries (alpha-2)");
    show->add_option("--status", f->status, "Only entries of this status")
        ->check(CLI::IsMember({"missing", "proposed", "confirmed"}));
    show->add_flag("--json", f->json, "One JSON object per entry");
    show->callback([&common, f] {
        const auto registry = core::Registry::open(common.db, core::Registry::mode::read_only);
        core::PlanFilter filter;
        filter.countries = f->countries;
        if (!f->status.empty()) filter.status = core::parse_plan_status(f->status);
        for (const auto& entry : registry.plan_entries(caller_of(common, registry), filter)) {
            if (f->json) {
                print_entry(entry);
                continue;
            }
            std::cout << entry.action << '\t' << entry.country << '\t' << core::to_string(entry.status) << '\t'
                      << names_of(entry) << '\n';
        }
    });

    auto* overview = plan->add_subcommand("overview", "Actions by member countries, for the network's meeting: "
                                                      "C confirmed, P proposed, - missing");
    overview->add_option("--lang", f->language, "Language of the actions' texts")
        ->check(CLI::IsMember({"es", "en"}))
        ->capture_default_str();
    overview->callback([&common, f] {
        const auto registry = core::Registry::open(common.db, core::Registry::mode::read_only);
        const auto structure = registry.plan();
        const auto entries = registry.plan_entries(caller_of(common, registry));
        std::vector<std::string> countries;
        std::map<std::pair<std::string, std::string>, core::PlanStatus> status;
        for (const auto& e : entries) {
            if (std::find(countries.begin(), countries.end(), e.country) == countries.end())
                countries.push_back(e.country);
            status[{e.action, e.country}] = e.status;
        }
        std::cout << "action  ";
        for (const auto& c : countries)
            std::cout << c << ' ';
        std::cout << "missing\n";
        int total_missing = 0;
        for (const auto* action : structure->actions()) {
            std::string line = action->code;
            line.resize(std::max<std::size_t>(line.size() + 1, 8), ' ');
            int missing = 0;
            for (const auto& c : countries) {
                const auto s = status[{action->code, c}];
                missing += s == core::PlanStatus::missing;
                line += s == core::PlanStatus::confirmed ? " C " : s == core::PlanStatus::proposed ? " P " : " - ";
            }
            total_missing += missing;
            std::cout << line << std::setw(7) << missing << "  " << text_in(action->text, f->language) << '\n';
        }
        std::cout << total_missing << " of " << entries.size() << " entries missing\n";
    });

    const auto cell = [f](CLI::App* cmd) {
        cmd->add_option("action", f->action, "The action's code (e.g. 1.2.1)")->required();
        cmd->add_option("--country", f->country, "The member country (alpha-2)")->required();
        cmd->add_option("--comment", f->comment, "Said beside the change, kept in its history");
    };

    auto* propose = plan->add_subcommand("propose", "Propose the country's responsible entities for an action "
                                                    "(replaces its proposal)");
    cell(propose);
    propose->add_option("--actor", f->actors, "An actor id (repeat for several)");
    propose->add_flag("--none", f->none, "Withdraw the proposal: the entry is missing again");
    propose->callback([&common, f] {
        if (f->actors.empty() && !f->none) throw usage_error("give --actor ID (one or more), or --none");
        if (!f->actors.empty() && f->none) throw usage_error("--none withdraws the proposal: give no --actor with it");
        auto registry = core::Registry::open(common.db, core::Registry::mode::read_write);
        const auto by = caller_of(common, registry);
        print_entry(registry.propose_plan(by, f->action, f->country, f->actors, options_for(registry, by, *f)));
    });

    auto* confirm = plan->add_subcommand("confirm", "Confirm a country's proposed entities for an action (compilers)");
    cell(confirm);
    confirm->callback([&common, f] {
        auto registry = core::Registry::open(common.db, core::Registry::mode::read_write);
        const auto by = caller_of(common, registry);
        print_entry(registry.confirm_plan(by, f->action, f->country, options_for(registry, by, *f)));
    });

    auto* note = plan->add_subcommand("note", "Add a dated progress note to an action in a country");
    cell(note);
    note->add_option("--on", f->on, "The day the note is about (YYYY-MM-DD)")->required();
    note->add_option("--text", f->text, "The note")->required();
    note->callback([&common, f] {
        auto registry = core::Registry::open(common.db, core::Registry::mode::read_write);
        const auto by = caller_of(common, registry);
        core::WriteOptions options;
        options.comment = f->comment;
        print_entry(registry.add_plan_note(by, f->action, f->country, f->on, f->text, options));
    });

    auto* history = plan->add_subcommand("history", "Every change of an entry (or, without an action, of the "
                                                    "Plan's structure)");
    history->add_option("action", f->action, "The action's code");
    history->add_option("--country", f->country, "The member country (alpha-2)");
    history->callback([&common, f] {
        if (f->action.empty() != f->country.empty())
            throw usage_error("give an action with its --country, or neither (the structure's history)");
        const auto registry = core::Registry::open(common.db, core::Registry::mode::read_only);
        nlohmann::json out = nlohmann::json::array();
        for (const auto& c : registry.plan_history(caller_of(common, registry), f->action, f->country)) {
            nlohmann::json item{{"id", c.id}, {"at", c.at}, {"who", c.who}, {"change", c.change}};
            if (!c.action.empty()) item["after"] = nlohmann::json::parse(c.after);
            if (!c.action.empty() && !c.before.empty()) item["before"] = nlohmann::json::parse(c.before);
            if (!c.comment.empty()) item["comment"] = c.comment;
            out.push_back(std::move(item));
        }
        std::cout << out.dump(2) << '\n';
    });

    auto* output = plan->add_subcommand("export", "Write the entries to a .csv or .xlsx file (XLSX: with the "
                                                  "overview of actions by countries)");
    output->add_option("output", f->output, "Output file")->required();
    output->add_option("--country", f->countries, "Only these member countries (alpha-2)");
    output->add_option("--lang", f->language, "Language of the actions' texts")
        ->check(CLI::IsMember({"es", "en"}))
        ->capture_default_str();
    output->add_flag("--overwrite", f->overwrite, "Replace an existing file");
    output->callback([&common, f] {
        const auto registry = core::Registry::open(common.db, core::Registry::mode::read_only);
        geo::PlanExportOptions options;
        options.countries = f->countries;
        options.language = f->language;
        options.overwrite = f->overwrite;
        const auto rows = geo::export_plan(registry, caller_of(common, registry), f->output, options);
        std::cout << "wrote " << rows << " entries to " << f->output << '\n';
    });
}

} // namespace enlace::cli
