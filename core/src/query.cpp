#include "enlace/core/query.hpp"

#include <cctype>

namespace enlace::core {

void scope_to_reader(ServiceQuery& query, const Caller& caller) {
    query.whole_in.clear();
    query.audience = caller.every_country() ? Audience::authorised : Audience::public_;
    // Even when every country asked is in scope: the hotlines a nearest page offers may be any
    // country's, and those outside the scope are read as the public reads them.
    if (!caller.is_public() && !caller.every_country()) query.whole_in = caller.countries;
}

std::vector<std::string> split_list(std::string_view text, bool upper) {
    std::vector<std::string> out;
    std::string item;
    auto flush = [&] {
        const auto first = item.find_first_not_of(" \t");
        const auto last = item.find_last_not_of(" \t");
        if (first != std::string::npos) out.push_back(item.substr(first, last - first + 1));
        item.clear();
    };
    for (char c : text) {
        if (c == ',')
            flush();
        else
            item += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    }
    flush();
    return out;
}

std::string join_list(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += separator;
        out += items[i];
    }
    return out;
}

} // namespace enlace::core
