#include "stored_records.hpp"

#include "codec/actor_fields.hpp"
#include "codec/practice_fields.hpp"
#include "enlace/core/record_json.hpp"
#include "stored_documents.hpp"

namespace enlace::core::detail {
namespace {

/// A record in its stored form, through its kind's field table.
template <class Record, class Fields> std::string document(const Record& record, const Fields& fields) {
    std::string out;
    out.reserve(512);
    codec::write_object(out, record, codec::DocumentForm{.stored = true}, fields);
    return out;
}

} // namespace

std::string stored_doc(const Service& s) {
    ServiceJsonForm form;
    form.stored = true;
    return to_json_text(s, form);
}

std::string stored_doc(const Actor& a) { return document(a, codec::actor_fields); }
std::string stored_doc(const Practice& p) { return document(p, codec::practice_fields); }

Service decode_service(std::int64_t id, const StoredRecord& stored) {
    Service s = decode_stored_service(stored.doc);
    s.id = id;
    s.public_point = stored.public_point;
    s.coarsened = stored.coarsened;
    s.created_at = stored.created_at;
    s.updated_at = stored.updated_at;
    s.review_status = stored.state.review_status;
    s.version = stored.state.version;
    return s;
}

Actor decode_actor(std::int64_t id, const StoredRecord& stored) {
    Actor a = decode_stored_actor(stored.doc);
    a.id = id;
    a.updated_at = stored.updated_at;
    a.version = stored.state.version;
    return a;
}

Practice decode_practice(std::int64_t id, const StoredRecord& stored) {
    Practice p = decode_stored_practice(stored.doc);
    p.id = id;
    p.updated_at = stored.updated_at;
    p.review_status = stored.state.review_status;
    p.version = stored.state.version;
    return p;
}

} // namespace enlace::core::detail
