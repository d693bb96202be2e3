#pragma once
// A strict JSON reader (as nlohmann's parser) for the stored form's direct decoders: tokens are
// read in place, and anything it does not expect throws Unexpected, so that the caller falls back
// to the DOM reader rather than guess.
#include "enlace/core/json_text.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace enlace::core::detail::stored_json {

/// The document is not what the direct decoder expects: let service_from_json read it.
struct Unexpected {};

[[noreturn]] inline void unexpected() { throw Unexpected{}; }

class Reader {
  public:
    explicit Reader(std::string_view text) : m_p(text.data()), m_end(text.data() + text.size()) {}

    bool at_end() {
        skip_space();
        return m_p == m_end;
    }

    char peek() {
        skip_space();
        if (m_p == m_end) unexpected();
        return *m_p;
    }

    void expect(char c) {
        if (peek() != c) unexpected();
        ++m_p;
    }

    bool consume(char c) {
        if (peek() != c) return false;
        ++m_p;
        return true;
    }

    bool null() { return literal("null"); }

    bool boolean() {
        if (literal("true")) return true;
        if (literal("false")) return false;
        unexpected();
    }

    std::string string() {
        std::string out;
        string_into(out);
        return out;
    }

    /// Calls member(key) at each key, with the reader on its value. The key points into the
    /// document, or into a buffer of this call when it had escapes.
    template <class F> void object(F&& member) {
        expect('{');
        if (consume('}')) return;
        std::string unescaped;
        do {
            member(key(unescaped));
        } while (consume(','));
        expect('}');
    }

    template <class F> void array(F&& item) {
        expect('[');
        if (consume(']')) return;
        do {
            item();
        } while (consume(','));
        expect(']');
    }

    std::vector<std::string> strings() {
        std::vector<std::string> out;
        array([&] { out.push_back(string()); });
        return out;
    }

    /// A language map; a plain string is Spanish. Empty texts are left out and a repeated
    /// language keeps its last text, as in service_from_json.
    LocalizedText localized() {
        LocalizedText out;
        if (peek() == '"') {
            if (std::string text = string(); !text.empty()) out.emplace("es", std::move(text));
            return out;
        }
        object([&](std::string_view language) {
            std::string text = string();
            if (text.empty())
                out.erase(std::string(language));
            else
                out.insert_or_assign(std::string(language), std::move(text));
        });
        return out;
    }

    /// Any JSON number as a double, as nlohmann reads it: an integer token converted, a
    /// fraction or exponent parsed (correctly rounded, so dumped doubles come back bit-exact).
    double number() {
        bool integral = false;
        const std::string_view token = number_token(integral);
        if (integral) return static_cast<double>(integer_of(token));
        double value = 0;
        auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
        if (error != std::errc() || end != token.data() + token.size()) unexpected();
        return value;
    }

    std::int64_t integer() {
        bool integral = false;
        const std::string_view token = number_token(integral);
        if (!integral) unexpected();
        return integer_of(token);
    }

    /// An integer within the bounds service_from_json accepts for ages and capacities.
    int small_integer() {
        const std::int64_t value = integer();
        if (value < -1000000000 || value > 1000000000) unexpected();
        return static_cast<int>(value);
    }

  private:
    const char* m_p;
    const char* m_end;

    void skip_space() {
        while (m_p != m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }

    bool literal(std::string_view word) {
        skip_space();
        if (static_cast<std::size_t>(m_end - m_p) < word.size() || std::memcmp(m_p, word.data(), word.size()) != 0)
            return false;
        m_p += word.size();
        return true;
    }

    std::string_view key(std::string& unescaped) {
        expect('"');
        const char* start = m_p;
        while (m_p != m_end && *m_p != '"' && *m_p != '\\' && static_cast<unsigned char>(*m_p) >= 0x20 &&
               static_cast<unsigned char>(*m_p) < 0x80)
            ++m_p;
        std::string_view plain(start, static_cast<std::size_t>(m_p - start));
        if (m_p != m_end && *m_p == '"') {
            ++m_p;
        } else {
            unescaped.assign(plain);
            string_rest(unescaped);
            plain = unescaped;
        }
        expect(':');
        return plain;
    }

    void string_into(std::string& out) {
        expect('"');
        string_rest(out);
    }

    /// The rest of a string after its opening quote, appended to out.
    void string_rest(std::string& out) {
        for (;;) {
            const char* start = m_p;
            while (m_p != m_end && *m_p != '"' && *m_p != '\\' && static_cast<unsigned char>(*m_p) >= 0x20 &&
                   static_cast<unsigned char>(*m_p) < 0x80)
                ++m_p;
            out.append(start, m_p);
            if (m_p == m_end) unexpected();
            const auto c = static_cast<unsigned char>(*m_p);
            if (c == '"') {
                ++m_p;
                return;
            }
            if (c == '\\')
                escape(out);
            else if (c < 0x20)
                unexpected(); // control characters must be escaped
            else
                utf8_sequence(out);
        }
    }

    /// One multi-byte UTF-8 character, checked as nlohmann checks it (RFC 3629: no overlong
    /// forms, no surrogates, nothing past U+10FFFF).
    void utf8_sequence(std::string& out) {
        const std::size_t length = utf8_sequence_length({m_p, static_cast<std::size_t>(m_end - m_p)});
        if (length == 0) unexpected();
        out.append(m_p, length);
        m_p += length;
    }

    void escape(std::string& out) {
        ++m_p; // the backslash
        if (m_p == m_end) unexpected();
        const char c = *m_p++;
        switch (c) {
        case '"':
            out += '"';
            return;
        case '\\':
            out += '\\';
            return;
        case '/':
            out += '/';
            return;
        case 'b':
            out += '\b';
            return;
        case 'f':
            out += '\f';
            return;
        case 'n':
            out += '\n';
            return;
        case 'r':
            out += '\r';
            return;
        case 't':
            out += '\t';
            return;
        case 'u':
            break;
        default:
            unexpected();
        }
        std::uint32_t code = hex4();
        if (code >= 0xDC00 && code <= 0xDFFF) unexpected(); // a low surrogate alone
        if (code >= 0xD800 && code <= 0xDBFF) {
            if (m_end - m_p < 2 || m_p[0] != '\\' || m_p[1] != 'u') unexpected();
            m_p += 2;
            const std::uint32_t low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) unexpected();
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(out, code);
    }

    std::uint32_t hex4() {
        if (m_end - m_p < 4) unexpected();
        std::uint32_t code = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = *m_p++;
            code <<= 4;
            if (c >= '0' && c <= '9')
                code |= static_cast<std::uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f')
                code |= static_cast<std::uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                code |= static_cast<std::uint32_t>(c - 'A' + 10);
            else
                unexpected();
        }
        return code;
    }

    static void append_utf8(std::string& out, std::uint32_t code) {
        if (code < 0x80) {
            out += static_cast<char>(code);
        } else if (code < 0x800) {
            out += static_cast<char>(0xC0 | (code >> 6));
            out += static_cast<char>(0x80 | (code & 0x3F));
        } else if (code < 0x10000) {
            out += static_cast<char>(0xE0 | (code >> 12));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (code >> 18));
            out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
        }
    }

    /// A number token in JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    std::string_view number_token(bool& integral) {
        skip_space();
        const char* start = m_p;
        auto digits = [&] {
            const char* first = m_p;
            while (m_p != m_end && *m_p >= '0' && *m_p <= '9')
                ++m_p;
            if (m_p == first) unexpected();
        };
        if (m_p != m_end && *m_p == '-') ++m_p;
        if (m_p != m_end && *m_p == '0')
            ++m_p;
        else
            digits();
        integral = true;
        if (m_p != m_end && *m_p == '.') {
            ++m_p;
            digits();
            integral = false;
        }
        if (m_p != m_end && (*m_p == 'e' || *m_p == 'E')) {
            ++m_p;
            if (m_p != m_end && (*m_p == '+' || *m_p == '-')) ++m_p;
            digits();
            integral = false;
        }
        return {start, static_cast<std::size_t>(m_p - start)};
    }

    static std::int64_t integer_of(std::string_view token) {
        std::int64_t value = 0;
        auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
        if (error != std::errc() || end != token.data() + token.size()) unexpected(); // beyond int64
        return value;
    }
};

/// Which keys an object has had: a repeated key falls back (nlohmann keeps the last one).
template <std::size_t N> class Keys {
  public:
    explicit Keys(const std::array<std::string_view, N>& names) : m_names(names) {}

    /// The index of key among names. Stored keys come in order, so the search starts after the
    /// previous key.
    std::size_t find(std::string_view key) {
        for (std::size_t n = 0; n < N; ++n) {
            const std::size_t i = (m_next + n) % N;
            if (m_names[i] == key) {
                if (m_seen & (std::uint64_t{1} << i)) unexpected();
                m_seen |= std::uint64_t{1} << i;
                m_next = i + 1;
                return i;
            }
        }
        unexpected(); // a key the stored form does not have
    }

  private:
    const std::array<std::string_view, N>& m_names;
    std::size_t m_next = 0;
    std::uint64_t m_seen = 0;
};

} // namespace enlace::core::detail::stored_json
