// `enlace check` from the shell: every check passes on a fresh demo registry, and each deliberate
// damage made with raw SQL on a copy fails it with exit 1 and a line naming the table and the id.
#include "cli/cli_shell.hpp"

#include "enlace/core/registry.hpp"
#include "enlace/core/sqlite.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace enlace::test;

namespace {

namespace fs = std::filesystem;
namespace sqlite = enlace::core::sqlite;

std::string scalar(const std::string& path, const std::string& sql) {
    sqlite::Database db(path, sqlite::open_mode::read_only);
    sqlite::Statement stmt(db, sql);
    REQUIRE(stmt.step());
    return stmt.column_text(0);
}

/// Raw SQL on the file, as someone with the sqlite3 shell would (no foreign keys enforced).
void damage(const std::string& path, const std::string& sql) {
    sqlite::Database db(path, sqlite::open_mode::read_write);
    db.exec(sql);
}

/// The lines of `enlace check` that start with `prefix`.
std::vector<std::string> lines_with(const std::string& out, const std::string& prefix) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < out.size()) {
        const auto end = out.find('\n', start);
        const auto line = out.substr(start, end - start);
        if (line.rfind(prefix, 0) == 0) lines.push_back(line);
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return lines;
}

/// A demo registry and a backup of it, which each damage starts from.
struct Demo {
    ScratchDir dir;
    Shell enlace{dir};
    std::string pristine = dir.file("pristine.db");
    Demo() {
        REQUIRE(enlace("init --demo").code == 0);
        REQUIRE(enlace("backup " + shell_quoted(pristine)).code == 0);
    }
    /// A fresh copy to damage.
    std::string copy(const std::string& name) {
        const auto path = dir.file(name);
        fs::copy_file(pristine, path);
        return path;
    }
    Run check(const std::string& path, const std::string& args = {}) {
        return enlace.raw("--db " + shell_quoted(path) + " check" + args);
    }
    /// A public service with a site, whose id the damage names.
    std::string sited_id() const {
        return scalar(pristine, "SELECT id FROM services WHERE reach = 0 AND lon IS NOT NULL ORDER BY id LIMIT 1 "
                                "OFFSET 3");
    }
};

/// The check failed with exit 1, one error line, and `line` among its lines.
void require_failure(const Run& run, const std::string& line) {
    INFO(run.out << run.err);
    CHECK(run.code == 1);
    check_one_line_error(run);
    CHECK(run.out.find(line + "\n") != std::string::npos);
}

} // namespace

TEST_CASE("check passes on a fresh demo registry, a line for each check", "[cli][check][sqlite]") {
    Demo demo;
    const Run run = demo.enlace("check");
    INFO(run.out << run.err);
    REQUIRE(run.code == 0);
    CHECK(run.err.empty());
    const auto ok = lines_with(run.out, "ok    ");
    const std::vector<std::string> names{"schema version",
                                         "integrity",
                                         "foreign keys",
                                         "R*Tree tables",
                                         "R*Tree service_exact_sites",
                                         "R*Tree service_public_sites",
                                         "service_public_sites rows",
                                         "service_exact_sites rows",
                                         "who sees each service",
                                         "reference data",
                                         "public index vs rows",
                                         "authorised index vs rows"};
    REQUIRE(ok.size() == names.size());
    for (std::size_t i = 0; i < names.size(); ++i)
        CHECK(ok[i].rfind("ok    " + names[i] + ": ", 0) == 0);
    CHECK(lines_with(run.out, "FAIL").empty());
    const auto services = scalar(demo.enlace.db(), "SELECT count(*) FROM services");
    const auto sited = scalar(demo.enlace.db(), "SELECT count(*) FROM services WHERE lon IS NOT NULL");
    CHECK(ok[0] == "ok    schema version: version " + std::to_string(enlace::core::Registry::current_schema_version()) +
                       ", this program's");
    CHECK(ok[6] ==
          "ok    service_public_sites rows: " + sited + " services with a site, each with one row at its public point");
    CHECK(ok[11] == "ok    authorised index vs rows: " + services + " services (" + sited +
                        " with a site), as the services rows and the R*Tree hold them");
    const std::string last = "\nall 12 checks of " + demo.enlace.db() + " passed\n";
    CHECK(run.out.rfind(last) == run.out.size() - last.size());

    const json report = parsed(demo.enlace("check --format json"));
    CHECK(report["ok"] == true);
    CHECK(report["checks"].size() == names.size());
    CHECK(report["checks"][4]["name"] == "R*Tree service_exact_sites");
    CHECK(report["checks"][4]["problems"].empty());
    CHECK(demo.enlace("check --format xml").code == 2);
    CHECK(demo.enlace.raw("--db " + shell_quoted(demo.dir.file("none.db")) + " check").code == 1);
}

TEST_CASE("check fails, naming the table and id, on each damage of the R*Trees", "[cli][check][sqlite]") {
    Demo demo;
    const auto id = demo.sited_id();

    SECTION("a service's row deleted from a tree") {
        const auto path = demo.copy("deleted.db");
        damage(path, "DELETE FROM service_public_sites WHERE id = " + id);
        const Run run = demo.check(path);
        require_failure(run, "FAIL  service_public_sites rows: services id " + id +
                                 " has a site but no row in service_public_sites");
        // The index built from the rows has it; the store's box query, through the tree, does not.
        require_failure(run, "FAIL  public index vs rows: services id " + id +
                                 " is in the public index (with a site) but not in a whole-world box query of "
                                 "service_public_sites");
        CHECK(run.out.find("ok    service_exact_sites rows: ") != std::string::npos);
        CHECK(run.err == "enlace: 2 of 12 checks of " + path + " found problems (see above)\n");
    }
    SECTION("a row for a service that does not exist") {
        const auto path = demo.copy("orphan.db");
        damage(path, "INSERT INTO service_exact_sites VALUES (999999, -90.5, -90.5, 14.6, 14.6)");
        require_failure(demo.check(path),
                        "FAIL  service_exact_sites rows: service_exact_sites id 999999 has no service with a site");
    }
    SECTION("a public box moved away from the public point") {
        const auto path = demo.copy("moved.db");
        damage(path, "UPDATE service_public_sites SET min_lon = min_lon + 1, max_lon = max_lon + 1 WHERE id = " + id);
        const Run run = demo.check(path);
        INFO(run.out);
        const auto failed =
            lines_with(run.out, "FAIL  service_public_sites rows: service_public_sites id " + id + " has the box lon ");
        REQUIRE(failed.size() == 1);
        CHECK(failed[0].find("not the public point (") != std::string::npos);
        CHECK(failed[0].find(") of services id " + id) != std::string::npos);
        require_failure(run, "ok    service_exact_sites rows: " +
                                 scalar(path, "SELECT count(*) FROM services WHERE lon IS NOT NULL") +
                                 " services with a site, each with one row at its exact point");
    }
    SECTION("a tree's node damaged: rtreecheck") {
        const auto path = demo.copy("node.db");
        // The root node's count of entries, as if one had vanished.
        damage(path, "UPDATE service_exact_sites_node SET data = zeroblob(length(data)) WHERE nodeno = 1");
        const Run run = demo.check(path);
        INFO(run.out);
        CHECK(run.code == 1);
        CHECK_FALSE(lines_with(run.out, "FAIL  R*Tree service_exact_sites: service_exact_sites: ").empty());
        CHECK(lines_with(run.out, "ok    R*Tree service_public_sites: ").size() == 1);
    }
}

TEST_CASE("check fails on unknown reference codes, a wrong reach and a wrong schema version", "[cli][check][sqlite]") {
    Demo demo;
    const auto id = demo.sited_id();

    SECTION("an unknown service type") {
        const auto path = demo.copy("type.db");
        damage(path, "UPDATE service_types SET code = 'NOPE.NOPE' WHERE service_id = " + id);
        const Run run = demo.check(path);
        require_failure(run, "FAIL  reference data: service_types: services id " + id +
                                 " has the unknown service type 'NOPE.NOPE'");
        require_failure(run, "FAIL  foreign keys: service_types (a row) refers to a missing taxonomy_terms row");
    }
    SECTION("an unknown population and country") {
        const auto path = demo.copy("codes.db");
        damage(path, "INSERT INTO service_populations VALUES (" + id +
                         ", 'martians'); UPDATE services SET country = 'ZZ' WHERE id = " + id);
        const Run run = demo.check(path);
        require_failure(run, "FAIL  reference data: services id " + id + " has the unknown country 'ZZ'");
        require_failure(run, "FAIL  reference data: service_populations: services id " + id +
                                 " has the unknown population 'martians'");
        require_failure(run, "FAIL  foreign keys: services rowid " + id + " refers to a missing countries row");
    }
    SECTION("a restricted service the public would see") {
        const auto path = demo.copy("reach.db");
        damage(path, "UPDATE services SET visibility = 'restricted' WHERE id = " + id);
        require_failure(demo.check(path), "FAIL  who sees each service: services id " + id +
                                              " has reach 0, its visibility, review status and deletion say 1");
    }
    SECTION("an older schema version") {
        const auto path = demo.copy("old.db");
        const auto current = enlace::core::Registry::current_schema_version();
        const auto older = std::to_string(current - 1);
        damage(path, "PRAGMA user_version = " + older);
        const Run run = demo.check(path);
        require_failure(run, "FAIL  schema version: the file has schema version " + older + ", this program " +
                                 std::to_string(current) + ": `enlace init --db " + path +
                                 "` migrates it (back it up first)");
        require_failure(run, "skip  public index vs rows: not run: the schema version is not this program's");
        CHECK(lines_with(run.out, "ok    integrity: ").size() == 1);
        CHECK(scalar(path, "PRAGMA user_version") == older); // checking changed nothing
    }
    SECTION("a newer schema version") {
        const auto path = demo.copy("new.db");
        const auto current = enlace::core::Registry::current_schema_version();
        const auto newer = std::to_string(current + 1);
        damage(path, "PRAGMA user_version = " + newer);
        require_failure(demo.check(path), "FAIL  schema version: the file has schema version " + newer +
                                              ", newer than this program's " + std::to_string(current) +
                                              ": check it with the enlace that wrote it");
    }
    SECTION("a damaged page") {
        const auto path = demo.copy("page.db");
        const auto page_size = std::stoll(scalar(path, "PRAGMA page_size"));
        const auto root = std::stoll(scalar(path, "SELECT rootpage FROM sqlite_schema WHERE name = 'services'"));
        {
            std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
            file.seekp((root - 1) * page_size);
            const std::string garbage(static_cast<std::size_t>(page_size), '\xff');
            file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
        }
        const Run run = demo.check(path);
        INFO(run.out << run.err);
        CHECK(run.code == 1);
        CHECK_FALSE(lines_with(run.out, "FAIL  integrity: ").empty());
    }
}
