#pragma once
// Reading a service back from its stored document (services.doc). The document was validated when
// it was written, so a direct decoder into Service replaces JSON DOM + service_from_json (the
// DOM costs most of a read). Internal to core.
#include "enlace/core/model.hpp"

#include <optional>
#include <string_view>

namespace enlace::core::detail {

/// The service of a stored document: the same Service that service_from_json(json::parse(text),
/// UnknownFields::ignore) gives, with the same exceptions, since anything the direct decoder does not expect (an older
/// or hand-edited document, a value service_from_json would refuse) goes through that path instead.
Service decode_stored_service(std::string_view text);

/// The direct decoder alone: nothing when the document is not in the form it expects.
std::optional<Service> decode_stored_service_direct(std::string_view text);

} // namespace enlace::core::detail
