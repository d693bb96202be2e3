#include "commands.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/registry.hpp"
#include "enlace/data/embedded.hpp"

#include <iostream>

namespace enlace::cli {
namespace {

std::string_view embedded(std::string_view name) {
    auto bytes = data::embedded(name);
    if (!bytes) throw core::error("this build carries no " + std::string(name));
    return *bytes;
}

} // namespace

void add_init_command(CLI::App& app, const Common& common) {
    auto* cmd = app.add_subcommand("init", "Create or migrate the registry and load the taxonomy and countries");
    auto demo = std::make_shared<bool>(false);
    cmd->add_flag("--demo", *demo, "Also load the demo registry (illustrative records, source \"demo\")");
    auto plan = std::make_shared<std::string>();
    cmd->add_option("--plan", *plan,
                    "The Strategic Plan's structure to load (docs/strategic-plan.md); without it, an illustrative "
                    "one when none is loaded yet");
    cmd->callback([&common, demo, plan] {
        auto registry = core::Registry::open(common.db, core::Registry::mode::create);
        registry.load_reference(core::ReferenceData::from_json(embedded("taxonomy.json"), embedded("countries.json"),
                                                               embedded("boundaries.geojson")));
        const auto& ref = registry.reference();
        std::cout << "registry " << common.db << ": schema version " << registry.schema_version() << ", "
                  << ref.terms().size() << " service types, " << ref.countries().size() << " countries\n";
        load_plan_at_init(registry, *plan, embedded("strategic_plan.json"));
        if (*demo) {
            const auto summary = registry.load_dataset(std::string(embedded("demo.json")), "init --demo");
            std::cout << "demo records: " << summary.created << " created, " << summary.updated << " updated, "
                      << summary.unchanged << " unchanged\n";
        }
    });
}

} // namespace enlace::cli
