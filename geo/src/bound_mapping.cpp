#include "bound_mapping.hpp"

#include "import_values.hpp"

#include <algorithm>
#include <optional>

namespace enlace::geo::detail {

BoundMapping::BoundMapping(const FieldMap& mapping, const std::vector<std::string>& columns)
    : BoundMapping(MappingPlan{mapping, {}, {}}, columns) {}

BoundMapping::BoundMapping(const MappingPlan& plan, const std::vector<std::string>& columns) : m_fields(plan.fields) {
    auto bind = [&](const std::string& column) -> std::optional<Source> {
        Source source;
        source.name = column;
        if (!column.empty() && column[0] == '=') {
            source.constant = column.substr(1);
            source.name.clear();
            return source;
        }
        auto it = std::find(columns.begin(), columns.end(), column);
        if (it == columns.end()) return std::nullopt;
        source.index = static_cast<int>(it - columns.begin());
        return source;
    };
    for (const auto& [field, column] : plan.fields) {
        auto first = bind(column);
        if (!first) continue;
        auto& sources = m_sources[field];
        sources.push_back(std::move(*first));
        if (const auto it = plan.fallbacks.find(field); it != plan.fallbacks.end())
            for (const auto& other : it->second)
                if (auto s = bind(other)) sources.push_back(std::move(*s));
    }
}

const BoundMapping::Source* BoundMapping::source_in(const Row& row, const std::string& field) const {
    auto it = m_sources.find(field);
    if (it == m_sources.end()) return nullptr;
    if (it->second.size() > 1)
        for (const auto& source : it->second)
            if (source.index < 0 || !blank(row.values[static_cast<std::size_t>(source.index)])) return &source;
    return &it->second.front();
}

std::string BoundMapping::value(const Row& row, const std::string& field) const {
    const Source* source = source_in(row, field);
    if (!source) return {};
    if (source->index < 0) return source->constant;
    return trim(row.values[static_cast<std::size_t>(source->index)]);
}

bool BoundMapping::bad_utf8(const Row& row, const std::string& field) const {
    const Source* source = source_in(row, field);
    return source && source->index >= 0 && row.bad_utf8[static_cast<std::size_t>(source->index)];
}

std::string BoundMapping::column(const Row& row, const std::string& field) const {
    const Source* source = source_in(row, field);
    return source ? source->name : std::string();
}

std::string BoundMapping::column(const std::string& field) const {
    auto it = m_sources.find(field);
    return it == m_sources.end() ? std::string() : it->second.front().name;
}

std::vector<std::pair<std::string, std::string>> BoundMapping::languages_of(const std::string& base,
                                                                            const std::string& default_language) const {
    std::vector<std::pair<std::string, std::string>> out;
    if (m_sources.count(base)) out.emplace_back(base, default_language);
    for (const auto& [field, sources] : m_sources)
        if (field.size() > base.size() + 1 && field.compare(0, base.size() + 1, base + ".") == 0)
            out.emplace_back(field, field.substr(base.size() + 1));
    return out;
}

} // namespace enlace::geo::detail
