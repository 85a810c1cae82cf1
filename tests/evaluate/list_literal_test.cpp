// Lists written in the rule ([], ['a', 'b'], [1, 2]) stand wherever a list fits, not only after 'in'.
#include <catch2/catch.hpp>

#include <map>

#include "eligo/pack.hpp"
#include "evaluate/pack_test_util.hpp"

using eligo::test::compile_ok;
using eligo::test::on;

TEST_CASE("list literals, empty or not, are lists wherever a list fits", "[evaluate][lists]") {
  const eligo::Pack pack = compile_ok(R"J({
    "pack": "t.lists", "version": "1",
    "inputs": {"a": {"fields": {"district": "string", "kinds": {"list": "string"}}}},
    "let": {"core": "['440103', '440104']", "none": "[]"},
    "checks": [{"id": "core", "require": "a.district in core", "reason": "r"}],
    "outputs": {
      "core_count": "count(core)",
      "none_count": "count(none)",
      "sum": "sum([1, 2, 3.5])",
      "dibao_held": "any(a.kinds, k -> k in ['dibao', 'tekun'])",
      "all_of_empty": "all([], x -> x > 1)"
    }
  })J");
  const eligo::Decision d = pack.evaluate(R"J({"a": {"district": "440104", "kinds": ["tekun"]}})J", on("2024-01-01"));
  REQUIRE(d.verdict == eligo::Verdict::eligible);
  std::map<std::string, std::string> out;
  for (const auto& o : d.outputs) out[std::string(o.name)] = std::string(o.value);
  CHECK(out["core_count"] == "2");
  CHECK(out["none_count"] == "0");
  CHECK(out["sum"] == "6.5");
  CHECK(out["dibao_held"] == "true");
  CHECK(out["all_of_empty"] == "true");
  CHECK(pack.evaluate(R"J({"a": {"district": "440106", "kinds": []}})J", on("2024-01-01")).verdict ==
        eligo::Verdict::ineligible);
}

TEST_CASE("a list literal holds constants of one kind", "[compile][lists]") {
  eligo::CompileOptions en;
  en.lang = "en";
  const char* head = R"J({"pack": "t", "version": "1", "inputs": {"a": {"fields": {"x": "number"}}}, "outputs": {"o": ")J";
  auto first_message = [&](const std::string& expr) {
    const eligo::CompileResult r = eligo::compile_text(std::string(head) + expr + "\"}}", "t.pack.json", en);
    REQUIRE_FALSE(r.diagnostics.items.empty());
    return r.diagnostics.items[0].code + " " + r.diagnostics.items[0].message;
  };
  CHECK(first_message("count([a.x, 1])") ==
        "E1206 a list written in the rule holds values written in the rule, like ['a', 'b'] or [1, 2]");
  CHECK(first_message("count([1, 'a'])") == "E1206 list items differ: number and string");
}

TEST_CASE("concat() builds text from strings, exact numbers and dates", "[evaluate][concat]") {
  const eligo::Pack pack = compile_ok(R"J({
    "pack": "t.concat", "version": "1",
    "inputs": {"a": {"fields": {"district": "string", "amount": "number", "since": "date", "note": "string?",
                                "name": {"type": "string", "pii": "name"}}}},
    "outputs": {
      "code": "concat(a.district, '-', year(as_of), '-', a.amount, '@', a.since, ':', true)",
      "constant": "concat('a', 1.50, date('2024-02-29'))",
      "with_null": "concat('x', a.note)",
      "who": "concat(a.name, '（', a.district, '）')"
    }
  })J");
  const eligo::Decision d = pack.evaluate(
      R"J({"a": {"district": "440104", "amount": 5000.00, "since": "2023-06-01", "note": null, "name": "陈秀英"}})J",
      on("2024-05-01"));
  std::map<std::string, std::string> out;
  for (const auto& o : d.outputs) out[std::string(o.name)] = std::string(o.value);
  CHECK(out["code"] == "440104-2024-5000.00@2023-06-01:true");
  CHECK(out["constant"] == "a1.502024-02-29");
  CHECK(out["with_null"] == "null");
  CHECK(out["who"].find("秀英") == std::string::npos);  // a name inside the text is masked with it
}
