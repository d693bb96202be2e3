// The in-memory index follows the change log: after any sequence of writes (creates, updates,
// moves, status and visibility changes, sites taken away, batches committed and rolled back, by
// this process or another), the index advanced through the log equals one built afresh from the
// file, and it is rebuilt only when the reference data change or much of the registry does.
#include "enlace/core/registry.hpp"
#include "live_index.hpp"
#include "open_store.hpp"
#include "support/temp_registry.hpp"

#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

using namespace enlace;
using core::detail::IndexedPoint;
using core::detail::PointFilter;
using core::detail::ServiceIndex;

namespace {

/// A reader of the registry with its own store connection and live index, as a server thread has
/// them, beside the writer that changes the registry.
struct Reader {
    std::unique_ptr<core::Store> connection;
    core::Store& store;
    core::detail::LiveIndex live{0};
    core::ReferenceData reference;

    explicit Reader(const std::string& location)
        : connection(core::detail::open_store(location, core::Registry::mode::read_only)), store(*connection),
          reference(test::reference()) {
        store.begin_read();
        live.start(store.revision());
        store.end_read();
    }

    /// The live index at the file's current revision, advanced through the log.
    std::shared_ptr<const ServiceIndex> current(core::Audience audience) {
        store.begin_read();
        const auto revision = store.revision();
        live.advance(store, revision);
        auto index = live.index(store, reference, audience, revision, false);
        store.end_read();
        return index;
    }

    /// One built from every row, at the same revision.
    std::shared_ptr<const ServiceIndex> rebuilt(core::Audience audience) {
        store.begin_read();
        auto index = core::detail::build_index(store, reference, audience, store.revision());
        store.end_read();
        return index;
    }
};

bool same_point(const IndexedPoint& a, const IndexedPoint& b) {
    return a.id == b.id && a.point == b.point && a.types == b.types && a.countries == b.countries &&
           a.area_countries == b.area_countries && a.populations == b.populations && a.statuses == b.statuses &&
           a.age_min == b.age_min && a.age_max == b.age_max && a.sited == b.sited;
}

std::vector<std::int64_t> ids_by_id(const ServiceIndex& index, const PointFilter& filter) {
    std::vector<std::int64_t> ids;
    index.by_id(filter, 0, [&](const IndexedPoint& p) {
        ids.push_back(p.id);
        return true;
    });
    return ids;
}

std::vector<std::pair<std::int64_t, double>> nearest(const ServiceIndex& index, const core::GeoPoint& from,
                                                     const PointFilter& filter, std::size_t k) {
    std::vector<std::pair<std::int64_t, double>> out;
    index.nearest(from, 1e9, filter, {}, [&](const IndexedPoint& p, double chord2) {
        out.emplace_back(p.id, chord2);
        return out.size() < k;
    });
    return out;
}

/// The filters the comparison asks both indexes: everything, and each kind of mask.
std::vector<PointFilter> filters(const core::ReferenceData& ref) {
    using core::detail::MaskCodes;
    std::vector<PointFilter> out(1);
    for (const char* family : {"LEG", "REC", "VIO"}) {
        PointFilter f;
        f.types = MaskCodes::types(ref, ref.expand({family}, "type"));
        out.push_back(f);
    }
    for (const char* country : {"GT", "SV", "MX"}) {
        PointFilter f;
        f.countries = MaskCodes::countries(ref, {country});
        out.push_back(f);
        f = {};
        f.available_in = MaskCodes::countries(ref, {country});
        out.push_back(f);
    }
    PointFilter closed;
    closed.statuses = MaskCodes::statuses({core::ServiceStatus::temporarily_closed, core::ServiceStatus::inactive});
    out.push_back(closed);
    PointFilter young;
    young.age = 8;
    out.push_back(young);
    PointFilter box;
    box.bbox = core::BBox{-91.0, 14.0, -89.5, 15.0};
    out.push_back(box);
    return out;
}

/// The two indexes hold the same points and answer every query alike.
void require_same(const ServiceIndex& live, const ServiceIndex& fresh, const core::ReferenceData& ref) {
    const auto a = live.sited_points(), b = fresh.sited_points();
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO("point " << a[i].id << " / " << b[i].id);
        REQUIRE(same_point(a[i], b[i]));
    }
    REQUIRE(live.unsited().size() == fresh.unsited().size());
    for (std::size_t i = 0; i < live.unsited().size(); ++i)
        REQUIRE(same_point(live.unsited()[i], fresh.unsited()[i]));
    for (const auto& filter : filters(ref)) {
        REQUIRE(live.count(filter) == fresh.count(filter));
        REQUIRE(ids_by_id(live, filter) == ids_by_id(fresh, filter));
        for (const core::GeoPoint from :
             {core::GeoPoint{-90.5, 14.6}, core::GeoPoint{-99.1, 19.4}, core::GeoPoint{120, -30}})
            REQUIRE(nearest(live, from, filter, 15) == nearest(fresh, from, filter, 15));
    }
}

/// Random writes: the registry's kinds of change, one at a time or in batches.
class Writes {
  public:
    Writes(core::Registry& registry, unsigned seed) : m_registry(registry), m_random(seed) {}

    void one() {
        const int what = pick(10);
        if (m_ids.empty() || what < 3) return create();
        core::Service s =
            *m_registry.service_record(m_ids[static_cast<std::size_t>(pick(static_cast<int>(m_ids.size())))]);
        switch (what) {
        case 3: // moved, given a site, or its site taken away (then a service area)
            if (!s.site) {
                s.site = core::Site{point_in(s.country), core::LocationPrecision::exact};
            } else if (pick(4) == 0) {
                s.site.reset();
                s.area.countries = {s.country};
            } else {
                s.site->point = point_in(s.country);
            }
            break;
        case 4:
            s.types = {type()};
            break; // retyped (maybe sensitive)
        case 5:
            s.status = static_cast<core::ServiceStatus>(pick(4));
            break; // status
        case 6:
            s.visibility = pick(2) ? core::Visibility::restricted : core::Visibility::public_;
            break;
        case 7:
            s.age = {pick(2) ? std::optional<int>(pick(10)) : std::nullopt, std::nullopt};
            break;
        case 8:
            s.populations = pick(2) ? std::vector<std::string>{"returned"} : std::vector<std::string>{};
            break;
        default:
            s.name["es"] = "Renombrado " + std::to_string(pick(1000));
            break; // not indexed
        }
        m_registry.put(std::move(s));
    }

    void batch(int n, bool commit) {
        m_registry.batch(
            [&] {
                for (int i = 0; i < n; ++i)
                    one();
            },
            commit);
        if (!commit) forget_uncommitted();
    }

    void create() {
        const bool hotline = pick(8) == 0;
        const std::string country = pick(2) ? "GT" : (pick(2) ? "SV" : "MX");
        core::Service s;
        if (hotline) {
            s.name = {{"es", "Línea"}};
            s.types = {"VIO.HOTLINE"};
            s.country = country;
            s.area.countries = {country, "GT"};
        } else {
            const auto p = point_in(country);
            s = test::service_at(p.lon, p.lat, country, type(), "Servicio");
        }
        s.age = {std::nullopt, pick(2) ? std::optional<int>(10 + pick(8)) : std::nullopt};
        m_ids.push_back(m_registry.put(std::move(s)).id);
    }

  private:
    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(m_random); }
    std::string type() {
        static const char* types[] = {"LEG.AID", "REC.SHORTSTAY", "VIO.GBV", "PRO.AUTHORITY", "HLT.MED"};
        return types[pick(5)];
    }
    core::GeoPoint point_in(const std::string& country) {
        const double u = std::uniform_real_distribution<double>(0, 1)(m_random);
        const double v = std::uniform_real_distribution<double>(0, 1)(m_random);
        if (country == "SV") return {-89.6 + 0.6 * u, 13.5 + 0.4 * v};
        if (country == "MX") return {-99.5 + 1.0 * u, 19.0 + 0.8 * v};
        return {-91.0 + 1.2 * u, 14.4 + 0.6 * v};
    }
    /// Ids made in a rolled-back batch do not exist.
    void forget_uncommitted() {
        std::erase_if(m_ids, [&](std::int64_t id) { return !m_registry.service_record(id); });
    }

    core::Registry& m_registry;
    std::mt19937 m_random;
    std::vector<std::int64_t> m_ids;
};

void require_same(Reader& reader, core::Audience audience) {
    const auto live = reader.current(audience);
    const auto fresh = reader.rebuilt(audience);
    REQUIRE(live->revision() == fresh->revision());
    require_same(*live, *fresh, reader.reference);
}

} // namespace

TEST_CASE("the index advanced after each write equals a fresh build", "[live-index]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    Writes writes(registry, 20261201);
    for (int i = 0; i < 40; ++i)
        writes.create();
    Reader reader(dir.registry());
    for (auto audience : {core::Audience::public_, core::Audience::authorised})
        reader.current(audience);
    const auto built = reader.live.builds();
    for (int step = 0; step < 150; ++step) {
        INFO("step " << step);
        if (step % 25 == 24)
            writes.batch(12, step % 50 != 49); // every other batch rolled back
        else
            writes.one();
        for (auto audience : {core::Audience::public_, core::Audience::authorised})
            require_same(reader, audience);
    }
    CHECK(reader.live.builds() == built); // advanced every time, never rebuilt
}

TEST_CASE("a large batch merges the changed trees, and the result still equals a fresh build", "[live-index]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    Writes writes(registry, 7);
    registry.batch([&] {
        for (int i = 0; i < 140000; ++i)
            writes.create();
    });
    Reader reader(dir.registry());
    REQUIRE(reader.current(core::Audience::public_)->levels() == 1);
    // More than the smallest tree holds (some are hotlines, without a site), less than a quarter of
    // the registry: advanced, into a middle tree; the next writes go to a small one beside it.
    registry.batch([&] {
        for (int i = 0; i < 2 * static_cast<int>(ServiceIndex::small_level_limit); ++i)
            writes.create();
    });
    const auto merged = reader.current(core::Audience::public_);
    CHECK(merged->levels() == 2);
    CHECK(reader.live.builds() == 1);
    require_same(reader, core::Audience::public_);
    for (int i = 0; i < 20; ++i)
        writes.one();
    CHECK(reader.current(core::Audience::public_)->levels() == 3);
    require_same(reader, core::Audience::public_);
    CHECK(reader.live.builds() == 1);
}

TEST_CASE("changing the reference data rebuilds the index", "[live-index]") {
    test::ScratchDir dir;
    auto registry = test::make_registry(dir);
    Writes writes(registry, 3);
    for (int i = 0; i < 30; ++i)
        writes.create();
    Reader reader(dir.registry());
    reader.current(core::Audience::public_);
    REQUIRE(reader.live.builds() == 1);
    registry.load_reference(test::reference());
    reader.current(core::Audience::public_);
    CHECK(reader.live.builds() == 2);
    require_same(reader, core::Audience::public_);
}

TEST_CASE("another process's writes and import are followed through the log", "[live-index]") {
    test::ScratchDir dir;
    {
        auto registry = test::make_registry(dir);
        Writes writes(registry, 11);
        for (int i = 0; i < 2000; ++i)
            writes.create();
    }
    Reader reader(dir.registry());
    const auto before = reader.current(core::Audience::public_);
    REQUIRE(reader.live.builds() == 1);

    // A writer process: single writes while this one reads, then an import-sized batch.
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        int code = 0;
        try {
            auto registry = core::Registry::open(dir.registry());
            Writes writes(registry, 12);
            for (int i = 0; i < 30; ++i) {
                writes.create();
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            }
            writes.batch(400, true); // an import: one run in the log
        } catch (...) {
            code = 1;
        }
        _exit(code);
    }
    // Reading all along: every index is complete for its revision (never a half-applied write).
    std::int64_t last = before->revision();
    for (;;) {
        int status = 0;
        const bool done = waitpid(child, &status, WNOHANG) == child;
        const auto now = reader.current(core::Audience::public_);
        CHECK(now->revision() >= last);
        last = now->revision();
        if (done) {
            REQUIRE(WIFEXITED(status));
            REQUIRE(WEXITSTATUS(status) == 0);
            break;
        }
    }
    require_same(reader, core::Audience::public_);
    require_same(reader, core::Audience::authorised);
    CHECK(reader.current(core::Audience::public_)->sited_size() > before->sited_size());
    CHECK(reader.live.builds() == 2); // one build per audience, then followed through the log
}

namespace {

/// A record for the cache tests: only its id matters.
std::shared_ptr<const core::PublicService> record_of(std::int64_t id) {
    auto r = std::make_shared<core::PublicService>();
    r->id = id;
    return r;
}

} // namespace

TEST_CASE("a full record cache makes room by dropping the least recently used record", "[live-index]") {
    core::detail::LiveIndex live{3};
    live.start(7);
    auto& cache = live.records();
    for (std::int64_t id : {1, 2, 3})
        cache.put(id, 7, record_of(id));
    REQUIRE(cache.get(1, 7)); // 1 is now the most recently used, 2 the least
    cache.put(4, 7, record_of(4));
    CHECK_FALSE(cache.get(2, 7));
    for (std::int64_t id : {1, 3, 4}) {
        CAPTURE(id);
        REQUIRE(cache.get(id, 7));
        CHECK(cache.get(id, 7)->id == id);
    }
    // Put again, a record is used again: 1 stays, and 3 (now the least recently used) goes.
    cache.put(1, 7, record_of(1));
    cache.get(4, 7);
    cache.put(5, 7, record_of(5));
    CHECK_FALSE(cache.get(3, 7));
    CHECK(cache.get(1, 7));
    CHECK(cache.get(5, 7));
    // A snapshot older than what the cache knows does not put what it read.
    cache.put(6, 6, record_of(6));
    CHECK_FALSE(cache.get(6, 7));
}

TEST_CASE("a record cache made smaller keeps its most recently used records, and made empty keeps none",
          "[live-index]") {
    core::detail::LiveIndex live{4};
    live.start(7);
    auto& cache = live.records();
    for (std::int64_t id : {1, 2, 3, 4})
        cache.put(id, 7, record_of(id));
    REQUIRE(cache.get(2, 7)); // the most recently used now: 2, 4, 3, 1
    cache.set_capacity(2);
    CHECK(cache.size() == 2);
    CHECK(cache.get(2, 7));
    CHECK(cache.get(4, 7));
    CHECK_FALSE(cache.get(3, 7));
    CHECK_FALSE(cache.get(1, 7));
    cache.put(5, 7, record_of(5)); // full at its new size: 5 takes the place of the least recent
    CHECK(cache.size() == 2);

    cache.set_capacity(0);
    CHECK(cache.size() == 0);
    cache.put(6, 7, record_of(6));
    CHECK_FALSE(cache.get(6, 7));

    cache.set_capacity(3); // larger again: it fills up to the new size
    for (std::int64_t id : {7, 8, 9, 10})
        cache.put(id, 7, record_of(id));
    CHECK(cache.size() == 3);
    CHECK_FALSE(cache.get(7, 7));
    CHECK(cache.get(10, 7));
}
