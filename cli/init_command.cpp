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
    cmd->callback([&common, demo] {
        auto registry = core::Registry::open(common.db, core::Registry::mode::create);
        registry.load_reference(core::ReferenceData::from_json(embedded("taxonomy.json"), embedded("countries.json"),
                                                               embedded("boundaries.geojson")));
        const auto& ref = registry.reference();
        std::cout << "registry " << common.db << ": schema version " << registry.schema_version() << ", "
                  << ref.terms().size() << " service types, " << ref.countries().size() << " countries\n";
        if (*demo) {
            const auto summary = registry.load_dataset(std::string(embedded("demo.json")), "init --demo");
            std::cout << "demo records: " << summary.created << " created, " << summary.updated << " updated, "
                      << summary.unchanged << " unchanged\n";
        }
    });
}

} // namespace enlace::cli
