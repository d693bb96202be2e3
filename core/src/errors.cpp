#include "enlace/core/errors.hpp"

namespace enlace::core {
namespace {

std::string describe(const std::vector<validation_issue>& issues) {
    std::string text;
    for (const auto& issue : issues) {
        if (!text.empty()) text += "; ";
        text += issue.field + ": " + issue.reason;
    }
    return text.empty() ? std::string("invalid record") : text;
}

} // namespace

db_error::db_error(const std::string& message, int code, std::string sql)
    : error(message), m_code(code), m_sql(std::move(sql)) {}

validation_error::validation_error(std::vector<validation_issue> issues)
    : error(describe(issues)), m_issues(std::move(issues)) {}

validation_error::validation_error(std::string field, std::string reason)
    : validation_error(std::vector<validation_issue>{{std::move(field), std::move(reason)}}) {}

query_error::query_error(std::string parameter, const std::string& reason)
    : error(parameter + ": " + reason), m_parameter(std::move(parameter)) {}

} // namespace enlace::core
