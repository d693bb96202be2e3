// The HSDS package's tables: CSV files with a header, and their table-schema entries.
#include "hsds_tables.hpp"

#include "export_detail.hpp"
#include "hsds_values.hpp"

#include "enlace/geo/errors.hpp"

namespace enlace::geo::detail::hsds {

Field text(std::string name, bool required) { return {std::move(name), "string", {}, required, false, {}}; }
Field typed(std::string name, std::string type) { return {std::move(name), std::move(type), {}, false, false, {}}; }
Field formatted(std::string name, std::string format, bool required) {
    return {std::move(name), "string", std::move(format), required, false, {}};
}
Field id_field() { return {"id", "string", "uuid", true, true, {}}; }
Field one_of(std::string name, std::vector<std::string> values, bool required) {
    return {std::move(name), "string", {}, required, false, std::move(values)};
}

std::vector<Field> with_languages(std::vector<Field> fields, const std::vector<std::string>& bases,
                                  const std::vector<std::string>& languages) {
    for (const auto& base : bases)
        for (const auto& lang : languages)
            fields.push_back(text(base + "_" + lang));
    return fields;
}

Table::Table(const std::filesystem::path& folder, std::string name, std::string file, std::vector<Field> fields,
             std::vector<ForeignKey> keys, std::string description)
    : m_name(std::move(name)), m_file(std::move(file)), m_description(std::move(description)),
      m_fields(std::move(fields)), m_keys(std::move(keys)), m_path((folder / m_file).string()),
      m_out(m_path, std::ios::binary) {
    if (!m_out) throw geo_error("cannot create '" + m_path + "'", m_path);
    std::vector<std::string> header;
    for (std::size_t i = 0; i < m_fields.size(); ++i) {
        header.push_back(m_fields[i].name);
        m_index.emplace(m_fields[i].name, i);
    }
    write_csv_row(m_out, header);
}

std::size_t Table::index(std::string_view field) const {
    const auto it = m_index.find(field);
    if (it == m_index.end()) throw geo_error("HSDS table " + m_name + " has no field " + std::string(field), m_path);
    return it->second;
}

void Table::write(const std::vector<std::string>& values) { write_csv_row(m_out, values); }

void Table::close() {
    m_out.close();
    if (!m_out) throw geo_error("cannot write '" + m_path + "' (disk full?)", m_path);
}

nlohmann::json Table::resource() const {
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& f : m_fields) {
        nlohmann::json field{{"name", f.name}, {"type", f.type}};
        if (!f.format.empty()) field["format"] = f.format;
        nlohmann::json constraints = nlohmann::json::object();
        if (f.required) constraints["required"] = true;
        if (f.unique) constraints["unique"] = true;
        if (!f.enumeration.empty()) constraints["enum"] = f.enumeration;
        if (!constraints.empty()) field["constraints"] = constraints;
        fields.push_back(field);
    }
    nlohmann::json schema{{"fields", fields}, {"primaryKey", "id"}};
    if (!m_keys.empty()) {
        nlohmann::json keys = nlohmann::json::array();
        for (const auto& k : m_keys)
            keys.push_back({{"fields", k.field}, {"reference", {{"resource", k.resource}, {"fields", "id"}}}});
        schema["foreignKeys"] = keys;
    }
    return {{"name", m_name},
            {"path", m_file},
            {"profile", "tabular-data-resource"},
            {"description", m_description},
            {"format", "csv"},
            {"mediatype", "text/csv"},
            {"encoding", "utf-8"},
            {"schema", schema}};
}

void set_languages(Row& row, const std::string& base, const core::LocalizedText& text,
                   const std::vector<std::string>& languages) {
    for (const auto& lang : languages)
        row.set(base + "_" + lang, text_in(text, lang));
}

void set_checked(Row& row, const std::string& field, const std::string& value, bool email) {
    if (value.empty()) return;
    if (email) {
        if (valid_email(value))
            row.set(field, value);
        else
            row.set("x_" + field + "_text", value);
        return;
    }
    if (auto uri = as_uri(value); !uri.empty())
        row.set(field, uri);
    else
        row.set("x_" + field + "_text", value);
}

} // namespace enlace::geo::detail::hsds
