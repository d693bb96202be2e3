// The words of a text condition as an FTS5 query. Every word must appear as a prefix of a word of
// the text. FTS5 answers a prefix term ("ninez"*) by gathering the postings of every term it
// covers into one list before the first row (about 20 ms for a word in 600,000 services), while a
// plain term or an OR of a few is read lazily, a page in about 1 ms. So a word is asked for as
// itself OR each longer term of the index's vocabulary that it begins (few, and rare: what a
// user types is mostly a whole word), and only a word that begins more than a few dozen terms is
// left a prefix term. The same rows either way.
#include "sqlite_store.hpp"

#include "enlace/core/reference.hpp"

#include <algorithm>

namespace enlace::core::detail {
namespace {

constexpr std::size_t most_terms = 48;

const char* vocabulary_of(FullText text) {
    switch (text) {
    case FullText::service:
        return "temp.service_terms";
    case FullText::actor:
        return "temp.actor_terms";
    case FullText::practice:
        return "temp.practice_terms";
    }
    return "temp.service_terms";
}

std::string quoted(const std::string& term) { return '"' + term + '"'; }

/// The word as the tokenizer (unicode61 remove_diacritics 2) stores it, when that is plain ASCII
/// letters and digits; otherwise nothing, and the word stays a prefix term.
std::optional<std::string> stored_form(const std::string& word) {
    std::string folded = fold(word);
    if (folded.empty() || !std::all_of(folded.begin(), folded.end(),
                                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }))
        return std::nullopt;
    return folded;
}

} // namespace

void SqliteStore::create_vocabularies() {
    m_db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.service_terms USING fts5vocab(main, service_text, row);"
              "CREATE VIRTUAL TABLE IF NOT EXISTS temp.actor_terms USING fts5vocab(main, actor_text, row);"
              "CREATE VIRTUAL TABLE IF NOT EXISTS temp.practice_terms USING fts5vocab(main, practice_text, row)");
}

std::string SqliteStore::match_expression(const std::vector<std::string>& words, FullText text) {
    // What the vocabulary holds changes with writes: revision() and every write forget the
    // expansions, so they are kept for one revision.
    std::string match;
    for (const auto& word : words) {
        if (!match.empty()) match += " AND ";
        const auto form = stored_form(word);
        if (!form) {
            match += quoted(word) + '*';
            continue;
        }
        const std::string key = std::string(vocabulary_of(text)) + '\n' + *form;
        auto it = m_expansions.find(key);
        if (it == m_expansions.end()) {
            // The longer terms it begins: those after it and before it with its last letter the next one.
            std::string end = *form;
            ++end.back();
            auto& stmt = prepare(std::string("SELECT term FROM ") + vocabulary_of(text) +
                                 " WHERE term > ? AND term < ? LIMIT ?");
            stmt.bind(1, *form).bind(2, end).bind(3, static_cast<std::int64_t>(most_terms + 1));
            std::vector<std::string> longer;
            while (stmt.step())
                longer.push_back(stmt.column_text(0));
            stmt.reset();
            std::string expression;
            if (longer.size() > most_terms) {
                expression = quoted(*form) + '*';
            } else {
                expression = "(" + quoted(*form);
                for (const auto& term : longer)
                    expression += " OR " + quoted(term);
                expression += ")";
            }
            it = m_expansions.emplace(key, std::move(expression)).first;
        }
        match += it->second;
    }
    return match;
}

} // namespace enlace::core::detail
