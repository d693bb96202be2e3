// `enlace backup` from the shell: a copy that holds the same records and passes every check, taken
// while another process writes; refused onto an existing file, onto the registry itself and for a
// user who is not an admin; and never a half file at the destination when it fails. Also `enlace
// purge` (personal contacts out of old versions) as an admin runs it.
#include "cli/cli_shell.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

using namespace enlace::test;

namespace {

namespace fs = std::filesystem;

/// The first three columns of a query's rows on a registry of either store, one line each,
/// separated by tabs ("NULL" for a column the query lacks): what the copy must hold alike.
std::string rows_of(const std::string& location, const std::string& sql) {
    std::string out;
    for (const auto& row : sql_rows(location, sql)) {
        for (std::size_t column = 0; column < 3; ++column)
            out += (column ? "\t" : "") + (column < row.size() ? row[column] : std::string("NULL"));
        out += '\n';
    }
    return out;
}

/// Every record, account and token hash of the registry, and its change log.
std::string digest(const std::string& path) {
    std::string out;
    for (const char* sql :
         {"SELECT id, version, doc FROM services ORDER BY id", "SELECT id, version, doc FROM actors ORDER BY id",
          "SELECT id, version, doc FROM practices ORDER BY id", "SELECT id, name, role FROM users ORDER BY id",
          "SELECT id, user_id, secret_hash FROM tokens ORDER BY id",
          "SELECT id, action, record_id FROM changes ORDER BY id"})
        out += rows_of(path, sql) + "--\n";
    return out;
}

std::int64_t count_of(const std::string& path, const std::string& table) {
    return std::stoll(rows_of(path, "SELECT count(*), 0, 0 FROM " + table).substr(0, 20));
}

/// The names in a folder but the registry's own files and the shell's captures: what a backup
/// left beside its destination.
std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const auto name = entry.path().filename().string();
        if (name.rfind("registry.db", 0) != 0 && name != "stdout.txt" && name != "stderr.txt") names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

void init_demo(Shell& enlace) {
    const Run run = enlace("init --demo");
    INFO(run.err);
    REQUIRE(run.code == 0);
}

} // namespace

TEST_CASE("a backup of the demo registry holds the same records and passes every check", "[cli][backup][sqlite]") {
    ScratchDir dir;
    Shell enlace(dir);
    init_demo(enlace);
    REQUIRE(enlace("user add root --role admin").code == 0); // an account and its token hash
    const std::string copy = dir.file("copy.db");

    const Run made = enlace("backup " + shell_quoted(copy));
    INFO(made.err);
    REQUIRE(made.code == 0);
    const auto services = count_of(enlace.db(), "services");
    REQUIRE(services > 10);
    CHECK(made.out.rfind("backed up " + enlace.db() + " to " + copy + ": ", 0) == 0);
    CHECK(made.out.find(" bytes; " + std::to_string(services) + " services, " +
                        std::to_string(count_of(enlace.db(), "actors")) + " actors, " +
                        std::to_string(count_of(enlace.db(), "practices")) + " practices, 1 users; integrity ok\n") !=
          std::string::npos);
    CHECK(made.out.find(" " + std::to_string(fs::file_size(copy)) + " bytes") != std::string::npos);

    CHECK(digest(copy) == digest(enlace.db()));
    const Run listed = enlace("list --limit 1000");
    const Run listed_copy = enlace.raw("--db " + shell_quoted(copy) + " list --limit 1000");
    REQUIRE(listed_copy.code == 0);
    CHECK(listed_copy.out == listed.out);
    const Run checked = enlace.raw("--db " + shell_quoted(copy) + " check");
    INFO(checked.out << checked.err);
    CHECK(checked.code == 0);

    // One file, readable on its own: no -wal or -shm beside it, and only its owner may read it
    // (it holds restricted records and token hashes).
    CHECK(rows_of(copy, "PRAGMA journal_mode") == "delete\tNULL\tNULL\n");
    CHECK(names_in(dir.path()) == std::vector<std::string>{"copy.db"});
    CHECK((fs::status(copy).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);

    // An admin user may make one too.
    const Run by_admin = enlace("--as root backup " + shell_quoted(dir.file("copy2.db")));
    INFO(by_admin.err);
    CHECK(by_admin.code == 0);
    CHECK(digest(dir.file("copy2.db")) == digest(enlace.db()));
}

TEST_CASE("backup refuses an existing file, the registry itself and users who are not admins",
          "[cli][backup][sqlite]") {
    ScratchDir dir;
    Shell enlace(dir);
    init_demo(enlace);
    const std::string copy = dir.file("copy.db");
    REQUIRE(enlace("backup " + shell_quoted(copy)).code == 0);
    const std::string first = digest(copy);
    write_file(dir.file("one.json"), R"({"name":{"es":"Asesoría"},"types":["LEG.AID"],"country":"GT",)"
                                     R"("location":{"lon":-90.5,"lat":14.6}})");
    REQUIRE(enlace("add " + shell_quoted(dir.file("one.json"))).code == 0);

    const Run exists = enlace("backup " + shell_quoted(copy));
    CHECK(exists.code == 1);
    CHECK(exists.err == "enlace: backup: '" + copy + "' exists: give another file, or --force to replace it\n");
    CHECK(digest(copy) == first);
    const Run forced = enlace("backup --force " + shell_quoted(copy));
    INFO(forced.err);
    CHECK(forced.code == 0);
    CHECK(digest(copy) == digest(enlace.db()));
    CHECK(digest(copy) != first);

    for (const auto& itself : {enlace.db(), dir.file("./registry.db")}) {
        const Run same = enlace("backup --force " + shell_quoted(itself));
        CHECK(same.code == 1);
        CHECK(same.err == "enlace: backup: '" + itself + "' is the registry itself: give another file\n");
    }
    fs::create_symlink(enlace.db(), dir.file("link.db"));
    const Run linked = enlace("backup --force " + shell_quoted(dir.file("link.db")));
    CHECK(linked.code == 1);
    CHECK(linked.err == "enlace: backup: '" + dir.file("link.db") + "' is the registry itself: give another file\n");
    const Run wal = enlace("backup --force " + shell_quoted(enlace.db() + "-wal"));
    CHECK(wal.code == 1);
    CHECK(wal.err ==
          "enlace: backup: '" + enlace.db() + "-wal' is one of the registry's own files: give another file\n");

    REQUIRE(enlace("user add ana --role editor --country GT").code == 0);
    REQUIRE(enlace("user add carla --role compiler").code == 0);
    for (const char* user : {"ana", "carla"}) {
        const Run refused = enlace(std::string("--as ") + user + " backup " + shell_quoted(dir.file("theirs.db")));
        CHECK(refused.code == 1);
        CHECK(refused.err == "enlace: not allowed: only an admin makes a backup: it holds restricted records and the "
                             "accounts' token hashes\n");
    }
    CHECK(enlace("--as nobody backup " + shell_quoted(dir.file("theirs.db"))).code == 1);
    CHECK_FALSE(fs::exists(dir.file("theirs.db")));
    CHECK(enlace("backup").code == 2); // no file

    const Run nowhere = enlace("backup " + shell_quoted(dir.file("missing/copy.db")));
    CHECK(nowhere.code == 1);
    CHECK(nowhere.err ==
          "enlace: backup: cannot create a file in '" + dir.file("missing") + "': No such file or directory\n");
    // Nothing but the files made on purpose: no partial copy was left behind.
    CHECK(names_in(dir.path()) == std::vector<std::string>{"copy.db", "link.db", "one.json"});
}

TEST_CASE("a backup that fails partway (a file size limit) leaves nothing at the destination",
          "[cli][backup][sqlite]") {
    ScratchDir dir;
    Shell enlace(dir);
    init_demo(enlace);
    REQUIRE(fs::file_size(enlace.db()) > 200 * 1024);
    const std::string copy = dir.file("copy.db");
    // 100 blocks of 512 bytes; the signal ignored, writes past it fail with EFBIG instead.
    const Run failed =
        enlace.shell("trap '' XFSZ; ulimit -f 100; " + enlace.command() + " backup " + shell_quoted(copy));
    CHECK(failed.code == 1);
    CHECK(failed.err.rfind("enlace: backup: SQLite: ", 0) == 0);
    check_one_line_error(failed);
    CHECK_FALSE(fs::exists(copy));
    CHECK(names_in(dir.path()).empty());
    CHECK(enlace("backup " + shell_quoted(copy)).code == 0); // without the limit it works
}

TEST_CASE("backups taken while another process adds records are whole snapshots", "[cli][backup][sqlite]") {
    ScratchDir dir;
    Shell enlace(dir);
    init_demo(enlace);
    const auto before = count_of(enlace.db(), "services");
    const int adds = 60;
    for (int i = 0; i < adds; ++i)
        write_file(dir.file("s" + std::to_string(i) + ".json"),
                   R"({"name":{"es":"Servicio )" + std::to_string(i) + R"("},"types":["LEG.AID"],"country":"GT",)" +
                       R"("location":{"lon":)" + std::to_string(-90.5 + i * 0.001) + R"(,"lat":14.6}})");
    // The writer: one `enlace add` a record, each its own commit, then a file to say it finished.
    const std::string done = dir.file("writer.done");
    const Run started = enlace.shell("( for i in $(seq 0 " + std::to_string(adds - 1) + "); do " + enlace.command() +
                                     " add " + shell_quoted(dir.path().string()) + "/s$i.json > /dev/null || exit 1; " +
                                     "done; touch " + shell_quoted(done) + " ) > /dev/null 2>&1 &");
    REQUIRE(started.code == 0);

    std::vector<std::int64_t> counts;
    for (int i = 0; i < 5 && !fs::exists(done); ++i) {
        const std::string copy = dir.file("copy" + std::to_string(i) + ".db");
        const Run made = enlace("backup " + shell_quoted(copy));
        INFO(made.err);
        REQUIRE(made.code == 0);
        const Run checked = enlace.raw("--db " + shell_quoted(copy) + " check");
        INFO(checked.out << checked.err);
        CHECK(checked.code == 0);
        counts.push_back(count_of(copy, "services"));
        CHECK(rows_of(copy, "PRAGMA integrity_check") == "ok\tNULL\tNULL\n");
    }
    const bool overlapped = !fs::exists(done);
    for (int i = 0; i < 400 && !fs::exists(done); ++i)
        enlace.shell("sleep 0.05");
    REQUIRE(fs::exists(done));
    REQUIRE(count_of(enlace.db(), "services") == before + adds);
    // Each copy is the registry at one moment of the writes: the records written before it, all
    // of them whole, and in order.
    REQUIRE(counts.size() >= 2);
    CHECK(overlapped);
    CHECK(counts.front() >= before);
    CHECK(counts.back() > counts.front());
    CHECK(std::is_sorted(counts.begin(), counts.end()));
    CHECK(counts.back() <= before + adds);
}

TEST_CASE("enlace purge: admins only, a span of days, a dry run that changes nothing", "[cli][purge]") {
    ScratchDir dir;
    Shell enlace(dir);
    REQUIRE(enlace("init --demo").code == 0);
    REQUIRE(enlace("user add ana --role compiler").code == 0);
    const Run bad = enlace("purge --older-than soon");
    CHECK(bad.code == 2);
    CHECK(bad.err.find("--older-than 'soon'") != std::string::npos);
    CHECK(enlace("purge").code == 2); // the span is required
    const Run refused = enlace("--as ana purge --older-than 365d");
    CHECK(refused.code == 1);
    CHECK(refused.err.find("only an admin purges history") != std::string::npos);
    const Run dry = enlace("purge --older-than 365d --dry-run");
    INFO(dry.err);
    REQUIRE(dry.code == 0);
    CHECK(parsed(dry)["dry_run"] == true);
    CHECK(parsed(dry)["versions_purged"] == 0); // a fresh registry has no old versions
    const Run done = enlace("purge --older-than 1d");
    REQUIRE(done.code == 0);
    CHECK(parsed(done)["cutoff"].get<std::string>().size() == 20);
    const Run audit = enlace("audit");
    CHECK(audit.out.find("purge") != std::string::npos);
}

TEST_CASE("enlace copy moves the demo registry into a new file exactly, and refuses a file that exists",
          "[cli][copy]") {
    ScratchDir dir;
    Shell enlace(dir);
    init_demo(enlace);
    REQUIRE(enlace("user add root --role admin").code == 0);
    REQUIRE(enlace("user add ed --role editor --country GT").code == 0);
    const std::string copy = dir.file("copy.db");

    const Run made = enlace.raw("copy --from " + shell_quoted(enlace.db()) + " --to " + shell_quoted(copy));
    INFO(made.err);
    REQUIRE(made.code == 0);
    CHECK(made.out.rfind("copied " + enlace.db() + " to " + copy + ": ", 0) == 0);
    CHECK(digest(copy) == digest(enlace.db()));
    const Run ours = enlace("digest --format json");
    const Run theirs = enlace.raw("--db " + shell_quoted(copy) + " digest --format json");
    REQUIRE(theirs.code == 0);
    CHECK(parsed(theirs) == parsed(ours));
    CHECK(made.out.find("digest " + parsed(ours)["sha256"].get<std::string>()) != std::string::npos);
    CHECK((fs::status(copy).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
    CHECK(enlace.raw("--db " + shell_quoted(copy) + " check").code == 0);

    const Run again = enlace("copy --to " + shell_quoted(copy));
    CHECK(again.code == 1);
    check_one_line_error(again);
    CHECK(again.err.find("exists") != std::string::npos);
    const Run by_editor = enlace("--as ed copy --to " + shell_quoted(dir.file("other.db")));
    CHECK(by_editor.code != 0);
    CHECK(by_editor.err.find("only an admin") != std::string::npos);
    CHECK_FALSE(fs::exists(dir.file("other.db")));
}
