// The fast evaluator's own pieces (src/evaluate/fast_eval.hpp, fast_plan.hpp), each against what it stands
// in for: the calendar arithmetic against Date, and the plan's step bounds against the steps the tree walk
// spends (issue 11).
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "compile/program.hpp"
#include "eligo/date.hpp"
#include "eligo/pack.hpp"
#include "evaluate/fast_eval.hpp"
#include "evaluate/fast_plan.hpp"

TEST_CASE("fast_ymd gives Date::ymd's year, month and day for every day it is used for", "[evaluate][fast_path]") {
  // Every day of [-10^7, 10^8] (years ~-25400..275800, all of 1000..9999 among them), then the edges outside,
  // where it hands over to Date::ymd.
  std::int64_t mismatches = 0;
  std::int32_t first_bad = 0;
  for (std::int32_t days = -10000000; days <= 100000000; ++days) {
    int y, m, d, y2, m2, d2;
    eligo::detail::fast_ymd(days, &y, &m, &d);
    eligo::Date::from_days(days).ymd(&y2, &m2, &d2);
    if (y != y2 || m != m2 || d != d2) {
      if (mismatches++ == 0) first_bad = days;
    }
  }
  INFO("first mismatch at day " << first_bad);
  CHECK(mismatches == 0);
  for (std::int32_t days : {-10000001, 100000001, INT32_MIN / 2, INT32_MAX / 2}) {
    int y, m, d, y2, m2, d2;
    eligo::detail::fast_ymd(days, &y, &m, &d);
    eligo::Date::from_days(days).ymd(&y2, &m2, &d2);
    CHECK((y == y2 && m == m2 && d == d2));
  }
  int y, m, d;
  eligo::detail::fast_ymd(eligo::Date::parse("2024-02-29")->days(), &y, &m, &d);
  CHECK((y == 2024 && m == 2 && d == 29));
  eligo::detail::fast_ymd(eligo::Date::parse("1000-01-01")->days(), &y, &m, &d);
  CHECK((y == 1000 && m == 1 && d == 1));
  eligo::detail::fast_ymd(eligo::Date::parse("9999-12-31")->days(), &y, &m, &d);
  CHECK((y == 9999 && m == 12 && d == 31));
}

namespace {

const char* kBoundsPack = R"J({
  "pack": "test.fast_bounds", "version": "1",
  "inputs": {"a": {"fields": {"n": "number", "m": "number", "opt": "number?", "born": "date",
                              "items": {"list": {"v": "number"}}}}},
  "let": {"age": "years_between(a.born, as_of)"},
  "mode": "all",
  "checks": [
    {"id": "adult", "require": "years_between(a.born, as_of) >= 18", "reason": "under 18"},
    {"id": "formula", "require": "max(0, 30 - 2 * (age - 40)) >= 10", "reason": "formula {age}"},
    {"id": "branch", "require": "(if a.n > 3 then a.m else a.n + a.m * 2) < 100", "reason": "branch"},
    {"id": "default", "require": "(a.opt ?? 0) + a.n >= 0", "reason": "default"},
    {"id": "listed", "require": "any(a.items, x -> x.v > 1) or a.n >= 0", "reason": "listed"}
  ],
  "scores": [
    {"id": "small", "points": "min(a.n, 10) * 2"},
    {"id": "unit", "per": {"count": "a.m", "points": 3}, "cap": 20},
    {"id": "aged", "table": {"on": "age", "rows": [{"when": "[18..40]", "points": 30}, {"when": "> 40", "points": "max(0, 30 - 2 * (age - 40))"}, {"otherwise": 0}]}}
  ]
})J";

// Bounds that are exact (a let read once, no branch): a bound one step short would let the fast path finish
// where the full path runs out (E2001), which the budget sweep below catches.
const char* kTightPack = R"J({
  "pack": "test.fast_bounds_tight", "version": "1",
  "inputs": {"a": {"fields": {"n": "number", "born": "date"}}},
  "let": {"age": "years_between(a.born, as_of)"},
  "checks": [
    {"id": "adult", "require": "age >= 18", "reason": "under 18"},
    {"id": "small", "require": "a.n * 2 - 1 < 100", "reason": "too big"}
  ]
})J";

// Decides `text` at every budget from 1 to 120 (and the default) with the fast path on and off and requires
// the same decision; counts the runs the fast path finished and the budgets the full path ran out of.
void sweep(const eligo::Pack& pack, const char* text, int* completed, int* ran_out) {
  struct On {
    ~On() { eligo::detail::set_fast_path_enabled(true); }
  } restore;
  eligo::Decision fast;
  for (int budget = 0; budget <= 120; ++budget) {
    INFO("input " << text << ", budget " << budget);
    eligo::EvalOptions o;
    o.as_of = eligo::Date::parse("2024-05-01");
    if (budget > 0) o.step_budget = static_cast<std::uint64_t>(budget);
    eligo::Input in = pack.bind(text);
    eligo::detail::set_fast_path_enabled(true);
    const std::uint64_t before = eligo::detail::fast_path_completions();
    pack.evaluate(in, o, &fast);
    *completed += eligo::detail::fast_path_completions() != before;
    eligo::detail::set_fast_path_enabled(false);
    const eligo::Decision full = pack.evaluate(in, o);
    REQUIRE(fast.to_json() == full.to_json());
    REQUIRE(fast.to_text(false) == full.to_text(false));
    *ran_out += full.error.has_value() && full.error->code == "E2001";
  }
}

}  // namespace

TEST_CASE("a check whose steps the plan bounds decides as the full path at every step budget", "[evaluate][fast_path]") {
  auto compiled = eligo::compile_text(kBoundsPack);
  INFO(compiled.diagnostics.to_string());
  REQUIRE(compiled.pack.has_value());
  const eligo::Pack& pack = *compiled.pack;
  const eligo::detail::Program& p = pack.program();
  const auto& plan = *p.fast_plan;
  using eligo::detail::FNode;
  // The bounds are what the tree walk spends at most: 1 per node, the let's body where it is read.
  // adult: >=, years_between, a.born, as_of, 18.
  CHECK(plan.nodes[p.checks[0].require].bound == 5);
  // formula: >=, max, 0, -, 30, *, 2, -, age (the let, 1, and its body years_between, a.born, as_of), 40, 10.
  CHECK(plan.nodes[p.checks[1].require].bound == 14);
  // branch: <, if, >, a.n, 3, then a.m, else +, a.n, *, a.m, 2 (both branches), 100.
  CHECK(plan.nodes[p.checks[2].require].bound == 12);
  // A quantifier's steps depend on the list: no bound.
  CHECK(plan.nodes[p.checks[4].require].bound == FNode::no_bound);
  const char* kInputs[] = {
      R"({"a": {"n": 5, "m": 7, "opt": 2, "born": "1970-06-01", "items": [{"v": 0}, {"v": 3}]}})",
      R"({"a": {"n": 1, "m": 40, "opt": null, "born": "2010-05-02", "items": []}})",
      R"({"a": {"n": -4, "m": 1.5, "opt": 1, "born": "1990-05-01", "items": [{"v": 1}]}})",
      R"({"a": {"n": 12, "m": 3, "opt": -20, "born": "1950-02-28", "items": [{"v": 2}, {"v": 2}, {"v": 0}]}})"};
  int completed = 0, failed_budget = 0;
  for (const char* text : kInputs) sweep(pack, text, &completed, &failed_budget);
  auto tight = eligo::compile_text(kTightPack);
  REQUIRE(tight.pack.has_value());
  const auto& tp = tight.pack->program();
  CHECK(tp.fast_plan->nodes[tp.checks[0].require].bound == 6);  // >=, age (1 + years_between, a.born, as_of), 18
  CHECK(tp.fast_plan->nodes[tp.checks[1].require].bound == 7);  // <, -, *, a.n, 2, 1, 100
  for (const char* text : {R"({"a": {"n": 3, "born": "1990-05-01"}})", R"({"a": {"n": 70, "born": "2010-01-01"}})"})
    sweep(*tight.pack, text, &completed, &failed_budget);
  // Both sides of the line: budgets the full path runs out of, and budgets the fast path finishes within.
  CHECK(failed_budget > 20);
  CHECK(completed > 100);
}
