#pragma once
// The one write path of every record kind:
//   locate the stored version -> authorise access to it -> resolve references and validate ->
//   apply privacy (a service's public point) -> authorise the new version -> store -> audit,
// inside the caller's write transaction; the caller commits and publishes the change to the
// indexes and caches (Registry::Impl::publish). Authorisation comes before the body is validated,
// so that an error message never tells about a record the writer may not see.
#include "registry_impl.hpp"

namespace enlace::core::detail {

template <class Record> WriteResult write_record(Registry::Impl& impl, Record record, const std::string& who);

extern template WriteResult write_record(Registry::Impl&, Service, const std::string&);
extern template WriteResult write_record(Registry::Impl&, Actor, const std::string&);
extern template WriteResult write_record(Registry::Impl&, Practice, const std::string&);

} // namespace enlace::core::detail
