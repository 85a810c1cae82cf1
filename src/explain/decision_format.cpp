// Decision::to_json and Decision::to_text. Decimals are written as strings so no reader turns them into
// binary floating point; keys come in a fixed order so equal decisions are byte-identical (TARGETS R5).
#include <nlohmann/json.hpp>

#include "eligo/pack.hpp"

namespace eligo {

using ojson = nlohmann::ordered_json;

namespace {

ojson trace_json(const std::vector<TraceValue>& read) {
  ojson a = ojson::array();
  for (const auto& r : read) a.push_back(ojson{{"path", r.path}, {"value", r.value}});
  return a;
}

std::string sv(std::string_view s) { return std::string(s); }

}  // namespace

std::string Decision::to_json() const {
  ojson j;
  j["pack"] = {{"id", sv(pack_id)}, {"version", sv(version)}, {"sha256", sv(pack_hash)}};
  j["as_of"] = as_of.to_string();
  j["verdict"] = verdict_name(verdict);
  j["mode"] = mode == CheckMode::all ? "all" : "first_failure";
  if (error) j["error"] = {{"code", error->code}, {"message", error->message}, {"pointer", error->pointer}};
  ojson checks_j = ojson::array();
  for (const auto& c : checks) {
    ojson cj;
    cj["id"] = sv(c.id);
    cj["status"] = check_status_name(c.status);
    if (!c.label.empty()) cj["label"] = sv(c.label);
    if (c.status == CheckStatus::failed) cj["reason"] = c.reason;
    if (!c.cite.empty()) cj["cite"] = sv(c.cite);
    if (!c.department.empty()) cj["department"] = sv(c.department);
    if (!c.missing.empty()) cj["missing"] = c.missing;
    if (!c.read.empty()) cj["read"] = trace_json(c.read);
    checks_j.push_back(std::move(cj));
  }
  j["checks"] = std::move(checks_j);
  if (scored) {
    ojson items_j = ojson::array();
    for (const auto& it : items) {
      ojson ij;
      ij["id"] = sv(it.id);
      if (!it.label.empty()) ij["label"] = sv(it.label);
      ij["points"] = it.points.to_string();
      ij["status"] = item_status_name(it.status);
      if (it.deduct) ij["deduct"] = true;
      if (!it.group.empty()) ij["group"] = sv(it.group);
      if (!it.department.empty()) ij["department"] = sv(it.department);
      if (it.example) ij["example"] = true;
      if (!it.how.empty()) ij["how"] = it.how;
      if (!it.missing.empty()) ij["missing"] = it.missing;
      if (!it.read.empty()) ij["read"] = trace_json(it.read);
      items_j.push_back(std::move(ij));
    }
    j["score"] = {{"total", total.to_string()}, {"items", std::move(items_j)}};
  }
  if (!outputs.empty()) {
    ojson o = ojson::object();
    for (const auto& out : outputs) {
      ojson oj;
      oj["value"] = ojson::parse(out.json);
      if (out.example) oj["example"] = true;
      if (!out.note.empty()) oj["note"] = sv(out.note);
      if (!out.missing.empty()) oj["missing"] = out.missing;
      o[sv(out.name)] = std::move(oj);
    }
    j["outputs"] = std::move(o);
  }
  if (!sources_called.empty()) {
    ojson s = ojson::array();
    for (const auto& c : sources_called) s.push_back({{"source", c.source}, {"outcome", c.outcome}});
    j["sources_called"] = std::move(s);
  }
  if (!data_errors.empty()) {
    ojson e = ojson::array();
    for (const auto& d : data_errors) e.push_back({{"code", d.code}, {"path", d.path}, {"message", d.message}});
    j["data_errors"] = std::move(e);
  }
  return j.dump();
}

std::string Decision::to_text(bool explain) const {
  const bool zh = lang != "en";
  std::string s;
  s += std::string(pack_id) + " " + std::string(version) + "  sha256:" + std::string(pack_hash.substr(0, 12)) +
       "  as_of " + as_of.to_string() + "\n";
  static const char* kZhVerdict[] = {"符合", "不符合", "需补充材料", "错误"};
  s += "verdict: " + std::string(verdict_name(verdict));
  if (zh) s += std::string(" (") + kZhVerdict[static_cast<int>(verdict)] + ")";
  s += "\n";
  if (error) s += "error[" + error->code + "] " + (error->pointer.empty() ? "" : error->pointer + ": ") + error->message + "\n";
  for (const auto& e : data_errors) s += "data error[" + e.code + "] " + e.path + ": " + e.message + "\n";
  for (const auto& c : checks) {
    static const char* kMark[] = {"✓", "✗", "?", "-", "·"};
    s += "  " + std::string(kMark[static_cast<int>(c.status)]) + " " + std::string(c.id);
    if (!c.label.empty()) s += "  " + std::string(c.label);
    if (c.status == CheckStatus::failed) {
      s += "\n      " + c.reason;
      if (!c.cite.empty()) s += "  [" + std::string(c.cite) + "]";
    } else if (c.status == CheckStatus::needs_evidence) {
      s += zh ? "\n      缺少：" : "\n      missing: ";
      for (std::size_t i = 0; i < c.missing.size(); ++i) s += (i ? ", " : "") + c.missing[i];
    } else if (c.status != CheckStatus::passed) {
      s += std::string("  (") + check_status_name(c.status) + ")";
    }
    s += "\n";
    if (explain)
      for (const auto& r : c.read) s += "        " + r.path + " = " + r.value + "\n";
  }
  if (scored && verdict != Verdict::error && !items.empty()) {
    s += (zh ? "score 积分: " : "score: ") + total.to_string() + "\n";
    for (const auto& it : items) {
      std::string pts = (it.deduct ? "-" : "") + it.points.to_string();
      if (pts.size() < 6) pts.insert(0, 6 - pts.size(), ' ');
      s += "  " + pts + "  " + std::string(it.id);
      if (!it.label.empty()) s += "  " + std::string(it.label);
      if (!it.department.empty()) s += "  [" + std::string(it.department) + "]";
      if (it.status != ItemStatus::scored) s += std::string("  (") + item_status_name(it.status) + ")";
      if (it.example) s += zh ? "  (示例分值)" : "  (example figure)";
      if (!it.missing.empty()) {
        s += zh ? "  缺少：" : "  missing: ";
        for (std::size_t i = 0; i < it.missing.size(); ++i) s += (i ? ", " : "") + it.missing[i];
      }
      s += "\n";
      if (explain && !it.how.empty()) s += "          " + it.how + "\n";
      if (explain)
        for (const auto& r : it.read) s += "          " + r.path + " = " + r.value + "\n";
    }
  }
  for (const auto& o : outputs) {
    s += "  " + std::string(o.name) + " = " + (o.missing.empty() ? o.value : (zh ? "（缺失）" : "(missing)"));
    if (o.example) s += zh ? "  (示例金额" : "  (example figure";
    if (o.example && !o.note.empty()) s += ": " + std::string(o.note);
    if (o.example) s += ")";
    s += "\n";
  }
  if (explain && !sources_called.empty()) {
    s += "sources:";
    for (const auto& c : sources_called) s += " " + c.source + " (" + c.outcome + ")";
    s += "\n";
  }
  return s;
}

}  // namespace eligo
