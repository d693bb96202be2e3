#include "query_params.hpp"

#include "enlace/core/errors.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace enlace::http::detail {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

template <class F> void for_each_pair(std::string_view query, F&& f) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto part = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (part.empty()) continue;
        const auto eq = part.find('=');
        f(part.substr(0, eq), eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1));
    }
}

} // namespace

std::string url_decode(std::string_view text, const std::string& parameter) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%') {
            const int hi = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
            const int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
            if (hi < 0 || lo < 0) throw core::query_error(parameter, "has a malformed %-escape");
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::string url_encode(std::string_view text) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 15];
        }
    }
    return out;
}

bool mentions_position(std::string_view query) {
    bool found = false;
    for_each_pair(query, [&](std::string_view raw_name, std::string_view) {
        std::string name(raw_name);
        try {
            name = url_decode(raw_name, name);
        } catch (const core::query_error&) {
            // a malformed name is compared as sent
        }
        found = found || name == "lat" || name == "lon";
    });
    return found;
}

Params Params::parse(std::string_view query) {
    Params params;
    for_each_pair(query, [&](std::string_view raw_name, std::string_view raw_value) {
        auto name = url_decode(raw_name, std::string(raw_name));
        auto value = url_decode(raw_value, name);
        if (params.find(name)) throw core::query_error(name, "is given more than once (use a comma-separated list)");
        params.m_items.emplace_back(std::move(name), std::move(value));
    });
    return params;
}

void Params::require_known(std::initializer_list<std::string_view> declared) const {
    require_known(std::vector<std::string_view>(declared));
}

void Params::require_known(const std::vector<std::string_view>& declared) const {
    for (const auto& [name, value] : m_items)
        if (std::find(declared.begin(), declared.end(), name) == declared.end())
            throw core::query_error(name, "is not a parameter of this endpoint");
}

const std::string* Params::find(std::string_view name) const {
    for (const auto& [key, value] : m_items)
        if (key == name) return &value;
    return nullptr;
}

std::optional<std::string> Params::take(std::string_view name) {
    const auto it = std::find_if(m_items.begin(), m_items.end(), [&](const auto& item) { return item.first == name; });
    if (it == m_items.end()) return std::nullopt;
    auto value = std::move(it->second);
    m_items.erase(it);
    return value;
}

std::string Params::get(std::string_view name) const {
    const auto* value = find(name);
    return value ? *value : std::string{};
}

std::optional<double> Params::number(std::string_view name) const {
    const auto* text = find(name);
    if (!text) return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (text->empty() || ec != std::errc() || end != text->data() + text->size() || !std::isfinite(value))
        throw core::query_error(std::string(name), "must be a number ('" + *text + "' is not)");
    return value;
}

std::optional<long long> Params::integer(std::string_view name) const {
    const auto* text = find(name);
    if (!text) return std::nullopt;
    long long value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (text->empty() || ec != std::errc() || end != text->data() + text->size())
        throw core::query_error(std::string(name), "must be an integer ('" + *text + "' is not)");
    return value;
}

} // namespace enlace::http::detail
