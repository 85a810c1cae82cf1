// Pack tables are read by the common record reader (src/records): a duplicate column name or a row of the
// wrong width is a located diagnostic; cells are trimmed; a BOM is skipped.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "eligo/pack.hpp"

namespace fs = std::filesystem;

namespace {

eligo::CompileResult compile_with_table(const std::string& csv) {
  const fs::path root = fs::temp_directory_path() / ("eligo-table-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root);
  std::ofstream(root / "codes.csv", std::ios::binary) << csv;
  std::ofstream(root / "p.pack.json") << R"({"pack": "t.table", "version": "1",
      "inputs": {"a": {"fields": {"code": "string"}}},
      "lists": {"codes": {"file": "codes.csv", "column": "code"}},
      "checks": [{"id": "c", "require": "a.code in codes", "reason": {"en": "r"}}]})";
  eligo::CompileOptions o;
  o.lang = "en";
  eligo::CompileResult r = eligo::compile_file((root / "p.pack.json").string(), o);
  fs::remove_all(root);
  return r;
}

std::string table_error(const eligo::CompileResult& r) {
  for (const auto& d : r.diagnostics.items)
    if (d.code == "E1109") return d.message;
  return "";
}

}  // namespace

TEST_CASE("a pack table whose header names a column twice is refused, naming both columns", "[compile][tables]") {
  const auto r = compile_with_table("code,name,code\nC1,x,C2\n");
  REQUIRE_FALSE(r.pack);
  CHECK(table_error(r).find(
            "the header names 'code' twice: columns 1 (A) and 3 (C); which one holds the value is ambiguous") !=
        std::string::npos);
}

TEST_CASE("a pack table row of the wrong width is refused with its line", "[compile][tables]") {
  const auto r = compile_with_table("code,name\nC1,x\nC2\n");
  REQUIRE_FALSE(r.pack);
  CHECK(table_error(r).find("line 3: 1 fields, the header has 2") != std::string::npos);
}

TEST_CASE("a pack table with a BOM, CRLF and padded cells is read as written", "[compile][tables]") {
  const auto r = compile_with_table("\xEF\xBB\xBF" "code,name\r\n C1 ,x\r\n");
  INFO(r.diagnostics.to_string());
  REQUIRE(r.pack);
  eligo::EvalOptions o;
  o.as_of = eligo::Date::parse("2024-05-01");
  CHECK(r.pack->evaluate(R"({"a": {"code": "C1"}})", o).verdict == eligo::Verdict::eligible);
}
