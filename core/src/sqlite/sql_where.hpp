#pragma once
// A WHERE clause built from conditions, with its values bound in order: the one placeholder
// builder of the SQLite store (values only ever travel as bound parameters).
#include "enlace/core/sqlite.hpp"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace enlace::core::detail {

class SqlWhere {
  public:
    using Value = std::variant<std::int64_t, double, std::string>;

    /// ANDs a condition onto the clause.
    void add(const std::string& condition) { m_where += (m_where.empty() ? "" : " AND ") + condition; }
    /// One more value for the next '?' (built in place: moving a variant of a string made g++ 12
    /// warn of an uninitialised string that is not).
    void value(std::int64_t v) { m_values.emplace_back(std::in_place_type<std::int64_t>, v); }
    void value(double v) { m_values.emplace_back(std::in_place_type<double>, v); }
    void value(const std::string& v) { m_values.emplace_back(std::in_place_type<std::string>, v); }
    /// "?, ?, ?" for the list, its values queued.
    template <class T> std::string list(const std::vector<T>& values) {
        std::string out;
        for (const auto& v : values) {
            out += out.empty() ? "?" : ", ?";
            if constexpr (std::is_integral_v<T>)
                value(static_cast<std::int64_t>(v));
            else
                value(v);
        }
        return out;
    }

    const std::string& text() const { return m_where; }
    /// The clause for after an existing WHERE: " AND ..." (or nothing).
    std::string and_clause() const { return m_where.empty() ? std::string() : " AND " + m_where; }
    /// The clause as a whole WHERE: " WHERE ..." (or nothing).
    std::string where_clause() const { return m_where.empty() ? std::string() : " WHERE " + m_where; }

    /// Binds the values from parameter `first`; returns the next free parameter index.
    int bind(sqlite::Statement& stmt, int first = 1) const {
        int i = first;
        for (const auto& v : m_values)
            std::visit([&](const auto& x) { stmt.bind(i++, x); }, v);
        return i;
    }

  private:
    std::string m_where;
    std::vector<Value> m_values;
};

} // namespace enlace::core::detail
