// The PDF: the same HTML printed by headless chromium (one layout for screen and paper). Chromium
// does not compute target-counter(), so the table of contents gets its page numbers in a second
// print: the first one's named destinations (chromium writes one for every element a link of the
// document points at, painted or not) say on which page each section starts, as `pdfinfo -dests`
// reads them.
#include "child_process.hpp"
#include "report_data.hpp"

#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

namespace enlace::report {
namespace {

std::string chromium_path(const PdfSettings& settings) {
    std::string name = settings.chromium;
    if (name.empty()) {
        const char* env = std::getenv("ENLACE_CHROMIUM");
        name = env && *env ? env : "chromium";
    }
    const auto path = detail::find_program(name);
    if (path.empty())
        throw std::runtime_error("the PDF report needs Debian's chromium (apt-get install chromium), and '" + name +
                                 "' was not found: install it, set ENLACE_CHROMIUM, or write the report as .html");
    return path;
}

std::string last_lines(const std::string& text) {
    const auto start = text.size() > 400 ? text.size() - 400 : 0;
    return text.substr(start);
}

void print_pdf(const std::string& chromium, const detail::TempFolder& folder, const std::string& html,
               const std::string& pdf, const PdfSettings& settings) {
    const auto page = folder.file("report.html");
    detail::write_file(page, html);
    std::vector<std::string> argv{chromium,
                                  "--headless",
                                  "--disable-gpu",
                                  "--no-first-run",
                                  "--no-default-browser-check",
                                  "--disable-extensions",
                                  "--disable-background-networking",
                                  "--disable-component-update",
                                  "--disable-sync",
                                  "--disable-crash-reporter",
                                  "--user-data-dir=" + folder.file("profile"),
                                  "--no-pdf-header-footer",
                                  "--print-to-pdf=" + pdf};
    // Chromium's sandbox refuses to start as root (a container's usual user): the page is our own
    // document, which loads nothing (CSP default-src 'none', no script).
    if (::geteuid() == 0) argv.push_back("--no-sandbox");
    argv.push_back("file://" + page);
    const auto log = folder.file("chromium.log");
    const int status = detail::run_child(argv, folder.file("chromium.out"), log, settings.timeout);
    std::error_code ec;
    if (status != 0 || std::filesystem::file_size(pdf, ec) == 0 || ec)
        throw std::runtime_error("chromium could not print the report (exit status " + std::to_string(status) +
                                 "): " + last_lines(detail::read_file(log)));
}

/// The page of each named destination of the PDF (`pdfinfo -dests`: "  12 [ XYZ ... ] "name"").
PageNumbers destinations(const std::string& pdf, const detail::TempFolder& folder, const PdfSettings& settings) {
    const auto pdfinfo = detail::find_program(settings.pdfinfo);
    if (pdfinfo.empty())
        throw std::runtime_error("the PDF report needs pdfinfo (apt-get install poppler-utils) to number its "
                                 "table of contents, and '" +
                                 settings.pdfinfo + "' was not found");
    const auto out = folder.file("dests.txt");
    if (detail::run_child({pdfinfo, "-dests", pdf}, out, folder.file("pdfinfo.log"), settings.timeout) != 0)
        throw std::runtime_error("pdfinfo could not read the printed report: " +
                                 last_lines(detail::read_file(folder.file("pdfinfo.log"))));
    PageNumbers pages;
    std::istringstream lines(detail::read_file(out));
    std::string line;
    while (std::getline(lines, line)) {
        const auto open = line.find('"'), close = line.rfind('"');
        if (open == std::string::npos || close <= open) continue;
        int page = 0;
        try {
            page = std::stoi(line);
        } catch (const std::exception&) {
            continue;
        }
        pages[line.substr(open + 1, close - open - 1)] = page;
    }
    return pages;
}

} // namespace

std::string Report::pdf(const PdfSettings& settings) const {
    const auto chromium = chromium_path(settings);
    const detail::TempFolder folder;
    const auto pdf = folder.file("report.pdf");
    // The first print holds "888" where each number goes: the widest three digits, in boxes of
    // fixed width, so that the real numbers take exactly the same room.
    const auto anchors = toc_anchors();
    PageNumbers numbers;
    for (const auto& anchor : anchors)
        numbers[anchor] = 888;
    // The first print paints nothing: it only says where the sections fall, for half the cost of
    // a whole one. Each later print is whole, and is the result once its own destinations are the
    // numbers it shows.
    for (int pass = 0; pass < 4; ++pass) {
        const bool layout_only = pass == 0;
        print_pdf(chromium, folder, render(numbers, layout_only), pdf, settings);
        const auto found = destinations(pdf, folder, settings);
        PageNumbers next;
        for (const auto& anchor : anchors) {
            const auto at = found.find(anchor);
            if (at == found.end()) throw std::runtime_error("the printed report has no section '" + anchor + "'");
            next[anchor] = at->second;
        }
        if (!layout_only && next == numbers) break; // the numbers printed are where the sections are
        numbers = std::move(next);
        if (pass == 3) throw std::runtime_error("the report's page numbers did not settle after three whole prints");
    }
    return detail::read_file(pdf);
}

} // namespace enlace::report
