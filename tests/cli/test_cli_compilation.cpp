// `enlace report OUT.pdf|OUT.html` from the shell over `enlace init --demo`: the file written,
// read back with pdftotext; usage errors (exit 2) naming the flag; OUT untouched on an error.
#include "cli/cli_shell.hpp"
#include "support/pdf_reading.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace enlace::test;

TEST_CASE("report from the shell: PDF and HTML of the demo registry", "[cli][report]") {
    ScratchDir dir;
    Shell enlace(dir);
    REQUIRE(enlace("init --demo").code == 0);

    const auto pdf = enlace.file("compilacion.pdf");
    // The issue's own spelling (-o); the HTML below names OUT as a positional.
    const Run printed = enlace("report --country GT,SV --axis 3 --lang es -o " + shell_quoted(pdf));
    INFO(printed.err);
    REQUIRE(printed.code == 0);
    CHECK(printed.err.find("public view") != std::string::npos);
    CHECK(slurp(pdf).rfind("%PDF-", 0) == 0);
    const auto text = squeezed(pdf_text(pdf));
    CHECK(text.find("Protocolo nacional de recepción y Casa Nuestras Raíces") != std::string::npos);
    CHECK(text.find("Oficina amigable para la niñez en el aeropuerto internacional") != std::string::npos);
    CHECK(text.find("Hogar comunitario transitorio en Darién") == std::string::npos); // Panama's
    CHECK(text.find("Eje 3. Recepción y atención psicosocial") != std::string::npos);
    CHECK(std::stoi(pdf_info(pdf, "Pages")) == static_cast<int>(pdf_pages(pdf).size()));

    const auto html = enlace.file("compilation.html");
    const Run written = enlace("report " + shell_quoted(html) + " --country CA --lang fr --paper letter");
    INFO(written.err);
    REQUIRE(written.code == 0);
    const auto page = slurp(html);
    CHECK(page.find("<html lang=\"fr\">") != std::string::npos);
    CHECK(page.find("Directive nationale sur la détention ou l&#39;hébergement des mineurs") != std::string::npos);
    CHECK(page.find("size:letter") != std::string::npos);

    // An existing OUT is kept unless --overwrite.
    const Run again = enlace("report " + shell_quoted(html) + " --country CA");
    CHECK(again.code == 2);
    check_one_line_error(again);
    CHECK(again.err.find("--overwrite") != std::string::npos);
    CHECK(slurp(html) == page);
    CHECK(enlace("report " + shell_quoted(html) + " --country MX --overwrite").code == 0);
    CHECK(slurp(html).find("Oficiales de Protección a la Infancia") != std::string::npos);
}

TEST_CASE("report from the shell: bad flags name themselves, and write nothing", "[cli][report]") {
    ScratchDir dir;
    Shell enlace(dir);
    REQUIRE(enlace("init --demo").code == 0);
    const auto out = enlace.file("r.html");
    for (const auto& [args, flag] : std::vector<std::pair<std::string, std::string>>{{"--country GT,XX", "--country"},
                                                                                     {"--axis 9", "--axis"},
                                                                                     {"--lang de", "--lang"},
                                                                                     {"--paper a3", "--paper"}}) {
        INFO(args);
        const Run bad = enlace("report " + shell_quoted(out) + " " + args);
        CHECK(bad.code == 2);
        check_one_line_error(bad);
        CHECK(bad.err.find(flag) != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(out));
    }
    const Run text = enlace("report " + shell_quoted(enlace.file("r.txt")));
    CHECK(text.code == 2);
    CHECK(text.err.find(".pdf or .html") != std::string::npos);
    // `enlace reports` (problem reports) is another command.
    CHECK(enlace("reports").code == 0);
    CHECK(enlace("report").code == 2);
}
