#include "server/config.hpp"

#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace eligo::server {

namespace {

using nlohmann::json;

struct Reader {
  std::string name;
  std::string* error;

  bool fail(const std::string& pointer, const std::string& message) {
    *error = name + ": " + (pointer.empty() ? "/" : pointer) + ": " + message;
    return false;
  }
  bool keys(const json& j, const std::string& pointer, const std::set<std::string>& allowed) {
    if (!j.is_object()) return fail(pointer, "expected an object");
    for (auto it = j.begin(); it != j.end(); ++it)
      if (!allowed.count(it.key())) return fail(pointer + "/" + it.key(), "unknown key");
    return true;
  }
  template <class T>
  bool uint(const json& j, const char* key, const std::string& pointer, T* out, std::uint64_t min = 0) {
    if (!j.contains(key)) return true;
    const json& v = j[key];
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() < min ||
        v.get<std::uint64_t>() > std::numeric_limits<T>::max())
      return fail(pointer + "/" + key, "expected a whole number from " + std::to_string(min) + " to " +
                                           std::to_string(std::numeric_limits<T>::max()));
    *out = static_cast<T>(v.get<std::uint64_t>());
    return true;
  }
  bool text(const json& j, const char* key, const std::string& pointer, std::string* out) {
    if (!j.contains(key)) return true;
    if (!j[key].is_string()) return fail(pointer + "/" + key, "expected a string");
    *out = j[key].get<std::string>();
    return true;
  }
  bool boolean(const json& j, const char* key, const std::string& pointer, bool* out) {
    if (!j.contains(key)) return true;
    if (!j[key].is_boolean()) return fail(pointer + "/" + key, "expected true or false");
    *out = j[key].get<bool>();
    return true;
  }
};

std::string resolve(const std::string& base, const std::string& path) {
  if (path.empty()) return path;
  std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  return (std::filesystem::path(base) / p).lexically_normal().string();
}

}  // namespace

bool parse_config(const std::string& text, const std::string& name, Config* out, std::string* error) {
  json j = json::parse(text, nullptr, false, /*ignore_comments=*/true);  // the example config is commented
  Reader r{name, error};
  if (j.is_discarded()) return r.fail("", "not valid JSON");
  if (!r.keys(j, "", {"listen", "packs", "api_keys", "threads", "metrics_need_key", "access_log", "limits",
                      "reload", "decision_log", "sources", "source_threads", "reports"}))
    return false;
  Config& c = *out;
  if (!r.text(j, "listen", "", &c.listen)) return false;
  if (j.contains("packs")) {
    const json& p = j["packs"];
    if (p.is_string()) c.packs = {p.get<std::string>()};
    else if (p.is_array()) {
      c.packs.clear();
      for (std::size_t i = 0; i < p.size(); ++i) {
        if (!p[i].is_string()) return r.fail("/packs/" + std::to_string(i), "expected a path");
        c.packs.push_back(p[i].get<std::string>());
      }
    } else {
      return r.fail("/packs", "expected a path or a list of paths");
    }
  }
  if (!r.text(j, "api_keys", "", &c.api_keys) || !r.text(j, "reports", "", &c.reports) ||
      !r.uint(j, "threads", "", &c.threads) || !r.uint(j, "source_threads", "", &c.source_threads, 1) ||
      !r.boolean(j, "metrics_need_key", "", &c.metrics_need_key) || !r.boolean(j, "access_log", "", &c.access_log))
    return false;
  if (j.contains("limits")) {
    const json& l = j["limits"];
    if (!r.keys(l, "/limits", {"body_bytes", "batch_body_bytes", "header_bytes", "header_timeout_ms",
                               "body_timeout_ms", "write_timeout_ms", "max_inflight", "max_connections",
                               "retry_after_s"}))
      return false;
    Limits& m = c.limits;
    if (!r.uint(l, "body_bytes", "/limits", &m.body_bytes, 1) ||
        !r.uint(l, "batch_body_bytes", "/limits", &m.batch_body_bytes, 1) ||
        !r.uint(l, "header_bytes", "/limits", &m.header_bytes, 256) ||
        !r.uint(l, "header_timeout_ms", "/limits", &m.header_timeout_ms, 1) ||
        !r.uint(l, "body_timeout_ms", "/limits", &m.body_timeout_ms, 1) ||
        !r.uint(l, "write_timeout_ms", "/limits", &m.write_timeout_ms, 1) ||
        !r.uint(l, "max_inflight", "/limits", &m.max_inflight, 1) ||
        !r.uint(l, "max_connections", "/limits", &m.max_connections, 1) ||
        !r.uint(l, "retry_after_s", "/limits", &m.retry_after_s, 1))
      return false;
  }
  if (j.contains("reload")) {
    const json& l = j["reload"];
    if (!r.keys(l, "/reload", {"watch", "poll_ms"}) || !r.boolean(l, "watch", "/reload", &c.reload.watch) ||
        !r.uint(l, "poll_ms", "/reload", &c.reload.poll_ms, 10))
      return false;
  }
  if (j.contains("decision_log")) {
    const json& l = j["decision_log"];
    if (!r.keys(l, "/decision_log", {"path", "hmac_key_env", "rotate_bytes"}) ||
        !r.text(l, "path", "/decision_log", &c.decision_log.path) ||
        !r.text(l, "hmac_key_env", "/decision_log", &c.decision_log.hmac_key_env) ||
        !r.uint(l, "rotate_bytes", "/decision_log", &c.decision_log.rotate_bytes))
      return false;
  }
  if (j.contains("sources")) {
    const json& s = j["sources"];
    if (!s.is_object()) return r.fail("/sources", "expected an object of sources by name");
    c.sources.clear();
    for (auto it = s.begin(); it != s.end(); ++it) {
      const std::string p = "/sources/" + it.key();
      const json& v = it.value();
      if (!r.keys(v, p, {"url", "method", "headers_from_env", "timeout_ms", "retries", "backoff_ms", "concurrency",
                         "breaker", "body_keys"}))
        return false;
      HttpSourceConfig h;
      h.name = it.key();
      if (!v.contains("url")) return r.fail(p, "a source needs a \"url\"");
      if (!r.text(v, "url", p, &h.url) || !r.text(v, "method", p, &h.method) ||
          !r.uint(v, "timeout_ms", p, &h.timeout_ms, 1) || !r.uint(v, "retries", p, &h.retries) ||
          !r.uint(v, "backoff_ms", p, &h.backoff_ms) || !r.uint(v, "concurrency", p, &h.concurrency, 1))
        return false;
      if (h.url.rfind("http://", 0) != 0) return r.fail(p + "/url", "only http:// URLs are supported");
      if (h.method != "GET" && h.method != "POST") return r.fail(p + "/method", "GET or POST");
      if (v.contains("headers_from_env")) {
        const json& hs = v["headers_from_env"];
        if (!hs.is_object()) return r.fail(p + "/headers_from_env", "expected an object header → variable");
        for (auto h2 = hs.begin(); h2 != hs.end(); ++h2) {
          if (!h2.value().is_string()) return r.fail(p + "/headers_from_env/" + h2.key(), "expected a variable name");
          h.headers_from_env[h2.key()] = h2.value().get<std::string>();
        }
      }
      if (v.contains("body_keys")) {
        const json& ks = v["body_keys"];
        if (!ks.is_array()) return r.fail(p + "/body_keys", "expected a list of inputs as \"group.field\"");
        for (std::size_t i = 0; i < ks.size(); ++i) {
          if (!ks[i].is_string() || ks[i].get<std::string>().find('.') == std::string::npos)
            return r.fail(p + "/body_keys/" + std::to_string(i), "expected an input as \"group.field\"");
          h.body_keys.push_back(ks[i].get<std::string>());
        }
        if (h.method != "POST") return r.fail(p + "/body_keys", "only a POST source sends a body");
      }
      if (v.contains("breaker")) {
        const json& b = v["breaker"];
        if (!r.keys(b, p + "/breaker", {"failures", "open_ms"}) ||
            !r.uint(b, "failures", p + "/breaker", &h.breaker_failures, 1) ||
            !r.uint(b, "open_ms", p + "/breaker", &h.breaker_open_ms, 1))
          return false;
      }
      c.sources.push_back(std::move(h));
    }
  }
  std::string host;
  std::uint16_t port = 0;
  if (!split_host_port(c.listen, &host, &port)) return r.fail("/listen", "expected HOST:PORT");
  for (auto& p : c.packs) p = resolve(c.base_dir, p);
  c.api_keys = resolve(c.base_dir, c.api_keys);
  c.decision_log.path = resolve(c.base_dir, c.decision_log.path);
  c.reports = resolve(c.base_dir, c.reports);
  return true;
}

bool load_config(const std::string& path, Config* out, std::string* error) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    *error = path + ": cannot open the file";
    return false;
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  out->base_dir = std::filesystem::path(path).parent_path().string();
  if (out->base_dir.empty()) out->base_dir = ".";
  return parse_config(ss.str(), path, out, error);
}

bool split_host_port(const std::string& listen, std::string* host, std::uint16_t* port) {
  std::string h, p;
  if (!listen.empty() && listen[0] == '[') {
    const std::size_t close = listen.find(']');
    if (close == std::string::npos || close + 1 >= listen.size() || listen[close + 1] != ':') return false;
    h = listen.substr(1, close - 1);
    p = listen.substr(close + 2);
  } else {
    const std::size_t colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0) return false;
    h = listen.substr(0, colon);
    p = listen.substr(colon + 1);
  }
  if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos) return false;
  const unsigned long n = std::stoul(p);
  if (n > 65535) return false;
  *host = h;
  *port = static_cast<std::uint16_t>(n);
  return true;
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

}  // namespace eligo::server
