// Stored documents read through their kinds' field tables, over simdjson's DOM: the same readers
// as input, so a stored document means what the input readers read from it.
#include "stored_documents.hpp"

#include "codec/actor_fields.hpp"
#include "codec/practice_fields.hpp"
#include "codec/service_fields.hpp"
#include "codec/simd_value.hpp"
#include "enlace/core/record_json.hpp"

#include <nlohmann/json.hpp>

#include <cstring>
#include <memory>

namespace enlace::core::detail {
namespace {

/// One parser per thread, kept with its buffers, and a padded copy of the text to parse (simdjson
/// reads a little past a document's end).
struct StoredParser {
    simdjson::dom::parser parser;
    std::unique_ptr<char[]> padded;
    std::size_t capacity = 0;

    simdjson::simdjson_result<simdjson::dom::element> parse(std::string_view text) {
        if (!padded || capacity < text.size()) {
            capacity = std::max<std::size_t>(text.size(), 2 * capacity);
            padded = std::make_unique<char[]>(capacity + simdjson::SIMDJSON_PADDING);
        }
        if (!text.empty()) std::memcpy(padded.get(), text.data(), text.size());
        std::memset(padded.get() + text.size(), 0, simdjson::SIMDJSON_PADDING);
        return parser.parse(padded.get(), text.size(), false);
    }
};

/// read(value) over simdjson; what simdjson refuses (a syntax error, or what nlohmann reads and
/// simdjson does not: an integer beyond 64 bits, nesting past 1024 levels) gets nlohmann's answer.
template <class Read, class Reference> auto decode(std::string_view text, Read read, Reference reference) {
    thread_local StoredParser stored;
    auto parsed = stored.parse(text);
    if (parsed.error()) return reference(nlohmann::json::parse(text.begin(), text.end()), UnknownFields::ignore);
    return read(codec::SimdValue(parsed.value_unsafe()), codec::Unknown::ignore);
}

} // namespace

Service decode_stored_service(std::string_view text) {
    return decode(
        text, [](const auto& v, codec::Unknown u) { return codec::read_service(v, u); }, service_from_json);
}

Actor decode_stored_actor(std::string_view text) {
    return decode(
        text, [](const auto& v, codec::Unknown u) { return codec::read_actor(v, u); }, actor_from_json);
}

Practice decode_stored_practice(std::string_view text) {
    return decode(
        text, [](const auto& v, codec::Unknown u) { return codec::read_practice(v, u); }, practice_from_json);
}

} // namespace enlace::core::detail
