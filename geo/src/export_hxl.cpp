// HXL-tagged CSV (a 3W-compatible table): row 1 the column names, row 2 the HXL hashtags of
// reference/standards.md, then one row per service. Organisation name/acronym/type come from the
// service's actor (looked up once per actor).
#include "export_detail.hpp"

#include "contact_text.hpp"
#include "hours_text.hpp"
#include "spreadsheet_text.hpp"

#include "enlace/core/vocabulary.hpp"
#include "enlace/geo/errors.hpp"

#include <algorithm>
#include <fstream>
#include <map>

namespace enlace::geo::detail {
namespace {

struct HxlColumn {
    std::string header, tag;
    std::function<std::string(const core::ServiceView&, const core::Actor*)> get;
};

// The contacts of one kind; personal ones (authorised exports only) are named again in
// personal_contacts.
std::string contact(const core::ServiceFields& s, core::ContactKind kind) {
    std::vector<std::string> values;
    for (const auto& c : s.contacts)
        if (c.kind == kind) values.push_back(c.value);
    return join_list(values, "; ");
}

std::string number(const std::optional<int>& value) { return value ? std::to_string(*value) : ""; }

std::string flag(const std::optional<bool>& value) { return value ? (*value ? "1" : "0") : ""; }

std::string family(const std::vector<std::string>& types) {
    std::vector<std::string> families;
    for (const auto& t : types) {
        auto f = t.substr(0, t.find('.'));
        if (std::find(families.begin(), families.end(), f) == families.end()) families.push_back(std::move(f));
    }
    return join_list(families);
}

std::string localized(const core::LocalizedText& text, const std::string& lang) {
    const auto it = text.find(lang);
    return it == text.end() ? std::string() : it->second;
}

std::string coordinate(const core::ServiceView& s, bool lon) {
    const auto site = s.site();
    if (!site) return {};
    return cell_text(Cell{lon ? site->point.lon : site->point.lat});
}

std::vector<HxlColumn> hxl_columns(const std::vector<std::string>& languages) {
    using S = core::ServiceView;
    using A = core::Actor;
    std::vector<HxlColumn> c;
    c.push_back(
        {"org_id", "#org+id", [](const S& s, const A*) { return s->actor_id ? std::to_string(*s->actor_id) : ""; }});
    for (const auto& lang : languages)
        c.push_back({"org_name_" + lang, "#org+name+i_" + lang,
                     [lang](const S&, const A* a) { return a ? localized(a->name, lang) : ""; }});
    c.push_back({"org_acronym", "#org+acronym", [](const S&, const A* a) { return a ? a->acronym : ""; }});
    c.push_back({"org_type", "#org+type", [](const S&, const A* a) { return a ? a->actor_type : ""; }});
    c.push_back({"id", "#meta+id", [](const S& s, const A*) { return std::to_string(s->id); }});
    c.push_back({"source", "#meta+source", [](const S& s, const A*) { return s->source; }});
    c.push_back({"source_id", "#meta+source+id", [](const S& s, const A*) { return s->source_id; }});
    for (const auto& lang : languages)
        c.push_back({"name_" + lang, "#service+name+i_" + lang,
                     [lang](const S& s, const A*) { return localized(s->name, lang); }});
    c.push_back({"types", "#service+code", [](const S& s, const A*) { return join_list(s->types); }});
    c.push_back({"sector", "#sector+code", [](const S& s, const A*) { return family(s->types); }});
    for (const auto& lang : languages)
        c.push_back({"description_" + lang, "#description+i_" + lang,
                     [lang](const S& s, const A*) { return localized(s->description, lang); }});
    c.push_back({"status", "#status", [](const S& s, const A*) { return std::string(core::to_string(s->status)); }});
    c.push_back(
        {"populations", "#beneficiary+children", [](const S& s, const A*) { return join_list(s->populations); }});
    c.push_back({"age_min", "#beneficiary+age+min", [](const S& s, const A*) { return number(s->age.min); }});
    c.push_back({"age_max", "#beneficiary+age+max", [](const S& s, const A*) { return number(s->age.max); }});
    c.push_back({"locality", "#loc+name", [](const S& s, const A*) { return s->address.locality; }});
    c.push_back({"street", "#loc+address", [](const S& s, const A*) { return s->address.street; }});
    c.push_back({"location_precision", "#loc+type", [](const S& s, const A*) {
                     const auto site = s.site();
                     return site ? std::string(core::to_string(site->precision)) : "none";
                 }});
    c.push_back({"lat", "#geo+lat", [](const S& s, const A*) { return coordinate(s, false); }});
    c.push_back({"lon", "#geo+lon", [](const S& s, const A*) { return coordinate(s, true); }});
    c.push_back({"country", "#country+code+v_iso2", [](const S& s, const A*) { return s->country; }});
    c.push_back({"admin1_name", "#adm1+name", [](const S& s, const A*) { return s->address.admin1_name; }});
    c.push_back({"admin1_code", "#adm1+code", [](const S& s, const A*) { return s->address.admin1_code; }});
    c.push_back({"admin2_name", "#adm2+name", [](const S& s, const A*) { return s->address.admin2_name; }});
    c.push_back({"admin2_code", "#adm2+code", [](const S& s, const A*) { return s->address.admin2_code; }});
    // The service area of a service without a site (hotlines). HXL has no hashtag for it: the values
    // are country and admin1 codes, so they keep those hashtags with a +service_area attribute, and
    // come after the service's own columns (HXL tools take the first column a pattern matches).
    c.push_back({"area_countries", "#country+code+v_iso2+service_area",
                 [](const S& s, const A*) { return join_list(s->area.countries); }});
    c.push_back(
        {"area_admin1", "#adm1+code+service_area", [](const S& s, const A*) { return join_list(s->area.admin1); }});
    c.push_back({"email", "#contact+email",
                 [](const S& s, const A*) { return contact(s.fields(), core::ContactKind::email); }});
    c.push_back({"phone", "#contact+phone",
                 [](const S& s, const A*) { return contact(s.fields(), core::ContactKind::phone); }});
    c.push_back(
        {"url", "#contact+url", [](const S& s, const A*) { return contact(s.fields(), core::ContactKind::url); }});
    // What the 3W hashtags have no place for, under their nearest hashtag with an attribute of
    // Enlace's own (docs/export.md): HXL tools that know the base hashtag still read them.
    c.push_back({"hotline", "#contact+phone+hotline",
                 [](const S& s, const A*) { return contact(s.fields(), core::ContactKind::hotline); }});
    c.push_back({"whatsapp", "#contact+phone+whatsapp",
                 [](const S& s, const A*) { return contact(s.fields(), core::ContactKind::whatsapp); }});
    c.push_back({"personal_contacts", "#contact+personal",
                 [](const S& s, const A*) { return contacts_text(s->contacts, true); }});
    c.push_back({"postal_code", "#loc+postcode", [](const S& s, const A*) { return s->address.postal_code; }});
    c.push_back(
        {"hours", "#description+hours", [](const S& s, const A*) { return s->hours ? format_hours(*s->hours) : ""; }});
    c.push_back(
        {"timezone", "#meta+timezone", [](const S& s, const A*) { return s->hours ? s->hours->timezone : ""; }});
    c.push_back({"languages", "#service+languages", [](const S& s, const A*) { return join_list(s->languages); }});
    c.push_back({"gender", "#beneficiary+gender", [](const S& s, const A*) { return s->gender; }});
    c.push_back({"cost", "#service+cost", [](const S& s, const A*) { return s->cost; }});
    c.push_back(
        {"referral_required", "#service+referral", [](const S& s, const A*) { return flag(s->referral_required); }});
    c.push_back({"capacity", "#capacity", [](const S& s, const A*) { return number(s->capacity); }});
    c.push_back({"visibility", "#meta+visibility",
                 [](const S& s, const A*) { return std::string(core::to_string(s->visibility)); }});
    c.push_back({"illustrative", "#meta+illustrative",
                 [](const S& s, const A*) { return std::string(s->illustrative ? "1" : "0"); }});
    c.push_back({"last_verified", "#date+reported", [](const S& s, const A*) { return s->last_verified; }});
    c.push_back({"updated_at", "#date+updated", [](const S& s, const A*) { return s->updated_at; }});
    return c;
}

} // namespace

ExportSummary write_hxl(const core::Registry& registry, const std::string& path, const ExportOptions& options) {
    std::ofstream out(path, std::ios::binary);
    if (!out) throw geo_error("cannot create '" + path + "'", path);
    const auto columns = hxl_columns(options.languages);
    std::vector<std::string> row;
    for (const auto& c : columns)
        row.push_back(c.header);
    write_csv_row(out, row);
    row.clear();
    for (const auto& c : columns)
        row.push_back(c.tag);
    write_csv_row(out, row);

    std::map<std::int64_t, std::optional<core::Actor>> actors; // one entry per actor, not per row
    ExportSummary summary;
    summary.records = for_each_service(registry, options.services, [&](const core::ServiceView& s) {
        const core::Actor* actor = nullptr;
        if (s->actor_id) {
            auto it = actors.find(*s->actor_id);
            if (it == actors.end()) it = actors.emplace(*s->actor_id, registry.actor(*s->actor_id)).first;
            if (it->second) actor = &*it->second;
        }
        row.clear();
        for (const auto& c : columns)
            row.push_back(spreadsheet_safe(c.get(s, actor))); // HXL tables are opened in spreadsheets
        write_csv_row(out, row);
    });
    out.close();
    if (!out) throw geo_error("cannot write '" + path + "' (disk full?)", path);
    summary.files = {path};
    return summary;
}

} // namespace enlace::geo::detail
