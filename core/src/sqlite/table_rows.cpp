// Moving a registry into or out of SQLite (copy_registry): rows of the copied tables read and
// written as they are kept, then the R*Trees and full-text tables built again from them.
#include "search_text.hpp"
#include "sqlite_store.hpp"
#include "stored_records.hpp"
#include "table_copy.hpp"

#include <sqlite3.h>

namespace enlace::core::detail {

void SqliteStore::read_rows(const TableShape& table, const std::function<void(const TableRow&)>& row) {
    before_read();
    // A statement of its own: the caller may stop the scan by throwing.
    sqlite::Statement stmt(m_db, "SELECT " + column_list(table) + " FROM " + table.name + " ORDER BY " + table.order);
    TableRow values(table.columns.size());
    while (stmt.step()) {
        for (std::size_t c = 0; c < values.size(); ++c) {
            const int i = static_cast<int>(c);
            switch (stmt.column_type(i)) {
            case SQLITE_NULL:
                values[c] = std::monostate{};
                break;
            case SQLITE_INTEGER:
                values[c] = stmt.column_int(i);
                break;
            case SQLITE_FLOAT:
                values[c] = stmt.column_double(i);
                break;
            default:
                values[c] = stmt.column_text(i);
                break;
            }
        }
        row(values);
    }
}

void SqliteStore::write_rows(const TableShape& table, const std::vector<TableRow>& rows) {
    if (rows.empty()) return;
    // Rows of one table may refer to each other (a taxonomy term to its parent) in any order: the
    // foreign keys are checked at commit.
    m_db.exec("PRAGMA defer_foreign_keys = ON");
    std::string placeholders;
    for (std::size_t c = 0; c < table.columns.size(); ++c)
        placeholders += c ? ", ?" : "?";
    auto& insert = prepare("INSERT INTO " + std::string(table.name) + " (" + column_list(table) + ") VALUES (" +
                           placeholders + ")");
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            const int i = static_cast<int>(c) + 1;
            if (const auto* n = std::get_if<std::int64_t>(&row[c]))
                insert.bind(i, *n);
            else if (const auto* r = std::get_if<double>(&row[c]))
                insert.bind(i, *r);
            else if (const auto* t = std::get_if<std::string>(&row[c]))
                insert.bind_view(i, *t);
            else
                insert.bind_null(i);
        }
        insert.run();
    }
}

void SqliteStore::derive_from_rows() {
    m_expansions.clear();
    {
        sqlite::Statement sited(m_db, "SELECT id FROM services WHERE lon IS NOT NULL ORDER BY id");
        while (sited.step())
            m_pending_sites.add(sited.column_int(0));
    }
    write_deferred();
    const auto each_doc = [&](const char* table, const std::function<void(std::int64_t, const StoredRecord&)>& f) {
        sqlite::Statement docs(m_db, std::string("SELECT id, doc FROM ") + table + " ORDER BY id");
        StoredRecord stored;
        while (docs.step()) {
            stored.doc = docs.column_text(1);
            f(docs.column_int(0), stored);
        }
    };
    each_doc("services", [&](std::int64_t id, const StoredRecord& stored) {
        const auto text = search_text(decode_service(id, stored));
        auto& insert = prepare("INSERT INTO service_text (rowid, name, description, place) VALUES (?, ?, ?, ?)");
        insert.bind(1, id).bind_view(2, text[0]).bind_view(3, text[1]).bind_view(4, text[2]);
        insert.run();
    });
    each_doc("actors", [&](std::int64_t id, const StoredRecord& stored) {
        const auto text = search_text(decode_actor(id, stored));
        auto& insert = prepare("INSERT INTO actor_text (rowid, name, description) VALUES (?, ?, ?)");
        insert.bind(1, id).bind_view(2, text[0]).bind_view(3, text[1]);
        insert.run();
    });
    each_doc("practices", [&](std::int64_t id, const StoredRecord& stored) {
        const auto text = search_text(decode_practice(id, stored));
        auto& insert = prepare("INSERT INTO practice_text (rowid, title, body) VALUES (?, ?, ?)");
        insert.bind(1, id).bind_view(2, text[0]).bind_view(3, text[1]);
        insert.run();
    });
}

} // namespace enlace::core::detail
