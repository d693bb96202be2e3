#pragma once
// The kinds of field the record tables are made of (a text, a list of codes, a language map, a
// vocabulary word, a nested object), and the objects more than one kind of record has: contacts
// and record keys.
#include "codec/field_table.hpp"

#include "enlace/core/record_json.hpp"
#include "enlace/core/vocabulary.hpp"

namespace enlace::core::codec {

/// How an actor's or a practice's JSON is written: whole, or as the store keeps it (without what
/// the store owns: id and timestamps).
struct DocumentForm {
    bool stored = false;
};

namespace kinds {

inline void append_strings(std::string& out, const std::vector<std::string>& values) {
    out += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) out += ',';
        append_json_string(out, values[i]);
    }
    out += ']';
}

/// A JSON array of `items`, each written through `fields`.
template <class T, class Form, class Fields>
void append_objects(std::string& out, const std::vector<T>& items, const Form& form, const Fields& fields) {
    out += '[';
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        write_object(out, items[i], form, fields);
    }
    out += ']';
}

/// A text member of a record: read as a string, written always, or only when not empty.
template <class Record>
constexpr auto text_field(std::string_view key, std::string Record::*member, bool always = false) {
    return field(
        key, [member](auto& in, const auto& v, const Path& p, Record& r) { r.*member = in.string(v, p); },
        [member, key, always](JsonObjectText& o, std::string&, const Record& r, const auto&) {
            if (always || !(r.*member).empty()) o.string(key, r.*member);
        });
}

/// A list of codes: read as strings, written always, or only when not empty.
template <class Record>
constexpr auto strings_field(std::string_view key, std::vector<std::string> Record::*member, bool always) {
    return field(
        key, [member](auto& in, const auto& v, const Path& p, Record& r) { r.*member = in.strings(v, p); },
        [member, key, always](JsonObjectText& o, std::string&, const Record& r, const auto&) {
            if (always || !(r.*member).empty()) append_strings(o.plain_key(key), r.*member);
        });
}

template <class Record> constexpr auto small_integer_field(std::string_view key, std::optional<int> Record::*member) {
    return field(
        key, [member](auto& in, const auto& v, const Path& p, Record& r) { r.*member = in.small_integer(v, p); },
        [member, key](JsonObjectText& o, std::string&, const Record& r, const auto&) {
            if (r.*member) o.integer(key, *(r.*member));
        });
}

/// A language map, written always, or only when not empty.
template <class Record>
constexpr auto localized_field(std::string_view key, LocalizedText Record::*member, bool always = false) {
    return field(
        key, [member](auto& in, const auto& v, const Path& p, Record& r) { r.*member = in.localized(v, p); },
        [member, key, always](JsonObjectText& o, std::string&, const Record& r, const auto&) {
            if (always || !(r.*member).empty()) append_json(o.plain_key(key), r.*member);
        });
}

/// A yes or no that may be unsaid, written when said.
template <class Record> constexpr auto optional_flag_field(std::string_view key, std::optional<bool> Record::*member) {
    return field(
        key, [member](auto& in, const auto& v, const Path& p, Record& r) { r.*member = in.boolean(v, p); },
        [member, key](JsonObjectText& o, std::string&, const Record& r, const auto&) {
            if (r.*member) o.boolean(key, *(r.*member));
        });
}

/// A flag that is false unless said, written when true (`illustrative`).
template <class Record> constexpr auto flag_field(std::string_view key, bool Record::*member) {
    return field(
        key,
        [member](auto& in, const auto& v, const Path& p, Record& r) { r.*member = in.boolean(v, p).value_or(false); },
        [member, key](JsonObjectText& o, std::string&, const Record& r, const auto&) {
            if (r.*member) o.boolean(key, true);
        });
}

/// The record's id: read (0 when absent), written except in the stored form, where the store owns it.
template <class Record> constexpr auto id_field(std::int64_t Record::*member) {
    return field(
        "id", [member](auto& in, const auto& v, const Path& p, Record& r) { r.*member = in.integer(v, p).value_or(0); },
        [member](JsonObjectText& o, std::string&, const Record& r, const auto& form) {
            if (!form.stored) o.integer("id", r.*member);
        });
}

/// A timestamp the store keeps: taken on input and passed over, written except in the stored form.
template <class Record> constexpr auto timestamp_field(std::string_view key, std::string Record::*member) {
    return written_field(key, [member, key](JsonObjectText& o, std::string&, const Record& r, const auto& form) {
        if (!form.stored) o.optional_string(key, r.*member);
    });
}

/// A value of a vocabulary: unknown words are refused, naming the ones there are.
template <class Record, class Enum, class Parse>
constexpr auto enum_field(std::string_view key, Enum Record::*member, Parse parse, std::string_view what,
                          std::string_view (*values)()) {
    return field(
        key,
        [member, parse, what, values](auto& in, const auto& v, const Path& p, Record& r) {
            const std::string text = in.string(v, p);
            if (auto parsed = parse(text))
                r.*member = *parsed;
            else if (!text.empty())
                in.issue(p, "unknown " + std::string(what) + " '" + text + "' (" + std::string(values()) + ")");
        },
        [member, key](JsonObjectText& o, std::string&, const Record& r, const auto&) {
            o.string(key, to_string(r.*member));
        });
}

inline std::string_view contact_kind_values() { return "phone, email, url, hotline, whatsapp"; }

inline const auto contact_fields = std::tuple{
    field(
        "kind",
        [](auto& in, const auto& v, const Path& p, Contact& c) {
            const std::string kind = in.string(v, p, true);
            if (auto parsed = parse_contact_kind(kind))
                c.kind = *parsed;
            else if (!kind.empty())
                in.issue(p, "unknown contact kind '" + kind + "' (" + std::string(contact_kind_values()) + ")");
        },
        [](JsonObjectText& o, std::string&, const Contact& c, const auto&) { o.string("kind", to_string(c.kind)); }),
    localized_field("label", &Contact::label),
    field(
        "personal",
        [](auto& in, const auto& v, const Path& p, Contact& c) { c.personal = in.boolean(v, p).value_or(false); },
        [](JsonObjectText& o, std::string&, const Contact& c, const auto&) {
            if (c.personal) o.boolean("personal", true);
        }),
    field(
        "value", [](auto& in, const auto& v, const Path& p, Contact& c) { c.value = in.string(v, p, true); },
        [](JsonObjectText& o, std::string&, const Contact& c, const auto&) { o.string("value", c.value); })};

/// A record's contacts: a list of objects, written when not empty.
template <class Record> constexpr auto contacts_field(std::vector<Contact> Record::*member) {
    return field(
        "contacts",
        [member](auto& in, const auto& v, const Path& p, Record& r) {
            in.each(v, p, [&](const auto& item, const Path& at) {
                if (!item.is_object()) {
                    in.issue(at, "must be an object {\"kind\": ..., \"value\": ...}");
                    return;
                }
                Contact c;
                read_object(in, item, at, c, contact_fields);
                (r.*member).push_back(std::move(c));
            });
        },
        [member](JsonObjectText& o, std::string&, const Record& r, const auto& form) {
            if (!(r.*member).empty()) append_objects(o.plain_key("contacts"), r.*member, form, contact_fields);
        });
}

inline const auto key_fields = std::tuple{
    field(
        "source", [](auto& in, const auto& v, const Path& p, RecordKey& k) { k.source = in.string(v, p); },
        write_nothing),
    field(
        "source_id", [](auto& in, const auto& v, const Path& p, RecordKey& k) { k.source_id = in.string(v, p, true); },
        write_nothing)};

/// "source_id" (of the record's own source, filled in by the caller) or {"source": ..., "source_id": ...}.
template <class V> RecordKey read_key(Reader<V>& in, const V& v, const Path& p) {
    if (v.is_string()) return {{}, std::string(v.string())};
    RecordKey key;
    read_object(in, v, p, key, key_fields);
    return key;
}

/// A nested object member: read through its table into the record's member, written when `present`.
template <class Record, class Member, class Fields, class Present>
constexpr auto object_field(std::string_view key, Member Record::*member, const Fields& fields, Present present) {
    return field(
        key,
        [member, &fields](auto& in, const auto& v, const Path& p, Record& r) {
            if (const auto object = in.object(v, p)) read_object(in, *object, p, r.*member, fields);
        },
        [member, key, &fields, present](JsonObjectText& o, std::string&, const auto& r, const auto& form) {
            if (present(r.*member)) write_object(o.plain_key(key), r.*member, form, fields);
        });
}

} // namespace kinds

} // namespace enlace::core::codec
