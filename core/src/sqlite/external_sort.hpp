#pragma once
// Sorting more rows than should be held in memory at once: sorted runs of a bounded size, spilled
// to temporary files and merged. The R*Tree builds of a batch's end use it, so that their memory
// does not grow with the number of rows.
#include "enlace/core/errors.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <queue>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace enlace::core::detail {

/// Rows of a trivially copyable T, pushed in any order and handed back in `Less` order (equal rows
/// in no set order: give it a total order). At most `run_rows` rows are held while pushing; merging
/// holds the last run and a block of each spilled run. Every `fan_in` spilled runs of one length
/// are merged into one longer run as they come (each row is merged again only once per factor of
/// `fan_in`), so the open files and the blocks stay bounded too.
template <class T, class Less> class ExternalSorter {
    static_assert(std::is_trivially_copyable_v<T>, "rows are written to files byte for byte");

  public:
    static constexpr std::size_t fan_in = 64;

    explicit ExternalSorter(std::size_t run_rows, Less less = {})
        : m_run_rows(std::max<std::size_t>(run_rows, 1)), m_less(less) {}

    void push(const T& row) {
        // Reserved whole: growing by doubling would hold the old and the new block at once. The
        // pages are only touched as rows arrive.
        if (m_rows.capacity() == 0) m_rows.reserve(m_run_rows);
        m_rows.push_back(row);
        ++m_size;
        if (m_rows.size() >= m_run_rows) spill();
    }

    /// Every row pushed so far.
    std::size_t size() const noexcept { return m_size; }

    /// Hands every row to `each` in order, then leaves the sorter empty.
    template <class Each> void merge(Each&& each) {
        std::sort(m_rows.begin(), m_rows.end(), m_less);
        if (m_files.empty()) {
            for (const auto& row : m_rows)
                each(row);
        } else {
            while (m_files.size() > fan_in)
                merge_into_file(0, fan_in);
            merge_runs(m_files, std::move(m_rows), each);
        }
        *this = ExternalSorter(m_run_rows, m_less);
    }

  private:
    struct Close {
        void operator()(std::FILE* f) const noexcept { std::fclose(f); }
    };
    using File = std::unique_ptr<std::FILE, Close>;

    /// One spilled run, read back a block at a time.
    struct Reader {
        std::FILE* file = nullptr;
        std::vector<T> block;
        std::size_t next = 0;

        bool refill() {
            block.resize(block_rows);
            const std::size_t n = std::fread(block.data(), sizeof(T), block_rows, file);
            if (n < block_rows && std::ferror(file)) fail("read");
            block.resize(n);
            next = 0;
            return n > 0;
        }
    };
    static constexpr std::size_t block_rows = std::max<std::size_t>(1, (64 * 1024) / sizeof(T));

    [[noreturn]] static void fail(const char* what) {
        throw error(std::string("cannot ") + what + " a temporary file of a sort: " + std::strerror(errno));
    }

    static File new_file() {
        File f(std::tmpfile()); // unlinked already: gone when closed, even after a crash
        if (!f) fail("create");
        return f;
    }
    static void write(std::FILE* f, const T* rows, std::size_t n) {
        if (n && std::fwrite(rows, sizeof(T), n, f) != n) fail("write");
    }

    void spill() {
        std::sort(m_rows.begin(), m_rows.end(), m_less);
        auto f = new_file();
        write(f.get(), m_rows.data(), m_rows.size());
        m_files.push_back(std::move(f));
        m_merges.push_back(0);
        m_rows.clear();
        // The runs are in decreasing order of merges: the last `fan_in` alike are merged once more.
        while (m_files.size() >= fan_in && m_merges[m_files.size() - fan_in] == m_merges.back())
            merge_into_file(m_files.size() - fan_in, fan_in);
    }

    /// Merges `count` spilled runs from `first` into one new run in their place.
    void merge_into_file(std::size_t first, std::size_t count) {
        const auto from = static_cast<std::ptrdiff_t>(first), to = static_cast<std::ptrdiff_t>(first + count);
        std::vector<File> group(std::make_move_iterator(m_files.begin() + from),
                                std::make_move_iterator(m_files.begin() + to));
        const unsigned merges = 1 + *std::max_element(m_merges.begin() + from, m_merges.begin() + to);
        m_files.erase(m_files.begin() + from, m_files.begin() + to);
        m_merges.erase(m_merges.begin() + from, m_merges.begin() + to);
        auto out = new_file();
        std::vector<T> block;
        block.reserve(block_rows);
        merge_runs(group, {}, [&](const T& row) {
            block.push_back(row);
            if (block.size() == block_rows) {
                write(out.get(), block.data(), block.size());
                block.clear();
            }
        });
        write(out.get(), block.data(), block.size());
        m_files.insert(m_files.begin() + from, std::move(out));
        m_merges.insert(m_merges.begin() + from, merges);
    }

    /// K-way merge of spilled runs and one sorted run in memory, with a heap of run heads.
    template <class Each> void merge_runs(std::vector<File>& files, std::vector<T> in_memory, Each&& each) {
        std::vector<Reader> readers(files.size());
        for (std::size_t i = 0; i < files.size(); ++i) {
            if (std::fflush(files[i].get()) != 0 || std::fseek(files[i].get(), 0, SEEK_SET) != 0) fail("rewind");
            readers[i].file = files[i].get();
        }
        if (!in_memory.empty()) {
            readers.push_back({});
            readers.back().block = std::move(in_memory);
        }
        auto later = [&](std::size_t a, std::size_t b) {
            return m_less(readers[b].block[readers[b].next], readers[a].block[readers[a].next]);
        };
        std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> heads(later);
        for (std::size_t i = 0; i < readers.size(); ++i)
            if (!readers[i].block.empty() || (readers[i].file && readers[i].refill())) heads.push(i);
        while (!heads.empty()) {
            const std::size_t i = heads.top();
            heads.pop();
            auto& r = readers[i];
            each(r.block[r.next]);
            if (++r.next < r.block.size() || (r.file && r.refill())) heads.push(i);
        }
        files.clear();
    }

    std::size_t m_run_rows;
    Less m_less;
    std::vector<T> m_rows;
    std::vector<File> m_files;
    std::vector<unsigned> m_merges; // how many merges made each spilled run
    std::size_t m_size = 0;
};

} // namespace enlace::core::detail
