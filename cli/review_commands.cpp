// enlace history / review / stale: a record's trail, its review transitions and what is due for
// verification, as the caller (the holder, or --as a registry user) may see and do them.
#include "commands.hpp"

#include "enlace/core/editing.hpp"
#include "enlace/core/errors.hpp"
#include "enlace/core/registry.hpp"
#include "enlace/core/verification.hpp"
#include "enlace/core/vocabulary.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace enlace::cli {
namespace {

struct RecordOptions {
    std::int64_t id = 0;
    std::string kind = "service";
    std::string action, comment, older_than = "180d", country;
};

} // namespace

void add_review_commands(CLI::App& app, const Common& common) {
    auto o = std::make_shared<RecordOptions>();
    const std::vector<std::string> kinds{"service", "actor", "practice"};

    auto* history = app.add_subcommand("history", "Every change of one record: who, when, what, and the comment");
    history->add_option("id", o->id, "Record id")->required();
    history->add_option("--kind", o->kind, "Record kind")->check(CLI::IsMember(kinds))->capture_default_str();
    history->callback([&common, o] {
        const auto registry = core::Registry::open(common.db, core::Registry::mode::read_only);
        nlohmann::json out = nlohmann::json::array();
        for (const auto& c : registry.history(caller_of(common, registry), *core::parse_record_kind(o->kind), o->id)) {
            nlohmann::json changes = nlohmann::json::array();
            for (const auto& f : core::field_changes(c.before, c.after))
                changes.push_back({{"path", f.path},
                                   {"before", nlohmann::json::parse(f.before)},
                                   {"after", nlohmann::json::parse(f.after)}});
            nlohmann::json item{
                {"revision", c.revision}, {"at", c.at}, {"action", c.action}, {"changes", std::move(changes)}};
            if (!c.who.empty()) item["who"] = c.who;
            if (!c.comment.empty()) item["comment"] = c.comment;
            if (c.pending) item["pending_revision"] = true;
            out.push_back(std::move(item));
        }
        std::cout << out.dump(2) << '\n';
    });

    auto* review = app.add_subcommand("review", "A review transition of a service or practice (of its pending "
                                                "revision when it has one): submit, withdraw, request-changes, "
                                                "approve, archive, reject");
    review->add_option("action", o->action, "The transition")
        ->required()
        ->check(CLI::IsMember({"submit", "withdraw", "request-changes", "approve", "archive", "reject"}));
    review->add_option("id", o->id, "Record id")->required();
    review->add_option("--kind", o->kind, "Record kind")
        ->check(CLI::IsMember({"service", "practice"}))
        ->capture_default_str();
    review->add_option("--comment", o->comment, "Why (required to request changes)");
    review->callback([&common, o] {
        auto registry = core::Registry::open(common.db, core::Registry::mode::read_write);
        core::WriteOptions options;
        options.reviewed = true;
        options.comment = o->comment;
        const auto by = caller_of(common, registry);
        const auto result = registry.transition(by, *core::parse_record_kind(o->kind), o->id,
                                                *core::parse_transition(o->action), options);
        const auto status = registry.status(by, *core::parse_record_kind(o->kind), o->id);
        std::cout << nlohmann::json{{"id", result.id},
                                    {"version", result.version},
                                    {"review_status", core::to_string(status.review_status)},
                                    {"pending_revision", status.pending.has_value()}}
                         .dump()
                  << '\n';
    });

    auto* stale = app.add_subcommand("stale", "Services never verified, or last verified before a span ago");
    stale->add_option("--older-than", o->older_than, "A number of days, such as 180d")->capture_default_str();
    stale->add_option("--country", o->country, "Countries, alpha-2, comma-separated");
    stale->callback([&common, o] {
        const auto registry = core::Registry::open(common.db, core::Registry::mode::read_only);
        auto query = core::due_for_verification(caller_of(common, registry), core::split_list(o->country, true),
                                                o->older_than, "older_than");
        query.limit = core::ServiceQuery::max_limit;
        for (;;) {
            const auto page = registry.find(query);
            for (const auto& hit : page.items) {
                const auto& s = *hit.service.record();
                const auto name = core::resolve(s.name, "es");
                std::cout << s.id << '\t' << s.country << '\t' << (s.last_verified.empty() ? "never" : s.last_verified)
                          << '\t' << (name ? name->text : "") << '\n';
            }
            if (page.next_cursor.empty()) break;
            query.cursor = page.next_cursor;
        }
    });
}

} // namespace enlace::cli
