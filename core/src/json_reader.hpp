#pragma once
// Reads values out of untrusted JSON, collecting every problem with its path instead of throwing
// at the first one, so that a refused record lists all that is wrong with it.
#include "enlace/core/errors.hpp"
#include "enlace/core/model.hpp"

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace enlace::core::detail {

/// Parses text as JSON; a syntax error becomes a validation_error naming `what` and the position.
nlohmann::json parse_json(std::string_view text, const std::string& what);

class JsonReader {
  public:
    using json = nlohmann::json;

    /// With ignore_unknown_keys, only() checks nothing (stored documents).
    explicit JsonReader(bool ignore_unknown_keys = false) : m_ignore_unknown_keys(ignore_unknown_keys) {}

    void issue(std::string field, std::string reason) { m_issues.push_back({std::move(field), std::move(reason)}); }
    const std::vector<validation_issue>& issues() const { return m_issues; }
    void throw_if_any() const {
        if (!m_issues.empty()) throw validation_error(m_issues);
    }

    /// A string member; "" when absent or null (an issue when required, or when of another type).
    std::string string(const json& obj, const char* key, const std::string& path, bool required = false);
    std::optional<std::int64_t> integer(const json& obj, const char* key, const std::string& path);
    /// An integer that fits an int (ages, capacities, years); an issue when out of range.
    std::optional<int> small_integer(const json& obj, const char* key, const std::string& path);
    std::optional<double> number(const json& obj, const char* key, const std::string& path);
    std::optional<bool> boolean(const json& obj, const char* key, const std::string& path);
    /// An array member, or nullptr when absent or null (an issue when of another type).
    const json* array(const json& obj, const std::string& key, const std::string& path);
    const json* object(const json& obj, const char* key, const std::string& path);
    std::vector<std::string> strings(const json& obj, const char* key, const std::string& path);
    std::vector<double> numbers(const json& obj, const char* key, const std::string& path);
    std::vector<std::int64_t> integers(const json& obj, const char* key, const std::string& path);
    /// An issue for each member of `obj` whose key is not in `known`: a misspelt or foreign key
    /// (`telefono`, `service_ids`) is refused, naming it, rather than silently dropped.
    void only(const json& obj, std::initializer_list<std::string_view> known, const std::string& path);
    /// A language map {"es": "...", "en": "..."}; a plain string is taken as Spanish.
    LocalizedText localized(const json& obj, const char* key, const std::string& path);

  private:
    std::vector<validation_issue> m_issues;
    bool m_ignore_unknown_keys = false;
};

} // namespace enlace::core::detail
