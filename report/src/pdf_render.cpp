// The PDF: the document's print form printed once by headless chromium (one layout for screen and
// paper), then the page numbers written in (page_numbers.hpp).
#include "child_process.hpp"
#include "page_numbers.hpp"
#include "report_data.hpp"

#include <cstdlib>
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

} // namespace

std::string Report::pdf(const PdfSettings& settings) const {
    const auto chromium = chromium_path(settings);
    const detail::TempFolder folder;
    const auto pdf = folder.file("report.pdf");
    print_pdf(chromium, folder, html(Form::print), pdf, settings);
    const auto sections = toc_anchors();
    return detail::write_page_numbers(detail::read_file(pdf), {sections.begin(), sections.end()});
}

} // namespace enlace::report
