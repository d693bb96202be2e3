#pragma once
// The field table of a good practice (the RCM template): the one definition of its JSON, read from
// input (DomValue) and from stored documents (SimdValue), and written for the store and every
// response. Members are written in the table's order, the order stored documents have always had.
#include "codec/field_kinds.hpp"

#include <algorithm>

namespace enlace::core::codec {

namespace practice_detail {

using namespace kinds;

inline void append_integers(std::string& out, const auto& values) {
    out += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) out += ',';
        append_json_number(out, static_cast<std::int64_t>(values[i]));
    }
    out += ']';
}

/// Linked records: each an id, or a key ("source_id" of the practice's own source, filled in by
/// the caller, or {"source": ..., "source_id": ...}). Only the ids are written (keys are resolved
/// to ids when the practice is stored).
constexpr auto links_field(std::string_view key, std::vector<std::int64_t> Practice::*ids,
                           std::vector<RecordKey> Practice::*keys) {
    return field(
        key,
        [ids, keys](auto& in, const auto& v, const Path& p, Practice& r) {
            in.each(v, p, [&](const auto& item, const Path& at) {
                if (item.is_integer())
                    (r.*ids).push_back(item.int64());
                else if (item.is_string() || item.is_object())
                    (r.*keys).push_back(read_key(in, item, at));
                else
                    in.issue(at, "must be a record id or a source_id");
            });
        },
        [ids, key](JsonObjectText& o, std::string&, const Practice& r, const auto&) {
            append_integers(o.plain_key(key), r.*ids);
        });
}

/// Small numbers (axes, GCM objectives): integers within a million either way.
constexpr auto numbers_field(std::string_view key, std::vector<int> Practice::*member) {
    return field(
        key,
        [member](auto& in, const auto& v, const Path& p, Practice& r) {
            for (auto n : in.integers(v, p)) {
                if (n < -1000000 || n > 1000000)
                    in.issue(p, "has a value out of range");
                else
                    (r.*member).push_back(static_cast<int>(n));
            }
        },
        [member, key](JsonObjectText& o, std::string&, const Practice& r, const auto&) {
            append_integers(o.plain_key(key), r.*member);
        });
}

/// One of the template's narrative sections, a language map kept in Practice::narrative.
constexpr auto narrative_field(std::string_view key) {
    return field(
        key,
        [key](auto& in, const auto& v, const Path& p, Practice& r) {
            auto text = in.localized(v, p);
            if (!text.empty()) r.narrative[std::string(key)] = std::move(text);
        },
        [key](JsonObjectText& o, std::string&, const Practice& r, const auto&) {
            const auto it = r.narrative.find(std::string(key));
            if (it != r.narrative.end() && !it->second.empty()) append_json(o.plain_key(key), it->second);
        });
}

inline const auto partner_fields = std::tuple{
    field(
        "actor_id", [](auto& in, const auto& v, const Path& p, Partner& r) { r.actor_id = in.integer(v, p); },
        [](JsonObjectText& o, std::string&, const Partner& r, const auto&) {
            if (r.actor_id) o.integer("actor_id", *r.actor_id);
        }),
    field(
        "name", [](auto& in, const auto& v, const Path& p, Partner& r) { r.name = in.string(v, p, true); },
        [](JsonObjectText& o, std::string&, const Partner& r, const auto&) { o.string("name", r.name); }),
    localized_field("role", &Partner::role)};

inline const auto source_fields =
    std::tuple{text_field("accessed", &PracticeSource::accessed), text_field("title", &PracticeSource::title),
               text_field("url", &PracticeSource::url)};

/// A year as a number or as text beginning with one ("2019", "2019-03"), between 1900 and 2200
/// either way: the written form ("2019") must read back as the same year.
template <class V> std::optional<int> read_year(Reader<V>& in, const std::optional<V>& v, const Path& p) {
    if (!v) return std::nullopt;
    std::optional<std::int64_t> value;
    if (v->is_integer()) value = v->int64();
    if (v->is_string() && v->string().size() >= 4) {
        const std::string_view text = v->string();
        if (std::all_of(text.begin(), text.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }))
            value = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
    }
    if (value && *value >= 1900 && *value <= 2200) return static_cast<int>(*value);
    in.issue(p, "must be a year such as \"2019\"");
    return std::nullopt;
}

inline void append_year(JsonObjectText& o, std::string_view key, const std::optional<int>& year) {
    if (year)
        o.string(key, std::to_string(*year));
    else
        o.plain_key(key) += "null";
}

inline const auto period_fields = std::tuple{
    field(
        "end", [](auto& in, const auto& v, const Path& p, Practice& r) { r.year_end = read_year(in, v, p); },
        [](JsonObjectText& o, std::string&, const Practice& r, const auto&) { append_year(o, "end", r.year_end); }),
    field(
        "start", [](auto& in, const auto& v, const Path& p, Practice& r) { r.year_start = read_year(in, v, p); },
        [](JsonObjectText& o, std::string&, const Practice& r, const auto&) {
            append_year(o, "start", r.year_start);
        })};

/// A list of nested objects, each read through `fields`, written when not empty.
template <class T, class Fields>
constexpr auto objects_field(std::string_view key, std::vector<T> Practice::*member, const Fields& fields) {
    return field(
        key,
        [member, &fields](auto& in, const auto& v, const Path& p, Practice& r) {
            in.each(v, p, [&](const auto& item, const Path& at) {
                T value;
                read_object(in, item, at, value, fields);
                (r.*member).push_back(std::move(value));
            });
        },
        [member, key, &fields](JsonObjectText& o, std::string&, const Practice& r, const auto& form) {
            if (!(r.*member).empty()) append_objects(o.plain_key(key), r.*member, form, fields);
        });
}

} // namespace practice_detail

inline const auto practice_fields = [] {
    using namespace practice_detail;
    using P = Practice;
    return std::tuple{
        links_field("actors", &P::actor_ids, &P::actor_keys),
        strings_field("admin_codes", &P::admin_codes, false),
        numbers_field("axes", &P::axes),
        optional_flag_field("budget_line", &P::budget_line),
        text_field("contact_email", &P::contact_email),
        strings_field("countries", &P::countries, true),
        narrative_field("description"),
        text_field("evidence_level", &P::evidence_level),
        strings_field("evidence_links", &P::evidence_links, false),
        numbers_field("gcm_objectives", &P::gcm_objectives),
        id_field(&P::id),
        flag_field("illustrative", &P::illustrative),
        optional_flag_field("institutionalised", &P::institutionalised),
        narrative_field("lessons"),
        text_field("licence", &P::licence),
        text_field("original_language", &P::original_language),
        objects_field("partners", &P::partners, partner_fields),
        field(
            "period",
            [](auto& in, const auto& v, const Path& p, P& r) {
                if (const auto object = in.object(v, p)) read_object(in, *object, p, r, period_fields);
            },
            [](JsonObjectText& o, std::string&, const P& r, const auto& form) {
                write_object(o.plain_key("period"), r, form, period_fields);
            }),
        strings_field("principles", &P::principles, true),
        narrative_field("problem"),
        narrative_field("replicability"),
        narrative_field("resources"),
        narrative_field("results"),
        enum_field("review_status", &P::review_status, parse_review_status, "review status", review_status_values),
        text_field("reviewed_by", &P::reviewed_by),
        text_field("reviewed_on", &P::reviewed_on),
        text_field("scope", &P::scope),
        strings_field("service_types", &P::service_types, true),
        links_field("services", &P::service_ids, &P::service_keys),
        text_field("source", &P::source, true),
        text_field("source_id", &P::source_id, true),
        objects_field("sources", &P::sources, source_fields),
        text_field("submitted_by", &P::submitted_by),
        narrative_field("sustainability"),
        strings_field("target_population", &P::target_population, true),
        localized_field("title", &P::title, true),
        timestamp_field("updated_at", &P::updated_at)};
}();

template <class V> Practice read_practice(const V& doc, Unknown unknown) {
    return read_record<Practice>(doc, unknown, practice_fields, [](Practice& p) {
        for (auto* keys : {&p.actor_keys, &p.service_keys})
            for (auto& key : *keys)
                if (key.source.empty()) key.source = p.source;
    });
}

} // namespace enlace::core::codec
