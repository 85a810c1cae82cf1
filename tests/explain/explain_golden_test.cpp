// Golden files pin the exact --explain text (zh-CN and en) and JSON of decisions whose reasons and outputs
// read values the checks' conditions did not: those values are shown, marked as read only by the reason,
// and personal data among them is masked unless clear text is asked for. To accept new output after a
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

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

struct Run {
  std::string text, json;
};

// Every applicant of NAME.applicants.jsonl evaluated with explain, as the text `eligo eval --explain`
// prints (one blank line between applicants) and as JSON lines.
Run explain_all(const std::string& name, const std::string& lang, bool clear_pii) {
  const fs::path dir = fs::path(ELIGO_TEST_DIR) / "golden" / "explain";
  eligo::CompileOptions co;
  co.lang = "en";
  auto r = eligo::compile_file((dir / (name + ".pack.json")).string(), co);
  INFO(r.diagnostics.to_string());
  REQUIRE(r.pack);
  eligo::EvalOptions opt;
  opt.as_of = eligo::Date::parse("2024-05-01");
  opt.explain = true;
  opt.lang = lang;
  opt.clear_pii = clear_pii;
  Run out;
  for (const auto& line : lines(read_all(dir / (name + ".applicants.jsonl")))) {
    const eligo::Decision d = r.pack->evaluate(line, opt);
    out.text += d.to_text(true) + "\n";
    out.json += d.to_json() + "\n";
  }
  return out;
}

void compare(const fs::path& expected, const std::string& got) {
  if (std::getenv("ELIGO_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(expected, std::ios::binary) << got;
    return;
  }
  INFO(expected.filename().string());
  REQUIRE(fs::exists(expected));
  CHECK(got == read_all(expected));
}

}  // namespace

TEST_CASE("explain shows the values only a reason or an output read exactly as the golden files say",
          "[explain][golden]") {
  const fs::path dir = fs::path(ELIGO_TEST_DIR) / "golden" / "explain";
  for (const std::string lang : {"en", "zh-CN"}) {
    const Run run = explain_all("reason-reads", lang, false);
    compare(dir / ("reason-reads." + lang + ".expected"), run.text);
    if (lang == "en") compare(dir / "reason-reads.json.expected", run.json);
    // Masked: the name and the ID number the reasons and an output quote never appear in clear.
    CHECK(run.text.find("张三丰") == std::string::npos);
    CHECK(run.text.find("110101199003077774") == std::string::npos);
    CHECK(run.json.find("110101199003077774") == std::string::npos);
  }
}

TEST_CASE("explain marks what only the reason read apart from what the condition read", "[explain][trace]") {
  const Run run = explain_all("reason-reads", "en", false);
  const auto json = lines(run.json);
  REQUIRE(json.size() == 2);
  const std::string& failed = json[0];
  // the district check read a.district; its reason alone read the name and the ID number (masked)
  CHECK(failed.find(R"({"path":"a.district","value":"440106"},{"path":"a.name","value":"张**","by":"reason"},)"
                    R"({"path":"a.id_number","value":"110101********7774","by":"reason"})") != std::string::npos);
  // the income check's reason read the application date, not read by the condition
  CHECK(failed.find(R"({"path":"a.applied_on","value":"2024-03-05","by":"reason"})") != std::string::npos);
  // a value the condition read already is not repeated for the reason
  CHECK(failed.find(R"("path":"a.district","value":"440106","by":"reason")") == std::string::npos);
  // the eligible applicant: the outputs show what they read
  CHECK(json[1].find(R"("payee":{"value":"李*","read":[{"path":"a.name","value":"李*"}]})") != std::string::npos);
}

TEST_CASE("explain shows the values only a reason read in clear text when clear text is asked for", "[explain][trace][pii]") {
  const Run run = explain_all("reason-reads", "zh-CN", true);
  CHECK(run.text.find("        a.name = 张三丰  （仅原因读取）\n") != std::string::npos);
  CHECK(run.text.find("        a.id_number = 110101199003077774  （仅原因读取）\n") != std::string::npos);
}
