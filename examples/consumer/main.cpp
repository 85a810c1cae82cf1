// Compiles a tiny pack from text and evaluates one applicant: proves the installed headers and library work.
#include <eligo/pack.hpp>

#include <iostream>

int main() {
  const char* pack = R"({"pack": "demo.age", "version": "1",
    "inputs": {"applicant": {"fields": {"birth_date": "date"}}},
    "checks": [{"id": "adult", "require": "years_between(applicant.birth_date, as_of) >= 18",
                "reason": {"zh-CN": "未满18周岁", "en": "under 18"}}]})";
  eligo::CompileResult r = eligo::compile_text(pack, "demo.pack.json");
  if (!r.pack) {
    std::cerr << r.diagnostics.to_string();
    return 1;
  }
  eligo::EvalOptions opt;
  opt.as_of = eligo::Date::parse("2024-05-01");
  opt.lang = "en";
  const eligo::Decision d = r.pack->evaluate(R"({"applicant": {"birth_date": "2010-01-01"}})", opt);
  std::cout << eligo::verdict_name(d.verdict) << ": " << d.checks.at(0).reason << "\n";
  return d.verdict == eligo::Verdict::ineligible && d.checks[0].reason == "under 18" ? 0 : 1;
}
