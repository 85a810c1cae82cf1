#include "core/utc_clock.hpp"
#include "server/service.hpp"

#include <openssl/rand.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "eligo/audit.hpp"
#include "eligo/identity.hpp"
#include "eligo/records.hpp"
#include "server/dashboard.hpp"

namespace eligo::server {

using nlohmann::json;

namespace {

std::string json_text(std::string_view s) { return json_dump(json(std::string(s))); }

std::string percent_decode(std::string_view s, bool* ok) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') out.push_back(' ');
    else if (s[i] == '%') {
      if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
        *ok = false;
        return out;
      }
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

bool valid_request_id(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

bool valid_pack_id(std::string_view s) {
  if (s.empty() || s.size() > 200) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

std::string basename(const std::string& path) { return std::filesystem::path(path).filename().string(); }

json version_json(const PackInfo& info, Date today, bool with_inputs) {
  const Pack& p = *info.pack;
  json v = {{"version", p.version()},
            {"sha256", p.hash()},
            {"file", basename(p.file())},
            {"effective",
             {{"from", p.effective_from() ? json(p.effective_from()->to_string()) : json(nullptr)},
              {"until", p.effective_until() ? json(p.effective_until()->to_string()) : json(nullptr)}}},
            {"in_force_today", p.in_force(today)}};
  if (with_inputs) {
    v["inputs"] = info.inputs.is_null() ? json::object() : info.inputs;
    v["sources"] = info.sources;
  }
  return v;
}

}  // namespace

Reply error_reply(int status, std::string_view code, std::string_view message, std::string_view request_id) {
  Reply r;
  r.status = status;
  // Messages quote what the request carried (an option, a group, a pack id): PII by shape is masked (R8).
  r.body = "{\"code\":" + json_text(code) + ",\"message\":" + json_text(identity::mask_pii_runs(message)) +
           ",\"request_id\":" + json_text(request_id) + "}";
  return r;
}

Route match_route(std::string_view method, std::string_view path) {
  Route r;
  auto want = [&](const char* m) {
    r.method_ok = method == m;
    r.allow = m;
  };
  if (path == "/healthz") r.id = RouteId::healthz, want("GET");
  else if (path == "/readyz") r.id = RouteId::readyz, want("GET");
  else if (path == "/metrics") r.id = RouteId::metrics, want("GET");
  else if (path == "/v1/status") r.id = RouteId::status, want("GET");
  else if (path == "/v1/packs" || path == "/v1/packs/") r.id = RouteId::packs, want("GET");
  else if (path == "/dashboard" || path.rfind("/dashboard/", 0) == 0 || path.rfind("/v1/dashboard/", 0) == 0)
    r.id = RouteId::dashboard, want("GET");
  else if (path == "/v1/reconcile") r.id = RouteId::reconcile, want("POST"), r.has_body = true;
  else if (path.rfind("/v1/packs/", 0) == 0) {
    std::string_view rest = path.substr(10);
    const std::size_t slash = rest.find('/');
    const std::string_view id = rest.substr(0, slash);
    if (!valid_pack_id(id)) return r;
    r.pack_id = std::string(id);
    if (slash == std::string_view::npos) r.id = RouteId::pack, want("GET");
    else if (rest.substr(slash) == "/evaluate") r.id = RouteId::evaluate, want("POST"), r.has_body = true;
    else if (rest.substr(slash) == "/evaluate-batch") r.id = RouteId::evaluate_batch, want("POST"), r.has_body = true;
  }
  return r;
}

Service::Service(Config config, ApiKeys keys, std::shared_ptr<PackRegistry> registry)
    : config_(std::move(config)), keys_(std::move(keys)), registry_(std::move(registry)),
      dashboard_(std::make_unique<Dashboard>(config_.reports)) {
  unsigned char b[4];
  if (RAND_bytes(b, sizeof b) != 1) b[0] = b[1] = b[2] = b[3] = 0;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02x%02x%02x%02x", b[0], b[1], b[2], b[3]);
  id_prefix_ = buf;
}

Service::~Service() = default;

void Service::set_decision_log(std::shared_ptr<audit::Writer> writer) { audit_ = std::move(writer); }

std::string Service::new_request_id() {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s-%llx", id_prefix_.c_str(),
                static_cast<unsigned long long>(next_id_.fetch_add(1, std::memory_order_relaxed)));
  return buf;
}

std::optional<Reply> Service::admit(std::string_view method, std::string_view target, std::string_view auth_header,
                                    std::string_view api_key_header, std::string_view request_id_header,
                                    std::optional<std::uint64_t> content_length, RequestContext* ctx) {
  ctx->request_id = valid_request_id(request_id_header) ? std::string(request_id_header) : new_request_id();
  const std::size_t q = target.find('?');
  ctx->path = std::string(target.substr(0, q));
  ctx->query = q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
  ctx->route = match_route(method, ctx->path);
  const Route& route = ctx->route;
  const std::string& rid = ctx->request_id;
  if (route.id == RouteId::other) return error_reply(404, "not_found", "no such route", rid);
  if (!route.method_ok) {
    Reply r = error_reply(405, "method_not_allowed", std::string("use ") + route.allow, rid);
    r.headers.emplace_back("Allow", route.allow);
    return r;
  }
  // The dashboard's page and scripts hold no data: the browser loads them, then sends the key for the data.
  const bool dashboard_page = route.id == RouteId::dashboard && ctx->path.rfind("/v1/", 0) != 0;
  const bool public_route = route.id == RouteId::healthz || route.id == RouteId::readyz ||
                            (route.id == RouteId::metrics && !config_.metrics_need_key) || dashboard_page;
  if (!public_route && !keys_.empty()) {
    std::string_view presented = api_key_header;
    if (presented.empty() && auth_header.size() > 7 && (auth_header.substr(0, 7) == "Bearer " || auth_header.substr(0, 7) == "bearer "))
      presented = auth_header.substr(7);
    ctx->key = presented.empty() ? nullptr : keys_.find(presented);
    if (!ctx->key) {
      Reply r = error_reply(401, "unauthorized",
                            presented.empty() ? "an API key is required (Authorization: Bearer KEY or X-API-Key)"
                                              : "the API key is not known",
                            rid);
      r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"eligo\"");
      return r;
    }
  }
  if (route.id == RouteId::dashboard && !dashboard_page && ctx->key && !ctx->key->dashboard)
    return error_reply(403, "dashboard_forbidden", "this API key may not read the dashboard", rid);
  if (route.id == RouteId::reconcile && ctx->key && !ctx->key->reconcile)
    return error_reply(403, "reconcile_forbidden", "this API key may not run reconciliations", rid);
  if (!route.pack_id.empty()) {
    if (ctx->key && !ctx->key->allows(route.pack_id))
      return error_reply(403, "pack_forbidden", "this API key may not use pack " + route.pack_id, rid);
  }
  ctx->packs = registry_->current();
  if (!route.pack_id.empty()) {
    bool known = false;
    if (ctx->packs)
      for (const auto& p : ctx->packs->set.packs())
        if (p.id() == route.pack_id) known = true;
    if (!known) return error_reply(404, "pack_not_found", "no pack " + route.pack_id + " is served", rid);
  }
  ctx->body_limit = route.id == RouteId::evaluate_batch || route.id == RouteId::reconcile
                        ? config_.limits.batch_body_bytes
                        : config_.limits.body_bytes;
  if (!route.has_body) ctx->body_limit = 0;
  if (content_length && *content_length > ctx->body_limit)
    return error_reply(413, "body_too_large",
                       route.has_body ? "the body is larger than " + std::to_string(ctx->body_limit) + " bytes"
                                      : "this route takes no body",
                       rid);
  const bool admitted_route = route.id == RouteId::evaluate || route.id == RouteId::evaluate_batch ||
                              route.id == RouteId::reconcile ||
                              route.id == RouteId::pack || route.id == RouteId::packs || route.id == RouteId::status;
  if (admitted_route) {
    const std::int64_t now = metrics_.in_flight.fetch_add(1) + 1;
    if (now > static_cast<std::int64_t>(config_.limits.max_inflight)) {
      metrics_.in_flight.fetch_sub(1);
      metrics_.rejected_overload.fetch_add(1);
      Reply r = error_reply(503, "overloaded", "the server is at its limit of requests in progress; retry later", rid);
      r.headers.emplace_back("Retry-After", std::to_string(config_.limits.retry_after_s));
      return r;
    }
    ctx->admitted = true;
  }
  return std::nullopt;
}

void Service::finish(const RequestContext& ctx, int status, bool admitted) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.start).count();
  metrics_.request(ctx.route.id, status, seconds);
  if (admitted) metrics_.in_flight.fetch_sub(1);
  if (config_.access_log) {
    // The path names a route and a pack, never applicant data; the query (options only) is not logged.
    char line[512];
    std::snprintf(line, sizeof line, "%s %s %s %d %.3fms key=%s\n", eligo::detail::utc_now_text(true).c_str(), ctx.request_id.c_str(),
                  ctx.path.substr(0, 200).c_str(), status, seconds * 1e3, ctx.key ? ctx.key->id.c_str() : "-");
    std::cerr << identity::mask_pii_runs(line) << std::flush;  // a path or request id may hold PII by shape
  }
}

Reply Service::handle(RequestContext& ctx, std::string&& body, std::unique_ptr<BatchStream>* batch) {
  switch (ctx.route.id) {
    case RouteId::healthz: return Reply{200, "{\"status\":\"ok\"}"};
    case RouteId::readyz:
      if (ready.load() && registry_->current()) return Reply{200, "{\"status\":\"ready\"}"};
      return error_reply(503, "not_ready", "the server is starting or stopping", ctx.request_id);
    case RouteId::metrics: {
      Reply r{200, metrics_.render()};
      r.content_type = "text/plain; version=0.0.4; charset=utf-8";
      return r;
    }
    case RouteId::status: return status(ctx);
    case RouteId::dashboard: return dashboard_->handle(ctx);
    case RouteId::reconcile: return dashboard_->reconcile(ctx, body);
    case RouteId::packs: return list_packs(ctx);
    case RouteId::pack: return show_pack(ctx);
    case RouteId::evaluate:
    case RouteId::evaluate_batch: return evaluate(ctx, std::move(body), batch);
    default: return error_reply(404, "not_found", "no such route", ctx.request_id);
  }
}

Reply Service::list_packs(const RequestContext& ctx) {
  const Date today = today_cst();
  json out = json::array();
  for (const auto& id : ctx.packs->set.ids()) {
    if (ctx.key && !ctx.key->allows(id)) continue;
    json versions = json::array();
    json title;
    for (const auto& info : ctx.packs->info)
      if (info.pack->id() == id) {
        versions.push_back(version_json(info, today, false));
        title = info.title;
      }
    const Pack* now = ctx.packs->set.select(id, today);
    out.push_back({{"id", id}, {"title", title}, {"in_force", now ? json(now->version()) : json(nullptr)},
                   {"versions", versions}});
  }
  return Reply{200, json_dump(json({{"packs", out}, {"generation", ctx.packs->generation}}))};
}

Reply Service::show_pack(const RequestContext& ctx) {
  const Date today = today_cst();
  json versions = json::array();
  json title;
  for (const auto& info : ctx.packs->info)
    if (info.pack->id() == ctx.route.pack_id) {
      versions.push_back(version_json(info, today, true));
      title = info.title;
    }
  const Pack* now = ctx.packs->set.select(ctx.route.pack_id, today);
  return Reply{200, json_dump(json({{"id", ctx.route.pack_id},
                                    {"title", title},
                                    {"in_force", now ? json(now->version()) : json(nullptr)},
                                    {"versions", versions}}))};
}

Reply Service::status(const RequestContext& ctx) {
  const ReloadStatus st = registry_->status();
  json diags = json::array();
  for (const auto& d : st.diagnostics.items)
    diags.push_back({{"code", d.code},
                     {"severity", severity_name(d.severity)},
                     {"file", d.file},
                     {"line", d.line},
                     {"column", d.column},
                     {"pointer", d.pointer},
                     {"message", d.message}});
  json files = json::array();
  if (ctx.packs)
    for (const auto& f : ctx.packs->files) files.push_back(f);
  json out = {{"ready", ready.load()},
              {"serving",
               {{"generation", ctx.packs ? ctx.packs->generation : 0},
                {"loaded_at", ctx.packs ? ctx.packs->loaded_at : ""},
                {"files", files}}},
              {"last_reload",
               {{"ok", st.ok},
                {"at", st.at},
                {"trigger", st.trigger},
                {"attempts", st.attempts},
                {"failures", st.failures},
                {"diagnostics", diags}}}};
  if (audit_) {
    const audit::Head head = audit_->head();
    out["decision_log"] = {{"seq", head.seq}, {"head_sha256", head.sha256}, {"failures", audit_->failures()}};
  }
  return Reply{200, json_dump(out)};
}

struct Service::EvalRequest {
  EvalOptions options;
  BindOptions bind;
};

bool Service::parse_eval_options(const RequestContext& ctx, EvalRequest* out, Reply* error) {
  auto bad = [&](const std::string& m) {
    *error = error_reply(400, "bad_option", m, ctx.request_id);
    return false;
  };
  std::string_view q = ctx.query;
  while (!q.empty()) {
    const std::size_t amp = q.find('&');
    const std::string_view part = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (part.empty()) continue;
    const std::size_t eq = part.find('=');
    bool ok = true;
    const std::string name = percent_decode(part.substr(0, eq), &ok);
    const std::string value = eq == std::string_view::npos ? std::string() : percent_decode(part.substr(eq + 1), &ok);
    if (!ok) return bad("the query is not well percent-encoded");
    auto flag = [&](bool* b) {
      if (value.empty() || value == "true" || value == "1") *b = true;
      else if (value == "false" || value == "0") *b = false;
      else return bad(name + " is true or false");
      return true;
    };
    if (name == "as_of") {
      out->options.as_of = Date::parse(value);
      if (!out->options.as_of) return bad("as_of is not a date (YYYY-MM-DD)");
    } else if (name == "lang") {
      if (value != "zh-CN" && value != "en") return bad("lang is zh-CN or en");
      out->options.lang = value;
    } else if (name == "explain") {
      if (!flag(&out->options.explain)) return false;
    } else if (name == "clear_pii") {
      if (!flag(&out->options.clear_pii)) return false;
    } else if (name == "mode") {
      if (value == "all") out->options.mode = CheckMode::all;
      else if (value == "first_failure") out->options.mode = CheckMode::first_failure;
      else return bad("mode is first_failure or all");
    } else if (name == "group") {
      if (!valid_pack_id(value)) return bad("group names an input group of the pack");
      out->bind.group = value;
    } else if (name == "unknown_fields") {
      if (value == "error") out->bind.unknown_fields = UnknownFields::error;
      else if (value == "warn") out->bind.unknown_fields = UnknownFields::warn;
      else if (value == "ignore") out->bind.unknown_fields = UnknownFields::ignore;
      else return bad("unknown_fields is error, warn or ignore");
    } else {
      return bad("unknown option '" + name.substr(0, 40) +
                 "' (as_of, lang, explain, mode, clear_pii, group, unknown_fields)");
    }
  }
  if (out->options.clear_pii && !(ctx.key && ctx.key->clear_pii)) {
    *error = error_reply(403, "clear_pii_forbidden", "this API key may not ask for clear PII", ctx.request_id);
    return false;
  }
  return true;
}

namespace {

// Decisions by pack and verdict; source calls by source and outcome ("ok", "no_record", "failed", "unavailable":
// the outcome's detail stays in the decision, out of the metric's labels).
void count_decision(Metrics* metrics, const Decision& d) {
  metrics->decision(std::string(d.pack_id), verdict_name(d.verdict));
  for (const auto& call : d.sources_called) {
    const std::string& o = call.outcome;
    metrics->source_call(call.source, o == "ok" ? "ok"
                                      : o == "no record" ? "no_record"
                                      : o.rfind("failed", 0) == 0 ? "failed"
                                                                  : "unavailable");
  }
}

// evaluate-batch: the body is read by the one record reader (JSON Lines, or a JSON array streamed element by
// element); each row is bound and evaluated as it is streamed out, one decision line per row.
class EvalBatch final : public BatchStream {
 public:
  EvalBatch(std::shared_ptr<const PackSnapshot> packs, const Pack* pack, EvalOptions options, BindOptions bind,
            std::string body, Metrics* metrics, DecisionStats* stats, audit::Writer* audit, std::string request_id)
      : packs_(std::move(packs)), pack_(pack), options_(std::move(options)), bind_(std::move(bind)),
        metrics_(metrics), stats_(stats), audit_(audit), request_id_(std::move(request_id)) {
    const std::size_t first = body.find_first_not_of(" \t\r\n");
    records::ReadOptions ro;
    ro.format = first != std::string::npos && body[first] == '[' ? records::Format::json : records::Format::jsonl;
    std::string error;
    if (!reader_.open_text(std::move(body), "the request body", ro, &error)) failed_ = error;
  }

  bool next(std::string* out) override {
    if (done_) return false;
    for (int n = 0; n < 64; ++n) {
      if (!failed_.empty()) return stop(out);
      const records::Next next = reader_.next();
      if (next == records::Next::end) return stop(out);
      if (next == records::Next::error) {
        failed_ = reader_.error();
        return stop(out);
      }
      ++rows_;
      if (next == records::Next::bad_row) {
        // A row the reader cannot hand out still gets its line, so rows in = lines out.
        out->append("{\"row\":" + std::to_string(rows_) + ",\"line\":" + std::to_string(reader_.line()) +
                    ",\"code\":\"bad_row\",\"message\":" + json_text(reader_.problem()) + "}\n");
        continue;
      }
      pack_->bind(reader_.json(), &input_, bind_);
      pack_->evaluate(input_, options_, &decision_);
      count_decision(metrics_, decision_);
      stats_->record(decision_);
      if (audit_ && !audit_->append(decision_, reader_.json(), request_id_ + "#" + std::to_string(rows_),
                                    options_.clear_pii)) {
        failed_ = "the decision of row " + std::to_string(rows_) + " could not be written to the decision log";
        return stop(out);
      }
      out->append(decision_.to_json()).push_back('\n');
    }
    return true;
  }

 private:
  // The end of the stream. A body that stops being readable ends with one error line (the status line has
  // long been sent): {"code":"invalid_batch","message":…,"rows":N}.
  bool stop(std::string* out) {
    done_ = true;
    if (!failed_.empty())
      out->append("{\"code\":\"invalid_batch\",\"message\":" + json_text(failed_) + ",\"rows\":" +
                  std::to_string(rows_) + "}\n");
    return false;
  }

  std::shared_ptr<const PackSnapshot> packs_;
  const Pack* pack_;
  EvalOptions options_;
  BindOptions bind_;
  Metrics* metrics_;
  DecisionStats* stats_;
  audit::Writer* audit_;
  std::string request_id_;
  records::RecordReader reader_;
  std::string failed_;
  bool done_ = false;
  std::uint64_t rows_ = 0;
  Input input_;
  Decision decision_;
};

}  // namespace

Reply Service::evaluate(RequestContext& ctx, std::string&& body, std::unique_ptr<BatchStream>* batch) {
  EvalRequest req;
  Reply err;
  if (!parse_eval_options(ctx, &req, &err)) return err;
  const Date as_of = req.options.as_of ? *req.options.as_of : today_cst();
  req.options.as_of = as_of;
  req.options.sources = sources_.get();
  std::string why;
  const Pack* pack = ctx.packs->set.select(ctx.route.pack_id, as_of, &why);
  if (!pack) return error_reply(422, "no_version_in_force", why, ctx.request_id);
  const PackInfo* info = ctx.packs->info_of(pack);
  const std::string& group = req.bind.group;
  if (!group.empty() && !(info && info->inputs.is_object() && info->inputs.contains(group)))
    return error_reply(400, "bad_option", "group '" + group + "' is not an input group of " + pack->id(),
                       ctx.request_id);
  if (ctx.route.id == RouteId::evaluate_batch) {
    *batch = std::make_unique<EvalBatch>(ctx.packs, pack, req.options, req.bind, std::move(body), &metrics_,
                                         &dashboard_->decisions(), audit_.get(), ctx.request_id);
    Reply r;
    r.content_type = "application/x-ndjson; charset=utf-8";
    return r;
  }
  const std::string_view text = body;
  Input input = pack->bind(text, req.bind);
  Decision d;
  pack->evaluate(input, req.options, &d);
  count_decision(&metrics_, d);
  dashboard_->decisions().record(d);
  // A decision that cannot be logged is not given: the log is the record of every answer.
  if (audit_ && !audit_->append(d, text, ctx.request_id, req.options.clear_pii))
    return error_reply(500, "decision_log_failed", "the decision could not be written to the decision log",
                       ctx.request_id);
  return Reply{200, d.to_json()};
}

}  // namespace eligo::server
