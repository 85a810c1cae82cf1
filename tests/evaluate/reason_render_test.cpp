// The fast path's reasons (issue 11, session 9): a failing check's reason whose holes read fields given up
// front is written from the bound row (explain::append_for_reason) instead of through the full evaluator
// and ICU. It must write exactly the text render_for_reason writes — numbers grouped as ICU groups them,
// PII masked by the same rules — and decisions must not change with the fast path on or off.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "compile/program.hpp"
#include "eligo/pack.hpp"
#include "evaluate/fast_eval.hpp"
#include "evaluate/fast_value.hpp"
#include "evaluate/test_rng.hpp"
#include "explain/render.hpp"

namespace {

using eligo::detail::Fast;
using eligo::detail::Pii;

using eligo::test::Rng;

std::string fast_text(const Fast& f, const char* lang, Pii pii, bool clear, bool chinese) {
  std::string out = "«";  // appended to what is there, never replacing it
  eligo::explain::append_for_reason(f, lang, pii, clear, chinese, &out);
  return out;
}

std::string icu_text(const Fast& f, const char* lang, Pii pii, bool clear, bool chinese) {
  return "«" + eligo::explain::render_for_reason(eligo::detail::to_value(f), lang, pii, clear, chinese);
}

void require_same_text(const Fast& f, Pii pii = Pii::none) {
  for (const char* lang : {"zh-CN", "en"})
    for (bool clear : {false, true})
      for (bool chinese : {false, true}) {
        INFO("lang " << lang << ", clear " << clear << ", chinese dates " << chinese << ", i " << f.i << ", scale "
                     << int(f.scale));
        REQUIRE(fast_text(f, lang, pii, clear, chinese) == icu_text(f, lang, pii, clear, chinese));
      }
}

Fast string_fast(const std::string& t) {
  Fast f;
  f.kind = eligo::detail::FKind::string;
  f.s = t.data();
  f.n = static_cast<std::uint32_t>(t.size());
  return f;
}

std::int64_t pow10(int k) {
  std::int64_t p = 1;
  while (k-- > 0) p *= 10;
  return p;
}

}  // namespace

TEST_CASE("numbers in fast reasons are written exactly as ICU writes them", "[evaluate][fast_path][reason]") {
  std::vector<std::int64_t> coefficients = {0, 1, -1, 9, 10, 999, 1000, 9999, 10000, -10000, 99999, 100000, 999999,
                                            1000000, 1234567, -1234567, 9999999999, 10000000000, -9999999999,
                                            -10000000000, 123456789012345678, INT64_MAX, INT64_MIN, INT64_MIN + 1};
  for (int k = 0; k <= 18; ++k) {
    coefficients.push_back(pow10(k));
    coefficients.push_back(pow10(k) - 1);
    coefficients.push_back(-pow10(k) + 1);
  }
  Rng r(9);
  for (int i = 0; i < 3000; ++i) {
    const int digits = static_cast<int>(r.next64() % 18) + 1;  // 10^18 is the largest power in 64 bits
    const std::int64_t c = static_cast<std::int64_t>(r.next64() % static_cast<std::uint64_t>(pow10(digits)));
    coefficients.push_back(r.next64() % 3 == 0 ? -c : c);
  }
  for (std::int64_t c : coefficients)
    for (int scale : {0, 1, 2, 3, 4, 6, 9, 12, 17, 18}) require_same_text(Fast::number(c, scale));
  // Golden lines: grouping from five integer digits on, the scale's digits kept.
  auto text = [](std::int64_t c, int s) {
    std::string out;
    eligo::explain::append_number_for_reason(c, s, &out);
    return out;
  };
  CHECK(text(1234, 0) == "1234");
  CHECK(text(12345, 0) == "12,345");
  CHECK(text(123456789, 2) == "1,234,567.89");
  CHECK(text(-5, 2) == "-0.05");
  CHECK(text(150000, 2) == "1500.00");
  CHECK(text(INT64_MIN, 0) == "-9,223,372,036,854,775,808");
}

TEST_CASE("strings, dates and the rest in fast reasons are written as render_for_reason writes them",
          "[evaluate][fast_path][reason]") {
  std::vector<std::string> texts = {"", "330106", "t7", "非本区", "1234567890", "12345678901", "电话13812345678",
                                    "11010519491231002X", "110105194912310021", "６２２２０２１２３４５６７８９０１２８",
                                    "a1b2c3d4e5f6g7h8i9j0k1", "段正淳", "x\"y\\z"};
  for (const std::string& t : texts)
    for (Pii pii : {Pii::none, Pii::id_number, Pii::bank_card, Pii::mobile, Pii::name})
      require_same_text(string_fast(t), pii);
  for (std::int32_t days : {0, 19000, 19844, -1, 2932896}) require_same_text(Fast::date(days));
  require_same_text(Fast::boolean(true));
  require_same_text(Fast::boolean(false));
  require_same_text(Fast::null());
  // A whole number of ID or mobile shape is masked unless clear text was asked for.
  CHECK(fast_text(Fast::number(13812345678, 0), "zh-CN", Pii::none, false, false) ==
        icu_text(Fast::number(13812345678, 0), "zh-CN", Pii::none, false, false));
  CHECK(fast_text(Fast::number(13812345678, 0), "zh-CN", Pii::none, false, false) != "«13,812,345,678");
}

TEST_CASE("reasons quoting fields decide the same with the fast path on and off", "[evaluate][fast_path][reason]") {
  const char* kPack = R"J({
    "pack": "test.fast_reasons", "version": "1", "mode": "all", "date_format": "chinese",
    "inputs": {"a": {"fields": {
      "income": "number", "district": "string", "born": "date", "member": "bool",
      "id": {"type": "string", "pii": "id_number"}, "name": {"type": "string", "pii": "name"},
      "code": "string", "kind": {"enum": ["x", "y"]}, "ratio": "number"}}},
    "checks": [
      {"id": "income", "require": "a.income <= 1500", "reason": "人均收入{a.income}超过低保边缘线"},
      {"id": "district", "require": "a.district == '330106'",
       "reason": {"zh-CN": "非本区户籍（{a.district}）", "en": "registered in {a.district}, not here"}},
      {"id": "born", "require": "a.born < date('2000-01-01')", "reason": "出生于{a.born}，{a.name}"},
      {"id": "member", "require": "a.member", "reason": "member: {a.member}; id {a.id}"},
      {"id": "code", "require": "a.code != 'zz' and a.kind != 'y'", "reason": "{a.code}/{a.kind}/{a.ratio}"},
      {"id": "sum", "require": "a.income < 0", "reason": "total {a.income + a.ratio}"}
    ]
  })J";
  auto compiled = eligo::compile_text(kPack);
  INFO(compiled.diagnostics.to_string());
  REQUIRE(compiled.pack.has_value());
  const eligo::Pack& pack = *compiled.pack;
  const char* kIncomes[] = {"900", "1500.5", "123456.789", "-20000", "13812345678", "1.000000000000000001",
                            "99999999999999999999999"};
  const char* kDistricts[] = {"330106", "330102", "户籍地11010519491231002X", "１２３", ""};
  const char* kCodes[] = {"zz", "13812345678", "ok"};
  struct Restore {
    ~Restore() { eligo::detail::set_fast_path_enabled(true); }
  } restore;
  eligo::Decision reused;
  // Decides with the fast path into the reused Decision, then with it off; true when the fast path finished.
  auto same_both_ways = [&](const std::string& text, const eligo::EvalOptions& o) {
    eligo::Input in = pack.bind(text);
    eligo::detail::set_fast_path_enabled(true);
    const std::uint64_t before = eligo::detail::fast_path_completions();
    pack.evaluate(in, o, &reused);
    const bool finished = eligo::detail::fast_path_completions() != before;
    eligo::detail::set_fast_path_enabled(false);
    const eligo::Decision full = pack.evaluate(in, o);
    REQUIRE(reused.to_json() == full.to_json());
    REQUIRE(reused.checks.size() == full.checks.size());
    for (std::size_t c = 0; c < full.checks.size(); ++c) CHECK(reused.checks[c].reason == full.checks[c].reason);
    return finished;
  };
  int finished = 0, in_64_bits = 0, budget_finished = 0, budget_cases = 0;
  for (int i = 0; i < 7 * 5 * 3; ++i) {
    const std::string text = std::string(R"({"a": {"income": )") + kIncomes[i % 7] + R"(, "district": ")" +
                             kDistricts[i % 5] + R"(", "born": ")" + (i % 2 ? "2003-04-09" : "1990-01-01") +
                             R"(", "member": )" + (i % 4 ? "false" : "true") +
                             R"(, "id": "11010519491231002X", "name": "段正淳", "code": ")" + kCodes[i % 3] +
                             R"(", "kind": ")" + (i % 6 < 3 ? "y" : "x") + R"(", "ratio": 0.25}})";
    for (const char* lang : {"zh-CN", "en"})
      for (bool clear : {false, true}) {
        INFO("input: " << text << ", lang " << lang << ", clear " << clear);
        eligo::EvalOptions o;
        o.as_of = eligo::Date::parse("2024-05-01");
        o.lang = lang;
        o.clear_pii = clear;
        finished += same_both_ways(text, o);
        in_64_bits += i % 7 != 6;
      }
    // Every step budget up to past what the checks and their reasons spend: E2001 exactly where the full
    // path says, whether a reason's hole is the step that runs out or not.
    if (i % 5 == 1)
      for (std::uint64_t budget = 1; budget <= 40; ++budget) {
        INFO("input: " << text << ", budget " << budget);
        eligo::EvalOptions o;
        o.as_of = eligo::Date::parse("2024-05-01");
        o.step_budget = budget;
        budget_finished += same_both_ways(text, o);
        ++budget_cases;
      }
  }
  // Every applicant whose income fits in 64 bits finishes on the fast path (the sum's reason, not a plain
  // field, through the full evaluator); under small budgets some do and some do not.
  CHECK(finished == in_64_bits);
  CHECK(budget_finished > 0);
  CHECK(budget_finished < budget_cases);

  // Golden reasons, from the fast path.
  eligo::detail::set_fast_path_enabled(true);
  eligo::EvalOptions o;
  o.as_of = eligo::Date::parse("2024-05-01");
  eligo::Input in = pack.bind(R"({"a": {"income": 123456.5, "district": "330102", "born": "2003-04-09",
    "member": false, "id": "11010519491231002X", "name": "段正淳", "code": "zz", "kind": "x", "ratio": 2}})");
  const std::uint64_t before = eligo::detail::fast_path_completions();
  const eligo::Decision d = pack.evaluate(in, o);
  CHECK(eligo::detail::fast_path_completions() == before + 1);
  REQUIRE(d.checks.size() == 6);
  CHECK(d.checks[0].reason == "人均收入123,456.5超过低保边缘线");
  CHECK(d.checks[1].reason == "非本区户籍（330102）");
  CHECK(d.checks[2].reason == "出生于2003年4月9日，段**");
  CHECK(d.checks[3].reason == "member: 否; id 110105********002X");
  CHECK(d.checks[4].reason == "zz/x/2");
  o.lang = "en";
  const eligo::Decision e = pack.evaluate(in, o);
  CHECK(e.checks[0].reason == "人均收入123,456.5超过低保边缘线");
  CHECK(e.checks[1].reason == "registered in 330102, not here");
  CHECK(e.checks[2].reason == "出生于2003-04-09，段**");
  CHECK(e.checks[3].reason == "member: no; id 110105********002X");
}
