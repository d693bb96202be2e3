#pragma once
// Open Referral HSDS 3.0's rules for a Tabular Data Package, written down by hand from the
// specification (tag v3.0: schema/<table>.json for each table's name, path, fields, types,
// formats, enums, `required` and `tabular_required`; datapackage.json for the foreign keys) as
// facts, for the tables Enlace exports. No file of the specification is in the repository
// (shared/DECISIONS.md). check_package applies the rules to a package folder: the descriptor, every
// table, row and value.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace enlace::test::hsds {

/// A field's datapackage type: the schema's `datapackage_type` where it has one, else its `type`.
enum class Type { string, number, date, time, datetime };
/// The schema's `format` of string fields.
enum class Format { none, uuid, email, uri };
/// Rules a field's description states in words rather than as a format or an enum.
enum class Rule {
    none,
    country_alpha2, // address.country: "ISO 3166-1 country code (two letter abbreviation)"
    language_code,  // language.code: "ISO 639-1 or ISO 639-3 code"
    byday,          // schedule.byday: comma-separated RFC 5545 days of the week (MO ... SU)
    phone_type,     // phone.type: the RFC 6350 list (text, voice, fax, cell, video, pager, textphone)
    extent_type,    // service_area.extent_type: geojson, topojson, kml, text
    latitude,       // location.latitude: decimal degrees, WGS84
    longitude,      // location.longitude: decimal degrees, WGS84
};

struct Field {
    std::string name;
    Type type = Type::string;
    Format format = Format::none;
    bool required = false; // in `required` or `tabular_required`
    bool unique = false;   // constraints.unique
    std::vector<std::string> enumeration;
    /// The table whose id this field holds. declared: the foreign key is in the specification's
    /// datapackage.json; otherwise the field's description says what it refers to (a parent term,
    /// a parent organization, the entity named by attribute.link_entity: "*").
    std::string references;
    bool declared = false;
    Rule rule = Rule::none;
};

struct Table {
    std::string name; // singular, the resource name
    std::string path; // the tabular file
    std::vector<Field> fields;
    const Field* field(std::string_view name) const;
};

/// The twelve tables Enlace exports as HSDS 3.0 defines them: organization, service, location,
/// service_at_location, address, phone, schedule, language, service_area, taxonomy, taxonomy_term,
/// attribute. Fields of type array or object (nested records in the JSON form) are not columns.
const std::vector<Table>& tables();
const Table* table(std::string_view name);
/// Tables HSDS defines that Enlace does not export (a foreign key may name them).
bool other_hsds_table(std::string_view name);

/// Every way the package in `folder` breaks the rules, one line each ("services.csv row 3, id:
/// 'x' is not a UUID"); empty when it conforms. Checks the descriptor (a Tabular Data Package whose
/// resources are HSDS tables at their paths, each field declared with HSDS's type, format,
/// required and enum, primaryKey id, the foreign keys HSDS declares), that each CSV's header is
/// the declared field list, and each value: required present and non-empty, declared type and
/// format, enum, the description rules, unique ids and codes, every foreign key resolving.
std::vector<std::string> check_package(const std::filesystem::path& folder);

/// An RFC 4180 CSV file as rows of fields (CRLF or LF line ends).
std::vector<std::vector<std::string>> read_csv(const std::filesystem::path& file);

// The value checks, each written from the text that defines it.
bool is_uuid(std::string_view text);     // RFC 4122 string form, 8-4-4-4-12 hex digits
bool is_email(std::string_view text);    // RFC 5321 mailbox (addr-spec with a dotted domain)
bool is_uri(std::string_view text);      // RFC 3986 URI: scheme ":" then URI characters only
bool is_date(std::string_view text);     // YYYY-MM-DD, a calendar date that exists
bool is_time(std::string_view text);     // Table Schema time: hh:mm:ss[.f][Z|+hh:mm], hh 00-23
bool is_datetime(std::string_view text); // RFC 3339 date-time (an offset or Z is required)
bool is_number(std::string_view text);   // Table Schema number: decimal, optional exponent
bool is_integer(std::string_view text);
bool is_boolean(std::string_view text); // Table Schema's default true/false values

} // namespace enlace::test::hsds
