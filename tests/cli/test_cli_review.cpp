// The review commands from the shell: `--as` a registry user writes with that user's scope and
// review rules (the same as the server's), `enlace review` moves a record, `enlace history` shows
// the trail as the caller may see it, `enlace stale` lists what is due.
#include "cli/cli_shell.hpp"

#include <catch2/catch.hpp>

using namespace enlace::test;

TEST_CASE("as a registry user: a draft, four eyes, review, history and stale from the shell", "[cli][review]") {
    ScratchDir dir;
    Shell enlace(dir);
    REQUIRE(enlace("init").code == 0);
    REQUIRE(enlace("user add ana --role editor --country GT").code == 0);
    REQUIRE(enlace("user add dora --role reviewer --country GT").code == 0);
    REQUIRE(enlace("user add carla --role editor --country SV").code == 0);
    write_file(enlace.file("s.json"), R"({"name":{"es":"Defensoría"},"types":["PRO.AUTHORITY"],"country":"GT",
                                         "location":{"lon":-90.5,"lat":14.6}})");

    // Out of scope: refused, nothing written.
    const Run refused = enlace("--as carla add " + shell_quoted(enlace.file("s.json")));
    CHECK(refused.code != 0);
    CHECK(refused.err.find("GT") != std::string::npos);

    const Run added = enlace("--as ana add " + shell_quoted(enlace.file("s.json")));
    INFO(added.err);
    REQUIRE(added.code == 0);
    const auto id = std::to_string(parsed(added)["id"].get<std::int64_t>());
    CHECK(enlace("show " + id).code != 0); // a draft: not public

    REQUIRE(enlace("--as ana review submit " + id).code == 0);
    const Run own = enlace("--as ana review approve " + id);
    CHECK(own.code != 0); // an editor does not approve
    const Run approved = enlace("--as dora review approve " + id);
    INFO(approved.err);
    REQUIRE(approved.code == 0);
    CHECK(parsed(approved)["review_status"] == "published");
    CHECK(enlace("show " + id).code == 0);

    const Run trail = enlace("history " + id);
    REQUIRE(trail.code == 0);
    const auto items = parsed(trail);
    REQUIRE(items.size() == 3);
    CHECK(items[0]["who"] == "user:ana");
    CHECK(items[2]["action"] == "approve");

    const Run due = enlace("stale --older-than 30d --country GT");
    REQUIRE(due.code == 0);
    CHECK(due.out.find("never") != std::string::npos);
    CHECK(enlace("--as carla stale --country GT").code != 0); // outside her countries
}

TEST_CASE("an import with --review waits in the queue as one submission, without it, it is published",
          "[cli][review]") {
    ScratchDir dir;
    Shell enlace(dir);
    REQUIRE(enlace("init").code == 0);
    REQUIRE(enlace("user add dora --role reviewer --country GT").code == 0);
    write_file(enlace.file("focal.csv"), "id,nombre,tipo,pais,lat,lon\n"
                                         "a1,Oficina de protección,PRO.AUTHORITY,GT,14.6,-90.5\n"
                                         "a2,Defensoría móvil,PRO.AUTHORITY,GT,14.8,-91.5\n");
    const Run imported = enlace("import " + shell_quoted(enlace.file("focal.csv")) + " --review");
    INFO(imported.err);
    REQUIRE(imported.code == 0);
    CHECK(parsed(enlace("list"))["items"].empty()); // nothing public yet
    const json waiting = parsed(enlace("list --authorised"));
    REQUIRE(waiting["items"].size() == 2);
    const auto id = std::to_string(waiting["items"][0]["id"].get<std::int64_t>());

    // One change set, in review, each approved by a reviewer of the country.
    const auto trail = parsed(enlace("history " + id));
    REQUIRE(trail.size() == 1);
    CHECK(trail[0]["action"] == "create");
    const Run approved = enlace("--as dora review approve " + id);
    INFO(approved.err);
    REQUIRE(approved.code == 0);
    CHECK(parsed(enlace("list"))["items"].size() == 1);

    // A re-import of the same file changes nothing; without --review it publishes directly.
    CHECK(enlace("import " + shell_quoted(enlace.file("focal.csv")) + " --review").code == 0);
    CHECK(parsed(enlace("list"))["items"].size() == 1);
    write_file(enlace.file("other.csv"),
               "id,nombre,tipo,pais,lat,lon\nb1,Albergue temporal,PRO.AUTHORITY,GT,15.0,-90.4\n");
    REQUIRE(enlace("import " + shell_quoted(enlace.file("other.csv"))).code == 0);
    CHECK(parsed(enlace("list"))["items"].size() == 2);
}
