// HTTP data sources: a pack's group declared with "source": "hrss" is fetched from the endpoint configured
// under that name (config.hpp, HttpSourceConfig), only when a check first reads it — a failing earlier check
// spares the later sources. One HttpSources serves every request; it is thread-safe.
//
// A call: the URL template's {group.field} placeholders are filled with the applicant's values given up front
// (percent-encoded; POST sends them as a JSON object instead), headers come from environment variables read
// at start-up, each attempt is bounded by timeout_ms from connect to the last byte.
//   200 with a JSON object  → the group's facts                 (outcome "ok")
//   404                     → no record for this applicant      (outcome "no record"; not retried)
//   timeout, refused, 5xx   → retried `retries` times after backoff_ms × 2^(n-1), then "failed: …"
//   other 4xx               → "failed: HTTP 4xx" at once
// `concurrency` calls run at once per source; more wait up to timeout_ms, then fail. After
// breaker_failures failed calls in a row the circuit opens: calls fail at once ("failed: circuit open") for
// breaker_open_ms, then one call at a time is let through until one succeeds.
// Failure messages never hold the applicant's key or the URL (which carries it).
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "eligo/pack.hpp"
#include "server/config.hpp"

namespace eligo::server {

class HttpSources : public DataSource {
 public:
  // false and *error (naming the source and the missing variable or bad URL) when a source cannot be set up.
  static std::unique_ptr<HttpSources> create(const std::vector<HttpSourceConfig>& sources, std::string* error);
  ~HttpSources() override;

  std::optional<std::string> fetch(const SourceRequest& request) override;

 private:
  struct Endpoint;
  HttpSources() = default;
  std::map<std::string, std::unique_ptr<Endpoint>, std::less<>> sources_;
};

}  // namespace eligo::server
