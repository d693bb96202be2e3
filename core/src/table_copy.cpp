#include "table_copy.hpp"

namespace enlace::core::detail {

const std::vector<TableShape>& copied_tables() {
    static const std::vector<TableShape> tables{
        {"countries",
         {"alpha2", "alpha3", "names", "west", "south", "east", "north", "timezone", "position", "outline"},
         "alpha2"},
        {"taxonomy_terms", {"code", "parent", "labels", "sensitive", "position"}, "code"},
        {"vocabulary", {"kind", "code", "labels", "position"}, "kind, code"},
        {"actors",
         {"id", "source", "source_id", "actor_type", "doc", "created_at", "updated_at", "version", "deleted",
          "editors"},
         "id"},
        {"actor_countries", {"actor_id", "country"}, "actor_id, country"},
        {"services",
         {"id",         "source",    "source_id",     "actor_id",   "country", "lon",     "lat",           "public_lon",
          "public_lat", "coarsened", "status",        "visibility", "age_min", "age_max", "last_verified", "created_at",
          "updated_at", "doc",       "review_status", "reach",      "version", "deleted", "editors"},
         "id"},
        {"service_types", {"service_id", "code"}, "service_id, code"},
        {"service_populations", {"service_id", "population"}, "service_id, population"},
        {"service_languages", {"service_id", "language"}, "service_id, language"},
        {"service_area_countries", {"service_id", "country"}, "service_id, country"},
        {"practices",
         {"id", "source", "source_id", "review_status", "year_start", "year_end", "doc", "created_at", "updated_at",
          "version", "deleted", "editors"},
         "id"},
        {"practice_countries", {"practice_id", "country"}, "practice_id, country"},
        {"practice_axes", {"practice_id", "axis"}, "practice_id, axis"},
        {"practice_types", {"practice_id", "code"}, "practice_id, code"},
        {"practice_actors", {"practice_id", "actor_id"}, "practice_id, actor_id"},
        {"practice_services", {"practice_id", "service_id"}, "practice_id, service_id"},
        {"changes",
         {"id", "at", "who", "record_table", "record_id", "action", "before", "after", "last_record_id", "comment",
          "change_set", "proposed"},
         "id"},
        {"pending_revisions",
         {"record_table", "record_id", "state", "doc", "editors", "comment", "base_version", "created_at",
          "updated_at"},
         "record_table, record_id"},
        {"users", {"id", "name", "role", "countries", "disabled", "created_at"}, "id"},
        {"tokens", {"id", "user_id", "secret_hash", "created_at", "expires_at", "last_used_at", "revoked"}, "id"},
        {"security_log", {"id", "at", "who", "action", "subject", "detail"}, "id"},
        {"reports", {"id", "service_id", "reason", "text", "status", "filed_on", "triaged_on", "closed_on"}, "id"},
        {"plan_structure", {"id", "doc"}, "id"},
        {"plan_entries", {"action", "country", "status", "version", "updated_at", "doc"}, "action, country"},
        {"plan_changes", {"id", "at", "who", "change", "action", "country", "before", "after", "comment"}, "id"},
    };
    return tables;
}

std::string column_list(const TableShape& table) {
    std::string out;
    for (const char* c : table.columns)
        out += (out.empty() ? "" : ", ") + std::string(c);
    return out;
}

} // namespace enlace::core::detail
