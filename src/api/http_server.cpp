#include "api/http_server.hpp"

#include <atomic>
#include <deque>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "api/json_response.hpp"
#include "base/error.hpp"
#include "base/log.hpp"

namespace portier::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(asio::io_context& i, Options o, RequestDispatcher& d)
      : ioc(i), options(std::move(o)), dispatcher(d), acceptor(i) {}

  void do_accept();
  std::string client_ip(const tcp::socket& s, const http::request<http::string_body>& req) const;

  asio::io_context& ioc;
  Options options;
  RequestDispatcher& dispatcher;
  tcp::acceptor acceptor;
  std::optional<asio::ssl::context> ssl;  // only with TLS: creating one initialises (and pages in) OpenSSL
  bool tls = false;
  std::atomic<std::size_t> live{0};
  std::shared_ptr<spdlog::logger> log = portier::log::get("http");
};

namespace {

// Counts a live connection for as long as the owning session exists.
struct LiveToken {
  explicit LiveToken(std::shared_ptr<HttpServer::Impl> s) : server(std::move(s)) { ++server->live; }
  ~LiveToken() { --server->live; }
  LiveToken(const LiveToken&) = delete;
  LiveToken& operator=(const LiveToken&) = delete;
  std::shared_ptr<HttpServer::Impl> server;
};

Request to_request(const http::request<http::string_body>& in, std::string ip, bool secure, bool& bad_target) {
  Request r;
  r.method = std::string(in.method_string());
  r.target = std::string(in.target());
  const auto q = r.target.find('?');
  bad_target = !url_decode(std::string_view(r.target).substr(0, q), r.path, false) || r.path.empty() ||
               r.path.front() != '/' || r.path.find('\0') != std::string::npos;
  if (q != std::string::npos && !parse_query(std::string_view(r.target).substr(q + 1), r.query)) bad_target = true;
  for (const auto& f : in) r.headers[std::string(f.name_string())] = std::string(f.value());
  r.body = in.body();
  r.client_ip = std::move(ip);
  r.secure = secure;
  return r;
}

void add_security_headers(Response& r) {
  auto set_default = [&](const char* k, const char* v) {
    if (!r.headers.count(k)) r.headers[k] = v;
  };
  set_default("X-Content-Type-Options", "nosniff");
  set_default("X-Frame-Options", "DENY");
  set_default("Referrer-Policy", "no-referrer");
  set_default("Content-Security-Policy",
              "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; "
              "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  set_default("Cache-Control", "no-store");
}

// ---------------------------------------------------------------------------------------------------------------
template <class Stream>
class WsSession : public WsConnection, public std::enable_shared_from_this<WsSession<Stream>> {
 public:
  WsSession(Stream&& stream, std::shared_ptr<HttpServer::Impl> server, WsEndpoint endpoint, std::string ip)
      : ws_(std::move(stream)), live_(server), server_(std::move(server)), endpoint_(std::move(endpoint)),
        ip_(std::move(ip)) {}

  void start(http::request<http::string_body> req) {
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.read_message_max(64 * 1024);
    ws_.async_accept(req, [self = this->shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
  }

  void send(std::string text) override {
    if (closed_) return;
    if (queue_.size() >= server_->options.ws_max_queue) {
      server_->log->warn("websocket {}: client too slow ({} queued), closing", ip_, queue_.size());
      close();
      return;
    }
    queue_.push_back(std::move(text));
    if (queue_.size() == 1) do_write();
  }

  void close() override {
    if (closed_) return;
    closed_ = true;
    ws_.async_close(websocket::close_code::normal, [self = this->shared_from_this()](beast::error_code) {});
  }

  const std::string& client_ip() const override { return ip_; }

 private:
  void on_accept(beast::error_code ec) {
    if (ec) return;
    if (endpoint_.on_open) endpoint_.on_open(this->shared_from_this());
    do_read();
  }
  void do_read() {
    ws_.async_read(buffer_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }
  void on_read(beast::error_code ec) {
    if (ec) {
      finish();
      return;
    }
    auto text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (endpoint_.on_message) endpoint_.on_message(this->shared_from_this(), std::move(text));
    do_read();
  }
  void do_write() {
    ws_.text(true);
    ws_.async_write(asio::buffer(queue_.front()),
                    [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
  }
  void on_write(beast::error_code ec) {
    if (ec) {
      queue_.clear();
      return;
    }
    queue_.pop_front();
    if (!queue_.empty() && !closed_) do_write();
  }
  void finish() {
    closed_ = true;
    queue_.clear();
    if (endpoint_.on_close) {
      auto cb = std::move(endpoint_.on_close);
      endpoint_.on_close = nullptr;
      cb(this->shared_from_this());
    }
  }

  websocket::stream<Stream> ws_;
  LiveToken live_;
  std::shared_ptr<HttpServer::Impl> server_;
  WsEndpoint endpoint_;
  std::string ip_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  bool closed_ = false;
};

// ---------------------------------------------------------------------------------------------------------------
template <class Stream>
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  HttpSession(Stream&& stream, std::shared_ptr<HttpServer::Impl> server)
      : stream_(std::move(stream)), live_(server), server_(std::move(server)) {}

  void start() {
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      beast::get_lowest_layer(stream_).expires_after(server_->options.request_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        if (!ec) self->do_read();
      });
    } else {
      do_read();
    }
  }

 private:
  const HttpServer::Options& opt() const { return server_->options; }

  void do_read() {
    parser_.emplace();
    parser_->body_limit(opt().max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(opt().max_header_bytes));
    beast::get_lowest_layer(stream_).expires_after(first_ ? opt().request_timeout : opt().idle_timeout);
    first_ = false;
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_error(ec);
    started_ = std::chrono::steady_clock::now();
    auto& req = parser_->get();
    if (websocket::is_upgrade(req)) {
      // The upgrade request has no body; read it whole (a no-op) then hand the stream over.
      return on_read({});
    }
    if (auto len = parser_->content_length(); len && *len > opt().max_body_bytes) {
      return send_error(413, "payload_too_large", "request body exceeds the limit", true);
    }
    beast::get_lowest_layer(stream_).expires_after(opt().request_timeout);
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, req.version());
      return http::async_write(stream_, *cont, [self = this->shared_from_this(), cont](beast::error_code e, std::size_t) {
        if (e) return self->on_error(e);
        self->read_body();
      });
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_error(beast::error_code ec) {
    if (ec == http::error::body_limit) return send_error(413, "payload_too_large", "request body exceeds the limit", true);
    if (ec == http::error::header_limit) return send_error(431, "header_too_large", "request headers too large", true);
    const bool malformed = ec.category() == http::make_error_code(http::error::bad_target).category() &&
                           ec != http::error::end_of_stream && ec != http::error::partial_message;
    if (malformed) return send_error(400, "bad_request", "malformed HTTP request", true);
    close();  // timeout, reset or end of stream: nothing to answer
  }

  void on_read(beast::error_code ec) {
    if (ec) return on_error(ec);
    auto req = parser_->release();
    bool bad_target = false;
    auto ip = server_->client_ip(beast::get_lowest_layer(stream_).socket(), req);
    request_ = to_request(req, ip, server_->tls, bad_target);
    if (bad_target) return send_error(400, "bad_request", "malformed request target", true);
    if (websocket::is_upgrade(req)) return upgrade(std::move(req));
    keep_alive_ = req.keep_alive();
    version_ = req.version();
    auto replied = std::make_shared<bool>(false);
    server_->dispatcher.dispatch(request_, [self = this->shared_from_this(), replied](Response r) {
      if (*replied) return;  // a second reply is a programming error; ignore rather than corrupt the stream
      *replied = true;
      self->write(std::move(r), !self->keep_alive_);
    });
  }

  void upgrade(http::request<http::string_body> req) {
    auto result = server_->dispatcher.upgrade(request_);
    if (auto* refused = std::get_if<Response>(&result)) {
      version_ = req.version();
      return write(std::move(*refused), true);
    }
    server_->dispatcher.on_request_done(request_, 101, std::chrono::steady_clock::now() - started_);
    std::make_shared<WsSession<Stream>>(std::move(stream_), server_, std::move(std::get<WsEndpoint>(result)),
                                        request_.client_ip)
        ->start(std::move(req));
  }

  void send_error(int status, std::string_view code, std::string_view message, bool close_after) {
    keep_alive_ = false;
    write(fail(status, code, message), close_after);
  }

  void write(Response r, bool close_after) {
    add_security_headers(r);
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), version_);
    for (auto& [k, v] : r.headers) res->set(k, v);
    res->set(http::field::server, "portier");
    if (request_.method != "HEAD") res->body() = std::move(r.body);
    res->keep_alive(!close_after && keep_alive_);
    res->prepare_payload();
    if (request_.method == "HEAD") res->content_length(r.body.size());
    server_->dispatcher.on_request_done(request_, r.status, std::chrono::steady_clock::now() - started_);
    beast::get_lowest_layer(stream_).expires_after(opt().request_timeout);
    http::async_write(stream_, *res, [self = this->shared_from_this(), res](beast::error_code ec, std::size_t) {
      if (ec || !res->keep_alive()) return self->close();
      self->do_read();
    });
  }

  void close() {
    beast::error_code ec;
    if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
    } else {
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    }
  }

  Stream stream_;
  LiveToken live_;
  std::shared_ptr<HttpServer::Impl> server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Request request_;
  bool keep_alive_ = true;
  bool first_ = true;
  unsigned version_ = 11;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace

std::string HttpServer::Impl::client_ip(const tcp::socket& s, const http::request<http::string_body>& req) const {
  beast::error_code ec;
  auto ep = s.remote_endpoint(ec);
  std::string ip = ec ? std::string("unknown") : ep.address().to_string();
  if (options.trusted_proxies.empty()) return ip;
  for (const auto& proxy : options.trusted_proxies) {
    if (proxy != ip) continue;
    auto xff = std::string(req["X-Forwarded-For"]);
    if (xff.empty()) return ip;
    auto last = xff.rfind(',');
    return std::string(trim(last == std::string::npos ? std::string_view(xff) : std::string_view(xff).substr(last + 1)));
  }
  return ip;
}

void HttpServer::Impl::do_accept() {
  acceptor.async_accept(asio::make_strand(ioc), [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !self->acceptor.is_open()) return;
    if (!ec) {
      if (self->live >= self->options.max_connections) {
        self->log->warn("connection limit {} reached; refusing a connection", self->options.max_connections);
        beast::error_code ignored;
        socket.close(ignored);
      } else if (self->tls) {
        std::make_shared<HttpSession<beast::ssl_stream<beast::tcp_stream>>>(
            beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *self->ssl), self)
            ->start();
      } else {
        std::make_shared<HttpSession<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)), self)->start();
      }
    }
    self->do_accept();
  });
}

HttpServer::HttpServer(asio::io_context& ioc, Options options, RequestDispatcher& dispatcher)
    : impl_(std::make_shared<Impl>(ioc, std::move(options), dispatcher)) {}

HttpServer::~HttpServer() { stop(); }

Result<std::uint16_t> HttpServer::start() {
  auto& o = impl_->options;
  beast::error_code ec;
  if (!o.tls_cert.empty()) {
    impl_->ssl.emplace(asio::ssl::context::tls_server);
    impl_->ssl->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                           asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                           asio::ssl::context::no_tlsv1_1);
    impl_->ssl->use_certificate_chain_file(o.tls_cert, ec);
    if (ec) return Error(errc::invalid_argument, "http.tls.cert " + o.tls_cert + ": " + ec.message());
    impl_->ssl->use_private_key_file(o.tls_key, asio::ssl::context::pem, ec);
    if (ec) return Error(errc::invalid_argument, "http.tls.key " + o.tls_key + ": " + ec.message());
    impl_->tls = true;
  }
  auto addr = asio::ip::make_address(o.host, ec);
  if (ec) return Error(errc::invalid_argument, "http.listen: bad address " + o.host);
  tcp::endpoint ep(addr, o.port);
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error(errc::unavailable, "cannot listen on " + o.host + ":" + std::to_string(o.port) + ": " + ec.message());
  impl_->do_accept();
  return a.local_endpoint().port();
}

void HttpServer::stop() {
  if (!impl_) return;
  beast::error_code ec;
  impl_->acceptor.close(ec);
}

std::size_t HttpServer::connections() const { return impl_->live; }

}  // namespace portier::api
