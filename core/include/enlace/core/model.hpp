#pragma once
// The registry's records as plain values. Coordinates are WGS84 longitude/latitude in degrees.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace enlace::core {

/// Text in several languages: BCP-47 tag -> text.
using LocalizedText = std::map<std::string, std::string>;

/// A text resolved to one language: which language it came from, and whether that was a fallback.
struct ResolvedText {
    std::string text;
    std::string language;
    bool fallback = false;
};

/// Picks `language`, then es, then en, then the first available; nothing when the map is empty.
std::optional<ResolvedText> resolve(const LocalizedText& text, const std::string& language);

struct GeoPoint {
    double lon = 0;
    double lat = 0;
    friend bool operator==(const GeoPoint&, const GeoPoint&) = default;
};

/// West, south, east, north in degrees; west > east means the box crosses the antimeridian.
struct BBox {
    double west = -180, south = -90, east = 180, north = 90;
    bool crosses_antimeridian() const { return west > east; }
    bool contains(const GeoPoint& p) const;
    friend bool operator==(const BBox&, const BBox&) = default;
};

/// A polygon's rings (the first is the outer one, the rest holes), with their bounding box.
struct Polygon {
    std::vector<std::vector<GeoPoint>> rings;
    BBox bounds;
};
/// An outline as polygons that never cross ±180° (a country spanning it has one on each side).
using MultiPolygon = std::vector<Polygon>;

enum class LocationPrecision { exact, approximate, locality, admin1 };

struct Site {
    GeoPoint point;
    LocationPrecision precision = LocationPrecision::exact;
};

/// Where a service without a site (hotline, phone-only, virtual) is available.
struct ServiceArea {
    std::vector<std::string> countries; // alpha-2
    std::vector<std::string> admin1;    // P-codes or ISO 3166-2
    bool empty() const { return countries.empty() && admin1.empty(); }
};

struct Address {
    std::string street, locality, admin1_name, admin1_code, admin2_name, admin2_code, postal_code;
};

enum class ContactKind { phone, email, url, hotline, whatsapp };

/// A way to reach a service. Role contacts (a desk, a mailbox) are public; personal ones never are.
struct Contact {
    ContactKind kind = ContactKind::phone;
    std::string value;
    LocalizedText label;
    bool personal = false;
};

/// One opening shift on a set of weekdays, in minutes after midnight. closes <= opens means the
/// shift runs past midnight; closes == 1440 is "24:00".
struct Shift {
    std::uint8_t days = 0; // bit 0 = Monday ... bit 6 = Sunday
    int opens = 0;
    int closes = 0;
};

/// Dates (YYYY-MM-DD, inclusive) when the service is closed whatever its weekly hours say.
struct Closure {
    std::string from, to;
    LocalizedText note;
};

struct OpeningHours {
    std::string timezone; // IANA zone, defaulted from the country
    bool always_open = false;
    std::vector<Shift> weekly;
    std::vector<Closure> closures;
};

struct AgeRange {
    std::optional<int> min, max; // years, inclusive
};

enum class ServiceStatus { active, temporarily_closed, inactive, defunct };
enum class Visibility { public_, restricted };

/// Who is asking: the public sees coarsened sensitive sites and no restricted or personal data.
enum class Audience { public_, authorised };

/// Where a record is in review (docs/security.md): only published records are public. Editing a
/// published record leaves it published and opens a pending revision that goes through the same
/// states.
enum class ReviewStatus { draft, in_review, changes_requested, published, withdrawn, archived };

/// The stable external key that makes re-imports idempotent.
struct RecordKey {
    std::string source;
    std::string source_id;
};

/// What every view of a service holds: all but where it is.
struct ServiceFields {
    std::int64_t id = 0;
    std::string source, source_id;
    std::optional<std::int64_t> actor_id;
    LocalizedText name, description;
    std::vector<std::string> types;
    std::string country;
    ServiceArea area;
    Address address;
    std::vector<Contact> contacts;
    std::optional<OpeningHours> hours;
    std::vector<std::string> languages;
    std::vector<std::string> populations;
    AgeRange age;
    std::string gender = "any";
    std::string cost;
    std::optional<bool> referral_required;
    std::optional<int> capacity;
    ServiceStatus status = ServiceStatus::active;
    Visibility visibility = Visibility::public_;
    std::string last_verified; // YYYY-MM-DD, a human check
    std::string created_at, updated_at;
    bool illustrative = false;
    /// Kept by the registry, never taken from a writer: the review state (imports publish
    /// directly) and the version every accepted write of the record increments (its ETag).
    ReviewStatus review_status = ReviewStatus::published;
    std::int64_t version = 0;
};

/// A service as it is written and stored, whole: its exact site, its personal contacts, and the
/// public point fixed from the site when it was written. Only readers allowed to see the record
/// exactly ever get one back; everyone else gets its PublicService.
struct Service : ServiceFields {
    std::optional<RecordKey> actor_key;   // alternative to actor_id on input
    std::optional<Site> site;             // exact point, as entered
    std::optional<GeoPoint> public_point; // fixed when written: the site, or its coarsened place
    bool coarsened = false;               // public_point was coarsened because a type is sensitive
};

/// Where the public is shown a service: its site, or for a sensitive type the coarsened place
/// (then precision approximate and `coarsened`).
struct PublicSite {
    GeoPoint point;
    LocationPrecision precision = LocationPrecision::exact;
    bool coarsened = false;
};

/// What the public may see of a service, made from the whole record by public_view(): its public
/// site, no personal contact, and for a sensitive site no street address or postal code. A type
/// of its own, so that no code can take a coarsened place for an exact site or the reverse.
struct PublicService : ServiceFields {
    std::optional<PublicSite> site;
};

/// The public view of a service (whatever its visibility: restricted ones are not shown at all).
PublicService public_view(const Service& service);

struct Actor {
    std::int64_t id = 0;
    std::string source, source_id;
    LocalizedText name, description;
    std::string acronym, actor_type;
    std::vector<std::string> countries;
    std::string website, email;
    std::vector<Contact> contacts;
    bool illustrative = false;
    std::string updated_at;
    std::int64_t version = 0; // kept by the registry (see ServiceFields::version)
};

struct PracticeSource {
    std::string title, url, accessed; // accessed: YYYY-MM-DD
};

struct Partner {
    std::optional<std::int64_t> actor_id;
    std::string name;
    LocalizedText role;
};

/// A good practice, following the RCM template (reference fields; narratives are multilingual).
struct Practice {
    std::int64_t id = 0;
    std::string source, source_id;
    LocalizedText title;
    std::vector<std::string> countries;
    std::string scope; // national, admin1, cross_border, regional
    std::vector<std::string> admin_codes;
    std::vector<std::int64_t> actor_ids;
    std::vector<RecordKey> actor_keys; // alternative to actor_ids on input
    std::vector<Partner> partners;
    std::vector<std::int64_t> service_ids;
    std::vector<RecordKey> service_keys;
    std::optional<int> year_start, year_end; // no end: ongoing
    std::vector<int> axes;                   // RCM Strategic Plan axes 1-5
    std::vector<std::string> service_types;
    std::vector<int> gcm_objectives;
    std::vector<std::string> target_population;
    /// problem, description, resources, results, lessons, replicability, sustainability
    std::map<std::string, LocalizedText> narrative;
    std::string evidence_level; // anecdotal, monitoring_data, external_evaluation
    std::vector<std::string> evidence_links;
    std::optional<bool> institutionalised, budget_line;
    std::vector<std::string> principles;
    std::string contact_email; // institutional role mailbox
    std::vector<PracticeSource> sources;
    std::string submitted_by, reviewed_by, reviewed_on;
    ReviewStatus review_status = ReviewStatus::draft;
    std::string original_language, licence;
    bool illustrative = false;
    std::string updated_at;
    std::int64_t version = 0; // kept by the registry (see ServiceFields::version)
};

struct Country {
    std::string alpha2, alpha3;
    LocalizedText names;
    BBox bbox;
    std::string timezone;
    MultiPolygon outline; // simplified Natural Earth outline; empty when not loaded
};

struct TaxonomyTerm {
    std::string code;
    std::string parent; // empty for a top-level family
    LocalizedText labels;
    bool sensitive = false;
};

/// A controlled-vocabulary entry (actor types, populations, RCM axes).
struct Label {
    std::string code;
    LocalizedText labels;
};

} // namespace enlace::core
