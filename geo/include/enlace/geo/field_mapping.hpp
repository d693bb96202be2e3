#pragma once
// Which source column feeds which record field. Built-in recognition of common column names
// (Spanish and English), HXL hashtags and HSDS column names; an explicit mapping overrides it.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace enlace::geo {

/// The record kinds an import can create.
enum class RecordKind { service, actor, practice };

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

/// Builds the mapping for a layer's columns: built-in recognition first, then `explicit_map`
/// replaces whatever it names. Throws geo_error when an explicit column is not in the layer or a
/// logical field is unknown.
FieldMap resolve_mapping(const std::vector<std::string>& columns, const std::vector<std::string>& hxl_tags,
                         const FieldMap& explicit_map, RecordKind kind);

} // namespace enlace::geo
