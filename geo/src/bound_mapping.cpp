#include "bound_mapping.hpp"

#include "import_values.hpp"

#include <algorithm>

namespace enlace::geo::detail {

BoundMapping::BoundMapping(const FieldMap& mapping, const std::vector<std::string>& columns)
    : m_fields(mapping) {
    for (const auto& [field, column] : mapping) {
        Source source;
        source.name = column;
        if (!column.empty() && column[0] == '=') {
            source.constant = column.substr(1);
            source.name.clear();
        } else {
            auto it = std::find(columns.begin(), columns.end(), column);
            if (it == columns.end()) continue;
            source.index = static_cast<int>(it - columns.begin());
        }
        m_sources[field] = source;
    }
}

std::string BoundMapping::value(const Row& row, const std::string& field) const {
    auto it = m_sources.find(field);
    if (it == m_sources.end()) return {};
    if (it->second.index < 0) return it->second.constant;
    return trim(row.values[static_cast<std::size_t>(it->second.index)]);
}

bool BoundMapping::bad_utf8(const Row& row, const std::string& field) const {
    auto it = m_sources.find(field);
    return it != m_sources.end() && it->second.index >= 0 &&
           row.bad_utf8[static_cast<std::size_t>(it->second.index)];
}

std::string BoundMapping::column(const std::string& field) const {
    auto it = m_sources.find(field);
    return it == m_sources.end() ? std::string() : it->second.name;
}

std::vector<std::pair<std::string, std::string>>
BoundMapping::languages_of(const std::string& base, const std::string& default_language) const {
    std::vector<std::pair<std::string, std::string>> out;
    if (m_sources.count(base)) out.emplace_back(base, default_language);
    for (const auto& [field, source] : m_sources)
        if (field.size() > base.size() + 1 && field.compare(0, base.size() + 1, base + ".") == 0)
            out.emplace_back(field, field.substr(base.size() + 1));
    return out;
}

} // namespace enlace::geo::detail
