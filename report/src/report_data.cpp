// Reads the report's material through the Registry's public API, as the public: published
// practices, their actors, public services only (public views: coarsened sensitive sites, no
// personal contacts).
#include "report_data.hpp"
#include "report_words.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/query.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>

namespace enlace::report {
namespace {

std::string today_utc() {
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
    return text;
}

ServiceMark mark_of(const core::ServiceView& view) {
    const auto& f = view.fields();
    ServiceMark mark;
    mark.id = f.id;
    mark.name = f.name;
    mark.country = f.country;
    mark.types = f.types;
    mark.locality = f.address.locality;
    mark.illustrative = f.illustrative;
    // Only the public view is ever asked for; its site is the public point.
    if (const auto site = view.site()) {
        mark.point = site->point;
        mark.coarsened = site->coarsened;
    }
    return mark;
}

std::vector<core::Practice> published_practices(const core::Registry& registry, const ReportOptions& options) {
    core::PracticeQuery q;
    q.countries = options.countries;
    q.axes = options.axes;
    q.limit = core::ServiceQuery::max_limit;
    q.audience = core::Audience::public_;
    std::vector<core::Practice> out;
    for (;;) {
        auto page = registry.find(q);
        for (auto& p : page.items)
            out.push_back(std::move(p));
        if (page.next_cursor.empty()) return out;
        q.cursor = page.next_cursor;
    }
}

void add_services_of(const core::Registry& registry, const std::string& country, Report::Data& data,
                     CountrySection& section) {
    core::ServiceQuery q;
    q.countries = {country};
    q.limit = core::ServiceQuery::max_limit;
    q.audience = core::Audience::public_;
    for (;;) {
        const auto page = registry.find(q);
        for (const auto& hit : page.items) {
            section.services.push_back(data.services.size());
            data.services.push_back(mark_of(hit.service));
            data.illustrative = data.illustrative || hit.service->illustrative;
        }
        if (page.next_cursor.empty()) return;
        q.cursor = page.next_cursor;
    }
}

/// The practice's axes the report shows it under (those asked for; "0" when it names none).
std::vector<int> shown_axes(const core::Practice& p, const ReportOptions& options) {
    std::vector<int> axes;
    for (int axis : p.axes)
        if (options.axes.empty() || std::find(options.axes.begin(), options.axes.end(), axis) != options.axes.end())
            axes.push_back(axis);
    std::sort(axes.begin(), axes.end());
    axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
    if (axes.empty()) axes.push_back(0);
    return axes;
}

void place_practices(Report::Data& data) {
    std::vector<bool> placed(data.practices.size(), false);
    for (auto& section : data.countries) {
        std::map<int, std::vector<Placement>> by_axis;
        for (std::size_t i = 0; i < data.practices.size(); ++i) {
            const auto& p = data.practices[i];
            if (std::find(p.countries.begin(), p.countries.end(), section.country) == p.countries.end()) continue;
            for (int axis : shown_axes(p, data.options)) {
                by_axis[axis].push_back({i, !placed[i]});
                placed[i] = true;
            }
        }
        for (auto& [axis, placements] : by_axis)
            section.axes.push_back({axis, section.anchor + "-a" + std::to_string(axis), std::move(placements)});
    }
}

void read_links(const core::Registry& registry, Report::Data& data) {
    for (const auto& p : data.practices) {
        std::vector<std::int64_t> actor_ids = p.actor_ids;
        for (const auto& partner : p.partners)
            if (partner.actor_id) actor_ids.push_back(*partner.actor_id);
        for (auto id : actor_ids)
            if (!data.actors.count(id))
                if (auto actor = registry.actor(id)) {
                    actor->contacts.clear(); // the report names organisations; it never lists contacts
                    data.illustrative = data.illustrative || actor->illustrative;
                    data.actors.emplace(id, std::move(*actor));
                }
        for (auto id : p.service_ids)
            if (!data.linked.count(id))
                if (const auto view = registry.service(id, core::Audience::public_))
                    data.linked.emplace(id, mark_of(*view));
    }
}

void read_period(Report::Data& data) {
    for (const auto& p : data.practices) {
        data.illustrative = data.illustrative || p.illustrative;
        if (p.year_start && (!data.first_year || *p.year_start < *data.first_year)) data.first_year = p.year_start;
        const auto end = p.year_end ? p.year_end : p.year_start;
        if (!p.year_end) data.ongoing = true;
        if (end && (!data.last_year || *end > *data.last_year)) data.last_year = end;
    }
}

} // namespace

std::vector<std::string> Report::Data::families() const {
    std::vector<std::string> out;
    for (const auto& term : reference.terms())
        if (term.parent.empty()) out.push_back(term.code);
    return out;
}

std::string Report::Data::family_of(const std::string& type) const { return type.substr(0, type.find('.')); }

ReportOptions parse_options(const core::ReferenceData& reference, const std::string& countries, const std::string& axes,
                            const std::string& language, const std::string& paper) {
    ReportOptions options;
    for (const auto& code : core::split_list(countries, true)) {
        const auto* country = reference.find_country(code);
        if (!country) {
            std::string known;
            for (const auto& c : reference.countries())
                known += (known.empty() ? "" : ", ") + c.alpha2;
            throw core::query_error("country", "unknown country '" + code + "': one of " + known);
        }
        if (std::find(options.countries.begin(), options.countries.end(), country->alpha2) == options.countries.end())
            options.countries.push_back(country->alpha2);
    }
    for (const auto& item : core::split_list(axes)) {
        if (item.size() != 1 || item[0] < '1' || item[0] > '5')
            throw core::query_error("axis", "'" + item + "' is not an RCM axis: give numbers from 1 to 5");
        const int axis = item[0] - '0';
        if (std::find(options.axes.begin(), options.axes.end(), axis) == options.axes.end())
            options.axes.push_back(axis);
    }
    options.language = language.empty() ? "es" : language;
    if (!is_report_language(options.language))
        throw core::query_error("lang", "'" + language + "' is not a report language: es, en or fr");
    if (paper.empty() || paper == "a4" || paper == "A4") {
        options.paper = Paper::a4;
    } else if (paper == "letter") {
        options.paper = Paper::letter;
    } else {
        throw core::query_error("paper", "'" + paper + "' is not a paper size: a4 or letter");
    }
    return options;
}

Report Report::collect(const core::Registry& registry, const ReportOptions& options) {
    auto data = std::make_unique<Data>();
    data->options = options;
    data->reference = registry.reference();
    data->generated_on = today_utc();
    if (data->options.countries.empty()) {
        for (const auto& c : data->reference.countries())
            data->options.countries.push_back(c.alpha2);
        const auto& ref = data->reference;
        const auto& lang = options.language;
        std::sort(data->options.countries.begin(), data->options.countries.end(),
                  [&](const std::string& a, const std::string& b) {
                      return core::fold(country_name(ref, a, lang)) < core::fold(country_name(ref, b, lang));
                  });
    }
    data->practices = published_practices(registry, data->options);
    for (const auto& p : data->practices)
        data->practice_anchors.push_back("p-" + std::to_string(p.id));
    for (const auto& country : data->options.countries) {
        data->countries.push_back({country, "c-" + country, {}, {}});
        add_services_of(registry, country, *data, data->countries.back());
    }
    place_practices(*data);
    read_links(registry, *data);
    read_period(*data);
    data->plan = registry.plan();
    if (data->plan) data->plan_cells = registry.published_plan_entries(data->options.countries);
    return Report(std::move(data));
}

Report::Report(std::unique_ptr<Data> data) : m_data(std::move(data)) {}
Report::Report(Report&&) noexcept = default;
Report& Report::operator=(Report&&) noexcept = default;
Report::~Report() = default;

std::vector<std::string> Report::toc_anchors() const {
    std::vector<std::string> out{"intro"};
    for (const auto& c : m_data->countries) {
        out.push_back(c.anchor);
        for (const auto& a : c.axes) {
            out.push_back(a.anchor);
            for (const auto& placement : a.placements)
                if (placement.full) out.push_back(m_data->practice_anchors[placement.practice]);
        }
    }
    out.push_back("actors");
    if (m_data->plan) out.push_back("plan");
    out.push_back("annex");
    return out;
}

} // namespace enlace::report
