#include "server/metrics.hpp"

#include <cstdio>

namespace eligo::server {

namespace {
constexpr int kStatusCodes[] = {200, 400, 401, 403, 404, 405, 413, 415, 422, 431, 500, 503, 504, 0};

std::string escape_label(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}
}  // namespace

const char* route_name(RouteId r) {
  switch (r) {
    case RouteId::evaluate: return "/v1/packs/{id}/evaluate";
    case RouteId::evaluate_batch: return "/v1/packs/{id}/evaluate-batch";
    case RouteId::packs: return "/v1/packs";
    case RouteId::pack: return "/v1/packs/{id}";
    case RouteId::status: return "/v1/status";
    case RouteId::healthz: return "/healthz";
    case RouteId::readyz: return "/readyz";
    case RouteId::metrics: return "/metrics";
    case RouteId::dashboard: return "/dashboard";
    case RouteId::reconcile: return "/v1/reconcile";
    default: return "other";
  }
}

int Metrics::status_index(int status) {
  for (int i = 0; i < kStatuses - 1; ++i)
    if (kStatusCodes[i] == status) return i;
  return kStatuses - 1;  // any other status
}

void Metrics::request(RouteId route, int status, double seconds) {
  Histogram& h = requests_[static_cast<int>(route)][status_index(status)];
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) {
      h.buckets[i].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  h.count.fetch_add(1, std::memory_order_relaxed);
  h.sum_ns.fetch_add(static_cast<std::uint64_t>(seconds * 1e9), std::memory_order_relaxed);
}

void Metrics::decision(const std::string& pack, const char* verdict, std::uint64_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  decisions_[{pack, verdict}] += n;
}

void Metrics::source_call(const std::string& source, const std::string& outcome) {
  std::lock_guard<std::mutex> lock(mu_);
  source_calls_[{source, outcome}] += 1;
}

void Metrics::reload(bool ok) { (ok ? reloads_ok_ : reloads_failed_).fetch_add(1); }

std::string Metrics::render() const {
  std::string o;
  o += "# HELP eligo_http_requests_total HTTP requests answered, by route and status.\n";
  o += "# TYPE eligo_http_requests_total counter\n";
  std::string hist;
  hist += "# HELP eligo_http_request_duration_seconds Time from the request's headers to its response.\n";
  hist += "# TYPE eligo_http_request_duration_seconds histogram\n";
  for (int r = 0; r < static_cast<int>(RouteId::count); ++r)
    for (int s = 0; s < kStatuses; ++s) {
      const Histogram& h = requests_[r][s];
      const std::uint64_t count = h.count.load(std::memory_order_relaxed);
      if (!count) continue;
      const std::string labels = std::string("route=\"") + route_name(static_cast<RouteId>(r)) + "\",status=\"" +
                                 (kStatusCodes[s] ? std::to_string(kStatusCodes[s]) : std::string("other")) + "\"";
      o += "eligo_http_requests_total{" + labels + "} " + std::to_string(count) + "\n";
      std::uint64_t cumulative = 0;
      for (std::size_t b = 0; b < kBuckets.size(); ++b) {
        cumulative += h.buckets[b].load(std::memory_order_relaxed);
        hist += "eligo_http_request_duration_seconds_bucket{" + labels + ",le=\"" + num(kBuckets[b]) + "\"} " +
                std::to_string(cumulative) + "\n";
      }
      hist += "eligo_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " + std::to_string(count) + "\n";
      hist += "eligo_http_request_duration_seconds_sum{" + labels + "} " +
              num(static_cast<double>(h.sum_ns.load(std::memory_order_relaxed)) / 1e9) + "\n";
      hist += "eligo_http_request_duration_seconds_count{" + labels + "} " + std::to_string(count) + "\n";
    }
  o += hist;
  o += "# HELP eligo_http_requests_in_flight Requests admitted and not yet answered.\n";
  o += "# TYPE eligo_http_requests_in_flight gauge\n";
  o += "eligo_http_requests_in_flight " + std::to_string(in_flight.load()) + "\n";
  o += "# HELP eligo_http_connections Open client connections.\n# TYPE eligo_http_connections gauge\n";
  o += "eligo_http_connections " + std::to_string(connections.load()) + "\n";
  o += "# HELP eligo_http_overload_rejections_total Requests answered 503 because the server was full.\n";
  o += "# TYPE eligo_http_overload_rejections_total counter\n";
  o += "eligo_http_overload_rejections_total " + std::to_string(rejected_overload.load()) + "\n";
  o += "# HELP eligo_http_timeouts_total Connections closed by a timeout (slow headers, body or reading; idle keep-alive).\n";
  o += "# TYPE eligo_http_timeouts_total counter\n";
  o += "eligo_http_timeouts_total " + std::to_string(dropped_timeouts.load()) + "\n";
  {
    std::lock_guard<std::mutex> lock(mu_);
    o += "# HELP eligo_decisions_total Decisions made, by pack and verdict.\n# TYPE eligo_decisions_total counter\n";
    for (const auto& [k, v] : decisions_)
      o += "eligo_decisions_total{pack=\"" + escape_label(k.first) + "\",verdict=\"" + escape_label(k.second) + "\"} " +
           std::to_string(v) + "\n";
    o += "# HELP eligo_source_calls_total Data-source calls, by source and outcome.\n";
    o += "# TYPE eligo_source_calls_total counter\n";
    for (const auto& [k, v] : source_calls_)
      o += "eligo_source_calls_total{source=\"" + escape_label(k.first) + "\",outcome=\"" + escape_label(k.second) +
           "\"} " + std::to_string(v) + "\n";
  }
  o += "# HELP eligo_reloads_total Pack reloads, by result.\n# TYPE eligo_reloads_total counter\n";
  o += "eligo_reloads_total{result=\"ok\"} " + std::to_string(reloads_ok_.load()) + "\n";
  o += "eligo_reloads_total{result=\"failed\"} " + std::to_string(reloads_failed_.load()) + "\n";
  return o;
}

}  // namespace eligo::server
