// Registry users and their tokens: issued once, stored only as a hash, checked in constant time,
// refused when malformed, wrong, expired, revoked or of a disabled user (each refusal logged,
// never the token), managed by admins only; the security log cannot be changed.
#include "enlace/core/errors.hpp"
#include "enlace/core/registry.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>

using namespace enlace;

namespace {

const core::Caller holder = core::Caller::holder("operator");

} // namespace

TEST_CASE("a token is issued once, authenticates its user, and only its hash is kept", "[accounts]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto issued = registry.add_user(holder, "maria", core::Role::editor, {"SV", "GT"});
    REQUIRE(issued.token.rfind("enl_", 0) == 0);
    const auto secret = issued.token.substr(issued.token.find('_', 4) + 1);
    CHECK(secret.size() == 43); // 256 bits, base64url

    const auto caller = registry.authenticate(issued.token);
    CHECK(caller.kind == core::Caller::Kind::user);
    CHECK(caller.name == "maria");
    CHECK(caller.role == core::Role::editor);
    CHECK(caller.countries == std::vector<std::string>{"SV", "GT"});

    const auto users = registry.users(holder);
    REQUIRE(users.size() == 1);
    CHECK(users[0].active_tokens == 1);
    CHECK_FALSE(users[0].last_used_at.empty()); // recorded at the first use

    // Neither the token nor its secret is anywhere in what is stored (the file and its WAL, or the
    // database as pg_dump reads it).
    registry = core::Registry{core::Registry::open(dir.registry())};
    const auto bytes = test::stored_bytes(dir.registry());
    REQUIRE(bytes.find("maria") != std::string::npos); // what is stored was read
    CHECK(bytes.find(secret) == std::string::npos);
    CHECK(bytes.find(issued.token) == std::string::npos);
}

TEST_CASE("bad tokens are refused and every refusal is logged without the token", "[accounts]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    const auto maria = registry.add_user(holder, "maria", core::Role::editor, {"SV"}).token;
    const auto juan = registry.add_user(holder, "juan", core::Role::viewer, {"GT"}).token;
    const auto ana = registry.add_user(holder, "ana", core::Role::reviewer, {"HN"}).token;
    const auto wrong = maria.substr(0, maria.size() - 1) + (maria.back() == 'A' ? "B" : "A");
    for (const std::string& bad : {std::string(), std::string("Bearer x"), std::string("enl_1_short"), wrong,
                                   std::string("enl_999_") + std::string(43, 'A'), std::string(10000, 'e')}) {
        INFO(bad.substr(0, 40));
        CHECK_THROWS_AS(registry.authenticate(bad), core::unauthorized);
    }
    registry.revoke_tokens(holder, "juan");
    CHECK_THROWS_AS(registry.authenticate(juan), core::unauthorized);
    registry.disable_user(holder, "ana");
    CHECK_THROWS_AS(registry.authenticate(ana), core::unauthorized);
    CHECK_THROWS_AS(registry.caller_of("ana"), core::forbidden);
    test::run_sql(dir.registry(), "UPDATE tokens SET expires_at = '2020-01-01T00:00:00Z' WHERE user_id = "
                                  "(SELECT id FROM users WHERE name = 'maria')");
    CHECK_THROWS_AS(registry.authenticate(maria), core::unauthorized);

    const auto log = registry.security_log(holder);
    int failures = 0;
    for (const auto& e : log) {
        failures += e.action == "authentication-failed";
        for (const auto* token : {&maria, &juan, &ana, &wrong}) {
            CHECK(e.detail.find(token->substr(token->find('_', 4) + 1)) == std::string::npos);
            CHECK(e.subject.find(token->substr(token->find('_', 4) + 1)) == std::string::npos);
        }
    }
    CHECK(failures == 9);
    bool expired = false, revoked = false, disabled = false;
    for (const auto& e : log) {
        expired |= e.detail.find("expired") != std::string::npos;
        revoked |= e.detail.find("revoked") != std::string::npos;
        disabled |= e.detail.find("disabled user") != std::string::npos;
    }
    CHECK((expired && revoked && disabled));
}

TEST_CASE("only admins manage accounts, and users are checked", "[accounts]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    registry.add_user(holder, "admin1", core::Role::admin, {});
    registry.add_user(holder, "maria", core::Role::editor, {"SV"});
    const auto admin = registry.caller_of("admin1");
    const auto editor = registry.caller_of("maria");
    CHECK_NOTHROW(registry.add_user(admin, "pedro", core::Role::compiler, {}));
    CHECK_THROWS_AS(registry.add_user(editor, "eve", core::Role::admin, {}), core::forbidden);
    CHECK_THROWS_AS(registry.users(editor), core::forbidden);
    CHECK_THROWS_AS(registry.revoke_tokens(editor, "pedro"), core::forbidden);
    CHECK_THROWS_AS(registry.security_log(editor), core::forbidden);
    CHECK_THROWS_AS(registry.add_user(holder, "maria", core::Role::editor, {"SV"}), core::validation_error); // exists
    CHECK_THROWS_AS(registry.add_user(holder, "no one", core::Role::editor, {"SV"}), core::validation_error);
    CHECK_THROWS_AS(registry.add_user(holder, "nadie", core::Role::editor, {}), core::validation_error);
    CHECK_THROWS_AS(registry.add_user(holder, "nadie", core::Role::editor, {"XX"}), core::validation_error);
    CHECK_THROWS_AS(registry.add_user(holder, "nadie", core::Role::editor, {"SV"}, 366), core::validation_error);
    CHECK_THROWS_AS(registry.issue_token(holder, "nobody"), core::not_found);
    CHECK(registry.users(holder).size() == 3);
}

TEST_CASE("the security log is append-only", "[accounts]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    registry.add_user(holder, "maria", core::Role::editor, {"SV"});
    REQUIRE(registry.security_log(holder).size() == 2);
    CHECK_THROWS(test::run_sql(dir.registry(), "UPDATE security_log SET detail = 'x'"));
    CHECK_THROWS(test::run_sql(dir.registry(), "DELETE FROM security_log"));
    CHECK(registry.security_log(holder).size() == 2);
}
