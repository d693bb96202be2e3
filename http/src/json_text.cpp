#include "json_text.hpp"

#include <charconv>
#include <cmath>

namespace enlace::http::detail {

namespace {
bool needs_escape(char c) { return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20; }
} // namespace

void append_json_string(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    while (!text.empty()) {
        // Copy the run that needs no escaping in one go: most text has nothing to escape.
        std::size_t run = 0;
        while (run < text.size() && !needs_escape(text[run])) ++run;
        out.append(text.data(), run);
        if (run == text.size()) break;
        const char c = text[run];
        text.remove_prefix(run + 1);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            out += "\\u00";
            out += hex[(c >> 4) & 0xf];
            out += hex[c & 0xf];
        }
    }
    out += '"';
}

void append_json_number(std::string& out, double value) {
    if (!std::isfinite(value)) {
        out += "null";
        return;
    }
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

void append_json_number(std::string& out, std::int64_t value) {
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

std::string with_member(std::string object, std::string_view key, std::string_view value_json) {
    object.pop_back();  // the closing brace
    if (object.size() > 1) object += ',';
    append_json_string(object, key);
    object += ':';
    object += value_json;
    object += '}';
    return object;
}

} // namespace enlace::http::detail
