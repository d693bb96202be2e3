// Registry users, their tokens and the security log (accounts.hpp): who may manage them, how a
// token is issued and checked, and what is logged.
#include "enlace/core/errors.hpp"
#include "enlace/core/hours.hpp"
#include "enlace/core/storage_full.hpp"
#include "registry_impl.hpp"
#include "token_secret.hpp"

#include <cctype>
#include <chrono>

namespace enlace::core {
namespace {

std::string now_plus_days(int days) {
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    return format_utc(now + std::chrono::hours(24 * days));
}

void require_admin(const Caller& by) {
    if (by.kind == Caller::Kind::holder || (by.kind == Caller::Kind::user && by.role == Role::admin)) return;
    throw forbidden("only an admin manages accounts");
}

void check_days(int days) {
    if (days < 1 || days > max_token_days)
        throw validation_error("expires", "must be from 1 to " + std::to_string(max_token_days) + " days");
}

void check_user(const std::string& name, Role role, const std::vector<std::string>& countries,
                const ReferenceData& ref) {
    std::vector<validation_issue> issues;
    if (name.empty() || name.size() > 64 || !std::all_of(name.begin(), name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' || c == '@';
        }))
        issues.push_back({"name", "must be 1 to 64 letters, digits, '.', '_', '-' or '@'"});
    for (const auto& c : countries)
        if (!ref.country(c))
            issues.push_back({"country", "unknown country '" + c + "' (alpha-2 code of a member country)"});
    if (countries.empty() && role != Role::compiler && role != Role::admin)
        issues.push_back(
            {"country", "is required for the role " + std::string(to_string(role)) +
                            ": the countries the user works for (only compilers and admins work for all)"});
    if (!issues.empty()) throw validation_error(std::move(issues));
}

/// Runs `work` in one write transaction of the store.
template <class Work> auto in_write(Store& store, Work&& work) {
    store.begin_write();
    try {
        auto result = work();
        store.commit();
        return result;
    } catch (...) {
        if (store.in_write()) store.rollback();
        throw;
    }
}

SecurityEvent event(const Caller& who, std::string action, std::string subject, std::string detail) {
    return {0,
            detail::utc_now(),
            who.is_public() ? "anyone" : who.signature(),
            std::move(action),
            std::move(subject),
            std::move(detail)};
}

std::string countries_text(const std::vector<std::string>& countries) {
    std::string out;
    for (const auto& c : countries)
        out += (out.empty() ? "" : ",") + c;
    return out.empty() ? "every country" : out;
}

} // namespace

IssuedToken Registry::add_user(const Caller& by, const std::string& name, Role role,
                               const std::vector<std::string>& countries, int token_days) {
    require_admin(by);
    check_user(name, role, countries, m_impl->reference);
    check_days(token_days);
    auto& store = *m_impl->store;
    return in_write(store, [&] {
        if (store.find_user(name)) throw validation_error("name", "a user '" + name + "' exists already");
        User user;
        user.name = name;
        user.role = role;
        user.countries = countries;
        user.created_at = detail::utc_now();
        user.id = store.insert_user(user);
        const auto secret = detail::new_secret();
        StoredToken token{0,  user.id, detail::sha256_hex(secret), user.created_at, now_plus_days(token_days),
                          {}, false};
        token.id = store.insert_token(token);
        store.append_security(
            event(by, "user-added", name, std::string(to_string(role)) + " of " + countries_text(countries)));
        store.append_security(
            event(by, "token-issued", name, "token " + std::to_string(token.id) + " until " + token.expires_at));
        return IssuedToken{detail::token_text(token.id, secret), token.expires_at};
    });
}

IssuedToken Registry::issue_token(const Caller& by, const std::string& name, int token_days) {
    require_admin(by);
    check_days(token_days);
    auto& store = *m_impl->store;
    return in_write(store, [&] {
        const auto user = store.find_user(name);
        if (!user) throw not_found("no user '" + name + "'");
        if (user->disabled) throw validation_error("name", "user '" + name + "' is disabled");
        const auto secret = detail::new_secret();
        StoredToken token{0,  user->id, detail::sha256_hex(secret), detail::utc_now(), now_plus_days(token_days),
                          {}, false};
        token.id = store.insert_token(token);
        store.append_security(
            event(by, "token-issued", name, "token " + std::to_string(token.id) + " until " + token.expires_at));
        return IssuedToken{detail::token_text(token.id, secret), token.expires_at};
    });
}

std::vector<User> Registry::users(const Caller& by) const {
    require_admin(by);
    return m_impl->read([&] { return m_impl->store->users(detail::utc_now()); });
}

int Registry::revoke_tokens(const Caller& by, const std::string& name) {
    require_admin(by);
    auto& store = *m_impl->store;
    return in_write(store, [&] {
        const auto user = store.find_user(name);
        if (!user) throw not_found("no user '" + name + "'");
        const int n = store.revoke_tokens(user->id);
        store.append_security(event(by, "tokens-revoked", name, std::to_string(n) + " tokens"));
        return n;
    });
}

void Registry::disable_user(const Caller& by, const std::string& name) {
    require_admin(by);
    auto& store = *m_impl->store;
    in_write(store, [&] {
        const auto user = store.find_user(name);
        if (!user) throw not_found("no user '" + name + "'");
        store.set_user_disabled(user->id, true);
        store.append_security(event(by, "user-disabled", name, ""));
        return 0;
    });
}

Caller Registry::authenticate(std::string_view token, const std::string& client) {
    auto& store = *m_impl->store;
    const auto parts = detail::parse_token(token);
    // Why it failed goes to the log (with the token's id, never its secret); the caller learns
    // only that the token is not valid.
    auto refuse = [&](const std::string& subject, const std::string& why) -> Caller {
        try {
            in_write(store, [&] {
                store.append_security(event(Caller::anyone(), "authentication-failed", subject,
                                            why + (client.empty() ? "" : " from " + client)));
                return 0;
            });
        } catch (const storage_full&) {
            // On a full disk the log line is lost, but the refusal must stay a refusal (401).
        }
        throw unauthorized("the token is not valid (expired, revoked or mistyped): ask an admin for a new one");
    };
    if (!parts) return refuse("", "malformed token");
    const std::string subject = "token " + std::to_string(parts->id);
    const auto now = detail::utc_now();
    const auto stored = m_impl->read([&] { return store.find_token(parts->id); });
    if (!stored || !detail::same_digest(stored->secret_hash, detail::sha256_hex(parts->secret)))
        return refuse(subject, "unknown token or wrong secret");
    if (stored->revoked) return refuse(subject, "revoked token");
    if (stored->expires_at <= now) return refuse(subject, "expired token");
    const auto user = m_impl->read([&] { return store.find_user(stored->user_id); });
    if (!user || user->disabled) return refuse(subject, "disabled user");
    // Once a minute at most: a write per request would serialise every reader behind the writer.
    if (stored->last_used_at.empty() || stored->last_used_at.substr(0, 16) < now.substr(0, 16)) {
        try {
            in_write(store, [&] {
                store.set_token_used(stored->id, now);
                return 0;
            });
        } catch (const storage_full&) {
            // The stamp is bookkeeping: a full disk must not turn a caseworker's read into an error.
        }
    }
    Caller caller;
    caller.kind = Caller::Kind::user;
    caller.user_id = user->id;
    caller.name = user->name;
    caller.role = user->role;
    caller.countries = user->countries;
    return caller;
}

Caller Registry::caller_of(const std::string& name) const {
    const auto user = m_impl->read([&] { return m_impl->store->find_user(name); });
    if (!user) throw not_found("no user '" + name + "' (enlace user list shows them)");
    if (user->disabled) throw forbidden("user '" + name + "' is disabled");
    Caller caller;
    caller.kind = Caller::Kind::user;
    caller.user_id = user->id;
    caller.name = user->name;
    caller.role = user->role;
    caller.countries = user->countries;
    return caller;
}

std::vector<SecurityEvent> Registry::security_log(const Caller& by, std::int64_t after_id, int limit) const {
    require_admin(by);
    return m_impl->read([&] { return m_impl->store->security_events(after_id, limit); });
}

void Registry::log_security(const Caller& who, const std::string& action, const std::string& subject,
                            const std::string& detail) {
    in_write(*m_impl->store, [&] {
        m_impl->store->append_security(event(who, action, subject, detail));
        return 0;
    });
}

} // namespace enlace::core
