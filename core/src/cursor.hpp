#pragma once
// Opaque keyset cursors: after an id (lists sorted by id) or after a (distance, id) position and
// rank (lists sorted by distance). Base64url text, so they travel in URLs unescaped.
#include <cstdint>
#include <optional>
#include <string>

namespace enlace::core::detail {

struct Cursor {
    std::int64_t after_id = 0;
    std::optional<double> after_chord2; // set for distance-ordered lists
    std::int64_t rank = 0;              // results already returned (for k nearest)
};

std::string encode_cursor(const Cursor& cursor);
/// Throws query_error("cursor") when the text is not a cursor this program wrote.
Cursor decode_cursor(const std::string& text);

} // namespace enlace::core::detail
