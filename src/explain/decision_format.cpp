// Decision::to_json and Decision::to_text. Decimals are written as strings so no reader turns them into
// binary floating point; keys come in a fixed order so equal decisions are byte-identical (TARGETS R5).
// The JSON is written directly, without a DOM: it is on the path of every C API and server call (P2).
#include "eligo/pack.hpp"

namespace eligo {

namespace {

// A small JSON writer: the decision is written straight into one string (no DOM), keys in a fixed order.
class Writer {
 public:
  explicit Writer(std::string* out) : s_(*out) {}
  void open(char c) {
    comma();
    s_.push_back(c);
    first_ = true;
  }
  void close(char c) {
    s_.push_back(c);
    first_ = false;
  }
  void key(std::string_view k) {
    str(k);  // escaped like any string: keys can be rule-pack names
    s_.push_back(':');
    first_ = true;  // the value follows without a comma
  }
  void str(std::string_view v) {
    comma();
    s_.push_back('"');
    for (const char ch : v) {
      const unsigned char c = static_cast<unsigned char>(ch);
      switch (c) {
        case '"': s_ += "\\\""; break;
        case '\\': s_ += "\\\\"; break;
        case '\b': s_ += "\\b"; break;
        case '\f': s_ += "\\f"; break;
        case '\n': s_ += "\\n"; break;
        case '\r': s_ += "\\r"; break;
        case '\t': s_ += "\\t"; break;
        default:
          if (c < 0x20) {
            static const char* hex = "0123456789abcdef";
            s_ += "\\u00";
            s_.push_back(hex[c >> 4]);
            s_.push_back(hex[c & 15]);
          } else {
            s_.push_back(ch);
          }
      }
    }
    s_.push_back('"');
  }
  void raw(std::string_view json) {
    comma();
    s_ += json;
  }
  void boolean(bool b) { raw(b ? "true" : "false"); }
  void field(const char* k, std::string_view v) {
    key(k);
    str(v);
  }
  void strings(const char* k, const std::vector<std::string>& v) {
    key(k);
    open('[');
    for (const auto& x : v) str(x);
    close(']');
  }

 private:
  void comma() {
    if (!first_) s_.push_back(',');
    first_ = false;
  }
  std::string& s_;
  bool first_ = true;
};

void trace(Writer& w, const std::vector<TraceValue>& read) {
  w.key("read");
  w.open('[');
  for (const auto& r : read) {
    w.open('{');
    w.field("path", r.path);
    w.field("value", r.value);
    if (r.reason_only) w.field("by", "reason");
    w.close('}');
  }
  w.close(']');
}

}  // namespace

std::string Decision::to_json() const {
  std::string out;
  out.reserve(256 + 128 * (checks.size() + items.size()));
  Writer w(&out);
  w.open('{');
  w.key("pack");
  w.open('{');
  w.field("id", pack_id);
  w.field("version", version);
  w.field("sha256", pack_hash);
  w.close('}');
  w.field("as_of", as_of.to_string());
  w.field("verdict", verdict_name(verdict));
  w.field("mode", mode == CheckMode::all ? "all" : "first_failure");
  if (error) {
    w.key("error");
    w.open('{');
    w.field("code", error->code);
    w.field("message", error->message);
    w.field("pointer", error->pointer);
    w.close('}');
  }
  w.key("checks");
  w.open('[');
  for (const auto& c : checks) {
    w.open('{');
    w.field("id", c.id);
    w.field("status", check_status_name(c.status));
    if (!c.label.empty()) w.field("label", c.label);
    if (c.status == CheckStatus::failed) w.field("reason", c.reason);
    if (!c.cite.empty()) w.field("cite", c.cite);
    if (!c.department.empty()) w.field("department", c.department);
    if (!c.missing.empty()) w.strings("missing", c.missing);
    if (!c.read.empty()) trace(w, c.read);
    w.close('}');
  }
  w.close(']');
  if (scored && verdict != Verdict::error) {
    w.key("score");
    w.open('{');
    w.field("total", total.to_string());
    w.key("items");
    w.open('[');
    for (const auto& it : items) {
      w.open('{');
      w.field("id", it.id);
      if (!it.label.empty()) w.field("label", it.label);
      w.field("points", it.points.to_string());
      w.field("status", item_status_name(it.status));
      if (it.deduct) {
        w.key("deduct");
        w.boolean(true);
      }
      if (!it.group.empty()) w.field("group", it.group);
      if (!it.department.empty()) w.field("department", it.department);
      if (it.example) {
        w.key("example");
        w.boolean(true);
      }
      if (!it.how.empty()) w.field("how", it.how);
      if (!it.missing.empty()) w.strings("missing", it.missing);
      if (!it.read.empty()) trace(w, it.read);
      w.close('}');
    }
    w.close(']');
    w.close('}');
  }
  if (!outputs.empty()) {
    w.key("outputs");
    w.open('{');
    for (const auto& o : outputs) {
      w.key(o.name);
      w.open('{');
      w.key("value");
      w.raw(o.json.empty() ? std::string_view("null") : std::string_view(o.json));  // already JSON
      if (o.example) {
        w.key("example");
        w.boolean(true);
      }
      if (!o.note.empty()) w.field("note", o.note);
      if (!o.missing.empty()) w.strings("missing", o.missing);
      if (!o.read.empty()) trace(w, o.read);
      w.close('}');
    }
    w.close('}');
  }
  if (!blacklist_hash.empty()) {
    w.key("blacklist");
    w.open('{');
    w.field("version", blacklist_version);
    w.field("sha256", blacklist_hash);
    w.key("hits");
    w.open('[');
    for (const auto& h : blacklist_hits) {
      w.open('{');
      w.field("key", h.key);
      w.field("scope", h.scope);
      w.field("reason_code", h.reason_code);
      w.field("reason_text", h.reason_text);
      w.field("source", h.source);
      w.field("listed_on", h.listed_on);
      w.field("from", h.from);
      if (!h.until.empty()) w.field("until", h.until);
      w.close('}');
    }
    w.close(']');
    w.close('}');
  }
  if (!sources_called.empty()) {
    w.key("sources_called");
    w.open('[');
    for (const auto& c : sources_called) {
      w.open('{');
      w.field("source", c.source);
      w.field("outcome", c.outcome);
      w.close('}');
    }
    w.close(']');
  }
  const auto problems = [&w](const char* key, const std::vector<DataError>& list) {
    if (list.empty()) return;
    w.key(key);
    w.open('[');
    for (const auto& d : list) {
      w.open('{');
      w.field("code", d.code);
      w.field("path", d.path);
      w.field("message", d.message);
      w.close('}');
    }
    w.close(']');
  };
  problems("data_errors", data_errors);
  problems("data_warnings", data_warnings);
  w.close('}');
  return out;
}

namespace {

// "        applicant.income = 1200", and "  (read only by the reason)" after a value only the reason read.
void trace_lines(std::string& s, const std::vector<TraceValue>& read, const char* indent, bool zh) {
  for (const auto& r : read) {
    s += indent + r.path + " = " + r.value;
    if (r.reason_only) s += zh ? "  （仅原因读取）" : "  (read only by the reason)";
    s += "\n";
  }
}

}  // namespace

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
  for (const auto& e : data_errors)
    s += "data error[" + e.code + "] " + (e.path.empty() ? "" : e.path + ": ") + e.message + "\n";
  for (const auto& e : data_warnings)
    s += "data warning[" + e.code + "] " + (e.path.empty() ? "" : e.path + ": ") + e.message + "\n";
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
    if (explain) trace_lines(s, c.read, "        ", zh);
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
      if (explain) trace_lines(s, it.read, "          ", zh);
    }
  }
  for (const auto& o : outputs) {
    s += "  " + std::string(o.name) + " = " + (o.missing.empty() ? o.value : (zh ? "（缺失）" : "(missing)"));
    if (o.example) s += zh ? "  (示例金额" : "  (example figure";
    if (o.example && !o.note.empty()) s += ": " + std::string(o.note);
    if (o.example) s += ")";
    s += "\n";
    if (explain) trace_lines(s, o.read, "        ", zh);
  }
  for (const auto& h : blacklist_hits) {
    s += (zh ? "  黑名单：" : "  blacklist: ") + h.key + " " + h.scope + " " + h.reason_code + " " + h.reason_text + " (" +
         h.source + ", " + h.from + ".." + (h.until.empty() ? "" : h.until) + ")\n";
  }
  if (explain && !sources_called.empty()) {
    s += "sources:";
    for (const auto& c : sources_called) s += " " + c.source + " (" + c.outcome + ")";
    s += "\n";
  }
  return s;
}

}  // namespace eligo
