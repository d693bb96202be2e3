#pragma once
// Free text as writers send it (a report's text, a Plan note): trimmed, and measured in
// characters rather than bytes, for the limits the interfaces state.
#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

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

} // namespace enlace::core::detail
