// The fast path of evaluation (src/evaluate/fast_eval.hpp) decides exactly what the full path decides:
// generated populations of every bundled pack (rules/ and bench/packs/) are evaluated with the fast path
// on and off, and every field of the two decisions must be equal (issue 11).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "compile/program.hpp"
#include "eligo/pack.hpp"
#include "evaluate/fast_eval.hpp"
#include "evaluate/fast_plan.hpp"
#include "evaluate/test_rng.hpp"

namespace {

using eligo::Decision;
using eligo::EvalOptions;
using eligo::Pack;
using eligo::detail::Program;
using eligo::detail::TKind;
using eligo::detail::VKind;

// Half of each population is clean (every field given, of the right shape), the other half has gaps: the
// fast path must finish on the first kind and hand the second back to the full path.
bool g_clean = false;

using eligo::test::Rng;

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A valid resident ID number (region, birth date, sequence, ISO 7064 check character).
std::string id_number(Rng& r) {
  static const char* kRegions[] = {"110105", "330106", "440104", "510107", "610104"};
  char body[18];
  std::snprintf(body, sizeof body, "%s%04d%02d%02d%03d", kRegions[r.in(0, 4)], r.in(1940, 2015), r.in(1, 12),
                r.in(1, 28), r.in(0, 999));
  static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[i] - '0') * kWeights[i];
  return std::string(body, 17) + "10X98765432"[sum % 11];
}

// Values the rules compare with are the interesting ones: strings and numbers from the pack's constants
// and sets, near which the checks and table rows switch.
struct Interesting {
  std::vector<std::string> strings, numbers;
  explicit Interesting(const Program& p) {
    auto take = [&](const eligo::detail::Value& v) {
      if (v.kind == VKind::string) strings.emplace_back(v.sv());
      if (v.kind == VKind::number) numbers.push_back(v.num.to_string());
    };
    for (const auto& v : p.constants) take(v);
    for (const auto& l : p.value_lists)
      for (const auto& v : l) take(v);
  }
};

std::string date_text(Rng& r) {
  char b[16];
  std::snprintf(b, sizeof b, "\"%04d-%02d-%02d\"", r.in(1935, 2027), r.in(1, 12), r.in(1, 28));
  return b;
}

std::string number_text(Rng& r, const Interesting& k) {
  switch (r.in(0, 9)) {
    case 0: return g_clean ? "7" : "12345678901234567890123.5";  // beyond 64 bits: the wide fallback
    case 1: return "-" + std::to_string(r.in(0, 500));
    case 2: case 3:
      if (!k.numbers.empty()) return k.numbers[static_cast<std::size_t>(r.in(0, static_cast<int>(k.numbers.size()) - 1))];
      [[fallthrough]];
    case 4: return std::to_string(r.in(0, 99)) + "." + std::to_string(r.in(0, 999));
    default: return std::to_string(r.in(0, 700));
  }
}

std::string value_text(const Program& p, std::uint32_t type, Rng& r, const Interesting& k, int depth);

std::string record_text(const Program& p, std::uint32_t record, Rng& r, const Interesting& k, int depth) {
  std::string out = "{";
  bool first = true;
  for (const auto& f : p.records[record].fields) {
    if (!g_clean && r.chance(6)) continue;  // not given: missing
    out += std::string(first ? "" : ", ") + quoted(f.name) + ": " + value_text(p, f.type, r, k, depth + 1);
    first = false;
  }
  return out + "}";
}

std::string value_text(const Program& p, std::uint32_t type, Rng& r, const Interesting& k, int depth) {
  const auto& t = p.types[type];
  if (r.chance(t.optional ? 20 : g_clean ? 0 : 3)) return "null";
  if (!g_clean && r.chance(2)) return "[true]";  // the wrong shape: a data error, the field missing
  switch (t.kind) {
    case TKind::null: return "null";
    case TKind::boolean: return r.chance(50) ? "true" : "false";
    case TKind::number: return number_text(r, k);
    case TKind::date: return date_text(r);
    case TKind::string: {
      if (t.enum_id >= 0) {
        const auto& values = p.enums[static_cast<std::size_t>(t.enum_id)];
        return quoted(values[static_cast<std::size_t>(r.in(0, static_cast<int>(values.size()) - 1))]);
      }
      if (t.cn_id) return quoted(id_number(r));
      if (!k.strings.empty() && r.chance(70))
        return quoted(k.strings[static_cast<std::size_t>(r.in(0, static_cast<int>(k.strings.size()) - 1))]);
      return quoted("t" + std::to_string(r.in(0, 20)));
    }
    case TKind::list: {
      std::string out = "[";
      const int n = depth > 3 ? 0 : r.in(0, 4);
      for (int i = 0; i < n; ++i) out += std::string(i ? ", " : "") + value_text(p, t.elem, r, k, depth + 1);
      return out + "]";
    }
    case TKind::record: return record_text(p, t.record, r, k, depth);
  }
  return "null";
}

std::string applicant(const Program& p, Rng& r, const Interesting& k) {
  std::string out = "{";
  bool first = true;
  for (const auto& g : p.groups) {
    if (r.chance(g.source.empty() ? (g_clean ? 0 : 3) : 30)) continue;  // not given (a sourced one is fetched)
    out += std::string(first ? "" : ", ") + quoted(g.name) + ": " + record_text(p, g.record, r, k, 0);
    first = false;
  }
  return out + "}";
}

void require_same(const Decision& a, const Decision& b, const std::string& input) {
  INFO("input: " << input);
  REQUIRE(a.to_json() == b.to_json());
  REQUIRE(a.to_text(false) == b.to_text(false));
  REQUIRE(a.verdict == b.verdict);
  REQUIRE(a.total.to_string() == b.total.to_string());
  REQUIRE(a.checks.size() == b.checks.size());
  for (std::size_t i = 0; i < a.checks.size(); ++i) {
    const auto &x = a.checks[i], &y = b.checks[i];
    CHECK((x.id == y.id && x.label == y.label && x.status == y.status && x.reason == y.reason && x.cite == y.cite &&
           x.department == y.department && x.missing == y.missing && x.read.size() == y.read.size()));
  }
  REQUIRE(a.items.size() == b.items.size());
  for (std::size_t i = 0; i < a.items.size(); ++i) {
    const auto &x = a.items[i], &y = b.items[i];
    CHECK((x.id == y.id && x.label == y.label && x.department == y.department && x.group == y.group &&
           x.points.to_string() == y.points.to_string() && x.status == y.status && x.deduct == y.deduct &&
           x.example == y.example && x.how == y.how && x.missing == y.missing && x.read.size() == y.read.size()));
  }
  REQUIRE(a.outputs.size() == b.outputs.size());
  for (std::size_t i = 0; i < a.outputs.size(); ++i)
    CHECK((a.outputs[i].value == b.outputs[i].value && a.outputs[i].json == b.outputs[i].json &&
           a.outputs[i].missing == b.outputs[i].missing));
  CHECK(a.data_errors.size() == b.data_errors.size());
  CHECK(a.sources_called.size() == b.sources_called.size());
  CHECK(a.error.has_value() == b.error.has_value());
}

// Decides `in` with the fast path into *fast, then again with it off, and requires the same decision. True
// when the fast path finished the evaluation itself (it did not hand over to the full evaluator).
bool same_both_ways(const Pack& pack, eligo::Input& in, const EvalOptions& o, Decision* fast, const std::string& input) {
  eligo::detail::set_fast_path_enabled(true);
  const std::uint64_t before = eligo::detail::fast_path_completions();
  pack.evaluate(in, o, fast);
  const bool finished = eligo::detail::fast_path_completions() != before;
  eligo::detail::set_fast_path_enabled(false);
  const Decision full = pack.evaluate(in, o);
  require_same(*fast, full, input);
  return finished;
}

// Restores the fast path whatever the test does.
struct FastPathOn {
  ~FastPathOn() { eligo::detail::set_fast_path_enabled(true); }
};

}  // namespace

TEST_CASE("the fast path decides exactly as the full path on every bundled pack", "[evaluate][fast_path]") {
  std::vector<std::string> files;
  for (const char* dir : {"rules", "bench/packs"})
    for (const auto& e : std::filesystem::recursive_directory_iterator(std::string(ELIGO_SOURCE_DIR) + "/" + dir))
      if (e.path().filename().string().find(".pack.json") != std::string::npos) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 6);
  FastPathOn restore;
  std::uint64_t completed_total = 0;
  // Also one Decision reused across every pack and both languages: the fields a pack and a language fix
  // (ids, labels, departments) must follow the pack evaluated, never the one before.
  Decision across_packs;
  for (const auto& file : files) {
    INFO("pack: " << file);
    auto compiled = eligo::compile_file(file);
    REQUIRE(compiled.pack.has_value());
    const Pack& pack = *compiled.pack;
    const Program& p = pack.program();
    const Interesting k(p);
    Rng r(std::hash<std::string>{}(file));
    Decision fast_reused;  // reused across applicants, as a portal does: no earlier breakdown may leak
    const std::uint64_t completed_before = eligo::detail::fast_path_completions();
    for (int i = 0; i < 400; ++i) {
      g_clean = i % 2 == 0;
      const std::string text = applicant(p, r, k);
      EvalOptions o;
      const eligo::Date base = p.effective_from ? *p.effective_from : *eligo::Date::parse("2024-05-01");
      o.as_of = eligo::add_days(base, r.in(0, 400));
      if (p.effective_until && *o.as_of > *p.effective_until) o.as_of = p.effective_until;
      if (r.chance(30)) o.mode = r.chance(50) ? eligo::CheckMode::all : eligo::CheckMode::first_failure;
      if (r.chance(30)) o.lang = "en";
      if (r.chance(10)) o.clear_pii = true;
      if (!g_clean && r.chance(15)) o.step_budget = static_cast<std::uint64_t>(r.in(1, 60));  // E2001 exactly where the full path says
      eligo::Input in = pack.bind(text);
      eligo::detail::set_fast_path_enabled(true);
      pack.evaluate(in, o, &fast_reused);
      if (i % 7 == 0) pack.evaluate(in, o, &across_packs);
      eligo::detail::set_fast_path_enabled(false);
      Decision full;
      pack.evaluate(in, o, &full);
      require_same(fast_reused, full, text);
      if (i % 7 == 0) require_same(across_packs, full, text);
    }
    const std::uint64_t completed = eligo::detail::fast_path_completions() - completed_before;
    // The reference packs use only what the fast path implements: their clean half finishes on it.
    if (file.find("bench/packs") != std::string::npos) CHECK(completed >= 150);
    completed_total += completed;
  }
  // The comparison proves something only if the fast path finished for a good part of the population.
  CHECK(completed_total >= 700);
}

TEST_CASE("the fast path finishes for the reference packs and bails on missing data", "[evaluate][fast_path]") {
  auto compiled = eligo::compile_file(std::string(ELIGO_SOURCE_DIR) + "/bench/packs/points6.pack.json");
  REQUIRE(compiled.pack.has_value());
  const Pack& pack = *compiled.pack;
  EvalOptions o;
  o.as_of = eligo::Date::parse("2024-05-01");
  FastPathOn restore;
  eligo::detail::set_fast_path_enabled(true);
  std::uint64_t before = eligo::detail::fast_path_completions();
  const Decision d = pack.evaluate(R"J({"a": {"birth_date": "1990-03-01", "permit_since": "2016-02-10",
    "education": "associate", "rent_years": 7, "si_years": 3, "volunteer_hours": 260}})J", o);
  CHECK(eligo::detail::fast_path_completions() == before + 1);
  // 8 × 8 + min(35, 20) + 20 + 30 + 6 + min(10, 10)
  CHECK(d.total.to_string() == "150");
  before = eligo::detail::fast_path_completions();
  const Decision m = pack.evaluate(R"J({"a": {"birth_date": "1990-03-01", "permit_since": "2016-02-10",
    "education": "associate", "si_years": 3, "volunteer_hours": 260}})J", o);
  CHECK(eligo::detail::fast_path_completions() == before);
  REQUIRE(m.items.size() == 6);
  CHECK(m.items[1].status == eligo::ItemStatus::needs_evidence);
  CHECK(m.items[1].missing == std::vector<std::string>{"a.rent_years"});
}

// The shapes the fast path's plan fuses or shortcuts (src/evaluate/fast_plan.hpp), and the cases where it
// must hand the applicant back: a cap beyond 64 bits, a sum or product beyond 64 bits, a deduction, groups
// with a cap, a "not in" set of strings, a range with constant bounds, a reason with and without values.
TEST_CASE("the fast path's fused shapes and its 64-bit sums decide as the full path", "[evaluate][fast_path]") {
  const char* kPack = R"J({
    "pack": "test.fast_shapes", "version": "1",
    "inputs": {"a": {"fields": {"code": "string", "n": "number", "m": "number", "born": "date",
                                "kind": {"enum": ["x", "y", "z"]}}}},
    "lists": {"blocked": {"values": ["b1", "b2", "b3", "b4", "b5"]}},
    "checks": [
      {"id": "not_blocked", "require": "a.code not in blocked", "reason": {"zh-CN": "代码被禁用", "en": "code blocked"}},
      {"id": "small", "require": "a.n in [0 .. 100000000000000000]", "reason": "n = {a.n} is out of range"},
      {"id": "named", "require": "a.code != 'zz'", "reason": "code {a.code}"}
    ],
    "scores": [
      {"id": "big", "per": {"count": "a.n", "points": 1000}, "cap": 99999999999999999999},
      {"id": "unit", "per": {"count": "a.m", "points": "0.5"}, "cap": 3, "group": "g"},
      {"id": "more", "points": "a.m * 2", "group": "g"},
      {"id": "kind", "table": {"on": "a.kind", "hit": "collect_sum", "rows": [
        {"when": "'x'", "points": "1.25"}, {"when": "['x', 'y']", "points": 2}, {"otherwise": 0}]}},
      {"id": "penalty", "points": "a.m", "deduct": true}
    ],
    "groups": {"g": {"cap": 7}},
    "total": {"floor": 0}
  })J";
  auto compiled = eligo::compile_text(kPack);
  INFO(compiled.diagnostics.to_string());
  REQUIRE(compiled.pack.has_value());
  const Pack& pack = *compiled.pack;
  FastPathOn restore;
  struct Case {
    const char* json;
    bool fast;  // the fast path finishes
  };
  const Case cases[] = {
      {R"({"a": {"code": "ok", "n": 3, "m": 4, "born": "1990-01-01", "kind": "x"}})", true},
      {R"({"a": {"code": "ok", "n": 3, "m": 1.5, "born": "1990-01-01", "kind": "y"}})", true},
      {R"({"a": {"code": "b3", "n": 3, "m": 4, "born": "1990-01-01", "kind": "z"}})", true},    // plain reason
      {R"({"a": {"code": "ok", "n": -3, "m": 4, "born": "1990-01-01", "kind": "z"}})", true},   // reason with a value
      {R"({"a": {"code": "zz", "n": 3, "m": 4, "born": "1990-01-01", "kind": "z"}})", true},
      {R"({"a": {"code": "ok", "n": 7, "m": 200, "born": "1990-01-01", "kind": "x"}})", true},   // group cap, deduction
      {R"({"a": {"code": "ok", "n": 90000000000000000, "m": 0, "born": "1990-01-01", "kind": "x"}})", false},  // n × 1000 beyond 64 bits
      {R"({"a": {"code": "ok", "n": 9000000000000000, "m": 0, "born": "1990-01-01", "kind": "x"}})", false},   // the sum beyond 64 bits
  };
  for (const auto& c : cases) {
    INFO("input: " << c.json);
    for (const char* lang : {"zh-CN", "en"}) {
      EvalOptions o;
      o.as_of = eligo::Date::parse("2024-05-01");
      o.lang = lang;
      eligo::Input in = pack.bind(c.json);
      Decision fast;
      CHECK(same_both_ways(pack, in, o, &fast, c.json) == c.fast);
    }
  }
}

// Session 7's shortcuts (issue 11): fields read from the bound input's row of fast values, enum members
// compared by symbol, as_of's calendar worked out once. Each at its edges — the same text in two enums, an
// enum against a plain string and against a constant no enum declares, dates on as_of, a day either side,
// 29 February, both argument orders, numbers at and just beyond 64 bits, a group given as null, and rows
// bound from cells rather than JSON — decided with the fast path on and off.
TEST_CASE("the fast path's bound row, enum symbols and as_of calendar decide as the full path", "[evaluate][fast_path]") {
  const char* kPack = R"J({
    "pack": "test.fast_row", "version": "1",
    "inputs": {"a": {"fields": {"code": "string", "n": "number", "born": "date",
                                "kind": {"enum": ["x", "y", "w2"]}, "kind2": {"enum": ["y", "x", "q"]}}},
               "b": {"fields": {"on": "date", "tier": {"enum": ["x", "gold"]}}}},
    "lists": {"xs": {"values": ["x", "w", "gold"]}},
    "checks": [
      {"id": "same", "require": "(a.kind == a.kind2 and a.kind != 'y') or a.code == a.kind or a.kind == 'w2'", "reason": "k {a.kind}"},
      {"id": "listed", "require": "a.kind in xs or a.kind2 in xs or a.code in xs or b.tier in xs", "reason": "not listed"},
      {"id": "n", "require": "a.n > -1", "reason": "n {a.n}"}
    ],
    "scores": [
      {"id": "kind", "table": {"on": "a.kind", "rows": [
        {"when": "'y'", "points": 3}, {"when": "'x'", "points": 2}, {"when": "'w2'", "points": 9}, {"otherwise": 1}]}},
      {"id": "kind2", "table": {"on": "a.kind2", "hit": "collect_sum", "rows": [
        {"when": "'x'", "points": 5}, {"when": "['x', 'q']", "points": 7}, {"otherwise": 0}]}},
      {"id": "tier", "table": {"on": "b.tier", "rows": [{"when": "'gold'", "points": 4}, {"when": "'x'", "points": 6}]}},
      {"id": "age", "points": "years_between(a.born, as_of)"},
      {"id": "age_back", "points": "years_between(as_of, a.born)"},
      {"id": "months", "points": "months_between(a.born, as_of) + months_between(as_of, a.born) * 2"},
      {"id": "b_months", "points": "months_between(b.on, a.born)"},
      {"id": "n", "per": {"count": "a.n", "points": 1}}
    ]
  })J";
  auto compiled = eligo::compile_text(kPack);
  INFO(compiled.diagnostics.to_string());
  REQUIRE(compiled.pack.has_value());
  const Pack& pack = *compiled.pack;
  FastPathOn restore;
  const char* kBorn[] = {"2024-02-29", "2024-02-28", "2024-03-01", "2023-02-28", "2023-03-01", "2000-02-29",
                         "2000-03-01", "1999-02-28", "2024-05-01", "2024-04-30", "2024-05-02", "1990-05-01",
                         "1990-04-30", "1990-05-02", "2030-05-01"};
  const char* kAsOf[] = {"2024-02-29", "2024-03-01", "2023-02-28", "2024-05-01", "2025-02-28"};
  const char* kNumbers[] = {"0", "1", "-1", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
                            "-9223372036854775809", "92233720368547758.07", "0.5"};
  const char* kKinds[] = {"x", "y", "w2"};
  const char* kKinds2[] = {"y", "x", "q"};
  const char* kCodes[] = {"x", "w", "y", "gold", "zz"};
  int completed = 0, cases = 0;
  Decision reused;
  for (int i = 0; i < 15 * 9; ++i) {
    const std::string born = kBorn[i % 15], n = kNumbers[i % 9];
    std::string b = i % 11 == 0 ? "null" : std::string(R"({"on": ")") + kBorn[(i * 7) % 15] + R"(", "tier": ")" +
                                              (i % 2 ? "gold" : "x") + "\"}";
    const std::string text = std::string(R"({"a": {"code": ")") + kCodes[i % 5] + R"(", "n": )" + n +
                             R"(, "born": ")" + born + R"(", "kind": ")" + kKinds[i % 3] + R"(", "kind2": ")" +
                             kKinds2[(i / 3) % 3] + R"("}, "b": )" + b + "}";
    for (const char* as_of : kAsOf) {
      EvalOptions o;
      o.as_of = eligo::Date::parse(as_of);
      o.mode = eligo::CheckMode::all;
      eligo::Input in = pack.bind(text);
      completed += same_both_ways(pack, in, o, &reused, text + " as of " + as_of);
      ++cases;
    }
  }
  // The applicants whose numbers fit in 64 bits and whose group b is given finish on the fast path.
  CHECK(completed >= cases / 2);

  // The same fields bound from cells (CSV rows, DataFrames) fill the row as JSON does.
  auto layout = pack.layout({"a.code", "a.n", "a.born", "a.kind", "a.kind2", "b.on", "b.tier"}, {}, nullptr);
  REQUIRE(layout.has_value());
  for (int i = 0; i < 30; ++i) {
    const std::vector<std::string_view> cells = {kCodes[i % 5], kNumbers[i % 9], kBorn[i % 15], kKinds[i % 3],
                                                 kKinds2[(i / 3) % 3], kBorn[(i * 7) % 15], i % 2 ? "gold" : "x"};
    eligo::Input in;
    pack.bind_row(*layout, cells, &in);
    REQUIRE(in.errors().empty());
    EvalOptions o;
    o.as_of = eligo::Date::parse(kAsOf[i % 5]);
    const bool finished = same_both_ways(pack, in, o, &reused, "row " + std::to_string(i));
    // 0, 1, -1 and 0.5 fit; INT64_MAX and beyond overflow the sum, beyond 64 bits is never in the row.
    if (i % 9 < 3 || i % 9 == 8) CHECK(finished);
  }
}

// The plan's jump tables (`table on` an enum, hit first, rows naming members) and its fused calls
// (years_between / months_between against as_of, floor(x / whole constant)) skip nodes but must spend the
// steps the tree walk spends: every applicant is decided under every step budget from 1 to 70 (and none),
// with the fast path on and off. Duplicate rows, an otherwise after member rows, every member named and no otherwise, tables the
// plan must leave to the row loop, a null date, quotients at, beside and beyond 64 bits.
TEST_CASE("the fast path's jump tables and fused calls spend the tree walk's steps", "[evaluate][fast_path]") {
  const char* kPack = R"J({
    "pack": "test.fast_jump", "version": "1",
    "inputs": {"a": {"fields": {"kind": {"enum": ["x", "y", "z", "w"]}, "n": "number", "d": "date?"}}},
    "scores": [
      {"id": "dup", "table": {"on": "a.kind", "rows": [
        {"when": "'y'", "points": 3}, {"when": "'x'", "points": 2}, {"when": "'y'", "points": 9},
        {"when": "'z'", "points": 1}, {"when": "'w'", "points": "a.n"}]}},
      {"id": "other", "table": {"on": "a.kind", "rows": [
        {"when": "'z'", "points": "a.n"}, {"otherwise": 4}]}},
      {"id": "listed", "table": {"on": "a.kind", "rows": [
        {"when": "['x', 'y']", "points": 1}, {"when": "'w'", "points": 6}, {"otherwise": 0}]}},
      {"id": "summed", "table": {"on": "a.kind", "hit": "collect_sum", "rows": [
        {"when": "'x'", "points": 1}, {"when": "'x'", "points": 2}, {"otherwise": 8}]}},
      {"id": "dozens", "per": {"count": "floor(a.n / 12)", "points": 1}},
      {"id": "sevenths", "per": {"count": "floor(a.n / -7)", "points": 1}},
      {"id": "ones", "per": {"count": "floor(a.n / 1)", "points": 1}},
      {"id": "years", "points": "years_between(a.d, as_of)"},
      {"id": "months", "points": "months_between(a.d, as_of)"}
    ]
  })J";
  auto compiled = eligo::compile_text(kPack);
  INFO(compiled.diagnostics.to_string());
  REQUIRE(compiled.pack.has_value());
  const Pack& pack = *compiled.pack;
  const Program& p = pack.program();
  // The shapes are recognised (else this test would only exercise the row loop and the calls).
  const auto& plan = *p.fast_plan;
  CHECK(!plan.indicators[0].jump.empty());
  CHECK(!plan.indicators[1].jump.empty());
  CHECK(plan.indicators[2].jump.empty());
  CHECK(plan.indicators[3].jump.empty());
  int ymd = 0, fdiv = 0;
  for (const auto& n : plan.nodes) {
    ymd += n.op == eligo::detail::FOp::ymd_diff;
    fdiv += n.op == eligo::detail::FOp::floor_div_const;
  }
  CHECK(ymd == 2);
  CHECK(fdiv == 3);
  FastPathOn restore;
  const char* kKinds[] = {"x", "y", "z", "w"};
  const char* kNumbers[] = {"-25", "-24", "-23", "-1", "0", "1", "11", "12", "13", "24.5", "-24.5",
                            "9223372036854775807", "-9223372036854775808", "9223372036854775808"};
  const char* kDates[] = {"null", "\"2024-05-01\"", "\"2023-05-02\"", "\"2020-02-29\""};
  int completed = 0;
  Decision reused;
  for (const char* kind : kKinds)
    for (const char* n : kNumbers)
      for (const char* d : kDates) {
        const std::string text = std::string(R"({"a": {"kind": ")") + kind + R"(", "n": )" + n + R"(, "d": )" + d + "}}";
        eligo::Input in = pack.bind(text);
        for (int budget = 0; budget <= 70; ++budget) {
          EvalOptions o;
          o.as_of = eligo::Date::parse("2024-05-01");
          if (budget > 0) o.step_budget = static_cast<std::uint64_t>(budget);
          completed += same_both_ways(pack, in, o, &reused, text + " budget " + std::to_string(budget));
        }
      }
  CHECK(completed >= 4 * 9 * 4);
}

TEST_CASE("a bound input larger than its inline storage decides the same, bound fresh or rebound in place",
          "[evaluate][fast_path][bind]") {
  // A BoundInput's arena starts in storage inline in the object (evaluator.hpp) and continues in heap
  // blocks, one kept as a spare across rebinds: an applicant with many stays outgrows the inline part.
  auto compiled = eligo::compile_file(std::string(ELIGO_SOURCE_DIR) + "/bench/packs/eligibility5.pack.json");
  REQUIRE(compiled.pack.has_value());
  const Pack& pack = *compiled.pack;
  EvalOptions o;
  o.as_of = eligo::Date::parse("2024-05-01");
  auto text = [](int stays, bool covered) {
    std::string s = R"({"a": {"birth_date": "1980-01-01", "hukou_district": "330106", "income": 900.5, )"
                    R"("disease": "sle", "stays": [)";
    for (int k = 0; k < stays; ++k) {
      char b[96];
      std::snprintf(b, sizeof b, R"(%s{"admit": "2022-%02d-%02d", "discharge": "2022-%02d-%02d"})", k ? ", " : "",
                    1 + k % 12, 1 + k % 20, 1 + k % 12, 5 + k % 20);
      s += b;
    }
    s += R"(], "certificates": [{"kind": "dibao", "from": ")";
    s += covered ? "2022-12-01" : "2023-06-01";
    return s + R"(", "to": null}]}})";
  };
  FastPathOn restore;
  eligo::Input reused;
  Decision d;
  const std::uint64_t before = eligo::detail::fast_path_completions();
  int runs = 0;
  for (int stays : {2, 60, 1, 200, 3, 60, 0, 120}) {
    for (bool covered : {false, true}) {
      const std::string t = text(stays, covered);
      INFO("stays: " << stays << ", covered: " << covered);
      pack.bind(t, &reused);
      REQUIRE(reused.errors().empty());
      eligo::detail::set_fast_path_enabled(true);
      pack.evaluate(reused, o, &d);
      ++runs;
      eligo::detail::set_fast_path_enabled(false);
      eligo::Input fresh = pack.bind(t);
      const Decision full = pack.evaluate(fresh, o);
      require_same(d, full, t);
      // The last stay ends on day 5 + (stays - 1) % 20 of month 1 + (stays - 1) % 12 of 2022: covered from
      // December 2022 only when a stay reaches December.
      const bool eligible = covered ? stays >= 12 : false;
      CHECK((d.verdict == eligo::Verdict::eligible) == eligible);
    }
  }
  CHECK(eligo::detail::fast_path_completions() == before + runs);
}

TEST_CASE("evaluate_many decides every input as evaluate does, in order, into one reused Decision",
          "[evaluate][fast_path]") {
  // Pack::evaluate_many fetches the next inputs' bound data ahead; what it decides must be exactly what
  // one evaluate() per input decides — over a population with gaps (full path), clean rows (fast path),
  // an input never bound and an input bound to another pack in the middle.
  auto compiled = eligo::compile_file(std::string(ELIGO_SOURCE_DIR) + "/bench/packs/eligibility5.pack.json");
  auto other = eligo::compile_file(std::string(ELIGO_SOURCE_DIR) + "/bench/packs/points6.pack.json");
  REQUIRE(compiled.pack.has_value());
  REQUIRE(other.pack.has_value());
  const Pack& pack = *compiled.pack;
  const Program& p = pack.program();
  const Interesting k(p);
  Rng r(11);
  std::vector<eligo::Input> inputs;
  std::vector<std::string> texts;
  for (int i = 0; i < 300; ++i) {
    g_clean = i % 3 != 0;
    texts.push_back(applicant(p, r, k));
    inputs.push_back(pack.bind(texts.back()));
  }
  inputs[150] = other.pack->bind(R"({"a": {"rent_years": 3}})");  // another pack's input: E2008
  inputs[151] = eligo::Input();                                      // never bound: E2008
  EvalOptions o;
  o.as_of = eligo::Date::parse("2024-05-01");
  FastPathOn restore;
  eligo::detail::set_fast_path_enabled(true);
  std::vector<std::string> one_by_one;
  Decision d;
  for (auto& in : inputs) {
    pack.evaluate(in, o, &d);
    one_by_one.push_back(d.to_json());
  }
  std::vector<std::size_t> order;
  std::vector<std::string> many;
  Decision reused;
  pack.evaluate_many(inputs.data(), inputs.size(), o, &reused, [&](std::size_t i, const Decision& x) {
    order.push_back(i);
    many.push_back(x.to_json());
  });
  REQUIRE(order.size() == inputs.size());
  for (std::size_t i = 0; i < order.size(); ++i) CHECK(order[i] == i);
  for (std::size_t i = 0; i < many.size(); ++i) {
    INFO("input " << i << ": " << (i < texts.size() ? texts[i] : ""));
    CHECK(many[i] == one_by_one[i]);
  }
  CHECK(many[150].find("E2008") != std::string::npos);
  // Nothing to decide: no call.
  pack.evaluate_many(inputs.data(), 0, o, &reused, [&](std::size_t, const Decision&) { FAIL("called"); });
}
