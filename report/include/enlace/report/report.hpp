#pragma once
// The compiled report of good practices (docs/report.md): one HTML document, read from the
// registry as the public sees it, and the same document printed to PDF by headless chromium.
#include "enlace/core/registry.hpp"

#include <chrono>
#include <map>
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

/// Where chromium and poppler's pdfinfo are, and how long one print may take.
struct PdfSettings {
    std::string chromium; // empty: $ENLACE_CHROMIUM, else `chromium` on PATH
    std::string pdfinfo = "pdfinfo";
    std::chrono::seconds timeout{120};
};

/// Section anchor (the id in the document) -> the PDF page it starts on.
using PageNumbers = std::map<std::string, int>;

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

    /// The document; with `pages`, the table of contents shows their numbers.
    std::string html(const PageNumbers& pages = {}) const;
    /// The document as PDF: printed once with nothing painted to find where each section starts
    /// (the PDF's named destinations, read back with pdfinfo), then whole with those page numbers
    /// in the table of contents, checked against that print's own destinations. Throws
    /// std::runtime_error naming a missing chromium or pdfinfo, or a timeout.
    std::string pdf(const PdfSettings& settings = {}) const;
    /// The sections the table of contents lists (anchors, in order).
    std::vector<std::string> toc_anchors() const;

    struct Data;

  private:
    explicit Report(std::unique_ptr<Data> data);
    /// The document; `layout_only`: laid out as it is, nothing painted (the first print's).
    std::string render(const PageNumbers& pages, bool layout_only) const;
    std::unique_ptr<Data> m_data;
};

/// The Content-Security-Policy the document carries in its own meta element (and a server may
/// send as a header): nothing may load, only the document's own style sheet applies.
std::string content_security_policy();

} // namespace enlace::report
