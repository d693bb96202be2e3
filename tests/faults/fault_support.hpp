#pragma once
// What the crash and full-disk trials share: `enlace` as a child process that can be killed or
// run under a file size limit, a large deterministic import file, the registry's state read
// straight from the file, and the trials' seed and count.
#include <cstdint>
#include <string>
#include <vector>

#include <sys/types.h>

namespace enlace::test {

/// `enlace ARGS...` as a child, stdout and stderr into files. With `file_size_limit` > 0 it runs
/// under that RLIMIT_FSIZE (bytes) with SIGXFSZ ignored, so a write past it fails with EFBIG.
class EnlaceChild {
  public:
    EnlaceChild(const std::vector<std::string>& args, const std::string& out, const std::string& err,
                long long file_size_limit = 0);
    ~EnlaceChild();
    EnlaceChild(const EnlaceChild&) = delete;
    EnlaceChild& operator=(const EnlaceChild&) = delete;

    /// Waits for the exit (at most `seconds`): its status, 128 + signal when killed, -1 on timeout.
    int wait(double seconds);
    /// SIGKILL now (a crash, or the power gone), then the status as wait() gives it.
    int kill_now();

  private:
    pid_t m_pid = -1;
};

/// `enlace --db DB serve --port 0 --threads 2` as a child (optionally under a file size limit),
/// up and answering /healthz when constructed.
class ServedRegistry {
  public:
    ServedRegistry(const std::string& db, const std::string& log, long long file_size_limit = 0);
    int port() const { return m_port; }
    /// SIGKILL now: the server's process ends mid-request, as in a crash.
    void crash() { m_child.kill_now(); }

  private:
    EnlaceChild m_child;
    int m_port = 0;
};

/// A CSV of `count` valid services of Guatemala (ids P0, P1, ...), points and names drawn from a
/// generator seeded with `seed`: the same file for the same arguments.
void write_services_csv(const std::string& path, int count, std::uint64_t seed, const std::string& id_prefix = "P");

/// The registry's state as its file holds it, for all-or-nothing comparisons.
struct RegistryState {
    std::int64_t services = 0;       // rows of services
    std::int64_t sites = 0;          // rows of the public-site R*Tree
    std::int64_t revision = 0;       // the change log's last id
    std::int64_t change_rows = 0;    // rows of the change log
    std::int64_t logged_creates = 0; // services the log says were created (runs counted whole)
    bool operator==(const RegistryState& other) const = default;
};
std::string describe(const RegistryState& state);

/// Opens the registry read-write (as the next user would, which recovers a crashed WAL), requires
/// `PRAGMA integrity_check` and each R*Tree's `rtreecheck` to say ok, and reads its state.
RegistryState sound_state_of(const std::string& db);

/// `enlace --db DB check`: its exit status (its output in `log`).
int run_check(const std::string& db, const std::string& log);

/// ENLACE_CRASH_TRIALS (default `fallback`).
int trial_count(int fallback);
/// ENLACE_CRASH_SEED, or a fresh one; printed either way so that a failure can be replayed.
std::uint64_t trial_seed(const char* what);

std::string read_text(const std::string& path);

} // namespace enlace::test
