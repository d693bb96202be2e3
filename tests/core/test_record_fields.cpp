// Each kind's field table (core/src/codec/*_fields.hpp) against the JSON it drives: every key of
// the table is a member the writer gives for some record and form, every member written is in the
// table, and every field reads back as written, from input (nlohmann) and from the store
// (simdjson).
#include "codec/actor_fields.hpp"
#include "codec/practice_fields.hpp"
#include "codec/service_fields.hpp"
#include "stored_documents.hpp"
#include "stored_records.hpp"
#include "support/service_checks.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/record_json.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>
#include <string>

namespace core = enlace::core;
using nlohmann::json;

namespace {

/// A whole record with every field the table has set to something other than its default.
core::Service every_field_set() {
    core::Service s;
    s.id = 41;
    s.source = "fields";
    s.source_id = "all";
    s.actor_id = 9;
    s.name = {{"es", "Centro"}, {"en", "Centre"}};
    s.description = {{"fr", "Description"}};
    s.types = {"PRO.BIP"};
    s.country = "GT";
    s.site = core::Site{{-90.5, 14.6}, core::LocationPrecision::locality};
    s.public_point = core::GeoPoint{-90.6, 14.7};
    s.coarsened = true;
    s.area = {{"GT"}, {"GT-GU"}};
    s.address = {"Calle 1", "Ciudad", "Guatemala", "GT-GU", "Guatemala", "GT0101", "01001"};
    s.contacts = {core::Contact{core::ContactKind::hotline, "1546", {{"es", "Línea"}}, true}};
    core::OpeningHours hours;
    hours.timezone = "America/Guatemala";
    hours.always_open = true;
    hours.weekly = {core::Shift{0b0000011, 8 * 60, 1440}};
    hours.closures = {core::Closure{"2026-12-24", "2026-12-26", {{"es", "Navidad"}}}};
    s.hours = hours;
    s.languages = {"es"};
    s.populations = {"returned"};
    s.age = core::AgeRange{3, 17};
    s.gender = "female";
    s.cost = "free";
    s.referral_required = true;
    s.capacity = 20;
    s.status = core::ServiceStatus::inactive;
    s.visibility = core::Visibility::restricted;
    s.last_verified = "2026-10-01";
    s.created_at = "2026-01-01T00:00:00Z";
    s.updated_at = "2026-02-01T00:00:00Z";
    s.illustrative = true;
    s.review_status = core::ReviewStatus::in_review;
    return s;
}

/// Every key of every object in a document, as paths without array indices ("hours.weekly.days").
void collect_keys(const json& doc, const std::string& prefix, std::set<std::string>& out) {
    if (doc.is_array()) {
        for (const auto& item : doc)
            collect_keys(item, prefix, out);
        return;
    }
    if (!doc.is_object()) return;
    for (const auto& [key, value] : doc.items()) {
        const std::string path = prefix.empty() ? key : prefix + "." + key;
        out.insert(path);
        if (key != "name" && key != "description" && key != "label" && key != "note") // language maps
            collect_keys(value, path, out);
    }
}

core::Actor every_actor_field_set() {
    core::Actor a;
    a.id = 12;
    a.source = "fields";
    a.source_id = "actor";
    a.name = {{"es", "Red"}, {"en", "Network"}};
    a.description = {{"es", "Organización"}};
    a.acronym = "RED";
    a.actor_type = "NETWORK";
    a.countries = {"GT", "HN"};
    a.website = "https://example.org";
    a.email = "red@example.org";
    a.contacts = {core::Contact{core::ContactKind::email, "mesa@example.org", {{"es", "Mesa"}}, true}};
    a.illustrative = true;
    a.updated_at = "2026-03-01T00:00:00Z";
    return a;
}

core::Practice every_practice_field_set() {
    core::Practice p;
    p.id = 13;
    p.source = "fields";
    p.source_id = "practice";
    p.title = {{"es", "Protocolo"}};
    p.countries = {"GT"};
    p.scope = "national";
    p.admin_codes = {"GT-GU"};
    p.actor_ids = {12, 14};
    p.partners = {core::Partner{12, "Red", {{"es", "Coordinación"}}}, core::Partner{std::nullopt, "UNICEF", {}}};
    p.service_ids = {41};
    p.year_start = 2017;
    p.axes = {1, 3};
    p.service_types = {"PRO.BIP"};
    p.gcm_objectives = {7};
    p.target_population = {"returned"};
    for (const char* section :
         {"problem", "description", "resources", "results", "lessons", "replicability", "sustainability"})
        p.narrative[section] = {{"es", std::string("Texto de ") + section}};
    p.evidence_level = "monitoring_data";
    p.evidence_links = {"https://example.org/informe.pdf"};
    p.institutionalised = false;
    p.budget_line = true;
    p.principles = {"best_interests"};
    p.contact_email = "practicas@example.org";
    p.sources = {core::PracticeSource{"Informe", "https://example.org/informe", "2026-11-01"}};
    p.submitted_by = "Punto focal";
    p.reviewed_by = "Secretaría";
    p.reviewed_on = "2026-11-15";
    p.review_status = core::ReviewStatus::in_review;
    p.original_language = "es";
    p.licence = "CC-BY-4.0";
    p.illustrative = true;
    p.updated_at = "2026-04-01T00:00:00Z";
    return p;
}

template <class Fields> std::set<std::string> table_keys(const Fields& fields) {
    std::set<std::string> out;
    for (auto key : enlace::core::codec::keys_of(fields))
        out.insert(std::string(key));
    return out;
}

std::set<std::string> top_keys(const json& doc) {
    std::set<std::string> out;
    for (const auto& [key, value] : doc.items())
        out.insert(key);
    return out;
}

/// A record's JSON without what the store owns.
json without_store_fields(json doc) {
    for (const char* key : {"id", "updated_at"})
        doc.erase(key);
    return doc;
}

} // namespace

TEST_CASE("the service's field table has every member its JSON has, and nothing else", "[records][codec]") {
    const core::Service s = every_field_set();
    std::set<std::string> written;
    collect_keys(json::parse(core::to_json_text(s)), "", written);
    collect_keys(json::parse(core::to_json_text(s, {.language = "en"})), "", written);
    collect_keys(json::parse(core::to_json_text(core::public_view(s))), "", written);

    std::set<std::string> top;
    for (const auto& key : written)
        if (key.find('.') == std::string::npos) top.insert(key);
    std::set<std::string> table;
    for (auto key : enlace::core::codec::keys_of(enlace::core::codec::service_fields))
        table.insert(std::string(key));
    table.erase("actor"); // input only: a key instead of actor_id
    CHECK(top == table);
    // Nested objects, through their own tables.
    for (const char* key : {"address.street",
                            "address.admin2_code",
                            "age.min",
                            "age.max",
                            "contacts.kind",
                            "contacts.label",
                            "contacts.personal",
                            "contacts.value",
                            "hours.always_open",
                            "hours.closures.from",
                            "hours.closures.note",
                            "hours.closures.to",
                            "hours.timezone",
                            "hours.weekly.closes",
                            "hours.weekly.days",
                            "hours.weekly.opens",
                            "location.coarsened",
                            "location.lat",
                            "location.lon",
                            "location.precision",
                            "public_location.lat",
                            "public_location.lon",
                            "resolved_language.name",
                            "service_area.admin1",
                            "service_area.countries"})
        CHECK(written.count(key) == 1);
}

TEST_CASE("every field of a service reads back as written, from input and from the store", "[records][codec]") {
    const core::Service s = every_field_set();
    // Input: the whole form, whose store-owned members are passed over or read as the store keeps them.
    core::Service from_input = core::service_from_json(json::parse(core::to_json_text(s)));
    from_input.public_point = s.public_point;
    from_input.coarsened = s.coarsened;
    from_input.created_at = s.created_at;
    from_input.updated_at = s.updated_at;
    from_input.version = s.version;
    enlace::test::check_same_service(from_input, s, {.every_field = true});
    // The store: its own form, read back by the stored decoder.
    core::Service from_store =
        core::detail::decode_stored_service(core::to_json_text(s, {.stored = true, .location = true, .language = {}}));
    core::Service want = s;
    want.id = 0;
    want.public_point.reset();
    want.coarsened = false;
    want.created_at.clear();
    want.updated_at.clear();
    want.review_status = core::ReviewStatus::published; // kept in its own column
    enlace::test::check_same_service(from_store, want, {.every_field = true});
}

TEST_CASE("a key only ever written is refused on input, naming it", "[records][codec]") {
    try {
        (void)core::service_from_json(json{{"name", "x"}, {"resolved_language", json::object()}});
        FAIL("resolved_language was accepted");
    } catch (const core::validation_error& e) {
        REQUIRE(e.issues().size() == 1);
        CHECK(e.issues()[0].field == "resolved_language");
    }
    // and passed over in a stored document, as any key no field has
    CHECK(core::detail::decode_stored_service(R"({"name":"x","resolved_language":{}})").name.at("es") == "x");
}

TEST_CASE("an actor's and a practice's field tables have every member their JSON has, and nothing else",
          "[records][codec]") {
    CHECK(top_keys(core::to_json(every_actor_field_set())) == table_keys(enlace::core::codec::actor_fields));
    CHECK(top_keys(core::to_json(every_practice_field_set())) == table_keys(enlace::core::codec::practice_fields));
    const json period = core::to_json(every_practice_field_set())["period"];
    CHECK(period == json{{"start", "2017"}, {"end", nullptr}});
}

TEST_CASE("every field of an actor and of a practice reads back as written, from input and from the store",
          "[records][codec]") {
    const core::Actor a = every_actor_field_set();
    const json actor = core::to_json(a);
    json from_input = core::to_json(core::actor_from_json(actor));
    CHECK(without_store_fields(from_input) == without_store_fields(actor));
    CHECK(from_input["id"] == a.id);
    const std::string actor_doc = core::detail::stored_doc(a);
    CHECK(json::parse(actor_doc) == without_store_fields(actor));
    CHECK(without_store_fields(core::to_json(core::detail::decode_stored_actor(actor_doc))) ==
          without_store_fields(actor));

    const core::Practice p = every_practice_field_set();
    const json practice = core::to_json(p);
    from_input = core::to_json(core::practice_from_json(practice));
    CHECK(without_store_fields(from_input) == without_store_fields(practice));
    CHECK(from_input["id"] == p.id);
    const std::string practice_doc = core::detail::stored_doc(p);
    CHECK(json::parse(practice_doc) == without_store_fields(practice));
    CHECK(without_store_fields(core::to_json(core::detail::decode_stored_practice(practice_doc))) ==
          without_store_fields(practice));
}

TEST_CASE("a practice's links read as ids or keys of its own source or another, from input and from the store",
          "[records][codec]") {
    const std::string text =
        R"({"source":"own","actors":[5,"a1",{"source":"other","source_id":"a2"},{"source_id":"a3"}],"services":["s1"]})";
    for (const core::Practice& p :
         {core::practice_from_json(json::parse(text)), core::detail::decode_stored_practice(text)}) {
        CHECK(p.actor_ids == std::vector<std::int64_t>{5});
        REQUIRE(p.actor_keys.size() == 3);
        CHECK(p.actor_keys[0].source == "own");
        CHECK(p.actor_keys[0].source_id == "a1");
        CHECK(p.actor_keys[1].source == "other");
        CHECK(p.actor_keys[2].source == "own");
        CHECK(p.actor_keys[2].source_id == "a3");
        REQUIRE(p.service_keys.size() == 1);
        CHECK(p.service_keys[0].source == "own");
    }
    // The same problems from both readers, each named by its path.
    const std::string wrong = R"({"actors":[true],"period":{"start":"19x9"},"axes":[2000000],"partners":[{}]})";
    std::vector<std::string> problems[2];
    int which = 0;
    for (auto read : {+[](const std::string& t) { (void)core::practice_from_json(json::parse(t)); },
                      +[](const std::string& t) { (void)core::detail::decode_stored_practice(t); }}) {
        try {
            read(wrong);
            FAIL("accepted");
        } catch (const core::validation_error& e) {
            for (const auto& issue : e.issues())
                problems[which].push_back(issue.field);
        }
        ++which;
    }
    CHECK(problems[0] == std::vector<std::string>{"actors[0]", "axes", "partners[0].name", "period.start"});
    CHECK(problems[1] == problems[0]);
}
