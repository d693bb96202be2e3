// The Strategic Plan's file reader (PlanStructure::from_json, core/include/enlace/core/
// strategic_plan.hpp) on arbitrary text: it refuses with validation_error alone, and a Plan it
// accepts writes a file (to_json) that reads back as the same Plan, every action findable by its
// code.
#include "fuzz_support.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/strategic_plan.hpp"

namespace {

namespace core = enlace::core;
using enlace::fuzz::finding;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = enlace::fuzz::text_of(data, size);
    core::PlanStructure plan;
    try {
        plan = core::PlanStructure::from_json(text);
    } catch (const core::validation_error&) {
        return 0; // refused, naming the entries: the documented outcome
    }
    const auto written = plan.to_json();
    std::string again;
    try {
        again = core::PlanStructure::from_json(written).to_json();
    } catch (const core::validation_error& e) {
        finding("a Plan's own file is refused", written + "\n" + e.what());
    }
    if (again != written) finding("a Plan's file does not read back the same", written + "\n" + again);
    for (const auto* action : plan.actions())
        if (plan.action(action->code) != action) finding("an action is not found by its code", action->code);
    return 0;
}
