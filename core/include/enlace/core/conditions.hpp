#pragma once
// The one definition of every filter. A query is checked once into conditions; each condition
// below means exactly what its comment says, for every evaluator: the store (in its query
// language), the in-memory index (by its masks, for the conditions it can answer) and holds(),
// which is that meaning on a record and what the tests hold the other two to.
#include "enlace/core/hours.hpp"
#include "enlace/core/model.hpp"
#include "enlace/core/query.hpp"
#include "enlace/core/reference.hpp"

#include <optional>
#include <string>
#include <vector>

namespace enlace::core {

struct ServiceConditions {
    /// The public: the service's visibility is public, and its points are public points (a
    /// sensitive site's coarsened place); authorised readers: any service, exact points.
    Audience audience = Audience::public_;
    /// Its own country is one of them.
    std::vector<std::string> countries;
    /// A child there can use it: with a site, its country is one of them; without one, a country of
    /// its service area is, or (an area of admin1 codes only) its own country is.
    std::vector<std::string> available_in;
    /// One of its types is one of these (families already expanded to every type under them).
    std::vector<std::string> types;
    /// It lists no population (it serves all), or one of these.
    std::vector<std::string> populations;
    /// It speaks one: a listed language tag equal to one of these, or starting with it and '-'
    /// ("es" finds "es-MX"), ASCII case ignored.
    std::vector<std::string> languages;
    /// Its status is one of these; never empty once checked (the default: active, temporarily closed).
    std::vector<ServiceStatus> statuses;
    /// Its age range holds it (an end that is missing is open).
    std::optional<int> age;
    /// "female" or "male": its gender is that one or "any". Empty: any gender.
    std::string gender;
    /// Its text (names and descriptions in every language, locality, admin1 and admin2 names; never
    /// a street) holds a word beginning with each of these, accents and case ignored. Only the
    /// store evaluates this: holds() leaves it out.
    std::vector<std::string> words;
    /// It has a site whose point (the audience's) lies in the box, edges included.
    std::optional<BBox> bbox;
    /// It has a site.
    bool sited = false;
    /// updated_at is on or after / on or before: a date covers its whole day (compared on as many
    /// characters as it has), a time is a UTC second "YYYY-MM-DDTHH:MM:SSZ".
    std::string updated_since, updated_until;
    /// last_verified is on or after it.
    std::string verified_since;
    /// It was never verified, or last_verified is before it.
    std::string verified_before;
    /// It has hours and is open at that instant. Only holds() evaluates this (the store and the
    /// index return a superset).
    std::optional<instant> open_at;

    /// Conditions the index cannot answer and a near walk checks on each candidate record.
    bool needs_record() const {
        return !languages.empty() || !gender.empty() || !updated_since.empty() || !updated_until.empty() ||
               !verified_since.empty() || !verified_before.empty() || open_at.has_value();
    }
};

/// Checks a query against the reference data (throws query_error naming the parameter) and turns
/// it into conditions: type families expanded, words split, statuses defaulted.
ServiceConditions conditions_of(const ServiceQuery& query, const ReferenceData& reference);

/// Whether a service meets every condition but `words` (the store's full-text index answers
/// those): its fields, and `point`, the audience's point of it (none without a site).
bool holds(const ServiceConditions& conditions, const ServiceFields& service, const std::optional<GeoPoint>& point);
/// The same for a whole record: its exact site, or its public point for the public audience.
bool holds(const ServiceConditions& conditions, const Service& service);

/// The words of a text search: runs of letters and digits (any non-ASCII byte counts as a letter,
/// as the store's tokenizer sees accented letters). Throws query_error(parameter) for a text longer
/// than 500 bytes or without a word.
std::vector<std::string> search_words(std::string_view text, const std::string& parameter);

/// What an actor must satisfy: one of its countries is one of `countries`, its type is one of
/// `actor_types`, its name, acronym or description holds every word.
struct ActorConditions {
    std::vector<std::string> countries;
    std::vector<std::string> actor_types;
    std::vector<std::string> words;
};

/// What a practice must satisfy: published (for the public), one of its countries, axes and
/// service types (families expanded) among those given, its title or narratives hold every word,
/// and its period (open ends open) holds `year`.
struct PracticeConditions {
    bool published_only = true;
    std::vector<std::string> countries;
    std::vector<int> axes;
    std::vector<std::string> types;
    std::vector<std::string> words;
    std::optional<int> year;
};

} // namespace enlace::core
