// The update appended as text: qpdf reads the file and its trailer, and unparses the values kept
// from existing objects; the new sections are written here.
#include "pdf_update.hpp"

#include <charconv>
#include <cstdio>
#include <stdexcept>

namespace enlace::report::detail {
namespace {

/// The offset the file's last `startxref` names, if a classic table ("xref") starts there.
std::size_t classic_xref_offset(const std::string& file) {
    const auto at = file.rfind("startxref");
    if (at == std::string::npos) return 0;
    const char* begin = file.data() + at + 9;
    const char* end = file.data() + file.size();
    while (begin < end && (*begin == '\n' || *begin == '\r' || *begin == ' '))
        ++begin;
    std::size_t offset = 0;
    const auto parsed = std::from_chars(begin, end, offset);
    if (parsed.ec != std::errc() || offset >= file.size() || file.compare(offset, 4, "xref") != 0) return 0;
    return offset;
}

} // namespace

PdfUpdate::PdfUpdate(const std::string& file, QPDF& pdf) : m_file(file), m_trailer(pdf.getTrailer()) {
    if (pdf.anyWarnings()) throw std::runtime_error("the PDF is damaged (qpdf repaired it on reading)");
    m_previous_xref = classic_xref_offset(file);
    if (m_previous_xref == 0) throw std::runtime_error("the PDF has no classic cross-reference table to extend");
    auto size = m_trailer.getKey("/Size");
    if (!size.isInteger() || size.getIntValue() < 1 || size.getIntValue() > 8'000'000)
        throw std::runtime_error("the PDF's trailer has no usable /Size");
    m_next = size.getIntValueAsInt();
}

int PdfUpdate::add(std::string body) {
    const int number = m_next++;
    m_objects[number] = {0, std::move(body)};
    return number;
}

void PdfUpdate::replace(QPDFObjGen object, std::string body) {
    m_objects[object.getObj()] = {object.getGen(), std::move(body)};
}

std::string PdfUpdate::stream(const std::string& data) {
    return "<< /Length " + std::to_string(data.size()) + " >>\nstream\n" + data + "\nendstream";
}

std::string PdfUpdate::reference(int object) { return std::to_string(object) + " 0 R"; }

std::string PdfUpdate::write() const {
    if (m_objects.empty()) return m_file;
    std::string out = m_file;
    if (out.back() != '\n') out += '\n';
    std::map<int, std::size_t> offsets;
    for (const auto& [number, object] : m_objects) {
        offsets[number] = out.size();
        out += std::to_string(number) + " " + std::to_string(object.first) + " obj\n" + object.second + "\nendobj\n";
    }
    const auto xref = out.size();
    out += "xref\n";
    // One subsection per run of consecutive numbers; each entry exactly 20 bytes.
    for (auto run = m_objects.begin(); run != m_objects.end();) {
        auto end = run;
        int count = 0;
        while (end != m_objects.end() && end->first == run->first + count) {
            ++end;
            ++count;
        }
        out += std::to_string(run->first) + " " + std::to_string(count) + "\n";
        for (; run != end; ++run) {
            char entry[21];
            std::snprintf(entry, sizeof entry, "%010zu %05d n\r\n", offsets.at(run->first), run->second.first);
            out += entry;
        }
    }
    out += "trailer\n<< /Size " + std::to_string(m_next);
    auto trailer = m_trailer;
    for (const auto* key : {"/Root", "/Info", "/ID"})
        if (trailer.hasKey(key)) out += std::string(" ") + key + " " + trailer.getKey(key).unparse();
    out += " /Prev " + std::to_string(m_previous_xref) + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return out;
}

} // namespace enlace::report::detail
