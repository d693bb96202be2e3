// Moving a registry into or out of PostgreSQL (copy_registry): rows of the copied tables read
// through a cursor (a million services never sit in memory at once) and written with COPY, then
// the words and the services' filter columns built again from the documents. The geography
// points follow the coordinates by themselves (generated columns).
#include "postgres_store.hpp"
#include "search_text.hpp"
#include "stored_records.hpp"
#include "table_copy.hpp"
#include "text_words.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace enlace::core::detail {
namespace {

constexpr int fetch_rows = 5000;
constexpr std::size_t copy_bytes = 8 << 20; // a COPY's rows are sent once they reach this

// Type OIDs of the columns the copied tables have (pg_type.dat).
constexpr Oid bool_oid = 16, int8_oid = 20, int2_oid = 21, int4_oid = 23, float4_oid = 700, float8_oid = 701;

/// Appends a value in COPY's text format: \N for null, backslash escapes for what would end a
/// field or a row.
void append_copy_value(std::string& out, const CellValue& value) {
    if (const auto* n = std::get_if<std::int64_t>(&value)) {
        out += std::to_string(*n);
    } else if (const auto* r = std::get_if<double>(&value)) {
        char text[32];
        std::snprintf(text, sizeof text, "%.17g", *r); // exactly the double, read back by the server
        out += text;
    } else if (const auto* t = std::get_if<std::string>(&value)) {
        for (char c : *t) {
            switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                out += c;
            }
        }
    } else {
        out += "\\N";
    }
}

void append_copy_row(std::string& out, const TableRow& row) {
    for (std::size_t c = 0; c < row.size(); ++c) {
        if (c) out += '\t';
        append_copy_value(out, row[c]);
    }
    out += '\n';
}

CellValue cell_of(const pg::Result& r, int row, int column) {
    if (r.is_null(row, column)) return std::monostate{};
    switch (r.column_type(column)) {
    case bool_oid:
        return std::int64_t{r.boolean(row, column) ? 1 : 0};
    case int8_oid:
    case int2_oid:
    case int4_oid:
        return r.integer(row, column);
    case float4_oid:
    case float8_oid:
        return r.real(row, column);
    default:
        return r.text(row, column);
    }
}

} // namespace

void PostgresStore::read_rows(const TableShape& table, const std::function<void(const TableRow&)>& row) {
    run("DECLARE enlace_rows NO SCROLL CURSOR FOR SELECT " + column_list(table) + " FROM " + table.name + " ORDER BY " +
        table.order);
    // Closed however the scan ends (the caller may stop it by throwing).
    struct Close {
        pg::Connection& db;
        ~Close() { db.quietly("CLOSE enlace_rows"); }
    } close{m_db};
    TableRow values(table.columns.size());
    for (;;) {
        const auto r = run("FETCH " + std::to_string(fetch_rows) + " FROM enlace_rows");
        if (r.empty()) break;
        for (int i = 0; i < r.rows(); ++i) {
            for (std::size_t c = 0; c < values.size(); ++c)
                values[c] = cell_of(r, i, static_cast<int>(c));
            row(values);
        }
    }
}

void PostgresStore::copy_rows(const std::string& table_and_columns, const std::string& rows) {
    if (rows.empty()) return;
    try {
        m_db.copy_in("COPY " + table_and_columns + " FROM STDIN", rows);
    } catch (...) {
        if (m_transaction == 2 && !m_in_savepoint) rollback();
        throw;
    }
}

void PostgresStore::write_rows(const TableShape& table, const std::vector<TableRow>& rows) {
    m_logged = true; // a registry copied in: its log too
    std::string data;
    for (const auto& row : rows)
        append_copy_row(data, row);
    copy_rows(std::string(table.name) + " (" + column_list(table) + ")", data);
}

void PostgresStore::derive_from_rows() {
    run("CREATE TEMPORARY TABLE copied_service_fields (id bigint PRIMARY KEY, gender text, locality text) "
        "ON COMMIT DROP");
    std::string words, fields;
    const auto flush = [&] {
        copy_rows("record_words (record_table, record_id, word)", words);
        copy_rows("copied_service_fields (id, gender, locality)", fields);
        words.clear();
        fields.clear();
    };
    const auto add_words = [&](const char* table, std::int64_t id, const std::vector<std::string>& texts) {
        for (const auto& word : pg::record_words(texts))
            append_copy_row(words, {std::string(table), id, word});
    };
    for (const char* table : {"services", "actors", "practices"}) {
        const TableShape docs{table, {"id", "doc"}, "id"};
        StoredRecord stored;
        read_rows(docs, [&](const TableRow& row) {
            const auto id = std::get<std::int64_t>(row[0]);
            stored.doc = std::get<std::string>(row[1]);
            if (table == std::string_view("services")) {
                const Service s = decode_service(id, stored);
                const auto text = search_text(s);
                add_words(table, id, {text.begin(), text.end()});
                append_copy_row(fields, {id, s.gender, s.address.locality});
            } else if (table == std::string_view("actors")) {
                const auto text = search_text(decode_actor(id, stored));
                add_words(table, id, {text.begin(), text.end()});
            } else {
                const auto text = search_text(decode_practice(id, stored));
                add_words(table, id, {text.begin(), text.end()});
            }
            if (words.size() + fields.size() > copy_bytes) flush();
        });
    }
    flush();
    run("UPDATE services s SET gender = f.gender, locality = f.locality FROM copied_service_fields f "
        "WHERE s.id = f.id");
}

} // namespace enlace::core::detail
