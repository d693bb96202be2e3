#pragma once
// The values of an import's cells: numbers, dates, statuses, booleans, lists, as people write
// them in Spanish and English. Each returns nothing for a value it cannot read.
#include "enlace/core/model.hpp"

#include <optional>
#include <string>
#include <vector>

namespace enlace::geo::detail {

std::string trim(const std::string& s);

/// Nothing but spaces, tabs and line ends (trim(s) is empty), without building a string.
bool blank(const std::string& s);

/// The trimmed, non-empty items of `text` between any of `separators`.
std::vector<std::string> split(const std::string& text, const std::string& separators);

/// A decimal number, with a decimal comma ("14,6349") when there is no point.
std::optional<double> parse_number(std::string text);
std::optional<int> parse_int(const std::string& text);

/// YYYY-MM-DD from YYYY-MM-DD, YYYY/MM/DD, DD/MM/YYYY or an ISO date-time.
std::optional<std::string> parse_date(const std::string& text);

/// active, temporarily closed, ... in English or Spanish.
std::optional<core::ServiceStatus> parse_status(const std::string& text);

/// A language name (español, English, k'iche') as its code.
std::optional<std::string> parse_language(const std::string& text);

/// 1/0, true/false, yes/no, sí/no, verdadero/falso.
std::optional<bool> parse_bool(const std::string& text);

/// exact, approximate, locality, admin1 (or exacta, aproximada, localidad).
std::optional<core::LocationPrecision> parse_precision(const std::string& text);

/// The label whose code or label in any language is `text` (case, accents, punctuation ignored).
const core::Label* find_label(const std::vector<core::Label>& labels, const std::string& text);

} // namespace enlace::geo::detail
