#pragma once
// Turns one source row into a record of the registry, collecting every problem with the row.
#include "name_key.hpp"
#include "row_reader.hpp"

#include "enlace/core/model.hpp"
#include "enlace/core/reference.hpp"
#include "enlace/geo/importer.hpp"

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace enlace::geo::detail {

/// The mapping applied to a layer: logical field -> column index, or a constant.
class BoundMapping {
public:
    BoundMapping(const FieldMap& mapping, const std::vector<std::string>& columns);
    /// The trimmed value of a field in a row ("" when unmapped or empty).
    std::string value(const Row& row, const std::string& field) const;
    /// The column a field comes from ("" for unmapped fields and constants).
    std::string column(const std::string& field) const;
    bool has(const std::string& field) const { return m_fields.count(field) > 0; }
    bool bad_utf8(const Row& row, const std::string& field) const;
    /// Mapped fields of the form base or base.xx, as (field, language).
    std::vector<std::pair<std::string, std::string>> languages_of(const std::string& base,
                                                                  const std::string& default_language) const;
    const std::map<std::string, std::string>& fields() const { return m_fields; }

private:
    struct Source {
        int index = -1;        // column, or -1 for a constant
        std::string constant;  // when index < 0
        std::string name;
    };
    std::map<std::string, std::string> m_fields;
    std::map<std::string, Source> m_sources;
};

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
