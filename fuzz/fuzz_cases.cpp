// Fuzz target: a pack's test-case file (docs/rule-language.md §8), run by `eligo test` as policy staff would:
// the bytes become cases.json beside a small pack that names it. Bad case files are reported, never a crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>

#include "cli/commands.hpp"

namespace {

const char* kPack = R"pack({
  "pack": "fuzz.cases", "version": "1", "title": {"zh-CN": "fuzz"},
  "mode": "all",
  "inputs": {
    "applicant": {"fields": {"id_number": {"type": "cn_id", "pii": "id_number"}, "born": "date?",
                             "district": "string", "income": "number?",
                             "kind": {"enum": ["a", "b"]}, "stays": {"list": {"from": "date", "to": "date?"}}}},
    "hrss": {"source": "hrss", "fields": {"name": {"type": "string", "pii": "name"}}}
  },
  "checks": [
    {"id": "district", "require": "applicant.district == '110105'", "reason": {"zh-CN": "户籍地 {applicant.district}"}},
    {"id": "income", "require": "applicant.income < 3000", "reason": {"zh-CN": "收入 {applicant.income}"}},
    {"id": "name", "require": "present(hrss.name)", "reason": {"zh-CN": "人社无记录"}}
  ],
  "tests": "cases.json"
})pack";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/eligo-fuzz-cases-XXXXXX";
    const char* d = mkdtemp(tmpl);
    const std::string out(d ? d : "/tmp");
    if (FILE* f = std::fopen((out + "/fuzz.pack.json").c_str(), "wb")) {
      std::fputs(kPack, f);
      std::fclose(f);
    }
    return out;
  }();
  FILE* f = std::fopen((dir + "/cases.json").c_str(), "wb");
  if (!f) return 0;
  if (size > 0) std::fwrite(data, 1, size, f);  // data may be null for the empty input
  std::fclose(f);
  std::istringstream in;
  std::ostringstream out, err;
  eligo::cli::Io io{in, out, err};
  const int status = eligo::cli::cmd_test({dir + "/fuzz.pack.json"}, io);
  if (status < 0 || status > 2) __builtin_trap();
  return 0;
}
