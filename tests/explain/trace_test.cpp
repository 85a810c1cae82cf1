// --explain: the values each check read, with the values of the lets it used and the list item that settled
// an any/all, masked as the personal data they carry.
#include <catch2/catch.hpp>

#include "eligo/pack.hpp"

namespace {

const char* kPack = R"J({
  "pack": "t.trace", "version": "1",
  "inputs": {"a": {"fields": {
    "name": {"type": "string", "pii": "name"},
    "born": "date",
    "certs": {"list": {"kind": "string", "holder": {"type": "string", "pii": "name"}, "from": "date"}}}}},
  "let": {"age": "years_between(a.born, as_of)", "who": "a.name"},
  "checks": [
    {"id": "adult", "require": "age >= 18 and len(who) > 0", "reason": "under 18"},
    {"id": "dibao", "require": "any(a.certs, c -> c.kind == 'dibao')", "reason": "no dibao"},
    {"id": "all_old", "require": "all(a.certs, c -> c.from < date('2024-01-01'))", "reason": "a new certificate"}
  ],
  "mode": "all"
})J";

std::vector<std::pair<std::string, std::string>> reads(const eligo::CheckResult& c) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : c.read) out.emplace_back(r.path, r.value);
  return out;
}

}  // namespace

TEST_CASE("explain shows let values and the list item that decided an any or all", "[explain][trace]") {
  eligo::CompileOptions en;
  en.lang = "en";
  auto r = eligo::compile_text(kPack, "trace.pack.json", en);
  INFO(r.diagnostics.to_string());
  REQUIRE(r.pack);
  eligo::EvalOptions opt;
  opt.as_of = eligo::Date::parse("2024-05-01");
  opt.explain = true;
  const auto d = r.pack->evaluate(R"({"a": {"name": "张三丰", "born": "1990-06-01", "certs": [
      {"kind": "tekun", "holder": "张三丰", "from": "2020-01-01"},
      {"kind": "dibao", "holder": "张三丰", "from": "2024-02-01"}]}})", opt);
  REQUIRE(d.checks.size() == 3);
  using P = std::vector<std::pair<std::string, std::string>>;
  CHECK(reads(d.checks[0]) == P{{"a.born", "1990-06-01"}, {"age", "33"}, {"a.name", "张**"}, {"who", "张**"}});
  CHECK(reads(d.checks[1]) ==
        P{{"a.certs", "[2 items]"},
          {"any(a.certs, c -> c.kind == 'dibao') ← item 2", "{kind: dibao, holder: 张**, from: 2024-02-01}"}});
  CHECK(d.checks[2].status == eligo::CheckStatus::failed);
  CHECK(reads(d.checks[2]) ==
        P{{"a.certs", "[2 items]"},
          {"all(a.certs, c -> c.from < date('2024-01-01')) ← item 2", "{kind: dibao, holder: 张**, from: 2024-02-01}"}});
}
