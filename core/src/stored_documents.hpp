#pragma once
// Reading records back from their stored documents (the doc column) through each kind's field
// table over simdjson's DOM, which costs a fraction of nlohmann's tree. Internal to core.
#include "enlace/core/model.hpp"

#include <string_view>

namespace enlace::core::detail {

/// The record of a stored document: the same record, or the same exception, that
/// service_from_json (actor_from_json, practice_from_json) of json::parse(text) gives with
/// UnknownFields::ignore.
Service decode_stored_service(std::string_view text);
Actor decode_stored_actor(std::string_view text);
Practice decode_stored_practice(std::string_view text);

} // namespace enlace::core::detail
