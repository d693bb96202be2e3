#pragma once
// Running the real `enlace` binary as a user does, from a shell in a scratch folder: exit codes,
// stdout and stderr captured in files, JSON parsed.
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace enlace::test {

using nlohmann::json;

struct Run {
    int code = -1;
    std::string out, err;
};

inline std::string shell_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

/// Runs shell command lines with stdout and stderr captured in files of the scratch folder.
class Shell {
  public:
    explicit Shell(const ScratchDir& dir) : m_dir(dir), m_db(dir.registry()) {}

    const std::string& db() const { return m_db; }
    std::string file(const std::string& name) const { return m_dir.file(name); }

    /// `enlace <args>` exactly as given (args are shell words), without --db.
    Run raw(const std::string& args, const std::string& input_file = "/dev/null") {
        return shell(shell_quoted(ENLACE_BINARY) + " " + args + " < " + shell_quoted(input_file));
    }
    /// `enlace --db <scratch registry> <args>`.
    Run operator()(const std::string& args, const std::string& input_file = "/dev/null") {
        return raw("--db " + shell_quoted(m_db) + " " + args, input_file);
    }
    /// The registry's command line, for pipelines.
    std::string command() const { return shell_quoted(ENLACE_BINARY) + " --db " + shell_quoted(m_db); }

    Run shell(const std::string& line) {
        const std::string out = m_dir.file("stdout.txt"), err = m_dir.file("stderr.txt");
        const std::string full = "( " + line + " ) > " + shell_quoted(out) + " 2> " + shell_quoted(err);
        const int status = std::system(full.c_str());
        Run run;
        run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        run.out = slurp(out);
        run.err = slurp(err);
        return run;
    }

  private:
    const ScratchDir& m_dir;
    std::string m_db;
};

inline json parsed(const Run& run) {
    INFO("stdout: " << run.out << "\nstderr: " << run.err);
    REQUIRE(run.code == 0);
    json doc = json::parse(run.out, nullptr, false);
    REQUIRE_FALSE(doc.is_discarded());
    return doc;
}

/// A usage or runtime error: one line on stderr, "enlace: ...".
inline void check_one_line_error(const Run& run) {
    INFO("stderr: " << run.err);
    REQUIRE_FALSE(run.err.empty());
    CHECK(run.err.rfind("enlace: ", 0) == 0);
    CHECK(std::count(run.err.begin(), run.err.end(), '\n') == 1);
    CHECK(run.err.back() == '\n');
}

} // namespace enlace::test
