#pragma once
// Semantic checks of records against the reference data. Each throws validation_error listing
// every problem (field and reason); on success the record is normalised (codes upper-cased,
// time zone defaulted from the country, duplicates removed).
#include "enlace/core/model.hpp"
#include "enlace/core/reference.hpp"

namespace enlace::core {

void validate(Service& service, const ReferenceData& reference);
void validate(Actor& actor, const ReferenceData& reference);
void validate(Practice& practice, const ReferenceData& reference);

/// A BCP-47 tag of the simple shapes the registry uses: "es", "quc", "es-MX", "zh-Hant".
bool valid_language_tag(std::string_view tag);

} // namespace enlace::core
