// Every boundary docs/rule-language.md states in words, tested on the boundary itself and its neighbour.
#include <catch2/catch.hpp>

#include <map>

#include "eligo/blacklist.hpp"
#include "eligo/pack.hpp"
#include "evaluate/pack_test_util.hpp"

using eligo::CheckMode;
using eligo::CheckStatus;
using eligo::Decision;
using eligo::Pack;
using eligo::Verdict;
using eligo::test::compile_ok;
using eligo::test::on;

namespace {

// The outputs of one evaluation by name ("(missing)" for a missing one).
std::map<std::string, std::string> outputs(const Pack& pack, const std::string& input, const char* as_of) {
  const Decision d = pack.evaluate(input, on(as_of));
  INFO((d.error ? d.error->message : std::string()));
  REQUIRE_FALSE(d.error);
  std::map<std::string, std::string> out;
  for (const auto& o : d.outputs) out[std::string(o.name)] = o.missing.empty() ? o.value : "(missing)";
  return out;
}

}  // namespace

TEST_CASE("covered_months merges back-to-back periods and keeps periods one day apart separate", "[evaluate][dates][boundary]") {
  const Pack pack = compile_ok(R"J({"pack": "t.c", "version": "1",
    "inputs": {"a": {"fields": {"si": {"list": {"from": "date", "to": "date?"}}}}},
    "outputs": {"months": "covered_months(a.si, p -> p.from, p -> p.to)"}})J");
  // 2020-01-15..2020-02-20 then 2020-02-21..2020-03-14: one period 2020-01-15..2020-03-14, 2 full months.
  CHECK(outputs(pack, R"J({"a": {"si": [{"from": "2020-02-21", "to": "2020-03-14"},
      {"from": "2020-01-15", "to": "2020-02-20"}]}})J", "2023-01-01")["months"] == "2");
  // A day's gap: 2020-01-15..2020-02-20 is 1 month, 2020-02-22..2020-03-14 is 0.
  CHECK(outputs(pack, R"J({"a": {"si": [{"from": "2020-01-15", "to": "2020-02-20"},
      {"from": "2020-02-22", "to": "2020-03-14"}]}})J", "2023-01-01")["months"] == "1");
  // A period counts to the day after its last: 2020-01-01..2020-01-31 is a full month, ..2020-01-30 is not.
  CHECK(outputs(pack, R"J({"a": {"si": [{"from": "2020-01-01", "to": "2020-01-31"}]}})J", "2023-01-01")["months"] == "1");
  CHECK(outputs(pack, R"J({"a": {"si": [{"from": "2020-01-01", "to": "2020-01-30"}]}})J", "2023-01-01")["months"] == "0");
  // An end after as_of, or none, counts to as_of: 2022-01-01..as_of 2022-12-31 is 12 months.
  CHECK(outputs(pack, R"J({"a": {"si": [{"from": "2022-01-01", "to": "2030-01-01"}]}})J", "2022-12-31")["months"] == "12");
  CHECK(outputs(pack, R"J({"a": {"si": [{"from": "2022-01-01", "to": null}]}})J", "2022-12-30")["months"] == "11");
  // A period that ends before it starts counts nothing; nested periods count once.
  CHECK(outputs(pack, R"J({"a": {"si": [{"from": "2022-05-01", "to": "2022-04-01"}, {"from": "2021-01-01", "to": "2021-12-31"},
      {"from": "2021-03-01", "to": "2021-04-30"}]}})J", "2023-01-01")["months"] == "12");
}

TEST_CASE("effective from and until are both in force and the days outside are E2002", "[evaluate][versions][boundary]") {
  const Pack pack = compile_ok(R"J({"pack": "t.e", "version": "1", "effective": {"from": "2024-01-01", "until": "2024-12-31"},
    "inputs": {"a": {"fields": {"x": "number"}}}, "outputs": {"x": "a.x"}})J");
  const auto code = [&](const char* day) {
    const Decision d = pack.evaluate(R"J({"a": {"x": 1}})J", on(day));
    return d.error ? d.error->code : std::string("ok");
  };
  CHECK(code("2023-12-31") == "E2002");
  CHECK(code("2024-01-01") == "ok");
  CHECK(code("2024-12-31") == "ok");
  CHECK(code("2025-01-01") == "E2002");
}

TEST_CASE("an inclusive range holds both its ends and nothing past them", "[evaluate][boundary]") {
  const Pack pack = compile_ok(R"J({"pack": "t.r", "version": "1",
    "inputs": {"a": {"fields": {"age": "number"}}},
    "outputs": {"in": "if a.age in [18..40] then 1 else 0", "not_in": "if a.age not in [18..40] then 1 else 0"},
    "scores": [{"id": "age", "table": {"on": "a.age", "rows": [{"when": "[18..40]", "points": 30}, {"when": "> 40", "points": 10},
      {"when": "<= 12", "points": 5}, {"otherwise": 0}]}}]})J");
  const auto at = [&](const char* age) {
    const Decision d = pack.evaluate(std::string(R"J({"a": {"age": )J") + age + "}}", on("2024-01-01"));
    REQUIRE(d.outputs.size() == 2);
    return d.outputs[0].value + d.outputs[1].value + " " + d.items[0].points.to_string();
  };
  CHECK(at("17.99") == "01 0");
  CHECK(at("18") == "10 30");
  CHECK(at("40") == "10 30");
  CHECK(at("40.01") == "01 10");
  CHECK(at("41") == "01 10");
  CHECK(at("12") == "01 5");
  CHECK(at("12.5") == "01 0");
}

TEST_CASE("a range with computed bounds holds both its ends, on both evaluation paths", "[evaluate][boundary]") {
  // Bounds read from the record are not constants: the fast path evaluates them (Op::InRange), apart from the
  // fused `x in [18..40]` of the case above.
  const Pack pack = compile_ok(R"J({"pack": "t.rc", "version": "1",
    "inputs": {"a": {"fields": {"x": "number", "lo": "number", "hi": "number"}}},
    "checks": [{"id": "band", "require": "a.x in [a.lo .. a.hi]", "reason": {"en": "out of band"}}]})J");
  for (const bool explain : {false, true}) {  // explain: the full evaluator; without: the fast path when it can
    INFO("explain " << explain);
    eligo::EvalOptions o = on("2024-01-01");
    o.explain = explain;
    const auto at = [&](const char* x) {
      return pack.evaluate(std::string(R"J({"a": {"lo": 18, "hi": 40, "x": )J") + x + "}}", o).verdict;
    };
    CHECK(at("17.99") == Verdict::ineligible);
    CHECK(at("18") == Verdict::eligible);
    CHECK(at("40") == Verdict::eligible);
    CHECK(at("40.01") == Verdict::ineligible);
  }
}

TEST_CASE("overlaps: closed intervals sharing their end day overlap and a null end is open", "[evaluate][dates][boundary]") {
  const Pack pack = compile_ok(R"J({"pack": "t.o", "version": "1",
    "inputs": {"a": {"fields": {"af": "date", "at": "date?", "bf": "date", "bt": "date?"}}},
    "outputs": {"o": "if overlaps(a.af, a.at, a.bf, a.bt) then 'yes' else 'no'"}})J");
  const auto o = [&](const char* at, const char* bf, const char* bt) {
    return outputs(pack, std::string(R"J({"a": {"af": "2024-01-01", "at": )J") + at + R"J(, "bf": ")J" + bf +
                             R"J(", "bt": )J" + bt + "}}", "2024-06-01")["o"];
  };
  CHECK(o("\"2024-01-31\"", "2024-01-31", "\"2024-02-10\"") == "yes");  // the same day ends one and starts the other
  CHECK(o("\"2024-01-30\"", "2024-01-31", "\"2024-02-10\"") == "no");
  CHECK(o("null", "2030-01-31", "\"2030-02-10\"") == "yes");             // open end
  CHECK(o("\"2024-01-31\"", "2023-01-01", "null") == "yes");
  CHECK(o("\"2024-01-31\"", "2023-01-01", "\"2023-12-31\"") == "no");    // the day before the first
  CHECK(o("\"2024-01-31\"", "2023-01-01", "\"2024-01-01\"") == "yes");
}

TEST_CASE("ages and months are full ones: the birthday itself counts and the day before does not", "[evaluate][dates][boundary]") {
  const Pack pack = compile_ok(R"J({"pack": "t.a", "version": "1",
    "inputs": {"a": {"fields": {"born": "date"}}},
    "outputs": {"years": "years_between(a.born, as_of)", "months": "months_between(a.born, as_of)",
                "days": "days_between(a.born, as_of)", "plus": "add_months(a.born, 1)"}})J");
  auto o = outputs(pack, R"J({"a": {"born": "2006-03-15"}})J", "2024-03-15");
  CHECK(o["years"] == "18");
  CHECK(o["months"] == "216");
  CHECK(o["days"] == "6575");
  o = outputs(pack, R"J({"a": {"born": "2006-03-15"}})J", "2024-03-14");
  CHECK(o["years"] == "17");
  CHECK(o["months"] == "215");
  o = outputs(pack, R"J({"a": {"born": "2024-01-31"}})J", "2024-02-29");
  CHECK(o["plus"] == "2024-02-29");  // month end clamped
  CHECK(o["months"] == "0");         // 01-31 → 02-29 is not yet a full month
  CHECK(o["days"] == "29");
}

TEST_CASE("a cap cuts points above it and leaves points equal to it", "[evaluate][scoring][boundary]") {
  const Pack pack = compile_ok(R"J({"pack": "t.cap", "version": "1",
    "inputs": {"a": {"fields": {"n": "number", "b": "number"}}},
    "scores": [{"id": "rent", "per": {"count": "a.n", "points": 5}, "cap": 20},
               {"id": "b1", "group": "bonus", "points": "a.b"}, {"id": "b2", "group": "bonus", "points": 10}],
    "groups": {"bonus": {"cap": 30}},
    "total": {"cap": 45}})J");
  const auto eval = [&](const char* n, const char* b) {
    const Decision d = pack.evaluate(std::string(R"J({"a": {"n": )J") + n + R"J(, "b": )J" + b + "}}", on("2024-01-01"));
    return d.items[0].points.to_string() + " " + d.total.to_string();
  };
  CHECK(eval("4", "20") == "20 45");   // 20 + min(30, 30) = 50 → total cap 45
  CHECK(eval("3", "20") == "15 45");   // 15 + 30 = 45: at the total cap
  CHECK(eval("3", "19") == "15 44");   // 15 + 29
  CHECK(eval("5", "0") == "20 30");    // 25 cut to 20, + 10
  CHECK(eval("2", "21") == "10 40");   // 10 + min(30, 31)
}

TEST_CASE("empty lists: all is true, any is false, sum is 0 and min is null", "[evaluate][boundary]") {
  const Pack pack = compile_ok(R"J({"pack": "t.l", "version": "1",
    "inputs": {"a": {"fields": {"xs": {"list": "number"}}}},
    "outputs": {"all": "if all(a.xs, x -> x > 0) then 'T' else 'F'", "any": "if any(a.xs, x -> x > 0) then 'T' else 'F'",
                "sum": "sum(a.xs)", "count": "count(a.xs)", "min": "min(a.xs, x -> x)",
                "max0": "max(a.xs, x -> x) ?? 0"}})J");
  auto o = outputs(pack, R"J({"a": {"xs": []}})J", "2024-01-01");
  CHECK(o["all"] == "T");
  CHECK(o["any"] == "F");
  CHECK(o["sum"] == "0");
  CHECK(o["count"] == "0");
  CHECK(o["min"] == "null");
  CHECK(o["max0"] == "0");
  o = outputs(pack, R"J({"a": {"xs": [3, 0, 2]}})J", "2024-01-01");
  CHECK(o["all"] == "F");
  CHECK(o["any"] == "T");
  CHECK(o["sum"] == "5");
  CHECK(o["min"] == "0");
  CHECK(o["max0"] == "3");
}

TEST_CASE("null equals only null and an ordering comparison with null is false", "[evaluate][boundary]") {
  const Pack pack = compile_ok(R"J({"pack": "t.n", "version": "1",
    "inputs": {"a": {"fields": {"d": "date?", "e": "date?"}}},
    "outputs": {"eq": "if a.d == a.e then 'T' else 'F'", "lt": "if a.d < as_of then 'T' else 'F'",
                "ge": "if a.d >= as_of then 'T' else 'F'", "default": "a.d ?? as_of"}})J");
  auto o = outputs(pack, R"J({"a": {"d": null, "e": null}})J", "2024-01-01");
  CHECK(o["eq"] == "T");
  CHECK(o["lt"] == "F");
  CHECK(o["ge"] == "F");
  CHECK(o["default"] == "2024-01-01");
  o = outputs(pack, R"J({"a": {"d": "2024-01-01", "e": null}})J", "2024-01-01");
  CHECK(o["eq"] == "F");
  CHECK(o["lt"] == "F");
  CHECK(o["ge"] == "T");
}

TEST_CASE("division rounds at 18 digits with the pack's rounding, half_up by default", "[evaluate][decimal][boundary]") {
  const char* pack_text = R"J({"pack": "t.d", "version": "1", ROUNDING
    "inputs": {"a": {"fields": {"x": "number"}}},
    "outputs": {"q": "a.x / 8", "r": "round(a.x / 4, 0)"}})J";
  const auto with = [&](const std::string& rounding) {
    std::string text = pack_text;
    text.replace(text.find("ROUNDING"), 8, rounding);
    return compile_ok(text);
  };
  // 0.000000000000000002 / 8 = 0.00000000000000000025: a tie at the 18th digit.
  auto o = outputs(with(""), R"J({"a": {"x": "0.000000000000000002"}})J", "2024-01-01");
  CHECK(o["q"] == "0.000000000000000000");
  o = outputs(with(""), R"J({"a": {"x": "0.000000000000000004"}})J", "2024-01-01");
  CHECK(o["q"] == "0.000000000000000001");  // 5e-19: half_up
  o = outputs(with(R"J("rounding": "half_even",)J"), R"J({"a": {"x": "0.000000000000000004"}})J", "2024-01-01");
  CHECK(o["q"] == "0.000000000000000000");  // 5e-19: half_even keeps 0
  o = outputs(with(""), R"J({"a": {"x": "10"}})J", "2024-01-01");
  CHECK(o["r"] == "3");  // 2.5 half_up
  o = outputs(with(R"J("rounding": "half_even",)J"), R"J({"a": {"x": "10"}})J", "2024-01-01");
  CHECK(o["r"] == "2");
}

TEST_CASE("the verdict: a failure wins over missing facts, missing facts over eligible", "[evaluate][boundary]") {
  const Pack pack = compile_ok(R"J({"pack": "t.v", "version": "1",
    "inputs": {"a": {"fields": {"p": "bool", "q": "bool"}}},
    "checks": [{"id": "p", "require": "a.p", "reason": "no p"}, {"id": "q", "require": "a.q", "reason": "no q"},
               {"id": "skipped", "when": "false", "require": "false", "reason": "never"}]})J");
  eligo::EvalOptions all = on("2024-01-01");
  all.mode = CheckMode::all;
  CHECK(pack.evaluate(R"J({"a": {"q": false}})J", all).verdict == Verdict::ineligible);
  CHECK(pack.evaluate(R"J({"a": {"q": true}})J", all).verdict == Verdict::needs_evidence);
  const Decision ok = pack.evaluate(R"J({"a": {"p": true, "q": true}})J", all);
  CHECK(ok.verdict == Verdict::eligible);
  CHECK(ok.checks[2].status == CheckStatus::skipped);
  // first_failure stops at the first check that is not passed or skipped, needs_evidence included.
  const Decision first = pack.evaluate(R"J({"a": {"q": false}})J", on("2024-01-01"));
  CHECK(first.verdict == Verdict::needs_evidence);
  CHECK(first.checks[1].status == CheckStatus::not_run);
}

TEST_CASE("priority tables take the highest priority and the first row on a tie", "[evaluate][scoring][boundary]") {
  const Pack pack = compile_ok(R"J({"pack": "t.p", "version": "1",
    "inputs": {"a": {"fields": {"x": "number"}}},
    "scores": [{"id": "p", "table": {"hit": "priority", "rows": [
      {"when": "a.x > 0", "points": 1, "priority": 2}, {"when": "a.x > 1", "points": 2, "priority": 2},
      {"when": "a.x > 2", "points": 3, "priority": 1}]}},
      {"id": "m", "table": {"hit": "collect_max", "rows": [{"when": "a.x > 0", "points": 7}, {"when": "a.x > 1", "points": 7},
      {"when": "a.x > 2", "points": 4}]}}]})J");
  const Decision d = pack.evaluate(R"J({"a": {"x": 3}})J", on("2024-01-01"));
  CHECK(d.items[0].points.to_string() == "1");
  CHECK(d.items[1].points.to_string() == "7");
}

TEST_CASE("blacklisted() holds from the first day in effect through the until day", "[evaluate][blacklist][boundary]") {
  const Pack pack = compile_ok(R"J({"pack": "t.bl", "version": "1",
    "inputs": {"a": {"fields": {"id": {"type": "string", "pii": "id_number"}}}},
    "outputs": {"listed": "if blacklisted(a.id, 'points') then 'yes' else 'no'"}})J");
  eligo::blacklist::Builder b;
  eligo::blacklist::Entry e;
  e.key = "11010519491231002X";
  e.scopes = {"points"};
  e.reason_code = "SX01";
  e.source = "法院";
  e.listed_on = *eligo::Date::parse("2024-01-01");
  e.from = eligo::Date::parse("2024-03-01");
  e.until = eligo::Date::parse("2024-08-31");
  REQUIRE_FALSE(b.add(e));
  const auto list = b.build();
  const auto listed = [&](const char* day) {
    eligo::EvalOptions o = on(day);
    o.blacklist = list.get();
    const Decision d = pack.evaluate(R"J({"a": {"id": "11010519491231002X"}})J", o);
    REQUIRE(d.outputs.size() == 1);
    return d.outputs[0].value;
  };
  CHECK(listed("2024-02-29") == "no");
  CHECK(listed("2024-03-01") == "yes");
  CHECK(listed("2024-08-31") == "yes");
  CHECK(listed("2024-09-01") == "no");
}

TEST_CASE("outputs are computed for an eligible applicant only, on both evaluation paths", "[evaluate][outputs][boundary]") {
  // docs/rule-language.md: outputs are "values computed for an eligible applicant". The amount here needs only
  // the kind, so it could be computed for every row: a needs_evidence or ineligible decision must still hold
  // none (eligo batch's sums and payout orders rely on it).
  const Pack pack = compile_ok(R"J({"pack": "t.o", "version": "1",
    "inputs": {"r": {"fields": {"kind": {"enum": ["dibao", "none"]}, "from": "date"}}},
    "checks": [{"id": "holds", "require": "r.kind != 'none'", "reason": {"en": "none"}},
               {"id": "in_time", "require": "r.from <= as_of", "reason": {"en": "late"}}],
    "outputs": {"amount": "if r.kind == 'dibao' then 1000.50 else 0"}})J");
  for (const bool explain : {false, true}) {  // explain: the full evaluator; without: the fast path when it can
    INFO("explain " << explain);
    eligo::EvalOptions o = on("2024-04-01");
    o.explain = explain;
    const Decision eligible = pack.evaluate(R"J({"r": {"kind": "dibao", "from": "2024-04-01"}})J", o);
    CHECK(eligible.verdict == Verdict::eligible);
    REQUIRE(eligible.outputs.size() == 1);
    CHECK(eligible.outputs[0].value == "1000.50");
    const Decision late = pack.evaluate(R"J({"r": {"kind": "dibao", "from": "2024-04-02"}})J", o);
    CHECK(late.verdict == Verdict::ineligible);
    CHECK(late.outputs.empty());
    const Decision no_date = pack.evaluate(R"J({"r": {"kind": "dibao"}})J", o);
    CHECK(no_date.verdict == Verdict::needs_evidence);
    CHECK(no_date.outputs.empty());
  }
}

TEST_CASE("a check on covered_months merges back-to-back periods on both evaluation paths", "[evaluate][dates][boundary]") {
  // In an output covered_months is always computed by the full evaluator; in a check the fast path computes it
  // (src/evaluate/fast_eval.cpp), so its merging of back-to-back periods needs a test of its own.
  const Pack pack = compile_ok(R"J({"pack": "t.cm", "version": "1",
    "inputs": {"a": {"fields": {"si": {"list": {"from": "date", "to": "date?"}}}}},
    "checks": [{"id": "two_months", "require": "covered_months(a.si, p -> p.from, p -> p.to) >= 2",
                "reason": {"en": "less than 2 months"}}]})J");
  for (const bool explain : {false, true}) {  // explain: the full evaluator; without: the fast path when it can
    INFO("explain " << explain);
    eligo::EvalOptions o = on("2023-01-01");
    o.explain = explain;
    // 2020-01-15..2020-02-20 then 2020-02-21..2020-03-14: one period, 2 full months.
    CHECK(pack.evaluate(R"J({"a": {"si": [{"from": "2020-02-21", "to": "2020-03-14"},
        {"from": "2020-01-15", "to": "2020-02-20"}]}})J", o).verdict == Verdict::eligible);
    // A day's gap: 1 month and 0.
    CHECK(pack.evaluate(R"J({"a": {"si": [{"from": "2020-01-15", "to": "2020-02-20"},
        {"from": "2020-02-22", "to": "2020-03-14"}]}})J", o).verdict == Verdict::ineligible);
  }
}
