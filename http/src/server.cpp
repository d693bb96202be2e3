// The Beast server: a listener accepting on a strand, one session per connection (on its own
// strand), N threads each with its own registry connection. The pure handler does the work.
#include "enlace/http/server.hpp"

#include "beast_request.hpp"
#include "change_follower.hpp"
#include "connection_limits.hpp"
#include "enlace/http/auth_throttle.hpp"
#include "enlace/http/report_throttle.hpp"
#include "forwarded_client.hpp"
#include "tls_context.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <vector>

namespace enlace::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

/// The registry connection of the thread running the handler (one per server thread).
thread_local core::Registry* t_registry = nullptr;

/// What the stop path sees of a session, whether plain or TLS.
class Stoppable {
  public:
    virtual ~Stoppable() = default;
    virtual void stop_if_idle() = 0;
};

/// What every session shares: the options, the stop flag, the open connections, and the sessions
/// to close on stop.
struct Shared {
    explicit Shared(const ServerOptions& o)
        : options(o), config(o.config), proxies(o.trusted_proxies),
          limits(o.max_connections, o.max_connections_per_client) {}
    const ServerOptions& options;
    const Config& config;
    detail::TrustedProxies proxies;
    AuthThrottle throttle;          // failed sign-ins per client address
    ReportThrottle report_throttle; // problem reports per client address
    std::atomic<bool> stopping{false};
    detail::ConnectionLimits limits;
    std::mutex mutex;
    std::vector<std::weak_ptr<Stoppable>> sessions;

    void add(const std::shared_ptr<Stoppable>& session);
    void stop_idle_sessions();
};

/// One connection over a plain TCP stream or a TLS stream over it (Stream decides which).
template <class Stream> class Session : public Stoppable, public std::enable_shared_from_this<Session<Stream>> {
  public:
    static constexpr bool tls = !std::is_same_v<Stream, beast::tcp_stream>;

    Session(tcp::socket&& socket, detail::ConnectionSlot slot, Shared& shared)
        : m_stream(std::move(socket)), m_shared(shared), m_slot(std::move(slot)) {}
    Session(tcp::socket&& socket, asio::ssl::context& ssl, detail::ConnectionSlot slot, Shared& shared)
        : m_stream(std::move(socket), ssl), m_shared(shared), m_slot(std::move(slot)) {}
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    void start() {
        if constexpr (tls) {
            asio::dispatch(m_stream.get_executor(), [self = this->shared_from_this()] { self->handshake(); });
        } else {
            asio::dispatch(m_stream.get_executor(),
                           beast::bind_front_handler(&Session::read, this->shared_from_this()));
        }
    }

    /// On stop: a connection waiting for its next request is closed; a busy one closes after it.
    void stop_if_idle() override {
        asio::dispatch(m_stream.get_executor(), [self = this->shared_from_this()] {
            if (self->m_idle) self->close();
        });
    }

  private:
    /// TLS only: the handshake, under the header deadline; a client speaking plain HTTP fails it.
    void handshake() {
        m_idle = true;
        beast::get_lowest_layer(m_stream).expires_after(m_shared.options.header_timeout);
        m_stream.async_handshake(asio::ssl::stream_base::server,
                                 [self = this->shared_from_this()](beast::error_code ec) {
                                     if (ec) return self->close();
                                     self->read();
                                 });
    }

    /// The head under the header deadline (short: a client that holds a partial head open is
    /// closed soon), then the body under the body timeout.
    void read() {
        if (m_shared.stopping) return close();
        m_idle = true;
        m_parser.emplace();
        m_parser->header_limit(detail::header_limit);
        m_parser->body_limit(detail::body_limit);
        beast::get_lowest_layer(m_stream).expires_after(m_shared.options.header_timeout);
        bhttp::async_read_header(m_stream, m_buffer, *m_parser,
                                 beast::bind_front_handler(&Session::on_header, this->shared_from_this()));
    }

    void on_header(beast::error_code ec, std::size_t) {
        if (ec) return on_read(ec, 0);
        // The reply is written under what is left of this timeout too.
        beast::get_lowest_layer(m_stream).expires_after(m_shared.options.body_timeout);
        bhttp::async_read(m_stream, m_buffer, *m_parser,
                          beast::bind_front_handler(&Session::on_read, this->shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        m_idle = false;
        if (ec == bhttp::error::end_of_stream) return close();
        if (ec == bhttp::error::header_limit) return reply_error(431, "Request header fields too large");
        if (ec == bhttp::error::body_limit) return reply_error(413, "Payload too large");
        if (ec && ec.category() == bhttp::make_error_code(bhttp::error::end_of_stream).category())
            return reply_error(400, "Bad request");
        if (ec) return close(); // timeout, reset or cancelled: nothing to answer

        const auto started = std::chrono::steady_clock::now();
        const auto& req = m_parser->get();
        const Request request =
            detail::request_from(req, client_address(std::string(req[detail::forwarded_for_header])));
        Context context{*t_registry, m_shared.config, &m_shared.throttle, &m_shared.report_throttle};
        Response out = handle(request, context);

        m_response = {};
        m_response.version(req.version());
        m_response.result(static_cast<unsigned>(out.status));
        m_response.set(bhttp::field::server, "enlace");
        if (!out.content_type.empty()) m_response.set(bhttp::field::content_type, out.content_type);
        for (const auto& [name, value] : out.headers)
            m_response.set(name, value);
        ++m_served;
        m_response.keep_alive(req.keep_alive() && !m_shared.stopping &&
                              m_served < m_shared.options.max_requests_per_connection);
        const auto bytes = out.body.size();
        if (out.status == 204 || out.status == 304) {
            // No body and no Content-Length: the framing of these statuses has none.
        } else if (request.method == "HEAD") {
            m_response.content_length(bytes); // the GET length, no body
        } else {
            m_response.body() = std::move(out.body);
            m_response.prepare_payload();
        }
        log(request, out.status, bytes, started);
        write();
    }

    /// The client's address, for the sign-in and report throttles only (never logged): the
    /// socket's peer, or whom a trusted proxy says it forwards for.
    std::string client_address(std::string_view forwarded_for) {
        beast::error_code ec;
        const auto endpoint = beast::get_lowest_layer(m_stream).socket().remote_endpoint(ec);
        return ec ? std::string() : m_shared.proxies.client(endpoint.address(), forwarded_for).to_string();
    }

    void reply_error(int status, const char* title) {
        m_response = {};
        m_response.version(11);
        m_response.result(static_cast<unsigned>(status));
        m_response.set(bhttp::field::content_type, "application/problem+json");
        m_response.body() = std::string("{\"title\":\"") + title + "\",\"status\":" + std::to_string(status) + "}";
        m_response.prepare_payload();
        m_response.keep_alive(false);
        write();
    }

    void write() {
        bhttp::async_write(m_stream, m_response, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec || !self->m_response.keep_alive()) return self->close();
            self->read();
        });
    }

    void close() {
        if constexpr (tls) {
            if (!m_closing && beast::get_lowest_layer(m_stream).socket().is_open()) {
                // close_notify, bounded by a short timeout, then the socket.
                m_closing = true;
                beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds(2));
                m_stream.async_shutdown([self = this->shared_from_this()](beast::error_code) { self->close_socket(); });
                return;
            }
            if (m_closing) return;
        }
        close_socket();
    }

    void close_socket() {
        auto& lowest = beast::get_lowest_layer(m_stream);
        beast::error_code ec;
        lowest.socket().shutdown(tcp::socket::shutdown_both, ec);
        lowest.close();
    }

    /// Method, path (never the query string: it may carry a caseworker's position), status, bytes,
    /// duration; never the client address.
    static void log(const Request& request, int status, std::size_t bytes,
                    std::chrono::steady_clock::time_point started) {
        const auto path = loggable_path(request.target);
        const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - started;
        std::fprintf(stderr, "%s %s %d %zu %.1fms\n", request.method.c_str(), path.c_str(), status, bytes,
                     took.count());
    }

    Stream m_stream;
    Shared& m_shared;
    detail::ConnectionSlot m_slot; // this connection's place under the caps
    bool m_closing = false;        // TLS: the close_notify is under way
    beast::flat_buffer m_buffer;
    std::optional<bhttp::request_parser<bhttp::string_body>> m_parser;
    bhttp::response<bhttp::string_body> m_response;
    bool m_idle = false;
    int m_served = 0; // requests answered on this connection
};

void Shared::add(const std::shared_ptr<Stoppable>& session) {
    std::lock_guard lock(mutex);
    std::erase_if(sessions, [](const auto& weak) { return weak.expired(); });
    sessions.push_back(session);
}

void Shared::stop_idle_sessions() {
    std::lock_guard lock(mutex);
    for (const auto& weak : sessions)
        if (auto session = weak.lock()) session->stop_if_idle();
}

class Listener : public std::enable_shared_from_this<Listener> {
  public:
    Listener(asio::io_context& ioc, const tcp::endpoint& endpoint, Shared& shared, asio::ssl::context* ssl)
        : m_ioc(ioc), m_acceptor(asio::make_strand(ioc)), m_shared(shared), m_ssl(ssl) {
        beast::error_code ec;
        const auto where = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
        m_acceptor.open(endpoint.protocol(), ec);
        if (!ec) m_acceptor.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec) m_acceptor.bind(endpoint, ec);
        if (!ec) m_acceptor.listen(asio::socket_base::max_listen_connections, ec);
        if (ec == asio::error::address_in_use)
            throw std::runtime_error("cannot listen on " + where +
                                     ": the port is already in use (choose another with --port)");
        if (ec) throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
    }

    unsigned short port() const { return m_acceptor.local_endpoint().port(); }

    void accept() {
        m_acceptor.async_accept(asio::make_strand(m_ioc),
                                beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
    }

    void stop() {
        asio::dispatch(m_acceptor.get_executor(), [self = shared_from_this()] {
            beast::error_code ec;
            self->m_acceptor.close(ec);
        });
    }

  private:
    void on_accept(beast::error_code ec, tcp::socket socket) {
        if (!m_acceptor.is_open()) return; // stopped
        if (ec) {
            std::fprintf(stderr, "enlace serve: accept failed: %s\n", ec.message().c_str());
            accept();
            return;
        }
        const auto peer = socket.remote_endpoint(ec);
        if (ec) { // already gone
            accept();
            return;
        }
        auto admission = m_shared.limits.admit(peer.address(), m_shared.proxies.contains(peer.address()));
        if (admission.refused != detail::Refusal::none) {
            reject(std::move(socket), admission.refused);
        } else if (m_ssl) {
            start(std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(std::move(socket), *m_ssl,
                                                                                  std::move(admission.slot), m_shared));
        } else {
            start(std::make_shared<Session<beast::tcp_stream>>(std::move(socket), std::move(admission.slot), m_shared));
        }
        accept();
    }

    template <class S> void start(const std::shared_ptr<S>& session) {
        m_shared.add(session);
        session->start();
    }

    /// Beyond a connection cap: a short 503 written at once (it fits the fresh socket's send
    /// buffer, so the blocking write does not wait), then the connection is closed. A client over
    /// its own share frees a place only by closing one of its connections: it is told to wait longer.
    static void reject(tcp::socket socket, detail::Refusal why) {
        const bool share = why == detail::Refusal::client_share;
        const std::string body =
            std::string("{\"title\":\"Service unavailable\",\"status\":503,\"detail\":\"too many connections") +
            (share ? " from this client" : "") + "\"}";
        const std::string reply =
            std::string("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\n") +
            "Retry-After: " + (share ? "5" : "1") +
            "\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        beast::error_code ec;
        asio::write(socket, asio::buffer(reply.data(), reply.size()), ec);
        socket.shutdown(tcp::socket::shutdown_send, ec);
        // Closing with unread request bytes would reset the connection and could discard the 503.
        socket.non_blocking(true, ec);
        char discard[4096];
        while (!ec)
            socket.read_some(asio::buffer(discard), ec);
        socket.close(ec);
    }

    asio::io_context& m_ioc;
    tcp::acceptor m_acceptor;
    Shared& m_shared;
    asio::ssl::context* m_ssl; // null: plain HTTP
};

} // namespace

void serve(const core::Registry& registry, const ServerOptions& options,
           const std::function<void(const std::string& url)>& on_listening) {
    const int threads = std::max(1, options.threads);
    std::vector<core::Registry> connections;
    // Writable connections take writes and record tokens' last use; SQLite lets one write at a time.
    const auto mode = options.read_only ? core::Registry::mode::read_only : core::Registry::mode::read_write;
    for (int i = 0; i < threads; ++i)
        connections.push_back(registry.another_connection(mode));
    registry.prepare_index(); // shared by the connections: built once, before the first request
    // Other servers' writes (PostgreSQL) reach the shared index between requests; declared before
    // the thread pool, so it stops after the last request.
    const ChangeFollower follower(registry.another_connection(core::Registry::mode::read_only));

    beast::error_code ec;
    const auto address = asio::ip::make_address(options.bind, ec);
    if (ec) throw std::runtime_error("--bind: '" + options.bind + "' is not an IP address");

    // Read before binding: a bad certificate or key fails fast with nothing listening.
    std::optional<asio::ssl::context> ssl;
    if (!options.tls_cert.empty() || !options.tls_key.empty())
        ssl.emplace(make_tls_context(options.tls_cert, options.tls_key));

    asio::io_context ioc{threads};
    Shared shared(options);
    auto listener =
        std::make_shared<Listener>(ioc, tcp::endpoint{address, options.port}, shared, ssl ? &*ssl : nullptr);
    listener->accept();

    // Stop accepting, close idle connections, let requests in flight finish; run() then returns.
    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](const beast::error_code& error, int) {
        if (error) return;
        shared.stopping = true;
        listener->stop();
        shared.stop_idle_sessions();
    });

    const auto host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    on_listening((ssl ? "https://" : "http://") + host + ":" + std::to_string(listener->port()) + "/");

    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i)
        pool.emplace_back([&ioc, connection = &connections[i]] {
            t_registry = connection;
            ioc.run();
        });
    for (auto& thread : pool)
        thread.join();
}

} // namespace enlace::http
