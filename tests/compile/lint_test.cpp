// Lint warnings: reported for a pack that compiles, with a code each, and silenced per pack.
#include <catch2/catch.hpp>

#include "eligo/pack.hpp"

namespace {

const char* kPack = R"J({
  "pack": "t.lint", "version": "1", %LINT%
  "inputs": {"a": {"fields": {"born": "date", "left_on": "date?"}}, "unused": {"source": "s", "fields": {"x": "string"}}},
  "lists": {"never": {"values": ["x"]}},
  "let": {"spare": "1"},
  "checks": [{"id": "c", "require": "a.left_on > a.born", "reason": "r"}]
})J";

std::vector<std::string> codes(const std::string& lint) {
  std::string text = kPack;
  text.replace(text.find("%LINT%"), 6, lint);
  eligo::CompileOptions en;
  en.lang = "en";
  const eligo::CompileResult r = eligo::compile_text(text, "lint.pack.json", en);
  REQUIRE(r.pack);  // warnings never stop a pack
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics.items) {
    CHECK(d.severity == eligo::Severity::warning);
    out.push_back(d.code);
  }
  return out;
}

}  // namespace

TEST_CASE("lint warns of an unused let, group and list and of an unguarded optional comparison", "[compile][lint]") {
  CHECK(codes("") == std::vector<std::string>{"W1302", "W1303", "W1301", "W1304"});
}

TEST_CASE("a pack silences the warnings it means with lint.ignore", "[compile][lint]") {
  CHECK(codes(R"("lint": {"ignore": ["W1301", "W1304"]},)") == std::vector<std::string>{"W1302", "W1303"});
  CHECK(codes(R"("lint": {"ignore": ["W1301", "W1302", "W1303", "W1304"]},)").empty());
}

TEST_CASE("the bundled packs are lint-clean", "[compile][lint]") {
  for (const char* pack : {"rules/major-illness/major-illness.pack.json", "rules/gz-points/gz-points-2018.pack.json",
                           "rules/gz-points/gz-points-2021.pack.json", "rules/yuexiu-school/yuexiu-school-2021.pack.json"}) {
    eligo::CompileOptions en;
    en.lang = "en";
    const eligo::CompileResult r = eligo::compile_file(std::string(ELIGO_SOURCE_DIR) + "/" + pack, en);
    INFO(r.diagnostics.to_string());
    CHECK(r.pack);
    CHECK(r.diagnostics.items.empty());
  }
}
