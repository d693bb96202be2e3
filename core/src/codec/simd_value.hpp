#pragma once
// A JSON value of simdjson's DOM, seen through the interface the field readers use (field_reader.hpp):
// how stored documents are read back, without building nlohmann's tree. Only the stored decoders
// include it (simdjson.h is a large header).
#include <simdjson.h>

#include <cstdint>
#include <string_view>

namespace enlace::core::codec {

class SimdValue {
  public:
    explicit SimdValue(simdjson::dom::element value) : m_value(value) {}

    bool is_null() const { return m_value.is_null(); }
    bool is_string() const { return m_value.is_string(); }
    bool is_object() const { return m_value.is_object(); }
    bool is_array() const { return m_value.is_array(); }
    bool is_boolean() const { return m_value.is_bool(); }
    bool is_integer() const { return m_value.is_int64() || m_value.is_uint64(); }
    /// As nlohmann: any integer that is not negative.
    bool is_unsigned() const { return m_value.is_uint64() || (m_value.is_int64() && int64() >= 0); }
    bool is_number() const { return m_value.is_number(); }

    // The getters are called after the type was checked; get(out) leaves out as it was otherwise.
    std::string_view string() const { return as<std::string_view>(); }
    /// As nlohmann's get<std::int64_t>() of an unsigned integer: the same bits.
    std::int64_t int64() const {
        if (m_value.is_uint64()) return static_cast<std::int64_t>(as<std::uint64_t>());
        return as<std::int64_t>();
    }
    std::uint64_t uint64() const {
        if (m_value.is_uint64()) return as<std::uint64_t>();
        return static_cast<std::uint64_t>(as<std::int64_t>());
    }
    double number() const {
        if (m_value.is_int64()) return static_cast<double>(as<std::int64_t>());
        if (m_value.is_uint64()) return static_cast<double>(as<std::uint64_t>());
        return as<double>();
    }
    bool boolean() const { return as<bool>(); }

    /// visit(key, value) for each member of an object, in the document's order (a repeated key is
    /// visited each time; the readers keep the last, as nlohmann's DOM does).
    template <class Visit> void members(Visit&& visit) const {
        for (auto member : as<simdjson::dom::object>())
            visit(member.key, SimdValue(member.value));
    }
    template <class Visit> void elements(Visit&& visit) const {
        std::size_t i = 0;
        for (auto element : as<simdjson::dom::array>())
            visit(i++, SimdValue(element));
    }

  private:
    template <class T> T as() const {
        T out{};
        if (m_value.get(out) != simdjson::SUCCESS) return T{};
        return out;
    }

    simdjson::dom::element m_value;
};

} // namespace enlace::core::codec
