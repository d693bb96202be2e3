// GET /api/v1/report over the demo registry: HTML (default) and PDF, each parameter's error
// naming it, and one report at a time (503 with Retry-After while another renders).
#include "demo_handler.hpp"
#include "report_gate.hpp"

#include <catch2/catch.hpp>

using enlace::test::body;
using enlace::test::DemoHandler;

TEST_CASE("REST report: the compilation as HTML with its CSP, or as PDF") {
    DemoHandler h;
    h.add_field_records();
    const auto html = h.get("/api/v1/report?country=GT,SV&axis=3&lang=es");
    REQUIRE(html.status == 200);
    CHECK(html.content_type == "text/html; charset=utf-8");
    CHECK(html.header("Content-Security-Policy").rfind("default-src 'none'; style-src 'sha256-", 0) == 0);
    CHECK(html.body.find("<html lang=\"es\">") != std::string::npos);
    CHECK(html.body.find("Protocolo nacional de recepción y Casa Nuestras Raíces") != std::string::npos);
    CHECK(html.body.find("Oficiales de Protección a la Infancia") == std::string::npos); // Mexico's
    CHECK(html.body.find("id=\"c-GT-a2\"") == std::string::npos);                        // axis 3 only
    // The public view: the restricted service of the field records never shows.
    CHECK(html.body.find("Equipo de gestión de casos (uso interno)") == std::string::npos);

    const auto pdf = h.get("/api/v1/report?country=SV&format=pdf&paper=letter&lang=fr");
    REQUIRE(pdf.status == 200);
    CHECK(pdf.content_type == "application/pdf");
    CHECK(pdf.body.rfind("%PDF-", 0) == 0);
    CHECK(pdf.header("Content-Disposition") == "inline; filename=\"enlace-report.pdf\"");
}

TEST_CASE("REST report: a bad parameter is a 400 that names it") {
    DemoHandler h;
    for (const auto& [query, parameter] :
         std::vector<std::pair<std::string, std::string>>{{"country=GT,XX", "country"},
                                                          {"axis=7", "axis"},
                                                          {"lang=de", "lang"},
                                                          {"format=docx", "format"},
                                                          {"paper=a3", "paper"},
                                                          {"countries=GT", "countries"}}) {
        INFO(query);
        const auto r = h.get("/api/v1/report?" + query);
        CHECK(r.status == 400);
        CHECK(r.content_type == "application/problem+json");
        CHECK(body(r)["parameter"] == parameter);
    }
    CHECK(body(h.get("/api/v1/report?country=XX"))["detail"].get<std::string>().find("'XX'") != std::string::npos);
    CHECK(h.get("/api/v1/report", "", "POST").status == 405);
}

TEST_CASE("REST report: one renders at a time, another request meanwhile gets 503 with Retry-After") {
    DemoHandler h;
    {
        const std::lock_guard rendering(enlace::http::detail::report_gate());
        const auto busy = h.get("/api/v1/report?country=GT");
        CHECK(busy.status == 503);
        CHECK(busy.header("Retry-After") == std::to_string(enlace::http::detail::report_retry_after_s));
        CHECK(busy.content_type == "application/problem+json");
        // Parameters are checked before the gate: a bad one is still a 400.
        CHECK(h.get("/api/v1/report?lang=xx").status == 400);
    }
    CHECK(h.get("/api/v1/report?country=GT").status == 200);
}
