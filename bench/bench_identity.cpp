// Identity benchmarks: ID validation (target ≥ 20 M/s per core), name normalisation, credit codes,
// masking and keyed hashing. Every case checks its results before timing them.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "eligo/identity.hpp"

namespace {

using namespace eligo;
using namespace eligo::identity;

constexpr std::size_t kBatch = 4096;

std::vector<std::string> make_ids(bool full_width) {
  std::mt19937 rng(11643);
  const int provinces[] = {11, 31, 32, 33, 44, 51, 61, 65};
  std::vector<std::string> ids;
  while (ids.size() < kBatch) {
    const Date birth = Date::from_days(static_cast<std::int32_t>(-20000 + rng() % 38000));
    char body[18];
    std::snprintf(body, sizeof body, "%02d%04u%04d%02d%02d%03u", provinces[rng() % 8],
                  static_cast<unsigned>(rng() % 10000), birth.year(), birth.month(), birth.day(),
                  static_cast<unsigned>(rng() % 1000));
    std::string id = std::string(body, 17) + id_check_character(std::string_view(body, 17));
    if (full_width) {
      std::string wide;
      for (char c : id) {  // U+FF10.. for digits, U+FF38 for X
        const unsigned cp = c == 'X' ? 0xFF38 : 0xFF10 + static_cast<unsigned>(c - '0');
        wide += static_cast<char>(0xE0 | (cp >> 12));
        wide += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        wide += static_cast<char>(0x80 | (cp & 0x3F));
      }
      id = wide;
    }
    ids.push_back(id);
  }
  return ids;
}

IdOptions fixed_date() {
  IdOptions options;
  options.as_of = Date::from_ymd(2024, 6, 1);
  return options;
}

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(what);
}

// The IDs sit back to back in one buffer, as they would in a batch file being read.
void run_ids(benchmark::State& state, const std::vector<std::string>& ids, const IdOptions& options) {
  std::string buffer;
  for (const auto& id : ids) buffer += id;
  std::vector<std::string_view> views;
  std::size_t at = 0;
  for (const auto& id : ids) {
    views.emplace_back(buffer.data() + at, id.size());
    at += id.size();
  }
  for (const auto& id : views) require(check_id(id, options).valid(), "generated ID must validate");
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(check_id(views[i], options));
    i = (i + 1) % views.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void BM_Identity_ValidateId(benchmark::State& state) {
  static const auto ids = make_ids(false);
  run_ids(state, ids, fixed_date());
}
BENCHMARK(BM_Identity_ValidateId);

void BM_Identity_ValidateIdToday(benchmark::State& state) {  // as_of unset: reads the clock per call
  static const auto ids = make_ids(false);
  run_ids(state, ids, IdOptions{});
}
BENCHMARK(BM_Identity_ValidateIdToday);

void BM_Identity_ValidateIdFullWidth(benchmark::State& state) {  // NFKC through ICU
  static const auto ids = make_ids(true);
  run_ids(state, ids, fixed_date());
}
BENCHMARK(BM_Identity_ValidateIdFullWidth);

void BM_Identity_ValidateIdKnownCode(benchmark::State& state) {
  static const auto ids = [] {
    std::vector<std::string> out;
    for (const std::string& id : make_ids(false)) {
      std::string fixed = "110105" + id.substr(6, 11);
      out.push_back(fixed + id_check_character(fixed));
    }
    return out;
  }();
  IdOptions options = fixed_date();
  options.region_check = RegionCheck::known_code;
  run_ids(state, ids, options);
}
BENCHMARK(BM_Identity_ValidateIdKnownCode);

const std::vector<std::string>& names() {
  static const std::vector<std::string> list = {
      "阿依古丽・买买提", "张三", "欧阳 修", "努尔艾力•阿不都热合曼", "李\uF9DC", "王𪚥", "ＪＯＨＮ　ＳＭＩＴＨ",
      "买买提·艾力", "古丽米拉\u2027吐尔逊", "段正淳"};
  return list;
}

void BM_Identity_NormalizeName(benchmark::State& state) {
  const auto& list = names();
  require(normalize_name(list[0]) == "阿依古丽·买买提", "dot must map to U+00B7");
  require(normalize_name(list[2]) == "欧阳修", "space must go");
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(normalize_name(list[i]));
    i = (i + 1) % list.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Identity_NormalizeName);

void BM_Identity_NamesMatch(benchmark::State& state) {
  require(names_match("阿依古丽 • 买买提", "阿依古丽·买买提"), "names must match");
  for (auto _ : state) benchmark::DoNotOptimize(names_match("阿依古丽 • 买买提", "阿依古丽·买买提"));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Identity_NamesMatch);

void BM_Identity_CreditCode(benchmark::State& state) {
  require(check_credit_code("9144030071526726XG").valid(), "sample must validate");
  for (auto _ : state) benchmark::DoNotOptimize(check_credit_code("9144030071526726XG"));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Identity_CreditCode);

void BM_Identity_MaskId(benchmark::State& state) {
  require(mask(PiiKind::id_number, "11010519491231002X") == "110105********002X", "mask must keep 6+4");
  for (auto _ : state) benchmark::DoNotOptimize(mask(PiiKind::id_number, "11010519491231002X"));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Identity_MaskId);

void BM_Identity_KeyedHash(benchmark::State& state) {
  require(keyed_id_hash("k", "610104620927690") == keyed_id_hash("k", "610104196209276908"), "forms must join");
  for (auto _ : state) benchmark::DoNotOptimize(keyed_id_hash("portal-key", "11010519491231002X"));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Identity_KeyedHash);

void BM_Identity_IdHasher(benchmark::State& state) {  // one key, many IDs
  const IdHasher hasher("portal-key");
  require(hasher.hash("11010519491231002X") == keyed_id_hash("portal-key", "11010519491231002X"), "same hash");
  for (auto _ : state) benchmark::DoNotOptimize(hasher.hash("11010519491231002X"));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Identity_IdHasher);

}  // namespace

BENCHMARK_MAIN();
