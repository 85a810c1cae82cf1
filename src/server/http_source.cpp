#include "core/json_dump.hpp"
#include "server/http_source.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdlib>
#include <thread>

#include <nlohmann/json.hpp>

namespace eligo::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

constexpr std::uint64_t kResponseLimit = 8u << 20;  // a group's record; more is a broken source

// "http://host:port/path/{applicant.id_number}?q={x.y}" split into its parts.
struct UrlTemplate {
  std::string host, port, target;
  std::vector<std::pair<std::string, std::string>> pieces;  // literal text, then a placeholder path ("" at the end)
};

bool parse_url(const std::string& url, UrlTemplate* out, std::string* error) {
  const std::string rest = url.substr(7);  // after "http://" (config.cpp checked the scheme)
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  out->target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (authority.find('{') != std::string::npos) {
    *error = "a placeholder may not stand in the host";
    return false;
  }
  if (!authority.empty() && authority[0] == '[') {
    const auto close = authority.find(']');
    if (close == std::string::npos) {
      *error = "an IPv6 host needs its closing ']'";
      return false;
    }
    out->host = authority.substr(1, close - 1);
    out->port = close + 1 < authority.size() && authority[close + 1] == ':' ? authority.substr(close + 2) : "80";
  } else {
    const auto colon = authority.rfind(':');
    out->host = authority.substr(0, colon);
    out->port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
  }
  if (out->host.empty() || out->port.empty() || out->port.find_first_not_of("0123456789") != std::string::npos) {
    *error = "expected http://HOST[:PORT]/PATH";
    return false;
  }
  std::size_t pos = 0;
  const std::string& t = out->target;
  while (pos <= t.size()) {
    const auto open = t.find('{', pos);
    if (open == std::string::npos) {
      out->pieces.emplace_back(t.substr(pos), "");
      break;
    }
    const auto close = t.find('}', open);
    if (close == std::string::npos) {
      *error = "a '{' without its '}'";
      return false;
    }
    const std::string path = t.substr(open + 1, close - open - 1);
    if (path.find('.') == std::string::npos || path.find_first_of("{} /") != std::string::npos) {
      *error = "a placeholder names an input as {group.field}: {" + path + "}";
      return false;
    }
    out->pieces.emplace_back(t.substr(pos, open - pos), path);
    pos = close + 1;
  }
  return true;
}

std::string percent_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string o;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      o += static_cast<char>(c);
    } else {
      o += '%';
      o += hex[c >> 4];
      o += hex[c & 15];
    }
  }
  return o;
}

struct Attempt {
  int status = 0;         // the HTTP status, 0 when no answer came
  std::string body;
  std::string failure;    // why no answer came ("timed out after 2000 ms", "connection refused")
};

}  // namespace

struct HttpSources::Endpoint {
  HttpSourceConfig config;
  UrlTemplate url;
  tcp::resolver::results_type addresses;
  std::vector<std::pair<std::string, std::string>> headers;  // resolved from the environment at start-up

  std::mutex mu;
  std::condition_variable cv;
  std::uint32_t in_use = 0;
  std::uint32_t failures_in_a_row = 0;
  Clock::time_point open_until{};
  bool probing = false;  // half-open: one call is trying the source

  Attempt send(const std::string& target, const std::string& body) {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    net::steady_timer deadline(ioc);
    http::request<http::string_body> req{config.method == "POST" ? http::verb::post : http::verb::get, target, 11};
    req.set(http::field::host, url.host + ":" + url.port);
    req.set(http::field::user_agent, "eligo-server");
    req.set(http::field::accept, "application/json");
    for (const auto& [k, v] : headers) req.set(k, v);
    if (config.method == "POST") {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
    }
    req.keep_alive(false);
    req.prepare_payload();
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kResponseLimit);
    Attempt a;
    bool timed_out = false;
    deadline.expires_after(milliseconds(config.timeout_ms));
    deadline.async_wait([&](const beast::error_code& ec) {
      if (ec) return;
      timed_out = true;
      stream.close();
    });
    auto fail = [&](const beast::error_code& ec, const char* stage) {
      if (!a.failure.empty()) return;
      if (timed_out)
        a.failure = "timed out after " + std::to_string(config.timeout_ms) + " ms";
      else if (ec == net::error::connection_refused)
        a.failure = "connection refused";
      else if (ec == http::error::body_limit)
        a.failure = "the answer is larger than " + std::to_string(kResponseLimit) + " bytes";
      else
        a.failure = std::string(stage) + ": " + ec.message();
      deadline.cancel();
    };
    stream.async_connect(addresses, [&](const beast::error_code& ec, const tcp::endpoint&) {
      if (ec) return fail(ec, "connect");
      http::async_write(stream, req, [&](const beast::error_code& ec2, std::size_t) {
        if (ec2) return fail(ec2, "send");
        http::async_read(stream, buffer, parser, [&](const beast::error_code& ec3, std::size_t) {
          if (ec3) return fail(ec3, "read");
          a.status = static_cast<int>(parser.get().result_int());
          a.body = std::move(parser.get().body());
          deadline.cancel();
          beast::error_code ignored;
          stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        });
      });
    });
    ioc.run();
    if (a.status == 0 && a.failure.empty()) a.failure = "no answer";
    return a;
  }
};

std::unique_ptr<HttpSources> HttpSources::create(const std::vector<HttpSourceConfig>& sources, std::string* error) {
  std::unique_ptr<HttpSources> out(new HttpSources());
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  for (const auto& c : sources) {
    auto e = std::make_unique<Endpoint>();
    e->config = c;
    std::string why;
    if (!parse_url(c.url, &e->url, &why)) {
      *error = "source \"" + c.name + "\": url: " + why;
      return nullptr;
    }
    beast::error_code ec;
    e->addresses = resolver.resolve(e->url.host, e->url.port, ec);
    if (ec) {
      *error = "source \"" + c.name + "\": cannot resolve " + e->url.host + ": " + ec.message();
      return nullptr;
    }
    for (const auto& [header, variable] : c.headers_from_env) {
      const char* v = std::getenv(variable.c_str());
      if (!v) {
        *error = "source \"" + c.name + "\": header " + header + " needs the environment variable " + variable +
                 ", which is not set";
        return nullptr;
      }
      e->headers.emplace_back(header, v);
    }
    out->sources_[c.name] = std::move(e);
  }
  return out;
}

HttpSources::~HttpSources() = default;

std::optional<std::string> HttpSources::fetch(const SourceRequest& request) {
  auto it = sources_.find(request.source);
  if (it == sources_.end()) throw SourceError("no endpoint is configured for this source");
  Endpoint& e = *it->second;

  // The lookup keys, from the input given up front.
  std::string target;
  nlohmann::json keys = nlohmann::json::object();
  for (const auto& [literal, path] : e.url.pieces) {
    target += literal;
    if (path.empty()) continue;
    const std::string value = request.input ? request.input->text(path) : std::string();
    if (value.empty()) throw SourceError("the lookup key " + path + " is not given");
    target += percent_encode(value);
    if (e.config.body_keys.empty()) keys[path] = value;
  }
  for (const auto& path : e.config.body_keys) {
    const std::string value = request.input ? request.input->text(path) : std::string();
    if (value.empty()) throw SourceError("the lookup key " + path + " is not given");
    keys[path] = value;
  }
  const std::string body = e.config.method == "POST" ? eligo::json_dump(keys) : std::string();

  const auto timeout = milliseconds(e.config.timeout_ms);
  bool probe = false;
  {
    std::unique_lock<std::mutex> lock(e.mu);
    const auto now = Clock::now();
    if (e.failures_in_a_row >= e.config.breaker_failures) {
      if (now < e.open_until || e.probing) throw SourceError("circuit open");
      e.probing = probe = true;  // half-open: this call tries the source
    }
    if (!e.cv.wait_until(lock, now + timeout, [&] { return e.in_use < e.config.concurrency; })) {
      if (probe) e.probing = false;
      throw SourceError("too many calls at once (concurrency " + std::to_string(e.config.concurrency) + ")");
    }
    ++e.in_use;
  }

  Attempt a;
  std::string failure;
  for (std::uint32_t n = 0; n <= e.config.retries; ++n) {
    if (n > 0) std::this_thread::sleep_for(milliseconds(static_cast<std::uint64_t>(e.config.backoff_ms) << (n - 1)));
    a = e.send(target, body);
    if (a.status == 200 || a.status == 404) {
      failure.clear();
      break;
    }
    failure = a.status ? "HTTP " + std::to_string(a.status) : a.failure;
    if (a.status >= 400 && a.status < 500) break;  // the request itself is wrong: retrying will not help
    if (probe) break;                               // a half-open circuit tries once
  }

  {
    std::lock_guard<std::mutex> lock(e.mu);
    --e.in_use;
    if (probe) e.probing = false;
    if (failure.empty()) {
      e.failures_in_a_row = 0;
    } else if (++e.failures_in_a_row >= e.config.breaker_failures) {
      e.open_until = Clock::now() + milliseconds(e.config.breaker_open_ms);
    }
  }
  e.cv.notify_one();
  if (!failure.empty()) throw SourceError(failure);
  if (a.status == 404) return std::nullopt;
  return std::move(a.body);
}

}  // namespace eligo::server
