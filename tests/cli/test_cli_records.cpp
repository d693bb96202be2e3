// `enlace show | enlace add` for every record kind, and input that names fields no record has.
#include "cli/cli_shell.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace enlace::test;

namespace {

/// A registry with the demo and the real-shaped records of tests/data.
void load(Shell& enlace) {
    REQUIRE(enlace("init --demo").code == 0);
    const Run run = enlace("add " + shell_quoted(ENLACE_TEST_DATA "/field_records.json"));
    INFO(run.err);
    REQUIRE(run.code == 0);
}

std::int64_t first_id(Shell& enlace, const std::string& args) {
    const json page = parsed(enlace("list --limit 1 " + args));
    REQUIRE(page["items"].size() == 1);
    return page["items"][0]["id"].get<std::int64_t>();
}

/// `enlace show ... | enlace add ...` and what add printed.
Run pipe(Shell& enlace, const std::string& show, const std::string& add) {
    return enlace.shell(enlace.command() + " show " + show + " | " + enlace.command() + " add " + add);
}

} // namespace

TEST_CASE("show | add round-trips practices and actors, links and empty lists included", "[cli][records]") {
    ScratchDir dir;
    Shell enlace(dir);
    load(enlace);
    const auto linked = first_id(enlace, "--kind practice --authorised -q \"asesoría legal gratuita\"");
    const auto draft = first_id(enlace, "--kind practice --authorised -q borrador");
    for (const auto id : {linked, draft}) {
        INFO("practice " << id);
        const json before = parsed(enlace("show --kind practice --authorised " + std::to_string(id)));
        const Run run = pipe(enlace, "--kind practice --authorised " + std::to_string(id), "--kind practice -");
        INFO(run.err);
        REQUIRE(run.code == 0);
        CHECK(parsed(run)["outcome"] == "unchanged");
        CHECK(parsed(enlace("show --kind practice --authorised " + std::to_string(id))) == before);
    }
    // Without --kind, a practice is named as one rather than read as a dataset of its link lists.
    const Run guessed = pipe(enlace, "--kind practice --authorised " + std::to_string(draft), "-");
    CHECK(guessed.code == 2);
    check_one_line_error(guessed);
    CHECK(guessed.err.find("--kind practice") != std::string::npos);

    const auto actor = first_id(enlace, "--kind actor -q PGN");
    const Run actor_run = pipe(enlace, "--kind actor " + std::to_string(actor), "--kind actor -");
    INFO(actor_run.err);
    REQUIRE(actor_run.code == 0);
    CHECK(parsed(actor_run)["outcome"] == "unchanged");

    // A changed practice comes back updated, its links kept.
    const json edited = [&] {
        json p = parsed(enlace("show --kind practice --authorised " + std::to_string(linked)));
        p["title"]["fr"] = "Réseau de conseil juridique gratuit";
        return p;
    }();
    write_file(enlace.file("edited.json"), edited.dump());
    const json result = parsed(enlace("add --kind practice " + shell_quoted(enlace.file("edited.json"))));
    CHECK(result["outcome"] == "updated");
    const json after = parsed(enlace("show --kind practice --authorised " + std::to_string(linked)));
    CHECK(after["title"]["fr"] == "Réseau de conseil juridique gratuit");
    CHECK(after["services"] == edited["services"]);
    CHECK(after["actors"] == edited["actors"]);
}

TEST_CASE("fields no record has are refused by name, and nothing is written", "[cli][records]") {
    ScratchDir dir;
    Shell enlace(dir);
    load(enlace);
    const json before = parsed(enlace("list --authorised --limit 10000"));
    const std::string service = R"("name":{"es":"Asesoría"},"types":["LEG.AID"],"country":"GT")";
    const std::string site = R"("location":{"lon":-90.5,"lat":14.6})";
    struct Case {
        std::string kind, body, field;
    };
    for (const Case& c :
         {Case{"service", "{" + service + "," + site + R"(,"telefono":"2222"})", "telefono"},
          Case{"service", "{" + service + R"(,"location":{"lon":-90.5,"lat":14.6,"alt":3}})", "location.alt"},
          Case{"service", "{" + service + "," + site + R"(,"contacts":[{"kind":"phone","value":"1","nota":"x"}]})",
               "contacts[0].nota"},
          Case{"service",
               "{" + service + "," + site +
                   R"(,"hours":{"timezone":"America/Guatemala","always_open":true,"holidays":[]}})",
               "hours.holidays"},
          Case{"practice", R"({"title":{"es":"P"},"countries":["GT"],"service_ids":[1]})", "service_ids"},
          Case{"practice", R"({"title":{"es":"P"},"countries":["GT"],"period":{"start":"2019","fin":"2020"}})",
               "period.fin"},
          Case{"actor", R"({"name":{"es":"A"},"actor_type":"NGO","telefono":"1"})", "telefono"}}) {
        INFO(c.body);
        write_file(enlace.file("in.json"), c.body);
        const Run run = enlace("add --kind " + c.kind + " " + shell_quoted(enlace.file("in.json")));
        CHECK(run.code == 1);
        check_one_line_error(run);
        CHECK(run.err.find(c.field + ": is not a field") != std::string::npos);
    }
    // A dataset names its own unknown lists too.
    write_file(enlace.file("dataset.json"), R"({"source":"x","servicios":[]})");
    const Run dataset = enlace("add " + shell_quoted(enlace.file("dataset.json")));
    CHECK(dataset.code == 1);
    CHECK(dataset.err.find("servicios: is not a field") != std::string::npos);

    CHECK(parsed(enlace("list --authorised --limit 10000")) == before);
}
