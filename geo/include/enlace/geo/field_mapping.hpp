#pragma once
// Which source column feeds which record field. Built-in recognition of common column names
// (Spanish and English), HXL hashtags and HSDS column names; an explicit mapping overrides it.
#include "enlace/core/record_kind.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace enlace::geo {

/// The record kinds an import can create: the core's.
using RecordKind = core::RecordKind;

/// Logical field -> source column. Logical fields are documented in docs/import.md: id, name,
/// name.en, description.fr, type, country, lat, lon, street, locality, admin1, phone, email, ...
/// A value starting with '=' is a constant for every row ("country" -> "=GT").
using FieldMap = std::map<std::string, std::string>;

/// The logical field a column name or HXL hashtag stands for, if it is a known one.
/// `hxl_tag` is the hashtag from an HXL row (may be empty).
std::optional<std::string> recognise_column(const std::string& column, const std::string& hxl_tag, RecordKind kind);

/// Every logical field the importer understands for a kind (language variants as name.xx).
bool is_logical_field(const std::string& field, RecordKind kind);

/// Reads a mapping file: a JSON object {"name": "NOMBRE", ...}, optionally under "fields".
/// Throws geo_error naming the file and the problem.
FieldMap load_mapping_file(const std::string& path);

/// Parses one `--field name=COLUMN` flag; throws std::invalid_argument on a malformed one.
std::pair<std::string, std::string> parse_field_flag(const std::string& flag);

/// Builds the mapping for a layer's columns: built-in recognition first (the first column that
/// a field recognises), then `explicit_map` replaces whatever it names. Throws geo_error when an
/// explicit column is not in the layer or a logical field is unknown.
FieldMap resolve_mapping(const std::vector<std::string>& columns, const std::vector<std::string>& hxl_tags,
                         const FieldMap& explicit_map, RecordKind kind);

/// A column of the layer that no field reads, and why.
struct UnmappedColumn {
    std::string column;
    std::string reason;
    bool driver_field = false;        // one the driver adds (KML's Name, timestamp, ...), not the source's
    std::int64_t rows_with_value = 0; // counted by the import
};

/// The whole mapping of a layer: each field's column, the further columns a field is read from in
/// rows where the ones before are empty (two columns recognised as one field: KML's empty `Name`
/// and the data's `nombre`), and the columns nothing reads.
struct MappingPlan {
    FieldMap fields;
    std::map<std::string, std::vector<std::string>> fallbacks;
    std::vector<UnmappedColumn> unmapped;
};

/// resolve_mapping, with fallbacks and unmapped columns. `driver` is GDAL's driver name: in KML
/// layers (LIBKML, KML) the driver's own fields (Name, description, visibility, ...) come after
/// the data's columns, and outside KML a plain `visibility` column is the record's visibility.
/// The record key (`id`) is read from one column only. Throws as resolve_mapping.
MappingPlan plan_mapping(const std::vector<std::string>& columns, const std::vector<std::string>& hxl_tags,
                         const FieldMap& explicit_map, RecordKind kind, const std::string& driver);

} // namespace enlace::geo
