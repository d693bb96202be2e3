// The set of source ids an import keeps on disk: repeats, lookups, and the in-order walk that
// finds the registry's records missing from a file.
#include "seen_ids.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using enlace::geo::detail::SeenIds;

TEST_CASE("seen ids tell repeats, and a walk in byte order answers as lookups do", "[import][seen]") {
    SeenIds seen;
    // Bytes above 0x7f order after ASCII (as unsigned), as in std::string and SQLite alike.
    const std::vector<std::string> file{"b", "a10", "a2", "\xC3\xA9t\xC3\xA9", "z", std::string("n\0ul", 4), "a1"};
    for (const auto& id : file)
        CHECK(seen.insert(id));
    CHECK_FALSE(seen.insert("a2"));
    CHECK_FALSE(seen.insert(std::string("n\0ul", 4)));
    CHECK(seen.insert("a2 "));
    CHECK(seen.contains("z"));
    CHECK_FALSE(seen.contains("n"));

    std::vector<std::string> asked{"",
                                   "a",
                                   "a1",
                                   "a10",
                                   "a2",
                                   "a2 ",
                                   "a3",
                                   "b",
                                   "c",
                                   "n",
                                   std::string("n\0ul", 4),
                                   "z",
                                   "\xC3\xA9t\xC3\xA9",
                                   "\xC3\xA9t\xC3\xA9s",
                                   "\xFF"};
    std::sort(asked.begin(), asked.end());
    std::vector<std::string> walked, looked_up;
    for (const auto& id : asked) {
        if (seen.contains(id)) looked_up.push_back(id);
        if (seen.contains_in_order(id)) walked.push_back(id);
    }
    CHECK(walked == looked_up);
    CHECK(walked.size() == file.size() + 1);
    CHECK(seen.contains_in_order("a1")); // asked out of order: looked up
    CHECK_FALSE(seen.contains_in_order("a3"));
}
