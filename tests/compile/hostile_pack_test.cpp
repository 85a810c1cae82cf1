// TARGETS R1: malformed and hostile packs get a clear error, never a crash, with memory bounded.
#include <catch2/catch.hpp>

#include "eligo/pack.hpp"

namespace {
std::string codes(const eligo::Diagnostics& d) {
  std::string s;
  for (const auto& x : d.items) s += x.code + " ";
  return s;
}
}  // namespace

TEST_CASE("compile rejects JSON nested 100,000 deep with E1003 instead of overflowing the stack", "[compile][hostile]") {
  std::string text(100000, '[');
  text += std::string(100000, ']');
  eligo::CompileOptions en;
  en.lang = "en";
  const eligo::CompileResult r = eligo::compile_text(text, "deep.pack.json", en);
  CHECK_FALSE(r.pack);
  REQUIRE(r.diagnostics.items.size() == 1);
  CHECK(r.diagnostics.items[0].code == "E1003");
  CHECK(r.diagnostics.items[0].message == "malformed JSON: nesting deeper than 256 levels");
}

TEST_CASE("compile rejects a 10 MiB string with E1003", "[compile][hostile]") {
  const std::string text = R"({"pack": "t.big", "version": ")" + std::string(10u << 20, 'x') + R"(", "inputs": {}})";
  const eligo::CompileResult r = eligo::compile_text(text, "big.pack.json");
  CHECK_FALSE(r.pack);
  CHECK(codes(r.diagnostics) == "E1003 ");
}

TEST_CASE("compile rejects an expression nested 10,000 deep with E1213", "[compile][hostile]") {
  const std::string expr = std::string(10000, '(') + "1" + std::string(10000, ')');
  const std::string text = R"({"pack": "t.e", "version": "1", "inputs": {"a": {"fields": {"x": "number"}}},
    "outputs": {"y": ")" + expr + R"("}})";
  const eligo::CompileResult r = eligo::compile_text(text, "expr.pack.json");
  CHECK_FALSE(r.pack);
  CHECK(codes(r.diagnostics) == "E1213 ");
}

TEST_CASE("compile handles a huge flat array of checks and reports each bad one", "[compile][hostile]") {
  std::string text = R"({"pack": "t.h", "version": "1", "inputs": {"a": {"fields": {"x": "number"}}}, "checks": [)";
  for (int i = 0; i < 20000; ++i)
    text += std::string(i ? "," : "") + R"({"id": "c)" + std::to_string(i) + R"(", "require": "a.y > 1", "reason": "r"})";
  text += "]}";
  const eligo::CompileResult r = eligo::compile_text(text, "flat.pack.json");
  CHECK_FALSE(r.pack);
  CHECK(r.diagnostics.items.size() == 20000);  // every unknown field, in one pass
  CHECK(r.diagnostics.items.back().pointer == "/checks/19999/require");
}

TEST_CASE("compile treats non-UTF-8 bytes and control characters in a pack as malformed JSON", "[compile][hostile]") {
  eligo::CompileOptions en;
  en.lang = "en";
  const eligo::CompileResult r = eligo::compile_text("{\"pack\": \"t\xff\"}", "bytes.pack.json", en);
  REQUIRE(r.diagnostics.items.size() == 1);
  CHECK(r.diagnostics.items[0].message == "malformed JSON: invalid UTF-8");
}
