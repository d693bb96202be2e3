#pragma once
// Free text as writers send it (a report's text, a Plan note): trimmed, measured in characters
// rather than bytes for the limits the interfaces state, and read one code point at a time.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace enlace::core::detail {

/// Text without leading or trailing white space.
inline std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

/// The number of Unicode code points of valid UTF-8 text.
inline std::size_t code_points(std::string_view text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

/// The code point that starts at byte `at` of UTF-8 text, and its length in bytes; a stray or cut
/// byte reads as U+FFFD of length 1, so a reader always moves on.
inline std::pair<std::uint32_t, std::size_t> code_point_at(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    if (lead < 0x80) return {lead, 1};
    const std::size_t length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    if (lead < 0xC0 || at + length > text.size()) return {0xFFFD, 1};
    std::uint32_t cp = lead & (0x7F >> length);
    for (std::size_t i = 1; i < length; ++i)
        cp = (cp << 6) | (byte(at + i) & 0x3F);
    return {cp, length};
}

} // namespace enlace::core::detail
