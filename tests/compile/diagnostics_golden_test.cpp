// Golden files pin the exact text of every diagnostic: a change to a message shows in review.
// Each tests/golden/diagnostics/NAME.pack.json has NAME.expected beside it. To accept new output after a
// deliberate change: ELIGO_UPDATE_GOLDEN=1 build/tests/eligo_tests "[golden]" and review the diff.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "eligo/pack.hpp"

namespace fs = std::filesystem;

namespace {

std::string read_all(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string relative_diagnostics(const fs::path& pack) {
  eligo::CompileResult r = eligo::compile_file(pack.string());
  std::string text = r.diagnostics.to_string();
  const std::string prefix = std::string(ELIGO_SOURCE_DIR) + "/";
  for (std::size_t at; (at = text.find(prefix)) != std::string::npos;) text.erase(at, prefix.size());
  return text;
}

}  // namespace

TEST_CASE("compile reports each rule-pack mistake exactly as the golden file says", "[compile][golden]") {
  const fs::path dir = fs::path(ELIGO_TEST_DIR) / "golden" / "diagnostics";
  std::vector<fs::path> packs;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().string().size() > 10 && e.path().string().rfind(".pack.json") == e.path().string().size() - 10)
      packs.push_back(e.path());
  std::sort(packs.begin(), packs.end());
  REQUIRE(packs.size() >= 25);
  const bool update = std::getenv("ELIGO_UPDATE_GOLDEN") != nullptr;
  for (const auto& pack : packs) {
    const std::string name = pack.filename().string();
    fs::path expected = pack;
    expected.replace_filename(name.substr(0, name.size() - 10) + ".expected");
    const std::string got = relative_diagnostics(pack);
    if (update) {
      std::ofstream(expected, std::ios::binary) << got;
      continue;
    }
    INFO(name);
    REQUIRE(fs::exists(expected));
    CHECK(got == read_all(expected));
    CHECK_FALSE(got.empty());  // every golden pack is broken on purpose
  }
}
