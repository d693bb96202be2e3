// Page numbers written into a PDF as an incremental update (report/src/page_numbers.hpp), on small
// PDFs made here with qpdf: the update reads back whole, the printed bytes stay a prefix of the
// result, and what the update cannot extend (a cross-reference stream, a damaged or foreign file,
// a section without a link) is refused with an error rather than written some other way. C++17,
// as the library it tests (qpdf's headers; report/CMakeLists.txt says why).
#include "page_numbers.hpp"

#include <catch2/catch.hpp>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <stdexcept>
#include <string>

using enlace::report::detail::write_page_numbers;

namespace {

/// Two pages: the first links to section "sec" in a box of 12.6 pt (the 9 pt number's line), the
/// second is where "sec" starts. `object_streams`: written with a cross-reference stream.
std::string two_pages(bool object_streams) {
    QPDF pdf;
    pdf.emptyPDF();
    QPDFPageDocumentHelper pages(pdf);
    for (int i = 0; i < 2; ++i) {
        auto page = pdf.makeIndirectObject(
            QPDFObjectHandle::parse("<< /Type /Page /MediaBox [0 0 300 300] /Resources << >> >>"));
        page.replaceKey("/Contents", QPDFObjectHandle::newStream(&pdf, "0 0 1 1 re f\n"));
        pages.addPage(page, false);
    }
    auto all = pages.getAllPages();
    auto second = all[1].getObjectHandle();
    auto link = pdf.makeIndirectObject(
        QPDFObjectHandle::parse("<< /Type /Annot /Subtype /Link /Rect [100 200 130 212.6] /Dest /sec >>"));
    auto annots = QPDFObjectHandle::newArray();
    annots.appendItem(link);
    all[0].getObjectHandle().replaceKey("/Annots", annots);
    auto dest = QPDFObjectHandle::newArray();
    dest.appendItem(second);
    dest.appendItem(QPDFObjectHandle::newName("/XYZ"));
    auto dests = QPDFObjectHandle::newDictionary();
    dests.replaceKey("/sec", dest);
    pdf.getRoot().replaceKey("/Dests", dests);
    QPDFWriter writer(pdf);
    writer.setOutputMemory();
    writer.setObjectStreamMode(object_streams ? qpdf_o_generate : qpdf_o_disable);
    writer.write();
    auto buffer = writer.getBufferSharedPointer();
    return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

std::string refusal(const std::string& pdf, const std::set<std::string>& sections) {
    try {
        write_page_numbers(pdf, sections);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("page numbers: appended to the printed bytes, and the file reads back whole", "[report][pdf]") {
    const auto printed = two_pages(false);
    const auto numbered = write_page_numbers(printed, {"sec"});
    REQUIRE(numbered.size() > printed.size());
    CHECK(numbered.compare(0, printed.size(), printed) == 0);

    QPDF pdf;
    pdf.setSuppressWarnings(true);
    pdf.processMemoryFile("numbered.pdf", numbered.data(), numbered.size());
    auto pages = QPDFPageDocumentHelper(pdf).getAllPages();
    REQUIRE(pages.size() == 2);
    // The first page draws "2" (the page "sec" is on) in the link's box, at the box's 9 pt, right
    // edge on the box's; its own content is still there, inside q ... Q.
    std::string drawn;
    for (auto& stream : pages[0].getPageContents()) {
        const auto data = stream.getStreamData(qpdf_dl_all);
        drawn.append(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
    }
    CHECK(drawn.find("0 0 1 1 re f") != std::string::npos);
    CHECK(drawn.find("/EnlacePageNumber 9.00 Tf 125.00 203.60 Td (2) Tj") != std::string::npos);
    CHECK(drawn.rfind("q\n", 0) == 0);
    auto font = pages[0].getAttribute("/Resources", false).getKey("/Font").getKey("/EnlacePageNumber");
    CHECK(font.getKey("/BaseFont").getName() == "/Helvetica");
    // Only the page with a link changed.
    CHECK(pages[1].getPageContents().size() == 1);
    CHECK_FALSE(pdf.anyWarnings());
}

TEST_CASE("page numbers: what cannot be extended is refused, naming why", "[report][pdf]") {
    CHECK(refusal(two_pages(true), {"sec"}).find("no classic cross-reference table") != std::string::npos);
    CHECK(refusal(two_pages(false), {"sec", "other"}).find("no link to section 'other'") != std::string::npos);
    CHECK(refusal("not a PDF at all", {"sec"}).find("numbering the printed report's pages failed") !=
          std::string::npos);
    // A damaged file: its cross-reference table cut off (qpdf would repair it, so it is refused).
    const auto whole = two_pages(false);
    CHECK_FALSE(refusal(whole.substr(0, whole.rfind("xref")), {"sec"}).empty());
    // Every byte cut off in turn: an error or a whole file, never a crash.
    for (std::size_t cut = 0; cut < whole.size(); cut += 7) {
        INFO("cut at " << cut);
        const auto part = whole.substr(0, cut);
        try {
            write_page_numbers(part, {"sec"});
        } catch (const std::runtime_error&) {
        }
    }
}
