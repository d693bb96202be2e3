#include "enlace/core/verification.hpp"

#include "enlace/core/errors.hpp"

#include <chrono>
#include <ctime>

namespace enlace::core {

std::string days_before_today(std::string_view span, const std::string& parameter) {
    const auto bad = [&] { return query_error(parameter, "must be a number of days such as 180d"); };
    if (span.size() < 2 || span.size() > 6 || span.back() != 'd') throw bad();
    int days = 0;
    for (const char c : span.substr(0, span.size() - 1)) {
        if (c < '0' || c > '9') throw bad();
        days = days * 10 + (c - '0');
    }
    const auto then = std::chrono::system_clock::now() - std::chrono::hours(24 * days);
    const std::time_t t = std::chrono::system_clock::to_time_t(then);
    std::tm parts{};
    gmtime_r(&t, &parts);
    char buffer[16];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &parts);
    return buffer;
}

ServiceQuery due_for_verification(const Caller& caller, std::vector<std::string> countries, std::string_view span,
                                  const std::string& parameter) {
    if (caller.is_public()) throw unauthorized("the stale list needs a registry user's token");
    ServiceQuery query;
    query.verified_before = days_before_today(span, parameter);
    query.countries = std::move(countries);
    if (!caller.every_country()) {
        if (query.countries.empty()) query.countries = caller.countries;
        for (const auto& country : query.countries)
            if (!caller.reads({country})) throw forbidden("country " + country + " is outside your countries");
    }
    query.audience = Audience::authorised;
    return query;
}

} // namespace enlace::core
