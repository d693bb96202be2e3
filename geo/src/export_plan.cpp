// The Plan's table through GDAL's CSV and XLSX drivers (plan_export.hpp). Written to a temporary
// file beside the output and renamed into place, so a failed export leaves nothing at the path.
#include "enlace/geo/plan_export.hpp"

#include "enlace/core/strategic_plan.hpp"
#include "enlace/geo/errors.hpp"
#include "export_detail.hpp"
#include "gdal_support.hpp"
#include "spreadsheet_text.hpp"

#include <cpl_string.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <utility>

namespace enlace::geo {
namespace {

namespace fs = std::filesystem;
using core::join_list;

struct Row {
    std::vector<std::string> cells;
};

struct Sheet {
    std::string name;
    std::vector<std::string> columns;
    std::vector<Row> rows;
    /// Columns of counts, written as integers (readers of the file then tell its header row from
    /// its data, as GDAL's XLSX driver does).
    std::vector<std::string> integer_columns;
};

std::string text_in(const core::LocalizedText& text, const std::string& language) {
    const auto resolved = core::resolve(text, language);
    return resolved ? resolved->text : std::string();
}

/// The entities of a cell by name, an actor deleted since it was proposed by its id.
std::vector<std::string> entity_names(const core::PlanEntry& entry) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < entry.actors.size(); ++i) {
        const std::string& name = i < entry.actor_names.size() ? entry.actor_names[i] : std::string();
        out.push_back(name.empty() ? "actor " + std::to_string(entry.actors[i]) + " (deleted)" : name);
    }
    return out;
}

/// Where each action sits in the Plan: its axis and objective codes and its text.
struct ActionPlace {
    std::string axis, objective, text;
};

std::map<std::string, ActionPlace> places_of(const core::PlanStructure& plan, const std::string& language) {
    std::map<std::string, ActionPlace> out;
    for (const auto& axis : plan.axes)
        for (const auto& objective : axis.objectives)
            for (const auto& action : objective.actions)
                out[action.code] = {axis.code, objective.code, text_in(action.text, language)};
    return out;
}

Sheet entries_sheet(const std::vector<core::PlanEntry>& entries, const std::map<std::string, ActionPlace>& places) {
    Sheet sheet{"entries",
                {"axis", "objective", "action", "action_text", "country", "status", "responsible", "actor_ids", "notes",
                 "last_note_on", "last_note", "version", "updated_at"},
                {},
                {"notes", "version"}};
    for (const auto& e : entries) {
        const auto& place = places.at(e.action);
        std::vector<std::string> ids;
        for (const auto id : e.actors)
            ids.push_back(std::to_string(id));
        const core::PlanNote* last = e.notes.empty() ? nullptr : &e.notes.back();
        sheet.rows.push_back(
            {{place.axis, place.objective, e.action, place.text, e.country, std::string(core::to_string(e.status)),
              join_list(entity_names(e), "; "), join_list(ids, ";"), std::to_string(e.notes.size()),
              last ? last->on : "", last ? last->text : "", std::to_string(e.version), e.updated_at}});
    }
    return sheet;
}

/// Actions by countries, for the meeting: what is missing stands out as "MISSING".
Sheet overview_sheet(const std::vector<core::PlanEntry>& entries, const std::map<std::string, ActionPlace>& places,
                     const core::PlanStructure& plan) {
    std::vector<std::string> countries;
    for (const auto& e : entries)
        if (std::find(countries.begin(), countries.end(), e.country) == countries.end()) countries.push_back(e.country);
    Sheet sheet{"overview", {"action", "action_text"}, {}, {"missing"}};
    sheet.columns.insert(sheet.columns.end(), countries.begin(), countries.end());
    sheet.columns.push_back("missing");
    std::map<std::pair<std::string, std::string>, const core::PlanEntry*> cells;
    for (const auto& e : entries)
        cells[{e.action, e.country}] = &e;
    for (const auto* action : plan.actions()) {
        Row row{{action->code, places.at(action->code).text}};
        int missing = 0;
        for (const auto& country : countries) {
            const auto found = cells.find({action->code, country});
            const core::PlanEntry* e = found == cells.end() ? nullptr : found->second;
            if (!e || e->status == core::PlanStatus::missing) {
                ++missing;
                row.cells.push_back("MISSING");
            } else {
                row.cells.push_back(std::string(core::to_string(e->status)) + ": " + join_list(entity_names(*e), "; "));
            }
        }
        row.cells.push_back(std::to_string(missing));
        sheet.rows.push_back(std::move(row));
    }
    return sheet;
}

/// `options` are the CSV driver's when the sheet is a CSV file (whose text cells are then
/// spreadsheet-safe), null for an XLSX sheet (whose cells are typed).
void write_sheet(GDALDataset& dataset, const Sheet& sheet, const std::string& path, const char* const* options) {
    const bool csv = options != nullptr;
    OGRLayer* layer = dataset.CreateLayer(sheet.name.c_str(), nullptr, wkbNone, const_cast<char**>(options));
    if (!layer) throw geo_error("cannot create sheet '" + sheet.name + "': " + detail::last_gdal_error(), path);
    for (const auto& column : sheet.columns) {
        const bool integer = std::find(sheet.integer_columns.begin(), sheet.integer_columns.end(), column) !=
                             sheet.integer_columns.end();
        OGRFieldDefn field(column.c_str(), integer ? OFTInteger64 : OFTString);
        if (layer->CreateField(&field) != OGRERR_NONE)
            throw geo_error("cannot create column '" + column + "': " + detail::last_gdal_error(), path, sheet.name,
                            column);
    }
    for (const auto& row : sheet.rows) {
        OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        for (std::size_t i = 0; i < row.cells.size(); ++i) {
            const int f = static_cast<int>(i);
            if (feature->GetFieldDefnRef(f)->GetType() == OFTInteger64)
                feature->SetField(f, static_cast<GIntBig>(std::stoll(row.cells[i])));
            else if (csv)
                feature->SetField(f, detail::spreadsheet_safe(row.cells[i]).c_str());
            else
                feature->SetField(f, row.cells[i].c_str());
        }
        if (layer->CreateFeature(feature.get()) != OGRERR_NONE)
            throw geo_error("cannot write a row: " + detail::last_gdal_error(), path, sheet.name);
    }
}

} // namespace

std::int64_t export_plan(const core::Registry& registry, const core::Caller& by, const std::string& path,
                         const PlanExportOptions& options) {
    const std::string extension = fs::path(path).extension().string();
    const bool xlsx = extension == ".xlsx";
    if (!xlsx && extension != ".csv") throw geo_error("the Plan exports to .csv or .xlsx, not '" + path + "'", path);
    if (options.language != "es" && options.language != "en")
        throw core::query_error("lang", "the Plan's texts are in es and en");
    std::error_code ec;
    if (fs::exists(path, ec) && !options.overwrite)
        throw geo_error("'" + path + "' exists (use --overwrite to replace it)", path);

    const auto plan = registry.plan();
    if (!plan) throw core::not_found("no Strategic Plan is loaded: `enlace plan load FILE` loads one");
    core::PlanFilter filter;
    filter.countries = options.countries;
    const auto entries = registry.plan_entries(by, filter);
    const auto places = places_of(*plan, options.language);

    detail::ensure_gdal();
    auto* driver = GetGDALDriverManager()->GetDriverByName(xlsx ? "XLSX" : "CSV");
    if (!driver) throw geo_error(std::string("GDAL has no ") + (xlsx ? "XLSX" : "CSV") + " driver", path);
    // The extension once, at the end: GDAL opens an XLSX file as /vsizip/ and splits its name at
    // the first ".xlsx".
    const fs::path target(path);
    const fs::path temporary = target.parent_path() / ("." + target.stem().string() + ".partial" + extension);
    fs::remove(temporary, ec);
    try {
        CPLErrorReset();
        GDALDatasetUniquePtr dataset(driver->Create(temporary.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!dataset) throw geo_error("cannot create '" + path + "': " + detail::last_gdal_error(), path);
        const char* csv_options[] = {"LINEFORMAT=LF", "CREATE_CSVT=NO", "WRITE_BOM=NO", nullptr};
        if (xlsx) write_sheet(*dataset, overview_sheet(entries, places, *plan), path, nullptr);
        write_sheet(*dataset, entries_sheet(entries, places), path, xlsx ? nullptr : csv_options);
        detail::finish(std::move(dataset), path);
        fs::rename(temporary, target);
    } catch (...) {
        fs::remove(temporary, ec);
        throw;
    }
    return static_cast<std::int64_t>(entries.size());
}

} // namespace enlace::geo
