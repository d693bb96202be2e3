// The paging cursor decoder (core/src/cursor.hpp) on arbitrary text: it refuses with
// query_error("cursor") only, and a cursor it accepts encodes to one that decodes to the same.
#include "cursor.hpp"
#include "fuzz_support.hpp"

#include "enlace/core/errors.hpp"

#include <bit>

namespace {

using enlace::core::detail::Cursor;
using enlace::fuzz::finding;

bool same(const Cursor& a, const Cursor& b) {
    if (a.after_id != b.after_id || a.rank != b.rank || a.after_chord2.has_value() != b.after_chord2.has_value())
        return false;
    // Bit for bit: -0.0 is a chord2 the decoder accepts and must come back as itself.
    return !a.after_chord2 ||
           std::bit_cast<std::uint64_t>(*a.after_chord2) == std::bit_cast<std::uint64_t>(*b.after_chord2);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(enlace::fuzz::text_of(data, size));
    Cursor cursor;
    try {
        cursor = enlace::core::detail::decode_cursor(text);
    } catch (const enlace::core::query_error& e) {
        if (e.parameter() != "cursor") finding("the decoder blamed another parameter", e.parameter());
        return 0;
    }
    if (cursor.after_id < 0 || cursor.rank < 0) finding("a negative id or rank was accepted", text);
    if (cursor.after_chord2 && !(*cursor.after_chord2 >= 0 && *cursor.after_chord2 <= 4))
        finding("a chord outside [0, 4] was accepted", text);
    const auto encoded = enlace::core::detail::encode_cursor(cursor);
    Cursor again;
    try {
        again = enlace::core::detail::decode_cursor(encoded);
    } catch (const enlace::core::query_error&) {
        finding("an encoded cursor does not decode", encoded);
    }
    if (!same(cursor, again)) finding("decode(encode(c)) != c", text + " -> " + encoded);
    return 0;
}
