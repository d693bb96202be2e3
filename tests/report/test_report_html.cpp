// The compiled report's HTML over the demo registry and the real-shaped field records: what it
// holds (the selected countries' published practices, every template field, maps, annex), and
// what it never holds (exact points of sensitive sites, restricted records, personal contacts,
// unescaped text).
#include "enlace/report/report.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/data/embedded.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>

using namespace enlace;

namespace {

struct Registry {
    test::ScratchDir dir;
    core::Registry registry = test::make_registry(dir);
    Registry() {
        registry.load_dataset(std::string(*data::embedded("demo.json")));
        registry.load_dataset(test::test_data("field_records.json"));
    }
    std::string html(const std::string& countries, const std::string& axes = "", const std::string& lang = "es") {
        const auto options = report::parse_options(registry.reference(), countries, axes, lang, "a4");
        return report::Report::collect(registry, options).html();
    }
};

std::vector<std::string> published_titles(const core::Registry& registry, bool in_selection(const core::Practice&)) {
    core::PracticeQuery q;
    q.limit = 1000;
    std::vector<std::string> out;
    for (const auto& p : registry.find(q).items)
        if (in_selection(p)) out.push_back(p.title.at("es"));
    return out;
}

bool in_gt_or_sv(const core::Practice& p) {
    for (const auto& c : p.countries)
        if (c == "GT" || c == "SV") return true;
    return false;
}
bool outside_gt_and_sv(const core::Practice& p) { return !in_gt_or_sv(p); }

/// Text as the report writes it in HTML (the titles hold no character it escapes but these).
std::string as_html(const std::string& text) {
    return std::regex_replace(std::regex_replace(text, std::regex("&"), "&amp;"), std::regex("'"), "&#39;");
}

struct Mark {
    double lon, lat;
    bool approximate;
};

/// The value of attribute `name` in the tag starting at `at`.
double attribute(const std::string& html, std::size_t at, const std::string& name) {
    const auto tag_end = html.find('>', at);
    const auto found = html.find(" " + name + "=\"", at);
    REQUIRE(found < tag_end);
    return std::stod(html.substr(found + name.size() + 3));
}

/// Every service mark of every map, projected back to lon/lat from the svg's own projection
/// (read with find: std::regex recurses per character and overflows on pages this long).
std::vector<Mark> map_marks(const std::string& html) {
    std::vector<Mark> marks;
    for (auto at = html.find("<svg class=\"map\""); at != std::string::npos;
         at = html.find("<svg class=\"map\"", at + 1)) {
        const double west = attribute(html, at, "data-west"), north = attribute(html, at, "data-north"),
                     scale = attribute(html, at, "data-scale"), coslat = attribute(html, at, "data-coslat");
        const auto end = html.find("</svg>", at);
        for (auto c = html.find("<circle class=\"", at); c < end; c = html.find("<circle class=\"", c + 1)) {
            const bool approximate = html.compare(c + 15, 7, "approx\"") == 0;
            if (!approximate && html.compare(c + 15, 3, "pt\"") != 0) continue;
            double lon = attribute(html, c, "cx") / (scale * coslat) + west;
            if (lon > 180) lon -= 360;
            marks.push_back({lon, north - attribute(html, c, "cy") / scale, approximate});
        }
    }
    return marks;
}

bool near(const Mark& m, const core::GeoPoint& p, double degrees) {
    return std::abs(m.lon - p.lon) < degrees && std::abs(m.lat - p.lat) < degrees;
}

} // namespace

TEST_CASE("the practices of the selected countries, and no others", "[report]") {
    Registry r;
    const auto html = r.html("GT,SV");
    const auto inside = published_titles(r.registry, in_gt_or_sv);
    const auto outside = published_titles(r.registry, outside_gt_and_sv);
    REQUIRE(inside.size() >= 4); // GT's and SV's demo practices, the regional one, the field record's
    REQUIRE(outside.size() >= 5);
    for (const auto& title : inside) {
        INFO(title);
        CHECK(html.find(as_html(title)) != std::string::npos);
    }
    for (const auto& title : outside) {
        INFO(title);
        CHECK(html.find(as_html(title)) == std::string::npos);
    }
    // Unpublished practices never appear.
    CHECK(html.find("Protocolo de acogida en frontera (borrador)") == std::string::npos);
    // Chapters in the order asked for; the regional practice is whole once and referred to after.
    CHECK(html.find("<h2 id=\"c-GT\">1. Guatemala</h2>") < html.find("<h2 id=\"c-SV\">2. El Salvador</h2>"));
    CHECK(html.find("<p class=\"see\">") != std::string::npos);
}

TEST_CASE("an axis narrows the practices, and every template field is shown", "[report]") {
    Registry r;
    const auto html = r.html("SV", "2");
    CHECK(html.find("id=\"c-SV-a2\"") != std::string::npos);
    CHECK(html.find("id=\"c-SV-a3\"") == std::string::npos);
    CHECK(html.find(">1.1 Eje 2. ") != std::string::npos);
    for (const auto* label : {"Países",
                              "Ámbito geográfico",
                              "Actores que la implementan",
                              "Socios y su papel",
                              "Período",
                              "Ejes de la CRM",
                              "Tipos de servicio",
                              "Objetivos del Pacto Mundial para la Migración",
                              "Población destinataria",
                              "Problema que aborda",
                              "Descripción",
                              "Recursos",
                              "Resultados",
                              "Nivel de evidencia",
                              "Lecciones aprendidas",
                              "Replicabilidad",
                              "Sostenibilidad",
                              "Institucionalizada en ley o protocolo",
                              "Con partida presupuestaria",
                              "Principios de protección aplicados",
                              "Contacto institucional",
                              "Fuentes",
                              "Validación",
                              "Idioma original",
                              "Licencia",
                              "Servicios vinculados"}) {
        INFO(label);
        CHECK(html.find(std::string("<dt>") + label + "</dt>") != std::string::npos);
    }
    CHECK(html.find("No consta") != std::string::npos); // the demo leaves fields empty: said so
}

TEST_CASE("no exact point of a sensitive site in any map, and its public point is there", "[report]") {
    Registry r;
    const auto html = r.html("GT,SV,MX,PA,DO");
    const auto marks = map_marks(html);
    REQUIRE(marks.size() > 10);

    core::ServiceQuery q;
    q.countries = {"GT", "SV", "MX", "PA", "DO"};
    q.audience = core::Audience::authorised;
    q.limit = 1000;
    // Points of public services that are not sensitive: a demo shelter may share its city-level
    // point with one of them, whose dot is then no leak.
    std::vector<core::GeoPoint> open_points;
    auto public_query = q;
    public_query.audience = core::Audience::public_;
    for (const auto& hit : r.registry.find(public_query).items)
        if (const auto site = hit.service.site(); site && !site->coarsened) open_points.push_back(site->point);
    int sensitive = 0, checked = 0;
    for (const auto& hit : r.registry.find(q).items) {
        const auto& whole = *hit.service.record();
        if (!whole.coarsened || !whole.site) continue;
        ++sensitive;
        INFO("service " << whole.id);
        const auto public_view = r.registry.public_service(whole.id);
        REQUIRE(public_view);
        REQUIRE(public_view->site);
        bool at_public = false;
        const bool shared = std::any_of(open_points.begin(), open_points.end(), [&](const core::GeoPoint& p) {
            return near(Mark{p.lon, p.lat, false}, whole.site->point, 0.001);
        });
        checked += shared ? 0 : 1;
        for (const auto& m : marks) {
            if (!shared) CHECK_FALSE(near(m, whole.site->point, 0.001));
            at_public = at_public ||
                        (m.approximate && near(m, public_view->site->point, 0.05)); // marks within half a unit merge
        }
        CHECK(at_public);
        // Nor in the text: no coordinates are written, and no street of a sensitive site.
        char lat[32];
        std::snprintf(lat, sizeof lat, "%.4f", whole.site->point.lat);
        CHECK(html.find(lat) == std::string::npos);
        if (!whole.address.street.empty()) CHECK(html.find(whole.address.street) == std::string::npos);
    }
    CHECK(sensitive >= 4); // the demo's shelters and the field records' GBV shelter
    CHECK(checked >= 3);
}

TEST_CASE("restricted services and personal contacts never appear, illustrative records are marked", "[report]") {
    Registry r;
    const auto html = r.html("GT");
    const auto field = nlohmann::json::parse(test::test_data("field_records.json"));
    for (const auto& s : field["services"]) {
        if (s.value("visibility", "public") == "restricted") {
            for (const auto& [lang, name] : s["name"].items()) {
                INFO(name);
                CHECK(html.find(name.get<std::string>()) == std::string::npos);
            }
        }
        for (const auto& c : s.value("contacts", nlohmann::json::array()))
            if (c.value("personal", false)) CHECK(html.find(c["value"].get<std::string>()) == std::string::npos);
    }
    // The field practice links the restricted service and a public one: only the public one shows.
    CHECK(html.find("Red de asesoría legal gratuita para niñez migrante") != std::string::npos);
    CHECK(html.find("registros marcados como ilustrativos") != std::string::npos);
    CHECK(html.find("<span class=\"illus\">ilustrativo</span>") != std::string::npos);
}

TEST_CASE("stored text is escaped, and the document carries its CSP", "[report]") {
    Registry r;
    r.registry.load_dataset(R"({"source":"t","practices":[{"source_id":"x",
        "title":{"es":"<script>alert(1)</script> & \"comillas\" <img src=x onerror=alert(2)>"},
        "countries":["SV"],"axes":[3],"review_status":"published",
        "description":{"es":"</dd><style>body{display:none}</style>"}}]})");
    const auto html = r.html("SV");
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;comillas&quot;") != std::string::npos);
    CHECK(html.find("&lt;/dd&gt;&lt;style&gt;") != std::string::npos);
    const auto csp = report::content_security_policy();
    CHECK(csp.rfind("default-src 'none'; style-src 'sha256-", 0) == 0);
    CHECK(html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"" +
                    std::regex_replace(csp, std::regex("'"), "&#39;") + "\">") != std::string::npos);
    CHECK(std::count(html.begin(), html.end(), '<') > 0);
    CHECK(html.find(" style=") == std::string::npos); // no inline style attribute: the CSP would refuse it
}

TEST_CASE("cover, contents, introduction, actors and the annex with its gaps, in three languages", "[report]") {
    Registry r;
    const auto es = r.html("GT,SV");
    CHECK(es.find("<html lang=\"es\">") != std::string::npos);
    CHECK(es.find("Compilación de buenas prácticas") != std::string::npos);
    CHECK(es.find("<h2>Índice</h2>") != std::string::npos);
    CHECK(es.find("para Guatemala y El Salvador.") != std::string::npos);
    CHECK(es.find("id=\"actors\">Índice de actores") != std::string::npos);
    CHECK(es.find("Anexo: servicios por país y familia de servicio") != std::string::npos);
    CHECK(es.find("<td class=\"gap\">—</td>") != std::string::npos);
    CHECK(es.find("<svg class=\"chart\"") != std::string::npos);
    CHECK(es.find("Recepción y acogida") != std::string::npos); // taxonomy labels from the reference data

    const auto en = r.html("GT,SV", "", "en");
    CHECK(en.find("<html lang=\"en\">") != std::string::npos);
    CHECK(en.find("for Guatemala and El Salvador.") != std::string::npos);
    CHECK(en.find("Reception &amp; care") != std::string::npos);
    CHECK(en.find("Index of actors") != std::string::npos);

    const auto fr = r.html("GT,SV", "", "fr");
    CHECK(fr.find("<html lang=\"fr\">") != std::string::npos);
    CHECK(fr.find("Table des matières") != std::string::npos);
    CHECK(fr.find("Accueil et prise en charge") != std::string::npos);
    CHECK(fr.find("pour Guatemala et El Salvador.") != std::string::npos);
}

TEST_CASE("options are checked, each error naming its parameter", "[report]") {
    Registry r;
    const auto& ref = r.registry.reference();
    auto parameter_of = [&](const std::string& c, const std::string& a, const std::string& l, const std::string& p) {
        try {
            report::parse_options(ref, c, a, l, p);
        } catch (const core::query_error& e) {
            return e.parameter();
        }
        return std::string("none");
    };
    CHECK(parameter_of("GT,XX", "", "es", "a4") == "country");
    CHECK(parameter_of("GT", "6", "es", "a4") == "axis");
    CHECK(parameter_of("GT", "tres", "es", "a4") == "axis");
    CHECK(parameter_of("GT", "", "de", "a4") == "lang");
    CHECK(parameter_of("GT", "", "es", "a3") == "paper");
    CHECK(parameter_of("gt, el salvador", "3,2", "en", "letter") == "none");
    const auto o = report::parse_options(ref, "gt, el salvador", "3,2", "en", "letter");
    CHECK(o.countries == std::vector<std::string>{"GT", "SV"});
    CHECK(o.axes == std::vector<int>{3, 2});
    CHECK(o.paper == report::Paper::letter);
}

TEST_CASE("the Strategic Plan's table: confirmed entities only, the open cells by country", "[report][plan]") {
    Registry r;
    const auto holder = core::Caller::holder("test");
    CHECK(r.html("GT,SV").find("id=\"plan\"") == std::string::npos); // no Plan loaded: no section
    r.registry.load_plan(holder, core::PlanStructure::from_json(*data::embedded("strategic_plan.json")));
    core::ActorQuery q;
    q.countries = {"GT"};
    q.limit = 100;
    std::map<std::string, core::Actor> gt;
    for (const auto& a : r.registry.find(q).items)
        gt.emplace(a.source_id, a);
    const auto& pgn = gt.at("gt-pgn");
    const auto& igm = gt.at("gt-igm");
    r.registry.propose_plan(holder, "1.1.1", "GT", {pgn.id});
    r.registry.confirm_plan(holder, "1.1.1", "GT");
    r.registry.add_plan_note(holder, "1.1.1", "GT", "2026-11-30", "Nota interna de seguimiento");
    r.registry.propose_plan(holder, "1.1.2", "GT", {igm.id});

    const auto html = r.html("GT,SV");
    const auto at = html.find("<section class=\"plan\">");
    REQUIRE(at != std::string::npos);
    const auto section = html.substr(at, html.find("</section>", at) - at);
    CHECK(section.find("Plan Estratégico 2017-2022: entidades responsables") != std::string::npos);
    CHECK(section.find("ilustrativa") != std::string::npos);
    CHECK(section.find(pgn.name.at("es")) != std::string::npos); // confirmed: named
    CHECK(section.find(igm.name.at("es")) == std::string::npos); // proposed: its country only
    CHECK(section.find("Nota interna") == std::string::npos);    // no notes
    CHECK(section.find("holder:") == std::string::npos);         // no one's name
    CHECK(section.find("1 de 30 casillas confirmadas; 28 sin entidad propuesta.") != std::string::npos);
    CHECK(html.find("href=\"#plan\"") != std::string::npos); // in the contents
    const auto options = report::parse_options(r.registry.reference(), "GT,SV", "", "en", "a4");
    const auto anchors = report::Report::collect(r.registry, options).toc_anchors();
    CHECK(std::find(anchors.begin(), anchors.end(), "plan") + 1 == std::find(anchors.begin(), anchors.end(), "annex"));
    CHECK(r.html("GT", "", "en").find("Strategic Plan 2017-2022: responsible entities") != std::string::npos);
}
