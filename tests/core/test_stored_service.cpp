// The stored decoder (the service's field table over simdjson) against the reference reading
// (service_from_json over nlohmann's parser): the same Service for every document, and the same
// refusal for every document the reference refuses.
#include "stored_documents.hpp"
#include "support/service_checks.hpp"
#include "support/temp_registry.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/record_json.hpp"
#include "enlace/core/registry.hpp"
#include "enlace/core/sqlite.hpp"
#include "enlace/data/embedded.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace core = enlace::core;
using core::detail::decode_stored_service;
using enlace::test::make_registry;
using enlace::test::ScratchDir;
using nlohmann::json;

namespace {

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

/// Every field of Service, doubles bit for bit.
void check_identical(const core::Service& got, const core::Service& want) {
    enlace::test::check_same_service(got, want, {.every_field = true});
}

/// How the registry reads a stored document through the DOM: keys no service has are passed over
/// (input refuses them; stored documents may come from another version or a hand edit).
core::Service reference_reading(const std::string& doc) {
    return core::service_from_json(json::parse(doc), core::UnknownFields::ignore);
}

/// The stored decoder's service, or nothing when it refuses the document.
std::optional<core::Service> decoded(const std::string& doc) {
    try {
        return decode_stored_service(doc);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

/// The stored decoder takes the document, and reads what the reference reads.
void check_direct(const std::string& doc) {
    INFO(doc);
    const auto direct = decoded(doc);
    REQUIRE(direct.has_value());
    check_identical(*direct, reference_reading(doc));
}

/// A refusal's problems in one order (a language map's members are visited in document order by
/// one reader, in key order by the other).
std::vector<std::string> problems(const core::validation_error& e) {
    std::vector<std::string> out;
    for (const auto& issue : e.issues())
        out.push_back(issue.field + ": " + issue.reason);
    std::sort(out.begin(), out.end());
    return out;
}

/// Whatever the reference does with the document, the stored decoder does: the same service, the
/// same problems, or nlohmann's own parse error.
void check_fallback(const std::string& doc) {
    INFO(doc);
    bool reference_throws = false;
    core::Service want;
    try {
        want = reference_reading(doc);
    } catch (const core::validation_error& e) {
        reference_throws = true;
        try {
            (void)decode_stored_service(doc);
            FAIL("the stored decoder reads what the reference refuses");
        } catch (const core::validation_error& got) {
            CHECK(problems(got) == problems(e));
        }
    } catch (const json::exception&) {
        reference_throws = true;
        CHECK_THROWS_AS(decode_stored_service(doc), json::exception);
    }
    if (!reference_throws) check_identical(decode_stored_service(doc), want);
}

/// The stored form: what to_json writes, without what the store owns.
std::string stored_form(const core::Service& s) {
    json doc = core::to_json(s);
    for (const char* key : {"id", "created_at", "updated_at", "public_location"})
        doc.erase(key);
    return doc.dump();
}

core::Service full_service() {
    core::Service s;
    s.source = "gen";
    s.source_id = "full";
    s.actor_id = 7;
    s.name = {
        {"es", "Centro \"Niñez\" \\ ruta"}, {"en", "Tab\there, newline\nand \x01 control"}, {"zh", "儿童保护中心"}};
    s.description = {{"es", "Emoji 😀 y 𝄞 (fuera del plano básico)"}, {"fr", "Ligne\r\nsuivante / barre"}};
    s.types = {"PRO.BIP", "PRO.CASEMGMT"};
    s.country = "GT";
    s.site = core::Site{{-90.51234567890123, 14.638700000000001}, core::LocationPrecision::locality};
    s.area.countries = {"GT", "SV"};
    s.area.admin1 = {"GT-GU"};
    s.address = {"6a Avenida \"A\" 1-23", "Ciudad de Guatemala", "Guatemala", "GT-GU", "Guatemala", "GT0101", "01001"};
    s.contacts = {core::Contact{core::ContactKind::phone, "+502 2222 3333", {{"es", "Recepción"}}, false},
                  core::Contact{core::ContactKind::email, "a@example.org", {}, false},
                  core::Contact{core::ContactKind::url, "https://example.org/?a=1&b=\"2\"", {}, false},
                  core::Contact{core::ContactKind::hotline, "1546", {{"es", "Línea"}, {"en", "Line"}}, false},
                  core::Contact{core::ContactKind::whatsapp, "+502 5555 1111", {}, true}};
    core::OpeningHours hours;
    hours.timezone = "America/Guatemala";
    hours.always_open = false;
    hours.weekly = {core::Shift{0b0011111, 8 * 60, 12 * 60}, core::Shift{1u << 5, 22 * 60, 6 * 60},
                    core::Shift{1u << 6, 18 * 60, 1440}};
    hours.closures = {core::Closure{"2026-12-24", "2026-12-26", {{"es", "Navidad"}}},
                      core::Closure{"2027-01-01", "2027-01-01", {}}};
    s.hours = hours;
    s.languages = {"es", "quc"};
    s.populations = {"returned", "unaccompanied"};
    s.age = core::AgeRange{0, 17};
    s.gender = "female";
    s.cost = "free";
    s.referral_required = false;
    s.capacity = 1000000000;
    s.status = core::ServiceStatus::temporarily_closed;
    s.visibility = core::Visibility::restricted;
    s.last_verified = "2026-10-01";
    s.illustrative = true;
    return s;
}

/// The full service with each optional part left out in turn, and then all of them.
std::vector<core::Service> generated_services() {
    std::vector<core::Service> out{full_service()};
    auto without = [&](auto change) {
        core::Service s = full_service();
        change(s);
        out.push_back(s);
    };
    without([](core::Service& s) { s.actor_id.reset(); });
    without([](core::Service& s) { s.description.clear(); });
    without([](core::Service& s) { s.site.reset(); });
    without([](core::Service& s) { s.site->precision = core::LocationPrecision::exact; });
    without([](core::Service& s) { s.area = {}; });
    without([](core::Service& s) { s.area.admin1.clear(); });
    without([](core::Service& s) { s.address = {}; });
    without([](core::Service& s) {
        s.address = {};
        s.address.postal_code = "x";
    });
    without([](core::Service& s) { s.contacts.clear(); });
    without([](core::Service& s) { s.hours.reset(); });
    without([](core::Service& s) {
        s.hours->weekly.clear();
        s.hours->always_open = true;
    });
    without([](core::Service& s) { s.hours->closures.clear(); });
    without([](core::Service& s) {
        s.languages.clear();
        s.populations.clear();
        s.types.clear();
    });
    without([](core::Service& s) { s.age = {}; });
    without([](core::Service& s) {
        s.age.min.reset();
        s.age.max = -1000000000;
    });
    without([](core::Service& s) {
        s.gender = "any";
        s.cost.clear();
    });
    without([](core::Service& s) {
        s.referral_required.reset();
        s.capacity.reset();
    });
    without([](core::Service& s) {
        s.status = core::ServiceStatus::defunct;
        s.visibility = core::Visibility::public_;
    });
    without([](core::Service& s) {
        s.last_verified.clear();
        s.illustrative = false;
        s.source.clear();
    });
    core::Service bare;
    bare.name = {{"es", "x"}};
    out.push_back(bare);
    return out;
}

std::string demo_text() {
    const auto bytes = enlace::data::embedded("demo.json");
    REQUIRE(bytes);
    return std::string(*bytes);
}

/// Every stored document of a registry, read with SQL.
std::vector<std::string> stored_docs(const std::string& location) {
    std::vector<std::string> out;
    for (const auto& row : enlace::test::sql_rows(location, "SELECT doc FROM services ORDER BY id"))
        out.push_back(row.at(0));
    return out;
}

} // namespace

TEST_CASE("every stored document of the demo dataset decodes directly as service_from_json reads it",
          "[records][stored]") {
    ScratchDir dir;
    {
        auto registry = make_registry(dir);
        registry.load_dataset(demo_text());
    }
    const auto docs = stored_docs(dir.registry());
    REQUIRE(docs.size() == json::parse(demo_text())["services"].size());
    for (const auto& doc : docs)
        check_direct(doc);
}

TEST_CASE("generated services decode directly with every optional field set or left out", "[records][stored]") {
    for (const auto& s : generated_services()) {
        const std::string doc = stored_form(s);
        check_direct(doc);
        const auto direct = decoded(doc);
        REQUIRE(direct);
        core::Service want = s;
        want.id = 0;
        check_identical(*direct, want);
        // The same document pretty-printed: whitespace anywhere between tokens.
        check_direct(json::parse(doc).dump(2));
    }
}

TEST_CASE("stored documents written by the registry decode directly and read back through it", "[records][stored]") {
    ScratchDir dir;
    std::vector<std::int64_t> ids;
    {
        auto registry = make_registry(dir);
        for (auto s : generated_services()) {
            if (s.country.empty()) continue; // the bare record is not valid on its own
            s.source = "gen";
            s.source_id = std::to_string(ids.size());
            s.actor_id.reset();
            s.types = {"PRO.BIP"};
            s.visibility = core::Visibility::public_;
            if (s.status == core::ServiceStatus::defunct) s.status = core::ServiceStatus::inactive;
            if (s.age.max && *s.age.max < 0) s.age.max = 17; // the generated extremes the validation refuses
            if (s.capacity) s.capacity = 40;
            ids.push_back(registry.put(s).id);
        }
    }
    for (const auto& doc : stored_docs(dir.registry()))
        check_direct(doc);
    auto registry = enlace::core::Registry::open(dir.registry());
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto got = registry.service_record(ids[i]);
        REQUIRE(got);
        CHECK(got->id == ids[i]);
        CHECK(got->source_id == std::to_string(i));
    }
}

TEST_CASE("strings with escapes decode as nlohmann decodes them", "[records][stored]") {
    const std::vector<std::string> texts{
        R"("caf\u00e9 \u00E9")",
        R"("\ud83d\ude00 emoji")",
        R"("\uD834\uDD1E clef")",
        R"("\u4e2d\u6587 CJK")",
        R"("\/ slash \" quote \\")",
        R"("\b\f\n\r\t")",
        R"("\u0000 nul")",
        R"("\u001f unit separator")",
        "\"raw 中文 😀 é\"",
        R"("\u00")",
        R"("\ud83d alone")",
        R"("\ude00 low alone")",
        R"("\ud83d\u0041 bad pair")",
        R"("\x")",
        "\"raw \x01 control\"",
        "\"bad \xC3\x28 utf8\"",
        "\"overlong \xC0\xAF\"",
        "\"surrogate \xED\xA0\x80\"",
        "\"past max \xF4\x90\x80\x80\"",
        "\"truncated \xE4\xB8\"",
        "\"unterminated",
    };
    for (const auto& text : texts) {
        const std::string doc =
            R"({"country":"GT","name":{"es":)" + text + R"(,"n\u0061me_es":"x"},"types":[)" + text + "]}";
        bool valid = true;
        try {
            valid = !json::parse(doc).is_discarded();
        } catch (const json::parse_error&) {
            valid = false;
        }
        if (valid)
            check_direct(doc);
        else
            check_fallback(doc);
    }
}

TEST_CASE("coordinates come back bit for bit, whatever their formatting", "[records][stored]") {
    const std::vector<double> values{0.0,
                                     -0.0,
                                     15.0,
                                     -15.0,
                                     0.1,
                                     1.0 / 3,
                                     -90.51234567890123,
                                     179.99999999999997,
                                     DBL_MAX,
                                     -DBL_MAX,
                                     DBL_MIN,
                                     std::numeric_limits<double>::denorm_min(),
                                     5e-324,
                                     2.2250738585072009e-308,
                                     1e22,
                                     1e23,
                                     9007199254740993.0,
                                     123456789012345678.0};
    for (double v : values) {
        core::Service s = full_service();
        s.site->point = {v, -v};
        const std::string doc = stored_form(s);
        check_direct(doc);
        const auto direct = decoded(doc);
        REQUIRE(direct);
        CHECK(same_bits(direct->site->point.lon, v));
        CHECK(same_bits(direct->site->point.lat, -v));
    }
    std::mt19937_64 random(42);
    for (int i = 0; i < 20000; ++i) {
        double v = std::bit_cast<double>(random());
        if (!std::isfinite(v)) continue;
        if (i % 2) v = std::ldexp(static_cast<double>(random() >> 11), -53) * 360 - 180; // plausible longitudes
        const std::string doc = R"({"location":{"lat":)" + json(v).dump() + R"(,"lon":)" + json(-v).dump() + "}}";
        const auto direct = decoded(doc);
        REQUIRE(direct);
        if (!same_bits(direct->site->point.lat, v) || !same_bits(direct->site->point.lon, -v)) FAIL(doc);
    }
    // Integers where doubles are stored (15 rather than 15.0), exponents, and what nlohmann reads
    // from numbers it does not print: all as the reference reads them.
    for (const char* number : {"15",
                               "-15",
                               "0",
                               "-0",
                               "1E2",
                               "1e+2",
                               "-1.5e-3",
                               "2.50",
                               "0.0000001",
                               "1e-400",
                               "9223372036854775807",
                               "-9223372036854775808",
                               "18446744073709551615",
                               "1e400",
                               "01",
                               "1.",
                               ".5",
                               "+1",
                               "-",
                               "1e",
                               "0x10",
                               "NaN"}) {
        const std::string doc = std::string(R"({"location":{"lat":)") + number + R"(,"lon":1}})";
        bool direct = true;
        try {
            const json parsed = json::parse(doc);
            (void)core::service_from_json(parsed);
        } catch (const std::exception&) {
            direct = false;
        }
        if (direct && decoded(doc))
            check_direct(doc);
        else
            check_fallback(doc);
    }
}

TEST_CASE("nulls and plain-string texts decode directly as the reference reads them", "[records][stored]") {
    check_direct(
        R"({"name":"Servicio","description":"","cost":null,"location":null,"hours":null,"age":{"min":null,"max":3}})");
    check_direct(
        R"({"name":{"es":"","en":"x"},"address":{"street":null},"contacts":[{"kind":"phone","value":"1","label":null}]})");
    check_direct(
        R"({"hours":{"timezone":"America/Lima","weekly":[{"days":["mo","mo","su"],"opens":"00:00","closes":"24:00"}],"closures":[{"from":"2026-01-01","note":"Año nuevo"}]}})");
    check_direct(R"({"gender":"","location":{"lon":1,"lat":2,"coarsened":false,"precision":"admin1"}})");
    check_direct(R"( {"name":{"es":"a","es":"b"}} )"); // a repeated language keeps the last text
    check_direct(R"({"name":{"es":"a","es":""}})");
    check_direct(R"({})");
}

TEST_CASE("documents in other forms than the registry writes read as service_from_json reads them",
          "[records][stored]") {
    const std::string full = stored_form(full_service());
    auto with = [&](const std::string& member) { return "{" + member + "," + full.substr(1); };
    // Keys the stored form does not have, which the reference ignores or reads.
    check_fallback(with(R"("id":12)"));
    check_fallback(with(R"("created_at":"2026-01-01T00:00:00Z")"));
    check_fallback(with(R"("zzz_extra":{"a":[1,2,{"b":null}]})"));
    check_fallback(R"({"actor":{"source":"x","source_id":"y"},"name":{"es":"n"}})");
    check_fallback(R"({"location":{"lon":1,"lat":2,"extra":true}})");
    check_fallback(R"({"contacts":[{"kind":"phone","value":"1","note":"x"}]})");
    check_fallback(R"({"cost":"a","cost":"b"})"); // a repeated key
    check_fallback(R"({"cost":"a","cost":null})");
    // Wrong types and refused values: the reference's validation_error.
    check_fallback(with(R"("types":"PRO.BIP")"));
    check_fallback(R"({"types":["PRO.BIP",null]})");
    check_fallback(R"({"capacity":"40"})");
    check_fallback(R"({"capacity":40.0})");
    check_fallback(R"({"capacity":1000000001})");
    check_fallback(R"({"actor_id":18446744073709551615})");
    check_fallback(R"({"location":{"lon":"1","lat":2}})");
    check_fallback(R"({"location":{"lon":1}})");
    check_fallback(R"({"location":{"lon":1,"lat":2,"coarsened":true}})");
    check_fallback(R"({"location":{"lon":1,"lat":2,"precision":"street"}})");
    check_fallback(R"({"location":{"lon":1,"lat":2,"precision":""}})");
    check_fallback(R"({"location":[1,2]})");
    check_fallback(R"({"status":"closed"})");
    check_fallback(R"({"status":""})");
    check_fallback(R"({"visibility":"secret"})");
    check_fallback(R"({"illustrative":1})");
    check_fallback(R"({"name":{"es":1}})");
    check_fallback(R"({"name":["x"]})");
    check_fallback(R"({"contacts":[{"kind":"fax","value":"1"}]})");
    check_fallback(R"({"contacts":[{"kind":"phone","value":""}]})");
    check_fallback(R"({"contacts":[{"value":"1"}]})");
    check_fallback(R"({"contacts":["x"]})");
    check_fallback(R"({"hours":{"weekly":[{"days":[],"opens":"08:00","closes":"09:00"}]}})");
    check_fallback(R"({"hours":{"weekly":[{"days":["xx"],"opens":"08:00","closes":"09:00"}]}})");
    check_fallback(R"({"hours":{"weekly":[{"days":["mo"],"opens":"08:00","closes":"08:00"}]}})");
    check_fallback(R"({"hours":{"weekly":[{"days":["mo"],"opens":"24:00","closes":"08:00"}]}})");
    check_fallback(R"({"hours":{"weekly":[{"days":["mo"],"opens":"08:00","closes":"00:00"}]}})");
    check_fallback(R"({"hours":{"weekly":[{"days":["mo"],"opens":"8:00","closes":"09:00"}]}})");
    check_fallback(R"({"hours":{"weekly":[{"days":["mo"],"opens":"08:00"}]}})");
    check_fallback(R"({"hours":{"closures":[{"to":"2026-01-01"}]}})");
    check_fallback(R"({"age":{"min":-1000000001}})");
    // Not JSON, or not an object: nlohmann's parse error or the reference's validation_error.
    for (const char* doc :
         {"", "   ", "[]", "null", "\"x\"", "{", "{\"cost\":\"a\",}", "{\"cost\":\"a\"} x", "{\"cost\" \"a\"}",
          "{'cost':'a'}", "{\"illustrative\":tru}", "{\"illustrative\":truex}", "\xEF\xBB\xBF{}", "{\"cost\":\"a\"}{}"})
        check_fallback(doc);
}

TEST_CASE("a hand-edited stored document still reads through the registry", "[records][stored][sqlite]") {
    ScratchDir dir;
    std::int64_t id = 0;
    {
        auto registry = make_registry(dir);
        id = registry.put(enlace::test::service_at(-90.5, 14.6)).id;
    }
    {
        core::sqlite::Database db(dir.file("registry.db"), core::sqlite::open_mode::read_write);
        db.exec("UPDATE services SET doc = json_set(doc, '$.zzz_note', 'edited by hand', '$.capacity', 12)");
    }
    auto registry = core::Registry::open(dir.file("registry.db"));
    const auto got = registry.service_record(id);
    REQUIRE(got);
    CHECK(got->capacity == 12);
    CHECK(got->name.at("es") == "Servicio");
    REQUIRE(got->site);
    CHECK(got->site->point == core::GeoPoint{-90.5, 14.6});
}
