#include "enlace/core/access.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace enlace::core {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 5> role_names{{
    {Role::viewer, "viewer"},
    {Role::editor, "editor"},
    {Role::reviewer, "reviewer"},
    {Role::compiler, "compiler"},
    {Role::admin, "admin"},
}};

} // namespace

std::string_view to_string(Role role) {
    for (const auto& [r, name] : role_names)
        if (r == role) return name;
    return "viewer";
}

std::optional<Role> parse_role(std::string_view text) {
    for (const auto& [r, name] : role_names)
        if (name == text) return r;
    return std::nullopt;
}

Caller Caller::anyone() { return {}; }

Caller Caller::holder(std::string os_user) {
    Caller c;
    c.kind = Kind::holder;
    c.name = std::move(os_user);
    c.role = Role::admin;
    return c;
}

bool Caller::every_country() const {
    return kind == Kind::holder || (kind == Kind::user && (role == Role::compiler || role == Role::admin));
}

bool Caller::reads(const std::vector<std::string>& record_countries) const {
    if (kind == Kind::public_) return false;
    if (every_country()) return true;
    return std::any_of(record_countries.begin(), record_countries.end(), [&](const std::string& c) {
        return std::find(countries.begin(), countries.end(), c) != countries.end();
    });
}

bool Caller::writes(const std::vector<std::string>& record_countries) const {
    if (kind == Kind::public_ || (kind == Kind::user && role == Role::viewer)) return false;
    if (every_country()) return true;
    return !record_countries.empty() &&
           std::all_of(record_countries.begin(), record_countries.end(), [&](const std::string& c) {
               return std::find(countries.begin(), countries.end(), c) != countries.end();
           });
}

bool Caller::reviews(const std::vector<std::string>& record_countries) const {
    if (kind == Kind::user && role != Role::reviewer && role != Role::compiler && role != Role::admin) return false;
    return writes(record_countries);
}

std::string Caller::signature() const {
    switch (kind) {
    case Kind::public_:
        return "public";
    case Kind::user:
        return "user:" + name;
    case Kind::holder:
        return "holder:" + name;
    }
    return "public";
}

} // namespace enlace::core
