#include "synthetic_services.hpp"

#include "enlace/core/reference.hpp"
#include "enlace/core/registry.hpp"
#include "enlace/data/embedded.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <array>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <numbers>
#include <random>
#include <stdexcept>

namespace enlace::bench {
namespace {

// Bump when the generated services change, so that cached files are not reused.
constexpr int generator_version = 2;
constexpr std::uint64_t seed = 20261128;
// load_dataset writes a whole dataset in one transaction: chunks keep the JSON text small.
constexpr std::int64_t chunk_size = 20000;

// Towns inside their country (data/countries.json, data/boundaries.geojson): the validator refuses
// points outside the outline, beyond a border tolerance.
constexpr std::array town_list{
    Town{"Belize City", "BZ", -88.19, 17.50, 1.0, 6},
    Town{"Belmopan", "BZ", -88.77, 17.25, 0.5, 5},
    Town{"San Ignacio", "BZ", -89.07, 17.16, 0.4, 5},
    Town{"Punta Gorda", "BZ", -88.80, 16.10, 0.3, 5},
    Town{"Toronto", "CA", -79.38, 43.65, 3.0, 25},
    Town{"Montréal", "CA", -73.57, 45.50, 2.5, 20},
    Town{"Vancouver", "CA", -123.12, 49.28, 2.0, 20},
    Town{"Calgary", "CA", -114.07, 51.05, 1.0, 15},
    Town{"Winnipeg", "CA", -97.14, 49.90, 0.8, 12},
    Town{"Halifax", "CA", -63.57, 44.65, 0.5, 10},
    Town{"San José", "CR", -84.09, 9.93, 2.0, 12},
    Town{"Liberia", "CR", -85.44, 10.63, 0.6, 8},
    Town{"Limón", "CR", -83.03, 9.99, 0.5, 8},
    Town{"Upala", "CR", -85.02, 10.90, 0.4, 6},
    Town{"Paso Canoas", "CR", -82.84, 8.53, 0.4, 5},
    Town{"San Salvador", "SV", -89.19, 13.69, 2.0, 10},
    Town{"Santa Ana", "SV", -89.56, 13.99, 0.8, 8},
    Town{"San Miguel", "SV", -88.18, 13.48, 0.8, 8},
    Town{"La Unión", "SV", -87.84, 13.34, 0.4, 5},
    Town{"Ciudad de Guatemala", "GT", -90.51, 14.63, 3.0, 15},
    Town{"Quetzaltenango", "GT", -91.52, 14.83, 1.0, 10},
    Town{"Tecún Umán", "GT", -92.15, 14.67, 0.8, 5},
    Town{"Huehuetenango", "GT", -91.47, 15.32, 0.6, 10},
    Town{"Flores", "GT", -89.89, 16.93, 0.4, 8},
    Town{"Esquipulas", "GT", -89.35, 14.56, 0.4, 6},
    Town{"Tegucigalpa", "HN", -87.21, 14.07, 2.0, 12},
    Town{"San Pedro Sula", "HN", -88.03, 15.50, 2.0, 12},
    Town{"Choluteca", "HN", -87.19, 13.30, 0.6, 8},
    Town{"La Ceiba", "HN", -86.79, 15.78, 0.6, 8},
    Town{"Danlí", "HN", -86.58, 14.03, 0.5, 6},
    Town{"Ciudad de México", "MX", -99.13, 19.43, 6.0, 30},
    Town{"Tijuana", "MX", -117.04, 32.52, 2.5, 12},
    Town{"Ciudad Juárez", "MX", -106.42, 31.69, 2.0, 12},
    Town{"Monterrey", "MX", -100.31, 25.69, 2.5, 20},
    Town{"Tapachula", "MX", -92.26, 14.90, 2.0, 8},
    Town{"Guadalajara", "MX", -103.35, 20.67, 2.5, 20},
    Town{"Reynosa", "MX", -98.28, 26.09, 1.0, 10},
    Town{"Oaxaca", "MX", -96.73, 17.07, 1.0, 12},
    Town{"Mexicali", "MX", -115.45, 32.62, 1.0, 10},
    Town{"Villahermosa", "MX", -92.93, 17.99, 0.8, 10},
    Town{"Nuevo Laredo", "MX", -99.51, 27.48, 0.8, 8},
    Town{"Managua", "NI", -86.25, 12.13, 2.0, 12},
    Town{"León", "NI", -86.88, 12.43, 0.6, 8},
    Town{"Rivas", "NI", -85.83, 11.44, 0.4, 6},
    Town{"Estelí", "NI", -86.35, 13.09, 0.4, 6},
    Town{"Bluefields", "NI", -83.77, 12.01, 0.3, 5},
    Town{"Ciudad de Panamá", "PA", -79.52, 8.98, 2.0, 12},
    Town{"David", "PA", -82.43, 8.43, 0.6, 8},
    Town{"Colón", "PA", -79.90, 9.36, 0.5, 6},
    Town{"Metetí", "PA", -77.98, 8.50, 0.4, 6},
    Town{"Santo Domingo", "DO", -69.93, 18.49, 2.5, 12},
    Town{"Santiago de los Caballeros", "DO", -70.70, 19.45, 1.0, 10},
    Town{"Dajabón", "DO", -71.71, 19.55, 0.4, 5},
    Town{"Jimaní", "DO", -71.85, 18.49, 0.3, 5},
    Town{"Los Ángeles", "US", -118.24, 34.05, 4.0, 35},
    Town{"Houston", "US", -95.37, 29.76, 3.0, 30},
    Town{"Nueva York", "US", -74.01, 40.71, 4.0, 30},
    Town{"Miami", "US", -80.19, 25.76, 2.5, 20},
    Town{"Chicago", "US", -87.63, 41.88, 2.0, 25},
    Town{"El Paso", "US", -106.49, 31.76, 1.5, 12},
    Town{"San Diego", "US", -117.16, 32.72, 1.5, 15},
    Town{"McAllen", "US", -98.23, 26.20, 1.0, 10},
    Town{"Phoenix", "US", -112.07, 33.45, 1.0, 20},
};

// Names and descriptions in Spanish with accents, so that accent-insensitive search has work to do.
constexpr std::array family_names{
    std::pair{"IDN", "Punto de orientación en frontera"},
    std::pair{"REC", "Casa de acogida para adolescentes"},
    std::pair{"PRO", "Oficina de protección de la niñez y adolescencia"},
    std::pair{"LEG", "Asesoría jurídica para niñas, niños y adolescentes"},
    std::pair{"FAM", "Servicio de búsqueda y reunificación familiar"},
    std::pair{"HLT", "Clínica de salud y atención psicosocial"},
    std::pair{"VIO", "Centro de atención a víctimas de violencia"},
    std::pair{"INT", "Programa de educación y reintegración"},
};
constexpr std::array descriptions{
    "Atención a la niñez migrante no acompañada o separada, con enfoque de interés superior.",
    "Acompañamiento a niñas, niños y adolescentes en tránsito y a sus familias.",
    "Orientación, información y referencia a servicios especializados.",
    "Servicio gratuito; se atiende en español, inglés y lenguas indígenas según disponibilidad.",
};
constexpr std::array populations{"unaccompanied", "separated",      "accompanied", "returned",
                                 "in_transit",    "asylum_seeking", "refugee",     "trafficking_victim"};
constexpr std::array extra_languages{"en", "fr", "ht", "mam", "kek", "pt"};

constexpr double km_per_degree = 111.32;
constexpr double deg = std::numbers::pi / 180.0;

/// A point scattered around the town, kept inside its country (retried, else the centre).
core::GeoPoint scatter(std::mt19937_64& rng, const Town& town, double widen, const core::ReferenceData& ref) {
    std::normal_distribution<double> normal(0.0, 1.0);
    const auto* country = ref.country(town.country);
    for (int attempt = 0; attempt < 20; ++attempt) {
        const double dy = normal(rng) * town.sigma_km * widen, dx = normal(rng) * town.sigma_km * widen;
        core::GeoPoint p{town.lon + dx / (km_per_degree * std::cos(town.lat * deg)), town.lat + dy / km_per_degree};
        if (!country || ref.in_country(*country, p)) return p;
    }
    return {town.lon, town.lat};
}

class Generator {
  public:
    explicit Generator(const core::ReferenceData& ref) : m_ref(ref), m_rng(seed) {
        for (const auto& t : town_list)
            m_town_weights.push_back(t.weight);
        m_pick_town = std::discrete_distribution<std::size_t>(m_town_weights.begin(), m_town_weights.end());
        // Leaves only; sensitive ones rarer (they are coarsened), the rare type very rare.
        std::vector<double> weights;
        for (const auto& term : ref.terms()) {
            if (term.parent.empty()) continue;
            m_leaves.push_back(term.code);
            weights.push_back(term.code == rare_type ? 0.02 : term.sensitive ? 0.4 : 1.0);
        }
        m_pick_leaf = std::discrete_distribution<std::size_t>(weights.begin(), weights.end());
    }

    nlohmann::json service(std::int64_t number) {
        const Town& town = town_list[m_pick_town(m_rng)];
        nlohmann::json s;
        s["source_id"] = "svc-" + std::to_string(number);
        s["country"] = town.country;
        // One in a thousand is a national hotline without a site (answers "available here").
        const bool hotline = number % 1000 == 999;
        std::vector<std::string> types;
        if (hotline) {
            types = {"VIO.HOTLINE"};
            s["service_area"] = {{"countries", {town.country}}};
        } else {
            const int count = 1 + static_cast<int>(uniform(10) >= 4) + static_cast<int>(uniform(10) >= 8);
            while (static_cast<int>(types.size()) < count) {
                const auto& code = m_leaves[m_pick_leaf(m_rng)];
                if (std::find(types.begin(), types.end(), code) == types.end()) types.push_back(code);
            }
            const auto p = scatter(m_rng, town, 1.0, m_ref);
            s["location"] = {{"lon", p.lon}, {"lat", p.lat}, {"precision", "exact"}};
        }
        s["types"] = types;
        const std::string family = types.front().substr(0, types.front().find('.'));
        std::string name = "Centro de atención a la niñez migrante";
        for (const auto& [code, label] : family_names)
            if (code == family && uniform(3) != 0) name = label;
        s["name"] = {{"es", name + " " + std::to_string(number)}};
        s["description"] = {{"es", descriptions[uniform(descriptions.size())]}};
        s["address"] = {{"locality", town.name}};
        s["contacts"] = {{{"kind", "phone"}, {"value", "+1 555 01" + std::to_string(100 + number % 900)}}};
        std::vector<std::string> languages{"es"};
        if (std::string_view(town.country) == "US" || std::string_view(town.country) == "CA" || uniform(10) < 3)
            languages.push_back("en");
        if (uniform(10) == 0) languages.push_back(extra_languages[uniform(extra_languages.size())]);
        s["languages"] = languages;
        std::vector<std::string> served;
        for (int i = 0, n = static_cast<int>(uniform(4)); i < n; ++i)
            served.push_back(populations[uniform(populations.size())]);
        s["populations"] = served;
        switch (uniform(10)) {
        case 0:
            break; // no age limits
        case 1:
            s["age"] = {{"min", 0}, {"max", 11}};
            break;
        case 2:
        case 3:
            s["age"] = {{"min", 12}, {"max", 17}};
            break;
        default:
            s["age"] = {{"min", 0}, {"max", 17}};
        }
        if (const auto h = uniform(10); h < 5)
            s["hours"] = {
                {"weekly", {{{"days", {"mo", "tu", "we", "th", "fr"}}, {"opens", "08:00"}, {"closes", "16:00"}}}}};
        else if (h == 5)
            s["hours"] = {{"always_open", true}};
        const auto st = uniform(100);
        s["status"] = st < 95 ? "active" : st < 98 ? "temporarily_closed" : "inactive";
        s["visibility"] = uniform(100) < 97 ? "public" : "restricted";
        char verified[32];
        std::snprintf(verified, sizeof verified, "2026-%02d-%02d", 1 + static_cast<int>(uniform(10)),
                      1 + static_cast<int>(uniform(28)));
        s["last_verified"] = verified;
        return s;
    }

  private:
    std::size_t uniform(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(m_rng); }

    const core::ReferenceData& m_ref;
    std::mt19937_64 m_rng;
    std::vector<double> m_town_weights;
    std::discrete_distribution<std::size_t> m_pick_town;
    std::vector<std::string> m_leaves;
    std::discrete_distribution<std::size_t> m_pick_leaf;
};

/// The reference data `enlace init` loads, outlines included.
core::ReferenceData embedded_reference() {
    return core::ReferenceData::from_json(*data::embedded("taxonomy.json"), *data::embedded("countries.json"),
                                          data::embedded("boundaries.geojson").value_or(""));
}

std::int64_t single_int(sqlite3* db, const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    std::int64_t value = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
        value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return value;
}

struct CachedFile {
    std::int64_t services = -1; // -1: absent or not a registry
    std::int64_t schema_version = -1;
};

CachedFile inspect(const std::string& path) {
    CachedFile file;
    if (!std::filesystem::exists(path)) return file;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        file.schema_version = single_int(db, "PRAGMA user_version");
        file.services = single_int(db, "SELECT count(*) FROM services");
    }
    sqlite3_close(db);
    return file;
}

} // namespace

std::span<const Town> towns() { return town_list; }

std::vector<QueryPoint> query_points(int near_towns) {
    const auto ref = embedded_reference();
    std::mt19937_64 rng(seed + 1); // not the services' stream: points are not service sites
    std::vector<double> weights;
    for (const auto& t : town_list)
        weights.push_back(t.weight);
    std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
    std::vector<QueryPoint> out;
    for (int i = 0; i < near_towns; ++i) {
        const Town& town = town_list[pick(rng)];
        out.push_back({scatter(rng, town, 1.5, ref), false, town.country, town.name});
    }
    // Far from every service: oceans, ice, other continents. Some lie inside a member's box
    // (Hudson Bay, Gulf of Alaska), so "available here" is asked for them too.
    constexpr std::array<std::pair<double, double>, 20> far{{
        {-140, 0},  {-160, -20}, {170, -10}, {150, 30},  {-40, 72},   {-30, 80},  {-85, 63},
        {-20, -40}, {-10, -30},  {-35, 20},  {-45, 40},  {80, -20},   {60, -10},  {0, -60},
        {0, -85},   {0, 88},     {100, 65},  {135, -25}, {-120, -45}, {-145, 52},
    }};
    for (const auto& [lon, lat] : far)
        out.push_back({{lon, lat}, true, "", ""});
    return out;
}

GeneratedFile ensure_registry(const std::string& dir, std::int64_t n) {
    std::filesystem::create_directories(dir);
    GeneratedFile file;
    file.path = dir + "/services-" + std::to_string(n) + "-g" + std::to_string(generator_version) + ".db";
    if (const auto cached = inspect(file.path);
        cached.services == n && cached.schema_version <= core::Registry::current_schema_version()) {
        // Written by an older core: opening it writable runs the schema migrations, as for any
        // registry in use (much faster than generating it again).
        if (cached.schema_version < core::Registry::current_schema_version())
            core::Registry::open(file.path, core::Registry::mode::read_write);
        file.reused = true;
        return file;
    }
    const auto start = std::chrono::steady_clock::now();
    // Written under a temporary name and renamed when complete: an interrupted run leaves no
    // half-filled file that a later run would take for the cache.
    const std::string partial = file.path + ".partial";
    for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(partial + suffix);
    {
        const auto ref = embedded_reference();
        auto registry = core::Registry::open(partial, core::Registry::mode::create);
        registry.load_reference(ref);
        Generator generator(ref);
        for (std::int64_t first = 0; first < n; first += chunk_size) {
            nlohmann::json dataset{{"source", "bench"}, {"services", nlohmann::json::array()}};
            for (std::int64_t i = first; i < std::min(n, first + chunk_size); ++i)
                dataset["services"].push_back(generator.service(i + 1));
            registry.load_dataset(dataset.dump(), "bench");
            if (n >= 100000 && (first / chunk_size) % 5 == 4)
                std::cerr << "  generated " << first + chunk_size << " / " << n << " services\n";
        }
    }
    std::filesystem::rename(partial, file.path);
    file.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (inspect(file.path).services != n)
        throw std::runtime_error("generated registry " + file.path + " is incomplete");
    return file;
}

} // namespace enlace::bench
