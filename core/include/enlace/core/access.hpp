#pragma once
// Who is asking, and what they may do: the one rule the CLI and the server both enforce. A
// registry user holds one role and a list of countries; a record's country decides the scope (an
// actor or a practice of several countries: any of them to read, all of them to write).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace enlace::core {

/// viewer: reads restricted records and exact points of its countries. editor: also writes them
/// and submits them for review. reviewer: also approves them or sends them back. compiler (IOM,
/// regional): reads, writes and reviews every country, never approving its own edits. admin:
/// accounts and reference data, and everything a compiler may do.
enum class Role { viewer, editor, reviewer, compiler, admin };

std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

/// The caller of a read or a write.
struct Caller {
    enum class Kind { public_, user, holder };
    Kind kind = Kind::public_;
    std::int64_t user_id = 0;
    std::string name; // the user's name; the operating-system user for the holder
    Role role = Role::viewer;
    std::vector<std::string> countries; // alpha-2; compilers and admins reach every country

    /// Anyone, unauthenticated: published public records, public points.
    static Caller anyone();
    /// Whoever holds the registry file (the CLI): an admin of every country, named in history by
    /// the operating-system user.
    static Caller holder(std::string os_user);

    bool is_public() const { return kind == Kind::public_; }
    /// Whether the role writes at all (not the public, not a viewer).
    bool may_write() const { return kind != Kind::public_ && !(kind == Kind::user && role == Role::viewer); }
    /// Whether every country is in scope (compilers, admins, the holder).
    bool every_country() const;
    /// Whether the caller reads a record of these countries as a reader in scope (restricted
    /// records, exact points, drafts): any of them in scope.
    bool reads(const std::vector<std::string>& record_countries) const;
    /// Whether the caller may write a record of these countries: a writing role, and every one
    /// of them in scope.
    bool writes(const std::vector<std::string>& record_countries) const;
    /// Whether the caller may approve or send back records of these countries (four eyes aside).
    bool reviews(const std::vector<std::string>& record_countries) const;
    /// Whether the caller confirms the Strategic Plan's responsible entities (at the network's
    /// virtual meeting): a compiler, an admin, the holder.
    bool confirms_plan() const { return every_country() && may_write(); }
    /// What history records as the writer: "user:NAME", or "holder:OSUSER" for the CLI.
    std::string signature() const;
};

} // namespace enlace::core
