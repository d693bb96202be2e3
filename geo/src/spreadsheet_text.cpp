#include "spreadsheet_text.hpp"

#include <charconv>

namespace enlace::geo::detail {
namespace {

/// A decimal number and nothing else: "-90.51", "+3", "1e5" (not "-1+2", "+502 2411", "-inf").
bool is_plain_number(std::string_view text) {
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) text.remove_prefix(1);
    if (text.empty() || !((text.front() >= '0' && text.front() <= '9') || text.front() == '.')) return false;
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc{} && end == text.data() + text.size();
}

bool needs_guard(std::string_view text) {
    if (text.empty()) return false;
    switch (text.front()) {
    case '\'':
    case '=':
    case '@':
    case '\t':
    case '\r':
        return true;
    case '+':
    case '-':
        return !is_plain_number(text);
    default:
        return false;
    }
}

} // namespace

std::string spreadsheet_safe(std::string_view text) {
    if (!needs_guard(text)) return std::string(text);
    std::string guarded;
    guarded.reserve(text.size() + 1);
    guarded += '\'';
    guarded += text;
    return guarded;
}

std::string_view without_spreadsheet_guard(std::string_view cell) {
    if (cell.size() >= 2 && cell.front() == '\'' && needs_guard(cell.substr(1))) cell.remove_prefix(1);
    return cell;
}

} // namespace enlace::geo::detail
