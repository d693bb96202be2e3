#include "commands.hpp"

namespace enlace::cli {

// Placeholder until the import command lands: registers nothing.
void add_import_command(CLI::App&, const Common&) {}

} // namespace enlace::cli
