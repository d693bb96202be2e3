#include "enlace/geo/importer.hpp"

#include "import_records.hpp"
#include "prefetch.hpp"
#include "row_reader.hpp"
#include "seen_ids.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/geodesy.hpp"
#include "enlace/geo/errors.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <sstream>
#include <unordered_map>

namespace enlace::geo {
namespace {

using detail::normalised_name;

struct stop_import {};  // invalid rows without --skip-invalid: roll the batch back

// Services of other sources, bucketed by ~0.001° cells, for the 50 m same-name check.
class DuplicateGrid {
public:
    static constexpr double cell = 0.001, radius_m = 50;

    void add(const core::Service& s) {
        if (!s.site) return;
        Entry e{s.id, s.source, {}, s.site->point};
        for (const auto& [lang, name] : s.name) e.names.push_back(normalised_name(name));
        m_cells[key(cell_of(e.point.lat), cell_of(e.point.lon))].push_back(std::move(e));
    }

    std::optional<DuplicateHint> match(const core::Service& s) const {
        if (!s.site || m_cells.empty()) return std::nullopt;
        std::vector<std::string> names;
        for (const auto& [lang, name] : s.name) names.push_back(normalised_name(name));
        const auto cy = cell_of(s.site->point.lat), cx = cell_of(s.site->point.lon);
        for (long dy = -1; dy <= 1; ++dy)
            for (long dx = -1; dx <= 1; ++dx) {
                auto it = m_cells.find(key(cy + dy, cx + dx));
                if (it == m_cells.end()) continue;
                for (const auto& e : it->second) {
                    const double d = core::geodesy::distance_m(e.point, s.site->point);
                    if (d > radius_m) continue;
                    for (const auto& n : names)
                        if (std::find(e.names.begin(), e.names.end(), n) != e.names.end())
                            return DuplicateHint{0, s.source_id, e.id, e.source, n, d};
                }
            }
        return std::nullopt;
    }

private:
    struct Entry {
        std::int64_t id;
        std::string source;
        std::vector<std::string> names;
        core::GeoPoint point;
    };
    static long cell_of(double degrees) { return static_cast<long>(std::floor(degrees / cell)); }
    static std::int64_t key(long y, long x) { return (static_cast<std::int64_t>(y) << 32) ^ (x & 0xffffffff); }
    std::unordered_map<std::int64_t, std::vector<Entry>> m_cells;
};

DuplicateGrid other_sources(const core::Registry& registry, const std::string& source) {
    DuplicateGrid grid;
    core::ServiceQuery q;
    q.audience = core::Audience::authorised;
    q.statuses = {core::ServiceStatus::active, core::ServiceStatus::temporarily_closed, core::ServiceStatus::inactive,
                  core::ServiceStatus::defunct};
    q.limit = core::ServiceQuery::max_limit;
    for (;;) {
        auto page = registry.find(q);
        for (const auto& hit : page.items)
            if (hit.service->source != source) grid.add(*hit.service);
        if (page.next_cursor.empty()) break;
        q.cursor = page.next_cursor;
    }
    return grid;
}

const char* table_of(RecordKind kind) {
    return kind == RecordKind::actor ? "actors" : kind == RecordKind::practice ? "practices" : "services";
}

core::WriteResult put(core::Registry& registry, detail::Record& record, const std::string& who) {
    if (auto* s = std::get_if<core::Service>(&record)) return registry.put(std::move(*s), who);
    if (auto* a = std::get_if<core::Actor>(&record)) return registry.put(std::move(*a), who);
    return registry.put(std::move(std::get<core::Practice>(record)), who);
}

// Marks a record gone from the source: services become inactive, practices archived. Actors have
// no status, so they are only reported. Returns whether anything changed.
bool retire(core::Registry& registry, RecordKind kind, std::int64_t id, const std::string& who) {
    if (kind == RecordKind::service) {
        auto s = registry.service(id, core::Audience::authorised);
        if (!s || s->status == core::ServiceStatus::inactive || s->status == core::ServiceStatus::defunct) return false;
        s->status = core::ServiceStatus::inactive;
        return registry.put(std::move(*s), who).outcome == core::WriteOutcome::updated;
    }
    if (kind == RecordKind::practice) {
        auto p = registry.practice(id, core::Audience::authorised);
        if (!p || p->review_status == core::ReviewStatus::archived) return false;
        p->review_status = core::ReviewStatus::archived;
        return registry.put(std::move(*p), who).outcome == core::WriteOutcome::updated;
    }
    return false;
}

std::string row_key(const detail::Row& row, const detail::BoundMapping& mapping) {
    if (mapping.has("id")) return mapping.value(row, "id");
    return std::to_string(row.fid >= 0 ? row.fid : row.ordinal);
}

// One row as read and mapped on the reading thread, ready to write.
struct PreparedRow {
    detail::Row row;  // kept to name the column and value of a problem the core finds
    std::string source_id;
    std::vector<RowIssue> issues;          // the row's own problems, errors and warnings
    std::optional<detail::Record> record;  // nothing when the row has errors of its own
    std::optional<DuplicateHint> duplicate;
};

// Everything about a row that needs no registry write: the key (unique within the file), the
// record, and the duplicate hint. Runs on the reading thread, so it touches only what no write
// changes: the reader, `seen`, the mapping, the reference data and the grid.
class RowPreparer {
public:
    RowPreparer(detail::RowReader& reader, const detail::BoundMapping& mapping, const core::ReferenceData& reference,
                const ImportOptions& options, const std::string& source, const DuplicateGrid& grid,
                detail::SeenIds& seen)
        : m_reader(reader), m_mapping(mapping), m_reference(reference), m_options(options), m_source(source),
          m_grid(grid), m_seen(seen) {}

    std::optional<PreparedRow> operator()() {
        auto row = m_reader.next();
        if (!row) return std::nullopt;
        PreparedRow p{std::move(*row), {}, {}, {}, {}};
        p.source_id = row_key(p.row, m_mapping);
        bool bad = false;
        if (p.source_id.empty()) {
            p.issues.push_back({p.row.ordinal, p.row.fid, "", "id", m_mapping.column("id"), "",
                                "is empty: every row needs its own id", false});
            bad = true;
        } else if (!m_seen.insert(p.source_id)) {
            p.issues.push_back({p.row.ordinal, p.row.fid, p.source_id, "id", m_mapping.column("id"), p.source_id,
                                "appears more than once in this file", false});
            bad = true;
        }
        p.record = detail::build_record(p.row, m_mapping, m_reference, m_options, m_source, p.source_id, p.issues);
        if (bad) p.record.reset();
        if (p.record)
            if (const auto* s = std::get_if<core::Service>(&*p.record)) p.duplicate = m_grid.match(*s);
        return p;
    }

private:
    detail::RowReader& m_reader;
    const detail::BoundMapping& m_mapping;
    const core::ReferenceData& m_reference;
    const ImportOptions& m_options;
    const std::string& m_source;
    const DuplicateGrid& m_grid;
    detail::SeenIds& m_seen;
};

// Writes one prepared row and counts it in the report.
void write_row(core::Registry& registry, PreparedRow& p, const detail::BoundMapping& mapping, const std::string& who,
               ImportReport& report) {
    report.issues.insert(report.issues.end(), std::make_move_iterator(p.issues.begin()),
                         std::make_move_iterator(p.issues.end()));
    if (!p.record) {
        ++report.invalid;
        return;
    }
    try {
        const auto result = put(registry, *p.record, who);
        if (result.outcome == core::WriteOutcome::created) ++report.created;
        else if (result.outcome == core::WriteOutcome::updated) ++report.updated;
        else ++report.unchanged;
    } catch (const core::validation_error& e) {
        ++report.invalid;
        for (const auto& issue : e.issues()) {
            const std::string field = detail::logical_field_of(issue.field);
            std::string value = mapping.value(p.row, field);
            if (field == "geometry" && p.row.point)
                value = std::to_string(p.row.point->lon) + " " + std::to_string(p.row.point->lat);
            report.issues.push_back({p.row.ordinal, p.row.fid, p.source_id, issue.field, mapping.column(field), value,
                                     issue.reason, false});
        }
        return;
    }
    if (p.duplicate) {
        p.duplicate->row = p.row.ordinal;
        report.duplicates.push_back(std::move(*p.duplicate));
    }
}

} // namespace

ImportReport import_layer(core::Registry& registry, const ImportOptions& options) {
    // The total is only shown with the progress; CSV and GeoJSON drivers count by reading the file.
    detail::RowReader reader(options.path, options.layer, options.encoding, static_cast<bool>(options.progress));
    ImportReport report;
    report.path = options.path;
    report.layer = reader.layer_name();
    report.driver = reader.driver();
    report.dry_run = options.dry_run;
    report.notes = reader.notes();
    report.source = options.source.empty() ? std::filesystem::path(options.path).stem().string() : options.source;
    report.mapping = resolve_mapping(reader.columns(), reader.hxl_tags(), options.mapping, options.kind);
    if (!report.mapping.count("id"))
        report.notes.push_back("no id column: rows are keyed by feature id, so re-imports match by position "
                               "(map one with --field id=COLUMN)");
    const detail::BoundMapping mapping(report.mapping, reader.columns());
    const std::string who = "import:" + report.source;

    DuplicateGrid grid;
    if (options.kind == RecordKind::service && options.check_duplicates) grid = other_sources(registry, report.source);

    detail::SeenIds seen;  // on disk: a million ids would otherwise stay in memory to the end
    const auto started = std::chrono::steady_clock::now();
    auto last_progress = started;
    bool stopped = false;
    try {
        registry.batch(
            [&] {
                const std::int64_t had = registry.count_of_source(table_of(options.kind), report.source);
                {
                    detail::Prefetch<PreparedRow> rows(
                        RowPreparer(reader, mapping, registry.reference(), options, report.source, grid, seen));
                    while (auto prepared = rows.next()) {
                        ++report.rows;
                        if (options.progress) {
                            const auto now = std::chrono::steady_clock::now();
                            if (now - last_progress > std::chrono::milliseconds(250)) {
                                options.progress(report.rows, reader.total());
                                last_progress = now;
                            }
                        }
                        write_row(registry, *prepared, mapping, who, report);
                    }
                }  // the reading thread has stopped: `seen` is this thread's again
                // Every record of the source now is one it had before or one of the file's (all
                // in `seen`), so the ones not seen are those the file no longer has. Both come in
                // source_id order: one walk along each. Each record the source had matches at most
                // one row (ids repeated in the file are refused), so when every one of them was
                // updated or unchanged none is missing and the walk is skipped: a first import or a
                // full re-import does not read the source's records again.
                if (had > report.updated + report.unchanged)
                    registry.records_of_source(table_of(options.kind), report.source,
                                               [&](std::int64_t id, const std::string& source_id) {
                                                   if (!seen.contains_in_order(source_id))
                                                       report.missing.emplace_back(id, source_id);
                                               });
                std::sort(report.missing.begin(), report.missing.end());  // by id, as the report lists them
                if (options.prune)
                    for (const auto& [id, source_id] : report.missing)
                        if (retire(registry, options.kind, id, who)) ++report.pruned;
                if (options.progress) options.progress(report.rows, reader.total());
                if (!options.dry_run && report.invalid > 0 && !options.skip_invalid) throw stop_import{};
            },
            !options.dry_run);
    } catch (const stop_import&) {
        stopped = true;
    }
    report.committed = !options.dry_run && !stopped;
    return report;
}

std::vector<std::pair<std::string, std::int64_t>> list_layers(const std::string& path) {
    auto dataset = detail::open_vector(path);
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (int i = 0; i < dataset->GetLayerCount(); ++i) {
        auto* layer = dataset->GetLayer(i);
        out.emplace_back(layer->GetName(), layer->GetFeatureCount(FALSE));
    }
    return out;
}

std::string report_json(const ImportReport& r) {
    nlohmann::json doc = {{"path", r.path},       {"layer", r.layer},         {"driver", r.driver},
                          {"source", r.source},   {"dry_run", r.dry_run},     {"committed", r.committed},
                          {"rows", r.rows},       {"created", r.created},     {"updated", r.updated},
                          {"unchanged", r.unchanged}, {"invalid", r.invalid}, {"pruned", r.pruned},
                          {"mapping", r.mapping}, {"notes", r.notes}};
    auto& issues = doc["issues"] = nlohmann::json::array();
    for (const auto& i : r.issues)
        issues.push_back({{"row", i.row}, {"fid", i.fid}, {"source_id", i.source_id}, {"field", i.field},
                          {"column", i.column}, {"value", i.value}, {"reason", i.reason},
                          {"severity", i.warning ? "warning" : "error"}});
    auto& missing = doc["missing"] = nlohmann::json::array();
    for (const auto& [id, source_id] : r.missing) missing.push_back({{"id", id}, {"source_id", source_id}});
    auto& duplicates = doc["duplicates"] = nlohmann::json::array();
    for (const auto& d : r.duplicates)
        duplicates.push_back({{"row", d.row}, {"source_id", d.source_id}, {"other_id", d.other_id},
                              {"other_source", d.other_source}, {"name", d.name},
                              {"distance_m", std::round(d.distance_m * 10) / 10}});
    return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string report_table(const ImportReport& r) {
    std::ostringstream out;
    auto clip = [](std::string s) {
        if (s.size() > 40) s = s.substr(0, 37) + "...";
        return s;
    };
    for (const auto& note : r.notes) out << "note: " << note << '\n';
    if (!r.issues.empty()) {
        std::vector<std::array<std::string, 7>> rows{{"row", "fid", "id", "field", "column", "value", "problem"}};
        for (const auto& i : r.issues)
            rows.push_back({std::to_string(i.row), i.fid >= 0 ? std::to_string(i.fid) : "", clip(i.source_id),
                            i.field, clip(i.column), clip(i.value), (i.warning ? "warning: " : "") + i.reason});
        std::array<std::size_t, 7> width{};
        for (const auto& row : rows)
            for (std::size_t c = 0; c < 6; ++c) width[c] = std::max(width[c], row[c].size());
        for (const auto& row : rows) {
            for (std::size_t c = 0; c < 6; ++c) out << row[c] << std::string(width[c] - row[c].size() + 2, ' ');
            out << row[6] << '\n';
        }
    }
    for (const auto& d : r.duplicates)
        out << "possible duplicate: row " << d.row << " (" << d.source_id << ") '" << d.name << "' is "
            << static_cast<int>(std::lround(d.distance_m)) << " m from record " << d.other_id << " of source '"
            << d.other_source << "'\n";
    if (!r.missing.empty()) {
        out << r.missing.size() << " record(s) of source '" << r.source << "' are not in this file"
            << (r.pruned ? " (" + std::to_string(r.pruned) + " marked inactive)" : std::string(" (--prune marks them inactive)"))
            << ":";
        std::size_t shown = 0;
        for (const auto& [id, source_id] : r.missing) {
            if (++shown > 20) { out << " ..."; break; }
            out << ' ' << source_id;
        }
        out << '\n';
    }
    out << r.rows << " rows from layer '" << r.layer << "' (" << r.driver << "), source '" << r.source
        << "': created " << r.created << ", updated " << r.updated << ", unchanged " << r.unchanged << ", invalid "
        << r.invalid;
    if (r.dry_run) out << " (dry run: nothing written)";
    else if (!r.committed) out << " (nothing written: fix the rows or use --skip-invalid)";
    else if (r.invalid) out << " (invalid rows skipped)";
    out << '\n';
    return out.str();
}

} // namespace enlace::geo
