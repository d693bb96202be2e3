#include "text_search.hpp"

#include "enlace/core/errors.hpp"

#include <cctype>

namespace enlace::core::detail {

std::string fts_match(std::string_view text, const std::string& parameter) {
    if (text.size() > 500) throw query_error(parameter, "is longer than 500 characters");
    std::string match, word;
    auto flush = [&] {
        if (word.empty()) return;
        if (!match.empty()) match += ' ';
        match += '"' + word + "\"*";
        word.clear();
    };
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        // Bytes of multi-byte UTF-8 characters (accented letters) belong to words; ASCII
        // punctuation and spaces separate them, as the unicode61 tokenizer does.
        if (u >= 0x80 || std::isalnum(u))
            word += c;
        else
            flush();
    }
    flush();
    if (match.empty()) throw query_error(parameter, "has no words to search for");
    return match;
}

} // namespace enlace::core::detail
