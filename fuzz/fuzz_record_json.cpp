// The JSON record readers (core/include/enlace/core/record_json.hpp) on arbitrary JSON: every
// record kind, refusing and ignoring unknown fields, throws validation_error only, and a record
// read writes a JSON form that reads back as the same record. Then the stored decoder
// (core/src/stored_service.hpp) against its reference: whenever the direct decoder gives a service
// for the text, service_from_json(json::parse(text), UnknownFields::ignore) gives the same one.
#include "fuzz_support.hpp"
#include "stored_service.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/record_json.hpp"

#include <nlohmann/json.hpp>

#include <optional>

namespace {

namespace core = enlace::core;
using enlace::fuzz::finding;
using nlohmann::json;

/// Reads the document as a record with `read`; when it is one, its JSON form must read back the same.
template <class Read> void check_reader(const json& doc, core::UnknownFields unknown, Read read) {
    json written;
    try {
        written = core::to_json(read(doc, unknown));
    } catch (const core::validation_error&) {
        return; // refused, naming the fields: the documented outcome
    }
    try {
        const json again = core::to_json(read(written, core::UnknownFields::ignore));
        if (again != written)
            finding("a record's JSON does not read back the same", written.dump() + "\n" + again.dump());
    } catch (const core::validation_error& e) {
        finding("a record's own JSON is refused", written.dump() + "\n" + e.what());
    }
}

void check_readers(const json& doc) {
    for (const auto unknown : {core::UnknownFields::refuse, core::UnknownFields::ignore}) {
        check_reader(doc, unknown, [](const json& d, core::UnknownFields u) { return core::service_from_json(d, u); });
        check_reader(doc, unknown, [](const json& d, core::UnknownFields u) { return core::actor_from_json(d, u); });
        check_reader(doc, unknown, [](const json& d, core::UnknownFields u) { return core::practice_from_json(d, u); });
    }
}

void check_stored_decoder(std::string_view text, const json& doc) {
    std::optional<core::Service> reference;
    std::string refusal = "not JSON";
    if (!doc.is_discarded()) {
        try {
            reference = core::service_from_json(doc, core::UnknownFields::ignore);
        } catch (const core::validation_error& e) {
            refusal = e.what();
        }
    }
    std::optional<core::Service> direct;
    try {
        direct = core::detail::decode_stored_service_direct(text);
    } catch (const core::validation_error& e) {
        if (reference) finding("the direct decoder refuses a service service_from_json reads", e.what());
        return;
    }
    if (!direct) return; // not in the stored form: the reference path reads it
    if (!reference) finding("the direct decoder reads what service_from_json refuses", refusal);
    const json a = core::to_json(*direct), b = core::to_json(*reference);
    if (a != b) finding("the direct decoder and service_from_json differ", a.dump() + "\n" + b.dump());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = enlace::fuzz::text_of(data, size);
    const json doc = json::parse(text, nullptr, false);
    if (!doc.is_discarded()) check_readers(doc);
    check_stored_decoder(text, doc);
    return 0;
}
