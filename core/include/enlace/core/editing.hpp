#pragma once
// Writing as a registry user: the options of a write, the review transitions, a record's workflow
// state and its pending revision, and the field-by-field difference between two versions. The
// rules themselves (who may do what, four eyes, what a published record's edit becomes) are the
// write pipeline's; docs/security.md states them as a table.
#include "enlace/core/model.hpp"
#include "enlace/core/record_kind.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace enlace::core {

/// What a writer says beside the record.
struct WriteOptions {
    /// The version the writer read (If-Match): a write against another one is refused
    /// (stale_version). Required of registry users when the record exists.
    std::optional<std::int64_t> if_version;
    /// A new record starts as a draft and an edit of a published record waits for review as its
    /// pending revision (the API's writes). Otherwise (the holder's imports and `enlace add`)
    /// records are written as they come, published unless they say otherwise.
    bool reviewed = false;
    /// With `reviewed`: the write is also submitted for review (a new or unpublished record goes
    /// in review, a published one's pending revision too): `enlace import --review`.
    bool submit = false;
    /// A new service within 50 m of another with the same normalised name is refused (conflict
    /// naming it) unless it is this one.
    std::optional<std::int64_t> confirm_duplicate;
    bool check_duplicates = false;
    std::string comment;
};

/// The review transitions (POST /api/v1/{kind}/{id}/{transition}).
enum class Transition { submit, withdraw, request_changes, approve, archive, reject };

std::string_view to_string(Transition transition);
/// "submit", "withdraw", "request-changes", "approve", "archive", "reject".
std::optional<Transition> parse_transition(std::string_view text);

/// A record's place in its life, as a writer in scope sees it.
struct RecordStatus {
    std::int64_t version = 0;
    ReviewStatus review_status = ReviewStatus::published;
    bool deleted = false;
    std::vector<std::string> editors; // since it was last published
    /// The pending revision of a published record: its state, editors and reviewer's comment.
    struct Pending {
        ReviewStatus state = ReviewStatus::draft;
        std::vector<std::string> editors;
        std::string comment, updated_at;
        std::int64_t base_version = 0;
    };
    std::optional<Pending> pending;
};

/// One member that differs between two versions of a record (top-level members of its JSON;
/// `before` or `after` is null where the member is missing).
struct FieldChange {
    std::string path;
    std::string before, after; // JSON
};

/// The members of two JSON documents of one record that differ, in name order.
std::vector<FieldChange> field_changes(const std::string& before_json, const std::string& after_json);

/// What is waiting for review in a caller's scope.
struct QueueEntry {
    RecordKind kind = RecordKind::service;
    std::int64_t id = 0;
    std::string title; // the record's name or title, in Spanish when it has one
    std::vector<std::string> countries;
    bool revision = false; // a pending revision of a published record, not a new record
    std::vector<std::string> editors;
    std::string updated_at;
};

} // namespace enlace::core
