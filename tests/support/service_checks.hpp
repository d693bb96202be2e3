#pragma once
// Field-by-field comparison of services, for tests that read a record back by another path.
#include "enlace/core/model.hpp"
#include "enlace/core/query.hpp"

namespace enlace::test {

struct SameService {
    /// Also the fields the store owns (id, timestamps, public point, coarsening, the public view)
    /// and the actor key, with the site's coordinates compared bit for bit.
    bool every_field = false;
    /// Otherwise the site's coordinates are equal, or within this many degrees (formats that
    /// write coordinates as decimal text, GeoJSON's 7 decimals).
    double coordinate_tolerance = 0;
};

/// CHECKs that `got` carries every field a writer gives as `want` does.
void check_same_service(const core::Service& got, const core::Service& want, SameService how = {});

/// A service as a reader sees it, as a Service to compare field by field: the whole record, or
/// for a public view its fields with the public site as the site (what a file of the public view
/// holds). Only for comparisons: the registry itself never mixes the two.
core::Service comparable(const core::ServiceView& view);

} // namespace enlace::test
