// What eligo-server answers, apart from moving bytes: routing, authentication, options, evaluation and the
// JSON of every route. The Beast session (http_server.cpp) calls admit() once a request's headers are in
// — before its body is read — and handle() once the body is in. Nothing here blocks on the network except
// a pack's HTTP data sources, which are bounded by their timeouts.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json_dump.hpp"
#include "eligo/pack.hpp"
#include "server/api_keys.hpp"
#include "server/config.hpp"
#include "server/metrics.hpp"
#include "server/pack_registry.hpp"

namespace eligo::audit {
class Writer;
}

namespace eligo::server {

class Dashboard;  // server/dashboard.hpp

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
};


// {"code": ..., "message": ..., "request_id": ...}: codes are stable (docs/server.md lists them).
Reply error_reply(int status, std::string_view code, std::string_view message, std::string_view request_id);

struct Route {
  RouteId id = RouteId::other;
  std::string pack_id;     // for the /v1/packs/{id}… routes
  bool method_ok = true;
  const char* allow = "";  // the Allow header when the method is wrong
  bool has_body = false;   // POST routes read a body
};
Route match_route(std::string_view method, std::string_view path);

// The state of one request between its headers and its answer.
struct RequestContext {
  std::string request_id;
  Route route;
  std::string path, query;           // target split at '?'
  const ApiKey* key = nullptr;       // the authenticated key (null when the server runs without keys)
  std::shared_ptr<const PackSnapshot> packs;  // the set this request runs on, held to its end
  std::chrono::steady_clock::time_point start;
  std::size_t body_limit = 0;
  bool admitted = false;             // holds an in-flight slot (released by finish())
};

// Streams evaluate-batch results: next() appends up to a chunk of JSON Lines to *out; false when done.
class BatchStream {
 public:
  virtual ~BatchStream() = default;
  virtual bool next(std::string* out) = 0;
};

class Service {
 public:
  Service(Config config, ApiKeys keys, std::shared_ptr<PackRegistry> registry);
  ~Service();
  void set_decision_log(std::shared_ptr<audit::Writer> writer);
  // The HTTP data sources (http_source.hpp) evaluations fetch from; without them a group with a "source"
  // that the request does not carry is "unavailable".
  void set_sources(std::shared_ptr<DataSource> sources) { sources_ = std::move(sources); }
  bool has_sources() const { return sources_ != nullptr; }

  // Called with the headers only. Returns a reply when the request is refused or answered without a body
  // (401, 403, 404, 405, 413, 503…); nullopt when its body should now be read, up to ctx->body_limit.
  std::optional<Reply> admit(std::string_view method, std::string_view target, std::string_view auth_header,
                             std::string_view api_key_header, std::string_view request_id_header,
                             std::optional<std::uint64_t> content_length, RequestContext* ctx);
  // Called with the whole body. For evaluate-batch, *batch is set and the reply carries only the status and
  // headers; the session then streams the rows.
  Reply handle(RequestContext& ctx, std::string&& body, std::unique_ptr<BatchStream>* batch);
  // Records the answered request (metrics, access log) and releases its in-flight slot if it had one.
  void finish(const RequestContext& ctx, int status, bool admitted);
  // Frees an admitted request's in-flight slot (when its answer is ready).
  void release() { metrics_.in_flight.fetch_sub(1); }

  Metrics& metrics() { return metrics_; }
  const Config& config() const { return config_; }
  PackRegistry& registry() { return *registry_; }
  Dashboard& dashboard() { return *dashboard_; }
  std::atomic<bool> ready{false};
  std::string new_request_id();

 private:
  struct EvalRequest;
  Reply evaluate(RequestContext& ctx, std::string&& body, std::unique_ptr<BatchStream>* batch);
  Reply list_packs(const RequestContext& ctx);
  Reply show_pack(const RequestContext& ctx);
  Reply status(const RequestContext& ctx);
  bool parse_eval_options(const RequestContext& ctx, EvalRequest* out, Reply* error);

  Config config_;
  ApiKeys keys_;
  std::shared_ptr<PackRegistry> registry_;
  std::shared_ptr<audit::Writer> audit_;
  std::shared_ptr<DataSource> sources_;
  Metrics metrics_;
  std::unique_ptr<Dashboard> dashboard_;  // /dashboard and /v1/dashboard/… (docs/dashboard.md)
  std::string id_prefix_;
  std::atomic<std::uint64_t> next_id_{1};
};

}  // namespace eligo::server
