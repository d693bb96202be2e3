#include "cursor.hpp"

#include "enlace/core/errors.hpp"

#include <bit>
#include <charconv>
#include <string_view>
#include <vector>

namespace enlace::core::detail {
namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url(std::string_view bytes) {
    std::string out;
    unsigned bits = 0;
    int count = 0;
    for (unsigned char c : bytes) {
        bits = (bits << 8) | c;
        count += 8;
        while (count >= 6) {
            out += alphabet[(bits >> (count - 6)) & 63u];
            count -= 6;
        }
    }
    if (count > 0) out += alphabet[(bits << (6 - count)) & 63u];
    return out;
}

std::optional<std::string> unbase64url(std::string_view text) {
    std::string out;
    unsigned bits = 0;
    int count = 0;
    for (char c : text) {
        const auto pos = alphabet.find(c);
        if (pos == std::string_view::npos) return std::nullopt;
        bits = (bits << 6) | static_cast<unsigned>(pos);
        count += 6;
        if (count >= 8) {
            out += static_cast<char>((bits >> (count - 8)) & 0xffu);
            count -= 8;
        }
    }
    return out;
}

std::vector<std::string_view> split(std::string_view text) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto end = text.find(':', start);
        parts.push_back(text.substr(start, end - start));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

template <class T> bool number(std::string_view text, T& value, int base = 10) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    return ec == std::errc() && end == text.data() + text.size();
}

} // namespace

std::string encode_cursor(const Cursor& c) {
    std::string text;
    if (c.after_chord2) {
        char hex[17];
        auto [end, ec] = std::to_chars(hex, hex + 16, std::bit_cast<std::uint64_t>(*c.after_chord2), 16);
        text = "n:" + std::string(hex, end) + ":" + std::to_string(c.after_id) + ":" + std::to_string(c.rank);
    } else {
        text = "i:" + std::to_string(c.after_id);
    }
    return base64url(text);
}

Cursor decode_cursor(const std::string& text) {
    const query_error bad("cursor", "is not a cursor from a previous page of this query");
    if (text.size() > 200) throw bad;
    const auto plain = unbase64url(text);
    if (!plain) throw bad;
    const auto parts = split(*plain);
    Cursor c;
    if (parts.size() == 2 && parts[0] == "i") {
        if (!number(parts[1], c.after_id) || c.after_id < 0) throw bad;
        return c;
    }
    std::uint64_t bits = 0;
    if (parts.size() == 4 && parts[0] == "n" && number(parts[1], bits, 16) && number(parts[2], c.after_id) &&
        c.after_id >= 0 && number(parts[3], c.rank) && c.rank >= 0) {
        const double chord2 = std::bit_cast<double>(bits);
        if (!(chord2 >= 0 && chord2 <= 4.0)) throw bad;
        c.after_chord2 = chord2;
        return c;
    }
    throw bad;
}

} // namespace enlace::core::detail
