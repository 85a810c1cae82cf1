// Golden files pin the exact text of every diagnostic, in both languages: a change to a message shows in
// review. Each tests/golden/diagnostics/NAME.pack.json has NAME.en.expected and NAME.zh-CN.expected beside
// it (the same codes, positions and carets; the words differ). To accept new output after a deliberate
// change: ELIGO_UPDATE_GOLDEN=1 build/tests/eligo_tests "[golden]" and review the diff.
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

std::string relative_diagnostics(const fs::path& pack, const std::string& lang) {
  eligo::CompileOptions options;
  options.lang = lang;
  eligo::CompileResult r = eligo::compile_file(pack.string(), options);
  std::string text = r.diagnostics.to_string();
  const std::string prefix = std::string(ELIGO_SOURCE_DIR) + "/";
  for (std::size_t at; (at = text.find(prefix)) != std::string::npos;) text.erase(at, prefix.size());
  return text;
}

// The codes of a diagnostics text, in order: "error[E1203]" → "E1203".
std::vector<std::string> codes(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t at = 0; (at = text.find("error[", at)) != std::string::npos; at += 6) out.push_back(text.substr(at + 6, 5));
  return out;
}

}  // namespace

TEST_CASE("compile reports each rule-pack mistake exactly as the golden file says", "[compile][golden]") {
  const fs::path dir = fs::path(ELIGO_TEST_DIR) / "golden" / "diagnostics";
  std::vector<fs::path> packs;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().string().size() > 10 && e.path().string().rfind(".pack.json") == e.path().string().size() - 10)
      packs.push_back(e.path());
  std::sort(packs.begin(), packs.end());
  REQUIRE(packs.size() >= 40);
  const bool update = std::getenv("ELIGO_UPDATE_GOLDEN") != nullptr;
  for (const auto& pack : packs) {
    const std::string name = pack.filename().string();
    std::string previous_codes;
    for (const std::string lang : {"en", "zh-CN"}) {
      fs::path expected = pack;
      expected.replace_filename(name.substr(0, name.size() - 10) + "." + lang + ".expected");
      const std::string got = relative_diagnostics(pack, lang);
      if (update) {
        std::ofstream(expected, std::ios::binary) << got;
        continue;
      }
      INFO(name << " in " << lang);
      REQUIRE(fs::exists(expected));
      CHECK(got == read_all(expected));
      CHECK_FALSE(got.empty());  // every golden pack is broken on purpose
      std::string joined;
      for (const auto& c : codes(got)) joined += c + " ";
      if (lang == "zh-CN") CHECK(joined == previous_codes);  // the same codes in both languages
      previous_codes = joined;
    }
  }
}

TEST_CASE("diagnostics take their language from the locale, Chinese when none is set", "[compile][lang]") {
  CHECK(eligo::diagnostics_lang("en") == "en");
  CHECK(eligo::diagnostics_lang("zh-CN") == "zh-CN");
  const char* saved[3];
  const char* vars[3] = {"LC_ALL", "LC_MESSAGES", "LANG"};
  std::string copies[3];
  for (int i = 0; i < 3; ++i) {
    saved[i] = std::getenv(vars[i]);
    if (saved[i]) copies[i] = saved[i];
    unsetenv(vars[i]);
  }
  CHECK(eligo::diagnostics_lang() == "zh-CN");
  setenv("LANG", "en_US.UTF-8", 1);
  CHECK(eligo::diagnostics_lang() == "en");
  setenv("LC_MESSAGES", "zh_CN.UTF-8", 1);  // LC_MESSAGES comes before LANG
  CHECK(eligo::diagnostics_lang() == "zh-CN");
  setenv("LC_ALL", "en_GB.UTF-8", 1);       // and LC_ALL before both
  CHECK(eligo::diagnostics_lang() == "en");
  eligo::CompileResult r = eligo::compile_text("{\"pack\": 1}");
  CHECK(r.diagnostics.lang == "en");
  for (int i = 0; i < 3; ++i) {
    if (saved[i]) setenv(vars[i], copies[i].c_str(), 1);
    else unsetenv(vars[i]);
  }
  eligo::CompileOptions zh;
  zh.lang = "zh-CN";
  r = eligo::compile_text("{\"pack\": 1}", "<memory>", zh);
  CHECK(r.diagnostics.lang == "zh-CN");
  CHECK(r.diagnostics.to_string().find("个错误") != std::string::npos);
}
