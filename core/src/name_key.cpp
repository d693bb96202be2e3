#include "enlace/core/name_key.hpp"

#include "enlace/core/reference.hpp"

#include <cstdint>

namespace enlace::core {
namespace {

enum class CharClass { letter, separator, ignored };

// The code point starting at text[i] and its length in bytes; a byte that does not start a valid
// UTF-8 sequence stands for itself (length 1).
std::pair<char32_t, std::size_t> decode(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = lead < 0x80           ? 1
                         : (lead >> 5) == 0x6  ? 2
                         : (lead >> 4) == 0xE  ? 3
                         : (lead >> 3) == 0x1E ? 4
                                               : 0;
    if (length == 0 || i + length > text.size()) return {lead, 1};
    char32_t cp = length == 1 ? lead : length == 2 ? (lead & 0x1F) : length == 3 ? (lead & 0x0F) : (lead & 0x07);
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return {lead, 1};
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    return {cp, length};
}

bool in(char32_t cp, char32_t first, char32_t last) { return cp >= first && cp <= last; }

// Which characters separate words. Blocks of punctuation, spaces and symbols as a whole (the
// Unicode categories P, Z and S), so that a new dash or quote of those blocks needs no change here.
CharClass classify(char32_t cp) {
    if (cp < 0x80) {
        const bool alnum = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
        return alnum ? CharClass::letter : CharClass::separator;
    }
    if (cp == 0x00AD || cp == 0x180E || cp == 0xFEFF) return CharClass::ignored;             // soft hyphen, invisible
    if (cp == 0x00AA || cp == 0x00BA || cp == 0x00B5) return CharClass::letter;              // ª º µ
    if (in(cp, 0x0080, 0x00BF) || cp == 0x00D7 || cp == 0x00F7) return CharClass::separator; // NBSP, ¡ ¿ « » ° ·
    if (in(cp, 0x02B9, 0x02DF)) return CharClass::separator; // modifier apostrophes, accents on their own
    if (in(cp, 0x0300, 0x036F) || in(cp, 0x1AB0, 0x1AFF) || in(cp, 0x1DC0, 0x1DFF) || in(cp, 0x20D0, 0x20FF) ||
        in(cp, 0xFE20, 0xFE2F) || in(cp, 0xFE00, 0xFE0F))
        return CharClass::ignored;                           // combining marks, variation selectors
    if (in(cp, 0x200B, 0x200B)) return CharClass::separator; // zero-width space
    if (in(cp, 0x200C, 0x200F) || in(cp, 0x202A, 0x202E) || in(cp, 0x2060, 0x206F)) return CharClass::ignored;
    if (in(cp, 0x2000, 0x206F)) return CharClass::separator; // spaces, dashes, quotes, bullets, ellipsis
    if (cp == 0x037E || cp == 0x0387 || in(cp, 0x055A, 0x055F) || cp == 0x0589 || cp == 0x05BE || cp == 0x1680 ||
        cp == 0x0964 || cp == 0x0965)
        return CharClass::separator; // other scripts' punctuation and spaces
    if (in(cp, 0x20A0, 0x20CF) || in(cp, 0x2100, 0x214F) || in(cp, 0x2190, 0x2BFF) || in(cp, 0x2E00, 0x2E7F) ||
        in(cp, 0x3000, 0x303F))
        return CharClass::separator; // currency, letterlike (№), arrows, maths (minus), shapes, CJK
                                     // punctuation
    if (in(cp, 0xFE10, 0xFE1F) || in(cp, 0xFE30, 0xFE6F) || in(cp, 0xFF00, 0xFF0F) || in(cp, 0xFF1A, 0xFF20) ||
        in(cp, 0xFF3B, 0xFF40) || in(cp, 0xFF5B, 0xFF65))
        return CharClass::separator;                           // small, vertical and fullwidth forms
    if (in(cp, 0x1F000, 0x1FAFF)) return CharClass::separator; // emoji and pictographs
    return CharClass::letter;
}

} // namespace

std::string normalised_name(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    bool pending_space = false;
    for (std::size_t i = 0; i < name.size();) {
        const auto [cp, length] = decode(name, i);
        const auto kind = classify(cp);
        if (kind == CharClass::letter) {
            if (pending_space && !out.empty()) out += ' ';
            pending_space = false;
            // Latin letters (ASCII and Latin-1) fold to their base letter; others stay as written.
            if (cp < 0x80)
                out += static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp);
            else if (in(cp, 0x00C0, 0x00FF))
                out += core::fold(name.substr(i, length));
            else
                out += name.substr(i, length);
        } else if (kind == CharClass::separator) {
            pending_space = true;
        }
        i += length;
    }
    return out;
}

} // namespace enlace::core
