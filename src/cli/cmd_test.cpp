// eligo test PACK... — runs the cases each pack names under "tests" (docs/rule-language.md §8) and shows
// what differs for each failing case. The case's as_of chooses among the loaded versions of the pack.
// Before any case runs, the file is read with positions and checked against the pack (unknown keys, input
// groups and fields, sources, checks, indicators, outputs: located errors E15xx with "did you mean"); a case
// with such a problem is reported failed and not run, the others still run; a failure names the case's
// file:line:col.
// --coverage reports, per pack version, the checks, table rows, `if` branches and caps the cases reached.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <ostream>
#include <set>
#include <stdexcept>

#include "cli/commands.hpp"
#include "compile/program.hpp"
#include "eligo/blacklist.hpp"
#include "eligo/coverage.hpp"
#include "eligo/pack.hpp"
#include "load/json_tree.hpp"
#include "load/reporter.hpp"

namespace eligo::cli {

namespace {

using json = nlohmann::json;

// The data sources a case describes: listed sources answer with their object (null: no record); a
// source not listed is unavailable.
class CaseSources : public DataSource {
 public:
  explicit CaseSources(const json& sources) : sources_(sources) {}
  std::optional<std::string> fetch(const SourceRequest& req) override {
    if (!sources_.is_object() || !sources_.contains(std::string(req.source)))
      throw std::runtime_error("unavailable in this case");
    const json& v = sources_[std::string(req.source)];
    if (v.is_null()) return std::nullopt;
    return v.dump();
  }

 private:
  const json& sources_;
};

// The blacklist a case describes ("blacklist": [{"id", "scopes", "reason_code", "reason_text", "source",
// "listed_on", "from", "until"}]); a case without one evaluates against an empty list.
std::shared_ptr<const blacklist::Snapshot> case_blacklist(const json& c, std::string* error) {
  blacklist::Builder builder;
  if (c.contains("blacklist")) {
    for (const auto& e : c["blacklist"]) {
      blacklist::Entry entry;
      entry.key = e.value("id", "");
      entry.scopes = e.value("scopes", std::vector<std::string>{"*"});
      entry.reason_code = e.value("reason_code", "");
      entry.reason_text = e.value("reason_text", "");
      entry.source = e.value("source", "");
      const auto listed = Date::parse(e.value("listed_on", ""));
      if (!listed) {
        *error = "a blacklist entry needs listed_on (YYYY-MM-DD)";
        return nullptr;
      }
      entry.listed_on = *listed;
      if (e.contains("from")) entry.from = Date::parse(e["from"].get<std::string>());
      if (e.contains("until")) entry.until = Date::parse(e["until"].get<std::string>());
      if (auto problem = builder.add(entry)) {
        *error = "blacklist entry: " + problem->why;
        return nullptr;
      }
    }
  }
  return builder.build();
}

std::string as_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

// Compares numbers as exact decimals: 86 == "86" == "86.0".
bool same_number(const json& want, const std::string& got) {
  const std::string w = as_text(want);
  auto a = Decimal::parse(w), b = Decimal::parse(got);
  if (a && b) return *a == *b;
  return w == got;
}

std::string list_text(const std::vector<std::string>& v) {
  json j = v;
  return j.dump();
}

void compare_case(const json& expect, const Decision& d, std::vector<std::string>* diffs) {
  auto diff = [&](const std::string& what, const std::string& want, const std::string& got) {
    diffs->push_back(what + ":\n        expected " + want + "\n        got      " + got);
  };
  if (expect.contains("error")) {
    const std::string got = d.error ? d.error->code : "(none)";
    if (as_text(expect["error"]) != got) diff("error", as_text(expect["error"]), got + (d.error ? " " + d.error->message : ""));
  } else if (d.error) {
    diffs->push_back("unexpected error[" + d.error->code + "] " + d.error->message);
  }
  if (expect.contains("verdict") && as_text(expect["verdict"]) != verdict_name(d.verdict))
    diff("verdict", as_text(expect["verdict"]), verdict_name(d.verdict));
  std::vector<std::string> failed, missing, reasons;
  for (const auto& c : d.checks) {
    if (c.status == CheckStatus::failed) {
      failed.emplace_back(c.id);
      reasons.push_back(c.reason);
    }
    for (const auto& m : c.missing)
      if (std::find(missing.begin(), missing.end(), m) == missing.end()) missing.push_back(m);
  }
  for (const auto& it : d.items)
    for (const auto& m : it.missing)
      if (std::find(missing.begin(), missing.end(), m) == missing.end()) missing.push_back(m);
  if (expect.contains("failed") && expect["failed"].get<std::vector<std::string>>() != failed)
    diff("failed", expect["failed"].dump(), list_text(failed));
  if (expect.contains("missing")) {
    auto want = expect["missing"].get<std::vector<std::string>>();
    auto got = missing;
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    if (want != got) diff("missing", expect["missing"].dump(), list_text(missing));
  }
  if (expect.contains("reasons") && expect["reasons"].get<std::vector<std::string>>() != reasons)
    diff("reasons", json(expect["reasons"]).dump(-1, ' ', false), json(reasons).dump(-1, ' ', false));
  if (expect.contains("total")) {
    if (!d.scored || !same_number(expect["total"], d.total.to_string()))
      diff("total", as_text(expect["total"]), d.scored ? d.total.to_string() : "(no score)");
  }
  if (expect.contains("points")) {
    for (const auto& [id, want] : expect["points"].items()) {
      auto it = std::find_if(d.items.begin(), d.items.end(), [&id = id](const ItemResult& r) { return r.id == id; });
      if (it == d.items.end()) diff("points of " + id, as_text(want), "(no such indicator)");
      else if (!same_number(want, it->points.to_string())) diff("points of " + id, as_text(want), it->points.to_string() + "  (" + item_status_name(it->status) + ")");
    }
  }
  if (expect.contains("outputs")) {
    for (const auto& [name, want] : expect["outputs"].items()) {
      auto it = std::find_if(d.outputs.begin(), d.outputs.end(), [&name = name](const OutputResult& o) { return o.name == name; });
      const std::string got = it == d.outputs.end() ? "(not computed)" : (it->missing.empty() ? it->value : "(missing)");
      // A number is compared as an exact decimal: 300 == "300.00".
      // null expects no value: not computed, missing, or computed as null (a table output no row matched).
      const bool same = want.is_null() ? (it == d.outputs.end() || !it->missing.empty() || it->json == "null")
                                       : (as_text(want) == got || (want.is_number() && same_number(want, got)));
      if (!same) diff("output " + name, want.is_null() ? "null" : as_text(want), got);
    }
  }
  if (expect.contains("data_errors")) {
    std::vector<std::string> got;
    for (const auto& e : d.data_errors) got.push_back(e.path);
    if (expect["data_errors"].get<std::vector<std::string>>() != got) diff("data_errors", expect["data_errors"].dump(), list_text(got));
  }
  if (expect.contains("blacklist_hits")) {
    std::vector<std::string> got;
    for (const auto& h : d.blacklist_hits) got.push_back(h.reason_code);
    if (expect["blacklist_hits"].get<std::vector<std::string>>() != got)
      diff("blacklist_hits (reason codes)", expect["blacklist_hits"].dump(), list_text(got));
  }
  if (expect.contains("sources_called")) {
    std::vector<std::string> got;
    for (const auto& c : d.sources_called) got.push_back(c.source);
    if (expect["sources_called"].get<std::vector<std::string>>() != got)
      diff("sources_called", expect["sources_called"].dump(), list_text(got));
  }
}

// ---- checking a case file against the pack (issue 12 item 2: test files are code too) ------------------

void add_unique(std::vector<std::string>* v, const std::string& s) {
  if (std::find(v->begin(), v->end(), s) == v->end()) v->push_back(s);
}

// The fields a value may have: a record's (or a list of records' items') fields, each with its own shape;
// empty for a plain value. The union over the pack's versions.
struct Shape {
  std::vector<std::string> names;  // in declaration order
  std::map<std::string, Shape> fields;
  bool record = false;
};

void shape_of(const detail::Program& p, std::uint32_t type, Shape* out, int depth = 0) {
  if (type >= p.types.size() || depth > 32) return;
  const detail::TypeInfo& t = p.types[type];
  if (t.kind == detail::TKind::list) return shape_of(p, t.elem, out, depth + 1);
  if (t.kind != detail::TKind::record) return;
  out->record = true;
  for (const auto& f : p.records[t.record].fields) {
    add_unique(&out->names, f.name);
    shape_of(p, f.type, &out->fields[f.name], depth + 1);
  }
}

// The names a case may use, gathered from every version of the pack the file belongs to.
struct PackNames {
  std::map<std::string, std::vector<std::string>> groups;  // input group → its fields
  std::map<std::string, Shape> group_shapes;               // input group → its fields' shapes
  std::map<std::string, std::vector<std::string>> source_groups;  // data source → the groups it answers
  std::vector<std::string> sources, checks, indicators, outputs;
};

PackNames names_of(const PackSet& set, const std::string& id) {
  PackNames n;
  for (const auto& pack : set.packs()) {
    if (pack.id() != id) continue;
    const detail::Program& p = pack.program();
    for (const auto& g : p.groups) {
      auto& fields = n.groups[g.name];
      for (const auto& f : p.records[g.record].fields) add_unique(&fields, f.name);
      Shape& shape = n.group_shapes[g.name];
      shape.record = true;
      for (const auto& f : p.records[g.record].fields) {
        add_unique(&shape.names, f.name);
        shape_of(p, f.type, &shape.fields[f.name]);
      }
      if (!g.source.empty()) {
        add_unique(&n.sources, g.source);
        add_unique(&n.source_groups[g.source], g.name);
      }
    }
    for (const auto& c : p.checks) add_unique(&n.checks, c.id);
    for (const auto& i : p.indicators) add_unique(&n.indicators, i.id);
    for (const auto& o : p.outputs) add_unique(&n.outputs, o.name);
  }
  return n;
}

// Checks one case file. Every problem is a located diagnostic (E15xx); a case with one is marked broken
// (reported as failed, not run), the other cases still run.
class CaseChecker {
 public:
  CaseChecker(const std::string& file, const std::string& text, Diagnostics* out, bool zh, PackNames names)
      : rep_(file, text, out, zh), names_(std::move(names)), out_(out) {}

  std::string tr(std::string en, std::string zh) const { return rep_.tr(std::move(en), std::move(zh)); }
  std::string near(const std::string& word, const std::vector<std::string>& candidates) const {
    const std::string c = load::closest(word, candidates);
    return c.empty() ? "" : tr(" (did you mean '" + c + "'?)", "（是否想写 '" + c + "'？）");
  }
  std::string known(const std::vector<std::string>& v) const {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s.empty() ? tr("none", "无") : s;
  }

  void keys(const load::JsonNode& obj, const std::string& pointer, const std::vector<std::string>& allowed,
            const std::string& what_en, const std::string& what_zh) {
    for (std::size_t i = 0; i < obj.members.size(); ++i) {
      const std::string& k = obj.members[i].first;
      if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
      rep_.at_key("E1502", obj, i, pointer + "/" + load::pointer_token(k),
                  tr("unknown key '" + k + "' in " + what_en, what_zh + "中有未知的键 '" + k + "'") + near(k, allowed));
    }
  }
  // Each string of an array value must be one of `allowed` (check ids, indicator ids…).
  void names_in(const load::JsonNode* arr, const std::string& pointer, const std::vector<std::string>& allowed,
                const std::string& what_en, const std::string& what_zh) {
    if (!arr || !arr->is_array()) return;
    for (std::size_t i = 0; i < arr->items.size(); ++i) {
      const load::JsonNode& v = arr->items[i];
      if (!v.is_string()) continue;
      if (std::find(allowed.begin(), allowed.end(), v.text) != allowed.end()) continue;
      rep_.at_node("E1503", v, pointer + "/" + std::to_string(i),
                   tr("the pack has no " + what_en + " '" + v.text + "' (" + what_en + "s: " + known(allowed) + ")",
                      "规则包没有" + what_zh + " '" + v.text + "'（已有：" + known(allowed) + "）") +
                       near(v.text, allowed));
    }
  }
  void member_names(const load::JsonNode* obj, const std::string& pointer, const std::vector<std::string>& allowed,
                    const std::string& what_en, const std::string& what_zh) {
    if (!obj || !obj->is_object()) return;
    for (std::size_t i = 0; i < obj->members.size(); ++i) {
      const std::string& k = obj->members[i].first;
      if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
      rep_.at_key("E1503", *obj, i, pointer + "/" + load::pointer_token(k),
                  tr("the pack has no " + what_en + " '" + k + "' (" + what_en + "s: " + known(allowed) + ")",
                     std::string("规则包没有") + (what_zh[0] == '\'' ? " " : "") + what_zh + " '" + k + "'（已有：" + known(allowed) + "）") +
                      near(k, allowed));
    }
  }
  // The fields inside a value of a case's input or source: records and the records of lists, at any depth
  // (applicant.patents[].kind), checked against the pack's declared fields with "did you mean".
  void record_fields(const load::JsonNode& v, const std::string& pointer, const Shape& shape, const std::string& path) {
    if (v.is_array()) {
      for (std::size_t i = 0; i < v.items.size(); ++i)
        record_fields(v.items[i], pointer + "/" + std::to_string(i), shape, path + (shape.record ? "[]" : ""));
      return;
    }
    if (!v.is_object() || !shape.record) return;
    member_names(&v, pointer, shape.names, "'" + path + "' field", "'" + path + "' 的字段");
    for (const auto& [k, child] : v.members) {
      auto it = shape.fields.find(k);
      if (it != shape.fields.end() && it->second.record)
        record_fields(child, pointer + "/" + load::pointer_token(k), it->second, path + "." + k);
    }
  }

  void wrong(const load::JsonNode& n, const std::string& pointer, std::string en, std::string zh) {
    rep_.at_node("E1504", n, pointer, tr(std::move(en), std::move(zh)));
  }

  // false when the file is not {"cases": [...]}: nothing can run.
  bool file(const load::JsonNode& root) {
    if (!root.is_object() || !root.find("cases") || !root.find("cases")->is_array()) {
      wrong(root, "", "a test file is {\"cases\": [...]}", "测试文件的格式是 {\"cases\": [...]}");
      return false;
    }
    keys(root, "", {"$schema", "cases"}, "a test file", "测试文件");
    return true;
  }

  // true when the case has no problem.
  bool one_case(const load::JsonNode& c, const std::string& pointer) {
    const std::size_t before = out_->error_count();
    if (!c.is_object()) {
      wrong(c, pointer, "a case is an object", "每个用例是一个对象");
      return false;
    }
    keys(c, pointer, {"name", "note", "as_of", "lang", "mode", "input", "sources", "blacklist", "expect"}, "a case", "用例");
    const load::JsonNode* as_of = c.find("as_of");
    if (!as_of) wrong(c, pointer, "a case needs \"as_of\" (YYYY-MM-DD)", "用例需要 \"as_of\"（YYYY-MM-DD）");
    else if (!as_of->is_string() || !Date::parse(as_of->text))
      wrong(*as_of, pointer + "/as_of", "\"as_of\" is a date: YYYY-MM-DD with a real calendar day",
            "\"as_of\" 是日期：YYYY-MM-DD，且是日历上真实的一天");
    if (const load::JsonNode* m = c.find("mode"); m && (!m->is_string() || (m->text != "all" && m->text != "first_failure")))
      wrong(*m, pointer + "/mode", "\"mode\" is \"first_failure\" or \"all\"", "\"mode\" 是 \"first_failure\" 或 \"all\"");
    if (const load::JsonNode* l = c.find("lang"); l && (!l->is_string() || (l->text != "zh-CN" && l->text != "en")))
      wrong(*l, pointer + "/lang", "\"lang\" is \"zh-CN\" or \"en\"", "\"lang\" 是 \"zh-CN\" 或 \"en\"");
    std::vector<std::string> groups;
    for (const auto& [g, fields] : names_.groups) groups.push_back(g);
    if (const load::JsonNode* in = c.find("input")) {
      if (!in->is_object()) {
        wrong(*in, pointer + "/input", "\"input\" is an object of input groups", "\"input\" 是按输入分组写的对象");
      } else {
        member_names(in, pointer + "/input", groups, "input group", "输入分组");
        for (std::size_t i = 0; i < in->members.size(); ++i) {
          const auto& [g, v] = in->members[i];
          auto it = names_.group_shapes.find(g);
          if (it != names_.group_shapes.end()) record_fields(v, pointer + "/input/" + load::pointer_token(g), it->second, g);
        }
      }
    }
    const load::JsonNode* sources = c.find("sources");
    member_names(sources, pointer + "/sources", names_.sources, "data source", "数据源");
    if (sources && sources->is_object()) {
      // What a source answers is the object of the group that names it.
      for (const auto& [s, v] : sources->members) {
        auto it = names_.source_groups.find(s);
        if (it == names_.source_groups.end() || it->second.size() != 1) continue;
        const std::string& g = it->second.front();
        record_fields(v, pointer + "/sources/" + load::pointer_token(s), names_.group_shapes[g], g);
      }
    }
    if (const load::JsonNode* bl = c.find("blacklist"); bl && bl->is_array())
      for (std::size_t i = 0; i < bl->items.size(); ++i)
        if (bl->items[i].is_object())
          keys(bl->items[i], pointer + "/blacklist/" + std::to_string(i),
               {"id", "scopes", "reason_code", "reason_text", "source", "listed_on", "from", "until"}, "a blacklist entry",
               "黑名单条目");
    const load::JsonNode* e = c.find("expect");
    if (!e) {
      wrong(c, pointer, "a case needs \"expect\": a case that expects nothing tests nothing",
            "用例需要 \"expect\"：什么都不预期的用例什么也没测");
    } else if (!e->is_object()) {
      wrong(*e, pointer + "/expect", "\"expect\" is an object", "\"expect\" 是一个对象");
    } else {
      const std::string ep = pointer + "/expect";
      keys(*e, ep, {"verdict", "failed", "missing", "reasons", "total", "points", "outputs", "sources_called",
                    "data_errors", "blacklist_hits", "error"},
           "\"expect\"", "\"expect\" ");
      if (const load::JsonNode* v = e->find("verdict")) {
        const std::vector<std::string> verdicts{"eligible", "ineligible", "needs_evidence", "error"};
        if (!v->is_string() || std::find(verdicts.begin(), verdicts.end(), v->text) == verdicts.end())
          wrong(*v, ep + "/verdict",
                "\"verdict\" is eligible, ineligible, needs_evidence or error" + (v->is_string() ? near(v->text, verdicts) : ""),
                "\"verdict\" 是 eligible、ineligible、needs_evidence 或 error" + (v->is_string() ? near(v->text, verdicts) : ""));
      }
      names_in(e->find("failed"), ep + "/failed", names_.checks, "check", "检查项");
      member_names(e->find("points"), ep + "/points", names_.indicators, "indicator", "计分指标");
      member_names(e->find("outputs"), ep + "/outputs", names_.outputs, "output", "输出");
      names_in(e->find("sources_called"), ep + "/sources_called", names_.sources, "data source", "数据源");
    }
    return out_->error_count() == before;
  }

 private:
  load::Reporter rep_;
  PackNames names_;
  Diagnostics* out_;
};

}  // namespace

int cmd_test(const Args& args, Io& io) {
  Options opt;
  std::string error;
  if (!parse_options(args, {"coverage-json", "lang"}, {"help", "verbose", "allow-outside-paths", "coverage", "full-coverage"},
                     &opt, &error) ||
      opt.has("help") || opt.positional.empty()) {
    if (!error.empty()) io.err << "eligo test: " << error << "\n";
    (opt.has("help") ? io.out : io.err)
        << "usage: eligo test [--verbose] [--allow-outside-paths] [--lang zh-CN|en] [--coverage]\n"
           "                  [--coverage-json FILE] [--full-coverage] PACK...\n"
           "  Runs the cases named by each pack's \"tests\"; exit 1 when any fails. The case files are\n"
           "  checked against the pack first: a case with a problem (file:line:col) fails without running.\n"
           "  --lang L              language of those problems (default: from the locale; zh-CN when unset)\n"
           "  --coverage            print, per pack version, the checks (passed/failed/needs_evidence seen),\n"
           "                        table rows, if branches and caps the cases reached\n"
           "  --coverage-json FILE  write the same as JSON ({\"packs\": [...]}); - for standard output\n"
           "  --full-coverage       exit 1 unless every check was seen passed and failed and every table\n"
           "                        row (of scores and of outputs) was reached (implies --coverage)\n";
    return opt.has("help") ? 0 : 2;
  }
  const bool verbose = opt.has("verbose");
  const std::string lang = diagnostics_lang(opt.get("lang", ""));
  const bool zh = lang == "zh-CN";
  const bool want_full = opt.has("full-coverage");
  const bool counting = want_full || opt.has("coverage") || opt.has("coverage-json");
  // One Coverage per pack version, in the order the versions were first loaded.
  std::vector<std::unique_ptr<Coverage>> coverages;
  auto coverage_of = [&](const Pack& p) -> Coverage* {
    for (auto& c : coverages)
      if (&c->pack().program() == &p.program()) return c.get();
    coverages.push_back(std::make_unique<Coverage>(p));
    return coverages.back().get();
  };
  // W1307: per pack version, the checks and indicators some case reached (a check passed, failed or
  // needing evidence; an indicator whose "when" held), to warn about the ones no case reaches.
  struct Reach {
    const Pack* pack = nullptr;
    std::set<std::string> checks, indicators;
  };
  std::vector<Reach> reach;
  auto note_reach = [&](const Pack& p, const Decision& d) {
    Reach* r = nullptr;
    for (auto& x : reach)
      if (&x.pack->program() == &p.program()) r = &x;
    if (!r) return;
    for (const auto& c : d.checks)
      if (c.status == CheckStatus::passed || c.status == CheckStatus::failed || c.status == CheckStatus::needs_evidence)
        r->checks.insert(std::string(c.id));
    for (const auto& it : d.items)
      if (it.status != ItemStatus::not_applicable) r->indicators.insert(std::string(it.id));
  };
  std::vector<PackSet> sets;  // kept alive: the coverages report on their packs after the run
  sets.reserve(opt.positional.size());
  int passed = 0, failed = 0;
  bool unusable = false;
  for (const auto& path : opt.positional) {
    sets.emplace_back();
    PackSet& set = sets.back();
    Diagnostics diags;
    if (!set.load(path, &diags, [&] { CompileOptions c; c.allow_outside_paths = opt.has("allow-outside-paths"); return c; }())) {
      io.out << diags.to_string();
      unusable = true;
      continue;
    }
    if (counting)
      for (const auto& p : set.packs()) coverage_of(p);  // every version is reported, even one no case selects
    for (const auto& p : set.packs()) reach.push_back({&p, {}, {}});
    std::set<std::string> seen;
    // A pack none of whose versions names a test file has nothing to run: that is a failure, located at
    // the pack file (its first version), never "0 passed, 0 failed".
    std::set<std::string> ids_with_tests, ids_reported;
    for (const auto& p : set.packs())
      if (!p.test_files().empty()) ids_with_tests.insert(p.id());
    for (const auto& p : set.packs()) {
      if (ids_with_tests.count(p.id()) || !ids_reported.insert(p.id()).second) continue;
      std::string text;
      if (!read_text(p.file(), io, &text, &error)) {
        io.out << "error: " << error << "\n";
        unusable = true;
        continue;
      }
      const load::JsonParseResult parsed = load::parse_json(text);
      Diagnostics problems;
      problems.lang = lang;
      load::Reporter rep(p.file(), text, &problems, zh);
      const std::string message = rep.tr("pack '" + p.id() + "' names no test file under \"tests\": there are no cases to run",
                                         "规则包 '" + p.id() + "' 没有在 \"tests\" 中指定测试文件：没有可运行的用例");
      if (parsed.ok) rep.at_node("E1505", parsed.root, "", message);
      else rep.at_file("E1505", message);
      io.out << problems.to_string();
      unusable = true;
    }
    for (const auto& owner : set.packs()) {
      for (const auto& file : owner.test_files()) {
        if (!seen.insert(file).second) continue;
        std::string text;
        if (!read_text(file, io, &text, &error)) {
          io.out << "error: " << error << "\n";
          unusable = true;
          continue;
        }
        // Test files are code too: read with positions and checked against the pack first.
        const load::JsonParseResult parsed = load::parse_json(text);
        Diagnostics problems;
        problems.lang = lang;
        if (!parsed.ok) {
          load::Reporter rep(file, text, &problems, zh);
          rep.at_pos("E1501", parsed.error.pos, 1, "",
                     rep.tr("the test file is not valid JSON: " + parsed.error.message,
                            "测试文件不是合法的 JSON：" + parsed.error.message));
          io.out << problems.to_string();
          unusable = true;
          continue;
        }
        CaseChecker checker(file, text, &problems, zh, names_of(set, owner.id()));
        if (!checker.file(parsed.root)) {
          io.out << problems.to_string();
          unusable = true;
          continue;
        }
        {
          load::Reporter rep(file, text, &problems, zh);
          for (const auto& dup : parsed.duplicates)
            rep.at_pos("E1502", dup.pos, static_cast<int>(dup.key.size()) + 2, dup.pointer,
                       rep.tr("key '" + dup.key + "' given twice (first on line " + std::to_string(dup.first_pos.line) + ")",
                              "键 '" + dup.key + "' 写了两次（第一次在第 " + std::to_string(dup.first_pos.line) + " 行）"));
        }
        const auto& case_nodes = parsed.root.find("cases")->items;
        if (case_nodes.empty()) {
          // A file that tests nothing must not pass: "0 passed, 0 failed" would read as green.
          load::Reporter rep(file, text, &problems, zh);
          rep.at_node("E1505", *parsed.root.find("cases"), "/cases",
                      rep.tr("the test file has no cases: a file that tests nothing cannot pass",
                             "测试文件里没有用例：什么都不测的文件不能算通过"));
          io.out << problems.to_string();
          unusable = true;
          continue;
        }
        std::vector<char> broken;
        for (std::size_t i = 0; i < case_nodes.size(); ++i)
          broken.push_back(!checker.one_case(case_nodes[i], "/cases/" + std::to_string(i)));
        for (const auto& dup : parsed.duplicates)  // a key given twice breaks the case that holds it
          for (std::size_t i = 0; i < case_nodes.size(); ++i)
            if (dup.pos.offset >= case_nodes[i].pos.offset && dup.pos.offset < case_nodes[i].end_offset) broken[i] = 1;
        if (!problems.items.empty()) io.out << problems.to_string();
        json doc;
        try {
          doc = json::parse(text);
        } catch (const json::exception& e) {
          io.out << "error: " << file << ": malformed JSON: " << e.what() << "\n";
          unusable = true;
          continue;
        }
        if (!doc.contains("cases") || !doc["cases"].is_array()) {
          io.out << "error: " << file << ": expected {\"cases\": [...]}\n";
          unusable = true;
          continue;
        }
        io.out << file << "\n";
        std::size_t index = 0;
        for (const auto& c : doc["cases"]) {
          ++index;
          const load::SourcePos at = index - 1 < case_nodes.size() ? case_nodes[index - 1].pos : load::SourcePos{};
          const std::string where = file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
          if (index - 1 < broken.size() && broken[index - 1]) {
            ++failed;
            io.out << "  FAIL " << (c.contains("name") && c["name"].is_string() ? c["name"].get<std::string>()
                                                                                 : "case " + std::to_string(index))
                   << "  " << where << "\n      not run: the case has the problems shown above\n";
            continue;
          }
          try {
          const std::string name = c.contains("name") && c["name"].is_string() ? c["name"].get<std::string>()
                                                                              : "case " + std::to_string(index);
          auto as_of = Date::parse(c.value("as_of", ""));
          if (!as_of) {
            io.out << "  FAIL " << name << "  " << where << "\n      as_of is missing or not a date\n";
            ++failed;
            continue;
          }
          const Pack* pack = set.select(owner.id(), *as_of);
          if (!pack) pack = &owner;  // evaluating outside every window reports E2002
          const json sources = c.value("sources", json::object());
          CaseSources src(sources);
          std::string bl_error;
          const auto snapshot = case_blacklist(c, &bl_error);
          if (!snapshot) {
            io.out << "  FAIL " << name << "  " << where << "\n      " << bl_error << "\n";
            ++failed;
            continue;
          }
          EvalOptions eo;
          eo.as_of = *as_of;
          eo.sources = &src;
          eo.blacklist = snapshot.get();
          eo.lang = c.value("lang", "zh-CN");
          if (c.contains("mode")) eo.mode = c["mode"] == "all" ? CheckMode::all : CheckMode::first_failure;
          if (counting) eo.coverage = coverage_of(*pack);
          const Decision d = pack->evaluate(c.value("input", json::object()).dump(), eo);
          if (!d.error || d.error->code != "E2002") note_reach(*pack, d);
          std::vector<std::string> diffs;
          compare_case(c.value("expect", json::object()), d, &diffs);
          if (diffs.empty()) {
            ++passed;
            if (verbose) io.out << "  ok   " << name << "\n";
          } else {
            ++failed;
            io.out << "  FAIL " << name << "  (" << pack->id() << " " << pack->version() << ")  " << where << "\n";
            for (const auto& df : diffs) io.out << "      " << df << "\n";
          }
          } catch (const json::exception& e) {
            // A malformed case is that case's failure, not the end of the run.
            ++failed;
            io.out << "  FAIL case " << index << "  " << where << "\n      malformed case: " << e.what() << "\n";
          }
        }
      }
    }
  }
  // W1307: a check or indicator that no case reaches, per pack version that ran cases (a pack with none is
  // E1505 above), unless the pack silences it.
  std::set<std::string> ids_run;
  for (const auto& r : reach)
    if (!r.checks.empty() || !r.indicators.empty()) ids_run.insert(r.pack->id());
  for (const auto& r : reach) {
    const detail::Program& prog = r.pack->program();
    if (!ids_run.count(r.pack->id()) ||
        std::find(prog.lint_ignore.begin(), prog.lint_ignore.end(), "W1307") != prog.lint_ignore.end())
      continue;
    std::string text;
    std::string read_error;
    if (!read_text(r.pack->file(), io, &text, &read_error)) continue;
    const load::JsonParseResult parsed = load::parse_json(text);
    if (!parsed.ok) continue;
    Diagnostics warnings;
    warnings.lang = lang;
    load::Reporter rep(r.pack->file(), text, &warnings, zh);
    auto warn = [&](const char* section, std::size_t i, const std::string& id, bool is_check) {
      const load::JsonNode* list = parsed.root.find(section);
      const load::JsonNode* item = list && list->is_array() && i < list->items.size() ? &list->items[i] : nullptr;
      const std::string pointer = std::string("/") + section + "/" + std::to_string(i);
      const std::string en = is_check ? "check '" + id + "' is reached by no test case: every case stops before it or skips it (when)"
                                      : "indicator '" + id + "' is reached by no test case: no case scores it (none is eligible, or its \"when\" is false in each)";
      const std::string zh_text = is_check ? "没有任何测试用例走到检查项 '" + id + "'：每个用例都在它之前停下或跳过了它（when）"
                                           : "没有任何测试用例走到指标 '" + id + "'：没有用例为它计分（没有符合条件的用例，或每个用例中它的 \"when\" 都不成立）";
      const std::string hint = rep.tr(" (add a case that reaches it, or \"lint\": {\"ignore\": [\"W1307\"]})",
                                      "（请补一个走到它的用例，或写 \"lint\": {\"ignore\": [\"W1307\"]}）");
      if (item) rep.at_node("W1307", *item, pointer, rep.tr(en, zh_text) + hint, Severity::warning);
      else rep.at_file("W1307", rep.tr(en, zh_text) + hint, Severity::warning);
    };
    for (std::size_t i = 0; i < prog.checks.size(); ++i)
      if (!r.checks.count(prog.checks[i].id)) warn("checks", i, prog.checks[i].id, true);
    for (std::size_t i = 0; i < prog.indicators.size(); ++i)
      if (!r.indicators.count(prog.indicators[i].id)) warn("scores", i, prog.indicators[i].id, false);
    if (!warnings.items.empty()) io.out << warnings.to_string();
  }
  io.out << passed << " passed, " << failed << " failed\n";
  bool short_of_full = false;
  if (counting) {
    for (const auto& c : coverages) {
      if (opt.has("coverage") || want_full) io.out << c->to_text();
      short_of_full |= !c->full();
    }
    if (opt.has("coverage-json")) {
      std::string doc = "{\"packs\":[";
      for (std::size_t i = 0; i < coverages.size(); ++i) doc += (i ? "," : "") + coverages[i]->to_json();
      doc += "]}\n";
      const std::string file = opt.get("coverage-json");
      if (file == "-") {
        io.out << doc;
      } else {
        std::ofstream f(file, std::ios::binary);
        if (!(f << doc)) {
          io.err << "eligo test: cannot write " << file << "\n";
          return 2;
        }
      }
    }
  }
  if (unusable) return 2;
  if (failed) return 1;
  return want_full && short_of_full ? 1 : 0;
}

}  // namespace eligo::cli
