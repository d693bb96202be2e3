#pragma once
// The compiled report of good practices (docs/report.md): one HTML document, read from the
// registry as the public sees it, and the same document printed to PDF by headless chromium.
#include "enlace/core/registry.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace enlace::report {

enum class Paper { a4, letter };

struct ReportOptions {
    std::vector<std::string> countries; // alpha-2, in the report's order; empty: every member country
    std::vector<int> axes;              // RCM axes 1-5; empty: all
    std::string language = "es";        // es, en or fr
    Paper paper = Paper::a4;
};

/// Options as every interface spells them ("GT,SV", "3", "es", "a4"), checked against the
/// registry's reference data. Throws core::query_error naming `country`, `axis`, `lang` or `paper`.
ReportOptions parse_options(const core::ReferenceData& reference, const std::string& countries, const std::string& axes,
                            const std::string& language, const std::string& paper);

/// Where chromium is, and how long the print may take.
struct PdfSettings {
    std::string chromium; // empty: $ENLACE_CHROMIUM, else `chromium` on PATH
    std::chrono::seconds timeout{120};
};

/// The document's two forms: for the screen (the contents are links, no page numbers) and for
/// print (every reference to a section ends in a box its page number is written into).
enum class Form { screen, print };

/// What the report is made of, read once from the registry: the published practices of the
/// countries and axes asked for, their actors and public linked services, and every public
/// service of those countries (public points only). Restricted records, unpublished practices and
/// personal contacts are never read into it.
class Report {
  public:
    static Report collect(const core::Registry& registry, const ReportOptions& options);
    Report(Report&&) noexcept;
    Report& operator=(Report&&) noexcept;
    ~Report();

    /// The document, in either form (the HTML report is the screen's).
    std::string html(Form form = Form::screen) const;
    /// The document as PDF: its print form printed once by chromium, then each reference to a
    /// section given the page that section starts on, read from the PDF itself (docs/report.md,
    /// "The PDF"). Throws std::runtime_error naming a missing chromium, a timeout, or a printed
    /// document that lacks a section.
    std::string pdf(const PdfSettings& settings = {}) const;
    /// The sections the table of contents lists (anchors, in order).
    std::vector<std::string> toc_anchors() const;

    struct Data;

  private:
    explicit Report(std::unique_ptr<Data> data);
    std::unique_ptr<Data> m_data;
};

/// The Content-Security-Policy the document carries in its own meta element (and a server may
/// send as a header): nothing may load, only the document's own style sheet applies.
std::string content_security_policy();

} // namespace enlace::report
