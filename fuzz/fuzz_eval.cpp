// Fuzz target: applicant JSON → bind and evaluate against fixed packs (one with lists, lambdas, tables,
// identity functions and reasons). Must never crash; the decision JSON must always be produced.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "eligo/pack.hpp"

namespace {
const eligo::Pack& pack() {
  static const eligo::Pack p = [] {
    auto r = eligo::compile_text(R"J({"pack": "fuzz.eval", "version": "1", "mode": "all",
      "inputs": {"a": {"fields": {"id": "cn_id", "name": {"type": "string", "pii": "name"}, "born": "date",
        "n": "number?", "kind": {"enum": ["x", "y", "z"]},
        "stays": {"list": {"from": "date", "to": "date?", "code": "string"}}}}},
      "lists": {"codes": {"values": ["A", "B"]}},
      "let": {"age": "years_between(a.born, as_of)", "months": "covered_months(a.stays, s -> s.from, s -> s.to)"},
      "checks": [
        {"id": "adult", "require": "age >= 18", "reason": "{a.name} {age} {a.id}"},
        {"id": "codes", "require": "any(a.stays, s -> s.code in codes) or (a.n ?? 0) / 3 > 1", "reason": "{months}"},
        {"id": "id", "require": "cn_id_valid(a.id) and names_match(a.name, normalize_name(a.name))", "reason": "{cn_id_region(a.id)}"}],
      "scores": [
        {"id": "k", "table": {"on": "a.kind", "rows": [{"when": "'x'", "points": 3}, {"otherwise": "round(months / 7, 2)"}]}, "cap": 20},
        {"id": "m", "per": {"count": "floor(months / 12)", "points": 2}}],
      "total": {"floor": 0}})J", "fuzz.pack.json");
    if (!r.pack) std::abort();
    return *r.pack;
  }();
  return p;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  eligo::EvalOptions o;
  o.as_of = eligo::Date::parse("2024-05-01");
  o.explain = true;
  o.step_budget = 100000;
  const eligo::Decision d = pack().evaluate(std::string_view(reinterpret_cast<const char*>(data), size), o);
  if (d.to_json().empty()) std::abort();
  (void)d.to_text(true);
  return 0;
}
