#pragma once
// Running a helper program (chromium) as a child process with a time limit, and a
// temporary folder for its files.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace enlace::report::detail {

/// A folder of its own under the system's temporary folder, removed with everything in it.
class TempFolder {
  public:
    TempFolder();
    ~TempFolder();
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;
    std::string file(const std::string& name) const { return (m_path / name).string(); }

  private:
    std::filesystem::path m_path;
};

/// The program's full path: `name` itself when it has a slash, else the first executable on
/// PATH; empty when there is none.
std::string find_program(const std::string& name);

/// Runs `argv` (argv[0] a full path) with stdin from /dev/null and stdout and stderr into the
/// files given; returns its exit status. When it runs past `timeout`, kills it and its process
/// group and throws std::runtime_error.
int run_child(const std::vector<std::string>& argv, const std::string& out_file, const std::string& err_file,
              std::chrono::milliseconds timeout);

/// A file's bytes; throws std::runtime_error naming it when it cannot be read.
std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& bytes);

} // namespace enlace::report::detail
