#pragma once
// JSON written straight into a response body, for the hot paths (feature pages): building a
// document tree per feature and then serialising it cost more than the query itself.
#include <cstdint>
#include <string>
#include <string_view>

namespace enlace::http::detail {

/// Appends `text` as a JSON string: quoted, with quotes, backslashes and control characters
/// escaped; UTF-8 is copied as it is (the core stores valid UTF-8 only).
void append_json_string(std::string& out, std::string_view text);

/// Appends a finite number in its shortest form that reads back the same; null when not finite.
void append_json_number(std::string& out, double value);
void append_json_number(std::string& out, std::int64_t value);

/// An object's text with one more member before its closing brace: {"a":1} -> {"a":1,"key":value}.
std::string with_member(std::string object, std::string_view key, std::string_view value_json);

} // namespace enlace::http::detail
