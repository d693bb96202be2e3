// Users, tokens and the security log in PostgreSQL. A user's countries are kept comma-joined (a
// few alpha-2 codes, only ever read whole), as in the SQLite store.
#include "postgres_store.hpp"

#include "enlace/core/query.hpp"

namespace enlace::core::detail {
namespace {

User user_of(const pg::Result& r, int i) {
    User u;
    u.id = r.integer(i, 0);
    u.name = r.text(i, 1);
    u.role = parse_role(r.text(i, 2)).value_or(Role::viewer);
    u.countries = split_list(r.text(i, 3), true);
    u.disabled = r.boolean(i, 4);
    u.created_at = r.text(i, 5);
    return u;
}

constexpr const char* user_select = "SELECT id, name, role, countries, disabled, created_at FROM users WHERE ";

} // namespace

std::optional<User> PostgresStore::find_user(const std::string& name) {
    pg::Params p;
    const auto r = run(std::string(user_select) + "name = " + p.add(name), p);
    if (r.empty()) return std::nullopt;
    return user_of(r, 0);
}

std::optional<User> PostgresStore::find_user(std::int64_t id) {
    pg::Params p;
    const auto r = run(std::string(user_select) + "id = " + p.add(id), p);
    if (r.empty()) return std::nullopt;
    return user_of(r, 0);
}

std::vector<User> PostgresStore::users(const std::string& now) {
    pg::Params p;
    const auto r = run("SELECT u.id, u.name, u.role, u.countries, u.disabled, u.created_at, "
                       "(SELECT count(*) FROM tokens t WHERE t.user_id = u.id AND NOT t.revoked AND t.expires_at > " +
                           p.add(now) +
                           "), (SELECT COALESCE(max(last_used_at), '') FROM tokens t WHERE t.user_id = u.id) "
                           "FROM users u ORDER BY u.name",
                       p);
    std::vector<User> out;
    for (int i = 0; i < r.rows(); ++i) {
        out.push_back(user_of(r, i));
        out.back().active_tokens = static_cast<int>(r.integer(i, 6));
        out.back().last_used_at = r.text(i, 7);
    }
    return out;
}

std::int64_t PostgresStore::insert_user(const User& u) {
    pg::Params p;
    const std::string values = p.add(u.name) + ", " + p.add(to_string(u.role)) + ", " + p.add(join_list(u.countries)) +
                               ", " + p.add(u.disabled) + "::boolean, " + p.add(u.created_at);
    return run("INSERT INTO users (id, name, role, countries, disabled, created_at) VALUES (" + next_id("users") +
                   ", " + values + ") RETURNING id",
               p)
        .integer(0, 0);
}

void PostgresStore::set_user_disabled(std::int64_t id, bool disabled) {
    pg::Params p;
    run("UPDATE users SET disabled = " + p.add(disabled) + "::boolean WHERE id = " + p.add(id), p);
}

std::int64_t PostgresStore::insert_token(const StoredToken& t) {
    pg::Params p;
    const std::string values = p.add(t.user_id) + "::bigint, " + p.add(t.secret_hash) + ", " + p.add(t.created_at) +
                               ", " + p.add(t.expires_at);
    return run("INSERT INTO tokens (id, user_id, secret_hash, created_at, expires_at) VALUES (" + next_id("tokens") +
                   ", " + values + ") RETURNING id",
               p)
        .integer(0, 0);
}

std::optional<StoredToken> PostgresStore::find_token(std::int64_t id) {
    pg::Params p;
    const auto r = run("SELECT id, user_id, secret_hash, created_at, expires_at, COALESCE(last_used_at, ''), revoked "
                       "FROM tokens WHERE id = " +
                           p.add(id),
                       p);
    if (r.empty()) return std::nullopt;
    return StoredToken{r.integer(0, 0), r.integer(0, 1), r.text(0, 2),   r.text(0, 3),
                       r.text(0, 4),    r.text(0, 5),    r.boolean(0, 6)};
}

void PostgresStore::set_token_used(std::int64_t id, const std::string& at) {
    pg::Params p;
    run("UPDATE tokens SET last_used_at = " + p.add(at) + " WHERE id = " + p.add(id), p);
}

int PostgresStore::revoke_tokens(std::int64_t user_id) {
    pg::Params p;
    return static_cast<int>(
        run("UPDATE tokens SET revoked = true WHERE user_id = " + p.add(user_id) + " AND NOT revoked", p).affected());
}

void PostgresStore::append_security(const SecurityEvent& e) {
    pg::Params p;
    const std::string values =
        p.add(e.at) + ", " + p.add(e.who) + ", " + p.add(e.action) + ", " + p.add(e.subject) + ", " + p.add(e.detail);
    run("INSERT INTO security_log (id, at, who, action, subject, detail) VALUES (" + next_id("security_log") + ", " +
            values + ")",
        p);
}

std::vector<SecurityEvent> PostgresStore::security_events(std::int64_t after_id, int limit) {
    pg::Params p;
    const auto r = run("SELECT id, at, who, action, subject, detail FROM security_log WHERE id > " + p.add(after_id) +
                           " ORDER BY id LIMIT " + p.add(limit),
                       p);
    std::vector<SecurityEvent> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back({r.integer(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5)});
    return out;
}

} // namespace enlace::core::detail
