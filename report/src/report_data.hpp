#pragma once
// The report's material, read from the registry once (report_data.cpp) and then only rendered.
#include "enlace/report/report.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace enlace::report {

/// A service as the report shows it: its public view, reduced to what is drawn and counted.
struct ServiceMark {
    std::int64_t id = 0;
    core::LocalizedText name;
    std::string country;
    std::vector<std::string> types;
    std::string locality;
    std::optional<core::GeoPoint> point; // the public point (coarsened for a sensitive site); none: no site
    bool coarsened = false;
    bool illustrative = false;
};

/// Where one practice appears: under a country and an axis; `full` marks the one place its entry
/// is printed whole (the others refer to it).
struct Placement {
    std::size_t practice = 0; // index into Data::practices
    bool full = false;
};

struct AxisSection {
    int axis = 0;
    std::string anchor; // "c-GT-a3"
    std::vector<Placement> placements;
};

struct CountrySection {
    std::string country; // alpha-2
    std::string anchor;  // "c-GT"
    std::vector<AxisSection> axes;
    std::vector<std::size_t> services; // indexes into Data::services, sited or not
};

struct Report::Data {
    ReportOptions options;
    core::ReferenceData reference;
    std::vector<core::Practice> practices; // published, in id order
    std::vector<std::string> practice_anchors;
    std::map<std::int64_t, core::Actor> actors; // implementing actors and partners
    std::map<std::int64_t, ServiceMark> linked; // public services the practices link to
    std::vector<ServiceMark> services;          // every public service of the countries
    std::vector<CountrySection> countries;
    std::optional<core::PlanStructure> plan;   // the Strategic Plan, when one is loaded
    std::vector<core::PlanEntry> plan_cells;   // as published: confirmed entities only
    std::string generated_on;                  // YYYY-MM-DD
    std::optional<int> first_year, last_year;  // of the practices' periods
    bool ongoing = false;                      // some practice has no end
    bool illustrative = false;                 // some record shown is illustrative
    std::vector<std::string> families() const; // top-level service families, in taxonomy order
    std::string family_of(const std::string& type) const;
};

} // namespace enlace::report
