#include "hsds_uuid.hpp"

#include "enlace/geo/errors.hpp"

#include <openssl/evp.h>

#include <vector>

namespace enlace::geo::detail {

const UuidBytes hsds_namespace{0x2e, 0xbb, 0x23, 0x99, 0x52, 0x6a, 0x4c, 0x04,
                               0xa6, 0x28, 0x6f, 0xff, 0x17, 0x3b, 0xa5, 0x30};

std::string uuid_v5(const UuidBytes& name_space, std::string_view name) {
    std::vector<std::uint8_t> input(name_space.begin(), name_space.end());
    input.insert(input.end(), name.begin(), name.end());
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha1(), nullptr) != 1 || length < 16)
        throw geo_error("cannot compute SHA-1 for an HSDS id", std::string(name));
    digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x50); // version 5
    digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80); // RFC 4122 variant
    static const char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0x0f];
    }
    return out;
}

} // namespace enlace::geo::detail
