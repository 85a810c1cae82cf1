// Policy diff: the same population through two packs; counts, per-indicator change, top movers.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/json_dump.hpp"
#include "admission/table_out.hpp"
#include "eligo/admission.hpp"
#include "eligo/identity.hpp"

namespace eligo::admission {

struct Differ::State {
  const Pack& old_pack;
  const Pack& new_pack;
  DiffOptions options;
  DiffResult result;
  std::map<std::string, std::size_t> indicator_index;
  Input old_in, new_in;
  Decision old_d, new_d;
  std::vector<Mover> movers;

  State(const Pack& o, const Pack& n, DiffOptions opt) : old_pack(o), new_pack(n), options(std::move(opt)) {}

  IndicatorChange& indicator(std::string_view id, std::string_view label) {
    const auto [it, fresh] = indicator_index.emplace(std::string(id), result.indicators.size());
    if (fresh) {
      IndicatorChange c;
      c.id = std::string(id);
      c.label = std::string(label);
      result.indicators.push_back(std::move(c));
    }
    return result.indicators[it->second];
  }

  void trim_movers(bool final) {
    const std::size_t keep = options.top;
    if (!final && movers.size() < 4 * keep + 64) return;
    auto better = [](const Mover& a, const Mover& b) {
      Decimal aa = a.delta, bb = b.delta;
      if (aa < Decimal()) Decimal::sub(Decimal(), a.delta, &aa);
      if (bb < Decimal()) Decimal::sub(Decimal(), b.delta, &bb);
      const int c = Decimal::compare(aa, bb);
      return c != 0 ? c > 0 : a.line < b.line;
    };
    std::sort(movers.begin(), movers.end(), better);
    if (movers.size() > keep) movers.resize(keep);
  }
};

Differ::Differ(const Pack& old_pack, const Pack& new_pack, DiffOptions options)
    : s_(std::make_unique<State>(old_pack, new_pack, std::move(options))) {
  s_->result.old_pack = old_pack.id() + " " + old_pack.version();
  s_->result.new_pack = new_pack.id() + " " + new_pack.version();
}
Differ::~Differ() = default;

bool Differ::add(std::uint64_t line, std::string_view json, std::string* reason) {
  State& s = *s_;
  s.old_pack.bind(json, &s.old_in, s.options.bind);
  s.new_pack.bind(json, &s.new_in, s.options.bind);
  return add(line, s.old_in, s.new_in, reason);
}

void Differ::reject(std::uint64_t line, std::string_view reason) {
  DiffResult& r = s_->result;
  if (r.rejected++ == 0) r.first_rejected = "line " + std::to_string(line) + ": " + std::string(reason);
}

bool Differ::add(std::uint64_t line, Input& old_in, Input& new_in, std::string* reason) {
  State& s = *s_;
  EvalOptions eo;
  eo.blacklist = s.options.blacklist;
  eo.as_of = s.options.old_as_of;
  s.old_pack.evaluate(old_in, eo, &s.old_d);
  eo.as_of = s.options.new_as_of;
  s.new_pack.evaluate(new_in, eo, &s.new_d);
  const Decision& o = s.old_d;
  const Decision& n = s.new_d;
  DiffResult& r = s.result;
  // The input itself rejected (E3xxx), as eligo eval rejects it: not an applicant to compare.
  if (o.input_rejected() || n.input_rejected()) {
    std::string why = o.input_rejected() ? o.rejection() : n.rejection();
    if (o.input_rejected() != n.input_rejected())
      why += std::string(" (") + (o.input_rejected() ? "old" : "new") + " pack only)";
    reject(line, why);
    if (reason) *reason = std::move(why);
    return false;
  }
  ++r.applicants;
  for (const Decision* d : {&o, &n}) {
    if (d->verdict != Verdict::error) continue;
    ++(d == &o ? r.old_errors : r.new_errors);
    if (r.first_error.empty() && d->error)
      r.first_error = std::string(d == &o ? "old" : "new") + ", line " + std::to_string(line) + ": " + d->error->code + " " +
                      d->error->message;
  }
  static const std::vector<ItemResult> kNone;
  const std::vector<ItemResult>& old_items = o.verdict == Verdict::error ? kNone : o.items;
  const std::vector<ItemResult>& new_items = n.verdict == Verdict::error ? kNone : n.items;
  Decimal::add(r.old_total_sum, o.total, &r.old_total_sum);
  Decimal::add(r.new_total_sum, n.total, &r.new_total_sum);
  Mover m;
  m.line = line;
  m.old_verdict = verdict_name(o.verdict);
  m.new_verdict = verdict_name(n.verdict);
  m.old_total = o.total;
  m.new_total = n.total;
  Decimal::sub(n.total, o.total, &m.delta);
  if (o.verdict != n.verdict) {
    ++r.verdict_changed;
    ++r.transitions[m.old_verdict + " → " + m.new_verdict];
  }
  const int c = Decimal::compare(m.delta, Decimal());
  (c > 0 ? r.points_up : c < 0 ? r.points_down : r.points_same)++;
  // Per indicator: points in each pack (absent = 0 there).
  std::map<std::string, std::pair<Decimal, Decimal>> points;
  for (const ItemResult& it : old_items) {
    IndicatorChange& ic = s.indicator(it.id, it.label);
    ic.in_old = true;
    Decimal::add(ic.old_sum, it.points, &ic.old_sum);
    points[std::string(it.id)].first = it.points;
  }
  for (const ItemResult& it : new_items) {
    IndicatorChange& ic = s.indicator(it.id, it.label);
    ic.in_new = true;
    Decimal::add(ic.new_sum, it.points, &ic.new_sum);
    points[std::string(it.id)].second = it.points;
  }
  for (const auto& [id, pn] : points) {
    const int d = Decimal::compare(pn.second, pn.first);
    if (d == 0) continue;
    IndicatorChange& ic = r.indicators[s.indicator_index[id]];
    ++ic.changed;
    (d > 0 ? ic.up : ic.down)++;
    Decimal delta;
    Decimal::sub(pn.second, pn.first, &delta);
    m.items.emplace_back(id, delta);
  }
  std::map<std::string, std::string> outs;
  for (const OutputResult& out : o.outputs) outs[std::string(out.name)] = out.json;
  bool outputs_differ = o.outputs.size() != n.outputs.size();
  for (const OutputResult& out : n.outputs) {
    const auto it = outs.find(std::string(out.name));
    outputs_differ = outputs_differ || it == outs.end() || it->second != out.json;
  }
  if (outputs_differ) ++r.outputs_changed;
  if (s.options.top > 0 && (o.verdict != n.verdict || c != 0)) {
    if (!s.options.key.empty()) {
      const std::string key = old_in.text(s.options.key);
      m.key = s.options.clear_pii ? key : identity::mask(identity::PiiKind::id_number, key);
    }
    s.movers.push_back(std::move(m));
    s.trim_movers(false);
  }
  return true;
}

DiffResult Differ::finish() {
  s_->trim_movers(true);
  s_->result.movers = std::move(s_->movers);
  return std::move(s_->result);
}

std::string diff_text(const DiffResult& r) {
  std::string t;
  t += "old: " + r.old_pack + "\nnew: " + r.new_pack + "\n";
  t += "applicants: " + std::to_string(r.applicants) + "\n";
  if (r.rejected) t += "rows rejected: " + std::to_string(r.rejected) + " (" + r.first_rejected + ")\n";
  if (r.old_errors || r.new_errors)
    t += "evaluation errors: old " + std::to_string(r.old_errors) + ", new " + std::to_string(r.new_errors) + " (" +
         r.first_error + ")\n";
  t += "verdict changed: " + std::to_string(r.verdict_changed) + "\n";
  for (const auto& [k, v] : r.transitions) t += "  " + k + ": " + std::to_string(v) + "\n";
  t += "points up: " + std::to_string(r.points_up) + ", down: " + std::to_string(r.points_down) +
       ", same: " + std::to_string(r.points_same) + "\n";
  t += "outputs changed: " + std::to_string(r.outputs_changed) + "\n";
  t += "total points: " + r.old_total_sum.to_string() + " → " + r.new_total_sum.to_string() + "\n";
  t += "\nper indicator (applicants changed: up/down; points over the population old → new)\n";
  for (const auto& ic : r.indicators) {
    t += "  " + ic.id + (ic.in_old ? "" : " (new only)") + (ic.in_new ? "" : " (old only)") + ": " +
         std::to_string(ic.changed) + " (" + std::to_string(ic.up) + "/" + std::to_string(ic.down) + "); " +
         ic.old_sum.to_string() + " → " + ic.new_sum.to_string() + "  " + ic.label + "\n";
  }
  t += "\ntop movers (largest change in total points)\n";
  for (const auto& m : r.movers) {
    t += "  line " + std::to_string(m.line) + (m.key.empty() ? "" : " " + m.key) + ": " + m.old_total.to_string() +
         " → " + m.new_total.to_string() + " (" + (m.delta > Decimal() ? "+" : "") + m.delta.to_string() + ")";
    if (m.old_verdict != m.new_verdict) t += ", " + m.old_verdict + " → " + m.new_verdict;
    std::string items;
    for (const auto& [id, d] : m.items) items += (items.empty() ? "" : ", ") + id + " " + (d > Decimal() ? "+" : "") + d.to_string();
    if (!items.empty()) t += "; " + items;
    t += "\n";
  }
  return t;
}

std::string diff_json(const DiffResult& r) {
  using nlohmann::ordered_json;
  ordered_json j;
  j["old"] = r.old_pack;
  j["new"] = r.new_pack;
  j["applicants"] = r.applicants;
  j["rejected"] = r.rejected;
  j["first_rejected"] = r.first_rejected;
  j["old_errors"] = r.old_errors;
  j["new_errors"] = r.new_errors;
  j["first_error"] = r.first_error;
  j["verdict_changed"] = r.verdict_changed;
  j["transitions"] = ordered_json::object();
  for (const auto& [k, v] : r.transitions) j["transitions"][k] = v;
  j["points_up"] = r.points_up;
  j["points_down"] = r.points_down;
  j["points_same"] = r.points_same;
  j["outputs_changed"] = r.outputs_changed;
  j["old_total_sum"] = r.old_total_sum.to_string();
  j["new_total_sum"] = r.new_total_sum.to_string();
  j["indicators"] = ordered_json::array();
  for (const auto& ic : r.indicators)
    j["indicators"].push_back({{"id", ic.id}, {"label", ic.label}, {"in_old", ic.in_old}, {"in_new", ic.in_new},
                               {"changed", ic.changed}, {"up", ic.up}, {"down", ic.down},
                               {"old_sum", ic.old_sum.to_string()}, {"new_sum", ic.new_sum.to_string()}});
  j["movers"] = ordered_json::array();
  for (const auto& m : r.movers) {
    ordered_json items = ordered_json::object();
    for (const auto& [id, d] : m.items) items[id] = d.to_string();
    j["movers"].push_back({{"line", m.line}, {"key", m.key}, {"old_verdict", m.old_verdict}, {"new_verdict", m.new_verdict},
                           {"old_total", m.old_total.to_string()}, {"new_total", m.new_total.to_string()},
                           {"delta", m.delta.to_string()}, {"items", items}});
  }
  return eligo::json_dump(j, 2) + "\n";
}

bool write_diff_workbook(const DiffResult& r, const std::string& path, std::string* error) {
  detail::Sheet summary{"summary 汇总", {"measure", "value"}, {}, {1}};
  summary.rows = {{"old pack", r.old_pack}, {"new pack", r.new_pack}, {"applicants", std::to_string(r.applicants)},
                  {"rows rejected", std::to_string(r.rejected)},
                  {"old errors", std::to_string(r.old_errors)}, {"new errors", std::to_string(r.new_errors)},
                  {"verdict changed", std::to_string(r.verdict_changed)}};
  for (const auto& [k, v] : r.transitions) summary.rows.push_back({"  " + k, std::to_string(v)});
  summary.rows.push_back({"points up", std::to_string(r.points_up)});
  summary.rows.push_back({"points down", std::to_string(r.points_down)});
  summary.rows.push_back({"points same", std::to_string(r.points_same)});
  summary.rows.push_back({"outputs changed", std::to_string(r.outputs_changed)});
  summary.rows.push_back({"old total points", r.old_total_sum.to_string()});
  summary.rows.push_back({"new total points", r.new_total_sum.to_string()});
  detail::Sheet indicators{"indicators 指标", {"id", "label", "in_old", "in_new", "changed", "up", "down", "old_sum", "new_sum"},
                           {}, {4, 5, 6, 7, 8}};
  for (const auto& ic : r.indicators)
    indicators.rows.push_back({ic.id, ic.label, ic.in_old ? "true" : "false", ic.in_new ? "true" : "false",
                               std::to_string(ic.changed), std::to_string(ic.up), std::to_string(ic.down),
                               ic.old_sum.to_string(), ic.new_sum.to_string()});
  detail::Sheet movers{"movers 变动最大", {"line", "key", "old_verdict", "new_verdict", "old_total", "new_total", "delta", "items"},
                       {}, {0, 4, 5, 6}};
  for (const auto& m : r.movers) {
    std::string items;
    for (const auto& [id, d] : m.items) items += (items.empty() ? "" : ", ") + id + " " + d.to_string();
    movers.rows.push_back({std::to_string(m.line), m.key, m.old_verdict, m.new_verdict, m.old_total.to_string(),
                           m.new_total.to_string(), m.delta.to_string(), items});
  }
  return detail::write_sheets({summary, indicators, movers}, path, "eligo diff", error);
}

}  // namespace eligo::admission
