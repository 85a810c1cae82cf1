// Prometheus text exposition of what the server did: requests and their latency by route and status,
// decisions by pack and verdict, data-source calls by source and outcome, reloads, in-flight requests.
// Counters are atomics in fixed tables (routes and statuses are known in advance), so recording costs no
// lock on the request path; the few keyed by pack or source name take a short lock.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace eligo::server {

enum class RouteId : int { evaluate, evaluate_batch, packs, pack, status, healthz, readyz, metrics, dashboard, reconcile, other, count };
const char* route_name(RouteId r);

class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                      0.01,   0.025,   0.05,   0.1,   0.5,    2.5};
  void request(RouteId route, int status, double seconds);
  void decision(const std::string& pack, const char* verdict, std::uint64_t n = 1);
  void source_call(const std::string& source, const std::string& outcome);
  void reload(bool ok);
  std::atomic<std::int64_t> in_flight{0};
  std::atomic<std::int64_t> connections{0};
  std::atomic<std::uint64_t> rejected_overload{0};
  std::atomic<std::uint64_t> dropped_timeouts{0};
  std::string render() const;

 private:
  static constexpr int kStatuses = 14;
  static int status_index(int status);
  struct Histogram {
    std::array<std::atomic<std::uint64_t>, kBuckets.size()> buckets{};
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_ns{0};
  };
  std::array<std::array<Histogram, kStatuses>, static_cast<int>(RouteId::count)> requests_{};
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> decisions_, source_calls_;
  std::atomic<std::uint64_t> reloads_ok_{0}, reloads_failed_{0};
};

}  // namespace eligo::server
