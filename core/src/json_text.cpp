#include "enlace/core/json_text.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

namespace enlace::core {

namespace {

bool needs_escape(char c) { return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20; }

/// Whether any of eight bytes is a quote, a backslash or a control character, tested on the word
/// at once (bytes >= 0x80, UTF-8, never match): most text has nothing to escape.
bool any_needs_escape(std::uint64_t word) {
    constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    auto any_below = [](std::uint64_t v, std::uint64_t n) { return (v - ones * n) & ~v & highs; };
    return (any_below(word ^ (ones * '"'), 1) | any_below(word ^ (ones * '\\'), 1) | any_below(word, 0x20)) != 0;
}

/// Length of the prefix of `text` that needs no escaping.
std::size_t plain_run(std::string_view text) {
    std::size_t run = 0;
    for (std::uint64_t word; run + 8 <= text.size(); run += 8) {
        std::memcpy(&word, text.data() + run, 8);
        if (any_needs_escape(word)) break;
    }
    while (run < text.size() && !needs_escape(text[run]))
        ++run;
    return run;
}

} // namespace

std::size_t utf8_sequence_length(std::string_view text) {
    if (text.empty()) return 0;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    std::size_t more = 0;         // continuation bytes that follow
    char32_t code = 0, least = 0; // the code point, and the least one this length may encode
    if ((*p & 0xe0) == 0xc0)
        more = 1, code = *p & 0x1f, least = 0x80;
    else if ((*p & 0xf0) == 0xe0)
        more = 2, code = *p & 0x0f, least = 0x800;
    else if ((*p & 0xf8) == 0xf0)
        more = 3, code = *p & 0x07, least = 0x10000;
    else
        return 0;
    if (text.size() <= more) return 0;
    for (std::size_t i = 1; i <= more; ++i) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        code = (code << 6) | (p[i] & 0x3f);
    }
    if (code < least || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
    return more + 1;
}

bool valid_utf8(std::string_view text) {
    while (!text.empty()) {
        if (static_cast<unsigned char>(text[0]) < 0x80) {
            text.remove_prefix(1);
            continue;
        }
        const std::size_t length = utf8_sequence_length(text);
        if (length == 0) return false;
        text.remove_prefix(length);
    }
    return true;
}

void append_json_string(std::string& out, std::string_view text) {
    out += '"';
    append_json_escaped(out, text);
    out += '"';
}

void append_json_escaped(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    while (!text.empty()) {
        // Copy the run that needs no escaping in one go: most text has nothing to escape.
        const std::size_t run = plain_run(text);
        out.append(text.data(), run);
        if (run == text.size()) break;
        const char c = text[run];
        text.remove_prefix(run + 1);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            out += "\\u00";
            out += hex[(c >> 4) & 0xf];
            out += hex[c & 0xf];
        }
    }
}

void append_json_number(std::string& out, double value) {
    if (!std::isfinite(value)) {
        out += "null";
        return;
    }
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
    if (std::string_view(buffer, result.ptr).find_first_of(".e") == std::string_view::npos) out += ".0";
}

void append_json_number(std::string& out, std::int64_t value) {
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

std::string& JsonObjectText::key(std::string_view name) {
    if (!m_first) m_out += ',';
    m_first = false;
    append_json_string(m_out, name);
    m_out += ':';
    return m_out;
}

std::string& JsonObjectText::plain_key(std::string_view name) {
    if (!m_first) m_out += ',';
    m_first = false;
    m_out += '"';
    m_out += name;
    m_out += "\":";
    return m_out;
}

std::string with_member(std::string object, std::string_view key, std::string_view value_json) {
    object.pop_back(); // the closing brace
    if (object.size() > 1) object += ',';
    append_json_string(object, key);
    object += ':';
    object += value_json;
    object += '}';
    return object;
}

} // namespace enlace::core
