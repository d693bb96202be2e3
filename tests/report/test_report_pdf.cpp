// The compiled report printed by Debian's chromium, read back with poppler-utils (and qpdf for its
// links' boxes): the selected countries' practices and nothing else, the page count, the contents'
// page numbers against the pages where the sections are, the number in every link's box, the
// paper size; sample pages as PNG under the build folder.
#include "enlace/report/report.hpp"

#include "enlace/data/embedded.hpp"
#include "support/pdf_reading.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>

using namespace enlace;

namespace {

struct Printed {
    test::ScratchDir dir;
    core::Registry registry = test::make_registry(dir);
    std::string pdf;
    std::vector<std::string> pages;

    Printed(const std::string& countries, const std::string& lang, const std::string& paper, const std::string& name) {
        registry.load_dataset(std::string(*data::embedded("demo.json")));
        registry.load_dataset(test::test_data("field_records.json"));
        const auto options = report::parse_options(registry.reference(), countries, "", lang, paper);
        const auto bytes = report::Report::collect(registry, options).pdf();
        pdf = (std::filesystem::path(ENLACE_REPORT_ARTIFACTS) / (name + ".pdf")).string();
        std::filesystem::create_directories(ENLACE_REPORT_ARTIFACTS);
        std::ofstream(pdf, std::ios::binary) << bytes;
        pages = test::pdf_pages(pdf);
    }

    /// Sample pages as PNG beside the PDF (name-1.png ...), for a person to look at.
    void screenshots(int last) const {
        const auto prefix = pdf.substr(0, pdf.size() - 4);
        test::output_of("pdftoppm -png -r 50 -f 1 -l " + std::to_string(last) + " " + test::quoted_path(pdf) + " " +
                        test::quoted_path(prefix));
    }
};

struct TocLine {
    std::string text;
    int page;
};

/// The lines of the table of contents (pages 2 .. the introduction's page - 1): "text   12".
std::vector<TocLine> toc_lines(const Printed& p, int first_body_page) {
    std::vector<TocLine> out;
    const std::regex line(R"(^\s*(\S.*?)\s{2,}(\d+)\s*$)");
    for (int page = 2; page < first_body_page; ++page) {
        std::istringstream lines(p.pages[static_cast<std::size_t>(page - 1)]);
        std::string l;
        std::smatch m;
        while (std::getline(lines, l))
            if (std::regex_match(l, m, line)) out.push_back({m[1], std::stoi(m[2])});
    }
    return out;
}

} // namespace

TEST_CASE("PDF: contents' page numbers are the pages the sections are on", "[report][pdf]") {
    Printed p("GT,SV", "es", "a4", "report-gt-sv-es-a4");
    p.screenshots(6);
    const int pages = std::stoi(test::pdf_info(p.pdf, "Pages"));
    CHECK(static_cast<int>(p.pages.size()) == pages);
    CHECK(test::pdf_info(p.pdf, "Page size").find("(A4)") != std::string::npos);
    CHECK(pages >= 8); // cover, contents, introduction, two chapters, actors, annex

    const auto dests = test::pdf_dests(p.pdf);
    REQUIRE(dests.count("intro"));
    REQUIRE(dests.count("annex"));
    const int intro = dests.at("intro");
    CHECK(intro >= 3);
    CHECK(dests.at("annex") <= pages);
    CHECK(p.pages[0].find("Compilación de buenas prácticas") != std::string::npos);
    CHECK(p.pages[1].find("Índice") != std::string::npos);

    // Every line of the contents names a page, and that page holds the section's heading; the
    // numbered headings (chapters 1, 2 and their axes 1.1 ...) are looked for word for word.
    const auto lines = toc_lines(p, intro);
    REQUIRE(lines.size() >= 8);
    int numbered = 0;
    for (const auto& line : lines) {
        INFO(line.text << " -> " << line.page);
        REQUIRE(line.page >= intro);
        REQUIRE(line.page <= pages);
        const auto& text = p.pages[static_cast<std::size_t>(line.page - 1)];
        if (std::regex_match(line.text, std::regex(R"(\d+\.(\d+)? .*)"))) {
            ++numbered;
            CHECK(text.find(line.text) != std::string::npos);
            // ... and on no page before it after the contents.
            for (int before = intro; before < line.page; ++before)
                CHECK(p.pages[static_cast<std::size_t>(before - 1)].find(line.text) == std::string::npos);
        }
    }
    CHECK(numbered >= 4);
    for (const auto* section :
         {"Introducción", "Índice de actores", "Anexo: servicios por país y familia de servicio"}) {
        INFO(section);
        bool found = false;
        for (const auto& line : lines)
            if (line.text == section) {
                found = true;
                CHECK(test::squeezed(p.pages[static_cast<std::size_t>(line.page - 1)]).find(section) !=
                      std::string::npos);
            }
        CHECK(found);
    }
    // The number printed at the foot of each page is that page's place in the file.
    for (int page = 2; page <= pages; ++page) {
        INFO("page " << page);
        const auto& text = p.pages[static_cast<std::size_t>(page - 1)];
        const auto last = text.find_last_not_of(" \n");
        const auto start = text.find_last_of(" \n", last);
        CHECK(text.substr(start + 1, last - start) == std::to_string(page));
    }

    // The practices of Guatemala and El Salvador, and no other country's.
    const auto all = test::squeezed(test::pdf_text(p.pdf));
    CHECK(all.find("Protocolo nacional de recepción") != std::string::npos);
    CHECK(all.find("Red de asesoría legal gratuita para niñez migrante") != std::string::npos);
    core::PracticeQuery q;
    q.limit = 1000;
    for (const auto& practice : p.registry.find(q).items) {
        const bool selected =
            std::find(practice.countries.begin(), practice.countries.end(), "GT") != practice.countries.end() ||
            std::find(practice.countries.begin(), practice.countries.end(), "SV") != practice.countries.end();
        INFO(practice.title.at("es"));
        CHECK((all.find(test::squeezed(practice.title.at("es"))) != std::string::npos) == selected);
    }
    CHECK(all.find("4a Calle 12-34") == std::string::npos); // a sensitive site's street
    CHECK(all.find("+502 5500 0456") == std::string::npos); // a personal contact
}

namespace {

struct Box {
    double left, bottom, right, top;
};

/// The text poppler reads inside a box of a page (PDF points, origin at the bottom left).
std::string text_in_box(const std::string& pdf, int page, const Box& box, double page_top) {
    const auto n = std::to_string(page);
    const auto whole = [](double v) { return std::to_string(static_cast<int>(v)); };
    auto text = test::output_of("pdftotext -enc UTF-8 -f " + n + " -l " + n + " -x " + whole(box.left - 1) + " -y " +
                                whole(page_top - box.top - 1) + " -W " + whole(box.right - box.left + 3) + " -H " +
                                whole(box.top - box.bottom + 3) + " " + test::quoted_path(pdf) + " -");
    std::erase_if(text, [](char c) { return c == '\n' || c == '\f' || c == ' '; });
    return text;
}

struct Link {
    int page;
    std::string destination;
    Box box;
    double page_top;
};

/// Every link annotation to a named destination, as qpdf's JSON shows the file's objects.
std::vector<Link> named_links(const std::string& pdf) {
    const auto json = nlohmann::json::parse(
        test::output_of("qpdf --json=2 --json-key=pages --json-key=qpdf " + test::quoted_path(pdf)));
    const auto& objects = json.at("qpdf").at(1);
    const auto value = [&](const nlohmann::json& v) -> const nlohmann::json& {
        return v.is_string() && v.get<std::string>().ends_with(" R")
                   ? objects.at("obj:" + v.get<std::string>()).at("value")
                   : v;
    };
    std::vector<Link> out;
    for (const auto& page : json.at("pages")) {
        const auto& dictionary = value(page.at("object"));
        const auto& media = value(dictionary.at("/MediaBox"));
        if (!dictionary.contains("/Annots")) continue;
        for (const auto& ref : value(dictionary.at("/Annots"))) {
            const auto& annotation = value(ref);
            if (annotation.value("/Subtype", "") != "/Link" || !annotation.contains("/Dest")) continue;
            const auto& dest = annotation.at("/Dest");
            if (!dest.is_string() || !dest.get<std::string>().starts_with("/")) continue;
            const auto& r = value(annotation.at("/Rect"));
            out.push_back({page.at("pageposfrom1").get<int>(),
                           dest.get<std::string>().substr(1),
                           {r.at(0).get<double>(), r.at(1).get<double>(), r.at(2).get<double>(), r.at(3).get<double>()},
                           media.at(3).get<double>()});
        }
    }
    return out;
}

} // namespace

TEST_CASE("PDF: every link to a section shows, in its own box, the page the section starts on", "[report][pdf]") {
    Printed p("GT,SV", "es", "a4", "report-gt-sv-es-a4-links");
    // The file, with the update that carries the numbers, is whole: qpdf finds no error and no
    // warning (a warning is exit status 3, which output_of refuses).
    CHECK(test::output_of("qpdf --check " + test::quoted_path(p.pdf)).find("No syntax or stream encoding errors") !=
          std::string::npos);

    const auto dests = test::pdf_dests(p.pdf); // poppler's reading of where each section starts
    int checked = 0, in_actors_index = 0, references = 0;
    for (const auto& link : named_links(p.pdf)) {
        INFO("page " << link.page << ", link to " << link.destination);
        REQUIRE(dests.count(link.destination));
        CHECK(text_in_box(p.pdf, link.page, link.box, link.page_top) == std::to_string(dests.at(link.destination)));
        ++checked;
        if (link.page == dests.at("actors")) ++in_actors_index;
        if (link.page > dests.at("intro") && link.page < dests.at("actors")) ++references; // "see the entry, page N"
    }
    CHECK(checked >= static_cast<int>(p.pages.size()));
    CHECK(in_actors_index >= 4);
    CHECK(references >= 1);
}

TEST_CASE("PDF: Letter paper in English", "[report][pdf]") {
    Printed p("SV", "en", "letter", "report-sv-en-letter");
    p.screenshots(3);
    CHECK(test::pdf_info(p.pdf, "Page size").find("(letter)") != std::string::npos);
    const auto all = test::squeezed(test::pdf_text(p.pdf));
    CHECK(all.find("Compilation of good practices") != std::string::npos);
    CHECK(all.find("Index of actors") != std::string::npos);
    CHECK(all.find("Child-friendly first-contact office") != std::string::npos);
    CHECK(all.find("Child Protection Officers (OPI)") == std::string::npos);
}
