#include "fts_query.hpp"

namespace enlace::core::detail {

std::string fts_query(const std::vector<std::string>& words) {
    std::string match;
    for (const auto& word : words) {
        if (!match.empty()) match += ' ';
        match += '"' + word + "\"*";
    }
    return match;
}

} // namespace enlace::core::detail
