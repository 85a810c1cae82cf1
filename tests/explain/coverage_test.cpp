// Coverage: the checks, table rows, `if` branches and caps a set of evaluations reached, counted exactly.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "eligo/coverage.hpp"
#include "eligo/pack.hpp"

namespace {

const char* kPack = R"J({
  "pack": "t.coverage", "version": "1",
  "inputs": {"a": {"fields": {"age": "number", "kind": {"enum": ["x", "y", "z"]}, "years": "number?"}}},
  "checks": [
    {"id": "adult", "require": "a.age >= 18", "reason": "under 18"},
    {"id": "under_100", "require": "a.age < 100", "reason": "100 or over"}
  ],
  "scores": [
    {"id": "kind", "table": {"on": "a.kind", "hit": "first",
       "rows": [{"when": "'x'", "points": 10}, {"when": "'y'", "points": 5}, {"otherwise": 0}]}},
    {"id": "years", "per": {"count": "a.years", "points": 2}, "cap": 6},
    {"id": "bonus", "points": "if a.age >= 60 then 3 else 0"}
  ]
})J";

eligo::Pack compile() {
  eligo::CompileOptions en;
  en.lang = "en";
  auto r = eligo::compile_text(kPack, "coverage.pack.json", en);
  INFO(r.diagnostics.to_string());
  REQUIRE(r.pack);
  return *r.pack;
}

}  // namespace

TEST_CASE("coverage counts each check status, table row, if branch and cap the evaluations reached", "[explain][coverage]") {
  const eligo::Pack pack = compile();
  eligo::Coverage cov(pack);
  eligo::EvalOptions opt;
  opt.as_of = eligo::Date::parse("2024-01-01");
  opt.coverage = &cov;
  pack.evaluate(R"({"a": {"age": 30, "kind": "x", "years": 5}})", opt);   // eligible, row 1, cap reached
  pack.evaluate(R"({"a": {"age": 70, "kind": "y", "years": 1}})", opt);   // eligible, row 2, below cap, then
  pack.evaluate(R"({"a": {"age": 10, "kind": "x", "years": 1}})", opt);   // adult fails: nothing scored
  pack.evaluate(R"({"a": {"age": 20, "kind": "y"}})", opt);               // years missing: needs evidence

  CHECK(cov.evaluations() == 4);
  const auto checks = cov.checks();
  REQUIRE(checks.size() == 2);
  CHECK(checks[0].id == "adult");
  CHECK(checks[0].passed == 3);
  CHECK(checks[0].failed == 1);
  CHECK(checks[1].passed == 3);
  CHECK(checks[1].failed == 0);  // first_failure: under_100 never ran on the under-18
  CHECK(checks[1].skipped == 0);
  CHECK_FALSE(checks[1].covered());

  const auto rows = cov.rows();
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].hits == 1);
  CHECK(rows[1].hits == 2);
  CHECK(rows[2].hits == 0);
  CHECK(rows[2].when == "otherwise");

  const auto caps = cov.caps();
  REQUIRE(caps.size() == 1);
  CHECK(caps[0].indicator == "years");
  CHECK(caps[0].kind == "per");
  CHECK(caps[0].reached == 1);
  CHECK(caps[0].below == 1);

  const auto branches = cov.branches();
  REQUIRE(branches.size() == 1);
  CHECK(branches[0].pointer == "/scores/2/points");
  CHECK(branches[0].text == "if a.age >= 60 then 3 else 0");
  CHECK(branches[0].then_hits == 1);
  CHECK(branches[0].else_hits == 2);
  CHECK_FALSE(cov.full());

  // The rest: under_100 fails, the otherwise row is reached; now every check and row is covered.
  pack.evaluate(R"({"a": {"age": 100, "kind": "x", "years": 0}})", opt);
  pack.evaluate(R"({"a": {"age": 30, "kind": "z", "years": 0}})", opt);
  CHECK(cov.checks()[1].failed == 1);
  CHECK(cov.rows()[2].hits == 1);
  CHECK(cov.full());
}

TEST_CASE("coverage reports as JSON and text, naming what was not reached", "[explain][coverage]") {
  const eligo::Pack pack = compile();
  eligo::Coverage cov(pack);
  eligo::EvalOptions opt;
  opt.as_of = eligo::Date::parse("2024-01-01");
  opt.coverage = &cov;
  opt.mode = eligo::CheckMode::all;
  pack.evaluate(R"({"a": {"age": 30, "kind": "x", "years": 5}})", opt);
  pack.evaluate(R"({"a": {"age": 30, "kind": "y", "years": 5}})", opt);
  pack.evaluate(R"({"a": {"age": 10, "kind": "z", "years": 5}})", opt);  // ineligible: no points
  CHECK(cov.rows()[2].hits == 0);
  CHECK_FALSE(cov.full());
  const auto j = nlohmann::json::parse(cov.to_json());
  CHECK(j["pack"] == "t.coverage");
  CHECK(j["evaluations"] == 3);
  CHECK(j["full"] == false);
  CHECK(j["checks"][0] == nlohmann::json::parse(
                              R"({"id":"adult","passed":2,"failed":1,"needs_evidence":0,"skipped":0,"covered":true})"));
  CHECK(j["rows"][2] == nlohmann::json::parse(R"({"indicator":"kind","row":3,"when":"otherwise","hits":0})"));
  CHECK(j["caps"][0] == nlohmann::json::parse(R"({"indicator":"years","kind":"per","cap":"6","reached":2,"below":0})"));
  const std::string text = cov.to_text();
  CHECK(text.find("checks seen passed and failed: 1/2") != std::string::npos);
  CHECK(text.find("table rows reached: 2/3") != std::string::npos);
  CHECK(text.find("✗ kind row 3 (otherwise)") != std::string::npos);
  CHECK(text.find("NOT full check and row coverage") != std::string::npos);
}

TEST_CASE("a coverage made for another pack is left untouched", "[explain][coverage]") {
  const eligo::Pack pack = compile();
  const eligo::Pack other = compile();  // compiled again: another Program
  eligo::Coverage cov(other);
  eligo::EvalOptions opt;
  opt.as_of = eligo::Date::parse("2024-01-01");
  opt.coverage = &cov;
  pack.evaluate(R"({"a": {"age": 30, "kind": "x", "years": 5}})", opt);
  CHECK(cov.evaluations() == 0);
  CHECK(cov.checks()[0].passed == 0);
  eligo::Coverage mine(pack);
  CHECK_FALSE(cov.merge(mine));
}

TEST_CASE("coverage counts the rows of an output table as rows and not as if branches", "[explain][coverage]") {
  eligo::CompileOptions en;
  en.lang = "en";
  auto r = eligo::compile_text(R"J({
    "pack": "t.coverage.outputs", "version": "1",
    "inputs": {"a": {"fields": {"kind": {"enum": ["x", "y", "z"]}, "income": "number"}}},
    "checks": [{"id": "any", "require": "a.income >= 0", "reason": "negative income"}],
    "outputs": {
      "amount": {"table": {"on": "a.kind", "rows": [
        {"when": "'x'", "value": 500}, {"when": "'y'", "value": 300}, {"otherwise": 100}]}},
      "band": {"table": {"on": "a.income", "rows": [{"when": "< 1000", "value": "'low'"}, {"when": ">= 1000", "value": "'high'"}]}},
      "twice": "if a.income > 5000 then a.income * 2 else a.income"
    }
  })J", "coverage-outputs.pack.json", en);
  INFO(r.diagnostics.to_string());
  REQUIRE(r.pack);
  eligo::Coverage cov(*r.pack);
  eligo::EvalOptions opt;
  opt.as_of = eligo::Date::parse("2024-01-01");
  opt.coverage = &cov;
  r.pack->evaluate(R"({"a": {"kind": "x", "income": 800}})", opt);
  r.pack->evaluate(R"({"a": {"kind": "x", "income": 900}})", opt);
  r.pack->evaluate(R"({"a": {"kind": "z", "income": 2000}})", opt);
  r.pack->evaluate(R"({"a": {"kind": "y", "income": -1}})", opt);  // ineligible: no outputs

  const auto rows = cov.rows();
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].output == "amount");
  CHECK(rows[0].indicator.empty());
  CHECK(rows[0].row == 1);
  CHECK(rows[0].when == "'x'");
  CHECK(rows[0].hits == 2);
  CHECK(rows[1].when == "'y'");
  CHECK(rows[1].hits == 0);  // only the ineligible applicant was a y
  CHECK(rows[2].when == "otherwise");
  CHECK(rows[2].hits == 1);
  CHECK(rows[3].output == "band");
  CHECK(rows[3].hits == 2);
  CHECK(rows[4].when == ">= 1000");
  CHECK(rows[4].hits == 1);
  // the table rows are not branches; the plain `if` of another output is
  const auto branches = cov.branches();
  REQUIRE(branches.size() == 1);
  CHECK(branches[0].pointer == "/outputs/twice");
  CHECK(branches[0].then_hits == 0);
  CHECK(branches[0].else_hits == 3);
  CHECK_FALSE(cov.full());  // amount's row 2 never gave the value
  const auto j = nlohmann::json::parse(cov.to_json());
  CHECK(j["rows"][1] == nlohmann::json::parse(R"({"output":"amount","row":2,"when":"'y'","hits":0})"));
  CHECK(cov.to_text().find("✗ output amount row 2 ('y')") != std::string::npos);
  r.pack->evaluate(R"({"a": {"kind": "y", "income": 10}})", opt);
  CHECK(cov.rows()[1].hits == 1);
  CHECK(cov.full());
}
