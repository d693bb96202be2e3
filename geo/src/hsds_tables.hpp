#pragma once
// The tables of an HSDS Tabular Data Package: each a CSV file written row by row, with the
// table-schema (fields, formats, constraints, foreign keys) that datapackage.json describes it by.
#include "enlace/core/model.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace enlace::geo::detail::hsds {

/// A field of a table-schema: its name, type, format and constraints.
struct Field {
    std::string name, type = "string", format;
    bool required = false, unique = false;
    std::vector<std::string> enumeration;
};

Field text(std::string name, bool required = false);
Field typed(std::string name, std::string type);
Field formatted(std::string name, std::string format, bool required = false);
/// The primary key every HSDS table has: a required, unique uuid.
Field id_field();
Field one_of(std::string name, std::vector<std::string> values, bool required = false);
/// The fields and, for each base ("name"), a text field <base>_<lang> per export language.
std::vector<Field> with_languages(std::vector<Field> fields, const std::vector<std::string>& bases,
                                  const std::vector<std::string>& languages);

/// A foreign key HSDS declares: this table's `field` holds an id of `resource`.
struct ForeignKey {
    std::string field, resource;
};

/// One CSV file of the package, its header written on creation.
class Table {
  public:
    Table(const std::filesystem::path& folder, std::string name, std::string file, std::vector<Field> fields,
          std::vector<ForeignKey> keys, std::string description);

    /// The column of `field`; a field the table lacks is a programming error, reported as such.
    std::size_t index(std::string_view field) const;
    std::size_t size() const { return m_fields.size(); }
    void write(const std::vector<std::string>& values);
    /// Closes the file, reporting a failed write (a full disk).
    void close();
    const std::string& path() const { return m_path; }
    /// The table's entry of datapackage.json's resources.
    nlohmann::json resource() const;

  private:
    std::string m_name, m_file, m_description;
    std::vector<Field> m_fields;
    std::vector<ForeignKey> m_keys;
    std::map<std::string, std::size_t, std::less<>> m_index;
    std::string m_path;
    std::ofstream m_out;
};

/// One row of a table, filled by field name; unset fields are empty.
class Row {
  public:
    explicit Row(Table& table) : m_table(table), m_values(table.size()) {}
    Row& set(std::string_view field, std::string value) {
        m_values[m_table.index(field)] = std::move(value);
        return *this;
    }
    void write() { m_table.write(m_values); }

  private:
    Table& m_table;
    std::vector<std::string> m_values;
};

/// Sets <base>_<lang> from a multilingual text, each export language as it is.
void set_languages(Row& row, const std::string& base, const core::LocalizedText& text,
                   const std::vector<std::string>& languages);

/// Sets `field` to the value when HSDS's format (email or uri) accepts it, else x_<field>_text to
/// the value as entered (nothing is changed into something it was not, nothing is dropped).
void set_checked(Row& row, const std::string& field, const std::string& value, bool email);

} // namespace enlace::geo::detail::hsds
