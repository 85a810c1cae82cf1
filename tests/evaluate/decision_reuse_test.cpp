// A Decision reused across evaluations (Pack::evaluate(input, options, &d)) must come out exactly as a fresh
// one, every field: since issue 11's session 9 the fast path rewrites only what an applicant changes when
// the Decision was last filled for the same pack and language (Decision::reuse), so a field it forgets to
// reset — or a pack-fixed field it wrongly keeps across packs, languages or the full path — shows here.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "eligo/pack.hpp"
#include "evaluate/fast_eval.hpp"
#include "evaluate/test_rng.hpp"

namespace {

using eligo::Decision;

std::string trace_text(const std::vector<eligo::TraceValue>& read) {
  std::string s;
  for (const auto& t : read) s += t.path + "=" + t.value + (t.reason_only ? "*" : "") + ";";
  return s;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "|";
  return s;
}

std::string error_text(const std::vector<eligo::DataError>& v) {
  std::string s;
  for (const auto& e : v) s += e.code + ":" + e.path + ":" + e.message + "|";
  return s;
}

// Every field of a Decision, one line each: two Decisions are equal exactly when these are.
std::vector<std::string> all_fields(const Decision& d) {
  std::vector<std::string> f;
  auto add = [&](const std::string& name, const std::string& value) { f.push_back(name + " = " + value); };
  add("pack_id", std::string(d.pack_id));
  add("version", std::string(d.version));
  add("pack_hash", std::string(d.pack_hash));
  add("as_of", d.as_of.to_string());
  add("verdict", eligo::verdict_name(d.verdict));
  add("mode", d.mode == eligo::CheckMode::all ? "all" : "first_failure");
  add("checks", std::to_string(d.checks.size()));
  for (std::size_t i = 0; i < d.checks.size(); ++i) {
    const auto& c = d.checks[i];
    const std::string k = "checks[" + std::to_string(i) + "].";
    add(k + "id", std::string(c.id));
    add(k + "label", std::string(c.label));
    add(k + "status", eligo::check_status_name(c.status));
    add(k + "reason", c.reason);
    add(k + "cite", std::string(c.cite));
    add(k + "department", std::string(c.department));
    add(k + "missing", joined(c.missing));
    add(k + "read", trace_text(c.read));
  }
  add("scored", d.scored ? "true" : "false");
  add("total", d.total.to_string());
  add("items", std::to_string(d.items.size()));
  for (std::size_t i = 0; i < d.items.size(); ++i) {
    const auto& it = d.items[i];
    const std::string k = "items[" + std::to_string(i) + "].";
    add(k + "id", std::string(it.id));
    add(k + "label", std::string(it.label));
    add(k + "department", std::string(it.department));
    add(k + "group", std::string(it.group));
    add(k + "points", it.points.to_string());
    add(k + "status", eligo::item_status_name(it.status));
    add(k + "deduct", it.deduct ? "true" : "false");
    add(k + "example", it.example ? "true" : "false");
    add(k + "how", it.how);
    add(k + "missing", joined(it.missing));
    add(k + "read", trace_text(it.read));
  }
  add("outputs", std::to_string(d.outputs.size()));
  for (std::size_t i = 0; i < d.outputs.size(); ++i) {
    const auto& o = d.outputs[i];
    const std::string k = "outputs[" + std::to_string(i) + "].";
    add(k + "name", std::string(o.name));
    add(k + "label", std::string(o.label));
    add(k + "value", o.value);
    add(k + "json", o.json);
    add(k + "example", o.example ? "true" : "false");
    add(k + "note", std::string(o.note));
    add(k + "missing", joined(o.missing));
    add(k + "read", trace_text(o.read));
  }
  std::string calls;
  for (const auto& c : d.sources_called) calls += c.source + ":" + c.outcome + "|";
  add("sources_called", calls);
  add("data_errors", error_text(d.data_errors));
  add("data_warnings", error_text(d.data_warnings));
  std::string hits;
  for (const auto& h : d.blacklist_hits)
    hits += h.key + ":" + h.scope + ":" + h.reason_code + ":" + h.reason_text + ":" + h.source + ":" + h.listed_on + ":" +
            h.from + ":" + h.until + "|";
  add("blacklist_hits", hits);
  add("blacklist_version", d.blacklist_version);
  add("blacklist_hash", d.blacklist_hash);
  add("error", d.error ? d.error->code + ":" + d.error->message + ":" + d.error->pointer : "none");
  add("lang", d.lang);
  add("program", d.program ? "set" : "null");
  f.push_back(d.program.get() == nullptr ? "program null" : "program " + std::string(d.pack_id));
  f.push_back("reuse " + std::string(d.reuse.program ? "set " : "none ") + (d.reuse.en ? "en" : "zh"));
  return f;
}

// A data source answering from a test case's "sources" object (null: no record).
struct CaseSource : eligo::DataSource {
  std::map<std::string, std::optional<std::string>> by_name;
  std::optional<std::string> fetch(const eligo::SourceRequest& r) override {
    const auto it = by_name.find(std::string(r.source));
    if (it == by_name.end()) return std::nullopt;
    return it->second;
  }
};

struct Applicant {
  std::size_t pack;
  std::string input;
  std::optional<eligo::Date> as_of;
  std::shared_ptr<CaseSource> sources;
  std::string name;
};

using eligo::test::Rng;

}  // namespace

TEST_CASE("a Decision reused across applicants, packs, languages and paths equals a fresh one, every field",
          "[evaluate][fast_path][reuse]") {
  std::vector<eligo::Pack> packs;
  std::vector<Applicant> applicants;
  // The bundled packs with their test cases: sources, outputs, needs_evidence, the full path.
  for (const auto& e : std::filesystem::recursive_directory_iterator(std::string(ELIGO_SOURCE_DIR) + "/rules")) {
    if (e.path().filename().string().find(".pack.json") == std::string::npos) continue;
    auto compiled = eligo::compile_file(e.path().string());
    REQUIRE(compiled.pack.has_value());
    packs.push_back(*compiled.pack);
    for (const std::string& file : packs.back().test_files()) {
      std::ifstream in(file);
      const auto cases = nlohmann::json::parse(in);
      for (const auto& c : cases.at("cases")) {
        Applicant a;
        a.pack = packs.size() - 1;
        a.input = c.at("input").dump();
        if (c.contains("as_of")) a.as_of = eligo::Date::parse(c.at("as_of").get<std::string>());
        a.sources = std::make_shared<CaseSource>();
        if (c.contains("sources"))
          for (const auto& [name, v] : c.at("sources").items())
            a.sources->by_name[name] = v.is_null() ? std::nullopt : std::optional<std::string>(v.dump());
        a.name = file + ": " + c.value("name", "");
        applicants.push_back(std::move(a));
      }
    }
  }
  // The reference packs: eligible, failing each check (reasons with and without values), scored, missing
  // data (the full path), a rejected input.
  auto compiled_points = eligo::compile_file(std::string(ELIGO_SOURCE_DIR) + "/bench/packs/points6.pack.json");
  auto compiled_elig = eligo::compile_file(std::string(ELIGO_SOURCE_DIR) + "/bench/packs/eligibility5.pack.json");
  REQUIRE(compiled_points.pack.has_value());
  REQUIRE(compiled_elig.pack.has_value());
  packs.push_back(*compiled_points.pack);
  const std::size_t points = packs.size() - 1;
  packs.push_back(*compiled_elig.pack);
  const std::size_t elig = packs.size() - 1;
  for (const char* p : {
           R"({"a": {"birth_date": "1990-03-01", "permit_since": "2016-02-10", "education": "associate", "rent_years": 7, "si_years": 3, "volunteer_hours": 260}})",
           R"({"a": {"birth_date": "1950-03-01", "permit_since": "2023-02-10", "education": "none", "rent_years": 1.5, "si_years": 30, "volunteer_hours": 49}})",
           R"({"a": {"birth_date": "2010-03-01", "permit_since": "2000-02-10", "education": "bachelor_plus", "rent_years": 0, "si_years": 0, "volunteer_hours": 5000}})",
           R"({"a": {"birth_date": "1990-03-01", "permit_since": "2016-02-10", "education": "associate", "si_years": 3}})",
           R"({"a": {"birth_date": "1990-03-01", "nope": 1}})",
       })
    applicants.push_back({points, p, eligo::Date::parse("2024-05-01"), nullptr, p});
  for (const char* p : {
           R"({"a": {"birth_date": "1980-01-01", "hukou_district": "330106", "income": 900.5, "disease": "sle", "stays": [{"admit": "2024-01-02", "discharge": "2024-01-20"}], "certificates": [{"kind": "dibao", "from": "2023-06-01", "to": null}]}})",
           R"({"a": {"birth_date": "2010-01-01", "hukou_district": "330106", "income": 900.5, "disease": "sle", "stays": [], "certificates": []}})",
           R"({"a": {"birth_date": "1980-01-01", "hukou_district": "330102", "income": 900.5, "disease": "sle", "stays": [], "certificates": []}})",
           R"({"a": {"birth_date": "1980-01-01", "hukou_district": "330106", "income": 123456.75, "disease": "sle", "stays": [], "certificates": []}})",
           R"({"a": {"birth_date": "1980-01-01", "hukou_district": "11010519491231002X", "income": 99999, "disease": "flu", "stays": [], "certificates": []}})",
           R"({"a": {"birth_date": "1980-01-01", "hukou_district": "330106", "income": 100, "disease": "flu", "stays": [], "certificates": []}})",
           R"({"a": {"birth_date": "1980-01-01", "hukou_district": "330106", "income": 100, "disease": "sle", "stays": [{"admit": "2024-01-02", "discharge": "2024-01-20"}], "certificates": []}})",
           R"({"a": {"birth_date": "1980-01-01", "income": 100, "disease": "sle", "stays": [], "certificates": []}})",
       })
    applicants.push_back({elig, p, eligo::Date::parse("2024-05-01"), nullptr, p});
  REQUIRE(packs.size() >= 7);
  REQUIRE(applicants.size() >= 40);

  struct Restore {
    ~Restore() { eligo::detail::set_fast_path_enabled(true); }
  } restore;
  Rng r(2026);
  Decision reused, reused_other_thread_order;
  int fast_finished = 0, same_pack_and_lang_in_a_row = 0;
  std::size_t last_pack = SIZE_MAX;
  std::string last_lang;
  for (int step = 0; step < 4000; ++step) {
    // Runs of one pack (where the Decision's fixed fields are kept), broken by other packs.
    std::size_t pick = static_cast<std::size_t>(r.in(0, static_cast<int>(applicants.size()) - 1));
    for (int tries = 0; tries < 40 && last_pack != SIZE_MAX && r.in(0, 4) != 0 && applicants[pick].pack != last_pack; ++tries)
      pick = static_cast<std::size_t>(r.in(0, static_cast<int>(applicants.size()) - 1));
    const Applicant& x = applicants[pick];
    eligo::EvalOptions o;
    o.as_of = x.as_of ? x.as_of : eligo::Date::parse("2024-05-01");
    o.sources = x.sources.get();
    o.lang = r.in(0, 6) == 0 ? (last_lang == "en" ? "zh-CN" : "en") : last_lang.empty() ? "zh-CN" : last_lang;
    if (r.in(0, 5) == 0) o.mode = r.in(0, 1) ? eligo::CheckMode::all : eligo::CheckMode::first_failure;
    if (r.in(0, 9) == 0) o.clear_pii = true;
    if (r.in(0, 14) == 0) o.explain = true;
    if (r.in(0, 19) == 0) o.step_budget = static_cast<std::uint64_t>(r.in(1, 40));
    eligo::detail::set_fast_path_enabled(r.in(0, 19) != 0);
    const eligo::Pack& pack = packs[x.pack];
    eligo::Input in = pack.bind(x.input);
    const std::uint64_t before = eligo::detail::fast_path_completions();
    pack.evaluate(in, o, &reused);
    fast_finished += eligo::detail::fast_path_completions() != before;
    same_pack_and_lang_in_a_row += x.pack == last_pack && o.lang == last_lang;
    last_pack = x.pack;
    last_lang = o.lang;
    Decision fresh;
    pack.evaluate(in, o, &fresh);
    INFO("step " << step << ": " << x.name << " lang " << o.lang);
    REQUIRE(all_fields(reused) == all_fields(fresh));
    REQUIRE(reused.to_json() == fresh.to_json());
    // A copy and a moved-to Decision are reused as well.
    if (step % 97 == 0) {
      reused_other_thread_order = reused;
      Decision moved = std::move(reused);
      pack.evaluate(in, o, &moved);
      pack.evaluate(in, o, &reused);  // the moved-from one, emptied by the move
      pack.evaluate(in, o, &reused_other_thread_order);
      REQUIRE(all_fields(moved) == all_fields(fresh));
      REQUIRE(all_fields(reused) == all_fields(fresh));
      REQUIRE(all_fields(reused_other_thread_order) == all_fields(fresh));
    }
  }
  // The walk proves something only when the fast path finished often with the Decision's fixed fields kept.
  CHECK(fast_finished >= 1000);
  CHECK(same_pack_and_lang_in_a_row >= 500);
}

TEST_CASE("applicant A then B into one Decision equals B into a fresh one, on the reference packs",
          "[evaluate][fast_path][reuse]") {
  // Each pair in both orders, in both languages, with the fast path finishing on both: the fields B must
  // not inherit from A (a failed check's reason and status, an item's points, status and example flag,
  // items cleared by an ineligible applicant, the total).
  auto compiled = eligo::compile_text(R"J({
    "pack": "test.reuse", "version": "1",
    "inputs": {"a": {"fields": {"n": "number", "code": "string", "kind": {"enum": ["x", "y", "z"]}}}},
    "checks": [
      {"id": "n", "label": {"zh-CN": "数量", "en": "count"}, "require": "a.n >= 0", "reason": "数量{a.n}为负"},
      {"id": "code", "require": "a.code != 'no'", "reason": {"zh-CN": "代码被拒", "en": "code refused"}}
    ],
    "scores": [
      {"id": "per", "label": {"zh-CN": "每个", "en": "each"}, "per": {"count": "a.n", "points": 2}, "cap": 10},
      {"id": "kind", "table": {"on": "a.kind", "rows": [
        {"when": "'x'", "points": 3}, {"when": "'y'", "points": 5, "example": true}, {"otherwise": 1}]}},
      {"id": "only_z", "when": "a.kind == 'z'", "points": 7, "deduct": true}
    ]
  })J");
  INFO(compiled.diagnostics.to_string());
  REQUIRE(compiled.pack.has_value());
  const eligo::Pack& pack = *compiled.pack;
  const char* kApplicants[] = {
      R"({"a": {"n": 3, "code": "ok", "kind": "x"}})",  R"({"a": {"n": 9, "code": "ok", "kind": "y"}})",
      R"({"a": {"n": 1, "code": "ok", "kind": "z"}})",  R"({"a": {"n": -4, "code": "ok", "kind": "x"}})",
      R"({"a": {"n": 2, "code": "no", "kind": "y"}})",  R"({"a": {"n": -1.5, "code": "no", "kind": "z"}})",
      R"({"a": {"code": "ok", "kind": "x"}})",           R"({"a": {"n": 2, "code": "ok", "kind": "q"}})",
  };
  int fast_both = 0;
  for (const char* first : kApplicants)
    for (const char* second : kApplicants)
      for (const char* lang_a : {"zh-CN", "en"})
        for (const char* lang_b : {"zh-CN", "en"})
          for (auto mode : {eligo::CheckMode::first_failure, eligo::CheckMode::all}) {
            INFO(first << " (" << lang_a << ") then " << second << " (" << lang_b << ")");
            eligo::EvalOptions oa, ob;
            oa.as_of = ob.as_of = eligo::Date::parse("2024-05-01");
            oa.lang = lang_a;
            ob.lang = lang_b;
            oa.mode = ob.mode = mode;
            eligo::Input ia = pack.bind(first), ib = pack.bind(second);
            Decision d;
            const std::uint64_t before = eligo::detail::fast_path_completions();
            pack.evaluate(ia, oa, &d);
            pack.evaluate(ib, ob, &d);
            fast_both += eligo::detail::fast_path_completions() == before + 2;
            const Decision fresh = pack.evaluate(ib, ob);
            REQUIRE(all_fields(d) == all_fields(fresh));
          }
  CHECK(fast_both >= 6 * 6 * 8 / 2);
}
