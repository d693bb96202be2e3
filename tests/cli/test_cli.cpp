// The `enlace` command as a user runs it: the real binary, its exit codes (0 ok, 1 error,
// 2 usage), one-line errors on stderr, and JSON on stdout.
#include "cli/cli_shell.hpp"
#include "support/temp_registry.hpp"

#include "enlace/core/geodesy.hpp"
#include "enlace/data/embedded.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

using enlace::test::ScratchDir;
using nlohmann::json;

namespace {

using namespace enlace::test;

void init_demo(Shell& enlace) {
    const Run run = enlace("init --demo");
    INFO("stderr: " << run.err);
    REQUIRE(run.code == 0);
}

std::vector<std::int64_t> ids_of(const json& page) {
    std::vector<std::int64_t> ids;
    for (const auto& item : page["items"])
        ids.push_back(item["id"].get<std::int64_t>());
    return ids;
}

bool has_type_in_family(const json& item, const std::string& family) {
    for (const auto& t : item["types"]) {
        const auto code = t.get<std::string>();
        if (code == family || code.rfind(family + ".", 0) == 0) return true;
    }
    return false;
}

json demo_dataset() {
    const auto bytes = enlace::data::embedded("demo.json");
    REQUIRE(bytes.has_value());
    return json::parse(*bytes);
}

} // namespace

TEST_CASE("--help and <command> --help exit 0 and describe the flags", "[cli]") {
    ScratchDir dir;
    Shell enlace(dir);

    const Run top = enlace.raw("--help");
    CHECK(top.code == 0);
    for (const char* word : {"--db", "init", "add", "show", "list", "near", "stats"}) {
        INFO(word << " in: " << top.out);
        CHECK(top.out.find(word) != std::string::npos);
    }
    const std::map<std::string, std::vector<std::string>> flags{
        {"near", {"--lat", "--lon", "--radius-km", "-k", "--type", "--country", "--open-at", "--authorised"}},
        {"list", {"--kind", "--limit", "--cursor", "--bbox", "--axis", "--year", "--country", "--type", "-q"}},
        {"init", {"--demo"}},
        {"add", {"--kind"}},
        {"show", {"--kind", "--authorised"}},
        {"stats", {"--authorised"}},
    };
    for (const auto& [command, expected] : flags) {
        const Run help = enlace.raw(command + " --help");
        INFO(command << " --help: " << help.out << help.err);
        CHECK(help.code == 0);
        for (const auto& flag : expected) {
            INFO("flag " << flag);
            CHECK(help.out.find(flag) != std::string::npos);
        }
    }
    // Help does not need (or create) a registry.
    CHECK_FALSE(std::filesystem::exists(enlace.db()));
}

TEST_CASE("usage errors exit 2 with a one-line message", "[cli]") {
    ScratchDir dir;
    Shell enlace(dir);
    init_demo(enlace);
    for (const std::string args : {"", "list --frobnicate", "frobnicate", "near --lat 14.9", "list --limit many",
                                   "list --kind nonsense", "near --lat 14.9 --lon -92.26 -k 0"}) {
        INFO("enlace " << args);
        const Run run = enlace(args);
        CHECK(run.code == 2);
        check_one_line_error(run);
        CHECK(run.out.empty());
    }
}

TEST_CASE("init --demo is idempotent", "[cli][init]") {
    ScratchDir dir;
    Shell enlace(dir);
    const std::regex summary(R"(demo records: (\d+) created, (\d+) updated, (\d+) unchanged)");

    const Run first = enlace("init --demo");
    REQUIRE(first.code == 0);
    std::smatch m1;
    REQUIRE(std::regex_search(first.out, m1, summary));
    const int created = std::stoi(m1[1]);
    const json demo = demo_dataset();
    CHECK(created == static_cast<int>(demo["actors"].size() + demo["services"].size() + demo["practices"].size()));

    const Run second = enlace("init --demo");
    REQUIRE(second.code == 0);
    std::smatch m2;
    REQUIRE(std::regex_search(second.out, m2, summary));
    CHECK(std::stoi(m2[1]) == 0);
    CHECK(std::stoi(m2[2]) == 0);
    CHECK(std::stoi(m2[3]) == created);
    CHECK(second.out.find("0 created") != std::string::npos);

    // init without --demo on an existing registry keeps the records.
    REQUIRE(enlace("init").code == 0);
    const json all = parsed(enlace("list --limit 10000"));
    CHECK_FALSE(all["items"].empty());
}

TEST_CASE("near sorts by distance and accepts negative values either way", "[cli][near]") {
    ScratchDir dir;
    Shell enlace(dir);
    init_demo(enlace);
    const enlace::core::GeoPoint from{-92.26, 14.9};

    const json spaced = parsed(enlace("near --lat 14.9 --lon -92.26 -k 3"));
    const json joined = parsed(enlace("near --lat 14.9 --lon=-92.26 -k 3"));
    const json both = parsed(enlace("near --lat=14.9 --lon=-92.26 -k 3"));
    REQUIRE(spaced["items"].size() == 3);
    CHECK(ids_of(joined) == ids_of(spaced));
    CHECK(ids_of(both) == ids_of(spaced));

    double previous = -1;
    for (const auto& item : spaced["items"]) {
        REQUIRE(item.contains("distance_m"));
        const double d = item["distance_m"].get<double>();
        CHECK(d >= previous);
        previous = d;
        // The distance is the great-circle distance to the point the item shows.
        const enlace::core::GeoPoint shown{item["location"]["lon"].get<double>(),
                                           item["location"]["lat"].get<double>()};
        CHECK(d == Approx(enlace::core::geodesy::distance_m(from, shown)).margin(1.0));
    }

    // They are the three nearest of all the public services with a site.
    const json all = parsed(enlace("list --limit 10000"));
    std::vector<std::pair<double, std::int64_t>> by_distance;
    for (const auto& item : all["items"]) {
        if (item["location"].is_null()) continue;
        const enlace::core::GeoPoint p{item["location"]["lon"].get<double>(), item["location"]["lat"].get<double>()};
        by_distance.emplace_back(enlace::core::geodesy::distance_m(from, p), item["id"].get<std::int64_t>());
    }
    std::sort(by_distance.begin(), by_distance.end());
    REQUIRE(by_distance.size() > 3);
    CHECK(ids_of(spaced) ==
          std::vector<std::int64_t>{by_distance[0].second, by_distance[1].second, by_distance[2].second});
}

TEST_CASE("near --type REC returns only reception services", "[cli][near]") {
    ScratchDir dir;
    Shell enlace(dir);
    init_demo(enlace);
    const json page = parsed(enlace("near --lat 14.9 --lon -92.26 -k 8 --type REC"));
    REQUIRE_FALSE(page["items"].empty());
    for (const auto& item : page["items"]) {
        INFO(item["types"].dump());
        CHECK(has_type_in_family(item, "REC"));
    }
    // And the nearest non-REC service is left out.
    const json any = parsed(enlace("near --lat 14.9 --lon -92.26 -k 8"));
    bool some_other = false;
    for (const auto& item : any["items"])
        some_other |= !has_type_in_family(item, "REC");
    CHECK(some_other);
}

TEST_CASE("list --country SV lists only El Salvador", "[cli][list]") {
    ScratchDir dir;
    Shell enlace(dir);
    init_demo(enlace);
    const json page = parsed(enlace("list --country SV --limit 10000"));
    REQUIRE_FALSE(page["items"].empty());
    for (const auto& item : page["items"]) {
        INFO(item.dump());
        // A service with a site is in SV; one without a site serves SV.
        const bool in_sv = item["country"] == "SV";
        const bool serves_sv =
            item["location"].is_null() && item.contains("service_area") && item["service_area"].contains("countries") &&
            std::count(item["service_area"]["countries"].begin(), item["service_area"]["countries"].end(), "SV") > 0;
        CHECK((in_sv || serves_sv));
    }
    const json all = parsed(enlace("list --limit 10000"));
    std::size_t sited_in_sv = 0, listed_sited_in_sv = 0;
    for (const auto& item : all["items"])
        sited_in_sv += item["country"] == "SV";
    for (const auto& item : page["items"])
        listed_sited_in_sv += item["country"] == "SV";
    CHECK(listed_sited_in_sv == sited_in_sv);
    CHECK(page["items"].size() < all["items"].size());
}

TEST_CASE("list pages with --limit and --cursor", "[cli][list]") {
    ScratchDir dir;
    Shell enlace(dir);
    init_demo(enlace);
    const json all = parsed(enlace("list --limit 10000"));
    REQUIRE(all["items"].size() > 4);
    CHECK(all["next_cursor"].is_null());

    const json first = parsed(enlace("list --limit 2"));
    REQUIRE(first["items"].size() == 2);
    REQUIRE(first["next_cursor"].is_string());

    std::vector<std::int64_t> seen = ids_of(first);
    std::string cursor = first["next_cursor"].get<std::string>();
    for (int guard = 0; !cursor.empty() && guard < 100; ++guard) {
        const json page = parsed(enlace("list --limit 2 --cursor " + shell_quoted(cursor)));
        const auto ids = ids_of(page);
        REQUIRE_FALSE(ids.empty());
        CHECK(ids.size() <= 2);
        seen.insert(seen.end(), ids.begin(), ids.end());
        cursor = page["next_cursor"].is_string() ? page["next_cursor"].get<std::string>() : std::string();
    }
    CHECK(cursor.empty());
    const std::set<std::int64_t> unique(seen.begin(), seen.end());
    CHECK(unique.size() == seen.size()); // no repeats
    CHECK(seen == ids_of(all));          // nothing skipped, same order

    const Run bad = enlace("list --limit 2 --cursor not-a-cursor");
    CHECK(bad.code == 2);
    check_one_line_error(bad);
}

TEST_CASE("show prints JSON that add accepts", "[cli][records]") {
    ScratchDir dir;
    Shell enlace(dir);
    init_demo(enlace);

    const json shelters = parsed(enlace("list --authorised --type REC.SHORTSTAY --limit 1"));
    REQUIRE(shelters["items"].size() == 1);
    const auto shelter = shelters["items"][0]["id"].get<std::int64_t>();
    const json authorities = parsed(enlace("list --type PRO.AUTHORITY --limit 1"));
    REQUIRE(authorities["items"].size() == 1);
    const auto authority = authorities["items"][0]["id"].get<std::int64_t>();

    SECTION("show --authorised ID | add: unchanged, for a sensitive site too") {
        for (const auto id : {shelter, authority}) {
            INFO("id " << id);
            const Run run = enlace.shell(enlace.command() + " show --authorised " + std::to_string(id) + " | " +
                                         enlace.command() + " add -");
            const json result = parsed(run);
            CHECK(result["outcome"] == "unchanged");
            CHECK(result["id"] == id);
        }
    }
    SECTION("through a file, the public view of an ordinary service round-trips too") {
        const Run shown = enlace("show " + std::to_string(authority));
        REQUIRE(shown.code == 0);
        write_file(enlace.file("authority.json"), shown.out);
        const json result = parsed(enlace("add " + shell_quoted(enlace.file("authority.json"))));
        CHECK(result["outcome"] == "unchanged");
    }
    SECTION("the public view of a sensitive site is coarsened and cannot be written back") {
        const json pub = parsed(enlace("show " + std::to_string(shelter)));
        CHECK(pub["location"]["coarsened"] == true);
        const json exact = parsed(enlace("show --authorised " + std::to_string(shelter)));
        CHECK(pub["location"]["lon"] != exact["location"]["lon"]);
        write_file(enlace.file("public.json"), pub.dump());
        const Run refused = enlace("add " + shell_quoted(enlace.file("public.json")));
        CHECK(refused.code == 1);
        check_one_line_error(refused);
        CHECK(parsed(enlace("show --authorised " + std::to_string(shelter))) == exact);
    }
}

TEST_CASE("add refuses an invalid record and leaves the registry unchanged", "[cli][records]") {
    ScratchDir dir;
    Shell enlace(dir);
    init_demo(enlace);
    const json before = parsed(enlace("list --authorised --limit 10000"));
    const auto id = before["items"][0]["id"].get<std::int64_t>();
    const json original = parsed(enlace("show --authorised " + std::to_string(id)));

    SECTION("a new record with latitude 91") {
        json record = original;
        record.erase("id");
        record["source_id"] = "brand-new";
        record["location"]["lat"] = 91;
        write_file(enlace.file("bad.json"), record.dump());
        const Run run = enlace("add " + shell_quoted(enlace.file("bad.json")));
        CHECK(run.code == 1);
        check_one_line_error(run);
        CHECK(run.err.find("location.lat") != std::string::npos);
    }
    SECTION("an update with latitude 91, from standard input") {
        json record = original;
        record["location"]["lat"] = 91;
        record["name"]["es"] = "Nombre que no debe quedar";
        write_file(enlace.file("bad.json"), record.dump());
        const Run run = enlace("add -", enlace.file("bad.json"));
        CHECK(run.code == 1);
        check_one_line_error(run);
        CHECK(run.err.find("location.lat") != std::string::npos);
    }
    SECTION("an array with one bad record among good ones") {
        json good = original;
        good.erase("id");
        good["source_id"] = "good-new";
        json bad = good;
        bad["source_id"] = "bad-new";
        bad["location"]["lat"] = 91;
        write_file(enlace.file("batch.json"), json::array({good, bad}).dump());
        const Run run = enlace("add " + shell_quoted(enlace.file("batch.json")));
        CHECK(run.code == 1);
        check_one_line_error(run);
        CHECK(run.err.find("location.lat") != std::string::npos);
    }
    CHECK(parsed(enlace("list --authorised --limit 10000")) == before);
    CHECK(parsed(enlace("show --authorised " + std::to_string(id))) == original);
}

TEST_CASE("errors at run time exit 1", "[cli]") {
    ScratchDir dir;
    Shell enlace(dir);

    SECTION("a registry that does not exist: run enlace init") {
        const std::string missing = enlace.file("missing.db");
        const Run run = enlace.raw("--db " + shell_quoted(missing) + " list");
        CHECK(run.code == 1);
        check_one_line_error(run);
        CHECK(run.err.find("enlace init") != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(missing));
    }
    SECTION("a file that is not a registry is reported and left alone") {
        const std::string notes = enlace.file("notes.db");
        const std::string text = "these are not the records you are looking for\n";
        write_file(notes, text);
        for (const char* command : {" list", " init"}) {
            INFO(command);
            const Run run = enlace.raw("--db " + shell_quoted(notes) + command);
            CHECK(run.code == 1);
            check_one_line_error(run);
        }
        CHECK(slurp(notes) == text);
    }
    SECTION("a record that does not exist") {
        init_demo(enlace);
        const Run run = enlace("show 999999");
        CHECK(run.code == 1);
        check_one_line_error(run);
        CHECK(run.out.empty());
    }
}

TEST_CASE("a bad --bbox exits 2 and names --bbox", "[cli][list]") {
    ScratchDir dir;
    Shell enlace(dir);
    init_demo(enlace);
    for (const std::string bbox : {"1,2,3", "a,b,c,d", "-90,14,-89,13,5"}) {
        INFO("--bbox " << bbox);
        const Run run = enlace("list --bbox=" + shell_quoted(bbox));
        CHECK(run.code == 2);
        check_one_line_error(run);
        CHECK(run.err.find("--bbox") != std::string::npos);
    }
    // Four numbers with south > north are refused by the core, which names the bbox too.
    const Run inverted = enlace("list --bbox=-90,15,-89,14");
    CHECK(inverted.code == 2);
    check_one_line_error(inverted);
    CHECK(inverted.err.find("bbox") != std::string::npos);
    // A good box works.
    const json sv = parsed(enlace("list --bbox=-90.3,13.0,-87.5,14.6 --limit 10000"));
    REQUIRE_FALSE(sv["items"].empty());
    for (const auto& item : sv["items"]) {
        CHECK(item["location"]["lon"].get<double>() >= -90.3);
        CHECK(item["location"]["lon"].get<double>() <= -87.5);
    }
}

TEST_CASE("stats prints counts by country and service type", "[cli][stats]") {
    ScratchDir dir;
    Shell enlace(dir);
    init_demo(enlace);
    const json stats = parsed(enlace("stats"));
    REQUIRE(stats["cells"].is_array());
    REQUIRE_FALSE(stats["cells"].empty());
    std::map<std::pair<std::string, std::string>, std::int64_t> cells;
    for (const auto& cell : stats["cells"]) {
        REQUIRE(cell["country"].is_string());
        REQUIRE(cell["type"].is_string());
        REQUIRE(cell["services"].is_number_integer());
        CHECK(cell["services"].get<std::int64_t>() > 0);
        cells[{cell["country"].get<std::string>(), cell["type"].get<std::string>()}] =
            cell["services"].get<std::int64_t>();
    }
    // The counts agree with what list finds, for a leaf type and for a family.
    for (const auto& [country, type] :
         {std::pair<std::string, std::string>{"SV", "PRO.AUTHORITY"}, {"MX", "REC"}, {"GT", "REC.RETURN"}}) {
        INFO(country << " " << type);
        const json page = parsed(enlace("list --country " + country + " --type " + type + " --limit 10000"));
        std::int64_t listed = 0;
        for (const auto& item : page["items"])
            listed += item["country"] == country;
        REQUIRE(listed > 0);
        CHECK(cells[{country, type}] == listed);
    }
}

TEST_CASE("list --kind practice --axis filters practices by RCM axis", "[cli][practices]") {
    ScratchDir dir;
    Shell enlace(dir);
    init_demo(enlace);
    const json demo = demo_dataset();
    for (const int axis : {3, 5}) {
        INFO("axis " << axis);
        std::size_t expected = 0;
        for (const auto& p : demo["practices"])
            expected += std::count(p["axes"].begin(), p["axes"].end(), axis) > 0;
        const json page = parsed(enlace("list --kind practice --axis " + std::to_string(axis) + " --limit 10000"));
        CHECK(page["items"].size() == expected);
        for (const auto& item : page["items"]) {
            CHECK(std::count(item["axes"].begin(), item["axes"].end(), axis) == 1);
            CHECK(item["review_status"] == "published");
        }
    }
    const Run bad = enlace("list --kind practice --axis 9");
    CHECK(bad.code == 2);
    check_one_line_error(bad);
}
