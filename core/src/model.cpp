#include "enlace/core/model.hpp"

namespace enlace::core {

std::optional<ResolvedText> resolve(const LocalizedText& text, const std::string& language) {
    if (text.empty()) return std::nullopt;
    for (const std::string& wanted : {language, std::string("es"), std::string("en")}) {
        if (auto it = text.find(wanted); it != text.end())
            return ResolvedText{it->second, it->first, wanted != language};
        // "es-MX" asked, "es" stored (or the reverse): the same language.
        for (const auto& [tag, value] : text)
            if (!wanted.empty() && (tag.starts_with(wanted + "-") || wanted.starts_with(tag + "-")))
                return ResolvedText{value, tag, wanted != language};
    }
    return ResolvedText{text.begin()->second, text.begin()->first, true};
}

} // namespace enlace::core
