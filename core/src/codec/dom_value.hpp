#pragma once
// A JSON value of nlohmann's DOM, seen through the interface the field readers use (field_reader.hpp):
// how input records are read, from a request body, a file or the command line.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string_view>

namespace enlace::core::codec {

class DomValue {
  public:
    explicit DomValue(const nlohmann::json& value) : m_value(&value) {}

    bool is_null() const { return m_value->is_null(); }
    bool is_string() const { return m_value->is_string(); }
    bool is_object() const { return m_value->is_object(); }
    bool is_array() const { return m_value->is_array(); }
    bool is_boolean() const { return m_value->is_boolean(); }
    bool is_integer() const { return m_value->is_number_integer(); }
    bool is_unsigned() const { return m_value->is_number_unsigned(); }
    bool is_number() const { return m_value->is_number(); }

    std::string_view string() const { return m_value->get_ref<const std::string&>(); }
    std::int64_t int64() const { return m_value->get<std::int64_t>(); }
    std::uint64_t uint64() const { return m_value->get<std::uint64_t>(); }
    double number() const { return m_value->get<double>(); }
    bool boolean() const { return m_value->get<bool>(); }

    /// visit(key, value) for each member of an object (in key order: the DOM keeps the last of a
    /// repeated key).
    template <class Visit> void members(Visit&& visit) const {
        for (const auto& [key, value] : m_value->items())
            visit(std::string_view(key), DomValue(value));
    }
    /// visit(index, value) for each element of an array.
    template <class Visit> void elements(Visit&& visit) const {
        for (std::size_t i = 0; i < m_value->size(); ++i)
            visit(i, DomValue((*m_value)[i]));
    }

  private:
    const nlohmann::json* m_value;
};

} // namespace enlace::core::codec
