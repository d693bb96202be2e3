#pragma once
// The kinds of record the registry holds, named once for every interface.
#include <optional>
#include <string_view>

namespace enlace::core {

enum class RecordKind { service, actor, practice };

/// "service", "actor", "practice": the spelling of the CLI's --kind and of the audit trail.
std::string_view to_string(RecordKind kind);
std::optional<RecordKind> parse_record_kind(std::string_view text);

} // namespace enlace::core
