// enlace list / near / stats: the core's queries, as JSON or as a table for people.
#include "commands.hpp"
#include "query_options.hpp"
#include "table_output.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/registry.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace enlace::cli {
namespace {

struct ListOptions {
    ServiceFilterOptions filters;
    std::string kind = "service";
    std::string format = "json";
    std::string language = "es";
    std::string axes, year;
};

nlohmann::json page_json(const core::ServicePage& page) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& hit : page.items) {
        auto item = core::to_json(hit.service);
        if (hit.distance_m) item["distance_m"] = std::round(*hit.distance_m * 10) / 10;
        items.push_back(std::move(item));
    }
    nlohmann::json out{{"items", std::move(items)}};
    out["next_cursor"] = page.next_cursor.empty() ? nlohmann::json(nullptr) : nlohmann::json(page.next_cursor);
    if (!page.available_here.empty()) {
        out["available_here"] = nlohmann::json::array();
        for (const auto& s : page.available_here)
            out["available_here"].push_back(core::to_json(s));
    }
    return out;
}

template <class Record> nlohmann::json page_json(const core::Page<Record>& page) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& record : page.items)
        items.push_back(core::to_json(record));
    return {{"items", std::move(items)},
            {"next_cursor", page.next_cursor.empty() ? nlohmann::json(nullptr) : nlohmann::json(page.next_cursor)}};
}

void print_services(const ListOptions& o, const std::string& db) {
    const auto query = to_query(o.filters);
    auto registry = core::Registry::open(db, core::Registry::mode::read_only);
    const auto page = registry.find(query);
    if (o.format == "table")
        print_table(std::cout, page, registry.reference(), o.language);
    else
        std::cout << page_json(page).dump(2) << '\n';
}

void print_other(const ListOptions& o, const std::string& db) {
    auto registry = core::Registry::open(db, core::Registry::mode::read_only);
    const auto& f = o.filters;
    if (o.kind == "actor") {
        core::ActorQuery q;
        q.countries = split_list(f.countries, true);
        q.text = f.text;
        q.limit = f.limit.value_or(50);
        q.cursor = f.cursor;
        std::cout << page_json(registry.find(q)).dump(2) << '\n';
        return;
    }
    core::PracticeQuery q;
    q.countries = split_list(f.countries, true);
    q.types = split_list(f.types, true);
    for (const auto& axis : split_list(o.axes)) {
        try {
            q.axes.push_back(std::stoi(axis));
        } catch (const std::exception&) {
            throw core::query_error("--axis", "must be RCM axis numbers 1-5");
        }
    }
    if (!o.year.empty()) {
        try {
            q.year = std::stoi(o.year);
        } catch (const std::exception&) {
            throw core::query_error("--year", "must be a year");
        }
    }
    q.text = f.text;
    q.limit = f.limit.value_or(50);
    q.cursor = f.cursor;
    q.audience = f.authorised ? core::Audience::authorised : core::Audience::public_;
    std::cout << page_json(registry.find(q)).dump(2) << '\n';
}

void add_output_options(CLI::App& cmd, ListOptions& o) {
    cmd.add_option("--format", o.format, "json, or table for people")
        ->check(CLI::IsMember({"json", "table"}))
        ->capture_default_str();
    cmd.add_option("--lang", o.language, "Language of the table (es, en, fr)")->capture_default_str();
}

} // namespace

void add_query_commands(CLI::App& app, const Common& common) {
    auto list_options = std::make_shared<ListOptions>();
    auto* list =
        app.add_subcommand("list", "List services (or actors, practices) matching filters, one page at a time");
    list->add_option("--kind", list_options->kind, "Record kind")
        ->check(CLI::IsMember({"service", "actor", "practice"}))
        ->capture_default_str();
    list->add_option("--axis", list_options->axes, "Practices: RCM axes 1-5, comma-separated");
    list->add_option("--year", list_options->year, "Practices: running in this year");
    add_service_filters(*list, list_options->filters, false);
    add_output_options(*list, *list_options);
    list->callback([&common, list_options] {
        if (list_options->kind == "service")
            print_services(*list_options, common.db);
        else
            print_other(*list_options, common.db);
    });

    auto near_options = std::make_shared<ListOptions>();
    auto* near = app.add_subcommand("near", "The services nearest a point, by great-circle distance");
    add_service_filters(*near, near_options->filters, true);
    add_output_options(*near, *near_options);
    near->callback([&common, near_options] {
        if (!near_options->filters.k && !near_options->filters.radius_km) near_options->filters.k = 10;
        print_services(*near_options, common.db);
    });

    auto stats_authorised = std::make_shared<bool>(false);
    auto* stats = app.add_subcommand("stats", "Counts of services by country and service type");
    stats->add_flag("--authorised", *stats_authorised, "Include restricted services");
    stats->callback([&common, stats_authorised] {
        auto registry = core::Registry::open(common.db, core::Registry::mode::read_only);
        nlohmann::json cells = nlohmann::json::array();
        for (const auto& cell :
             registry.stats(*stats_authorised ? core::Audience::authorised : core::Audience::public_))
            cells.push_back({{"country", cell.country}, {"type", cell.type}, {"services", cell.services}});
        std::cout << nlohmann::json{{"cells", cells}}.dump(2) << '\n';
    });
}

} // namespace enlace::cli
