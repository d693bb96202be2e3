#include "enlace/geo/importer.hpp"

#include "duplicate_grid.hpp"
#include "import_records.hpp"
#include "import_values.hpp"
#include "prefetch.hpp"
#include "row_reader.hpp"
#include "seen_ids.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/geodesy.hpp"
#include "enlace/geo/errors.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iterator>

namespace enlace::geo {
namespace {

using detail::DuplicateGrid;

struct stop_import {}; // invalid rows without --skip-invalid: roll the batch back

core::WriteResult put(core::Registry& registry, detail::Record& record, const std::string& who, bool review) {
    if (review) {
        // As one submission: new records in review, changes of published ones as their pending
        // revisions in review (docs/security.md); actors are not reviewed and apply at once.
        core::WriteOptions options;
        options.reviewed = true;
        options.submit = true;
        const auto holder = core::Caller::holder(who);
        if (auto* s = std::get_if<core::Service>(&record)) return registry.put(holder, std::move(*s), options);
        if (auto* a = std::get_if<core::Actor>(&record)) return registry.put(holder, std::move(*a), options);
        return registry.put(holder, std::move(std::get<core::Practice>(record)), options);
    }
    if (auto* s = std::get_if<core::Service>(&record)) return registry.put(std::move(*s), who);
    if (auto* a = std::get_if<core::Actor>(&record)) return registry.put(std::move(*a), who);
    return registry.put(std::move(std::get<core::Practice>(record)), who);
}

// Marks a record gone from the source: services become inactive, practices archived. Actors have
// no status, so they are only reported. Returns whether anything changed.
bool retire(core::Registry& registry, RecordKind kind, std::int64_t id, const std::string& who) {
    if (kind == RecordKind::service) {
        auto s = registry.service_record(id);
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

// How many rows have a value in each column that nothing reads.
class UnreadValues {
  public:
    UnreadValues(std::vector<UnmappedColumn>& unmapped, const std::vector<std::string>& columns)
        : m_unmapped(unmapped) {
        for (const auto& u : unmapped)
            m_index.push_back(
                static_cast<std::size_t>(std::find(columns.begin(), columns.end(), u.column) - columns.begin()));
    }
    void count(const detail::Row& row) {
        for (std::size_t i = 0; i < m_index.size(); ++i)
            if (m_index[i] < row.values.size() && !detail::blank(row.values[m_index[i]]))
                ++m_unmapped[i].rows_with_value;
    }

  private:
    std::vector<UnmappedColumn>& m_unmapped;
    std::vector<std::size_t> m_index;
};

// A public export's row for a sensitive site holds its coarsened place (location_precision
// approximate). Imported over the record it came from, it would replace the exact site the
// registry holds: such a row is refused, as `enlace add` refuses a coarsened public view.
std::optional<std::string> replaces_exact_site(const core::Registry& registry, const core::Service& row) {
    if (!row.site || row.site->precision != core::LocationPrecision::approximate) return std::nullopt;
    const auto id = registry.find_service_id({row.source, row.source_id});
    if (!id) return std::nullopt;
    const auto stored = registry.service_record(*id);
    if (!stored || !stored->coarsened || !stored->site || !stored->public_point) return std::nullopt;
    if (stored->site->precision == core::LocationPrecision::approximate) return std::nullopt;
    constexpr double same = 1e-6; // the public point as a file writes it
    if (std::abs(stored->public_point->lon - row.site->point.lon) > same ||
        std::abs(stored->public_point->lat - row.site->point.lat) > same)
        return std::nullopt;
    return "is the coarsened public place of a sensitive site whose exact site this registry holds: importing it "
           "would replace the exact site (import an authorised export, enlace export --include-restricted, or leave "
           "the row out)";
}

// One row as read and mapped on the reading thread, ready to write.
struct PreparedRow {
    detail::Row row; // kept to name the column and value of a problem the core finds
    std::string source_id;
    std::vector<RowIssue> issues;         // the row's own problems, errors and warnings
    std::optional<detail::Record> record; // nothing when the row has errors of its own
    std::optional<DuplicateHint> duplicate;
};

// Everything about a row that needs no registry write: the key (unique within the file), the
// record, and the duplicate hint. Runs on the reading thread, so it touches only what no write
// changes: the reader, `seen`, the mapping, the reference data and the grid.
class RowPreparer {
  public:
    RowPreparer(detail::RowReader& reader, const detail::BoundMapping& mapping, const core::ReferenceData& reference,
                const ImportOptions& options, const std::string& source, const DuplicateGrid& grid,
                detail::SeenIds& seen, UnreadValues& unread)
        : m_reader(reader), m_mapping(mapping), m_reference(reference), m_options(options), m_source(source),
          m_grid(grid), m_seen(seen), m_unread(unread) {}

    std::optional<PreparedRow> operator()() {
        auto row = m_reader.next();
        if (!row) return std::nullopt;
        m_unread.count(*row);
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
    UnreadValues& m_unread;
};

// Writes one prepared row and counts it in the report.
void write_row(core::Registry& registry, PreparedRow& p, const detail::BoundMapping& mapping, const std::string& who,
               bool review, ImportReport& report) {
    report.issues.insert(report.issues.end(), std::make_move_iterator(p.issues.begin()),
                         std::make_move_iterator(p.issues.end()));
    if (!p.record) {
        ++report.invalid;
        return;
    }
    if (const auto* s = std::get_if<core::Service>(&*p.record))
        if (auto reason = replaces_exact_site(registry, *s)) {
            ++report.invalid;
            report.issues.push_back({p.row.ordinal, p.row.fid, p.source_id, "location_precision",
                                     mapping.column(p.row, "location_precision"),
                                     mapping.value(p.row, "location_precision"), std::move(*reason), false});
            return;
        }
    try {
        const auto result = put(registry, *p.record, who, review);
        if (result.outcome == core::WriteOutcome::created)
            ++report.created;
        else if (result.outcome == core::WriteOutcome::updated)
            ++report.updated;
        else
            ++report.unchanged;
    } catch (const core::validation_error& e) {
        ++report.invalid;
        for (const auto& issue : e.issues()) {
            const std::string field = detail::logical_field_of(issue.field);
            std::string value = mapping.value(p.row, field);
            if (field == "geometry" && p.row.point)
                value = std::to_string(p.row.point->lon) + " " + std::to_string(p.row.point->lat);
            report.issues.push_back({p.row.ordinal, p.row.fid, p.source_id, issue.field, mapping.column(p.row, field),
                                     value, issue.reason, false});
        }
        return;
    }
    if (p.duplicate) {
        p.duplicate->row = p.row.ordinal;
        report.duplicates.push_back(std::move(*p.duplicate));
    }
}

std::string quoted(const std::vector<std::string>& names, const char* last) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i)
        out += (i == 0 ? "" : i + 1 == names.size() ? last : ", ") + ("'" + names[i] + "'");
    return out;
}

// Notes naming every column nothing read (but the fields a KML reader adds to every layer) and
// every field read from more than one column.
void note_columns(ImportReport& report, const MappingPlan& plan) {
    for (const auto& [field, others] : plan.fallbacks) {
        const auto& first = plan.fields.at(field);
        report.notes.push_back("'" + field + "' is read from column '" + first + "', and from " +
                               quoted(others, " or ") + " in rows where the columns before are empty");
    }
    for (const auto& u : plan.unmapped) {
        if (u.driver_field) continue; // KML's own (timestamp, extrude, ...): defaults, not the data's
        report.unmapped.push_back(u);
        const std::string rows = u.rows_with_value == 0 ? "empty in every row"
                                                        : std::to_string(u.rows_with_value) + " of " +
                                                              std::to_string(report.rows) + " rows have a value";
        report.notes.push_back("column '" + u.column + "' is not imported (" + rows + "): " + u.reason);
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
    auto plan = plan_mapping(reader.columns(), reader.hxl_tags(), options.mapping, options.kind, reader.driver());
    report.mapping = plan.fields;
    report.fallbacks = plan.fallbacks;
    if (!report.mapping.count("id"))
        report.notes.push_back("no id column: rows are keyed by feature id, so re-imports match by position "
                               "(map one with --field id=COLUMN)");
    const detail::BoundMapping mapping(plan, reader.columns());
    UnreadValues unread(plan.unmapped, reader.columns());
    const std::string who = "import:" + report.source;

    DuplicateGrid grid;
    if (options.kind == RecordKind::service && options.check_duplicates)
        grid = DuplicateGrid::other_sources(registry, report.source);

    detail::SeenIds seen; // on disk: a million ids would otherwise stay in memory to the end
    const auto started = std::chrono::steady_clock::now();
    auto last_progress = started;
    bool stopped = false;
    try {
        registry.batch(
            [&] {
                const std::int64_t had = registry.count_of_source(options.kind, report.source);
                {
                    detail::Prefetch<PreparedRow> rows(
                        RowPreparer(reader, mapping, registry.reference(), options, report.source, grid, seen, unread));
                    while (auto prepared = rows.next()) {
                        ++report.rows;
                        if (options.progress) {
                            const auto now = std::chrono::steady_clock::now();
                            if (now - last_progress > std::chrono::milliseconds(250)) {
                                options.progress(report.rows, reader.total());
                                last_progress = now;
                            }
                        }
                        write_row(registry, *prepared, mapping, who, options.review, report);
                    }
                } // the reading thread has stopped: `seen` is this thread's again
                // Every record of the source now is one it had before or one of the file's (all
                // in `seen`), so the ones not seen are those the file no longer has. Both come in
                // source_id order: one walk along each. Each record the source had matches at most
                // one row (ids repeated in the file are refused), so when every one of them was
                // updated or unchanged none is missing and the walk is skipped: a first import or a
                // full re-import does not read the source's records again.
                if (had > report.updated + report.unchanged)
                    registry.records_of_source(options.kind, report.source,
                                               [&](std::int64_t id, const std::string& source_id) {
                                                   if (!seen.contains_in_order(source_id))
                                                       report.missing.emplace_back(id, source_id);
                                               });
                std::sort(report.missing.begin(), report.missing.end()); // by id, as the report lists them
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
    note_columns(report, plan);
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

} // namespace enlace::geo
