#include "tls_context.hpp"

#include <boost/system/system_error.hpp>

#include <fstream>
#include <stdexcept>

namespace enlace::http {
namespace {

void require_readable(const std::string& option, const std::string& file) {
    if (file.empty()) throw std::runtime_error(option + ": give both --tls-cert and --tls-key");
    if (!std::ifstream(file)) throw std::runtime_error(option + ": cannot read '" + file + "'");
}

} // namespace

boost::asio::ssl::context make_tls_context(const std::string& cert_file, const std::string& key_file) {
    namespace ssl = boost::asio::ssl;
    require_readable("--tls-cert", cert_file);
    require_readable("--tls-key", key_file);
    ssl::context context(ssl::context::tls_server);
    context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                        ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    try {
        context.use_certificate_chain_file(cert_file);
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error("--tls-cert: '" + cert_file + "' is not a PEM certificate (" + e.code().message() +
                                 ")");
    }
    try {
        context.use_private_key_file(key_file, ssl::context::pem);
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error("--tls-key: '" + key_file + "' is not the certificate's PEM private key (" +
                                 e.code().message() + ")");
    }
    return context;
}

} // namespace enlace::http
