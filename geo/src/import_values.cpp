#include "import_values.hpp"

#include "enlace/core/name_key.hpp"

#include "enlace/core/vocabulary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace enlace::geo::detail {

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

std::vector<std::string> split(const std::string& text, const std::string& separators) {
    std::vector<std::string> out;
    std::string current;
    for (char c : text) {
        if (separators.find(c) != std::string::npos) {
            if (auto t = trim(current); !t.empty()) out.push_back(t);
            current.clear();
        } else {
            current += c;
        }
    }
    if (auto t = trim(current); !t.empty()) out.push_back(t);
    return out;
}

std::optional<double> parse_number(std::string text) {
    text = trim(text);
    if (text.empty()) return std::nullopt;
    // Spanish-style decimal comma ("14,6349") when there is no point.
    if (text.find('.') == std::string::npos && std::count(text.begin(), text.end(), ',') == 1)
        std::replace(text.begin(), text.end(), ',', '.');
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size()) return std::nullopt;
    return v;
}

std::optional<int> parse_int(const std::string& text) {
    auto v = parse_number(text);
    if (!v || !std::isfinite(*v) || std::floor(*v) != *v || std::fabs(*v) > 1e9) return std::nullopt;
    return static_cast<int>(*v);
}

std::optional<std::string> parse_date(const std::string& text) {
    auto digits = [](const std::string& s) { return !s.empty() && std::all_of(s.begin(), s.end(), ::isdigit); };
    auto parts = split(text.substr(0, text.find_first_of("T ")), "-/.");
    if (parts.size() != 3 || !digits(parts[0]) || !digits(parts[1]) || !digits(parts[2])) return std::nullopt;
    std::string y = parts[0], m = parts[1], d = parts[2];
    if (parts[2].size() == 4) std::swap(y, d);
    if (y.size() != 4 || m.size() > 2 || d.size() > 2) return std::nullopt;
    const int mm = std::stoi(m), dd = std::stoi(d);
    if (mm < 1 || mm > 12 || dd < 1 || dd > 31) return std::nullopt;
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%s-%02d-%02d", y.c_str(), mm, dd);
    return std::string(buffer);
}

std::optional<core::ServiceStatus> parse_status(const std::string& text) {
    const std::string s = core::normalised_name(text);
    if (s == "active" || s == "activo" || s == "activa" || s == "abierto" || s == "open" || s == "operando")
        return core::ServiceStatus::active;
    if (s == "temporarily closed" || s == "temporarily_closed" || s == "cerrado temporalmente" ||
        s == "temporalmente cerrado" || s == "suspendido" || s == "suspended")
        return core::ServiceStatus::temporarily_closed;
    if (s == "inactive" || s == "inactivo" || s == "inactiva") return core::ServiceStatus::inactive;
    if (s == "defunct" || s == "cerrado" || s == "closed" || s == "extinto" || s == "clausurado")
        return core::ServiceStatus::defunct;
    return std::nullopt;
}

std::optional<std::string> parse_language(const std::string& text) {
    static const std::map<std::string, std::string> names = {
        {"espanol", "es"},        {"spanish", "es"}, {"castellano", "es"}, {"ingles", "en"},
        {"english", "en"},        {"frances", "fr"}, {"french", "fr"},     {"portugues", "pt"},
        {"portuguese", "pt"},     {"kiche", "quc"},  {"k iche", "quc"},    {"criollo haitiano", "ht"},
        {"haitian creole", "ht"}, {"kreyol", "ht"}};
    const std::string n = core::normalised_name(text);
    if (auto it = names.find(n); it != names.end()) return it->second;
    return std::nullopt;
}

std::optional<bool> parse_bool(const std::string& text) {
    const std::string n = core::normalised_name(text);
    if (n == "1" || n == "true" || n == "yes" || n == "y" || n == "si" || n == "s" || n == "verdadero" || n == "oui" ||
        n == "t" || n == "x")
        return true;
    if (n == "0" || n == "false" || n == "no" || n == "n" || n == "falso" || n == "non" || n == "f") return false;
    return std::nullopt;
}

std::optional<core::LocationPrecision> parse_precision(const std::string& text) {
    const std::string n = core::normalised_name(text);
    if (auto p = core::parse_location_precision(n)) return p;
    if (n == "exacta" || n == "exacto" || n == "exacte") return core::LocationPrecision::exact;
    if (n == "aproximada" || n == "aproximado" || n == "approximee" || n == "approximated" || n == "coarsened")
        return core::LocationPrecision::approximate;
    if (n == "localidad" || n == "localite" || n == "ciudad" || n == "city") return core::LocationPrecision::locality;
    if (n == "admin 1" || n == "departamento" || n == "estado" || n == "provincia")
        return core::LocationPrecision::admin1;
    return std::nullopt;
}

const core::Label* find_label(const std::vector<core::Label>& labels, const std::string& text) {
    const std::string n = core::normalised_name(text);
    for (const auto& l : labels) {
        if (core::normalised_name(l.code) == n) return &l;
        for (const auto& [lang, label] : l.labels)
            if (core::normalised_name(label) == n) return &l;
    }
    return nullptr;
}

} // namespace enlace::geo::detail
