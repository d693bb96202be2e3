// The import report as JSON (for pipelines) and as a readable table (docs/import.md, "The report").
#include "enlace/geo/importer.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>

namespace enlace::geo {

std::string report_json(const ImportReport& r) {
    nlohmann::json doc = {{"path", r.path},           {"layer", r.layer},         {"driver", r.driver},
                          {"source", r.source},       {"dry_run", r.dry_run},     {"committed", r.committed},
                          {"rows", r.rows},           {"created", r.created},     {"updated", r.updated},
                          {"unchanged", r.unchanged}, {"invalid", r.invalid},     {"pruned", r.pruned},
                          {"mapping", r.mapping},     {"fallbacks", r.fallbacks}, {"notes", r.notes}};
    auto& unmapped = doc["unmapped"] = nlohmann::json::array();
    for (const auto& u : r.unmapped)
        unmapped.push_back({{"column", u.column}, {"rows_with_value", u.rows_with_value}, {"reason", u.reason}});
    auto& issues = doc["issues"] = nlohmann::json::array();
    for (const auto& i : r.issues)
        issues.push_back({{"row", i.row},
                          {"fid", i.fid},
                          {"source_id", i.source_id},
                          {"field", i.field},
                          {"column", i.column},
                          {"value", i.value},
                          {"reason", i.reason},
                          {"severity", i.warning ? "warning" : "error"}});
    auto& missing = doc["missing"] = nlohmann::json::array();
    for (const auto& [id, source_id] : r.missing)
        missing.push_back({{"id", id}, {"source_id", source_id}});
    auto& duplicates = doc["duplicates"] = nlohmann::json::array();
    for (const auto& d : r.duplicates)
        duplicates.push_back({{"row", d.row},
                              {"source_id", d.source_id},
                              {"other_id", d.other_id},
                              {"other_source", d.other_source},
                              {"name", d.name},
                              {"distance_m", std::round(d.distance_m * 10) / 10}});
    return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string report_table(const ImportReport& r) {
    std::ostringstream out;
    auto clip = [](std::string s) {
        if (s.size() > 40) s = s.substr(0, 37) + "...";
        return s;
    };
    for (const auto& note : r.notes)
        out << "note: " << note << '\n';
    if (!r.issues.empty()) {
        std::vector<std::array<std::string, 7>> rows{{"row", "fid", "id", "field", "column", "value", "problem"}};
        for (const auto& i : r.issues)
            rows.push_back({std::to_string(i.row), i.fid >= 0 ? std::to_string(i.fid) : "", clip(i.source_id), i.field,
                            clip(i.column), clip(i.value), (i.warning ? "warning: " : "") + i.reason});
        std::array<std::size_t, 7> width{};
        for (const auto& row : rows)
            for (std::size_t c = 0; c < 6; ++c)
                width[c] = std::max(width[c], row[c].size());
        for (const auto& row : rows) {
            for (std::size_t c = 0; c < 6; ++c)
                out << row[c] << std::string(width[c] - row[c].size() + 2, ' ');
            out << row[6] << '\n';
        }
    }
    for (const auto& d : r.duplicates)
        out << "possible duplicate: row " << d.row << " (" << d.source_id << ") '" << d.name << "' is "
            << static_cast<int>(std::lround(d.distance_m)) << " m from record " << d.other_id << " of source '"
            << d.other_source << "'\n";
    if (!r.missing.empty()) {
        out << r.missing.size() << " record(s) of source '" << r.source << "' are not in this file"
            << (r.pruned ? " (" + std::to_string(r.pruned) + " marked inactive)"
                         : std::string(" (--prune marks them inactive)"))
            << ":";
        std::size_t shown = 0;
        for (const auto& [id, source_id] : r.missing) {
            if (++shown > 20) {
                out << " ...";
                break;
            }
            out << ' ' << source_id;
        }
        out << '\n';
    }
    out << r.rows << " rows from layer '" << r.layer << "' (" << r.driver << "), source '" << r.source << "': created "
        << r.created << ", updated " << r.updated << ", unchanged " << r.unchanged << ", invalid " << r.invalid;
    if (r.dry_run)
        out << " (dry run: nothing written)";
    else if (!r.committed)
        out << " (nothing written: fix the rows or use --skip-invalid)";
    else if (r.invalid)
        out << " (invalid rows skipped)";
    out << '\n';
    return out.str();
}

} // namespace enlace::geo
