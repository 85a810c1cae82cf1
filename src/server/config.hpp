// eligo-server's configuration: one JSON file (docs/server.md documents every key), with --listen and
// --packs overriding it. Unknown keys are errors that name their JSON pointer, like a pack's.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace eligo::server {

struct Limits {
  std::size_t body_bytes = 1u << 20;          // one applicant; larger → 413 before the body is read
  std::size_t batch_body_bytes = 64u << 20;   // evaluate-batch
  std::size_t header_bytes = 16u << 10;       // request line and headers; larger → 431
  std::uint32_t header_timeout_ms = 10'000;   // to receive a request's headers (and idle keep-alive)
  std::uint32_t body_timeout_ms = 30'000;     // to receive its body
  std::uint32_t write_timeout_ms = 30'000;    // to send a response (a client that stops reading is dropped)
  std::uint32_t max_inflight = 512;           // requests admitted at once; more → 503 with Retry-After
  std::uint32_t max_connections = 4096;       // open connections; more are answered 503 and closed
  std::uint32_t retry_after_s = 1;            // the Retry-After of a 503
};

struct ReloadConfig {
  bool watch = true;                // poll the packs folders for changed, added or removed files
  std::uint32_t poll_ms = 2'000;
};

struct DecisionLogConfig {
  std::string path;                 // "" = no decision log
  std::string hmac_key_env = "ELIGO_AUDIT_KEY";  // the environment variable holding the input-hash key
  std::uint64_t rotate_bytes = 0;   // 0 = never rotate
};

struct HttpSourceConfig {
  std::string name;                 // the source named in packs ("hrss")
  std::string url;                  // http://host:port/path/{applicant.id_number}
  std::string method = "GET";       // GET, or POST (the lookup keys as a JSON object body)
  std::vector<std::string> body_keys;  // POST: the inputs sent ("applicant.id_number"); default the URL's placeholders
  std::map<std::string, std::string> headers_from_env;  // header → environment variable
  std::uint32_t timeout_ms = 2'000; // per attempt, connect to last byte
  std::uint32_t retries = 1;        // extra attempts after a failure (not after 404)
  std::uint32_t backoff_ms = 100;   // before retry n: backoff_ms × 2^(n-1)
  std::uint32_t concurrency = 16;   // calls at once; more wait (within the timeout) then fail
  std::uint32_t breaker_failures = 5;   // consecutive failures that open the circuit
  std::uint32_t breaker_open_ms = 10'000;  // how long an open circuit fails calls at once
};

struct Config {
  std::string listen = "127.0.0.1:8080";
  std::vector<std::string> packs;   // folders (and their subfolders one level down) or .pack.json files
  std::string api_keys;             // keys file; "" = no keys (only on a loopback address)
  std::string reports;              // the dashboard's reconciliation reports folder (docs/dashboard.md); "" = none
  std::uint32_t threads = 0;        // 0 = the number of cores
  std::uint32_t source_threads = 32;  // with "sources": threads that evaluate while waiting on them
  bool metrics_need_key = false;    // /metrics behind an API key too
  bool access_log = false;          // one line per request on stderr
  Limits limits;
  ReloadConfig reload;
  DecisionLogConfig decision_log;
  std::vector<HttpSourceConfig> sources;
  std::string base_dir = ".";       // the config file's folder: relative paths are resolved against it
};

// Reads `path` into *out. false and *error ("config.json: /limits/body_bytes: …") when it cannot.
bool load_config(const std::string& path, Config* out, std::string* error);
bool parse_config(const std::string& text, const std::string& name, Config* out, std::string* error);

// "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:80". false when malformed.
bool split_host_port(const std::string& listen, std::string* host, std::uint16_t* port);
bool is_loopback(const std::string& host);

}  // namespace eligo::server
