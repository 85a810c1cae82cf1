#include "server/http_server.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <limits>
#include <optional>
#include <thread>
#include <vector>

namespace eligo::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using std::chrono::milliseconds;

namespace {

bool is_http_error(const beast::error_code& ec) { return ec.category() == http::make_error_code(http::error::bad_target).category(); }

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `work`: where requests are evaluated when they may block on HTTP data sources (null: on the I/O thread).
  Session(tcp::socket&& socket, Service& service, net::thread_pool* work)
      : stream_(std::move(socket)), service_(service), work_(work) {
    service_.metrics().connections.fetch_add(1);
  }
  ~Session() {
    if (ctx_.admitted) service_.finish(ctx_, 499, true);  // dropped before its answer: record it, free its slot
    service_.metrics().connections.fetch_sub(1);
  }
  void run() { net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read_header, shared_from_this())); }

 private:
  const Limits& limits() const { return service_.config().limits; }

  void read_header() {
    ctx_ = RequestContext{};
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(limits().header_bytes));
    // No body limit while the headers are read: admit() answers a too-large Content-Length with 413 (after
    // the API key check); the route's limit is set before the body is read.
    parser_->body_limit((std::numeric_limits<std::uint64_t>::max)());
    stream_.expires_after(milliseconds(limits().header_timeout_ms));
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    ctx_.start = std::chrono::steady_clock::now();
    if (ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset) return;
    if (ec == beast::error::timeout) {
      // A client too slow with its headers, or a keep-alive connection idle past the header timeout.
      service_.metrics().dropped_timeouts.fetch_add(1);
      return;
    }
    if (ec) {
      if (!is_http_error(ec)) return;
      ctx_.request_id = service_.new_request_id();
      if (ec == http::error::header_limit)
        return send(error_reply(431, "headers_too_large", "the request line and headers are too large", ctx_.request_id), false);
      return send(error_reply(400, "bad_request", "malformed HTTP request", ctx_.request_id), false);
    }
    auto& req = parser_->get();
    std::optional<std::uint64_t> length;
    if (auto cl = parser_->content_length()) length = *cl;
    std::optional<Reply> refused =
        service_.admit(std::string_view(req.method_string().data(), req.method_string().size()),
                       std::string_view(req.target().data(), req.target().size()),
                       std::string_view(req[http::field::authorization].data(), req[http::field::authorization].size()),
                       std::string_view(req["X-API-Key"].data(), req["X-API-Key"].size()),
                       std::string_view(req["X-Request-Id"].data(), req["X-Request-Id"].size()), length, &ctx_);
    if (refused) {
      // An unread body would be taken for the next request: close unless there is none.
      return send(std::move(*refused), parser_->is_done() && req.keep_alive());
    }
    parser_->body_limit(ctx_.body_limit);
    if (parser_->is_done()) return on_body({}, 0);
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      stream_.expires_after(milliseconds(limits().write_timeout_ms));
      return http::async_write(stream_, *cont, [self = shared_from_this(), cont](beast::error_code e, std::size_t) {
        if (!e) self->read_body();
      });
    }
    read_body();
  }

  void read_body() {
    stream_.expires_after(milliseconds(limits().body_timeout_ms));
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_body, shared_from_this()));
  }

  void on_body(beast::error_code ec, std::size_t) {
    if (ec == http::error::body_limit)
      return send(error_reply(413, "body_too_large",
                              "the body is larger than " + std::to_string(ctx_.body_limit) + " bytes", ctx_.request_id),
                  false);
    if (ec == beast::error::timeout) {
      service_.metrics().dropped_timeouts.fetch_add(1);
      return;  // the destructor records the request and frees its slot
    }
    if (ec) {
      if (is_http_error(ec)) return send(error_reply(400, "bad_request", "malformed HTTP body", ctx_.request_id), false);
      return;
    }
    auto& req = parser_->get();
    const bool keep = req.keep_alive();
    if (!work_) {
      std::unique_ptr<BatchStream> batch;
      Reply r = service_.handle(ctx_, std::move(req.body()), &batch);
      return answer(std::move(r), std::move(batch), keep);
    }
    // An evaluation may wait on a data source for up to its timeouts: it runs on the work pool so the I/O
    // threads keep serving. The session has no I/O pending meanwhile, so the pool thread has it to itself.
    net::post(*work_, [self = shared_from_this(), keep] {
      self->pending_ = self->service_.handle(self->ctx_, std::move(self->parser_->get().body()), &self->pending_batch_);
      net::post(self->stream_.get_executor(), [self, keep] {
        self->answer(std::move(self->pending_), std::move(self->pending_batch_), keep);
      });
    });
  }

  void answer(Reply r, std::unique_ptr<BatchStream> batch, bool keep) {
    if (batch && r.status == 200) return start_stream(std::move(r), std::move(batch), keep);
    send(std::move(r), keep);
  }

  template <class Message>
  void set_headers(Message& m, const Reply& r, bool keep) {
    m.set(http::field::server, "eligo-server");
    m.set(http::field::content_type, r.content_type);
    m.set("X-Request-Id", ctx_.request_id);
    for (const auto& h : r.headers) m.set(h.first, h.second);
    m.keep_alive(keep);
  }

  // The work is done once the answer is ready: its in-flight slot is free before the bytes go out.
  void release() {
    if (ctx_.admitted) service_.release();
    ctx_.admitted = false;
  }

  void send(Reply r, bool keep) {
    release();
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), 11);
    set_headers(*res, r, keep);
    res->body() = std::move(r.body);
    res->prepare_payload();
    status_ = r.status;
    // Counted as answered now, before the bytes go out: a client that reads /metrics right after its answer
    // sees its request there.
    service_.finish(ctx_, status_, false);
    stream_.expires_after(milliseconds(limits().write_timeout_ms));
    http::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
      self->on_write(ec, res->need_eof());
    });
  }

  void on_write(beast::error_code ec, bool close) {
    if (ec) return;
    if (close) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    read_header();
  }

  // evaluate-batch: headers with chunked transfer, then the rows' decisions chunk by chunk as they are made.
  void start_stream(Reply r, std::unique_ptr<BatchStream> batch, bool keep) {
    batch_ = std::move(batch);
    stream_keep_ = keep;
    stream_done_ = false;
    status_ = 200;
    stream_res_ = std::make_unique<http::response<http::empty_body>>(http::status::ok, 11);
    set_headers(*stream_res_, r, keep);
    stream_res_->chunked(true);
    stream_sr_ = std::make_unique<http::response_serializer<http::empty_body>>(*stream_res_);
    stream_.expires_after(milliseconds(limits().write_timeout_ms));
    http::async_write_header(stream_, *stream_sr_, beast::bind_front_handler(&Session::on_stream, shared_from_this()));
  }

  void on_stream(beast::error_code ec, std::size_t) {
    if (ec || stream_done_) {
      release();
      batch_.reset();
      stream_sr_.reset();
      stream_res_.reset();
      service_.finish(ctx_, ec ? 499 : status_, false);  // a stream is answered once its last chunk is out
      return on_write(ec, !stream_keep_);
    }
    if (!work_) {
      fill_chunk();
      return write_chunk();
    }
    net::post(*work_, [self = shared_from_this()] {
      self->fill_chunk();
      net::post(self->stream_.get_executor(), [self] { self->write_chunk(); });
    });
  }

  void fill_chunk() {
    chunk_.clear();
    bool more = true;
    while (more && chunk_.empty()) more = batch_->next(&chunk_);
  }

  void write_chunk() {
    stream_.expires_after(milliseconds(limits().write_timeout_ms));
    if (!chunk_.empty()) {
      net::async_write(stream_, http::make_chunk(net::buffer(chunk_)),
                       beast::bind_front_handler(&Session::on_stream, shared_from_this()));
      return;
    }
    stream_done_ = true;
    net::async_write(stream_, http::make_chunk_last(), beast::bind_front_handler(&Session::on_stream, shared_from_this()));
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  Service& service_;
  net::thread_pool* work_;
  Reply pending_;
  std::unique_ptr<BatchStream> pending_batch_;
  std::optional<http::request_parser<http::string_body>> parser_;
  RequestContext ctx_;
  int status_ = 0;
  std::unique_ptr<BatchStream> batch_;
  std::unique_ptr<http::response<http::empty_body>> stream_res_;
  std::unique_ptr<http::response_serializer<http::empty_body>> stream_sr_;
  std::string chunk_;
  bool stream_keep_ = false, stream_done_ = false;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, Service& service, net::thread_pool* work)
      : ioc_(ioc), acceptor_(net::make_strand(ioc)), service_(service), work_(work) {}

  bool open(const tcp::endpoint& endpoint, std::string* error) {
    beast::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      *error = "cannot listen on " + endpoint.address().to_string() + ":" + std::to_string(endpoint.port()) + ": " +
               ec.message();
      return false;
    }
    return true;
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  void start() { accept(); }
  void close() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
    });
  }

 private:
  void accept() {
    acceptor_.async_accept(net::make_strand(ioc_), beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
  }
  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (!ec) {
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      if (service_.metrics().connections.load() >= static_cast<std::int64_t>(service_.config().limits.max_connections)) {
        refuse(std::move(socket));
      } else {
        std::make_shared<Session>(std::move(socket), service_, work_)->run();
      }
    }
    if (acceptor_.is_open()) accept();
  }
  // Over the connection limit: a 503 without reading the request, then close.
  void refuse(tcp::socket socket) {
    service_.metrics().rejected_overload.fetch_add(1);
    const std::string body = "{\"code\":\"overloaded\",\"message\":\"too many open connections; retry later\"}";
    auto msg = std::make_shared<std::string>(
        "HTTP/1.1 503 Service Unavailable\r\nServer: eligo-server\r\nContent-Type: application/json; charset=utf-8\r\n"
        "Retry-After: " + std::to_string(service_.config().limits.retry_after_s) +
        "\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    auto s = std::make_shared<tcp::socket>(std::move(socket));
    net::async_write(*s, net::buffer(*msg), [s, msg](beast::error_code, std::size_t) {
      beast::error_code ignored;
      s->shutdown(tcp::socket::shutdown_send, ignored);
    });
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  Service& service_;
  net::thread_pool* work_;
};

}  // namespace

struct HttpServer::Impl {
  explicit Impl(Service& s) : service(s) {}
  Service& service;
  net::io_context ioc;
  std::unique_ptr<net::thread_pool> work;  // only when the service has data sources
  std::shared_ptr<Listener> listener;
};

HttpServer::HttpServer(Service& service) : impl_(std::make_unique<Impl>(service)) {}
HttpServer::~HttpServer() = default;

bool HttpServer::listen(const std::string& host, std::uint16_t port, std::string* error) {
  beast::error_code ec;
  const std::string h = host == "localhost" ? "127.0.0.1" : host;
  const auto address = net::ip::make_address(h, ec);
  if (ec) {
    *error = "'" + host + "' is not an IP address";
    return false;
  }
  if (impl_->service.has_sources())
    impl_->work = std::make_unique<net::thread_pool>(std::max<std::uint32_t>(1, impl_->service.config().source_threads));
  impl_->listener = std::make_shared<Listener>(impl_->ioc, impl_->service, impl_->work.get());
  return impl_->listener->open(tcp::endpoint(address, port), error);
}

std::uint16_t HttpServer::port() const { return impl_->listener->port(); }

void HttpServer::run(unsigned threads, std::function<void()> on_sighup) {
  net::signal_set stop_signals(impl_->ioc, SIGINT, SIGTERM);
  stop_signals.async_wait([this](beast::error_code ec, int) {
    if (!ec) stop();
  });
  net::signal_set hup(impl_->ioc, SIGHUP);
  std::function<void(beast::error_code, int)> on_hup = [&](beast::error_code ec, int) {
    if (ec) return;
    if (on_sighup) on_sighup();
    hup.async_wait(on_hup);
  };
  hup.async_wait(on_hup);
  impl_->listener->start();
  impl_->service.ready = true;
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : pool) t.join();
  if (impl_->work) impl_->work->join();
}

void HttpServer::stop() {
  // Stop taking connections and answer what is in progress, then stop the I/O threads.
  impl_->service.ready = false;
  impl_->listener->close();
  auto timer = std::make_shared<net::steady_timer>(impl_->ioc, milliseconds(300));
  timer->async_wait([this, timer](beast::error_code) { impl_->ioc.stop(); });
}

}  // namespace eligo::server
