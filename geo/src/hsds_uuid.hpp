#pragma once
// Name-based UUIDs (RFC 4122 version 5, SHA-1) for the HSDS export: the same name gives the same
// id on every export, so a re-export of the same registry keeps its ids.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace enlace::geo::detail {

using UuidBytes = std::array<std::uint8_t, 16>;

/// The namespace of every HSDS id Enlace writes: 2ebb2399-526a-4c04-a628-6fff173ba530.
extern const UuidBytes hsds_namespace;

/// The version-5 UUID of `name` in `name_space`, as lower-case 8-4-4-4-12 text.
std::string uuid_v5(const UuidBytes& name_space, std::string_view name);

/// uuid_v5(hsds_namespace, name): the HSDS id of "service/12", "phone/12/hotline/1599", ...
inline std::string hsds_id(std::string_view name) { return uuid_v5(hsds_namespace, name); }

} // namespace enlace::geo::detail
