#pragma once
// JSON written straight into a string, for the hot paths (records in responses, stored documents,
// feature pages): building a document tree per record and then serialising it cost more than the
// query itself.
#include <cstdint>
#include <string>
#include <string_view>

namespace enlace::core {

/// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or truncated sequences):
/// what JSON text must be, so the core refuses any other text before it is stored.
bool valid_utf8(std::string_view text);
/// The length of the well-formed multi-byte UTF-8 character `text` starts with, or 0 when it does
/// not start with one (an ASCII byte, an overlong form, a surrogate, a truncated sequence).
std::size_t utf8_sequence_length(std::string_view text);

/// Appends `text` as a JSON string: quoted, with quotes, backslashes and control characters
/// escaped; UTF-8 is copied as it is (the core stores valid UTF-8 only).
void append_json_string(std::string& out, std::string_view text);
/// The same without the quotes, to write one JSON string from several pieces.
void append_json_escaped(std::string& out, std::string_view text);

/// Appends a finite number in its shortest form that reads back the same, with ".0" when it is
/// integral so that it reads back as a floating-point number; null when not finite.
void append_json_number(std::string& out, double value);
void append_json_number(std::string& out, std::int64_t value);

/// Writes one object's members, with the commas between them: `key("a")` then the value.
class JsonObjectText {
  public:
    explicit JsonObjectText(std::string& out) : m_out(out) { m_out += '{'; }
    JsonObjectText(const JsonObjectText&) = delete;
    JsonObjectText& operator=(const JsonObjectText&) = delete;

    /// Starts a member: the comma before it, its key and the colon; the caller appends the value.
    std::string& key(std::string_view name);
    /// The same for a key written in the code (a literal with nothing to escape).
    std::string& plain_key(std::string_view name);
    /// Members with keys written in the code.
    void string(std::string_view name, std::string_view value) { append_json_string(plain_key(name), value); }
    /// Leaves out an empty text, as the record form does for optional texts.
    void optional_string(std::string_view name, std::string_view value) {
        if (!value.empty()) string(name, value);
    }
    void number(std::string_view name, double value) { append_json_number(plain_key(name), value); }
    void integer(std::string_view name, std::int64_t value) { append_json_number(plain_key(name), value); }
    void boolean(std::string_view name, bool value) { plain_key(name) += value ? "true" : "false"; }
    void close() { m_out += '}'; }

  private:
    std::string& m_out;
    bool m_first = true;
};

/// An object's text with one more member before its closing brace: {"a":1} -> {"a":1,"key":value}.
std::string with_member(std::string object, std::string_view key, std::string_view value_json);

} // namespace enlace::core
