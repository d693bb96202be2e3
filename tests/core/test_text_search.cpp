// Full-text search folds accents and case on both sides, matches prefixes, and never lets FTS5
// syntax in the user's words through.
#include "enlace/core/errors.hpp"
#include "enlace/core/registry.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>

using namespace enlace;

namespace {

std::vector<std::string> names_found(const core::Registry& registry, const std::string& text) {
    core::ServiceQuery q;
    q.text = text;
    q.limit = 1000;
    std::vector<std::string> out;
    for (const auto& hit : registry.find(q).items)
        out.push_back(hit.service->name.begin()->second);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

TEST_CASE("ninez finds niñez, and accents or case in the query do not matter") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    registry.put(test::service_at(-90.51, 14.63, "GT", "PRO.AUTHORITY", "Procuraduría de la Niñez"));
    registry.put(test::service_at(-90.50, 14.60, "GT", "LEG.AID", "Atención jurídica"));
    auto english = test::service_at(-90.52, 14.61, "GT", "HLT.MED", "Clínica");
    english.description = {{"en", "Children's health clinic"}, {"fr", "Clinique pédiatrique"}};
    english.address.locality = "Mixco";
    registry.put(english);

    const std::vector<std::string> pgn{"Procuraduría de la Niñez"};
    REQUIRE(names_found(registry, "ninez") == pgn);
    REQUIRE(names_found(registry, "NIÑEZ") == pgn);
    REQUIRE(names_found(registry, "niñez procuraduria") == pgn);
    REQUIRE(names_found(registry, "procur") == pgn); // prefix
    REQUIRE(names_found(registry, "atencion juridica") == std::vector<std::string>{"Atención jurídica"});
    REQUIRE(names_found(registry, "pediatrique") == std::vector<std::string>{"Clínica"});
    REQUIRE(names_found(registry, "children") == std::vector<std::string>{"Clínica"});
    REQUIRE(names_found(registry, "mixco") == std::vector<std::string>{"Clínica"});
    REQUIRE(names_found(registry, "ninez juridica").empty()); // every word must match
}

TEST_CASE("FTS5 syntax in the query is taken as words, never as operators") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    registry.put(test::service_at(-90.51, 14.63, "GT", "PRO.AUTHORITY", "Oficina OR central"));
    for (const std::string text : {"\"oficina", "oficina\"", "oficina OR", "NEAR(oficina central)", "name:oficina",
                                   "oficina*", "^oficina", "oficina AND NOT x", "{oficina}"}) {
        INFO(text);
        REQUIRE_NOTHROW(names_found(registry, text));
    }
    REQUIRE(names_found(registry, "oficina OR").size() == 1);
    REQUIRE(names_found(registry, "oficina NOT").empty()); // NOT is a word the record lacks
    REQUIRE_THROWS_AS(names_found(registry, "\"*()"), core::query_error);
    REQUIRE_THROWS_AS(names_found(registry, std::string(600, 'a')), core::query_error);
}

TEST_CASE("a word finds every word it begins, however many, and words written since", "[text]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    // 60 distinct words beginning with "palabra": more than the store expands one by one.
    std::vector<std::string> expected;
    for (int i = 0; i < 60; ++i) {
        const std::string name = "Servicio palabra" + std::string(1, static_cast<char>('a' + i % 26)) +
                                 std::string(1, static_cast<char>('a' + i / 26)) + " " + std::to_string(i);
        registry.put(test::service_at(-90.5 + 0.001 * i, 14.6, "GT", "LEG.AID", name));
        expected.push_back(name);
    }
    std::sort(expected.begin(), expected.end());
    CHECK(names_found(registry, "palabra") == expected);
    std::vector<std::string> with_b;
    for (const auto& n : expected)
        if (n.find("palabrab") != std::string::npos) with_b.push_back(n);
    CHECK(names_found(registry, "palabrab") == with_b);
    CHECK(names_found(registry, "PALABRAB") == with_b);
    // A whole word also finds the longer words it begins, and a word written since.
    CHECK(names_found(registry, "nuevo").empty());
    registry.put(test::service_at(-90.4, 14.6, "GT", "LEG.AID", "Nuevosservicios de la niñez"));
    CHECK(names_found(registry, "nuevo") == std::vector<std::string>{"Nuevosservicios de la niñez"});
    CHECK(names_found(registry, "niñe") == std::vector<std::string>{"Nuevosservicios de la niñez"});
    CHECK(names_found(registry, "nin") == std::vector<std::string>{"Nuevosservicios de la niñez"});
}
