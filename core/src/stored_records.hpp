#pragma once
// Records to and from what the store keeps: each kind's stored document (its codec's stored form,
// without what the store owns: id, timestamps, a service's public point) and the record read back
// from a StoredRecord.
#include "enlace/core/model.hpp"
#include "enlace/core/store.hpp"

#include <string>

namespace enlace::core::detail {

std::string stored_doc(const Service& service);
std::string stored_doc(const Actor& actor);
std::string stored_doc(const Practice& practice);

/// The whole record of a stored version, with the store's own fields filled in.
Service decode_service(std::int64_t id, const StoredRecord& stored);
Actor decode_actor(std::int64_t id, const StoredRecord& stored);
Practice decode_practice(std::int64_t id, const StoredRecord& stored);

} // namespace enlace::core::detail
