// Regressions for defects found in review; each test names the behaviour that was wrong.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "eligo/blacklist.hpp"
#include "eligo/pack.hpp"
#include "evaluate/pack_test_util.hpp"

using eligo::CheckStatus;
using eligo::Date;
using eligo::Decision;
using eligo::EvalOptions;
using eligo::Pack;
using eligo::Verdict;

using eligo::test::compile_ok;
using eligo::test::on;

TEST_CASE("a data source may evaluate another pack on the same thread", "[evaluate][regression]") {
  const Pack inner = compile_ok(R"J({"pack": "t.inner", "version": "1",
    "inputs": {"a": {"fields": {"x": "number", "xs": {"list": "number"}}}},
    "let": {"big": "filter(map(a.xs, v -> v), v -> v > a.x)"},
    "outputs": {"n": "count(big)"}})J");
  struct Reentrant : eligo::DataSource {
    const Pack* inner;
    std::optional<std::string> fetch(const eligo::SourceRequest&) override {
      const Decision d = inner->evaluate(R"J({"a": {"x": 1, "xs": [1, 2, 3]}})J", on("2024-01-01"));
      return R"J({"n": )J" + std::string(d.outputs.at(0).value) + "}";
    }
  } src;
  src.inner = &inner;
  const Pack outer = compile_ok(R"J({"pack": "t.outer", "version": "1",
    "inputs": {"a": {"fields": {"xs": {"list": "number"}}}, "m": {"source": "s", "fields": {"n": "number"}}},
    "let": {"kept": "filter(a.xs, x -> x > 1)"},
    "checks": [{"id": "c", "require": "count(kept) + m.n == 4", "reason": "r"}],
    "outputs": {"inner": "m.n", "kept": "count(kept)"}})J");
  EvalOptions o = on("2024-01-01");
  o.sources = &src;
  const Decision d = outer.evaluate(R"J({"a": {"xs": [1, 2, 3]}})J", o);
  CHECK(d.verdict == Verdict::eligible);
  REQUIRE(d.outputs.size() == 2);
  CHECK(d.outputs[0].value == "2");  // the inner pack's answer: 2 and 3 are greater than 1
  CHECK(d.outputs[1].value == "2");
  REQUIRE(d.sources_called.size() == 1);
  CHECK(d.sources_called[0].outcome == "ok");
}

TEST_CASE("compile rejects a 20,000-term chain of + and 'and' with E1213 instead of crashing", "[compile][regression]") {
  std::string sum = "a.x", conj = "a.x > 0";
  for (int i = 0; i < 20000; ++i) {
    sum += "+a.x";
    conj += " and a.x > 0";
  }
  std::string members = "a";
  for (int i = 0; i < 20000; ++i) members += ".x";
  for (const std::string& e : {sum + " > 0", conj, members + " > 0"}) {
    const eligo::CompileResult r = eligo::compile_text(R"J({"pack": "t.c", "version": "1", "inputs": {"a": {"fields": {"x": "number"}}},
      "checks": [{"id": "c", "require": ")J" + e + R"J(", "reason": "r"}]})J", "chain.pack.json");
    REQUIRE(r.diagnostics.items.size() == 1);
    CHECK(r.diagnostics.items[0].code == "E1213");
  }
}

TEST_CASE("a reused decision never shows the previous applicant's breakdown", "[evaluate][regression]") {
  const Pack pack = compile_ok(R"J({"pack": "t.r", "version": "1", "inputs": {"a": {"fields": {"x": "number", "y": "number"}}},
    "checks": [{"id": "c", "require": "10 / a.y > 0", "reason": "r"}],
    "scores": [{"id": "s1", "points": "a.x * 2"}]})J");
  EvalOptions o = on("2024-01-01");
  o.explain = true;
  Decision d;
  eligo::Input in = pack.bind(R"J({"a": {"x": 21, "y": 1}})J");
  pack.evaluate(in, o, &d);
  REQUIRE(d.items.size() == 1);
  CHECK(d.items[0].points.to_string() == "42");
  pack.bind(R"J({"a": {"x": 5, "y": 0}})J", &in);
  pack.evaluate(in, o, &d);
  CHECK(d.verdict == Verdict::error);
  REQUIRE(d.error);
  CHECK(d.error->code == "E2004");  // division by zero
  CHECK(d.items.empty());
  CHECK(d.to_json().find("42") == std::string::npos);
  CHECK(d.to_json().find("\"score\"") == std::string::npos);
}

TEST_CASE("personal data stays masked through let, ??, if and outputs", "[evaluate][regression][pii]") {
  const Pack pack = compile_ok(R"J({"pack": "t.p", "version": "1",
    "inputs": {"a": {"fields": {"id": {"type": "string", "pii": "id_number"}, "card": {"type": "string", "pii": "bank_card"}, "x": "number"}}},
    "let": {"idn": "a.id"},
    "checks": [{"id": "c", "require": "a.x > 5", "reason": "{idn} / {a.id ?? '-'} / {if a.x > 0 then a.card else ''}"}],
    "outputs": {"who": "a.id"}})J");
  EvalOptions o = on("2024-01-01");
  Decision d = pack.evaluate(R"J({"a": {"id": "110101199003077774", "card": "6222021234567890123", "x": 1}})J", o);
  CHECK(d.checks[0].reason == "110101********7774 / 110101********7774 / 622202*********0123");
  d = pack.evaluate(R"J({"a": {"id": "110101199003077774", "card": "6222021234567890123", "x": 9}})J", o);
  REQUIRE(d.outputs.size() == 1);
  CHECK(d.outputs[0].value == "110101********7774");
  CHECK(d.to_json().find("110101199003077774") == std::string::npos);
}

TEST_CASE("a data error on a personal-data field does not repeat the value", "[evaluate][regression][pii]") {
  const Pack pack = compile_ok(R"J({"pack": "t.e", "version": "1",
    "inputs": {"a": {"fields": {"born": {"type": "date", "pii": "id_number"}}}}})J");
  const Decision d = pack.evaluate(R"J({"a": {"born": "110101199003077774"}})J", on("2024-01-01"));
  REQUIRE(d.data_errors.size() == 1);
  CHECK(d.data_errors[0].message == "the value is not a date (YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD, a real calendar day)");
}

TEST_CASE("a data error about the whole input prints without an empty path and separator", "[evaluate][regression]") {
  const Pack pack = compile_ok(R"J({"pack": "t.e", "version": "1", "inputs": {"a": {"fields": {"x": "number"}}}})J");
  const Decision whole = pack.evaluate("[1, 2]", on("2024-01-01"));
  REQUIRE(whole.data_errors.size() == 1);
  CHECK(whole.data_errors[0].path.empty());
  const std::string text = whole.to_text(false);
  CHECK(text.find("data error[E3000] the input must be a JSON object\n") != std::string::npos);
  CHECK(text.find("data error[E3000] :") == std::string::npos);
  // A data error with a path keeps "path: message".
  const Decision field = pack.evaluate(R"J({"a": {"x": "many"}})J", on("2024-01-01"));
  REQUIRE(field.data_errors.size() == 1);
  CHECK(field.data_errors[0].code == "E3001");
  CHECK(field.to_text(false).find("data error[E3001] a.x: " + field.data_errors[0].message + "\n") != std::string::npos);
  CHECK(field.data_errors[0].message == "'many' is not a number (digits, an optional '.', grouping commas and '元' allowed)");
}

TEST_CASE("tables do not hide missing facts", "[evaluate][regression][scoring]") {
  const Pack pack = compile_ok(R"J({"pack": "t.t", "version": "1",
    "inputs": {"a": {"fields": {"phd": "bool", "master": "bool", "n": "number"}}},
    "scores": [
      {"id": "first", "table": {"rows": [{"when": "a.phd", "points": 30}, {"when": "a.master", "points": 20}]}},
      {"id": "other", "table": {"rows": [{"when": "a.phd", "points": 30}, {"otherwise": 5}]}},
      {"id": "sum", "table": {"hit": "collect_sum", "rows": [{"when": "a.phd", "points": 30}, {"when": "a.master", "points": 20}]}},
      {"id": "pts", "table": {"rows": [{"when": "a.master", "points": "a.n"}, {"when": "true", "points": 7}]}},
      {"id": "settled", "table": {"rows": [{"when": "a.master", "points": 20}, {"when": "a.phd", "points": 30}]}}]})J");
  const Decision d = pack.evaluate(R"J({"a": {"master": true}})J", on("2024-01-01"));
  REQUIRE(d.items.size() == 5);
  for (int i = 0; i < 4; ++i) {
    INFO(d.items[i].id);
    CHECK(d.items[i].status == eligo::ItemStatus::needs_evidence);
  }
  CHECK(d.items[0].missing == std::vector<std::string>{"a.phd"});
  CHECK(d.items[3].missing == std::vector<std::string>{"a.n"});
  CHECK(d.items[4].status == eligo::ItemStatus::scored);  // matched before the unknown row: settled
  CHECK(d.items[4].points.to_string() == "20");
}

TEST_CASE("a check whose applicability is unknown needs evidence instead of failing", "[evaluate][regression]") {
  const Pack pack = compile_ok(R"J({"pack": "t.w", "version": "1", "inputs": {"a": {"fields": {"kind": "string", "x": "number"}}},
    "checks": [{"id": "c", "when": "a.kind == 'resident'", "require": "a.x > 5", "reason": "x too small"}]})J");
  const Decision d = pack.evaluate(R"J({"a": {"x": 1}})J", on("2024-01-01"));
  CHECK(d.verdict == Verdict::needs_evidence);
  CHECK(d.checks[0].missing == std::vector<std::string>{"a.kind"});
  CHECK(pack.evaluate(R"J({"a": {"x": 9}})J", on("2024-01-01")).verdict == Verdict::eligible);
}

TEST_CASE("every check reading a cached let names the missing facts", "[evaluate][regression][missing]") {
  const Pack pack = compile_ok(R"J({"pack": "t.l", "version": "1", "mode": "all", "inputs": {"a": {"fields": {"birth": "date"}}},
    "let": {"age": "years_between(a.birth, as_of)"},
    "checks": [{"id": "c1", "require": "age >= 18", "reason": "r"}, {"id": "c2", "require": "age <= 60", "reason": "r"}],
    "scores": [{"id": "s1", "points": "age"}]})J");
  const Decision d = pack.evaluate(R"J({"a": {}})J", on("2024-01-01"));
  CHECK(d.checks[0].missing == std::vector<std::string>{"a.birth"});
  CHECK(d.checks[1].missing == std::vector<std::string>{"a.birth"});
  CHECK(d.items.at(0).missing == std::vector<std::string>{"a.birth"});
}

TEST_CASE("decision JSON stays valid when an output fails and names need escaping", "[evaluate][regression]") {
  const Pack pack = compile_ok(R"J({"pack": "t.o", "version": "1", "inputs": {"a": {"fields": {"x": "number", "y": "number"}}},
    "outputs": {"amount": "a.x", "rate": "a.x / a.y", "a\"b": "1"}})J");
  std::vector<nlohmann::json> parsed;
  for (const char* input : {R"J({"a": {"x": 10, "y": 0}})J", R"J({"a": {"x": 10, "y": 4}})J"}) {
    const std::string j = pack.evaluate(input, on("2024-01-01")).to_json();
    INFO(j);
    REQUIRE_NOTHROW(parsed.push_back(nlohmann::json::parse(j)));
  }
  CHECK(parsed[0]["verdict"] == "error");
  CHECK(parsed[0]["error"]["code"] == "E2004");
  CHECK(parsed[1]["verdict"] == "eligible");
  CHECK(parsed[1]["outputs"]["amount"]["value"] == "10");
  CHECK(parsed[1]["outputs"]["rate"]["value"] == "2.5");
  CHECK(parsed[1]["outputs"]["a\"b"]["value"] == "1");
}

TEST_CASE("decimal products never approximate and quotients that fit are not overflows", "[core][decimal][regression]") {
  eligo::Decimal r;
  CHECK_FALSE(eligo::Decimal::mul(*eligo::Decimal::parse("3333333333333333333.333333333333333333"),
                                  *eligo::Decimal::parse("30000000000000000000000.0"), &r));
  REQUIRE(eligo::Decimal::div(*eligo::Decimal::parse("99999999999999999999999999999999999.99"),
                              *eligo::Decimal::parse("0.01"), eligo::Rounding::half_up, &r));
  CHECK(r.to_string() == "9999999999999999999999999999999999999");
  // Trailing zeros are dropped before giving up: 10^21 × 10^15 = 10^36 fits.
  REQUIRE(eligo::Decimal::mul(*eligo::Decimal::parse("1000000000000000000000.000000000000000"),
                              *eligo::Decimal::parse("1000000000000000.000"), &r));
  CHECK(r.trimmed().to_string() == "1000000000000000000000000000000000000");
}

TEST_CASE("identity functions over a literal are checked as of as_of, not folded at compile time", "[evaluate][regression][identity]") {
  const Pack pack = compile_ok(R"J({"pack": "t.i", "version": "1", "inputs": {"a": {"fields": {"x": "number"}}},
    "outputs": {"valid": "cn_id_valid('110101199003077774')", "age": "cn_id_age('110101199003077774')"}})J");
  const Decision d = pack.evaluate(R"J({"a": {"x": 1}})J", on("2024-05-01"));
  REQUIRE(d.outputs.size() == 2);
  CHECK(d.outputs[0].value == "true");
  CHECK(d.outputs[1].value == "34");
  // The day before the 34th birthday (born 1990-03-07) the same compiled pack says 33; before birth, invalid.
  const Decision before = pack.evaluate(R"J({"a": {"x": 1}})J", on("2024-03-06"));
  REQUIRE(before.outputs.size() == 2);
  CHECK(before.outputs[1].value == "33");
  CHECK(pack.evaluate(R"J({"a": {"x": 1}})J", on("1990-03-06")).outputs.at(0).value == "false");
}

TEST_CASE("a group given as null up front is no record, and its source is not asked", "[evaluate][regression][sources]") {
  struct Counting : eligo::DataSource {
    int calls = 0;
    std::optional<std::string> fetch(const eligo::SourceRequest&) override {
      ++calls;
      return std::string(R"J({"d": "330106"})J");
    }
  } src;
  const Pack pack = compile_ok(R"J({"pack": "t.n", "version": "1", "inputs": {"p": {"source": "police", "fields": {"d": "string"}}},
    "checks": [{"id": "c", "require": "p.d == '330106'", "reason": "r"}]})J");
  EvalOptions o = on("2024-01-01");
  o.sources = &src;
  const Decision d = pack.evaluate(R"J({"p": null})J", o);
  CHECK(src.calls == 0);
  CHECK(d.verdict == Verdict::needs_evidence);
  CHECK(pack.evaluate(R"J({})J", o).verdict == Verdict::eligible);
  CHECK(src.calls == 1);
}

TEST_CASE("an empty blacklist builds and answers 'not listed' (found by fuzz_records)", "[blacklist][regression]") {
  eligo::blacklist::Builder builder;
  const auto snapshot = builder.build();
  REQUIRE(snapshot);
  CHECK(snapshot->size() == 0);
  CHECK_FALSE(snapshot->listed("110105194912310021", "points", *Date::parse("2024-01-01")));
  CHECK(snapshot->check("110105194912310021", "*", *Date::parse("2024-01-01")).empty());
}

TEST_CASE("CSV cells with doubled quotes and text after the closing quote keep their values (found by fuzz_records)",
          "[blacklist][regression]") {
  // Several escaped cells in one row grow the reader's unescaping arena while earlier cells still view it.
  const std::string csv =
      "id_number,scopes,reason_code,reason_text,source,listed_on\n"
      "11010519491231002X,\"po\"\"ints\"x,\"S\"\"X\"1,\"失信\"\"被执行\"\"人\" tail,\"法\"\"院\"ok,2024-03-01\n";
  eligo::blacklist::Builder builder;
  const auto report = eligo::blacklist::load_text(csv, "quoted.csv", builder);
  REQUIRE(report.ok());
  REQUIRE(report.accepted == 1);
  const auto entries = builder.build()->entries();
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].scopes == std::vector<std::string>{"po\"intsx"});
  CHECK(entries[0].reason_code == "S\"X1");
  CHECK(entries[0].reason_text == "失信\"被执行\"人 tail");
  CHECK(entries[0].source == "法\"院ok");
}

TEST_CASE("fraction digits of an amount are never masked as an ID number or a card", "[evaluate][regression][pii]") {
  // 18 zeros are a Luhn-valid run and 000000000000000001 has a valid GB 11643 check character: masking by
  // shape took them for a card and an ID inside 0.000000000000000000 and 0.000000000000000001.
  const Pack pack = compile_ok(R"J({"pack": "t.f", "version": "1", "inputs": {"a": {"fields": {"x": "number"}}},
    "checks": [{"id": "c", "require": "a.x > 1", "reason": "x is {a.x}"}],
    "outputs": {"x": "a.x"}})J");
  const Decision small = pack.evaluate(R"J({"a": {"x": "0.000000000000000001"}})J", on("2024-01-01"));
  REQUIRE(small.checks.size() == 1);
  CHECK(small.checks[0].reason == "x is 0.000000000000000001");
  const Decision d = pack.evaluate(R"J({"a": {"x": "2.000000000000000000"}})J", on("2024-01-01"));
  REQUIRE(d.outputs.size() == 1);
  CHECK(d.outputs[0].value == "2.000000000000000000");
  CHECK(d.outputs[0].json == "\"2.000000000000000000\"");
}
