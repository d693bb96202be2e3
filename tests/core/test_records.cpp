// Records in and out: the one JSON form of each record, writes (create / unchanged / update,
// upsert by external key), the audit trail, links between practices, actors and services, dataset
// loads (idempotent, all or nothing) and the practice and actor queries.
#include "support/service_checks.hpp"
#include "support/temp_registry.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/json_text.hpp"
#include "enlace/core/model.hpp"
#include "enlace/core/query.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/registry.hpp"
#include "enlace/core/sqlite.hpp"
#include "enlace/data/embedded.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace core = enlace::core;
using enlace::test::check_same_service;
using enlace::test::make_registry;
using enlace::test::ScratchDir;
using enlace::test::service_at;
using nlohmann::json;

namespace {

constexpr std::uint8_t weekdays = 0b0011111, saturday = 1u << 5, sunday = 1u << 6;

core::Service full_service() {
    core::Service s;
    s.source = "records";
    s.source_id = "full-1";
    s.name = {{"es", "Centro de atención a niñez migrante"},
              {"en", "Care centre for migrant children"},
              {"fr", "Centre d'accueil des enfants migrants"}};
    s.description = {{"es", "Atención psicosocial y gestión de casos."},
                     {"en", "Psychosocial care and case management."}};
    s.types = {"PRO.BIP", "PRO.CASEMGMT"};
    s.country = "GT";
    s.site = core::Site{{-90.5123, 14.6387}, core::LocationPrecision::locality};
    s.area.countries = {"GT", "SV"};
    s.area.admin1 = {"GT-GU"};
    s.address = {
        "6a Avenida 1-23, Zona 1", "Ciudad de Guatemala", "Guatemala", "GT-GU", "Guatemala", "GT0101", "01001"};
    s.contacts = {
        core::Contact{core::ContactKind::phone, "+502 2222 3333", {{"es", "Recepción"}, {"en", "Front desk"}}, false},
        core::Contact{core::ContactKind::email, "proteccion@example.org", {}, false},
        core::Contact{core::ContactKind::url, "https://example.org/servicios", {}, false},
        core::Contact{core::ContactKind::hotline, "1546", {{"es", "Línea gratuita"}}, false},
        core::Contact{core::ContactKind::whatsapp, "+502 5555 1111", {{"es", "Coordinadora"}}, true},
    };
    core::OpeningHours hours;
    hours.timezone = "America/Guatemala";
    hours.weekly = {core::Shift{weekdays, 8 * 60, 12 * 60}, core::Shift{weekdays, 14 * 60, 17 * 60},
                    core::Shift{saturday, 22 * 60, 6 * 60}, core::Shift{sunday, 18 * 60, 1440}};
    hours.closures = {core::Closure{"2026-12-24", "2026-12-26", {{"es", "Navidad"}, {"en", "Christmas"}}},
                      core::Closure{"2027-01-01", "2027-01-01", {}}};
    s.hours = hours;
    s.languages = {"es", "quc"};
    s.populations = {"returned", "unaccompanied"};
    s.age = core::AgeRange{5, 17};
    s.gender = "female";
    s.cost = "free";
    s.referral_required = true;
    s.capacity = 40;
    s.status = core::ServiceStatus::temporarily_closed;
    s.visibility = core::Visibility::restricted;
    s.last_verified = "2026-10-01";
    s.illustrative = true;
    return s;
}

core::Actor full_actor() {
    core::Actor a;
    a.source = "records";
    a.source_id = "actor-1";
    a.name = {{"es", "Red de protección"}, {"en", "Protection network"}};
    a.description = {{"es", "Organización de la sociedad civil."}};
    a.acronym = "RPN";
    a.actor_type = "NETWORK";
    a.countries = {"GT", "HN", "SV"};
    a.website = "https://example.org";
    a.email = "secretaria@example.org";
    a.contacts = {core::Contact{core::ContactKind::phone, "+504 2222 0000", {{"es", "Secretaría"}}, false}};
    a.illustrative = true;
    return a;
}

core::Practice full_practice() {
    core::Practice p;
    p.source = "records";
    p.source_id = "practice-1";
    p.title = {{"es", "Protocolo de recepción"}, {"en", "Reception protocol"}};
    p.countries = {"GT", "SV"};
    p.scope = "cross_border";
    p.admin_codes = {"GT-GU", "SV-SS"};
    p.partners = {core::Partner{std::nullopt, "UNICEF", {{"es", "Asistencia técnica"}, {"en", "Technical support"}}}};
    p.year_start = 2017;
    p.year_end = 2022;
    p.axes = {2, 3};
    p.service_types = {"PRO.BIP", "REC.RETURN"};
    p.gcm_objectives = {7, 12};
    p.target_population = {"returned", "unaccompanied"};
    for (const char* field :
         {"problem", "description", "resources", "results", "lessons", "replicability", "sustainability"})
        p.narrative[field] = {{"es", std::string("Texto de ") + field}, {"en", std::string("Text of ") + field}};
    p.evidence_level = "monitoring_data";
    p.evidence_links = {"https://example.org/informe.pdf"};
    p.institutionalised = true;
    p.budget_line = false;
    p.principles = {"best_interests", "family_unity"};
    p.contact_email = "practicas@example.org";
    p.sources = {core::PracticeSource{"Informe anual", "https://example.org/informe", "2026-11-01"}};
    p.submitted_by = "Punto focal GT";
    p.reviewed_by = "Secretaría técnica";
    p.reviewed_on = "2026-11-15";
    p.review_status = core::ReviewStatus::published;
    p.original_language = "es";
    p.licence = "CC-BY-4.0";
    p.illustrative = true;
    return p;
}

void check_same_practice(const core::Practice& got, const core::Practice& want) {
    CHECK(got.source == want.source);
    CHECK(got.source_id == want.source_id);
    CHECK(got.title == want.title);
    CHECK(got.countries == want.countries);
    CHECK(got.scope == want.scope);
    CHECK(got.admin_codes == want.admin_codes);
    CHECK(got.actor_ids == want.actor_ids);
    CHECK(got.service_ids == want.service_ids);
    REQUIRE(got.partners.size() == want.partners.size());
    for (std::size_t i = 0; i < want.partners.size(); ++i) {
        CHECK(got.partners[i].actor_id == want.partners[i].actor_id);
        CHECK(got.partners[i].name == want.partners[i].name);
        CHECK(got.partners[i].role == want.partners[i].role);
    }
    CHECK(got.year_start == want.year_start);
    CHECK(got.year_end == want.year_end);
    CHECK(got.axes == want.axes);
    CHECK(got.service_types == want.service_types);
    CHECK(got.gcm_objectives == want.gcm_objectives);
    CHECK(got.target_population == want.target_population);
    CHECK(got.narrative == want.narrative);
    CHECK(got.evidence_level == want.evidence_level);
    CHECK(got.evidence_links == want.evidence_links);
    CHECK(got.institutionalised == want.institutionalised);
    CHECK(got.budget_line == want.budget_line);
    CHECK(got.principles == want.principles);
    CHECK(got.contact_email == want.contact_email);
    REQUIRE(got.sources.size() == want.sources.size());
    for (std::size_t i = 0; i < want.sources.size(); ++i) {
        CHECK(got.sources[i].title == want.sources[i].title);
        CHECK(got.sources[i].url == want.sources[i].url);
        CHECK(got.sources[i].accessed == want.sources[i].accessed);
    }
    CHECK(got.submitted_by == want.submitted_by);
    CHECK(got.reviewed_by == want.reviewed_by);
    CHECK(got.reviewed_on == want.reviewed_on);
    CHECK(got.review_status == want.review_status);
    CHECK(got.original_language == want.original_language);
    CHECK(got.licence == want.licence);
    CHECK(got.illustrative == want.illustrative);
}

std::string demo_text() {
    const auto bytes = enlace::data::embedded("demo.json");
    REQUIRE(bytes.has_value());
    return std::string(*bytes);
}

core::ServiceQuery every_service() {
    core::ServiceQuery q;
    q.audience = core::Audience::authorised;
    q.statuses = {core::ServiceStatus::active, core::ServiceStatus::temporarily_closed, core::ServiceStatus::inactive,
                  core::ServiceStatus::defunct};
    return q;
}

struct Counts {
    std::int64_t services = 0;
    std::size_t actors = 0, practices = 0;
    friend bool operator==(const Counts&, const Counts&) = default;
};

Counts counts(const core::Registry& registry) {
    core::ActorQuery actors;
    actors.limit = core::ServiceQuery::max_limit;
    core::PracticeQuery practices;
    practices.limit = core::ServiceQuery::max_limit;
    practices.audience = core::Audience::authorised;
    return {registry.count(every_service()), registry.find(actors).items.size(), registry.find(practices).items.size()};
}

std::set<std::string> source_ids(const core::Page<core::Practice>& page) {
    std::set<std::string> out;
    for (const auto& p : page.items)
        out.insert(p.source_id);
    return out;
}

std::set<std::string> source_ids(const core::Page<core::Actor>& page) {
    std::set<std::string> out;
    for (const auto& a : page.items)
        out.insert(a.source_id);
    return out;
}

/// The demo practices' source_ids that satisfy `keep`, read straight from the dataset file.
template <class Keep> std::set<std::string> demo_practices_where(Keep keep) {
    const json demo = json::parse(demo_text());
    std::set<std::string> out;
    for (const auto& p : demo["practices"])
        if (keep(p)) out.insert(p["source_id"].get<std::string>());
    return out;
}

bool list_has(const json& list, const json& value) {
    return list.is_array() && std::find(list.begin(), list.end(), value) != list.end();
}

} // namespace

TEST_CASE("a full service survives to_json and service_from_json", "[records][json]") {
    const core::Service s = full_service();
    const json doc = core::to_json(s);
    const core::Service back = core::service_from_json(doc);
    check_same_service(back, s);
    CHECK(core::to_json(back) == doc);

    SECTION("through a JSON text too") { check_same_service(core::service_from_json(json::parse(doc.dump())), s); }
    SECTION("an always-open service without a site") {
        core::Service hotline;
        hotline.name = {{"es", "Línea de ayuda"}};
        hotline.types = {"VIO.HOTLINE"};
        hotline.country = "HN";
        hotline.area.countries = {"HN"};
        hotline.hours = core::OpeningHours{"America/Tegucigalpa", true, {}, {}};
        hotline.contacts = {core::Contact{core::ContactKind::hotline, "111", {}, false}};
        const json hdoc = core::to_json(hotline);
        CHECK(hdoc["location"].is_null());
        const auto back_hotline = core::service_from_json(hdoc);
        check_same_service(back_hotline, hotline);
        CHECK(back_hotline.hours->always_open);
    }
    SECTION("malformed fields are named by their JSON path") {
        json bad = doc;
        bad["location"]["lat"] = "north";
        bad["hours"]["weekly"][0]["opens"] = "8am";
        bad["status"] = "sleeping";
        try {
            (void)core::service_from_json(bad);
            FAIL("service_from_json accepted a malformed record");
        } catch (const core::validation_error& e) {
            std::set<std::string> fields;
            for (const auto& issue : e.issues())
                fields.insert(issue.field);
            CHECK(fields.count("location.lat") == 1);
            CHECK(fields.count("hours.weekly[0].opens") == 1);
            CHECK(fields.count("status") == 1);
        }
    }
}

TEST_CASE("the text form of a service is the JSON tree's own text, in every form", "[records][json]") {
    core::Service s = full_service();
    s.id = 42;
    s.actor_id = 7;
    s.created_at = "2026-01-02T03:04:05Z";
    s.updated_at = "2026-02-03T04:05:06Z";
    s.public_point = core::GeoPoint{-90.5, 14.6};
    s.coarsened = true;
    s.site->point = core::GeoPoint{-90.0, 1e-7}; // an integral and a tiny coordinate keep their type and value
    s.name["zh"] = "移民儿童 \"中心\"\\ \x01\t end";

    // Keys in alphabetical order and numbers as the JSON library writes them: documents written by
    // earlier versions compare equal, so re-importing an unchanged record stays "unchanged".
    const std::string text = core::to_json_text(s);
    CHECK(text == json::parse(text).dump());
    const json doc = json::parse(text);
    CHECK(doc["location"]["lon"].is_number_float());
    CHECK(doc["location"]["lat"].get<double>() == 1e-7);
    CHECK(doc["name"]["zh"] == s.name["zh"]);
    CHECK(doc["public_location"]["lon"].get<double>() == -90.5);
    check_same_service(core::service_from_json(doc), s);

    SECTION("the stored form leaves out what the store owns") {
        core::ServiceJsonForm stored;
        stored.stored = true;
        const json kept = json::parse(core::to_json_text(s, stored));
        for (const char* owned : {"id", "created_at", "updated_at", "public_location"})
            CHECK_FALSE(kept.contains(owned));
        json expected = doc;
        for (const char* owned : {"id", "created_at", "updated_at", "public_location"})
            expected.erase(owned);
        CHECK(kept == expected);
    }
    SECTION("a language form resolves name and description and says from where") {
        core::ServiceJsonForm form;
        form.language = "fr";
        form.location = false;
        json item = json::parse(core::to_json_text(s, form));
        CHECK(item["name"] == "Centre d'accueil des enfants migrants");
        CHECK(item["description"] == "Atención psicosocial y gestión de casos."); // no French: Spanish
        CHECK(item["resolved_language"]["name"] == json{{"fallback", false}, {"language", "fr"}});
        CHECK(item["resolved_language"]["description"] == json{{"fallback", true}, {"language", "es"}});
        CHECK_FALSE(item.contains("location"));
        json rest = doc;
        for (const char* changed : {"name", "description", "location"})
            rest.erase(changed);
        for (const char* changed : {"name", "description", "location", "resolved_language"})
            item.erase(changed);
        CHECK(item == rest);
    }
}

TEST_CASE("JSON strings escape every special character wherever it falls in the text", "[records][json]") {
    // The writer tests eight bytes at a time: put each character at every offset of two words.
    for (const std::string& special : std::vector<std::string>{"\"", "\\", std::string(1, '\0'), "\x01", "\n", "\x1f",
                                                               "ñ", "\xe4\xb8\xad", " ", "~"}) {
        for (std::size_t offset = 0; offset < 17; ++offset) {
            const std::string text = std::string(offset, 'a') + special + std::string(9, 'b') + special;
            std::string out;
            core::append_json_string(out, text);
            CAPTURE(offset, out);
            CHECK(json::parse(out).get<std::string>() == text);
            const bool escaped = special == "\"" || special == "\\" || static_cast<unsigned char>(special[0]) < 0x20;
            CHECK((out.size() > text.size() + 2) == escaped);
        }
    }
    CHECK(core::valid_utf8("plain, ñ, 中, 😀"));
    for (const std::string bad :
         {"\xc3", "\xc3(", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xff", "ab\xf0\x9f\x98"}) {
        CAPTURE(bad);
        CHECK_FALSE(core::valid_utf8(bad));
    }
    CHECK(core::format_clock(0) == "00:00");
    CHECK(core::format_clock(8 * 60 + 5) == "08:05");
    CHECK(core::format_clock(1440) == "24:00");
}

TEST_CASE("text that is not UTF-8 is refused and named, and nothing is stored", "[records][store]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    core::Service s = full_service();
    s.name["es"] = "Centro \xe1rbol";                // Latin-1 á
    s.address.street = "Calle \xed\xa0\x80";         // an encoded surrogate
    s.contacts[0].label["en"] = "Desk \xf0\x9f\x98"; // a truncated emoji
    try {
        registry.put(s);
        FAIL("a record with bytes that are not UTF-8 was stored");
    } catch (const core::validation_error& e) {
        std::set<std::string> fields;
        for (const auto& issue : e.issues())
            fields.insert(issue.field);
        CHECK(fields == std::set<std::string>{"name.es", "address.street", "contacts[0].label.en"});
    }
    CHECK(registry.find(every_service()).items.empty());

    s = full_service();
    s.name["es"] = "Centro \xc3\xa1rbol \xf0\x9f\x98\x80"; // UTF-8 á and an emoji
    CHECK(registry.put(s).outcome == core::WriteOutcome::created);
}

TEST_CASE("a full service is stored and read back whole", "[records][store]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    const core::Service s = full_service();
    const auto result = registry.put(s);
    CHECK(result.outcome == core::WriteOutcome::created);
    CHECK(result.id > 0);
    const auto stored = registry.service_record(result.id);
    REQUIRE(stored.has_value());
    check_same_service(*stored, s);
    CHECK(stored->id == result.id);
    CHECK_FALSE(stored->created_at.empty());
    CHECK_FALSE(stored->updated_at.empty());
    // show | add: what is read back writes as "unchanged".
    CHECK(registry.put(core::service_from_json(core::to_json(*stored))).outcome == core::WriteOutcome::unchanged);
}

TEST_CASE("put() creates, leaves unchanged, updates", "[records][store]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    auto s = service_at(-90.51, 14.63, "GT", "PRO.AUTHORITY", "Procuraduría");
    s.source = "test";
    s.source_id = "pgn";

    const auto created = registry.put(s, "alice");
    REQUIRE(created.outcome == core::WriteOutcome::created);
    const auto first = registry.public_service(created.id);
    REQUIRE(first.has_value());

    const auto again = registry.put(s, "bob");
    CHECK(again.outcome == core::WriteOutcome::unchanged);
    CHECK(again.id == created.id);
    const auto second = registry.public_service(created.id);
    CHECK(second->updated_at == first->updated_at);
    CHECK(second->created_at == first->created_at);

    s.description = {{"es", "Nueva descripción"}};
    const auto updated = registry.put(s, "carol");
    CHECK(updated.outcome == core::WriteOutcome::updated);
    CHECK(updated.id == created.id);
    const auto third = registry.public_service(created.id);
    CHECK(third->description.at("es") == "Nueva descripción");
    CHECK(third->created_at == first->created_at);
    CHECK(registry.count(every_service()) == 1);

    SECTION("history lists the create and the update, with before and after") {
        const auto trail = registry.history(core::RecordKind::service, created.id);
        REQUIRE(trail.size() == 2); // the unchanged put is not a change
        CHECK(trail[0].action == "create");
        CHECK(trail[0].who == "alice");
        CHECK(trail[0].before.empty());
        CHECK_FALSE(trail[0].at.empty());
        const json created_doc = json::parse(trail[0].after);
        CHECK(created_doc["name"]["es"] == "Procuraduría");
        CHECK(trail[1].action == "update");
        CHECK(trail[1].who == "carol");
        CHECK(trail[1].before == trail[0].after);
        const json before = json::parse(trail[1].before), after = json::parse(trail[1].after);
        CHECK_FALSE(before.contains("description"));
        CHECK(after["description"]["es"] == "Nueva descripción");
        // The rows hold no copy of the record as written: `after` is the next change's `before`,
        // or the record as it is now.
        CHECK(json::parse(trail[1].after) == json::parse(core::to_json_text(*registry.service_record(created.id),
                                                                            core::ServiceJsonForm{true, true, {}})));
        CHECK(enlace::test::sql_value(dir.registry(), "SELECT count(*) FROM changes WHERE after IS NOT NULL") == "0");
        // Another record's trail is separate.
        CHECK(registry.history(core::RecordKind::service, created.id + 1).empty());
        CHECK(registry.history(core::RecordKind::actor, created.id).empty());
    }
    SECTION("updating by id") {
        auto by_id = *registry.service_record(created.id);
        by_id.capacity = 12;
        const auto result = registry.put(by_id);
        CHECK(result.outcome == core::WriteOutcome::updated);
        CHECK(result.id == created.id);
        CHECK(registry.public_service(created.id)->capacity == 12);
    }
}

TEST_CASE("put() upserts by (source, source_id)", "[records][store]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    auto s = service_at(-89.22, 13.69, "SV", "REC.RETURN", "Centro de recepción");
    s.source = "focal-sv";
    s.source_id = "row-17";
    const auto first = registry.put(s);
    REQUIRE(first.outcome == core::WriteOutcome::created);

    // A re-import builds a new record with the same key: no id, a corrected name.
    auto reimport = service_at(-89.22, 13.69, "SV", "REC.RETURN", "Centro de recepción de personas retornadas");
    reimport.source = "focal-sv";
    reimport.source_id = "row-17";
    const auto second = registry.put(reimport);
    CHECK(second.outcome == core::WriteOutcome::updated);
    CHECK(second.id == first.id);
    CHECK(registry.find_service_id({"focal-sv", "row-17"}) == std::optional<std::int64_t>(first.id));
    CHECK(registry.public_service(first.id)->name.at("es") == "Centro de recepción de personas retornadas");
    CHECK(registry.count(every_service()) == 1);

    // The same source_id from another source is another record.
    auto other = reimport;
    other.source = "focal-gt";
    const auto third = registry.put(other);
    CHECK(third.outcome == core::WriteOutcome::created);
    CHECK(third.id != first.id);
    CHECK(registry.count(every_service()) == 2);
    CHECK_FALSE(registry.find_service_id({"focal-sv", "row-18"}).has_value());
}

TEST_CASE("put() with an id that does not exist is refused", "[records][store]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    auto s = service_at(-90.51, 14.63);
    s.id = 4242;
    REQUIRE_THROWS_AS(registry.put(s), core::not_found);
    CHECK(registry.count(every_service()) == 0);
    CHECK(registry.history(core::RecordKind::service, 4242).empty());

    auto a = full_actor();
    a.id = 77;
    REQUIRE_THROWS_AS(registry.put(a), core::not_found);
    auto p = full_practice();
    p.id = 78;
    REQUIRE_THROWS_AS(registry.put(p), core::not_found);
    CHECK(counts(registry) == Counts{});
}

TEST_CASE("an invalid record is refused with every problem, writing nothing", "[records][store]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    auto s = service_at(-90.51, 91.0, "GT", "NOT.A.TYPE");
    s.languages = {"spanish!"};
    try {
        registry.put(s);
        FAIL("an invalid service was accepted");
    } catch (const core::validation_error& e) {
        std::set<std::string> fields;
        for (const auto& issue : e.issues())
            fields.insert(issue.field);
        CHECK(fields.count("location.lat") == 1);
        CHECK(fields.count("types[0]") == 1);
        CHECK(fields.count("languages[0]") == 1);
    }
    CHECK(registry.count(every_service()) == 0);
}

TEST_CASE("an actor round-trips through JSON and the store", "[records][actors]") {
    const core::Actor a = full_actor();
    const json doc = core::to_json(a);
    const core::Actor back = core::actor_from_json(doc);
    auto check_same = [](const core::Actor& got, const core::Actor& want) {
        CHECK(got.source == want.source);
        CHECK(got.source_id == want.source_id);
        CHECK(got.name == want.name);
        CHECK(got.description == want.description);
        CHECK(got.acronym == want.acronym);
        CHECK(got.actor_type == want.actor_type);
        CHECK(got.countries == want.countries);
        CHECK(got.website == want.website);
        CHECK(got.email == want.email);
        REQUIRE(got.contacts.size() == want.contacts.size());
        for (std::size_t i = 0; i < want.contacts.size(); ++i) {
            CHECK(got.contacts[i].kind == want.contacts[i].kind);
            CHECK(got.contacts[i].value == want.contacts[i].value);
            CHECK(got.contacts[i].label == want.contacts[i].label);
        }
        CHECK(got.illustrative == want.illustrative);
    };
    check_same(back, a);
    CHECK(core::to_json(back) == doc);

    ScratchDir dir;
    auto registry = make_registry(dir);
    const auto created = registry.put(a);
    CHECK(created.outcome == core::WriteOutcome::created);
    const auto stored = registry.actor(created.id);
    REQUIRE(stored.has_value());
    check_same(*stored, a);
    CHECK(registry.put(a).outcome == core::WriteOutcome::unchanged);
    auto renamed = a;
    renamed.acronym = "RPN-CA";
    const auto updated = registry.put(renamed);
    CHECK(updated.outcome == core::WriteOutcome::updated);
    CHECK(updated.id == created.id);
    const auto trail = registry.history(core::RecordKind::actor, created.id);
    REQUIRE(trail.size() == 2);
    CHECK(trail[0].action == "create");
    CHECK(trail[1].action == "update");
    CHECK(json::parse(trail[1].after)["acronym"] == "RPN-CA");
}

TEST_CASE("a practice round-trips and links actors and services by source_id", "[records][practices]") {
    const core::Practice p = full_practice();
    SECTION("through JSON") {
        auto with_ids = p;
        with_ids.actor_ids = {3, 7};
        with_ids.service_ids = {11};
        with_ids.partners.push_back(core::Partner{3, "Red de protección", {{"es", "Socio ejecutor"}}});
        const json doc = core::to_json(with_ids);
        const core::Practice back = core::practice_from_json(doc);
        check_same_practice(back, with_ids);
        CHECK(core::to_json(back) == doc);
    }

    ScratchDir dir;
    auto registry = make_registry(dir);
    const auto actor_id = registry.put(full_actor()).id;
    auto service = service_at(-90.51, 14.63, "GT", "REC.RETURN", "Casa de acogida");
    service.source = "records";
    service.source_id = "service-1";
    const auto service_id = registry.put(service).id;

    json doc = core::to_json(p);
    doc["actors"] = {"actor-1"};                                             // same source as the practice
    doc["services"] = {{{"source", "records"}, {"source_id", "service-1"}}}; // or an explicit key

    SECTION("keys are resolved to ids when written") {
        const auto result = registry.put(core::practice_from_json(doc));
        CHECK(result.outcome == core::WriteOutcome::created);
        const auto stored = registry.practice(result.id);
        REQUIRE(stored.has_value());
        auto want = p;
        want.actor_ids = {actor_id};
        want.service_ids = {service_id};
        check_same_practice(*stored, want);
        CHECK(registry.put(core::practice_from_json(doc)).outcome == core::WriteOutcome::unchanged);
        CHECK(registry.history(core::RecordKind::practice, result.id).size() == 1);
    }
    SECTION("an unknown key is refused and nothing is written") {
        doc["actors"] = {"actor-1", "no-such-actor"};
        const Counts before = counts(registry);
        try {
            registry.put(core::practice_from_json(doc));
            FAIL("a practice linking an unknown actor was accepted");
        } catch (const core::validation_error& e) {
            REQUIRE_FALSE(e.issues().empty());
            CHECK(e.issues()[0].field == "actors");
            CHECK(std::string(e.what()).find("no-such-actor") != std::string::npos);
        }
        CHECK(counts(registry) == before);
        CHECK(before.practices == 0);
    }
    SECTION("an unknown service key too") {
        doc["services"] = {"service-404"};
        REQUIRE_THROWS_AS(registry.put(core::practice_from_json(doc)), core::validation_error);
        CHECK(counts(registry).practices == 0);
    }
}

TEST_CASE("a practice's period is a year from 1900 to 2200, as a number or as text", "[records][practices]") {
    json doc = core::to_json(full_practice());
    const auto start_of = [&](const json& start) {
        doc["period"] = {{"start", start}, {"end", nullptr}};
        return core::practice_from_json(doc).year_start;
    };
    CHECK(start_of(2019) == 2019);
    CHECK(start_of("2019") == 2019);
    CHECK(start_of("2019-03") == 2019);
    // Text whose year is out of range is refused as a number out of range is (found by
    // fuzz/fuzz_record_json.cpp: "0253" was read as 253, written as "253" and then refused).
    for (const json bad : {json("0253"), json("9999"), json(253), json(1899), json("20x9")}) {
        INFO(bad.dump());
        try {
            start_of(bad);
            FAIL("accepted");
        } catch (const core::validation_error& e) {
            REQUIRE(e.issues().size() == 1);
            CHECK(e.issues()[0].field == "period.start");
        }
    }
}

TEST_CASE("the demo dataset loads idempotently", "[records][dataset]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    const std::string text = demo_text();
    const json demo = json::parse(text);
    const int actors = static_cast<int>(demo["actors"].size()), services = static_cast<int>(demo["services"].size()),
              practices = static_cast<int>(demo["practices"].size());
    REQUIRE(actors > 0);
    REQUIRE(services > 0);
    REQUIRE(practices > 0);

    const auto first = registry.load_dataset(text);
    CHECK(first.created == actors + services + practices);
    CHECK(first.updated == 0);
    CHECK(first.unchanged == 0);
    const Counts loaded = counts(registry);
    CHECK(loaded == Counts{services, static_cast<std::size_t>(actors), static_cast<std::size_t>(practices)});

    const auto second = registry.load_dataset(text);
    CHECK(second.created == 0);
    CHECK(second.updated == 0);
    CHECK(second.unchanged == actors + services + practices);
    CHECK(counts(registry) == loaded);

    // Every demo record is keyed by source "demo" (the dataset's default source).
    const auto id = registry.find_service_id({"demo", demo["services"][0]["source_id"].get<std::string>()});
    REQUIRE(id.has_value());
    CHECK(registry.history(core::RecordKind::service, *id).size() == 1);
}

TEST_CASE("a dataset with one bad record writes nothing", "[records][dataset]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    registry.put(service_at(-90.51, 14.63, "GT", "PRO.AUTHORITY", "Registro previo"));
    json demo = json::parse(demo_text());
    const std::size_t middle = demo["services"].size() / 2;
    REQUIRE(demo["services"][middle]["location"].is_object());

    SECTION("into a registry without the demo") {
        demo["services"][middle]["location"]["lat"] = 91;
        const Counts before = counts(registry);
        try {
            registry.load_dataset(demo.dump());
            FAIL("a dataset with an invalid record was loaded");
        } catch (const core::validation_error& e) {
            const std::string field = "services[" + std::to_string(middle) + "].location.lat";
            CHECK(std::any_of(e.issues().begin(), e.issues().end(),
                              [&](const core::validation_issue& issue) { return issue.field == field; }));
        }
        CHECK(counts(registry) == before);
        CHECK(before == Counts{1, 0, 0});
    }
    SECTION("over a loaded demo: earlier changes in the same load are rolled back") {
        const std::string original = demo_text();
        registry.load_dataset(original);
        const Counts before = counts(registry);
        demo["actors"][0]["acronym"] = "CHANGED";
        demo["services"][0]["name"]["es"] = "Nombre cambiado";
        demo["services"][middle]["country"] = "XX";
        REQUIRE_THROWS_AS(registry.load_dataset(demo.dump()), core::validation_error);
        CHECK(counts(registry) == before);
        const auto id = registry.find_service_id({"demo", demo["services"][0]["source_id"].get<std::string>()});
        REQUIRE(id.has_value());
        CHECK(registry.public_service(*id)->name.at("es") != "Nombre cambiado");
        CHECK(registry.history(core::RecordKind::service, *id).size() == 1);
        // Loading the original again changes nothing.
        const auto summary = registry.load_dataset(original);
        CHECK(summary.created == 0);
        CHECK(summary.updated == 0);
    }
}

TEST_CASE("the public sees published practices only", "[records][practices][privacy]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    std::vector<std::pair<core::ReviewStatus, std::int64_t>> written;
    for (auto status : {core::ReviewStatus::draft, core::ReviewStatus::in_review, core::ReviewStatus::published,
                        core::ReviewStatus::archived}) {
        auto p = full_practice();
        p.source_id = "practice-" + std::to_string(written.size());
        p.review_status = status;
        written.emplace_back(status, registry.put(p).id);
    }
    core::PracticeQuery pub;
    const auto shown = registry.find(pub);
    REQUIRE(shown.items.size() == 1);
    CHECK(shown.items[0].review_status == core::ReviewStatus::published);
    core::PracticeQuery auth;
    auth.audience = core::Audience::authorised;
    CHECK(registry.find(auth).items.size() == 4);
    for (const auto& [status, id] : written) {
        CHECK(registry.practice(id).has_value() == (status == core::ReviewStatus::published));
        CHECK(registry.practice(id, core::Audience::authorised).has_value());
    }
}

TEST_CASE("practice queries filter by country, axis, type, text and year", "[records][practices][queries]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    registry.load_dataset(demo_text());

    SECTION("country") {
        core::PracticeQuery q;
        q.countries = {"GT"};
        const auto want = demo_practices_where([](const json& p) { return list_has(p["countries"], "GT"); });
        REQUIRE_FALSE(want.empty());
        CHECK(source_ids(registry.find(q)) == want);
    }
    SECTION("axis") {
        for (int axis : {3, 4, 5}) {
            INFO("axis " << axis);
            core::PracticeQuery q;
            q.axes = {axis};
            const auto want = demo_practices_where([&](const json& p) { return list_has(p["axes"], axis); });
            REQUIRE_FALSE(want.empty());
            CHECK(source_ids(registry.find(q)) == want);
        }
        core::PracticeQuery bad;
        bad.axes = {6};
        REQUIRE_THROWS_AS(registry.find(bad), core::query_error);
    }
    SECTION("type: a family includes its children") {
        core::PracticeQuery family;
        family.types = {"REC"};
        const auto want_family = demo_practices_where([](const json& p) {
            for (const auto& t : p["service_types"])
                if (t.get<std::string>().rfind("REC", 0) == 0) return true;
            return false;
        });
        REQUIRE_FALSE(want_family.empty());
        CHECK(source_ids(registry.find(family)) == want_family);

        core::PracticeQuery leaf;
        leaf.types = {"REC.SHORTSTAY"};
        const auto want_leaf =
            demo_practices_where([](const json& p) { return list_has(p["service_types"], "REC.SHORTSTAY"); });
        REQUIRE_FALSE(want_leaf.empty());
        CHECK(source_ids(registry.find(leaf)) == want_leaf);
        CHECK(want_leaf.size() < want_family.size());

        core::PracticeQuery unknown;
        unknown.types = {"NOPE"};
        REQUIRE_THROWS_AS(registry.find(unknown), core::query_error);
    }
    SECTION("text, accent-insensitive") {
        core::PracticeQuery q;
        q.text = "darien";
        CHECK(source_ids(registry.find(q)) == std::set<std::string>{"pa-darien-transitional-home"});
        q.text = "Darién";
        CHECK(source_ids(registry.find(q)) == std::set<std::string>{"pa-darien-transitional-home"});
    }
    SECTION("year: running in that year") {
        auto running_in = [](int year) {
            return demo_practices_where([year](const json& p) {
                const json period = p.contains("period") ? p["period"] : json();
                auto as_year = [](const json& v) { return v.is_null() ? -1 : std::stoi(v.get<std::string>()); };
                const int start = period.is_object() ? as_year(period["start"]) : -1;
                const int end = period.is_object() ? as_year(period["end"]) : -1;
                return (start < 0 || start <= year) && (end < 0 || end >= year);
            });
        };
        for (int year : {2009, 2015, 2020, 2025}) {
            INFO("year " << year);
            core::PracticeQuery q;
            q.year = year;
            CHECK(source_ids(registry.find(q)) == running_in(year));
        }
        // A practice that ended is not running after its end.
        auto ended = full_practice(); // 2017-2022
        const auto id = registry.put(ended).id;
        core::PracticeQuery q;
        q.year = 2023;
        CHECK_FALSE(source_ids(registry.find(q)).count("practice-1"));
        q.year = 2022;
        CHECK(source_ids(registry.find(q)).count("practice-1"));
        q.year = 2016;
        CHECK_FALSE(source_ids(registry.find(q)).count("practice-1"));
        CHECK(registry.practice(id).has_value());
    }
    SECTION("filters combine with AND") {
        core::PracticeQuery q;
        q.countries = {"MX"};
        q.axes = {4};
        const auto want = demo_practices_where(
            [](const json& p) { return list_has(p["countries"], "MX") && list_has(p["axes"], 4); });
        REQUIRE_FALSE(want.empty());
        CHECK(source_ids(registry.find(q)) == want);
    }
}

TEST_CASE("actor queries filter by country and text", "[records][actors][queries]") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    registry.load_dataset(demo_text());
    const json demo = json::parse(demo_text());

    core::ActorQuery by_country;
    by_country.countries = {"BZ"};
    std::set<std::string> want;
    for (const auto& a : demo["actors"])
        if (list_has(a["countries"], "BZ")) want.insert(a["source_id"].get<std::string>());
    REQUIRE_FALSE(want.empty());
    CHECK(source_ids(registry.find(by_country)) == want);

    core::ActorQuery by_text;
    by_text.text = "UNHCR";
    CHECK(source_ids(registry.find(by_text)) == std::set<std::string>{"unhcr"});

    core::ActorQuery both;
    both.countries = {"CA"};
    both.text = "UNHCR";
    CHECK(registry.find(both).items.empty());

    core::ActorQuery unknown;
    unknown.countries = {"ZZ"};
    REQUIRE_THROWS_AS(registry.find(unknown), core::query_error);
}

TEST_CASE("a batch keeps valid records beside refused ones, reads see its writes, and a dry run keeps nothing") {
    ScratchDir dir;
    auto registry = make_registry(dir);
    auto count_all = [&] { return registry.count(core::ServiceQuery{}); };
    auto bad = service_at(-90.51, 14.63);
    bad.country = "FR";
    int refused = 0;
    registry.batch([&] {
        registry.put(service_at(-90.51, 14.63, "GT", "LEG.AID", "Uno"));
        try {
            registry.put(bad);
        } catch (const core::validation_error&) {
            ++refused;
        }
        registry.put(service_at(-90.50, 14.62, "GT", "LEG.AID", "Dos"));
        core::ServiceQuery near;
        near.near = core::Near{{-90.51, 14.63}, 5000.0, std::nullopt};
        REQUIRE(registry.find(near).items.size() == 2);
    });
    REQUIRE(refused == 1);
    REQUIRE(count_all() == 2);
    registry.batch([&] { registry.put(service_at(-90.52, 14.61, "GT", "LEG.AID", "Tres")); }, false);
    REQUIRE(count_all() == 2);
}
