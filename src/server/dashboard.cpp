#include "server/dashboard.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "dashboard/page.hpp"
#include "eligo/audit.hpp"
#include "eligo/records.hpp"
#include "dashboard/payout_view.hpp"
#include "eligo/payout.hpp"
#include "server/service.hpp"

namespace eligo::server {

using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

std::string minute_utc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[24];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%MZ", &tm);
  return buf;
}

bool valid_report_id(std::string_view s) {
  if (s.empty() || s.size() > 200 || s[0] == '.') return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

std::string read_file(const std::string& path, bool* ok) {
  std::ifstream f(path, std::ios::binary);
  *ok = static_cast<bool>(f);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string query_value(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const std::size_t eq = part.find('=');
    if (part.substr(0, eq) == name) return eq == std::string_view::npos ? "" : std::string(part.substr(eq + 1));
  }
  return "";
}

std::string iso_time(std::int64_t ns) {
  const std::time_t t = static_cast<std::time_t>(ns / 1000000000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

// ─── Decisions ──────────────────────────────────────────────────────────────────────────────────────────

DecisionStats::PerPack& DecisionStats::at(std::string_view pack, std::string_view version, std::string_view verdict,
                                          const std::string& minute) {
  PerPack& p = packs_[{std::string(pack), std::string(version)}];
  ++p.total;
  ++p.by_verdict[std::string(verdict)];
  ++p.minutes[minute][std::string(verdict)];
  return p;
}

bool DecisionStats::seed_from_log(const std::string& path, std::string* error) {
  std::lock_guard<std::mutex> lock(mu_);
  log_path_ = path;
  for (const std::string& file : audit::chain_files(path)) {
    std::error_code ec;
    if (!fs::exists(file, ec)) continue;  // a new log: nothing yet
    records::RecordReader reader;
    records::ReadOptions options;
    options.format = records::Format::jsonl;
    if (!reader.open(file, options, error)) return false;
    for (;;) {
      const records::Next next = reader.next();
      if (next == records::Next::end) break;
      if (next == records::Next::error) {
        *error = reader.error();
        return false;
      }
      if (next == records::Next::bad_row) {
        ++log_skipped_;
        continue;
      }
      const Json line = Json::parse(reader.json(), nullptr, false);
      const auto text = [&](const Json& j, const char* key) {
        return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
      };
      const Json pack = line.is_object() && line.contains("pack") ? line["pack"] : Json();
      const std::string id = text(pack, "id"), version = text(pack, "version"), verdict = text(line, "verdict"),
                        time = text(line, "time");
      if (id.empty() || verdict.empty() || time.size() < 16) {
        ++log_skipped_;
        continue;
      }
      ++log_read_;
      PerPack& p = at(id, version, verdict, time.substr(0, 16) + "Z");
      if (line.contains("reasons") && line["reasons"].is_array())
        for (const Json& r : line["reasons"])
          if (text(r, "status") == "failed" && !text(r, "check").empty()) ++p.failing[text(r, "check")].second;
      if (line.contains("total") && line["total"].is_string() && verdict != "error")
        if (const auto total = Decimal::parse(line["total"].get<std::string>())) {
          Decimal bucket;
          if (Decimal::floor_div(*total, Decimal::from_int(10), &bucket))
            if (const auto b = bucket.to_int64()) ++p.points[*b * 10];
        }
    }
  }
  return true;
}

void DecisionStats::record(const Decision& d) {
  const std::string minute = minute_utc();
  std::lock_guard<std::mutex> lock(mu_);
  PerPack& p = at(d.pack_id, d.version, verdict_name(d.verdict), minute);
  // Ids, labels and field paths only: reasons may quote applicant values.
  for (const CheckResult& c : d.checks) {
    if (c.status == CheckStatus::failed) {
      auto& f = p.failing[std::string(c.id)];
      if (f.first.empty()) f.first = std::string(c.label.empty() ? c.id : c.label);
      ++f.second;
    }
    for (const std::string& m : c.missing) ++p.missing[m];
  }
  for (const ItemResult& item : d.items)
    for (const std::string& m : item.missing) ++p.missing[m];
  if (d.scored && d.verdict != Verdict::error) {
    Decimal bucket;
    if (Decimal::floor_div(d.total, Decimal::from_int(10), &bucket))
      if (const auto b = bucket.to_int64()) ++p.points[*b * 10];
  }
}

std::string DecisionStats::json() const {
  std::lock_guard<std::mutex> lock(mu_);
  Json packs = Json::array();
  for (const auto& [id, p] : packs_) {
    Json verdicts = Json::object();
    for (const char* v : {"eligible", "ineligible", "needs_evidence", "error"}) {
      const auto it = p.by_verdict.find(v);
      verdicts[v] = it == p.by_verdict.end() ? 0 : it->second;
    }
    std::vector<std::tuple<std::string, std::string, std::uint64_t>> failing;
    for (const auto& [check, f] : p.failing) failing.emplace_back(check, f.first, f.second);
    std::stable_sort(failing.begin(), failing.end(),
                     [](const auto& a, const auto& b) { return std::get<2>(a) > std::get<2>(b); });
    Json failing_json = Json::array();
    for (const auto& [check, label, n] : failing)
      failing_json.push_back(Json{{"check", check}, {"label", label.empty() ? check : label}, {"count", n}});
    std::vector<std::pair<std::string, std::uint64_t>> missing(p.missing.begin(), p.missing.end());
    std::stable_sort(missing.begin(), missing.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    Json missing_json = Json::array();
    for (const auto& [fact, n] : missing) missing_json.push_back(Json{{"fact", fact}, {"count", n}});
    Json points = Json::array();
    for (const auto& [from, n] : p.points)
      points.push_back(Json{{"from", from}, {"range", "[" + std::to_string(from) + ", " + std::to_string(from + 10) + ")"},
                            {"count", n}});
    Json minutes = Json::array();
    for (const auto& [minute, v] : p.minutes) {
      Json m{{"minute", minute}};
      for (const auto& [verdict, n] : v) m[verdict] = n;
      minutes.push_back(std::move(m));
    }
    packs.push_back(Json{{"pack", id.first},
                         {"version", id.second},
                         {"total", p.total},
                         {"by_verdict", std::move(verdicts)},
                         {"failing_checks", std::move(failing_json)},
                         {"missing_facts", std::move(missing_json)},
                         {"points", std::move(points)},
                         {"over_time", std::move(minutes)}});
  }
  Json log = log_path_.empty() ? Json()
                               : Json{{"path", fs::path(log_path_).filename().string()},
                                      {"read", log_read_},
                                      {"skipped", log_skipped_}};
  return json_dump(Json{{"format", "eligo.dashboard.decisions/1"}, {"since", since_}, {"log", std::move(log)},
                        {"packs", std::move(packs)}});
}

// ─── Reports ────────────────────────────────────────────────────────────────────────────────────────────

std::vector<ReportsFolder::Entry> ReportsFolder::scan() {
  std::lock_guard<std::mutex> lock(mu_);
  std::map<std::string, Entry> seen;
  std::error_code ec;
  for (const auto& dirent : fs::directory_iterator(dir_, ec)) {
    std::error_code e2;
    if (!dirent.is_directory(e2)) continue;
    const std::string id = dirent.path().filename().string();
    if (!valid_report_id(id)) continue;
    const fs::path file = dirent.path() / "dashboard.json";
    if (!fs::is_regular_file(file, e2)) continue;
    Entry entry;
    entry.id = id;
    entry.path = file.string();
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) continue;
    entry.size = static_cast<std::uintmax_t>(st.st_size);
    entry.mtime = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    entry.has_workbook = fs::is_regular_file(dirent.path() / "reconciliation.xlsx", e2);
    const auto cached = cache_.find(id);
    if (cached != cache_.end() && cached->second.mtime == entry.mtime && cached->second.size == entry.size) {
      cached->second.has_workbook = entry.has_workbook;
      seen.emplace(id, cached->second);
      continue;
    }
    bool ok = false;
    entry.text = read_file(entry.path, &ok);
    const Json j = Json::parse(entry.text, nullptr, false);
    entry.modified = iso_time(entry.mtime);
    if (!ok) {
      entry.problem = "cannot be read";
    } else if (j.is_discarded() || !j.is_object() || j.value("format", "") != "eligo.dashboard.payouts/1") {
      entry.problem = "is not a dashboard.json of format eligo.dashboard.payouts/1";
    } else if (j.value("pii", "") != "masked") {
      entry.problem = "was made with --clear-pii: the dashboard serves masked reports only";
    } else {
      entry.source = j.value("source", "");
      entry.cutoff = j["cutoff"].is_string() ? j["cutoff"].get<std::string>() : "";
      entry.orders = j["totals"]["orders"].value("count", std::uint64_t{0});
      entry.anomalies = j["anomalies"].value("total", std::uint64_t{0});
    }
    if (!entry.problem.empty()) entry.text.clear();
    seen.emplace(id, std::move(entry));
  }
  cache_ = seen;
  std::vector<Entry> out;
  for (auto& [id, e] : seen) out.push_back(e);
  std::stable_sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
    if (a.mtime != b.mtime) return a.mtime > b.mtime;
    return a.id < b.id;
  });
  return out;
}

// ─── Routes ─────────────────────────────────────────────────────────────────────────────────────────────

Dashboard::Dashboard(std::string reports_dir) {
  dashboard::Echarts ec;
  if (dashboard::load_echarts(&ec, &echarts_error_)) echarts_js_ = std::move(ec.js);
  if (!reports_dir.empty()) reports_ = std::make_unique<ReportsFolder>(std::move(reports_dir));
}

std::string Dashboard::describe() const {
  std::string s = "dashboard at /dashboard; ";
  s += echarts_error_.empty() ? "ECharts from " + dashboard::echarts_path() : "no charts: " + echarts_error_;
  s += reports_ ? "; payout reports from " + reports_->dir() : "; no reports folder (--reports DIR)";
  return s;
}

Reply Dashboard::page_asset(const RequestContext& ctx) {
  Reply r;
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (ctx.path == "/dashboard" || ctx.path == "/dashboard/") {
    r.body = dashboard::served_page();
    r.content_type = "text/html; charset=utf-8";
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; "
                           "img-src data: 'self'; connect-src 'self'");
    return r;
  }
  if (ctx.path == "/dashboard/dashboard.js") {
    r.body = std::string(dashboard::page_script());
    r.content_type = "application/javascript; charset=utf-8";
    return r;
  }
  if (ctx.path == "/dashboard/echarts.min.js") {
    if (echarts_js_.empty()) return error_reply(404, "echarts_missing", echarts_error_, ctx.request_id);
    r.body = echarts_js_;
    r.content_type = "application/javascript; charset=utf-8";
    return r;
  }
  return error_reply(404, "not_found", "no such route", ctx.request_id);
}

Reply Dashboard::handle(const RequestContext& ctx) {
  if (ctx.path.rfind("/dashboard", 0) == 0) return page_asset(ctx);
  const std::string_view rest = std::string_view(ctx.path).substr(std::string_view("/v1/dashboard/").size());
  if (rest == "decisions") return Reply{200, decisions_.json()};
  if (!reports_) {
    if (rest == "reports") return Reply{200, json_dump(Json{{"folder", nullptr}, {"reports", Json::array()}, {"problems", Json::array()}})};
    return error_reply(404, "no_reports_folder", "the server has no reports folder (--reports DIR or \"reports\")",
                       ctx.request_id);
  }
  const std::vector<ReportsFolder::Entry> entries = reports_->scan();
  if (rest == "reports") {
    Json list = Json::array(), problems = Json::array();
    for (const auto& e : entries) {
      if (!e.problem.empty()) {
        problems.push_back(Json{{"id", e.id}, {"message", e.id + "/dashboard.json " + e.problem}});
        continue;
      }
      Json item{{"id", e.id}, {"source", e.source}, {"cutoff", e.cutoff.empty() ? Json() : Json(e.cutoff)},
                {"modified", e.modified}, {"orders", e.orders}, {"anomalies", e.anomalies},
                {"payouts", "/v1/dashboard/payouts?report=" + e.id}};
      item["workbook"] = e.has_workbook ? Json("/v1/dashboard/reports/" + e.id + "/reconciliation.xlsx") : Json();
      list.push_back(std::move(item));
    }
    return Reply{200, json_dump(Json{{"folder", reports_->dir()}, {"reports", std::move(list)}, {"problems", std::move(problems)}})};
  }
  const auto find = [&](const std::string& id) -> const ReportsFolder::Entry* {
    for (const auto& e : entries)
      if (e.problem.empty() && (id.empty() || e.id == id)) return &e;
    return nullptr;
  };
  if (rest == "payouts") {
    const std::string id = query_value(ctx.query, "report");
    const ReportsFolder::Entry* e = find(id);
    if (!e)
      return error_reply(404, "report_not_found",
                         id.empty() ? "no report in the reports folder yet" : "no served report '" + id + "'",
                         ctx.request_id);
    return Reply{200, e->text};
  }
  // reports/{id}/reconciliation.xlsx
  constexpr std::string_view kPrefix = "reports/", kWorkbook = "/reconciliation.xlsx";
  if (rest.rfind(kPrefix, 0) == 0 && rest.size() > kPrefix.size() + kWorkbook.size() &&
      rest.substr(rest.size() - kWorkbook.size()) == kWorkbook) {
    const std::string id(rest.substr(kPrefix.size(), rest.size() - kPrefix.size() - kWorkbook.size()));
    const ReportsFolder::Entry* e = valid_report_id(id) ? find(id) : nullptr;
    if (!e || !e->has_workbook)
      return error_reply(404, "report_not_found", "no workbook for report '" + id + "'", ctx.request_id);
    bool ok = false;
    Reply r{200, read_file((fs::path(reports_->dir()) / id / "reconciliation.xlsx").string(), &ok)};
    if (!ok) return error_reply(404, "report_not_found", "the workbook cannot be read", ctx.request_id);
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + id + "-reconciliation.xlsx\"");
    return r;
  }
  return error_reply(404, "not_found", "no such route", ctx.request_id);
}

// ─── POST /v1/reconcile ─────────────────────────────────────────────────────────────────────────────────

namespace {

// Removes a folder on every path out (the uploaded inputs hold PII in clear; a failed report is not kept).
struct TempDir {
  fs::path path;
  ~TempDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

bool write_text(const fs::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
  return static_cast<bool>(f);
}

Json stats_json(const payout::LoadStats& s) {
  return Json{{"rows", s.rows}, {"accepted", s.accepted}, {"rejected", s.rejected}};
}

}  // namespace

Reply Dashboard::reconcile(const RequestContext& ctx, const std::string& body) {
  const std::string& rid = ctx.request_id;
  const auto bad = [&](const std::string& m) { return error_reply(400, "bad_request", m, rid); };
  if (!reports_)
    return error_reply(404, "no_reports_folder", "the server has no reports folder (--reports DIR or \"reports\")", rid);
  const Json j = Json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return bad("the body is not a JSON object");
  static const char* kKeys[] = {"report", "orders", "bank", "registry", "exclusions", "mapping", "cutoff", "window",
                                "fallback"};
  for (auto it = j.begin(); it != j.end(); ++it)
    if (std::find_if(std::begin(kKeys), std::end(kKeys), [&](const char* k) { return it.key() == k; }) ==
        std::end(kKeys))
      return bad("unknown key '" + it.key().substr(0, 40) +
                 "' (report, orders, bank, registry, exclusions, mapping, cutoff, window, fallback)");
  if (!j.contains("report") || !j["report"].is_string() || !valid_report_id(j["report"].get<std::string>()))
    return bad("report: a name for the new report folder, of letters, digits, '-', '_' and '.'");
  const std::string id = j["report"].get<std::string>();
  for (const char* k : {"orders", "bank"})
    if (!j.contains(k) || !j[k].is_string()) return bad(std::string(k) + ": the file's text (UTF-8) is required");
  for (const char* k : {"registry", "exclusions"})
    if (j.contains(k) && !j[k].is_string()) return bad(std::string(k) + ": the file's text (UTF-8)");
  payout::FilesRequest request;
  std::string error;
  if (j.contains("mapping")) {
    if (!j["mapping"].is_object()) return bad("mapping: a column mapping object (docs/payout.md)");
    if (!payout::parse_mapping(json_dump(j["mapping"]), &request.mapping, &error)) return bad("mapping: " + error);
  }
  if (j.contains("cutoff")) {
    request.options.cutoff = j["cutoff"].is_string() ? Date::parse(j["cutoff"].get<std::string>()) : std::nullopt;
    if (!request.options.cutoff) return bad("cutoff: a date YYYY-MM-DD");
  }
  if (j.contains("window")) {
    if (!j["window"].is_number_integer() || j["window"].get<long long>() < 0 || j["window"].get<long long>() > 3660)
      return bad("window: a number of days from 0 to 3660");
    request.options.fallback_window_days = static_cast<int>(j["window"].get<long long>());
  }
  if (j.contains("fallback")) {
    if (!j["fallback"].is_boolean()) return bad("fallback: true or false");
    request.options.fallback = j["fallback"].get<bool>();
  }
  const fs::path root(reports_->dir()), target = root / id;
  std::error_code ec;
  if (fs::exists(target, ec))
    return error_reply(409, "report_exists", "the reports folder already has a report '" + id + "'", rid);
  // Inputs and the report are written under hidden names (the scan skips names starting with '.') and the
  // report renamed into place when whole.
  static std::atomic<std::uint64_t> serial{0};
  const std::string unique = rid + "-" + std::to_string(serial.fetch_add(1));
  TempDir in{root / (".in-" + unique)}, out{root / (".out-" + unique)};
  if (!fs::create_directories(in.path, ec) || !fs::create_directories(out.path, ec))
    return error_reply(500, "report_write_failed", "cannot create a folder in the reports folder", rid);
  fs::permissions(in.path, fs::perms::owner_all, ec);
  request.orders = (in.path / "orders.csv").string();
  request.bank = (in.path / "bank.csv").string();
  bool ok = write_text(request.orders, j["orders"].get<std::string>()) &&
            write_text(request.bank, j["bank"].get<std::string>());
  if (j.contains("registry")) {
    request.registry = (in.path / "registry.csv").string();
    ok = ok && write_text(request.registry, j["registry"].get<std::string>());
  }
  if (j.contains("exclusions")) {
    request.exclusions = (in.path / "exclusions.csv").string();
    ok = ok && write_text(request.exclusions, j["exclusions"].get<std::string>());
  }
  if (!ok) return error_reply(500, "report_write_failed", "cannot write the uploaded files", rid);
  request.out_dir = out.path.string();
  Json view;
  request.on_report = [&](const payout::Report& report, std::string* err) {
    dashboard::PayoutViewOptions options;
    options.source = "POST /v1/reconcile";
    return dashboard::write_dashboard_json(report, request.out_dir, options, &view, err);
  };
  payout::FilesResult result;
  if (!payout::reconcile_files(request, &result, &error)) {
    // The loaders name files, lines and columns, never an ID: the temporary paths are replaced by the names.
    for (const auto& [path, name] : {std::pair<std::string, std::string>{request.orders, "orders"},
                                     {request.bank, "bank"}, {request.registry, "registry"},
                                     {request.exclusions, "exclusions"}, {request.out_dir, "the report"}}) {
      if (path.empty()) continue;
      for (std::size_t at; (at = error.find(path)) != std::string::npos;) error.replace(at, path.size(), name);
    }
    return error_reply(422, "unusable_input", error, rid);
  }
  fs::rename(out.path, target, ec);
  if (ec) return error_reply(409, "report_exists", "the report '" + id + "' could not be put in place: " + ec.message(), rid);
  out.path.clear();
  Reply r{201, json_dump(Json{{"report", id},
                    {"payouts", "/v1/dashboard/payouts?report=" + id},
                    {"rows", {{"orders", stats_json(result.orders)}, {"bank", stats_json(result.bank)},
                              {"registry", stats_json(result.registry)}, {"exclusions", stats_json(result.exclusions)}}},
                    {"totals", view["totals"]},
                    {"anomalies", view["anomalies"]["total"]}})};
  return r;
}

}  // namespace eligo::server
