// A country's map, drawn by the program: the outlines the registry holds (no tiles, nothing
// loaded from elsewhere) and the public points of its services. A sensitive site is only ever at
// its public (coarsened) point, drawn as a ring that says "approximate".
#include "html_parts.hpp"
#include "report_words.hpp"

#include <cmath>
#include <cstdio>
#include <set>
#include <utility>

namespace enlace::report::detail {
namespace {

constexpr double max_width = 640, max_height = 440;
constexpr double pi = 3.14159265358979323846;

/// An equirectangular projection fitted to the country's box, scaled by the cosine of its middle
/// latitude; a box across the antimeridian is unwrapped eastwards.
struct Projection {
    double west = 0, north = 0, scale = 1, coslat = 1;
    bool wraps = false;
    double width = 0, height = 0;

    explicit Projection(const core::BBox& box) {
        wraps = box.crosses_antimeridian();
        west = box.west;
        north = box.north;
        const double east = wraps ? box.east + 360 : box.east;
        coslat = std::cos((box.north + box.south) / 2 * pi / 180);
        const double span_x = std::max(east - west, 0.01) * coslat, span_y = std::max(box.north - box.south, 0.01);
        scale = std::min(max_width / span_x, max_height / span_y);
        width = span_x * scale;
        height = span_y * scale;
    }
    double lon_of(double lon) const { return wraps && lon < 0 ? lon + 360 : lon; }
    double x(const core::GeoPoint& p) const { return (lon_of(p.lon) - west) * scale * coslat; }
    double y(const core::GeoPoint& p) const { return (north - p.lat) * scale; }
};

std::string number(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", v);
    return text;
}

std::string path_of(const core::MultiPolygon& outline, const Projection& projection) {
    std::string d;
    for (const auto& polygon : outline)
        for (const auto& ring : polygon.rings) {
            std::string last;
            for (std::size_t i = 0; i < ring.size(); ++i) {
                // Vertices closer than a tenth of a unit add nothing at this scale.
                const auto here = number(projection.x(ring[i])) + " " + number(projection.y(ring[i]));
                if (here == last) continue;
                d += (i == 0 ? "M" : "L") + here;
                last = here;
            }
            d += "Z";
        }
    return d;
}

bool overlaps(const core::BBox& a, const core::BBox& b) {
    if (a.crosses_antimeridian() || b.crosses_antimeridian()) return true; // drawn, then clipped by the view
    return a.west <= b.east && b.west <= a.east && a.south <= b.north && b.south <= a.north;
}

} // namespace

std::string country_map(const Report::Data& data, const CountrySection& section) {
    const auto& lang = data.options.language;
    const auto& w = words_for(lang);
    const auto* country = data.reference.country(section.country);
    if (!country) return {};
    const Projection projection(country->bbox);

    std::string svg = "<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                      number(projection.width) + " " + number(projection.height) + "\" data-west=\"" +
                      std::to_string(projection.west) + "\" data-north=\"" + std::to_string(projection.north) +
                      "\" data-scale=\"" + std::to_string(projection.scale) + "\" data-coslat=\"" +
                      std::to_string(projection.coslat) + "\" role=\"img\" aria-label=\"" +
                      escape(fill(w.map_title, {country_name(data.reference, section.country, lang)})) + "\">";
    svg += "<rect class=\"sea\" width=\"100%\" height=\"100%\"/>";
    for (const auto& other : data.reference.countries())
        if (other.alpha2 != section.country && !other.outline.empty() && overlaps(other.bbox, country->bbox))
            svg += "<path class=\"land-other\" d=\"" + path_of(other.outline, projection) + "\"/>";
    if (!country->outline.empty())
        svg += "<path class=\"land\" fill-rule=\"evenodd\" d=\"" + path_of(country->outline, projection) + "\"/>";

    // One mark per half unit and kind: thousands of services in a city are one dot at this scale.
    std::set<std::pair<long, long>> exact, approximate;
    std::string exact_marks, approximate_marks;
    std::int64_t unsited = 0;
    for (auto index : section.services) {
        const auto& s = data.services[index];
        if (!s.point) {
            ++unsited;
            continue;
        }
        const double x = projection.x(*s.point), y = projection.y(*s.point);
        const std::pair<long, long> cell{std::lround(x * 2), std::lround(y * 2)};
        if (s.coarsened) {
            if (approximate.insert(cell).second)
                approximate_marks +=
                    "<circle class=\"approx\" cx=\"" + number(x) + "\" cy=\"" + number(y) + "\" r=\"4\"/>";
        } else if (exact.insert(cell).second) {
            exact_marks += "<circle class=\"pt\" cx=\"" + number(x) + "\" cy=\"" + number(y) + "\" r=\"2.4\"/>";
        }
    }
    svg += exact_marks + approximate_marks + "</svg>";

    std::string figure =
        "<figure class=\"map-figure\">" + svg + "<figcaption>" +
        escape(fill(w.map_title, {country_name(data.reference, section.country, lang)})) +
        "<span class=\"legend\"><svg class=\"key\" viewBox=\"0 0 12 12\"><circle class=\"pt\" cx=\"6\" "
        "cy=\"6\" r=\"3\"/></svg> " +
        escape(w.map_exact) +
        " <svg class=\"key\" viewBox=\"0 0 12 12\"><circle class=\"approx\" cx=\"6\" cy=\"6\" "
        "r=\"4.5\"/></svg> " +
        escape(w.map_approximate) + "</span>";
    if (exact.empty() && approximate.empty()) figure += "<span class=\"note\">" + escape(w.map_none) + "</span>";
    if (unsited > 0)
        figure += "<span class=\"note\">" + escape(fill(w.map_unsited, {format_count(unsited, lang)})) + "</span>";
    return figure + "</figcaption></figure>";
}

} // namespace enlace::report::detail
