#pragma once
// A layer's mapping bound to its column positions: which cell (or constant) each field of a row
// comes from.
#include "row_reader.hpp"

#include "enlace/geo/field_mapping.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace enlace::geo::detail {

class BoundMapping {
  public:
    /// Each field of `plan` reads its column, then in rows where that one is empty its fallbacks.
    BoundMapping(const MappingPlan& plan, const std::vector<std::string>& columns);
    BoundMapping(const FieldMap& mapping, const std::vector<std::string>& columns);
    /// The trimmed value of a field in a row ("" when unmapped or empty in every column it reads).
    std::string value(const Row& row, const std::string& field) const;
    /// The column a field's value comes from in `row` ("" for unmapped fields and constants).
    std::string column(const Row& row, const std::string& field) const;
    /// The field's first column, whatever the row.
    std::string column(const std::string& field) const;
    bool has(const std::string& field) const { return m_fields.count(field) > 0; }
    bool bad_utf8(const Row& row, const std::string& field) const;
    /// Mapped fields of the form base or base.xx, as (field, language).
    std::vector<std::pair<std::string, std::string>> languages_of(const std::string& base,
                                                                  const std::string& default_language) const;
    const std::map<std::string, std::string>& fields() const { return m_fields; }

  private:
    struct Source {
        int index = -1;       // column, or -1 for a constant
        std::string constant; // when index < 0
        std::string name;
    };
    /// The source a field's value comes from in `row`, or null.
    const Source* source_in(const Row& row, const std::string& field) const;

    std::map<std::string, std::string> m_fields;
    std::map<std::string, std::vector<Source>> m_sources;
};

} // namespace enlace::geo::detail
