#pragma once
// The PostgreSQL store's full text: each record's words, folded as the SQLite store's tokenizer
// folds them (unicode61, diacritics removed: case and Latin accents ignored), kept one a row in
// record_words; a search word matches a stored word it begins (a prefix range of the index).
#include "postgres_store.hpp"

#include <string>
#include <vector>

namespace enlace::core::detail::pg {

/// The folded words of a text: runs of letters and digits, split at punctuation and spaces.
std::vector<std::string> text_words(std::string_view text);

/// The words of a record's texts, each once, sorted: what record_words keeps of it.
std::vector<std::string> record_words(const std::vector<std::string>& texts);

/// Replaces the words of a record (`table` names its kind) with those of `texts`.
void write_words(PostgresStore& store, const char* table, std::int64_t id, const std::vector<std::string>& texts);

/// A condition on `id` (an SQL expression of a record id of `table`): the record holds a word
/// beginning with each of `words`. Empty `words` (or words with nothing to search): "true".
std::string words_condition(Params& params, const char* table, const std::string& id,
                            const std::vector<std::string>& words);

} // namespace enlace::core::detail::pg
