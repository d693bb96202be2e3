// The JSON record readers (core/include/enlace/core/record_json.hpp) on arbitrary JSON: every
// record kind, refusing and ignoring unknown fields, throws validation_error only, and a record
// read writes a JSON form that reads back as the same record. Then each kind's stored decoder
// (core/src/stored_documents.hpp, its field table over simdjson) against its reference: for any
// text, it gives the record that the kind's reader of json::parse(text) with
// UnknownFields::ignore gives, or refuses it as that does.
#include "fuzz_support.hpp"
#include "stored_documents.hpp"

#include "enlace/core/errors.hpp"
#include "enlace/core/record_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

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

/// A refusal's problems in one order (the two readers visit a language map's members in different orders).
std::vector<std::string> problems(const core::validation_error& e) {
    std::vector<std::string> out;
    for (const auto& issue : e.issues())
        out.push_back(issue.field + ": " + issue.reason);
    std::sort(out.begin(), out.end());
    return out;
}

/// The stored decoder of a kind against its reference reading of the same text (read_dom over
/// nlohmann's tree, unknown keys passed over): the same record, the same problems, or both no JSON.
template <class Stored, class Reference>
void check_stored_decoder(std::string_view text, const json& doc, Stored stored_read, Reference read_dom) {
    using Record = decltype(read_dom(doc, core::UnknownFields::ignore));
    std::optional<Record> reference;
    std::string refusal = "not JSON";
    std::vector<std::string> refused;
    if (!doc.is_discarded()) {
        try {
            reference = read_dom(doc, core::UnknownFields::ignore);
        } catch (const core::validation_error& e) {
            refusal = e.what();
            refused = problems(e);
        }
    }
    std::optional<Record> stored;
    try {
        stored = stored_read(text);
    } catch (const core::validation_error& e) {
        if (doc.is_discarded()) finding("the stored decoder reads as JSON what nlohmann refuses", e.what());
        if (reference) finding("the stored decoder refuses a record the reference reads", e.what());
        if (!reference && !doc.is_discarded() && problems(e) != refused)
            finding("the stored decoder refuses otherwise than the reference", refusal + "\n" + e.what());
        return;
    } catch (const json::exception& e) {
        if (!doc.is_discarded()) finding("the stored decoder refuses JSON that nlohmann reads", e.what());
        return;
    }
    if (!reference) finding("the stored decoder reads what the reference refuses", refusal);
    const json a = core::to_json(*stored), b = core::to_json(*reference);
    if (a != b) finding("the stored decoder and the reference differ", a.dump() + "\n" + b.dump());
}

void check_stored_decoders(std::string_view text, const json& doc) {
    check_stored_decoder(text, doc, core::detail::decode_stored_service,
                         [](const json& d, core::UnknownFields u) { return core::service_from_json(d, u); });
    check_stored_decoder(text, doc, core::detail::decode_stored_actor,
                         [](const json& d, core::UnknownFields u) { return core::actor_from_json(d, u); });
    check_stored_decoder(text, doc, core::detail::decode_stored_practice,
                         [](const json& d, core::UnknownFields u) { return core::practice_from_json(d, u); });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = enlace::fuzz::text_of(data, size);
    const json doc = json::parse(text, nullptr, false);
    if (!doc.is_discarded()) check_readers(doc);
    check_stored_decoders(text, doc);
    return 0;
}
