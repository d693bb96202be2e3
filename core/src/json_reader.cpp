#include "json_reader.hpp"

#include <algorithm>

namespace enlace::core::detail {
namespace {

const nlohmann::json* member(const nlohmann::json& obj, const char* key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
}

} // namespace

nlohmann::json parse_json(std::string_view text, const std::string& what) {
    try {
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::parse_error& e) {
        throw validation_error(what, "is not valid JSON (byte " + std::to_string(e.byte) + ")");
    } catch (const nlohmann::json::out_of_range&) {
        // How nlohmann refuses a number beyond a double's range (1e400), which is no parse_error.
        throw validation_error(what, "is not valid JSON (a number beyond the range of a double)");
    }
}

std::string JsonReader::string(const json& obj, const char* key, const std::string& path, bool required) {
    const json* value = member(obj, key);
    if (!value) {
        if (required) issue(path, "is required");
        return {};
    }
    if (!value->is_string()) {
        issue(path, "must be a string");
        return {};
    }
    std::string text = value->get<std::string>();
    if (required && text.empty()) issue(path, "must not be empty");
    return text;
}

std::optional<std::int64_t> JsonReader::integer(const json& obj, const char* key, const std::string& path) {
    const json* value = member(obj, key);
    if (!value) return std::nullopt;
    if (!value->is_number_integer()) {
        issue(path, "must be an integer");
        return std::nullopt;
    }
    return value->get<std::int64_t>();
}

std::optional<int> JsonReader::small_integer(const json& obj, const char* key, const std::string& path) {
    const json* value = member(obj, key);
    if (!value) return std::nullopt;
    if (!value->is_number_integer() || (value->is_number_unsigned() && value->get<std::uint64_t>() > 1000000000u) ||
        (!value->is_number_unsigned() &&
         (value->get<std::int64_t>() > 1000000000 || value->get<std::int64_t>() < -1000000000))) {
        issue(path, "must be an integer between -1000000000 and 1000000000");
        return std::nullopt;
    }
    return static_cast<int>(value->get<std::int64_t>());
}

std::optional<double> JsonReader::number(const json& obj, const char* key, const std::string& path) {
    const json* value = member(obj, key);
    if (!value) return std::nullopt;
    if (!value->is_number()) {
        issue(path, "must be a number");
        return std::nullopt;
    }
    return value->get<double>();
}

std::optional<bool> JsonReader::boolean(const json& obj, const char* key, const std::string& path) {
    const json* value = member(obj, key);
    if (!value) return std::nullopt;
    if (!value->is_boolean()) {
        issue(path, "must be true or false");
        return std::nullopt;
    }
    return value->get<bool>();
}

const nlohmann::json* JsonReader::array(const json& obj, const std::string& key, const std::string& path) {
    const json* value = member(obj, key.c_str());
    if (value && !value->is_array()) {
        issue(path, "must be an array");
        return nullptr;
    }
    return value;
}

const nlohmann::json* JsonReader::object(const json& obj, const char* key, const std::string& path) {
    const json* value = member(obj, key);
    if (value && !value->is_object()) {
        issue(path, "must be an object");
        return nullptr;
    }
    return value;
}

std::vector<std::string> JsonReader::strings(const json& obj, const char* key, const std::string& path) {
    std::vector<std::string> out;
    const json* list = array(obj, key, path);
    if (!list) return out;
    for (std::size_t i = 0; i < list->size(); ++i) {
        if ((*list)[i].is_string())
            out.push_back((*list)[i].get<std::string>());
        else
            issue(path + "[" + std::to_string(i) + "]", "must be a string");
    }
    return out;
}

std::vector<double> JsonReader::numbers(const json& obj, const char* key, const std::string& path) {
    std::vector<double> out;
    const json* list = array(obj, key, path);
    if (!list) return out;
    for (std::size_t i = 0; i < list->size(); ++i) {
        if ((*list)[i].is_number())
            out.push_back((*list)[i].get<double>());
        else
            issue(path + "[" + std::to_string(i) + "]", "must be a number");
    }
    return out;
}

std::vector<std::int64_t> JsonReader::integers(const json& obj, const char* key, const std::string& path) {
    std::vector<std::int64_t> out;
    const json* list = array(obj, key, path);
    if (!list) return out;
    for (std::size_t i = 0; i < list->size(); ++i) {
        if ((*list)[i].is_number_integer())
            out.push_back((*list)[i].get<std::int64_t>());
        else
            issue(path + "[" + std::to_string(i) + "]", "must be an integer");
    }
    return out;
}

void JsonReader::only(const json& obj, std::initializer_list<std::string_view> known, const std::string& path) {
    if (m_ignore_unknown_keys || !obj.is_object()) return;
    for (const auto& [key, value] : obj.items()) {
        if (std::find(known.begin(), known.end(), key) != known.end()) continue;
        std::string reason = "is not a field of this record";
        if (path.empty() || path.back() == ']') reason += " (misspelt? `enlace show` prints the fields a record has)";
        issue(path.empty() ? key : path + "." + key, std::move(reason));
    }
}

LocalizedText JsonReader::localized(const json& obj, const char* key, const std::string& path) {
    LocalizedText out;
    const json* value = member(obj, key);
    if (!value) return out;
    if (value->is_string()) {
        if (!value->get<std::string>().empty()) out["es"] = value->get<std::string>();
        return out;
    }
    if (!value->is_object()) {
        issue(path, "must be a language map such as {\"es\": \"...\", \"en\": \"...\"}");
        return out;
    }
    for (const auto& [language, text] : value->items()) {
        if (!text.is_string())
            issue(path + "." + language, "must be a string");
        else if (!text.get<std::string>().empty())
            out[language] = text.get<std::string>();
    }
    return out;
}

} // namespace enlace::core::detail
