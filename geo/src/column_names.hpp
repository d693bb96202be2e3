#pragma once
// The column names and HXL hashtags the import recognises, per logical field (docs/import.md).
#include "enlace/geo/field_mapping.hpp"

#include <set>
#include <string>
#include <unordered_map>

namespace enlace::geo::detail {

/// Normalised column name (core::fold, runs of other characters as one '_') -> logical field.
const std::unordered_map<std::string, std::string>& column_names();

/// HXL base tag with its sorted attributes, language attributes removed -> logical field.
const std::unordered_map<std::string, std::string>& hxl_tag_names();

/// The logical fields of a record kind (multilingual ones without a language).
const std::set<std::string>& kind_fields(RecordKind kind);

/// Columns an Enlace export writes that are the exporting registry's own (record ids, timestamps,
/// its organisations): not imported, and reported as such. Normalised name -> why.
const std::unordered_map<std::string, std::string>& registry_owned_columns();

/// "Teléfono 1" -> "telefono_1".
std::string normalise_column(const std::string& name);

} // namespace enlace::geo::detail
