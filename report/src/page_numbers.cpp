// The page numbers drawn into the printed PDF: qpdf (Debian's libqpdf) reads the links and the
// named destinations, whose first element is the page object a section starts on; the pages
// with numbers get a new version in an incremental update (pdf_update.hpp).
#include "page_numbers.hpp"
#include "pdf_update.hpp"

#include <qpdf/QPDFOutlineDocumentHelper.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include <algorithm>
#include <charconv>
#include <map>
#include <stdexcept>

namespace enlace::report::detail {
namespace {

// The box's geometry, as style_sheet.cpp sets `.pn`: 9 pt digits in a line box of 1.4, whose
// baseline DejaVu Sans puts one font size below the box's top (measured on chromium's output).
// Chromium shrinks a document wider than the page as a whole, so the size is the box's height
// over the line's, not 9 pt as such.
constexpr double number_size = 9.0;
constexpr double line_height = 1.4 * number_size;
// Helvetica's digits are all 556/1000 of the font size wide (its AFM metrics).
constexpr double digit_width = 0.556;
// The document's ink (--ink: #1d2733).
constexpr const char* ink = "0.114 0.153 0.2 rg";
constexpr const char* font_name = "/EnlacePageNumber";
// Helvetica, one of the standard 14 fonts every reader has: for ten digits, embedding a font
// would cost more than the numbers.
constexpr const char* helvetica = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";

std::string decimal(double value) {
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 2);
    return std::string(buffer, ec == std::errc() ? end : buffer);
}

/// The destination a link annotation goes to: /Dest, or a GoTo action's /D (null if neither).
QPDFObjectHandle link_destination(QPDFObjectHandle annotation) {
    auto dest = annotation.getKey("/Dest");
    if (!dest.isNull()) return dest;
    auto action = annotation.getKey("/A");
    if (action.isDictionary() && action.getKey("/S").isNameAndEquals("/GoTo")) return action.getKey("/D");
    return QPDFObjectHandle::newNull();
}

/// A named destination's name ("/intro" or (intro)), or empty for an explicit one.
std::string destination_name(QPDFObjectHandle dest) {
    if (dest.isName()) return dest.getName().substr(1);
    if (dest.isString()) return dest.getUTF8Value();
    return {};
}

/// A dictionary's entries as text (" /Key value" each), but for `skipped` keys.
std::string entries(QPDFObjectHandle dictionary, std::initializer_list<const char*> skipped) {
    std::string out;
    if (!dictionary.isDictionary()) return out;
    for (const auto& key : dictionary.getKeys()) {
        if (std::find_if(skipped.begin(), skipped.end(), [&](const char* s) { return key == s; }) != skipped.end())
            continue;
        out += " " + QPDFObjectHandle::newName(key).unparse() + " " + dictionary.getKey(key).unparse();
    }
    return out;
}

class Numberer {
  public:
    Numberer(QPDF& pdf, PdfUpdate& update, const std::set<std::string>& sections)
        : m_update(update), m_sections(sections), m_outlines(pdf) {
        const auto pages = QPDFPageDocumentHelper(pdf).getAllPages();
        for (std::size_t i = 0; i < pages.size(); ++i)
            m_page_of[pages[i].getObjectHandle().getObjGen()] = static_cast<int>(i) + 1;
    }

    /// Draws the numbers of the page's links to sections into a new version of the page.
    void number(QPDFPageObjectHelper& page) {
        std::string text;
        for (auto& link : page.getAnnotations("/Link")) {
            const auto dest = link_destination(link.getObjectHandle());
            const auto name = destination_name(dest);
            if (!m_sections.count(name)) continue;
            const auto digits = std::to_string(page_of(dest, name));
            const auto box = link.getRect();
            const double size = number_size * (box.ury - box.lly) / line_height;
            const double x = box.urx - digit_width * size * static_cast<double>(digits.size());
            text += "BT " + std::string(font_name) + " " + decimal(size) + " Tf " + decimal(x) + " " +
                    decimal(box.ury - size) + " Td (" + digits + ") Tj ET\n";
            m_linked.insert(name);
        }
        if (text.empty()) return;
        // The page's own content is wrapped in q ... Q, so that the numbers are drawn in the page's
        // default space whatever state chromium's content leaves.
        const int before = m_update.add(PdfUpdate::stream("q\n"));
        const int after = m_update.add(PdfUpdate::stream("Q\n" + std::string(ink) + "\n" + text));
        auto dictionary = page.getObjectHandle();
        std::string contents = PdfUpdate::reference(before);
        auto old = dictionary.getKey("/Contents");
        if (old.isArray())
            for (int i = 0; i < old.getArrayNItems(); ++i)
                contents += " " + old.getArrayItem(i).unparse();
        else if (!old.isNull())
            contents += " " + old.unparse();
        contents += " " + PdfUpdate::reference(after);
        // Resources may be inherited from the page tree: the page's own copy names them all.
        auto resources = page.getAttribute("/Resources", false);
        auto fonts = resources.isDictionary() ? resources.getKey("/Font") : QPDFObjectHandle::newNull();
        m_update.replace(dictionary.getObjGen(),
                         "<<" + entries(dictionary, {"/Contents", "/Resources"}) + " /Contents [" + contents +
                             "] /Resources <<" + entries(resources, {"/Font"}) + " /Font <<" +
                             entries(fonts, {font_name}) + " " + font_name + " " + font() + " >> >> >>");
    }

    /// Throws naming a section no link pointed at (its number would be nowhere).
    void check_every_section_linked() const {
        for (const auto& s : m_sections)
            if (!m_linked.count(s)) throw std::runtime_error("the printed report has no link to section '" + s + "'");
    }

  private:
    int page_of(QPDFObjectHandle dest, const std::string& name) {
        auto target = m_outlines.resolveNamedDest(dest);
        if (target.isArray() && target.getArrayNItems() > 0) {
            const auto found = m_page_of.find(target.getArrayItem(0).getObjGen());
            if (found != m_page_of.end()) return found->second;
        }
        throw std::runtime_error("the printed report has no page for section '" + name + "'");
    }

    std::string font() {
        if (m_font == 0) m_font = m_update.add(helvetica);
        return PdfUpdate::reference(m_font);
    }

    PdfUpdate& m_update;
    const std::set<std::string>& m_sections;
    QPDFOutlineDocumentHelper m_outlines;
    std::map<QPDFObjGen, int> m_page_of;
    std::set<std::string> m_linked;
    int m_font = 0;
};

} // namespace

std::string write_page_numbers(const std::string& pdf_bytes, const std::set<std::string>& sections) {
    try {
        QPDF pdf;
        pdf.setSuppressWarnings(true);
        pdf.processMemoryFile("report.pdf", pdf_bytes.data(), pdf_bytes.size());
        PdfUpdate update(pdf_bytes, pdf);
        Numberer numberer(pdf, update, sections);
        for (auto& page : QPDFPageDocumentHelper(pdf).getAllPages())
            numberer.number(page);
        numberer.check_every_section_linked();
        return update.write();
    } catch (const std::runtime_error& e) {
        // qpdf's errors (QPDFExc is a runtime_error) and ours alike, with the step that failed.
        throw std::runtime_error(std::string("numbering the printed report's pages failed: ") + e.what());
    }
}

} // namespace enlace::report::detail
