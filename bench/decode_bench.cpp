// Decoding stored service documents: service_from_json over nlohmann's DOM against
// detail::decode_stored_service (the service's field table over simdjson), record by record,
// interleaved.
//
//   enlace_bench_decode REGISTRY.db [N]
// Reads the documents of N services (default 20,000) spread over the file, then decodes each one
// both ways, alternating which goes first, and prints the median, 90th percentile and mean per
// record. Checks that both give the same record.
#include "stored_documents.hpp"

#include "enlace/core/record_json.hpp"
#include "enlace/core/sqlite.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace core = enlace::core;
using Clock = std::chrono::steady_clock;

namespace {

struct Figures {
    double median, p90, mean;
};

Figures figures(std::vector<double> us) {
    std::sort(us.begin(), us.end());
    double sum = 0;
    for (double v : us)
        sum += v;
    return {us[us.size() / 2], us[us.size() * 9 / 10], sum / static_cast<double>(us.size())};
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: enlace_bench_decode REGISTRY.db [N]\n");
        return 2;
    }
    const long n = argc > 2 ? std::atol(argv[2]) : 20000;
    core::sqlite::Database db(argv[1], core::sqlite::open_mode::read_only);
    core::sqlite::Statement count(db, "SELECT max(id) FROM services");
    count.step();
    const std::int64_t max_id = count.column_int(0);
    const std::int64_t step = std::max<std::int64_t>(1, max_id / n);
    core::sqlite::Statement select(db, "SELECT doc FROM services WHERE id % ? = 0 ORDER BY id LIMIT ?");
    select.bind(1, step).bind(2, static_cast<std::int64_t>(n));
    std::vector<std::string> docs;
    std::size_t bytes = 0;
    while (select.step()) {
        docs.push_back(select.column_text(0));
        bytes += docs.back().size();
    }
    if (docs.empty()) {
        std::fprintf(stderr, "no services in %s\n", argv[1]);
        return 1;
    }

    std::vector<double> old_us, new_us;
    std::size_t mismatches = 0;
    auto time = [](auto&& decode) {
        const auto start = Clock::now();
        core::Service s = decode();
        const double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
        return std::pair{std::move(s), us};
    };
    for (std::size_t i = 0; i < docs.size(); ++i) {
        const std::string& doc = docs[i];
        auto decode_old = [&] { return core::service_from_json(nlohmann::json::parse(doc)); };
        auto decode_new = [&] { return core::detail::decode_stored_service(doc); };
        std::pair<core::Service, double> a, b;
        if (i % 2) {
            a = time(decode_old);
            b = time(decode_new);
        } else {
            b = time(decode_new);
            a = time(decode_old);
        }
        old_us.push_back(a.second);
        new_us.push_back(b.second);
        if (core::to_json(a.first) != core::to_json(b.first)) ++mismatches;
    }
    const Figures o = figures(old_us), d = figures(new_us);
    std::printf("%zu stored documents of %s (mean %zu bytes), %zu mismatches\n", docs.size(), argv[1],
                bytes / docs.size(), mismatches);
    std::printf("%-42s median %6.2f us  p90 %6.2f us  mean %6.2f us\n", "service_from_json(json::parse(doc))", o.median,
                o.p90, o.mean);
    std::printf("%-42s median %6.2f us  p90 %6.2f us  mean %6.2f us\n", "decode_stored_service(doc)", d.median, d.p90,
                d.mean);
    std::printf("speed-up (median): %.1fx\n", o.median / d.median);
    return mismatches == 0 ? 0 : 1;
}
