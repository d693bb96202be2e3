#pragma once
// The TLS server context for `enlace serve --tls-cert/--tls-key` (OpenSSL through Boost.Asio).
#include <boost/asio/ssl/context.hpp>

#include <string>

namespace enlace::http {

/// A TLS 1.2+ server context with the PEM certificate chain and private key. Throws
/// std::runtime_error naming the option and file when either is missing, unreadable or invalid.
boost::asio::ssl::context make_tls_context(const std::string& cert_file, const std::string& key_file);

} // namespace enlace::http
