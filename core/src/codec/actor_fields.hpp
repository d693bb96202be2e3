#pragma once
// The field table of an actor: the one definition of its JSON, read from input (DomValue) and
// from stored documents (SimdValue), and written for the store and every response.
#include "codec/field_kinds.hpp"

namespace enlace::core::codec {

inline const auto actor_fields = [] {
    using namespace kinds;
    using A = Actor;
    return std::tuple{text_field("acronym", &A::acronym),
                      text_field("actor_type", &A::actor_type, true),
                      contacts_field(&A::contacts),
                      strings_field("countries", &A::countries, true),
                      localized_field("description", &A::description),
                      text_field("email", &A::email),
                      id_field(&A::id),
                      flag_field("illustrative", &A::illustrative),
                      localized_field("name", &A::name, true),
                      text_field("source", &A::source, true),
                      text_field("source_id", &A::source_id, true),
                      timestamp_field("updated_at", &A::updated_at),
                      text_field("website", &A::website)};
}();

template <class V> Actor read_actor(const V& doc, Unknown unknown) {
    return read_record<Actor>(doc, unknown, actor_fields, [](Actor&) {});
}

} // namespace enlace::core::codec
