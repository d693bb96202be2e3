#include "commands.hpp"

namespace enlace::cli {

// Placeholder until the export command lands: registers nothing.
void add_export_command(CLI::App&, const Common&) {}

} // namespace enlace::cli
