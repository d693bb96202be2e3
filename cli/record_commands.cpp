// enlace add / show / history: records as JSON in and out.
#include "commands.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/record_kind.hpp"
#include "enlace/core/registry.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace enlace::cli {
namespace {

constexpr std::size_t max_input_bytes = 256u << 20;

std::string read_input(const std::string& path) {
    std::ifstream file;
    if (path != "-") {
        file.open(path, std::ios::binary);
        if (!file) throw core::error("cannot read '" + path + "': check the path");
    }
    std::istream& in = path == "-" ? std::cin : file;
    std::string text;
    char buffer[65536];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        text.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (text.size() > max_input_bytes) throw core::error("input is larger than 256 MiB: split it");
    }
    return text;
}

const char* list_name(const std::string& kind) {
    return kind == "actor" ? "actors" : kind == "practice" ? "practices" : "services";
}

core::WriteResult put_one(core::Registry& registry, const std::string& kind, const nlohmann::json& doc) {
    if (kind == "actor") return registry.put(core::actor_from_json(doc));
    if (kind == "practice") return registry.put(core::practice_from_json(doc));
    return registry.put(core::service_from_json(doc));
}

const char* outcome_name(core::WriteOutcome o) {
    return o == core::WriteOutcome::created ? "created" : o == core::WriteOutcome::updated ? "updated" : "unchanged";
}

/// A dataset holds only lists of records (and their source); a practice also has `actors` and
/// `services` lists, of ids, so the keys of the whole object decide.
bool is_dataset(const nlohmann::json& doc) {
    for (const auto& [key, value] : doc.items())
        if (key != "source" && key != "actors" && key != "services" && key != "practices") return false;
    return true;
}

/// Without --kind a record is a service: one that is plainly an actor or a practice gets a usage
/// error saying so, rather than a list of its fields refused one by one.
void check_kind_is_service(const nlohmann::json& doc) {
    const auto& first = doc.is_array() && !doc.empty() ? doc.front() : doc;
    if (!first.is_object()) return;
    if (first.contains("title")) throw usage_error("this looks like a practice: give --kind practice");
    if (first.contains("actor_type")) throw usage_error("this looks like an actor: give --kind actor");
}

void print_summary(const core::LoadSummary& summary) {
    std::cout << nlohmann::json{{"created", summary.created},
                                {"updated", summary.updated},
                                {"unchanged", summary.unchanged}}
                     .dump()
              << '\n';
}

struct AddOptions {
    std::string file = "-";
    std::string kind = "service";
};

struct ShowOptions {
    std::int64_t id = 0;
    std::string kind = "service";
    bool authorised = false;
};

} // namespace

void add_record_commands(CLI::App& app, const Common& common) {
    auto add_options = std::make_shared<AddOptions>();
    auto* add = app.add_subcommand("add", "Add or update records from JSON (one record, an array, or a dataset "
                                          "with actors/services/practices); all or nothing");
    add->add_option("file", add_options->file, "JSON file, or - for standard input")->capture_default_str();
    add->add_option("--kind", add_options->kind, "Record kind of a single record or array")
        ->check(CLI::IsMember({"service", "actor", "practice"}))
        ->capture_default_str();
    add->callback([&common, add, add_options] {
        auto registry = core::Registry::open(common.db, core::Registry::mode::read_write);
        nlohmann::json doc = nlohmann::json::parse(read_input(add_options->file), nullptr, false);
        if (doc.is_discarded()) throw core::validation_error("(input)", "is not valid JSON");
        const bool kind_given = add->count("--kind") > 0;
        if (doc.is_object() && !kind_given && is_dataset(doc)) {
            print_summary(registry.load_dataset(doc.dump(), "cli add"));
            return;
        }
        if (!doc.is_object() && !doc.is_array())
            throw core::validation_error("(input)", "must be a JSON object or array");
        if (!kind_given) check_kind_is_service(doc);
        if (doc.is_object() && !common.as_user.empty()) {
            // As a registry user: that user's scope and review rules, against the version stored now.
            const auto by = caller_of(common, registry);
            core::WriteOptions options;
            options.reviewed = true;
            options.check_duplicates = add_options->kind == "service";
            const auto id = doc.value("id", std::int64_t{0});
            if (id > 0)
                options.if_version = registry.status(by, *core::parse_record_kind(add_options->kind), id).version;
            core::WriteResult result;
            if (add_options->kind == "actor")
                result = registry.put(by, core::actor_from_json(doc), options);
            else if (add_options->kind == "practice")
                result = registry.put(by, core::practice_from_json(doc), options);
            else
                result = registry.put(by, core::service_from_json(doc), options);
            std::cout << nlohmann::json{{"id", result.id},
                                        {"outcome", outcome_name(result.outcome)},
                                        {"version", result.version},
                                        {"pending_revision", result.pending}}
                             .dump()
                      << '\n';
            return;
        }
        if (!common.as_user.empty()) throw usage_error("--as writes one record at a time (a JSON object)");
        if (doc.is_object()) {
            const auto result = put_one(registry, add_options->kind, doc);
            std::cout << nlohmann::json{{"id", result.id}, {"outcome", outcome_name(result.outcome)}}.dump() << '\n';
            return;
        }
        print_summary(registry.load_dataset(nlohmann::json{{list_name(add_options->kind), doc}}.dump(), "cli add"));
    });

    auto show_options = std::make_shared<ShowOptions>();
    auto* show = app.add_subcommand("show", "Print one record as JSON (the form `enlace add` reads)");
    show->add_option("id", show_options->id, "Record id")->required();
    show->add_option("--kind", show_options->kind, "Record kind")
        ->check(CLI::IsMember({"service", "actor", "practice"}))
        ->capture_default_str();
    show->add_flag("--authorised", show_options->authorised, "Exact sites and restricted records (operators)");
    show->callback([&common, show_options] {
        auto registry = core::Registry::open(common.db, core::Registry::mode::read_only);
        const auto audience = show_options->authorised ? core::Audience::authorised : core::Audience::public_;
        const auto id = show_options->id;
        std::optional<nlohmann::json> doc;
        if (show_options->kind == "actor") {
            if (auto a = registry.actor(id)) doc = core::to_json(*a);
        } else if (show_options->kind == "practice") {
            if (auto p = registry.practice(id, audience)) doc = core::to_json(*p);
        } else if (auto s = registry.service(id, audience)) {
            doc = core::to_json(*s);
        }
        if (!doc)
            throw core::not_found("no " + show_options->kind + " with id " + std::to_string(id) + " is visible" +
                                  (show_options->authorised ? "" : " to the public (try --authorised)"));
        std::cout << doc->dump(2) << '\n';
    });
}

} // namespace enlace::cli
