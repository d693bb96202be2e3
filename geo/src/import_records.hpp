#pragma once
// Turns one source row into a record of the registry, collecting every problem with the row.
#include "bound_mapping.hpp"
#include "enlace/core/name_key.hpp"
#include "row_reader.hpp"

#include "enlace/core/model.hpp"
#include "enlace/core/reference.hpp"
#include "enlace/geo/importer.hpp"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace enlace::geo::detail {

using Record = std::variant<core::Service, core::Actor, core::Practice>;

/// Builds the record of one row; appends its problems to `issues` (errors and warnings).
/// `source_id` is the row's key (the id column, or the feature id). Returns nothing when the row
/// has errors of its own.
std::optional<Record> build_record(const Row& row, const BoundMapping& mapping, const core::ReferenceData& reference,
                                   const ImportOptions& options, const std::string& source,
                                   const std::string& source_id, std::vector<RowIssue>& issues);

/// The logical field a core validation path refers to ("types[0]" -> "type", "location.lat" -> "lat").
std::string logical_field_of(const std::string& core_path);

} // namespace enlace::geo::detail
