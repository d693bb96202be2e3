#pragma once
// Query strings: URL decoding, the endpoint's declared parameter names, typed values.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace enlace::http::detail {

/// Percent-decoding with '+' as space; throws core::query_error(parameter) on a malformed escape.
std::string url_decode(std::string_view text, const std::string& parameter);
/// Percent-encoding of everything but unreserved characters (RFC 3986).
std::string url_encode(std::string_view text);

/// True when the raw query string names lat or lon (even a malformed one): such responses are
/// never cached, since the position may be a caseworker's.
bool mentions_position(std::string_view query);

class Params {
  public:
    /// Parses "a=1&b=x%20y"; throws core::query_error for a bad escape or a repeated name.
    static Params parse(std::string_view query);

    /// Throws core::query_error naming the first parameter the endpoint does not declare.
    void require_known(std::initializer_list<std::string_view> declared) const;
    void require_known(const std::vector<std::string_view>& declared) const;

    const std::string* find(std::string_view name) const;
    /// Removes a parameter the handler answers for every endpoint (min_revision), if given.
    std::optional<std::string> take(std::string_view name);
    std::string get(std::string_view name) const; // empty when absent
    bool has(std::string_view name) const { return find(name) != nullptr; }
    /// A number, or nothing when absent; throws core::query_error(name) when not a number.
    std::optional<double> number(std::string_view name) const;
    /// An integer, or nothing when absent; throws core::query_error(name) when not an integer.
    std::optional<long long> integer(std::string_view name) const;

    const std::vector<std::pair<std::string, std::string>>& items() const { return m_items; }

  private:
    std::vector<std::pair<std::string, std::string>> m_items;
};

} // namespace enlace::http::detail
