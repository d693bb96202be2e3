#pragma once
// The key two names share when they differ only in case, accents, punctuation or spacing: what the
// import's duplicate check and its value lookups (statuses, languages, labels) compare.
#include <string>
#include <string_view>

namespace enlace::core {

/// Lower-case, accents folded (fold), and every run of punctuation, symbols and spaces, in
/// any script, turned into one space: ASCII punctuation, Unicode dashes (en dash, em dash, minus),
/// curly quotes, guillemets, no-break and other spaces, bullets, ellipses. Combining accents and
/// invisible characters (soft hyphen, zero-width joiners, byte-order mark) are dropped, so a
/// decomposed "n" + U+0303 matches "ñ". Other letters are kept as they are.
std::string normalised_name(std::string_view name);

} // namespace enlace::core
