// Users, tokens and the security log in SQLite. A user's countries are kept comma-joined (a few
// alpha-2 codes, only ever read whole).
#include "sqlite_store.hpp"

#include "enlace/core/query.hpp"

namespace enlace::core::detail {
namespace {

User user_of(const sqlite::Statement& stmt) {
    User u;
    u.id = stmt.column_int(0);
    u.name = stmt.column_text(1);
    u.role = parse_role(stmt.column_text(2)).value_or(Role::viewer);
    u.countries = split_list(stmt.column_text(3), true);
    u.disabled = stmt.column_int(4) != 0;
    u.created_at = stmt.column_text(5);
    return u;
}

constexpr const char* user_columns = "id, name, role, countries, disabled, created_at";

} // namespace

std::optional<User> SqliteStore::find_user(const std::string& name) {
    auto& stmt = prepare(std::string("SELECT ") + user_columns + " FROM users WHERE name = ?");
    stmt.bind(1, name);
    if (!stmt.step()) return std::nullopt;
    auto u = user_of(stmt);
    stmt.reset();
    return u;
}

std::optional<User> SqliteStore::find_user(std::int64_t id) {
    auto& stmt = prepare(std::string("SELECT ") + user_columns + " FROM users WHERE id = ?");
    stmt.bind(1, id);
    if (!stmt.step()) return std::nullopt;
    auto u = user_of(stmt);
    stmt.reset();
    return u;
}

std::vector<User> SqliteStore::users(const std::string& now) {
    auto& stmt =
        prepare("SELECT u.id, u.name, u.role, u.countries, u.disabled, u.created_at, "
                "(SELECT count(*) FROM tokens t WHERE t.user_id = u.id AND NOT t.revoked AND t.expires_at > ?), "
                "(SELECT max(last_used_at) FROM tokens t WHERE t.user_id = u.id) FROM users u ORDER BY u.name");
    stmt.bind(1, now);
    std::vector<User> out;
    while (stmt.step()) {
        out.push_back(user_of(stmt));
        out.back().active_tokens = static_cast<int>(stmt.column_int(6));
        out.back().last_used_at = stmt.column_text(7);
    }
    stmt.reset();
    return out;
}

std::int64_t SqliteStore::insert_user(const User& u) {
    auto& stmt = prepare("INSERT INTO users (name, role, countries, disabled, created_at) VALUES (?, ?, ?, ?, ?)");
    stmt.bind(1, u.name)
        .bind(2, to_string(u.role))
        .bind(3, join_list(u.countries))
        .bind(4, u.disabled ? 1 : 0)
        .bind(5, u.created_at);
    stmt.run();
    return m_db.last_insert_rowid();
}

void SqliteStore::set_user_disabled(std::int64_t id, bool disabled) {
    auto& stmt = prepare("UPDATE users SET disabled = ? WHERE id = ?");
    stmt.bind(1, disabled ? 1 : 0).bind(2, id);
    stmt.run();
}

std::int64_t SqliteStore::insert_token(const StoredToken& t) {
    auto& stmt = prepare("INSERT INTO tokens (user_id, secret_hash, created_at, expires_at) VALUES (?, ?, ?, ?)");
    stmt.bind(1, t.user_id).bind(2, t.secret_hash).bind(3, t.created_at).bind(4, t.expires_at);
    stmt.run();
    return m_db.last_insert_rowid();
}

std::optional<StoredToken> SqliteStore::find_token(std::int64_t id) {
    auto& stmt = prepare("SELECT id, user_id, secret_hash, created_at, expires_at, COALESCE(last_used_at, ''), revoked "
                         "FROM tokens WHERE id = ?");
    stmt.bind(1, id);
    if (!stmt.step()) return std::nullopt;
    StoredToken t{stmt.column_int(0),  stmt.column_int(1),  stmt.column_text(2),    stmt.column_text(3),
                  stmt.column_text(4), stmt.column_text(5), stmt.column_int(6) != 0};
    stmt.reset();
    return t;
}

void SqliteStore::set_token_used(std::int64_t id, const std::string& at) {
    auto& stmt = prepare("UPDATE tokens SET last_used_at = ? WHERE id = ?");
    stmt.bind(1, at).bind(2, id);
    stmt.run();
}

int SqliteStore::revoke_tokens(std::int64_t user_id) {
    auto& stmt = prepare("UPDATE tokens SET revoked = 1 WHERE user_id = ? AND NOT revoked");
    stmt.bind(1, user_id);
    stmt.run();
    return m_db.changes();
}

void SqliteStore::append_security(const SecurityEvent& e) {
    auto& stmt = prepare("INSERT INTO security_log (at, who, action, subject, detail) VALUES (?, ?, ?, ?, ?)");
    stmt.bind(1, e.at).bind(2, e.who).bind(3, e.action).bind(4, e.subject).bind(5, e.detail);
    stmt.run();
}

std::vector<SecurityEvent> SqliteStore::security_events(std::int64_t after_id, int limit) {
    auto& stmt =
        prepare("SELECT id, at, who, action, subject, detail FROM security_log WHERE id > ? ORDER BY id LIMIT ?");
    stmt.bind(1, after_id).bind(2, limit);
    std::vector<SecurityEvent> out;
    while (stmt.step())
        out.push_back({stmt.column_int(0), stmt.column_text(1), stmt.column_text(2), stmt.column_text(3),
                       stmt.column_text(4), stmt.column_text(5)});
    stmt.reset();
    return out;
}

} // namespace enlace::core::detail
