#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <map>
#include <thread>

#include "eligo/blacklist.hpp"
#include "eligo/pack.hpp"
#include "evaluate/pack_test_util.hpp"

using eligo::CheckMode;
using eligo::CheckStatus;
using eligo::Date;
using eligo::Decision;
using eligo::EvalOptions;
using eligo::Pack;
using eligo::Verdict;

namespace {

using eligo::test::compile_ok;
using eligo::test::on;

// A real DataSource over fixed records, counting the calls it receives.
class CountingSource : public eligo::DataSource {
 public:
  std::map<std::string, std::string> records;
  std::vector<std::string> calls;
  std::string last_key;
  std::optional<std::string> fetch(const eligo::SourceRequest& req) override {
    calls.emplace_back(req.source);
    last_key = req.input ? req.input->text("applicant.id_number") : "";
    auto it = records.find(std::string(req.source));
    if (it == records.end()) return std::nullopt;
    return it->second;
  }
};

const char* kSubsidy = R"J({
  "pack": "t.subsidy", "version": "1",
  "inputs": {
    "applicant": {"fields": {"id_number": {"type": "string", "pii": "id_number"}, "name": {"type": "string", "pii": "name"}}},
    "police": {"source": "public_security", "fields": {"hukou_district": "string"}},
    "medical": {"source": "medical_insurance", "fields": {"stays": {"list": {"disease": "string", "admit": "date", "discharge": "date"}}}},
    "civil": {"source": "civil_affairs", "fields": {"certificates": {"list": {"kind": "string", "from": "date", "to": "date?"}}}}
  },
  "lists": {"serious": {"values": ["malignant_tumour", "haemophilia"]}},
  "checks": [
    {"id": "household", "require": "police.hukou_district == '330106'",
     "reason": {"zh-CN": "患病人非本区户籍（户籍地：{police.hukou_district}），身份证 {applicant.id_number}", "en": "registered in {police.hukou_district}"}},
    {"id": "disease", "require": "any(medical.stays, s -> s.disease in serious)", "reason": "疾病不在目录内"},
    {"id": "certificate", "require": "any(medical.stays, s -> any(civil.certificates, c -> overlaps(s.admit, s.discharge, c.from, c.to)))",
     "reason": "住院期间无低保证"}
  ],
  "outputs": {"amount": {"expr": "if any(civil.certificates, c -> c.kind == 'tekun') then 6000.00 else 5000.00", "example": true}}
})J";

const char* kApplicant = R"J({"applicant": {"id_number": "330106195804120220", "name": "陈秀英"}})J";

}  // namespace

TEST_CASE("a failing first check spares the data sources of later checks", "[evaluate][sources]") {
  const Pack pack = compile_ok(kSubsidy);
  CountingSource src;
  src.records["public_security"] = R"J({"hukou_district": "330102"})J";
  src.records["medical_insurance"] = R"J({"stays": [{"disease": "malignant_tumour", "admit": "2024-01-02", "discharge": "2024-01-20"}]})J";
  EvalOptions o = on("2024-05-01");
  o.sources = &src;
  const Decision d = pack.evaluate(kApplicant, o);
  CHECK(d.verdict == Verdict::ineligible);
  CHECK(src.calls == std::vector<std::string>{"public_security"});
  CHECK(src.last_key == "330106195804120220");  // the source could read the applicant's key
  CHECK(d.checks[0].status == CheckStatus::failed);
  CHECK(d.checks[0].reason == "患病人非本区户籍（户籍地：330102），身份证 330106********0220");
  CHECK(d.checks[1].status == CheckStatus::not_run);
  CHECK(d.checks[2].status == CheckStatus::not_run);
}

TEST_CASE("each source is asked once, in the order the checks need it", "[evaluate][sources]") {
  const Pack pack = compile_ok(kSubsidy);
  CountingSource src;
  src.records["public_security"] = R"J({"hukou_district": "330106"})J";
  src.records["medical_insurance"] = R"J({"stays": [{"disease": "malignant_tumour", "admit": "2024-01-02", "discharge": "2024-01-20"}]})J";
  src.records["civil_affairs"] = R"J({"certificates": [{"kind": "dibao", "from": "2023-06-01", "to": null}]})J";
  EvalOptions o = on("2024-05-01");
  o.sources = &src;
  const Decision d = pack.evaluate(kApplicant, o);
  CHECK(d.verdict == Verdict::eligible);
  CHECK(src.calls == std::vector<std::string>{"public_security", "medical_insurance", "civil_affairs"});
  REQUIRE(d.outputs.size() == 1);
  CHECK(d.outputs[0].value == "5000.00");
  CHECK(d.outputs[0].example);
}

TEST_CASE("a source with no record gives needs_evidence naming the missing facts", "[evaluate][missing]") {
  const Pack pack = compile_ok(kSubsidy);
  CountingSource src;
  src.records["public_security"] = R"J({"hukou_district": "330106"})J";
  EvalOptions o = on("2024-05-01");
  o.sources = &src;
  const Decision d = pack.evaluate(kApplicant, o);
  CHECK(d.verdict == Verdict::needs_evidence);
  CHECK(d.checks[1].status == CheckStatus::needs_evidence);
  CHECK(d.checks[1].missing == std::vector<std::string>{"medical.stays"});
  CHECK(d.checks[2].status == CheckStatus::not_run);
  REQUIRE(d.sources_called.size() == 2);
  CHECK(d.sources_called[1].outcome == "no record");
}

TEST_CASE("collect-all mode runs every check and reports every failure", "[evaluate][mode]") {
  const Pack pack = compile_ok(kSubsidy);
  CountingSource src;
  src.records["public_security"] = R"J({"hukou_district": "330102"})J";
  src.records["medical_insurance"] = R"J({"stays": [{"disease": "flu", "admit": "2024-01-02", "discharge": "2024-01-20"}]})J";
  src.records["civil_affairs"] = R"J({"certificates": [{"kind": "dibao", "from": "2024-02-01", "to": null}]})J";
  EvalOptions o = on("2024-05-01");
  o.sources = &src;
  o.mode = CheckMode::all;
  o.lang = "en";
  const Decision d = pack.evaluate(kApplicant, o);
  CHECK(d.verdict == Verdict::ineligible);
  CHECK(d.checks[0].status == CheckStatus::failed);
  CHECK(d.checks[0].reason == "registered in 330102");
  CHECK(d.checks[1].status == CheckStatus::failed);
  CHECK(d.checks[2].status == CheckStatus::failed);
  CHECK(d.outputs.empty());  // outputs only for an eligible applicant
}

TEST_CASE("a host source that throws is reported and its facts are missing", "[evaluate][sources]") {
  struct Failing : eligo::DataSource {
    std::optional<std::string> fetch(const eligo::SourceRequest&) override {
      throw std::runtime_error("no record keyed 330106195804120220");  // hosts quote their keys
    }
  } src;
  const Pack pack = compile_ok(kSubsidy);
  EvalOptions o = on("2024-05-01");
  o.sources = &src;
  const Decision d = pack.evaluate(kApplicant, o);
  CHECK(d.verdict == Verdict::needs_evidence);
  REQUIRE(d.sources_called.size() == 1);
  CHECK(d.sources_called[0].outcome == "failed: the data source raised an error");
  CHECK(d.to_json().find("330106195804120220") == std::string::npos);
}

TEST_CASE("clear_pii shows what is masked by default", "[evaluate][pii]") {
  const Pack pack = compile_ok(kSubsidy);
  const std::string input = R"J({"applicant": {"id_number": "330106195804120220"}, "police": {"hukou_district": "110101"}})J";
  EvalOptions o = on("2024-05-01");
  o.explain = true;
  Decision d = pack.evaluate(input, o);
  CHECK(d.checks[0].reason == "患病人非本区户籍（户籍地：110101），身份证 330106********0220");
  CHECK(d.to_json().find("330106195804120220") == std::string::npos);
  o.clear_pii = true;
  d = pack.evaluate(input, o);
  CHECK(d.checks[0].reason == "患病人非本区户籍（户籍地：110101），身份证 330106195804120220");
}

TEST_CASE("wrongly typed applicant data is a data error naming the field", "[evaluate][data]") {
  const Pack pack = compile_ok(kSubsidy);
  const Decision d = pack.evaluate(
      R"J({"applicant": {"id_number": 330106}, "police": {"hukou_district": "330106"},
          "medical": {"stays": [{"disease": "haemophilia", "admit": "2024-02-30", "discharge": "2024-03-01"}]}})J",
      on("2024-05-01"));
  REQUIRE(d.data_errors.size() == 2);
  CHECK(d.data_errors[0].path == "applicant.id_number");
  CHECK(d.data_errors[0].message == "expected a string, got a number");
  CHECK(d.data_errors[1].path == "medical.stays[0].admit");
  CHECK(d.data_errors[1].message == "'2024-02-30' is not a date (YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD, a real calendar day)");
  CHECK(d.verdict == Verdict::needs_evidence);
}

TEST_CASE("as_of chooses the version in force, and outside every window is E2002", "[evaluate][versions]") {
  auto version = [](const char* v, const char* from, const char* until, int points) {
    return compile_ok(std::string(R"J({"pack": "t.points", "version": ")J") + v + R"J(", "effective": {"from": ")J" + from +
                      R"J(", "until": ")J" + until + R"J("}, "inputs": {"a": {"fields": {"x": "number"}}},
                      "scores": [{"id": "x", "points": "a.x * )J" + std::to_string(points) + R"J("}]})J");
  };
  eligo::PackSet set;
  set.add(version("2018", "2018-07-01", "2021-11-15", 3));
  set.add(version("2021", "2021-11-16", "2026-11-15", 8));
  const auto* p2018 = set.select("t.points", *Date::parse("2021-11-15"));
  const auto* p2021 = set.select("t.points", *Date::parse("2021-11-16"));
  REQUIRE(p2018);
  REQUIRE(p2021);
  CHECK(p2018->version() == "2018");
  CHECK(p2021->version() == "2021");
  CHECK(p2021->evaluate(R"J({"a": {"x": 2}})J", on("2022-01-01")).total.to_string() == "16");
  std::string why;
  CHECK(set.select("t.points", *Date::parse("2030-01-01"), &why) == nullptr);
  CHECK(why == "no version of t.points is in force on 2030-01-01 (versions: 2018 2018-07-01..2021-11-15; 2021 2021-11-16..2026-11-15)");
  const Decision d = p2021->evaluate(R"J({"a": {"x": 2}})J", on("2030-01-01"));
  CHECK(d.verdict == Verdict::error);
  REQUIRE(d.error);
  CHECK(d.error->code == "E2002");
  CHECK(d.error->message == "pack t.points 2021 is in force from 2021-11-16 until 2026-11-15; as_of 2030-01-01 is outside");
}

TEST_CASE("the step budget stops nested quantifiers over large lists", "[evaluate][budget]") {
  const Pack pack = compile_ok(R"J({"pack": "t.b", "version": "1",
    "inputs": {"a": {"fields": {"xs": {"list": "number"}}}},
    "checks": [{"id": "c", "require": "any(a.xs, x -> any(a.xs, y -> any(a.xs, z -> x + y + z < 0)))", "reason": "r"}]})J");
  std::string xs = "[";
  for (int i = 0; i < 300; ++i) xs += (i ? "," : "") + std::to_string(i);
  xs += "]";
  EvalOptions o = on("2024-01-01");
  o.step_budget = 100000;
  const Decision d = pack.evaluate(R"J({"a": {"xs": )J" + xs + "}}", o);
  CHECK(d.verdict == Verdict::error);
  REQUIRE(d.error);
  CHECK(d.error->code == "E2001");
  CHECK(d.error->pointer == "/checks/0/require");
  CHECK(d.error->message == "the step budget is used up: the rules do too much work for one applicant");
  // Ten items (1,000 triples) fit in the same budget and are decided: no triple sums below 0, the check fails.
  CHECK(pack.evaluate(R"J({"a": {"xs": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]}})J", o).verdict == Verdict::ineligible);
  CHECK(pack.evaluate(R"J({"a": {"xs": [0, 1, 2, 3, 4, 5, 6, 7, 8, -1]}})J", o).verdict == Verdict::eligible);
}

TEST_CASE("missing facts follow three-valued logic", "[evaluate][missing]") {
  const Pack pack = compile_ok(R"J({"pack": "t.m", "version": "1",
    "inputs": {"a": {"fields": {"p": "bool", "q": "bool", "n": "number?"}}},
    "checks": [
      {"id": "and_false", "require": "not (a.p and false)", "reason": "r"},
      {"id": "or_true", "require": "a.p or true", "reason": "r"},
      {"id": "default", "require": "(a.n ?? 7) == 7", "reason": "r"},
      {"id": "present", "require": "not present(a.q)", "reason": "r"},
      {"id": "needs", "require": "a.p and a.q", "reason": "r"}]})J");
  EvalOptions o = on("2024-01-01");
  o.mode = CheckMode::all;
  const Decision d = pack.evaluate(R"J({"a": {}})J", o);
  CHECK(d.checks[0].status == CheckStatus::passed);
  CHECK(d.checks[1].status == CheckStatus::passed);
  CHECK(d.checks[2].status == CheckStatus::passed);
  CHECK(d.checks[3].status == CheckStatus::passed);
  CHECK(d.checks[4].status == CheckStatus::needs_evidence);
  CHECK(d.checks[4].missing == std::vector<std::string>{"a.p", "a.q"});
  CHECK(d.verdict == Verdict::needs_evidence);
}

TEST_CASE("points tables: hit policies, per-unit points, caps, groups, deductions, floor", "[evaluate][scoring]") {
  const Pack pack = compile_ok(R"J({"pack": "t.s", "version": "1",
    "inputs": {"a": {"fields": {"age": "number", "years": "number", "honours": {"list": "string"}, "fines": "number"}}},
    "scores": [
      {"id": "age", "table": {"on": "a.age", "hit": "first", "rows": [
        {"when": "[18..40]", "points": 30}, {"when": "> 40", "points": "max(0, 30 - 2 * (a.age - 40))"}, {"otherwise": 0}]}},
      {"id": "honour_sum", "group": "bonus", "table": {"hit": "collect_sum", "rows": [
        {"when": "'national' in a.honours", "points": 30}, {"when": "'city' in a.honours", "points": 10}]}},
      {"id": "honour_max", "group": "bonus", "table": {"hit": "collect_max", "rows": [
        {"when": "'national' in a.honours", "points": 30}, {"when": "'city' in a.honours", "points": 10}]}},
      {"id": "honour_priority", "table": {"hit": "priority", "rows": [
        {"when": "'city' in a.honours", "points": 10, "priority": 1}, {"when": "'national' in a.honours", "points": 3, "priority": 2}]}},
      {"id": "permit", "per": {"count": "a.years", "points": 8}, "cap": 20},
      {"id": "fines", "points": "5 * a.fines", "deduct": true}
    ],
    "groups": {"bonus": {"cap": 50}},
    "total": {"floor": 0}})J");
  EvalOptions o = on("2024-01-01");
  o.explain = true;
  Decision d = pack.evaluate(R"J({"a": {"age": 43, "years": 3, "honours": ["city", "national"], "fines": 1}})J", o);
  REQUIRE(d.items.size() == 6);
  CHECK(d.items[0].points.to_string() == "24");
  CHECK(d.items[0].how == "row 2 (> 40): 24");
  CHECK(d.items[1].points.to_string() == "40");
  CHECK(d.items[2].points.to_string() == "30");
  CHECK(d.items[3].points.to_string() == "3");
  CHECK(d.items[4].points.to_string() == "20");
  CHECK(d.items[4].how == "3 × 8 = 24, cap 20 → 20");
  CHECK(d.items[5].points.to_string() == "5");
  // 24 + min(50, 40 + 30) + 3 + 20 − 5 = 92
  CHECK(d.total.to_string() == "92");
  d = pack.evaluate(R"J({"a": {"age": 60, "years": 0, "honours": [], "fines": 100}})J", o);
  CHECK(d.items[0].points.to_string() == "0");
  CHECK(d.total.to_string() == "0");  // floor
}

TEST_CASE("a unique table whose rows both match at run time is an error", "[evaluate][scoring]") {
  const Pack pack = compile_ok(R"J({"pack": "t.u", "version": "1",
    "inputs": {"a": {"fields": {"x": "number", "y": "number"}}},
    "scores": [{"id": "u", "table": {"hit": "unique", "rows": [{"when": "a.x > 1", "points": 1}, {"when": "a.y > 1", "points": 2}]}}]})J");
  const Decision d = pack.evaluate(R"J({"a": {"x": 5, "y": 5}})J", on("2024-01-01"));
  REQUIRE(d.error);
  CHECK(d.error->code == "E2005");
  CHECK(d.error->message == "indicator 'u': rows 1 and 2 both match in a 'unique' table");
}

TEST_CASE("covered_months merges overlapping periods and counts open ones to as_of", "[evaluate][dates]") {
  const Pack pack = compile_ok(R"J({"pack": "t.c", "version": "1",
    "inputs": {"a": {"fields": {"si": {"list": {"from": "date", "to": "date?"}}}}},
    "outputs": {"months": "covered_months(a.si, p -> p.from, p -> p.to)"}})J");
  const Decision d = pack.evaluate(R"J({"a": {"si": [
      {"from": "2020-01-01", "to": "2020-12-31"}, {"from": "2020-07-01", "to": "2021-06-30"},
      {"from": "2022-01-01", "to": null}]}})J", on("2023-01-01"));
  REQUIRE(d.outputs.size() == 1);
  CHECK(d.outputs[0].value == "30");  // 2020-01..2021-06 = 18, 2022-01..2022-12 = 12
}

TEST_CASE("money arithmetic is exact and rounding names its mode", "[evaluate][decimal]") {
  const Pack pack = compile_ok(R"J({"pack": "t.d", "version": "1", "rounding": "half_even",
    "inputs": {"a": {"fields": {"x": "number"}}},
    "outputs": {"sum": "0.1 + 0.2", "up": "round(a.x, 2, 'half_up')", "even": "round(a.x, 2)", "third": "a.x / 3"}})J");
  const Decision d = pack.evaluate(R"J({"a": {"x": "28.165"}})J", on("2024-01-01"));
  REQUIRE(d.outputs.size() == 4);
  CHECK(d.outputs[0].value == "0.3");
  CHECK(d.outputs[1].value == "28.17");
  CHECK(d.outputs[2].value == "28.16");
  CHECK(d.outputs[3].value == "9.388333333333333333");
}

TEST_CASE("the same pack and input give byte-identical decisions on any number of threads", "[evaluate][determinism]") {
  const Pack pack = compile_ok(kSubsidy);
  const std::string input = R"J({"applicant": {"id_number": "330106195804120220", "name": "陈秀英"},
    "police": {"hukou_district": "330106"},
    "medical": {"stays": [{"disease": "malignant_tumour", "admit": "2024-01-02", "discharge": "2024-01-20"}]},
    "civil": {"certificates": [{"kind": "tekun", "from": "2023-06-01", "to": null}]}})J";
  EvalOptions o = on("2024-05-01");
  o.explain = true;
  const std::string single = pack.evaluate(input, o).to_json();
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        std::string j = pack.evaluate(input, o).to_json();
        if (i == 0 || j != results[t]) results[t] = j;
      }
    });
  for (auto& th : threads) th.join();
  for (const auto& r : results) CHECK(r == single);
  const auto j = nlohmann::json::parse(single);
  CHECK(j["verdict"] == "eligible");
  CHECK(j["outputs"]["amount"]["value"] == "6000.00");
  CHECK(j["pack"]["sha256"].get<std::string>().size() == 64);
}

TEST_CASE("the pack hash ignores formatting and key order but not content", "[compile][hash]") {
  const Pack a = compile_ok(R"J({"pack": "t.h", "version": "1", "inputs": {"a": {"fields": {"x": "number"}}}})J");
  const Pack b = compile_ok("{\n  \"version\": \"1\",\n  \"inputs\": {\"a\": {\"fields\": {\"x\": \"number\"}}},\n  \"pack\": \"t.h\"\n}");
  const Pack c = compile_ok(R"J({"pack": "t.h", "version": "2", "inputs": {"a": {"fields": {"x": "number"}}}})J");
  CHECK(a.hash() == b.hash());
  CHECK(a.hash() != c.hash());
  CHECK(a.hash().size() == 64);
  CHECK(a.hash().find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("identity functions work inside rules, and a cn_id input is validated and normalised", "[evaluate][identity]") {
  const Pack pack = compile_ok(R"J({"pack": "t.id", "version": "1",
    "inputs": {"a": {"fields": {"id": "cn_id", "name": "string", "registered": "string", "org": "string"}}},
    "checks": [{"id": "name", "require": "names_match(a.name, a.registered)", "reason": "姓名不符：{a.id}"}],
    "outputs": {"birth": "cn_id_birth_date(a.id)", "age": "cn_id_age(a.id)", "sex": "cn_id_sex(a.id)",
                "region": "cn_id_region(a.id)", "valid": "cn_id_valid(a.id)", "org_ok": "uscc_valid(a.org)",
                "masked": "mask(a.name, 'name')", "id": "a.id"}})J");
  EvalOptions clear = on("2024-05-01");
  clear.clear_pii = true;  // the normalised ID is shown below; masked by default (see the PII tests)
  Decision d = pack.evaluate(R"J({"a": {"id": "610104620927690", "name": "阿依古丽·买买提", "registered": "阿依古丽•买买提",
                                 "org": "9144030071526726XG"}})J", clear);
  REQUIRE(d.verdict == Verdict::eligible);
  std::map<std::string, std::string> out;
  for (const auto& o : d.outputs) out[std::string(o.name)] = o.value;
  CHECK(out["id"] == "610104196209276908");  // 15 → 18 on input
  CHECK(out["birth"] == "1962-09-27");
  CHECK(out["age"] == "61");
  CHECK(out["sex"] == "female");
  CHECK(out["valid"] == "true");
  CHECK(out["org_ok"] == "true");
  CHECK(out["masked"] == "阿*******");  // mask() masks even with clear text asked for
  CHECK(out["region"] == "陕西省 西安市 莲湖区");
  // A malformed ID is a data error that names the fault, never the number.
  d = pack.evaluate(R"J({"a": {"id": "610104196209276901", "name": "张三", "registered": "李四", "org": "x"}})J", on("2024-05-01"));
  REQUIRE(d.data_errors.size() == 1);
  CHECK(d.data_errors[0].code == "E3003");
  CHECK(d.data_errors[0].path == "a.id");
  CHECK(d.data_errors[0].message == "not a valid ID number: check character is 1, expected 8");
  CHECK(d.checks[0].status == CheckStatus::failed);
  CHECK(d.checks[0].reason == "姓名不符：（缺失）");
}

TEST_CASE("blacklisted() consults the attached snapshot and the decision cites the entry", "[evaluate][blacklist]") {
  const Pack pack = compile_ok(R"J({"pack": "t.bl", "version": "1",
    "inputs": {"applicant": {"fields": {"id_number": "cn_id"}}},
    "checks": [{"id": "integrity", "require": "not blacklisted(applicant.id_number, 'school_admission')",
                "reason": "列入失信名单：{blacklist_reasons(applicant.id_number, 'school_admission')}"}]})J");
  const std::string applicant = R"J({"applicant": {"id_number": "610104620927690"}})J";
  // Without a snapshot: a clear error, not a silent pass.
  Decision d = pack.evaluate(applicant, on("2024-05-01"));
  REQUIRE(d.error);
  CHECK(d.error->code == "E2009");

  eligo::blacklist::Builder builder;
  eligo::blacklist::Entry e;
  e.key = "610104196209276908";  // the 18-digit form of the applicant's 15-digit number
  e.scopes = {"school_admission"};
  e.reason_code = "SX01";
  e.reason_text = "失信被执行人";
  e.source = "市中级人民法院";
  e.listed_on = *Date::parse("2024-03-01");
  e.until = Date::parse("2024-12-31");
  REQUIRE_FALSE(builder.add(e));
  const auto snapshot = builder.build();
  EvalOptions o = on("2024-05-01");
  o.blacklist = snapshot.get();
  d = pack.evaluate(applicant, o);
  CHECK(d.verdict == Verdict::ineligible);
  CHECK(d.checks[0].reason == "列入失信名单：失信被执行人（市中级人民法院，2024-03-01）");
  REQUIRE(d.blacklist_hits.size() == 1);
  CHECK(d.blacklist_hits[0].key == "610104********6908");
  CHECK(d.blacklist_version == snapshot->version());
  CHECK(d.to_json().find("610104196209276908") == std::string::npos);
  // The day before it is listed, the day after it expires, and another scope: not listed.
  for (const char* day : {"2024-02-29", "2025-01-01"}) {
    o.as_of = Date::parse(day);
    CHECK(pack.evaluate(applicant, o).verdict == Verdict::eligible);
  }
  for (const char* day : {"2024-03-01", "2024-12-31"}) {  // the first and the last day: listed
    o.as_of = Date::parse(day);
    CHECK(pack.evaluate(applicant, o).verdict == Verdict::ineligible);
  }
  const Pack other = compile_ok(R"J({"pack": "t.bl2", "version": "1",
    "inputs": {"applicant": {"fields": {"id_number": "cn_id"}}},
    "checks": [{"id": "integrity", "require": "not blacklisted(applicant.id_number, 'housing')", "reason": "r"}]})J");
  o.as_of = Date::parse("2024-05-01");
  CHECK(other.evaluate(applicant, o).verdict == Verdict::eligible);
}
