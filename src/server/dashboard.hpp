// eligo-server's dashboard (docs/dashboard.md): GET /dashboard (the page from src/dashboard/ with ECharts from
// the installed package) and its JSON data routes under /v1/dashboard/:
//   reports    the reconciliation reports in the reports folder, newest first (picked up as they appear)
//   payouts    one report's view (?report=ID; default the newest): the dashboard.json `eligo reconcile` wrote
//   reports/ID/reconciliation.xlsx   the report's workbook
//   decisions  this server's decisions per pack and version: by verdict, failing checks, missing facts,
//              points, per minute — counted as they are made
// The page and its scripts hold no data and need no key; every data route needs a key allowed the dashboard
// ("dashboard": true in the keys file) when the server has keys.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "eligo/pack.hpp"
#include "core/utc_clock.hpp"
#include "server/api_keys.hpp"
#include "server/pack_registry.hpp"

namespace eligo::server {

struct Reply;
struct RequestContext;

// Decisions as the dashboard counts them. Thread-safe; one short lock per decision.
class DecisionStats {
 public:
  void record(const Decision& d);
  // Counts the decisions of an existing decision log (its rotated files first, read by the one record
  // reader), so the dashboard covers more than this run. The log holds verdicts, failed checks (ids, no
  // labels) and totals, not the missing facts: those count from this run only. false and *error when the
  // log cannot be read; lines that are not decisions are counted in "log.skipped", never silently.
  bool seed_from_log(const std::string& path, std::string* error);
  // {"format": "eligo.dashboard.decisions/1", "since": …, "packs": [...]}: every pack, for any key allowed
  // the dashboard (its "packs" govern evaluation, not looking).
  std::string json() const;

 private:
  struct PerPack {
    std::uint64_t total = 0;
    std::map<std::string, std::uint64_t> by_verdict;
    std::map<std::string, std::pair<std::string, std::uint64_t>> failing;  // check id → (label, count)
    std::map<std::string, std::uint64_t> missing;                          // fact path → count
    std::map<std::int64_t, std::uint64_t> points;                          // bucket start (×10) → count
    std::map<std::string, std::map<std::string, std::uint64_t>> minutes;   // "2026-11-29T07:10Z" → verdicts
  };
  PerPack& at(std::string_view pack, std::string_view version, std::string_view verdict, const std::string& minute);
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, PerPack> packs_;  // (pack id, version)
  std::string log_path_;
  std::uint64_t log_read_ = 0, log_skipped_ = 0;
  std::string since_ = eligo::detail::utc_now_text(true);
};

// Reconciliation reports: each subfolder of the reports folder that holds a dashboard.json.
class ReportsFolder {
 public:
  explicit ReportsFolder(std::string dir) : dir_(std::move(dir)) {}
  struct Entry {
    std::string id;          // the subfolder's name
    std::string path;        // its dashboard.json
    std::int64_t mtime = 0;  // nanoseconds, for newest-first and the cache
    std::uintmax_t size = 0;
    std::string text;        // the file, served as written (one writer: src/dashboard/payout_view.cpp)
    std::string source, cutoff, modified;
    std::uint64_t orders = 0, anomalies = 0;
    bool has_workbook = false;
    std::string problem;     // why it is not served ("" = served)
  };
  // Rescans the folder (new, changed and removed reports) and returns the list, newest first.
  std::vector<Entry> scan();
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::mutex mu_;
  std::map<std::string, Entry> cache_;  // by id
};

class Dashboard {
 public:
  explicit Dashboard(std::string reports_dir);
  // GET /dashboard… and /v1/dashboard/…: the reply (ctx has passed authentication already).
  Reply handle(const RequestContext& ctx);
  // POST /v1/reconcile: the uploaded files reconciled into a new report of the reports folder.
  Reply reconcile(const RequestContext& ctx, const std::string& body);
  DecisionStats& decisions() { return decisions_; }
  // Said once at start-up: where the page's ECharts and the reports come from, or why they are missing.
  std::string describe() const;

 private:
  Reply page_asset(const RequestContext& ctx);
  std::string echarts_js_, echarts_error_;
  std::unique_ptr<ReportsFolder> reports_;
  DecisionStats decisions_;
};

}  // namespace eligo::server
