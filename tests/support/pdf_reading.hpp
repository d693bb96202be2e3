#pragma once
// Reading a PDF back with Debian's poppler-utils (pdftotext, pdfinfo, pdftoppm), as a reader
// would see it: the text of each page, the page count and size, the named destinations.
#include <array>
#include <cstdio>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace enlace::test {

/// A command's standard output; throws when it cannot run or exits with a failure.
inline std::string output_of(const std::string& command) {
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run " + command);
    std::string out;
    std::array<char, 65536> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        out.append(buffer.data(), n);
    if (::pclose(pipe) != 0) throw std::runtime_error("failed: " + command);
    return out;
}

inline std::string quoted_path(const std::string& path) { return "'" + path + "'"; }

/// The text of each page (pdftotext -layout), page 1 first.
inline std::vector<std::string> pdf_pages(const std::string& pdf) {
    const auto text = output_of("pdftotext -layout -enc UTF-8 " + quoted_path(pdf) + " -");
    std::vector<std::string> pages;
    std::size_t start = 0;
    for (;;) {
        const auto end = text.find('\f', start);
        if (end == std::string::npos) break;
        pages.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return pages;
}

/// The whole text in reading order (pdftotext without -layout), whitespace runs squeezed later.
inline std::string pdf_text(const std::string& pdf) {
    return output_of("pdftotext -enc UTF-8 " + quoted_path(pdf) + " -");
}

/// A value of `pdfinfo` ("Pages", "Page size").
inline std::string pdf_info(const std::string& pdf, const std::string& key) {
    std::istringstream lines(output_of("pdfinfo " + quoted_path(pdf)));
    std::string line;
    while (std::getline(lines, line))
        if (line.rfind(key + ":", 0) == 0) {
            auto value = line.substr(key.size() + 1);
            value.erase(0, value.find_first_not_of(' '));
            return value;
        }
    return {};
}

/// Named destination -> page (pdfinfo -dests).
inline std::map<std::string, int> pdf_dests(const std::string& pdf) {
    std::map<std::string, int> out;
    std::istringstream lines(output_of("pdfinfo -dests " + quoted_path(pdf)));
    std::string line;
    const std::regex row(R"re(^\s*(\d+)\s.*"([^"]+)"\s*$)re");
    std::smatch m;
    while (std::getline(lines, line))
        if (std::regex_match(line, m, row)) out[m[2]] = std::stoi(m[1]);
    return out;
}

/// Whitespace runs as one space (titles wrap across lines in a PDF's text).
inline std::string squeezed(const std::string& text) {
    std::string out;
    bool space = false;
    for (char c : text) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = true;
            continue;
        }
        if (space && !out.empty()) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

} // namespace enlace::test
