// Writing a version of a service into PostgreSQL: the services row (document and filter columns;
// the geography points follow the coordinates by themselves), the link tables and the words,
// each written only where the version changed it.
#include "postgres_store.hpp"
#include "search_text.hpp"
#include "text_words.hpp"

#include "enlace/core/vocabulary.hpp"

namespace enlace::core::detail {
namespace {

/// What every query filters on: 0 the public, 1 readers in scope, 2 nobody (deleted).
int reach_of(const Service& s, const RecordState& state) {
    if (state.deleted) return 2;
    return s.visibility == Visibility::public_ && state.review_status == ReviewStatus::published ? 0 : 1;
}

void replace_links(PostgresStore& store, const char* table, const char* column, std::int64_t id,
                   const std::vector<std::string>& values, const std::vector<std::string>* old_values) {
    if (old_values && *old_values == values) return;
    if (old_values) {
        pg::Params p;
        store.run(std::string("DELETE FROM ") + table + " WHERE service_id = " + p.add(id), p);
    }
    for (const auto& value : values) {
        pg::Params p;
        store.run(std::string("INSERT INTO ") + table + " (service_id, " + column + ") VALUES (" + p.add(id) + ", " +
                      p.add(value) + ") ON CONFLICT DO NOTHING",
                  p);
    }
}

std::vector<std::string> texts_of(const Service& s) {
    const auto text = search_text(s);
    return {text.begin(), text.end()};
}

} // namespace

std::int64_t PostgresStore::write(const RecordVersion<Service>& version) {
    const std::int64_t id = write_service_row(version);
    write_service_links(version, id); // keyed by the id: a new service's is known only now
    return id;
}

std::int64_t PostgresStore::write_service_row(const RecordVersion<Service>& version) {
    const Service& s = version.record;
    const RecordState& state = version.state;
    pg::Params p;
    // The columns in one order for both statements: (name, value) pairs.
    const std::vector<std::pair<const char*, std::string>> columns{
        {"source", "NULLIF(" + p.add(s.source) + ", '')"},
        {"source_id", "NULLIF(" + p.add(s.source_id) + ", '')"},
        {"actor_id", (s.actor_id ? p.add(*s.actor_id) : p.add_null()) + "::bigint"},
        {"country", p.add(s.country)},
        {"lon", s.site ? p.add(s.site->point.lon) + "::float8" : p.add_null() + "::float8"},
        {"lat", s.site ? p.add(s.site->point.lat) + "::float8" : p.add_null() + "::float8"},
        {"public_lon", s.site ? p.add(s.public_point->lon) + "::float8" : p.add_null() + "::float8"},
        {"public_lat", s.site ? p.add(s.public_point->lat) + "::float8" : p.add_null() + "::float8"},
        {"coarsened", p.add(s.coarsened) + "::boolean"},
        {"status", p.add(to_string(s.status))},
        {"visibility", p.add(to_string(s.visibility))},
        {"age_min", p.add(s.age.min) + "::integer"},
        {"age_max", p.add(s.age.max) + "::integer"},
        {"gender", p.add(s.gender)},
        {"locality", p.add(s.address.locality)},
        {"last_verified", "NULLIF(" + p.add(s.last_verified) + ", '')"},
        {"updated_at", p.add(version.now)},
        {"doc", p.add(version.doc)},
        {"review_status", p.add(to_string(state.review_status))},
        {"reach", p.add(reach_of(s, state)) + "::integer"},
        {"version", p.add(state.version) + "::bigint"},
        {"deleted", p.add(state.deleted) + "::boolean"},
        {"editors", p.add(editors_text(state.editors))},
    };
    std::string names, values, sets;
    for (const auto& column : columns) {
        const std::string separator = names.empty() ? "" : ", ";
        names += separator + column.first;
        values += separator + column.second;
        sets += separator + column.first + " = " + column.second;
    }
    if (s.id != 0) {
        run("UPDATE services SET " + sets + " WHERE id = " + p.add(s.id), p);
        return s.id;
    }
    return run("INSERT INTO services (id, created_at, " + names + ") VALUES (" + next_id("services") + ", " +
                   p.add(version.now) + ", " + values + ") RETURNING id",
               p)
        .integer(0, 0);
}

/// The link tables and words of a service. A new service has a new id, which nothing refers to
/// yet: nothing to clear. An update rewrites only the lists and the text that changed.
void PostgresStore::write_service_links(const RecordVersion<Service>& version, std::int64_t id) {
    const Service& s = version.record;
    const Service* before = version.before;
    replace_links(*this, "service_types", "code", id, s.types, before ? &before->types : nullptr);
    replace_links(*this, "service_populations", "population", id, s.populations,
                  before ? &before->populations : nullptr);
    replace_links(*this, "service_languages", "language", id, s.languages, before ? &before->languages : nullptr);
    replace_links(*this, "service_area_countries", "country", id, s.area.countries,
                  before ? &before->area.countries : nullptr);
    const auto texts = texts_of(s);
    if (before && texts_of(*before) == texts) return;
    pg::write_words(*this, "services", id, texts);
}

} // namespace enlace::core::detail
