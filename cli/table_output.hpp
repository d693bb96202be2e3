#pragma once
// A readable listing of services for a person at a terminal.
#include "enlace/core/query.hpp"
#include "enlace/core/reference.hpp"

#include <ostream>

namespace enlace::cli {

void print_table(std::ostream& out, const core::ServicePage& page, const core::ReferenceData& reference,
                 const std::string& language);

} // namespace enlace::cli
