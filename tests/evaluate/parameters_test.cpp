// Dated parameters and scales: figures read at as_of or at a date given in the expression, a clear error
// before the first value, and located diagnostics for badly declared ones.
#include <catch2/catch.hpp>

#include "eligo/pack.hpp"
#include "evaluate/pack_test_util.hpp"

using eligo::Decision;
using eligo::test::compile_ok;
using eligo::test::on;

namespace {

// The 低保 standard and a subsidy scale that change by date (example figures).
const char* kPack = R"J({
  "pack": "t.params", "version": "1",
  "parameters": {
    "dibao_standard": {"unit": "元/月", "example": true,
                       "values": [{"from": "2023-01-01", "value": 1120}, {"from": "2024-07-01", "value": 1180}]},
    "subsidy_by_income": {"unit": "元", "example": true, "values": [
      {"from": "2023-01-01", "brackets": [{"threshold": 0, "amount": 500}, {"threshold": 1000, "amount": 300}, {"threshold": 2000, "amount": 0}]},
      {"from": "2024-01-01", "brackets": [{"threshold": 0, "amount": 600}, {"threshold": 1200, "amount": 350}]}]}
  },
  "inputs": {"a": {"fields": {"income": "number", "applied": "date"}}},
  "checks": [{"id": "poor", "require": "a.income <= param('dibao_standard') * 1.5", "reason": "收入{a.income}高于低保边缘线"}],
  "outputs": {
    "standard": "param('dibao_standard')",
    "standard_when_applied": "param('dibao_standard', a.applied)",
    "standard_2023": "param('dibao_standard', date('2023-03-01'))",
    "subsidy": "scale('subsidy_by_income', a.income)",
    "subsidy_when_applied": "scale('subsidy_by_income', a.income, a.applied)"
  }
})J";

std::string output(const Decision& d, const std::string& name) {
  for (const auto& o : d.outputs)
    if (o.name == name) return o.value;
  return "<none>";
}

}  // namespace

TEST_CASE("param() reads a dated parameter at as_of, or at a date the rule gives", "[evaluate][parameters]") {
  const eligo::Pack pack = compile_ok(kPack);
  const Decision before = pack.evaluate(R"J({"a": {"income": 1500, "applied": "2023-05-01"}})J", on("2024-06-30"));
  REQUIRE(before.outputs.size() == 5);
  CHECK(output(before, "standard") == "1120");
  CHECK(output(before, "standard_2023") == "1120");
  const Decision after = pack.evaluate(R"J({"a": {"income": 1500, "applied": "2023-05-01"}})J", on("2024-07-01"));
  CHECK(output(after, "standard") == "1180");              // the new figure from its first day
  CHECK(output(after, "standard_when_applied") == "1120");  // read at the application date
  CHECK(output(after, "standard_2023") == "1120");
}

TEST_CASE("the parameter decides a check: 1.5 × the 低保 standard changes with the date", "[evaluate][parameters]") {
  const eligo::Pack pack = compile_ok(kPack);
  const char* applicant = R"J({"a": {"income": 1700, "applied": "2024-05-01"}})J";
  CHECK(pack.evaluate(applicant, on("2024-06-30")).verdict == eligo::Verdict::ineligible);  // 1700 > 1680
  CHECK(pack.evaluate(applicant, on("2024-07-01")).verdict == eligo::Verdict::eligible);    // 1700 <= 1770
}

TEST_CASE("scale() gives the amount of the highest bracket reached, from the brackets in force", "[evaluate][parameters]") {
  const eligo::Pack pack = compile_ok(kPack);
  auto subsidy = [&](const char* income, const char* as_of) {
    const std::string json = std::string(R"J({"a": {"income": )J") + income + R"J(, "applied": "2023-06-01"}})J";
    return output(pack.evaluate(json, on(as_of)), "subsidy");
  };
  CHECK(subsidy("0", "2023-06-01") == "500");
  CHECK(subsidy("999.99", "2023-06-01") == "500");
  CHECK(subsidy("1000", "2023-06-01") == "300");  // a threshold belongs to its own bracket
  CHECK(subsidy("1000", "2024-06-01") == "600");  // the 2024 brackets
  CHECK(subsidy("1200", "2024-06-01") == "350");
  CHECK(subsidy("-5", "2024-06-01") == "0");      // below the first threshold
  const Decision d = pack.evaluate(R"J({"a": {"income": 1000, "applied": "2023-06-01"}})J", on("2024-06-01"));
  CHECK(output(d, "subsidy_when_applied") == "300");
}

TEST_CASE("a parameter with no value on the date is an evaluation error, not a zero", "[evaluate][parameters]") {
  const eligo::Pack pack = compile_ok(kPack);
  const Decision d = pack.evaluate(R"J({"a": {"income": 100, "applied": "2023-05-01"}})J", on("2022-12-31"));
  REQUIRE(d.error);
  CHECK(d.error->code == "E2010");
  CHECK(d.error->message == "parameter 'dibao_standard' has no value on 2022-12-31 (its first value is from 2023-01-01)");
  CHECK(d.verdict == eligo::Verdict::error);
}

TEST_CASE("a constant date before the first value is caught at compile time", "[compile][parameters]") {
  std::string text = kPack;
  text.replace(text.find("date('2023-03-01')"), 18, "date('2020-03-01')");
  eligo::CompileOptions en;
  en.lang = "en";
  const eligo::CompileResult r = eligo::compile_text(text, "t.pack.json", en);
  REQUIRE(r.diagnostics.items.size() == 1);
  CHECK(r.diagnostics.items[0].code == "E1215");
  CHECK(r.diagnostics.items[0].message == "parameter 'dibao_standard' has no value on 2020-03-01 (its first value is from 2023-01-01)");
}
