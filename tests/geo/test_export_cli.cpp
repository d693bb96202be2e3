// `enlace export` from the command line: format from the extension, the list filters, exit codes.
#include "support/temp_registry.hpp"

#include "enlace/core/registry.hpp"
#include "enlace/data/embedded.hpp"

#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/wait.h>

namespace core = enlace::core;
using enlace::test::make_registry;
using enlace::test::ScratchDir;

namespace {

int run(const std::string& arguments) {
    const std::string command = std::string(ENLACE_BINARY) + " " + arguments + " > /dev/null 2>&1";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::int64_t feature_count(const std::string& path) {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    return ds->GetLayer(0)->GetFeatureCount();
}

/// Runs the command and returns what it wrote to stderr.
std::string run_stderr(const std::string& arguments, const ScratchDir& dir) {
    const auto log = dir.file("stderr.txt");
    const std::string command = std::string(ENLACE_BINARY) + " " + arguments + " > /dev/null 2> '" + log + "'";
    std::system(command.c_str());
    std::ifstream in(log);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

TEST_CASE("enlace export writes the filtered services in the format of the file extension", "[export][cli]") {
    ScratchDir dir;
    const auto db = dir.registry();
    {
        auto registry = make_registry(dir);
        registry.load_dataset(std::string(*enlace::data::embedded("demo.json")));
    }
    auto registry = core::Registry::open(db, core::Registry::mode::read_only);
    core::ServiceQuery gt;
    gt.countries = {"GT"};

    const auto out = dir.file("gt.gpkg");
    CHECK(run("--db '" + db + "' export '" + out + "' --country GT") == 0);
    CHECK(feature_count(out) == registry.count(gt));
    CHECK(run("--db '" + db + "' export '" + out + "' --country GT") == 1); // exists
    CHECK(run("--db '" + db + "' export '" + out + "' --country GT --overwrite") == 0);

    CHECK(run("--db '" + db + "' export '" + dir.file("all.csv") + "' --lang es,en") == 0);
    CHECK(feature_count(dir.file("all.csv")) == registry.count(core::ServiceQuery{}));
    CHECK(run("--db '" + db + "' export '" + dir.file("actors.csv") + "' --kind actor") == 0);
    CHECK(run("--db '" + db + "' export '" + dir.file("pkg") + "' --format hsds") == 0);
    CHECK(std::filesystem::exists(dir.file("pkg") + "/datapackage.json"));

    CHECK(run("--db '" + db + "' export '" + dir.file("actors.gpkg") + "' --kind actor") == 2);
    CHECK(run("--db '" + db + "' export '" + dir.file("a.docx") + "'") == 2);
    CHECK(run("--db '" + db + "' export '" + dir.file("a.geojson") + "' --format pdf") == 2);
    CHECK(run("--db '" + db + "' export '" + dir.file("b.geojson") + "' --country ZZ") == 2);
}

// GDAL 3.6's FlatGeobuf writer cannot hold features without geometry (docs/export.md): the services
// without a site (the demo's two hotlines) are left out, and the command says how many and why.
TEST_CASE("enlace export to FlatGeobuf says how many services without a site it left out", "[export][cli][fgb]") {
    ScratchDir dir;
    const auto db = dir.registry();
    {
        auto registry = make_registry(dir);
        registry.load_dataset(std::string(*enlace::data::embedded("demo.json")));
    }
    auto registry = core::Registry::open(db, core::Registry::mode::read_only);
    const auto out = dir.file("all.fgb");
    const auto said = run_stderr("--db '" + db + "' export '" + out + "' --format flatgeobuf", dir);
    CAPTURE(said);
    CHECK(said.find("left out 4") != std::string::npos); // the demo's four services without a site
    CHECK(said.find("without a site") != std::string::npos);
    CHECK(said.find("geometry") != std::string::npos); // why
    CHECK(feature_count(out) + 4 == registry.count(core::ServiceQuery{}));
}
