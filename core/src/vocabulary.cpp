#include "enlace/core/vocabulary.hpp"

#include "enlace/core/record_kind.hpp"

#include <array>
#include <utility>

namespace enlace::core {
namespace {

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& names, Enum value) {
    for (const auto& [e, name] : names)
        if (e == value) return name;
    return "unknown";
}

template <class Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& names, std::string_view text) {
    for (const auto& [e, name] : names)
        if (name == text) return e;
    return std::nullopt;
}

constexpr std::array<std::pair<LocationPrecision, std::string_view>, 4> precisions{{
    {LocationPrecision::exact, "exact"},
    {LocationPrecision::approximate, "approximate"},
    {LocationPrecision::locality, "locality"},
    {LocationPrecision::admin1, "admin1"},
}};
constexpr std::array<std::pair<ContactKind, std::string_view>, 5> contact_kinds{{
    {ContactKind::phone, "phone"},
    {ContactKind::email, "email"},
    {ContactKind::url, "url"},
    {ContactKind::hotline, "hotline"},
    {ContactKind::whatsapp, "whatsapp"},
}};
constexpr std::array<std::pair<ServiceStatus, std::string_view>, 4> statuses{{
    {ServiceStatus::active, "active"},
    {ServiceStatus::temporarily_closed, "temporarily_closed"},
    {ServiceStatus::inactive, "inactive"},
    {ServiceStatus::defunct, "defunct"},
}};
constexpr std::array<std::pair<Visibility, std::string_view>, 2> visibilities{{
    {Visibility::public_, "public"},
    {Visibility::restricted, "restricted"},
}};
constexpr std::array<std::pair<ReviewStatus, std::string_view>, 6> review_statuses{{
    {ReviewStatus::draft, "draft"},
    {ReviewStatus::in_review, "in_review"},
    {ReviewStatus::changes_requested, "changes_requested"},
    {ReviewStatus::published, "published"},
    {ReviewStatus::withdrawn, "withdrawn"},
    {ReviewStatus::archived, "archived"},
}};
constexpr std::array<std::string_view, 7> weekdays{"mo", "tu", "we", "th", "fr", "sa", "su"};

} // namespace

std::string_view to_string(LocationPrecision value) { return name_of(precisions, value); }
std::string_view to_string(ContactKind value) { return name_of(contact_kinds, value); }
std::string_view to_string(ServiceStatus value) { return name_of(statuses, value); }
std::string_view to_string(Visibility value) { return name_of(visibilities, value); }
std::string_view to_string(ReviewStatus value) { return name_of(review_statuses, value); }

std::optional<LocationPrecision> parse_location_precision(std::string_view t) { return value_of(precisions, t); }
std::optional<ContactKind> parse_contact_kind(std::string_view t) { return value_of(contact_kinds, t); }
std::optional<ServiceStatus> parse_service_status(std::string_view t) { return value_of(statuses, t); }
std::optional<Visibility> parse_visibility(std::string_view t) { return value_of(visibilities, t); }
std::optional<ReviewStatus> parse_review_status(std::string_view t) { return value_of(review_statuses, t); }

std::optional<int> parse_weekday(std::string_view text) {
    for (std::size_t i = 0; i < weekdays.size(); ++i)
        if (weekdays[i] == text) return static_cast<int>(i);
    return std::nullopt;
}

std::string_view weekday_code(int day) {
    return day >= 0 && day < 7 ? weekdays[static_cast<std::size_t>(day)] : std::string_view("??");
}

std::string_view service_status_values() { return "active, temporarily_closed, inactive, defunct"; }
std::string_view review_status_values() {
    return "draft, in_review, changes_requested, published, withdrawn, archived";
}

std::string_view to_string(RecordKind kind) {
    switch (kind) {
    case RecordKind::service:
        return "service";
    case RecordKind::actor:
        return "actor";
    case RecordKind::practice:
        return "practice";
    }
    return "service";
}

std::optional<RecordKind> parse_record_kind(std::string_view text) {
    for (auto kind : {RecordKind::service, RecordKind::actor, RecordKind::practice})
        if (to_string(kind) == text) return kind;
    return std::nullopt;
}

} // namespace enlace::core
