// Problem reports from the shell: `enlace reports file` files one as anyone would, `enlace
// reports` lists the caller's country queue (the text for reviewers only), and `enlace reports
// triage|resolve|dismiss ID` decides one with the same rules as the server.
#include "cli/cli_shell.hpp"

#include <catch2/catch.hpp>

using namespace enlace::test;

TEST_CASE("reports from the shell: file, list in scope, triage and resolve as registry users", "[cli][reports]") {
    ScratchDir dir;
    Shell enlace(dir);
    REQUIRE(enlace("init").code == 0);
    REQUIRE(enlace("user add ana --role editor --country GT").code == 0);
    REQUIRE(enlace("user add dora --role reviewer --country GT").code == 0);
    REQUIRE(enlace("user add carla --role editor --country SV").code == 0);
    REQUIRE(enlace("user add gil --role viewer --country GT").code == 0);
    write_file(enlace.file("s.json"), R"({"name":{"es":"Defensoría"},"types":["PRO.AUTHORITY"],"country":"GT",
                                         "location":{"lon":-90.5,"lat":14.6}})");
    const Run added = enlace("add " + shell_quoted(enlace.file("s.json")));
    REQUIRE(added.code == 0);
    const auto service = std::to_string(parsed(added)["id"].get<std::int64_t>());

    const Run bad = enlace("reports file " + service + " --reason cerrado");
    CHECK(bad.code == 1);
    CHECK(bad.err.find("reason") != std::string::npos);
    CHECK(enlace("reports file 9999 --reason closed").code == 1);

    const Run filed = enlace("reports file " + service + " --reason closed --text " + shell_quoted("Cerró en mayo"));
    INFO(filed.err);
    REQUIRE(filed.code == 0);
    const auto id = std::to_string(parsed(filed)["id"].get<std::int64_t>());

    const Run listed = enlace("--as ana reports --country GT --status new");
    INFO(listed.err);
    REQUIRE(listed.code == 0);
    REQUIRE(parsed(listed).size() == 1);
    CHECK(parsed(listed)[0]["reason"] == "closed");
    CHECK_FALSE(parsed(listed)[0].contains("text")); // an editor: reason and dates only
    const Run reviewed = enlace("--as dora reports");
    REQUIRE(reviewed.code == 0);
    CHECK(parsed(reviewed)[0]["text"] == "Cerró en mayo");
    const Run other = enlace("--as carla reports");
    REQUIRE(other.code == 0);
    CHECK(parsed(other).empty());                // another country's reports are not revealed
    CHECK(enlace("--as gil reports").code == 1); // a viewer may not
    CHECK(enlace("reports --status open").code == 2);

    CHECK(enlace("--as carla reports triage " + id).code == 1);
    const Run triaged = enlace("--as ana reports triage " + id);
    INFO(triaged.err);
    REQUIRE(triaged.code == 0);
    CHECK(parsed(triaged)["status"] == "triaged");
    CHECK(enlace("--as ana reports triage " + id).code == 1); // triaged already

    const Run resolved = enlace("--as dora reports resolve " + id);
    REQUIRE(resolved.code == 0);
    CHECK(parsed(resolved)["status"] == "resolved");
    CHECK_FALSE(parsed(resolved).contains("text"));

    const Run trail = enlace("history " + service);
    REQUIRE(trail.code == 0);
    const auto items = parsed(trail);
    REQUIRE(items.size() == 3);
    CHECK(items[1]["action"] == "report-triage");
    CHECK(items[1]["who"] == "user:ana");
    CHECK(items[2]["who"] == "user:dora");
    CHECK(trail.out.find("mayo") == std::string::npos);
    CHECK(enlace("reports triage").code == 2); // no id
}
