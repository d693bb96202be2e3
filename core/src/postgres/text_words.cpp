#include "text_words.hpp"

#include "enlace/core/reference.hpp"
#include "plain_text.hpp"

#include <algorithm>

namespace enlace::core::detail::pg {
namespace {

/// Whether a non-ASCII code point separates words, as Unicode punctuation, spaces and symbols do
/// for the SQLite tokenizer (the Latin-1 signs, general punctuation, arrows and other symbols,
/// CJK punctuation, pictographs); letters and digits of any script join a word.
bool separates(std::uint32_t cp) {
    if (cp >= 0x80 && cp <= 0xBF)
        return !(cp == 0xAA || cp == 0xB2 || cp == 0xB3 || cp == 0xB5 || cp == 0xB9 || cp == 0xBA ||
                 (cp >= 0xBC && cp <= 0xBE));
    return cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF01 && cp <= 0xFF0F) || cp >= 0x1F000;
}

std::string like_prefix(const std::string& word) {
    std::string pattern;
    for (char c : word) {
        if (c == '%' || c == '_' || c == '\\') pattern += '\\';
        pattern += c;
    }
    return pattern + '%';
}

} // namespace

std::vector<std::string> text_words(std::string_view text) {
    const std::string folded = fold(text);
    std::vector<std::string> words;
    std::string word;
    const auto end_word = [&] {
        if (!word.empty()) words.push_back(std::move(word));
        word.clear();
    };
    for (std::size_t i = 0; i < folded.size();) {
        const auto c = static_cast<unsigned char>(folded[i]);
        if (c < 0x80) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                word += static_cast<char>(c);
            else if (c >= 'A' && c <= 'Z')
                word += static_cast<char>(c - 'A' + 'a');
            else
                end_word();
            ++i;
            continue;
        }
        const auto [cp, length] = code_point_at(folded, i);
        if (separates(cp))
            end_word();
        else
            word.append(folded, i, length);
        i += length;
    }
    end_word();
    return words;
}

std::vector<std::string> record_words(const std::vector<std::string>& texts) {
    std::vector<std::string> words;
    for (const auto& text : texts) {
        auto more = text_words(text);
        words.insert(words.end(), more.begin(), more.end());
    }
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    return words;
}

void write_words(PostgresStore& store, const char* table, std::int64_t id, const std::vector<std::string>& texts) {
    {
        Params p;
        store.run("DELETE FROM record_words WHERE record_table = " + p.add(table) + " AND record_id = " + p.add(id), p);
    }
    const auto words = record_words(texts);
    if (words.empty()) return;
    // One statement for all of them: the words travel as one array value.
    std::string array = "{";
    for (const auto& w : words) {
        if (array.size() > 1) array += ',';
        array += '"';
        for (char c : w) {
            if (c == '"' || c == '\\') array += '\\';
            array += c;
        }
        array += '"';
    }
    array += '}';
    Params p;
    store.run("INSERT INTO record_words (record_table, record_id, word) SELECT " + p.add(table) + ", " + p.add(id) +
                  "::bigint, unnest(" + p.add(array) + "::text[])",
              p);
}

std::string words_condition(Params& params, const char* table, const std::string& id,
                            const std::vector<std::string>& words) {
    std::string out;
    for (const auto& word : words)
        for (const auto& piece : text_words(word)) {
            if (!out.empty()) out += " AND ";
            out += id + " IN (SELECT record_id FROM record_words WHERE record_table = " + params.add(table) +
                   " AND word LIKE " + params.add(like_prefix(piece)) + " ESCAPE '\\')";
        }
    return out.empty() ? "true" : "(" + out + ")";
}

} // namespace enlace::core::detail::pg
