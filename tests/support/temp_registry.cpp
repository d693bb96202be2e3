#include "support/temp_registry.hpp"

#include "enlace/data/embedded.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <unistd.h>

namespace enlace::test {

ScratchDir::ScratchDir() {
    static std::atomic<int> counter{0};
    m_path = std::filesystem::path(ENLACE_TEST_SCRATCH) /
             ("t" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(m_path);
    std::filesystem::create_directories(m_path);
}

namespace {

/// The test cluster's base URI, or "" when the tests run on SQLite files.
const std::string& postgres_base() {
    static const std::string base = [] {
        const char* value = std::getenv("ENLACE_TEST_POSTGRES");
        return std::string(value ? value : "");
    }();
    return base;
}

using Rows = std::vector<std::vector<std::string>>;

/// Runs SQL on a PostgreSQL database; throws with the server's message.
Rows postgres_rows(const std::string& uri, const std::string& sql) {
    std::unique_ptr<PGconn, void (*)(PGconn*)> conn(PQconnectdb(uri.c_str()), &PQfinish);
    if (PQstatus(conn.get()) != CONNECTION_OK) throw std::runtime_error(uri + ": " + PQerrorMessage(conn.get()));
    std::unique_ptr<PGresult, void (*)(PGresult*)> result(PQexec(conn.get(), sql.c_str()), &PQclear);
    const auto status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        throw std::runtime_error(sql + ": " + PQerrorMessage(conn.get()));
    Rows rows(static_cast<std::size_t>(PQntuples(result.get())));
    for (int r = 0; r < PQntuples(result.get()); ++r)
        for (int c = 0; c < PQnfields(result.get()); ++c)
            rows[static_cast<std::size_t>(r)].emplace_back(PQgetvalue(result.get(), r, c));
    return rows;
}

/// Runs SQL on a SQLite file; throws with SQLite's message.
Rows sqlite_rows(const std::string& path, const std::string& sql) {
    sqlite3* raw = nullptr;
    const int opened = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, &sqlite3_close);
    if (opened != SQLITE_OK) throw std::runtime_error(path + ": " + sqlite3_errmsg(raw));
    sqlite3_busy_timeout(raw, 5000);
    Rows rows;
    const char* rest = sql.c_str();
    while (rest && *rest) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(raw, rest, -1, &stmt, &rest) != SQLITE_OK)
            throw std::runtime_error(sql + ": " + sqlite3_errmsg(raw));
        if (!stmt) break; // only whitespace or a comment left
        std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> owned(stmt, &sqlite3_finalize);
        int rc = 0;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            auto& row = rows.emplace_back();
            for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
                const auto* text = sqlite3_column_text(stmt, c);
                row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
            }
        }
        if (rc != SQLITE_DONE) throw std::runtime_error(sql + ": " + sqlite3_errmsg(raw));
    }
    return rows;
}

/// Runs one statement on the cluster's maintenance database.
void on_cluster(const std::string& sql) { postgres_rows(postgres_base(), sql); }

/// The database of one registry of a folder: its name made of the folder's and the registry's,
/// in the characters an unquoted identifier allows.
std::string database_name(const std::filesystem::path& dir, const std::string& name) {
    std::string out = "enlace_" + dir.filename().string() + "__" + name;
    for (auto& c : out)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// The URI of database `db` on the test cluster (the base URI names the maintenance database).
std::string database_uri(const std::string& db) {
    const auto& base = postgres_base();
    const auto query = base.find('?');
    const auto path = base.rfind('/', query);
    return base.substr(0, path + 1) + db + (query == std::string::npos ? "" : base.substr(query));
}

} // namespace

bool on_postgres() { return !postgres_base().empty(); }

Rows sql_rows(const std::string& location, const std::string& sql) {
    const bool uri = location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
    return uri ? postgres_rows(location, sql) : sqlite_rows(location, sql);
}

std::string stored_bytes(const std::string& location) {
    const auto read = [](const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        return std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    };
    if (location.rfind("postgres", 0) != 0) return read(location) + read(location + "-wal");
    // The URI is ours (database_uri), never a user's: quoting it for the shell is enough.
    std::unique_ptr<FILE, int (*)(FILE*)> dump(::popen(("pg_dump --no-owner '" + location + "'").c_str(), "r"),
                                               &::pclose);
    if (!dump) throw std::runtime_error("cannot run pg_dump");
    std::string out;
    char buffer[65536];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, dump.get())) > 0;)
        out.append(buffer, n);
    if (out.empty()) throw std::runtime_error("pg_dump of " + location + " printed nothing");
    return out;
}

void set_database_reachable(const std::string& location, bool reachable) {
    const auto query = location.find('?');
    const auto slash = location.rfind('/', query);
    const auto name = location.substr(slash + 1, query == std::string::npos ? std::string::npos : query - slash - 1);
    on_cluster("ALTER DATABASE " + name + " ALLOW_CONNECTIONS " + (reachable ? "true" : "false"));
    // Waits (at most 5 s each) until the backends are gone, so that the next statement meets a
    // closed connection rather than racing the termination.
    if (!reachable)
        on_cluster("SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE datname = '" + name +
                   "'");
}

std::vector<std::string> column_names(const std::string& location, const std::string& table) {
    const bool postgres = location.rfind("postgres", 0) == 0;
    // The table name is the test's own literal, never input.
    const auto rows =
        sql_rows(location, postgres ? "SELECT column_name FROM information_schema.columns WHERE table_name = '" +
                                          table + "' ORDER BY ordinal_position"
                                    : "SELECT name FROM pragma_table_info('" + table + "') ORDER BY cid");
    std::vector<std::string> out;
    for (const auto& row : rows)
        out.push_back(row.at(0));
    return out;
}

void run_sql(const std::string& location, const std::string& sql) { sql_rows(location, sql); }

std::string sql_value(const std::string& location, const std::string& sql) {
    const auto rows = sql_rows(location, sql);
    if (rows.size() != 1 || rows[0].size() != 1) throw std::runtime_error(sql + ": not one value");
    return rows[0][0];
}

std::string ScratchDir::registry(const std::string& name) const {
    if (!on_postgres()) return file(name);
    const auto db = database_name(m_path, name);
    // Once per registry of the folder: a marker file beside the folder's other files remembers it.
    const auto marker = m_path / (".pg-" + db);
    if (!std::filesystem::exists(marker)) {
        // PostGIS comes from the template the cluster script made, which is far faster than
        // creating the extension in every database.
        on_cluster("CREATE DATABASE " + db + " TEMPLATE enlace_template");
        std::ofstream(marker).put('\n');
    }
    return database_uri(db);
}

ScratchDir::~ScratchDir() {
    std::error_code ignored;
    if (on_postgres())
        for (const auto& entry : std::filesystem::directory_iterator(m_path, ignored)) {
            const auto leaf = entry.path().filename().string();
            if (leaf.rfind(".pg-", 0) != 0) continue;
            try {
                on_cluster("DROP DATABASE IF EXISTS " + leaf.substr(4) + " WITH (FORCE)");
            } catch (const std::exception&) {
                // A database left behind goes with the cluster at the end of the run.
            }
        }
    std::filesystem::remove_all(m_path, ignored);
}

const core::ReferenceData& reference() {
    static const core::ReferenceData data = core::ReferenceData::from_json(
        *data::embedded("taxonomy.json"), *data::embedded("countries.json"), *data::embedded("boundaries.geojson"));
    return data;
}

core::Registry make_registry(const ScratchDir& dir, const std::string& name) {
    auto registry = core::Registry::open(dir.registry(name), core::Registry::mode::create);
    registry.load_reference(reference());
    return registry;
}

std::string test_data(const std::string& name) {
    const std::string path = std::string(ENLACE_TEST_DATA) + "/" + name;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read test data " + path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

core::Service service_at(double lon, double lat, const std::string& country, const std::string& type,
                         const std::string& name) {
    core::Service s;
    s.name = {{"es", name}};
    s.types = {type};
    s.country = country;
    s.site = core::Site{{lon, lat}, core::LocationPrecision::exact};
    return s;
}

core::Caller user_caller(const std::string& name, core::Role role, std::vector<std::string> countries) {
    core::Caller c;
    c.kind = core::Caller::Kind::user;
    c.user_id = static_cast<std::int64_t>(std::hash<std::string>{}(name) % 1000);
    c.name = name;
    c.role = role;
    c.countries = std::move(countries);
    return c;
}

} // namespace enlace::test
