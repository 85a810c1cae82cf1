// Evaluation speed (TARGETS P1, P2 with its simdjson yardstick, P4): the two reference rule sets of TARGETS.md over a generated
// population, beside hand-written C++ computing the same thing on the same data (the yardstick).
// Every engine result is checked against the yardstick before anything is timed.
//
//   build/bench/bench_eval --benchmark_min_time=1
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "eligo/eligo.h"
#include "eligo/pack.hpp"

namespace {

constexpr int kPopulation = 20000;
constexpr std::size_t kMany = 50;  // applicants per evaluate_many call (divides kPopulation)
const eligo::Date kAsOf = *eligo::Date::parse("2024-05-01");

// A small deterministic generator (the same population on every machine and run).
struct Rng {
  std::uint64_t s = 0x9E3779B97F4A7C15ull;
  std::uint32_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return static_cast<std::uint32_t>(s >> 11);
  }
  int in(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<std::uint32_t>(hi - lo + 1)); }
};

eligo::Pack load(const std::string& rel) {
  auto r = eligo::compile_file(std::string(ELIGO_SOURCE_DIR) + "/" + rel);
  if (!r.pack) {
    std::fprintf(stderr, "%s", r.diagnostics.to_string().c_str());
    std::abort();
  }
  return *r.pack;
}

// ---- points: 6 indicators ----------------------------------------------------------------------------
struct PointsApplicant {
  eligo::Date birth, permit;
  int education;  // 0 none, 1 high_school, 2 associate, 3 bachelor_plus
  int rent_years, si_years, volunteer_hours;
  std::string json;
};

int points_by_hand(const PointsApplicant& a) {
  int total = 8 * (eligo::months_between(a.permit, kAsOf) / 12);
  total += std::min(20, 5 * a.rent_years);
  static const int kEdu[] = {0, 10, 20, 30};
  total += kEdu[a.education];
  const int age = eligo::years_between(a.birth, kAsOf);
  total += age >= 18 && age <= 40 ? 30 : age > 40 ? std::max(0, 30 - 2 * (age - 40)) : 0;
  total += std::min(10, 2 * a.si_years);
  total += std::min(10, 2 * (a.volunteer_hours / 50));
  return std::max(0, total);
}

std::vector<PointsApplicant> make_points_population() {
  static const char* kEduNames[] = {"none", "high_school", "associate", "bachelor_plus"};
  Rng rng;
  std::vector<PointsApplicant> v;
  for (int i = 0; i < kPopulation; ++i) {
    PointsApplicant a;
    a.birth = *eligo::Date::from_ymd(rng.in(1960, 2005), rng.in(1, 12), rng.in(1, 28));
    a.permit = *eligo::Date::from_ymd(rng.in(2005, 2024), rng.in(1, 4), rng.in(1, 28));
    a.education = rng.in(0, 3);
    a.rent_years = rng.in(0, 8);
    a.si_years = rng.in(0, 10);
    a.volunteer_hours = rng.in(0, 600);
    a.json = "{\"a\": {\"birth_date\": \"" + a.birth.to_string() + "\", \"permit_since\": \"" + a.permit.to_string() +
             "\", \"education\": \"" + kEduNames[a.education] + "\", \"rent_years\": " + std::to_string(a.rent_years) +
             ", \"si_years\": " + std::to_string(a.si_years) + ", \"volunteer_hours\": " +
             std::to_string(a.volunteer_hours) + "}}";
    v.push_back(std::move(a));
  }
  return v;
}

// ---- eligibility: 5 checks ---------------------------------------------------------------------------
struct EligibilityApplicant {
  eligo::Date birth;
  std::string hukou, disease;
  std::int64_t income_cents;
  std::vector<std::pair<int, int>> stays;          // admit, discharge (days)
  std::vector<std::pair<int, int>> certificates;   // from, to (INT_MAX when open)
  std::string json;
};

bool eligible_by_hand(const EligibilityApplicant& a) {
  if (eligo::years_between(a.birth, kAsOf) < 18) return false;
  if (a.hukou != "330106") return false;
  if (a.income_cents > 150000) return false;
  static const char* kSerious[] = {"malignant_tumour", "sle", "haemophilia", "aplastic_anaemia", "schizophrenia",
                                   "affective_psychosis", "dialysis", "transplant_antirejection"};
  bool listed = false;
  for (const char* s : kSerious) listed |= a.disease == s;
  if (!listed) return false;
  for (const auto& s : a.stays)
    for (const auto& c : a.certificates)
      if (s.first <= c.second && c.first <= s.second) return true;
  return false;
}

std::vector<EligibilityApplicant> make_eligibility_population() {
  static const char* kDiseases[] = {"malignant_tumour", "sle", "haemophilia", "flu", "fracture", "dialysis"};
  static const char* kDistricts[] = {"330106", "330106", "330106", "330102"};
  Rng rng;
  std::vector<EligibilityApplicant> v;
  for (int i = 0; i < kPopulation; ++i) {
    EligibilityApplicant a;
    a.birth = *eligo::Date::from_ymd(rng.in(1940, 2010), rng.in(1, 12), rng.in(1, 28));
    a.hukou = kDistricts[rng.in(0, 3)];
    a.disease = kDiseases[rng.in(0, 5)];
    a.income_cents = rng.in(50000, 180000);
    std::string stays, certs;
    const int n_stays = rng.in(1, 3), n_certs = rng.in(0, 2);
    for (int k = 0; k < n_stays; ++k) {
      const eligo::Date admit = *eligo::Date::from_ymd(rng.in(2021, 2023), rng.in(1, 12), rng.in(1, 28));
      const eligo::Date discharge = eligo::add_days(admit, rng.in(1, 40));
      a.stays.emplace_back(admit.days(), discharge.days());
      stays += std::string(k ? "," : "") + "{\"admit\": \"" + admit.to_string() + "\", \"discharge\": \"" +
               discharge.to_string() + "\"}";
    }
    for (int k = 0; k < n_certs; ++k) {
      const eligo::Date from = *eligo::Date::from_ymd(rng.in(2020, 2023), rng.in(1, 12), rng.in(1, 28));
      const bool open = rng.in(0, 1) == 1;
      const eligo::Date to = eligo::add_days(from, rng.in(30, 400));
      a.certificates.emplace_back(from.days(), open ? INT_MAX : to.days());
      certs += std::string(k ? "," : "") + "{\"kind\": \"dibao\", \"from\": \"" + from.to_string() + "\", \"to\": " +
               (open ? std::string("null") : "\"" + to.to_string() + "\"") + "}";
    }
    char income[32];
    std::snprintf(income, sizeof income, "%lld.%02lld", static_cast<long long>(a.income_cents / 100),
                  static_cast<long long>(a.income_cents % 100));
    a.json = "{\"a\": {\"birth_date\": \"" + a.birth.to_string() + "\", \"hukou_district\": \"" + a.hukou +
             "\", \"income\": " + income + ", \"disease\": \"" + a.disease + "\", \"stays\": [" + stays +
             "], \"certificates\": [" + certs + "]}}";
    v.push_back(std::move(a));
  }
  return v;
}

struct Fixture {
  eligo::Pack points = load("bench/packs/points6.pack.json");
  eligo::Pack eligibility = load("bench/packs/eligibility5.pack.json");
  std::vector<PointsApplicant> points_people = make_points_population();
  std::vector<EligibilityApplicant> eligibility_people = make_eligibility_population();
  std::vector<eligo::Input> points_inputs, eligibility_inputs;
  eligo::EvalOptions options;

  Fixture() {
    options.as_of = kAsOf;
    eligo::Decision d;
    int eligible = 0;
    for (const auto& a : points_people) {
      points_inputs.push_back(points.bind(a.json));
      points.evaluate(points_inputs.back(), options, &d);
      if (d.total != eligo::Decimal::from_int(points_by_hand(a))) {
        std::fprintf(stderr, "points mismatch: engine %s, by hand %d for %s\n", d.total.to_string().c_str(),
                     points_by_hand(a), a.json.c_str());
        std::abort();
      }
    }
    for (const auto& a : eligibility_people) {
      eligibility_inputs.push_back(eligibility.bind(a.json));
      eligibility.evaluate(eligibility_inputs.back(), options, &d);
      const bool by_hand = eligible_by_hand(a);
      if ((d.verdict == eligo::Verdict::eligible) != by_hand || d.verdict == eligo::Verdict::error) {
        std::fprintf(stderr, "eligibility mismatch: engine %s, by hand %d for %s\n", eligo::verdict_name(d.verdict),
                     by_hand, a.json.c_str());
        std::abort();
      }
      eligible += by_hand;
    }
    // The population must exercise both outcomes, or the comparison proves little.
    if (eligible == 0 || eligible == kPopulation) std::abort();
    // evaluate_many decides as evaluate does, applicant by applicant.
    points.evaluate_many(points_inputs.data(), points_inputs.size(), options, &d,
                         [&](std::size_t k, const eligo::Decision& x) {
                           if (x.total != eligo::Decimal::from_int(points_by_hand(points_people[k]))) std::abort();
                         });
    eligibility.evaluate_many(eligibility_inputs.data(), eligibility_inputs.size(), options, &d,
                              [&](std::size_t k, const eligo::Decision& x) {
                                if ((x.verdict == eligo::Verdict::eligible) != eligible_by_hand(eligibility_people[k]))
                                  std::abort();
                              });
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_Eval_Points(benchmark::State& state) {
  Fixture& f = fixture();
  eligo::Decision d;
  std::size_t i = 0;
  for (auto _ : state) {
    f.points.evaluate(f.points_inputs[i], f.options, &d);
    benchmark::DoNotOptimize(d.total);
    if (++i == f.points_inputs.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Eval_Points);

void BM_Eval_PointsHandWritten(benchmark::State& state) {
  Fixture& f = fixture();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(points_by_hand(f.points_people[i]));
    if (++i == f.points_people.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Eval_PointsHandWritten);

void BM_Eval_Eligibility(benchmark::State& state) {
  Fixture& f = fixture();
  eligo::Decision d;
  std::size_t i = 0;
  for (auto _ : state) {
    f.eligibility.evaluate(f.eligibility_inputs[i], f.options, &d);
    benchmark::DoNotOptimize(d.verdict);
    if (++i == f.eligibility_inputs.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Eval_Eligibility);

// The same two cases cycling over the first 64 applicants only: their bound inputs stay in cache. The
// gap to the cases above is what fetching 20,000 bound inputs from memory costs (each one a few heap
// blocks: the Input, its BoundInput, the groups and their values in its arena).
void BM_Eval_PointsCached(benchmark::State& state) {
  Fixture& f = fixture();
  eligo::Decision d;
  std::size_t i = 0;
  for (auto _ : state) {
    f.points.evaluate(f.points_inputs[i], f.options, &d);
    benchmark::DoNotOptimize(d.total);
    i = (i + 1) & 63;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Eval_PointsCached);

void BM_Eval_EligibilityCached(benchmark::State& state) {
  Fixture& f = fixture();
  eligo::Decision d;
  std::size_t i = 0;
  for (auto _ : state) {
    f.eligibility.evaluate(f.eligibility_inputs[i], f.options, &d);
    benchmark::DoNotOptimize(d.verdict);
    i = (i + 1) & 63;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Eval_EligibilityCached);

// The same 20,000 bound inputs through Pack::evaluate_many, 50 per call, into one reused Decision: while one
// applicant is decided the next ones' bound data is fetched. Items are applicants.
template <bool kPoints>
void BM_Eval_Many(benchmark::State& state) {
  Fixture& f = fixture();
  const eligo::Pack& pack = kPoints ? f.points : f.eligibility;
  std::vector<eligo::Input>& inputs = kPoints ? f.points_inputs : f.eligibility_inputs;
  eligo::Decision d;
  const std::function<void(std::size_t, const eligo::Decision&)> each = [&](std::size_t, const eligo::Decision& x) {
    benchmark::DoNotOptimize(x.verdict);
    benchmark::DoNotOptimize(x.total);
  };
  std::size_t i = 0;
  for (auto _ : state) {
    pack.evaluate_many(inputs.data() + i, kMany, f.options, &d, each);
    i += kMany;
    if (i == inputs.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kMany));
}
BENCHMARK_TEMPLATE(BM_Eval_Many, true)->Name("BM_Eval_PointsMany");
BENCHMARK_TEMPLATE(BM_Eval_Many, false)->Name("BM_Eval_EligibilityMany");

void BM_Eval_EligibilityHandWritten(benchmark::State& state) {
  Fixture& f = fixture();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(eligible_by_hand(f.eligibility_people[i]));
    if (++i == f.eligibility_people.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Eval_EligibilityHandWritten);

// P2: one applicant's JSON text → decision (bind + evaluate), what the C API and the server do.
void BM_Eval_PointsFromJson(benchmark::State& state) {
  Fixture& f = fixture();
  eligo::Decision d;
  std::size_t i = 0;
  for (auto _ : state) {
    eligo::Input in = f.points.bind(f.points_people[i].json);
    f.points.evaluate(in, f.options, &d);
    benchmark::DoNotOptimize(d.total);
    if (++i == f.points_people.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Eval_PointsFromJson);

// P2 the way the C API, the server and batch loops do it: each applicant's text bound into one reused Input
// and evaluated into one reused Decision (no allocation once warm).
template <bool kPoints>
void BM_Eval_FromJsonReused(benchmark::State& state) {
  Fixture& f = fixture();
  const eligo::Pack& pack = kPoints ? f.points : f.eligibility;
  eligo::Input in;
  eligo::Decision d;
  std::size_t i = 0;
  const std::size_t n = kPoints ? f.points_people.size() : f.eligibility_people.size();
  for (auto _ : state) {
    pack.bind(kPoints ? f.points_people[i].json : f.eligibility_people[i].json, &in);
    pack.evaluate(in, f.options, &d);
    benchmark::DoNotOptimize(d.verdict);
    if (++i == n) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_TEMPLATE(BM_Eval_FromJsonReused, true)->Name("BM_Eval_PointsFromJsonReused");
BENCHMARK_TEMPLATE(BM_Eval_FromJsonReused, false)->Name("BM_Eval_EligibilityFromJsonReused");

// P2's yardstick (TARGETS.md: "state it as a ratio to parsing the same text with simdjson alone"): the same
// applicants' texts parsed into simdjson's DOM (validated, every value on its tape) by one reused parser, the
// texts padded beforehand. Nothing is bound or evaluated: the ratio says what binding + evaluating costs
// beyond reading the text at simdjson's speed.
template <bool kPoints>
void BM_Simdjson_ParseOnly(benchmark::State& state) {
  Fixture& f = fixture();
  std::vector<simdjson::padded_string> texts;
  if (kPoints)
    for (const auto& a : f.points_people) texts.emplace_back(a.json);
  else
    for (const auto& a : f.eligibility_people) texts.emplace_back(a.json);
  simdjson::dom::parser parser;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    simdjson::dom::element root;
    if (parser.parse(texts[i]).get(root) != simdjson::SUCCESS) std::abort();
    benchmark::DoNotOptimize(root);
    bytes += texts[i].size();
    if (++i == texts.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK_TEMPLATE(BM_Simdjson_ParseOnly, true)->Name("BM_Simdjson_PointsParseOnly");
BENCHMARK_TEMPLATE(BM_Simdjson_ParseOnly, false)->Name("BM_Simdjson_EligibilityParseOnly");

// P2 through the C API: JSON text in, decision JSON out (what an integrator and the server pay).
void BM_CApi_PointsFromJson(benchmark::State& state) {
  Fixture& f = fixture();
  const std::string path = std::string(ELIGO_SOURCE_DIR) + "/bench/packs/points6.pack.json";
  eligo_pack* pack = nullptr;
  eligo_diagnostics* diags = nullptr;
  if (eligo_pack_compile_file(path.c_str(), &pack, &diags) != ELIGO_OK) std::abort();
  eligo_diagnostics_destroy(diags);
  eligo_options* opt = nullptr;
  eligo_options_create(&opt);
  eligo_options_set_as_of(opt, "2024-05-01");
  // Check before timing: the C API's total equals the hand-written one.
  for (std::size_t i = 0; i < 100; ++i) {
    char* out = nullptr;
    const std::string& j = f.points_people[i].json;
    eligo_pack_evaluate(pack, j.c_str(), j.size(), opt, &out);
    const std::string want = "\"total\":\"" + std::to_string(points_by_hand(f.points_people[i])) + "\"";
    if (!out || !std::strstr(out, want.c_str())) std::abort();
    eligo_free(out);
  }
  std::size_t i = 0;
  for (auto _ : state) {
    char* out = nullptr;
    const std::string& j = f.points_people[i].json;
    eligo_pack_evaluate(pack, j.c_str(), j.size(), opt, &out);
    benchmark::DoNotOptimize(out);
    eligo_free(out);
    if (++i == f.points_people.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  eligo_options_destroy(opt);
  eligo_pack_destroy(pack);
}
BENCHMARK(BM_CApi_PointsFromJson);

// P4: compiling the bundled packs, and a generated pack of 1,000 checks and 200 indicators.
void BM_Compile_BundledPack(benchmark::State& state) {
  const char* files[] = {"rules/major-illness/major-illness.pack.json", "rules/gz-points/gz-points-2021.pack.json"};
  const std::string path = std::string(ELIGO_SOURCE_DIR) + "/" + files[state.range(0)];
  for (auto _ : state) {
    auto r = eligo::compile_file(path);
    if (!r.pack) state.SkipWithError("compile failed");
    benchmark::DoNotOptimize(r.pack);
  }
  state.SetLabel(files[state.range(0)]);
}
BENCHMARK(BM_Compile_BundledPack)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_Compile_Generated1000Checks200Indicators(benchmark::State& state) {
  std::string text = R"({"pack": "bench.big", "version": "1", "inputs": {"a": {"fields": {)";
  for (int i = 0; i < 50; ++i) text += std::string(i ? "," : "") + "\"n" + std::to_string(i) + "\": \"number\"";
  text += R"(, "d": "date", "kind": {"enum": ["x", "y", "z"]}}}}, "checks": [)";
  for (int i = 0; i < 1000; ++i)
    text += std::string(i ? "," : "") + "{\"id\": \"c" + std::to_string(i) + "\", \"require\": \"a.n" +
            std::to_string(i % 50) + " + a.n" + std::to_string((i * 7) % 50) + " > " + std::to_string(i) +
            " and years_between(a.d, as_of) >= 18\", \"reason\": \"值{a.n" + std::to_string(i % 50) + "}不足\"}";
  text += "], \"scores\": [";
  for (int i = 0; i < 200; ++i)
    text += std::string(i ? "," : "") + "{\"id\": \"s" + std::to_string(i) +
            "\", \"table\": {\"on\": \"a.n" + std::to_string(i % 50) +
            "\", \"rows\": [{\"when\": \"[0..10]\", \"points\": 1}, {\"when\": \"> 10\", \"points\": \"a.n" +
            std::to_string(i % 50) + " * 2\"}, {\"otherwise\": 0}]}, \"cap\": 50}";
  text += "]}";
  for (auto _ : state) {
    auto r = eligo::compile_text(text, "generated.pack.json");
    if (!r.pack) state.SkipWithError(r.diagnostics.to_string().c_str());
    benchmark::DoNotOptimize(r.pack);
  }
}
BENCHMARK(BM_Compile_Generated1000Checks200Indicators)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
