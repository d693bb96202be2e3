// Query strings (http/src/query_params.hpp) on arbitrary bytes: parsing, typed values and
// percent-decoding throw nothing but core::query_error, and what is encoded decodes back.
#include "fuzz_support.hpp"
#include "query_params.hpp"

#include "enlace/core/errors.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace {

using enlace::fuzz::finding;
namespace detail = enlace::http::detail;

void check_params(const detail::Params& params) {
    std::set<std::string> names;
    for (const auto& [name, value] : params.items()) {
        if (!names.insert(name).second) finding("a repeated name was kept", name);
        if (params.find(name) != &value) finding("find() does not give the item's value", name);
        try {
            if (const auto number = params.number(name); !number || !std::isfinite(*number))
                finding("number() gave no finite number for a present parameter", value);
        } catch (const enlace::core::query_error& e) {
            if (e.parameter() != name) finding("number() blamed another parameter", e.parameter());
        }
        try {
            if (!params.integer(name)) finding("integer() gave nothing for a present parameter", value);
        } catch (const enlace::core::query_error& e) {
            if (e.parameter() != name) finding("integer() blamed another parameter", e.parameter());
        }
    }
    try {
        params.require_known({"lat", "lon", "q", "limit", "cursor"});
    } catch (const enlace::core::query_error&) {
        // an undeclared name: expected
    }
    std::size_t longest = 0;
    for (const auto& item : params.items())
        longest = std::max(longest, item.first.size());
    const std::string absent(longest + 1, 'x'); // longer than every name given
    if (params.has(absent) || !params.get(absent).empty()) finding("an absent name was found");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = enlace::fuzz::text_of(data, size);
    try {
        check_params(detail::Params::parse(text));
    } catch (const enlace::core::query_error&) {
        // a malformed escape or a repeated name: the documented refusal
    }
    try {
        detail::url_decode(text, "q");
    } catch (const enlace::core::query_error&) {
    }
    const auto encoded = detail::url_encode(text);
    if (detail::url_decode(encoded, "q") != text) finding("url_decode(url_encode(x)) != x", encoded);
    detail::mentions_position(text);
    return 0;
}
