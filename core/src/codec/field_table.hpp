#pragma once
// One table of fields per record kind (and per object inside a record) drives both directions of
// its JSON: a field is its key, how it is read (collecting every problem with its path, over any
// JSON value type of dom_value.hpp or simd_value.hpp) and how it is written. Input records and
// stored documents go through the same readers, so they cannot drift apart.
#include "enlace/core/errors.hpp"
#include "enlace/core/json_text.hpp"
#include "enlace/core/model.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace enlace::core::codec {

/// Where a value sits in the document, spelled out only when a problem is reported ("hours.weekly[1].days").
struct Path {
    const Path* parent = nullptr;
    std::string_view key;
    std::size_t index = npos;
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    Path member(std::string_view name) const { return Path{this, name}; }
    Path element(std::size_t i) const { return Path{this, {}, i}; }
    bool root() const { return parent == nullptr; }
    std::string text() const {
        if (!parent) return std::string(key);
        std::string out = parent->text();
        if (index != npos) return out + "[" + std::to_string(index) + "]";
        return out.empty() ? std::string(key) : out + "." + std::string(key);
    }
};

/// What a reader does with a key that no field has: input refuses it, naming it; a stored
/// document (checked when it was written, perhaps by another version) passes over it.
enum class Unknown { refuse, ignore };

/// Reads typed values out of untrusted JSON of type V, collecting every problem with its path.
/// An absent member and a null one are the same: nothing.
template <class V> class Reader {
  public:
    using Value = std::optional<V>;

    explicit Reader(Unknown unknown) : m_unknown(unknown) {}

    void issue(const Path& path, std::string reason) { m_issues.push_back({path.text(), std::move(reason)}); }
    bool failed() const { return !m_issues.empty(); }
    std::vector<validation_issue>& issues() { return m_issues; }
    void unknown_key(const Path& object, std::string_view key) {
        if (m_unknown == Unknown::ignore) return;
        std::string reason = "is not a field of this record";
        if (object.root() || object.index != Path::npos)
            reason += " (misspelt? `enlace show` prints the fields a record has)";
        issue(object.member(key), std::move(reason));
    }

    /// A string; "" when absent (an issue when required, or when of another type).
    std::string string(const Value& v, const Path& path, bool required = false) {
        if (!v) {
            if (required) issue(path, "is required");
            return {};
        }
        if (!v->is_string()) {
            issue(path, "must be a string");
            return {};
        }
        std::string text(v->string());
        if (required && text.empty()) issue(path, "must not be empty");
        return text;
    }
    std::optional<std::int64_t> integer(const Value& v, const Path& path) {
        if (!v) return std::nullopt;
        if (!v->is_integer()) {
            issue(path, "must be an integer");
            return std::nullopt;
        }
        return v->int64();
    }
    /// An integer that fits an int (ages, capacities, years).
    std::optional<int> small_integer(const Value& v, const Path& path) {
        if (!v) return std::nullopt;
        constexpr std::int64_t bound = 1000000000;
        const bool fits = v->is_integer() && (v->is_unsigned() ? v->uint64() <= static_cast<std::uint64_t>(bound)
                                                               : v->int64() <= bound && v->int64() >= -bound);
        if (!fits) {
            issue(path, "must be an integer between -1000000000 and 1000000000");
            return std::nullopt;
        }
        return static_cast<int>(v->int64());
    }
    std::optional<double> number(const Value& v, const Path& path) {
        if (!v) return std::nullopt;
        if (!v->is_number()) {
            issue(path, "must be a number");
            return std::nullopt;
        }
        return v->number();
    }
    std::optional<bool> boolean(const Value& v, const Path& path) {
        if (!v) return std::nullopt;
        if (!v->is_boolean()) {
            issue(path, "must be true or false");
            return std::nullopt;
        }
        return v->boolean();
    }
    /// An object or an array, or nothing when absent (an issue when of another type).
    Value object(const Value& v, const Path& path) { return of_kind(v, path, &V::is_object, "must be an object"); }
    Value array(const Value& v, const Path& path) { return of_kind(v, path, &V::is_array, "must be an array"); }

    /// read(value, path) for each element of an array member.
    template <class Read> void each(const Value& v, const Path& path, Read&& read) {
        if (auto list = array(v, path)) list->elements([&](std::size_t i, V item) { read(item, path.element(i)); });
    }
    std::vector<std::string> strings(const Value& v, const Path& path) {
        std::vector<std::string> out;
        each(v, path, [&](V item, const Path& p) {
            if (item.is_string())
                out.emplace_back(item.string());
            else
                issue(p, "must be a string");
        });
        return out;
    }
    std::vector<std::int64_t> integers(const Value& v, const Path& path) {
        std::vector<std::int64_t> out;
        each(v, path, [&](V item, const Path& p) {
            if (item.is_integer())
                out.push_back(item.int64());
            else
                issue(p, "must be an integer");
        });
        return out;
    }
    /// A language map {"es": "...", "en": "..."}; a plain string is taken as Spanish. A repeated
    /// language keeps its last text, as nlohmann's DOM does.
    LocalizedText localized(const Value& v, const Path& path) {
        LocalizedText out;
        if (!v) return out;
        if (v->is_string()) {
            if (!v->string().empty()) out.emplace("es", v->string());
            return out;
        }
        if (!v->is_object()) {
            issue(path, "must be a language map such as {\"es\": \"...\", \"en\": \"...\"}");
            return out;
        }
        // One pass, the last text of a language winning: a non-string is reported unless the
        // language comes again later.
        std::vector<std::string_view> not_texts;
        v->members([&](std::string_view language, V text) {
            std::erase(not_texts, language);
            if (!text.is_string()) {
                out.erase(std::string(language));
                not_texts.push_back(language);
            } else if (text.string().empty()) {
                out.erase(std::string(language));
            } else {
                out.insert_or_assign(std::string(language), std::string(text.string()));
            }
        });
        for (const auto language : not_texts)
            issue(path.member(language), "must be a string");
        return out;
    }

  private:
    Value of_kind(const Value& v, const Path& path, bool (V::*is)() const, const char* reason) {
        if (v && !((*v).*is)()) {
            issue(path, reason);
            return std::nullopt;
        }
        return v;
    }

    std::vector<validation_issue> m_issues;
    Unknown m_unknown;
};

/// A field of a table: its key, read(reader, value, path, record) and write(object, out, record,
/// form). `accepted` is false for a key only ever written (input that carries it is refused).
template <class Read, class Write> struct Field {
    std::string_view key;
    Read read;
    Write write;
    bool accepted = true;
};

inline constexpr auto read_nothing = [](auto&, const auto&, const Path&, auto&) {};
inline constexpr auto write_nothing = [](JsonObjectText&, std::string&, const auto&, const auto&) {};

template <class Read, class Write> constexpr Field<Read, Write> field(std::string_view key, Read read, Write write) {
    return {key, read, write, true};
}
/// A key the reader takes and passes over (the store's own fields, read back as it keeps them).
template <class Write> constexpr auto written_field(std::string_view key, Write write) {
    return Field<std::remove_const_t<decltype(read_nothing)>, Write>{key, read_nothing, write, true};
}
/// A key only ever written (a view's annotation): input that carries it is refused.
template <class Write> constexpr auto annotation(std::string_view key, Write write) {
    return Field<std::remove_const_t<decltype(read_nothing)>, Write>{key, read_nothing, write, false};
}

/// The keys of a table, sorted, with the position of each in the table.
template <class... F> constexpr auto sorted_keys(const std::tuple<F...>& fields) {
    std::array<std::pair<std::string_view, std::size_t>, sizeof...(F)> keys{};
    std::size_t i = 0;
    std::apply([&](const auto&... f) { ((keys[i] = {f.accepted ? f.key : std::string_view{}, i}, ++i), ...); }, fields);
    std::sort(keys.begin(), keys.end());
    return keys;
}

/// The sorted keys of a table, computed once per table type.
template <class... F> const auto& sorted_keys_of(const std::tuple<F...>& fields) {
    static const auto keys = sorted_keys(fields);
    return keys;
}

/// Reads an object through its table into `record`: each member goes to its field (the last of a
/// repeated key wins), an unknown key is reported, and every field then reads its value, present
/// or not, in the table's order. A value that is not an object reads as an empty one.
template <class V, class Record, class... F>
void read_object(Reader<V>& in, const V& object, const Path& path, Record& record, const std::tuple<F...>& fields) {
    static constexpr std::size_t count = sizeof...(F);
    const auto& keys = sorted_keys_of(fields);
    std::array<std::optional<V>, count> slots{};
    if (object.is_object()) {
        object.members([&](std::string_view key, V value) {
            const auto it = std::lower_bound(keys.begin(), keys.end(), key,
                                             [](const auto& entry, std::string_view k) { return entry.first < k; });
            if (it == keys.end() || it->first != key || key.empty()) {
                in.unknown_key(path, key);
                return;
            }
            slots[it->second] = value.is_null() ? std::nullopt : std::optional<V>(value);
        });
    }
    std::size_t i = 0;
    std::apply([&](const auto&... f) { ((f.read(in, slots[i], path.member(f.key), record), ++i), ...); }, fields);
}

/// A whole record read through its table: every problem at once, as one validation_error.
/// finish(record) completes what spans fields (a key's default source is the record's own).
template <class Record, class V, class... F, class Finish>
Record read_record(const V& doc, Unknown unknown, const std::tuple<F...>& fields, Finish&& finish) {
    if (!doc.is_object()) throw validation_error("(record)", "must be a JSON object");
    Reader<V> in(unknown);
    Record record;
    read_object(in, doc, Path{}, record, fields);
    finish(record);
    if (in.failed()) throw validation_error(std::move(in.issues()));
    return record;
}

/// Writes a record through its table as one JSON object, members in the table's order.
template <class Record, class Form, class... F>
void write_object(std::string& out, const Record& record, const Form& form, const std::tuple<F...>& fields) {
    JsonObjectText object(out);
    std::apply([&](const auto&... f) { (f.write(object, out, record, form), ...); }, fields);
    object.close();
}

/// Every key of a table, in its order (for tests that check a table against a record's JSON).
template <class... F> std::vector<std::string_view> keys_of(const std::tuple<F...>& fields) {
    return std::apply([](const auto&... f) { return std::vector<std::string_view>{f.key...}; }, fields);
}

} // namespace enlace::core::codec
