// The command line as scripts and habits write it: global options after the command, --version,
// words that are not commands, bad values named by their flag, tables in the user's language.
#include "cli/cli_shell.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

using namespace enlace::test;

TEST_CASE("the global --db may follow the command, for every command", "[cli][options]") {
    ScratchDir dir;
    Shell enlace(dir);
    const std::string db = shell_quoted(enlace.db());
    const Run init = enlace.raw("init --db " + db + " --demo");
    INFO(init.err);
    REQUIRE(init.code == 0);
    if (!on_postgres()) REQUIRE(std::filesystem::exists(enlace.db()));

    const json listed = parsed(enlace.raw("list --limit 3 --db " + db));
    CHECK(listed["items"].size() == 3);
    const auto id = std::to_string(listed["items"][0]["id"].get<std::int64_t>());
    CHECK(parsed(enlace.raw("show " + id + " --db " + db))["id"] == listed["items"][0]["id"]);
    CHECK(parsed(enlace.raw("near --lat 14.9 --lon=-92.26 -k 2 --db " + db))["items"].size() == 2);
    CHECK(parsed(enlace.raw("stats --db " + db))["cells"].size() > 0);

    const std::string out = enlace.file("out.csv");
    const Run exported = enlace.raw("export " + shell_quoted(out) + " --db " + db);
    INFO(exported.err);
    CHECK(exported.code == 0);
    const Run imported = enlace.raw("import " + shell_quoted(out) + " --dry-run --db " + db);
    INFO(imported.err);
    CHECK(imported.code == 0);

    write_file(enlace.file("one.json"), R"({"name":{"es":"Asesoría"},"types":["LEG.AID"],"country":"GT",)"
                                        R"("location":{"lon":-90.5,"lat":14.6}})");
    CHECK(parsed(enlace.raw("add " + shell_quoted(enlace.file("one.json")) + " --db " + db))["outcome"] == "created");
    CHECK(enlace.raw("serve --help --db " + db).code == 0);
    // A database is backed up with pg_dump (docs/deploy.md), which the refusal says.
    const Run backup = enlace.raw("backup " + shell_quoted(dir.file("copy.db")) + " --db " + db);
    CHECK(backup.code == (on_postgres() ? 1 : 0));
    CHECK(std::filesystem::exists(dir.file("copy.db")) == !on_postgres());
    if (on_postgres()) CHECK(backup.err.find("back it up with pg_dump") != std::string::npos);
    CHECK(enlace.raw("check --db " + db).code == 0);

    // The registry named after the command is the one used: another file stays absent.
    CHECK_FALSE(std::filesystem::exists(dir.file("enlace.db")));
}

TEST_CASE("the version flag prints the program's version", "[cli][options]") {
    ScratchDir dir;
    Shell enlace(dir);
    const Run run = enlace.raw("--version");
    CHECK(run.code == 0);
    CHECK(run.out.rfind("enlace ", 0) == 0);
    CHECK(run.out.find('.') != std::string::npos);
}

TEST_CASE("a word that is no command is named, with the commands", "[cli][options]") {
    ScratchDir dir;
    Shell enlace(dir);
    const Run bogus = enlace.raw("bogus");
    CHECK(bogus.code == 2);
    check_one_line_error(bogus);
    CHECK(bogus.err.find("unknown command 'bogus'") != std::string::npos);
    CHECK(bogus.err.find("import") != std::string::npos);

    const Run none = enlace.raw("");
    CHECK(none.code == 2);
    check_one_line_error(none);
    CHECK(none.err.find("give a command") != std::string::npos);

    const Run option = enlace.raw("list --frobnicate 1");
    CHECK(option.code == 2);
    check_one_line_error(option);
    CHECK(option.err.find("'--frobnicate'") != std::string::npos);
}

TEST_CASE("bad numbers are named by their own flag", "[cli][options]") {
    ScratchDir dir;
    Shell enlace(dir);
    REQUIRE(enlace("init").code == 0);
    for (const auto& [args, flag] : {std::pair{"near --lat 14.9 --lon=-92.2 -k -1", "-k"},
                                     {"near --lat 14.9 --lon=-92.2 -k 0", "-k"},
                                     {"near --lat 14.9 --lon=-92.2 --radius-km -5", "--radius-km"},
                                     {"list --limit 0", "--limit"},
                                     {"list --limit 20000", "--limit"}}) {
        INFO(args);
        const Run run = enlace(args);
        CHECK(run.code == 2);
        check_one_line_error(run);
        CHECK(run.err.find("bad " + std::string(flag) + ":") != std::string::npos);
    }
}

TEST_CASE("serve refuses a size out of its range at once, naming the option", "[cli][options]") {
    ScratchDir dir;
    Shell enlace(dir);
    REQUIRE(enlace("init").code == 0);
    for (const auto& [args, flag] : {std::pair{"serve --port 0 --record-cache -1", "--record-cache"},
                                     {"serve --port 0 --record-cache 99999999999", "--record-cache"},
                                     {"serve --port 0 --record-cache many", "--record-cache"},
                                     {"serve --port 0 --threads 0", "--threads"}}) {
        INFO(args);
        const Run run = enlace(args);
        CHECK(run.code == 2);
        check_one_line_error(run);
        CHECK(run.err.find(std::string(flag) + ":") != std::string::npos);
    }
}

TEST_CASE("serve --web-root that holds no page is refused at once", "[cli][options]") {
    ScratchDir dir;
    Shell enlace(dir);
    REQUIRE(enlace("init").code == 0);
    const Run run = enlace("serve --port 0 --web-root " + shell_quoted(dir.file("nowhere")));
    CHECK(run.code == 2);
    check_one_line_error(run);
    CHECK(run.err.find("--web-root") != std::string::npos);
    CHECK(run.err.find("index.html") != std::string::npos);
}

TEST_CASE("tables speak the language asked for", "[cli][options]") {
    ScratchDir dir;
    Shell enlace(dir);
    REQUIRE(enlace("init").code == 0);
    REQUIRE(enlace("add " + shell_quoted(ENLACE_TEST_DATA "/field_records.json")).code == 0);
    const auto table = [&](const std::string& lang) {
        const Run run = enlace("list --country GT,SV --limit 50 --format table --lang " + lang);
        INFO(run.err);
        REQUIRE(run.code == 0);
        return run.out;
    };
    const std::string es = table("es"), en = table("en"), fr = table("fr");
    CHECK(es.find("línea de ayuda: 1599") != std::string::npos);
    CHECK(es.find("verificado el") != std::string::npos);
    CHECK(es.find("ubicación aproximada") != std::string::npos);
    CHECK(es.find("cerrado temporalmente") != std::string::npos);
    CHECK(en.find("hotline: 1599") != std::string::npos);
    CHECK(en.find("last verified") != std::string::npos);
    CHECK(en.find("approximate location") != std::string::npos);
    CHECK(fr.find("ligne d'écoute: 1599") != std::string::npos);
    CHECK(fr.find("vérifié le") != std::string::npos);
    CHECK(fr.find("fermé temporairement") != std::string::npos);
    for (const auto* text : {&es, &fr}) {
        CHECK(text->find("last verified") == std::string::npos);
        CHECK(text->find("approximate location") == std::string::npos);
    }
    const Run empty = enlace("list --country CA --format table --lang es");
    CHECK(empty.out.find("Ningún servicio coincide.") != std::string::npos);
}
