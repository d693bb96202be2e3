#include "stored_records.hpp"

#include "enlace/core/record_json.hpp"
#include "stored_service.hpp"

#include <nlohmann/json.hpp>

namespace enlace::core::detail {
namespace {

template <class Record> std::string tree_doc(const Record& record) {
    auto doc = to_json(record);
    for (const char* key : {"id", "updated_at"})
        doc.erase(key);
    return doc.dump();
}

} // namespace

std::string stored_doc(const Service& s) {
    ServiceJsonForm form;
    form.stored = true;
    return to_json_text(s, form);
}

std::string stored_doc(const Actor& a) { return tree_doc(a); }
std::string stored_doc(const Practice& p) { return tree_doc(p); }

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
    Actor a = actor_from_json(nlohmann::json::parse(stored.doc), UnknownFields::ignore);
    a.id = id;
    a.updated_at = stored.updated_at;
    a.version = stored.state.version;
    return a;
}

Practice decode_practice(std::int64_t id, const StoredRecord& stored) {
    Practice p = practice_from_json(nlohmann::json::parse(stored.doc), UnknownFields::ignore);
    p.id = id;
    p.updated_at = stored.updated_at;
    p.review_status = stored.state.review_status;
    p.version = stored.state.version;
    return p;
}

} // namespace enlace::core::detail
