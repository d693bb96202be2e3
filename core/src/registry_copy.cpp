// Moving a registry between stores (Registry::copy_to): the copied tables' rows
// streamed from a snapshot of the source into one write transaction of the destination, each
// table's digest taken on the way and again from what the destination holds before it commits.
#include "enlace/core/errors.hpp"
#include "enlace/core/maintenance.hpp"
#include "open_store.hpp"
#include "postgres/pg_connection.hpp"
#include "registry_impl.hpp"
#include "table_copy.hpp"

#include <openssl/evp.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <system_error>

namespace enlace::core {
namespace {

constexpr std::size_t batch_rows = 2000;

/// SHA-256 over a stream of cells, each written with its type so that 1, 1.0, "1" and null differ.
class RowDigest {
  public:
    RowDigest() : m_ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
        if (!m_ctx || EVP_DigestInit_ex(m_ctx.get(), EVP_sha256(), nullptr) != 1)
            throw error("cannot start a SHA-256 digest (OpenSSL)");
    }
    void add(const TableRow& row) {
        for (const auto& cell : row) {
            if (const auto* n = std::get_if<std::int64_t>(&cell)) {
                put('i', std::to_string(*n));
            } else if (const auto* r = std::get_if<double>(&cell)) {
                char text[32];
                std::snprintf(text, sizeof text, "%.17g", *r);
                put('r', text);
            } else if (const auto* t = std::get_if<std::string>(&cell)) {
                put('t', *t);
            } else {
                put('n', "");
            }
        }
        put('\n', "");
    }
    void add_text(std::string_view text) { put('d', text); }
    std::string hex() {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        if (EVP_DigestFinal_ex(m_ctx.get(), digest, &length) != 1) throw error("cannot end a SHA-256 digest");
        static constexpr char digits[] = "0123456789abcdef";
        std::string out;
        for (unsigned int i = 0; i < length; ++i) {
            out += digits[digest[i] >> 4];
            out += digits[digest[i] & 15];
        }
        return out;
    }

  private:
    /// A tag, the length and the bytes: no two streams of cells give the same bytes.
    void put(char tag, std::string_view bytes) {
        const std::string head = tag + std::to_string(bytes.size()) + ':';
        EVP_DigestUpdate(m_ctx.get(), head.data(), head.size());
        EVP_DigestUpdate(m_ctx.get(), bytes.data(), bytes.size());
    }
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> m_ctx;
};

/// Each copied table's digest as `store` holds it now (inside its open snapshot or transaction);
/// `also` sees every row on the way.
RegistryDigest digest_of(Store& store, const std::function<void(const TableShape&, const TableRow*)>& also = nullptr) {
    RegistryDigest out;
    RowDigest all;
    for (const auto& table : detail::copied_tables()) {
        RowDigest rows;
        TableDigest t{table.name, 0, {}};
        store.read_rows(table, [&](const TableRow& row) {
            rows.add(row);
            ++t.rows;
            if (also) also(table, &row);
        });
        if (also) also(table, nullptr); // the table's end
        t.sha256 = rows.hex();
        all.add_text(t.name);
        all.add_text(t.sha256);
        out.tables.push_back(std::move(t));
    }
    out.sha256 = all.hex();
    out.revision = store.revision();
    return out;
}

/// Throws unless every copied table of the destination is empty: a copy never merges.
void require_empty(Store& store) {
    struct Found {};
    for (const auto& table : detail::copied_tables()) {
        try {
            store.read_rows(table, [](const TableRow&) { throw Found{}; });
        } catch (const Found&) {
            throw error("registry '" + store.location() + "' already holds data (table " + table.name +
                        "): a copy goes only into a new file or an empty database");
        }
    }
}

/// Removes a SQLite file the copy created, with its journal files, when the copy fails.
struct NewFile {
    std::string path;
    bool keep = false;
    ~NewFile() {
        if (keep || path.empty()) return;
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
            std::filesystem::remove(path + suffix, ec);
    }
};

} // namespace

RegistryDigest registry_digest(const std::string& location) {
    auto store = detail::open_store(location, Registry::mode::read_only);
    store->begin_read();
    try {
        auto digest = digest_of(*store);
        store->end_read();
        return digest;
    } catch (...) {
        store->end_read();
        throw;
    }
}

CopyResult Registry::copy_to(const Caller& by, const std::string& to) const {
    if (!(by.kind == Caller::Kind::holder || (by.kind == Caller::Kind::user && by.role == Role::admin)))
        throw forbidden("only an admin copies a registry: it holds restricted records and the accounts' token hashes");
    if (m_impl->in_batch) throw error("copy: not inside a batch");
    const auto started = std::chrono::steady_clock::now();
    Store& source = *m_impl->store;
    const std::string& from = source.location();
    if (from == to) throw error("copy: the source and the destination are the same registry");
    NewFile created;
    if (!detail::pg::is_uri(to)) {
        if (std::filesystem::exists(to))
            throw error("copy: '" + to + "' exists; a copy goes only into a new file or an empty database");
        created.path = to;
    }
    auto destination = detail::open_store(to, Registry::mode::create);
    if (!created.path.empty()) // the copy holds restricted records and token hashes: its owner's only
        std::filesystem::permissions(to, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    if (source.schema_version() != destination->schema_version())
        throw error("copy: '" + from + "' has schema version " + std::to_string(source.schema_version()) + " and '" +
                    to + "' " + std::to_string(destination->schema_version()) +
                    ": run `enlace init` on the older one first");

    CopyResult result;
    source.begin_read();
    destination->begin_write();
    destination->set_bulk(true);
    try {
        require_empty(*destination);
        // The source's digest is taken as its rows stream into the destination.
        std::vector<TableRow> batch;
        result.digest = digest_of(source, [&](const TableShape& table, const TableRow* row) {
            if (row) batch.push_back(*row);
            if (batch.size() < batch_rows && row) return;
            destination->write_rows(table, batch);
            batch.clear();
        });
        destination->derive_from_rows();
        const auto copied = digest_of(*destination);
        for (std::size_t i = 0; i < copied.tables.size(); ++i) {
            const auto &a = result.digest.tables[i], &b = copied.tables[i];
            if (a.rows != b.rows || a.sha256 != b.sha256)
                throw error("copy: table " + a.name + " differs after copying (" + std::to_string(a.rows) + " rows, " +
                            std::to_string(b.rows) + " copied): nothing was kept");
        }
        destination->commit();
        source.end_read();
    } catch (...) {
        if (destination->in_write()) destination->rollback();
        source.end_read();
        throw;
    }
    created.keep = true;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

} // namespace enlace::core
