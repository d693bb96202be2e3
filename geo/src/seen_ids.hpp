#pragma once
// The source ids an import has met so far, kept on disk rather than in memory: a file of a million
// rows would otherwise hold a million strings until its end.
#include "enlace/core/sqlite.hpp"

#include <string>
#include <string_view>

namespace enlace::geo::detail {

/// A set of strings in a private temporary SQLite database (deleted when closed), with a small
/// page cache: its memory does not grow with the ids.
class SeenIds {
  public:
    SeenIds();

    /// Adds `id`; false when it was there already (the id repeats in the file).
    bool insert(std::string_view id);
    bool contains(std::string_view id);
    /// contains() for ids asked in increasing byte order (as std::string and SQLite's BINARY
    /// collation order them), after the last insert: a walk along the set, one step per id
    /// rather than one lookup. An id asked out of order is looked up.
    bool contains_in_order(std::string_view id);

  private:
    core::sqlite::Database m_db;
    core::sqlite::Statement m_insert, m_find, m_walk;
    bool m_walking = false, m_walk_done = false;
    std::string m_walk_at; // the walk's current id
    std::string m_asked;   // the last id asked in order
};

} // namespace enlace::geo::detail
