#pragma once
// One compiled report renders at a time in a server (a PDF is two chromium prints): the gate
// rest_report.cpp takes, exposed so that a test can hold it.
#include <mutex>

namespace enlace::http::detail {

/// The process's report gate; a request that finds it taken is answered 503 with Retry-After.
std::mutex& report_gate();

/// Seconds a client is told to wait when another report is rendering.
inline constexpr int report_retry_after_s = 10;

} // namespace enlace::http::detail
