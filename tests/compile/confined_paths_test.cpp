// Packs are confined to their folder (issue 10 item 4): list files and test files may not lead outside it,
// whether by an absolute path, "..", or a symbolic link, unless CompileOptions::allow_outside_paths.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "eligo/pack.hpp"

namespace fs = std::filesystem;

namespace {

struct TempTree {
  fs::path root;
  TempTree() {
    root = fs::temp_directory_path() / ("eligo-confined-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root / "pack" / "tables");
    fs::create_directories(root / "outside");
    std::ofstream(root / "outside" / "secret.csv") << "code\nsecret\n";
    std::ofstream(root / "pack" / "tables" / "ok.csv") << "code\nok\n";
  }
  ~TempTree() { fs::remove_all(root); }
  fs::path pack(const std::string& list_file) const {
    const fs::path p = root / "pack" / "p.pack.json";
    std::ofstream(p) << R"({"pack": "t.confined", "version": "1", "title": {"zh-CN": "t"},
      "inputs": {"a": {"fields": {"code": "string"}}},
      "lists": {"codes": {"file": ")" << list_file << R"(", "column": "code"}},
      "checks": [{"id": "c", "require": "a.code in codes", "reason": {"zh-CN": "r"}}]})";
    return p;
  }
};

std::string codes(const eligo::CompileResult& r) {
  std::string s;
  for (const auto& d : r.diagnostics.items) s += d.code + " ";
  return s;
}

}  // namespace

TEST_CASE("a list file inside the pack's folder is read", "[compile][confined]") {
  TempTree t;
  const auto r = eligo::compile_file(t.pack("tables/ok.csv").string());
  CHECK(r.pack.has_value());
  CHECK(codes(r) == "");
  // Through a symbolic link that stays inside, too.
  fs::create_symlink(t.root / "pack" / "tables" / "ok.csv", t.root / "pack" / "link.csv");
  CHECK(eligo::compile_file(t.pack("link.csv").string()).pack.has_value());
  CHECK(eligo::compile_file(t.pack("tables/../tables/ok.csv").string()).pack.has_value());
}

TEST_CASE("a list file outside the pack's folder is E1110 unless allowed", "[compile][confined]") {
  TempTree t;
  fs::create_symlink(t.root / "outside" / "secret.csv", t.root / "pack" / "tables" / "link.csv");
  fs::create_directory_symlink(t.root / "outside", t.root / "pack" / "door");
  for (const std::string& file : {std::string("../outside/secret.csv"), (t.root / "outside" / "secret.csv").string(),
                                 std::string("tables/link.csv"), std::string("door/secret.csv"),
                                 std::string("/etc/shells")}) {
    INFO(file);
    const auto r = eligo::compile_file(t.pack(file).string());
    CHECK_FALSE(r.pack.has_value());
    REQUIRE(r.diagnostics.items.size() >= 1);
    CHECK(r.diagnostics.items[0].code == "E1110");
    CHECK(r.diagnostics.items[0].pointer == "/lists/codes/file");
    CHECK(r.diagnostics.items[0].line == 3);
  }
  eligo::CompileOptions allow;
  allow.allow_outside_paths = true;
  CHECK(eligo::compile_file(t.pack("../outside/secret.csv").string(), allow).pack.has_value());
  CHECK(eligo::compile_file(t.pack("door/secret.csv").string(), allow).pack.has_value());
}
