// The Strategic Plan from the shell: `enlace init` loads the illustrative Plan once (a Plan the
// user loaded stays), `--plan FILE` and `enlace plan load` load one with every problem named, the
// focal points propose and the compilers confirm with `--as`, and `enlace plan export` writes CSV
// and XLSX files that GDAL reads back (the overview sheet included).
#include "cli/cli_shell.hpp"

#include <catch2/catch.hpp>

using namespace enlace::test;

namespace {

const std::string own_plan = R"({"title": {"es": "Plan Estratégico", "en": "Strategic Plan"}, "period": "2017-2022",
  "axes": [{"code": "A", "text": {"es": "Eje A", "en": "Axis A"}, "objectives": [
    {"code": "A.1", "text": {"es": "Objetivo", "en": "Objective"}, "actions": [
      {"code": "A.1.1", "text": {"es": "Acción uno", "en": "Action one"}},
      {"code": "A.1.2", "text": {"es": "Acción dos", "en": "Action two"}}]}]}]})";

std::string actor_id(Shell& enlace, const std::string& source_id) {
    const auto listed = parsed(enlace("list --kind actor --country GT --format json"));
    for (const auto& a : listed["items"])
        if (a["source_id"] == source_id) return std::to_string(a["id"].get<std::int64_t>());
    FAIL("no actor " << source_id);
    return {};
}

} // namespace

TEST_CASE("the Plan from the shell: loaded at init, proposed, confirmed, exported", "[cli][plan]") {
    ScratchDir dir;
    Shell enlace(dir);
    const Run init = enlace("init --demo");
    REQUIRE(init.code == 0);
    CHECK(init.out.find("Strategic Plan 2017-2022: 15 actions (illustrative structure") != std::string::npos);

    write_file(enlace.file("plan.json"), own_plan);
    const Run loaded = enlace("plan load " + shell_quoted(enlace.file("plan.json")));
    INFO(loaded.err);
    REQUIRE(loaded.code == 0);
    CHECK(loaded.out == "Strategic Plan 2017-2022: 2 actions\n");
    // init again keeps the Plan the user loaded.
    REQUIRE(enlace("init").code == 0);
    CHECK(enlace("plan overview").out.find("A.1.2") != std::string::npos);

    write_file(enlace.file("bad.json"), R"({"title": "P", "period": "x", "axes": [{"code": "A", "text": "Eje"}]})");
    const Run bad = enlace("plan load " + shell_quoted(enlace.file("bad.json")));
    CHECK(bad.code == 1);
    CHECK(bad.err.find("axes[0].text.en") != std::string::npos);
    CHECK(bad.err.find("axes[0].objectives") != std::string::npos);

    REQUIRE(enlace("user add ana --role editor --country GT").code == 0);
    REQUIRE(enlace("user add iom --role compiler").code == 0);
    const auto pgn = actor_id(enlace, "gt-pgn");
    const Run refused = enlace("--as ana plan propose A.1.1 --country SV --actor " + pgn);
    CHECK(refused.code == 1);
    CHECK(refused.err.find("only the focal points of SV") != std::string::npos);
    const Run proposed = enlace("--as ana plan propose A.1.1 --country GT --actor " + pgn + " --comment consulta");
    INFO(proposed.err);
    REQUIRE(proposed.code == 0);
    CHECK(parsed(proposed)["status"] == "proposed");
    CHECK(enlace("--as ana plan confirm A.1.1 --country GT").code == 1);
    const Run confirmed = enlace("--as iom plan confirm A.1.1 --country GT");
    REQUIRE(confirmed.code == 0);
    CHECK(parsed(confirmed)["confirmed_by"] == "user:iom");
    REQUIRE(enlace("--as ana plan note A.1.1 --country GT --on 2026-11-30 --text " + shell_quoted("En marcha")).code ==
            0);
    CHECK(enlace("plan propose A.1.1 --country GT").code == 2); // neither --actor nor --none

    const Run overview = enlace("plan overview");
    REQUIRE(overview.code == 0);
    CHECK(overview.out.find("21 of 22 entries missing") != std::string::npos);
    const Run history = enlace("plan history A.1.1 --country GT");
    REQUIRE(history.code == 0);
    REQUIRE(parsed(history).size() == 3);
    CHECK(parsed(history)[0]["who"] == "user:ana");

    const auto csv = enlace.file("plan.csv"), xlsx = enlace.file("plan.xlsx");
    REQUIRE(enlace("plan export " + shell_quoted(csv) + " --lang en").code == 0);
    CHECK(enlace("plan export " + shell_quoted(csv)).code == 1); // exists: --overwrite replaces it
    const Run read_csv = enlace.shell("ogrinfo -ro -al -q " + shell_quoted(csv) + " -where \"country='GT'\"");
    REQUIRE(read_csv.code == 0);
    CHECK(read_csv.out.find("action_text (String) = Action one") != std::string::npos);
    CHECK(read_csv.out.find("status (String) = confirmed") != std::string::npos);
    CHECK(read_csv.out.find("last_note (String) = En marcha") != std::string::npos);

    REQUIRE(enlace("plan export " + shell_quoted(xlsx)).code == 0);
    const Run read_xlsx = enlace.shell("ogrinfo -ro -q " + shell_quoted(xlsx) + " overview -where \"action='A.1.1'\"");
    REQUIRE(read_xlsx.code == 0);
    CHECK(read_xlsx.out.find("GT (String) = confirmed: Procuraduría General de la Nación") != std::string::npos);
    CHECK(read_xlsx.out.find("SV (String) = MISSING") != std::string::npos);
    CHECK(read_xlsx.out.find("missing (Integer) = 10") != std::string::npos);
    CHECK(enlace("plan export " + shell_quoted(enlace.file("plan.pdf"))).code == 1);
    CHECK_FALSE(std::filesystem::exists(enlace.file("plan.pdf")));
    CHECK(enlace("plan show --as nobody").code == 1);
}
