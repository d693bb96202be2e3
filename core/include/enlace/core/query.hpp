#pragma once
// The one query model every caller (CLI, HTTP, OGC API, exports) uses to find services.
#include "enlace/core/access.hpp"
#include "enlace/core/hours.hpp"
#include "enlace/core/model.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace enlace::core {

struct Near {
    GeoPoint point;
    std::optional<double> radius_m; // only services within this distance
    std::optional<int> k;           // only the k nearest
};

/// Filters combine with AND; a list matches any of its values. Defaults suit a caseworker.
struct ServiceQuery {
    std::vector<std::string> countries; // alpha-2: the service's own country
    /// alpha-2: services sited in one of these countries, or without a site and serving one of
    /// them (their service area): what a child there can use, hotlines of neighbours included.
    std::vector<std::string> available_in;
    std::vector<std::string> types;       // a family code includes its children
    std::vector<std::string> populations; // any of
    std::vector<std::string> languages;   // spoken; "es" matches "es-MX"
    std::vector<ServiceStatus> statuses;  // empty: active and temporarily_closed
    std::optional<int> age;               // served at this age (years)
    std::string gender;                   // female or male: services for it or for any gender; empty: all
    std::string text;                     // full-text, accent- and case-insensitive, prefix per word
    std::optional<BBox> bbox;
    std::optional<Near> near; // sorts by distance and fills distance_m
    std::optional<instant> open_at;
    /// Changed on or after / on or before: a date YYYY-MM-DD (the whole day) or a UTC time
    /// YYYY-MM-DDTHH:MM:SSZ.
    std::string updated_since, updated_until;
    std::string verified_since;  // YYYY-MM-DD: last verified on or after
    std::string verified_before; // YYYY-MM-DD: never verified, or last verified before it (what is due)
    int limit = 50;              // page size, 1..max_limit
    std::string cursor;          // opaque, from a previous page's next_cursor
    Audience audience = Audience::public_;
    /// With the public audience: the countries whose services this reader sees as the authorised
    /// audience does (restricted and unpublished ones, exact points and the distances from them),
    /// in one order with every other country's services as the public sees them. find(), count()
    /// and extent() honour it; set by scope_to_reader.
    std::vector<std::string> whole_in;
    /// Also count every match (as count() does) into ServicePage::total, from the same snapshot
    /// and, where the index answers the query, the same pass.
    bool with_total = false;

    static constexpr int max_limit = 10000;
    /// How many services without a site a nearest page lists beside its results (all are counted).
    static constexpr int available_here_limit = 10;
};

/// Sets who a query reads as, from its caller's scope (access.hpp): compilers, admins and the
/// holder as the authorised audience; a reader of some countries reads those whole and the rest as
/// the public (ServiceQuery::whole_in); the public as the public.
void scope_to_reader(ServiceQuery& query, const Caller& caller);

/// One service as a reader sees it: the whole record (a reader who may see it exactly), or its
/// public view. Shared, never copied: with the process's cache of decoded records, and between the
/// queries that return them; never changed once read.
class ServiceView {
  public:
    ServiceView() = default;
    explicit ServiceView(std::shared_ptr<const Service> record) : m_record(std::move(record)) {}
    explicit ServiceView(std::shared_ptr<const PublicService> public_view) : m_public(std::move(public_view)) {}

    explicit operator bool() const { return m_record || m_public; }
    const ServiceFields& fields() const { return m_record ? static_cast<const ServiceFields&>(*m_record) : *m_public; }
    const ServiceFields* operator->() const { return &fields(); }
    /// The whole record, or null for a public view.
    const Service* record() const { return m_record.get(); }
    /// The public view, or null for a whole record.
    const PublicService* public_view() const { return m_public.get(); }
    /// Where this reader is shown the service: a whole record's exact site, else its public site.
    std::optional<PublicSite> site() const;

  private:
    std::shared_ptr<const Service> m_record;
    std::shared_ptr<const PublicService> m_public;
};

struct ServiceHit {
    ServiceView service; // never empty
    std::optional<double> distance_m;
};

struct ServicePage {
    std::vector<ServiceHit> items;
    std::string next_cursor;           // empty on the last page
    std::optional<std::int64_t> total; // with ServiceQuery::with_total
    /// With `near`, on the first page: services without a site whose area covers the point
    /// (hotlines, phone-only), the first ServiceQuery::available_here_limit of them by id, and how
    /// many match in all (the rest are listed by a country query without a position).
    std::vector<ServiceView> available_here;
    std::int64_t available_here_total = 0;
};

/// Services by country and service type: counts of services (not people), shown as they are.
struct StatsCell {
    std::string country;
    std::string type;
    std::int64_t services = 0;
};

/// A locality named by the registry's public services: what a caseworker can pick for "near a
/// place" without any external geocoder. It is placed at the mean of the points of its services
/// whose site is not sensitive; a locality with sensitive sites only is placed at the mean of
/// their coarsened public points and marked `approximate` (a distance from it is one from a cell
/// centre, about 10 km off, and "0 m" to a shelter there would say more than is known).
struct Place {
    std::string name;
    std::string country;
    GeoPoint point;
    std::int64_t services = 0;
    bool approximate = false;
};

struct PracticeQuery {
    std::vector<std::string> countries;
    std::vector<int> axes;
    std::vector<std::string> types; // a family code includes its children
    std::string text;
    std::optional<int> year; // running in that year
    int limit = 50;
    std::string cursor;
    Audience audience = Audience::public_; // the public sees published practices only
};

struct ActorQuery {
    std::vector<std::string> countries;
    std::vector<std::string> actor_types;
    std::string text;
    int limit = 50;
    std::string cursor;
};

/// Lists as every interface spells them ("SV, gt"): comma-separated, items trimmed, empty ones
/// dropped, upper-cased when `upper` (country and type codes).
std::vector<std::string> split_list(std::string_view text, bool upper = false);

/// The items with `separator` between them: the list as split_list reads it back (for ",").
std::string join_list(const std::vector<std::string>& items, std::string_view separator = ",");

template <class Record> struct Page {
    std::vector<Record> items;
    std::string next_cursor;
};

} // namespace enlace::core
