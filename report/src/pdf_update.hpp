#pragma once
// Changing a few objects of a large PDF as an incremental update (ISO 32000-1, 7.5.6): the new
// and changed objects, their cross-reference section and a trailer pointing at the previous one
// are appended, and the printed bytes stay as they are. A tagged report has some 70,000 objects;
// none of them is parsed or rewritten (qpdf's writer would, and resolving all of them is what
// making a new object through qpdf costs).
#include <qpdf/QPDF.hh>

#include <map>
#include <string>

namespace enlace::report::detail {

class PdfUpdate {
  public:
    /// An update of `file`, as `pdf` read it. Throws std::runtime_error unless the file ends in a
    /// classic cross-reference table that qpdf read without repairing it.
    PdfUpdate(const std::string& file, QPDF& pdf);

    /// A new object with this body (a dictionary, or stream()'s text): its object number.
    int add(std::string body);
    /// A new version of an existing object.
    void replace(QPDFObjGen object, std::string body);
    /// The body of an unfiltered stream holding `data`.
    static std::string stream(const std::string& data);
    /// "N 0 R".
    static std::string reference(int object);

    /// The file with the update appended.
    std::string write() const;

  private:
    const std::string& m_file;
    QPDFObjectHandle m_trailer;
    std::size_t m_previous_xref = 0;
    int m_next = 0;
    std::map<int, std::pair<int, std::string>> m_objects; // number -> generation, body
};

} // namespace enlace::report::detail
