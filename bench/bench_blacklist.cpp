// Blacklist benchmarks (TARGETS P5): build 10 M entries < 5 s, >= 10 M lookups/s per core, <= 32 bytes per
// entry resident. The lists are generated here (distinct, valid, fictitious ID numbers); every case checks
// its answers before timing them.
#include <benchmark/benchmark.h>

#include <time.h>

#include <chrono>

#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "eligo/blacklist.hpp"
#include "eligo/identity.hpp"

namespace {

using namespace eligo;
using namespace eligo::blacklist;

constexpr std::size_t kEntries = 10'000'000;
constexpr std::size_t kQueries = 1 << 20;

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(what);
}

// The i-th distinct ID: a permutation of region × birth day × sequence, with its check character.
const char* const kRegions[] = {"110101", "110105", "310101", "310115", "320102", "330106", "440103", "440304",
                                "510104", "610104", "650102", "420111", "370202", "210102", "500103", "120101"};
constexpr std::uint64_t kDays = 20000, kSpace = 16 * kDays * 1000, kStep = 2654435761u;

std::string person(std::uint64_t i) {
  const std::uint64_t n = (i * kStep + 12345) % kSpace;
  const std::uint64_t region = n / (kDays * 1000), day = n / 1000 % kDays, seq = n % 1000;
  const Date birth = Date::from_days(static_cast<std::int32_t>(-7305 + static_cast<std::int64_t>(day)));  // from 1950
  char body[18];
  std::snprintf(body, sizeof body, "%s%04d%02d%02d%03u", kRegions[region], birth.year(), birth.month(), birth.day(),
                static_cast<unsigned>(seq));
  return std::string(body, 17) + identity::id_check_character(std::string_view(body, 17));
}

std::string random_hex(std::mt19937_64& rng) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s(64, '0');
  for (int i = 0; i < 64; i += 16) {
    std::uint64_t v = rng();
    for (int k = 0; k < 16; ++k, v >>= 4) s[static_cast<std::size_t>(i + k)] = kHex[v & 15];
  }
  return s;
}

// Fills `b` with n entries whose keys come from key(i); a few shared sources, reasons and scope sets, dates
// spread over ten years, as in a city's list.
template <class Key>
void fill(Builder& b, std::size_t n, Key key) {
  static const char* const kSources[] = {"市中级人民法院", "市税务局", "市市场监督管理局", "市人力资源和社会保障局"};
  static const std::vector<std::vector<std::string>> kScopes = {{"points"}, {"school_admission"}, {"points", "housing"}, {"*"}};
  Entry e;
  e.reason_code = "SX01";
  e.reason_text = "失信被执行人";
  b.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    e.key.assign(key(i));  // reuses e.key's buffer: no allocation per entry
    e.source.assign(kSources[i % 4]);
    if (i % 4 == 0) e.scopes = kScopes[(i / 4) % 4];
    e.listed_on = Date::from_days(static_cast<std::int32_t>(16436 + i % 3650));  // 2015-01-01 …
    e.until = i % 3 ? std::optional<Date>(Date::from_days(static_cast<std::int32_t>(16436 + i % 3650 + 1825))) : std::nullopt;
    require(!b.add(e).has_value(), "generated entries must be valid");
  }
}

// Queries kept in one buffer, as a request batch or a column of a file would be (separately allocated
// strings scattered over a heap that just freed gigabytes would each cost a cache and TLB miss of their own).
struct Queries {
  std::string text;
  std::vector<std::string_view> views;
  void add(const std::string& q) { text += q; sizes.push_back(q.size()); }
  void seal() {
    std::size_t at = 0;
    for (std::size_t n : sizes) {
      views.emplace_back(text.data() + at, n);
      at += n;
    }
  }
  std::size_t size() const { return views.size(); }
  std::string_view operator[](std::size_t i) const { return views[i]; }
  std::vector<std::size_t> sizes;
};

// Built once for all lookup cases.
struct Lists {
  std::shared_ptr<const Snapshot> ids;     // 10 M ID numbers
  std::shared_ptr<const Snapshot> keyed;   // 10 M 64-hex keys (a list received hashed)
  Queries hit_ids, miss_ids, hit_keys, miss_keys;
  Queries keyed_ids;                       // IDs of a keyed list that holds its key (1 M entries)
  std::shared_ptr<const Snapshot> keyed_with_key;
};

const Lists& lists() {
  static const Lists l = [] {
    Lists l;
    {
      Builder b;
      fill(b, kEntries, person);
      l.ids = b.build();
    }
    std::mt19937_64 rng(4);
    for (std::size_t i = 0; i < kQueries; ++i) {
      l.hit_ids.add(person(rng() % kEntries));
      l.miss_ids.add(person(kEntries + rng() % kEntries));
    }
    {
      BuildOptions hashed;
      hashed.hashed = true;
      Builder b(hashed);
      std::mt19937_64 keys(7);
      std::vector<std::string> all;
      all.reserve(kEntries);
      fill(b, kEntries, [&](std::size_t) -> const std::string& {
        all.push_back(random_hex(keys));
        return all.back();
      });
      l.keyed = b.build();
      for (std::size_t i = 0; i < kQueries; ++i) {
        l.hit_keys.add(all[rng() % kEntries]);
        l.miss_keys.add(random_hex(rng));
      }
    }
    {
      BuildOptions options;
      options.hash_key = std::string("bench key of the city credit office");
      Builder b(options);
      fill(b, 1'000'000, person);
      l.keyed_with_key = b.build();
      for (std::size_t i = 0; i < 4096; ++i) l.keyed_ids.add(person(rng() % 1'000'000));
    }
    for (Queries* q : {&l.hit_ids, &l.miss_ids, &l.hit_keys, &l.miss_keys, &l.keyed_ids}) q->seal();
    return l;
  }();
  return l;
}

// A date on which the generated entries are in effect (listed 2015-01-01 + i % 3650, until + 5 years or
// no end) depends on i; "*" as the scope asks about every scope, so a hit is an entry in effect that day.
const Date kDay = Date::from_days(16436 + 3650);  // 2025-01-01: every entry listed; those with an end
                                                   // listed after 2020-01-01 still in effect

std::size_t count_listed(const Snapshot& s, const Queries& queries, const char* scope) {
  std::size_t n = 0;
  for (std::string_view q : queries.views) n += s.listed(q, scope, kDay);
  return n;
}

// CPU seconds of the whole process (every thread: the build hashes big lists on a second thread).
double process_cpu_seconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

void BM_Blacklist_Build(benchmark::State& state) {
  const std::size_t n = static_cast<std::size_t>(state.range(0));
  std::vector<std::string> ids;
  ids.reserve(n);
  for (std::size_t i = 0; i < n; ++i) ids.push_back(person(i));
  double bytes_per_entry = 0, add_seconds = 0, build_seconds = 0, build_cpu_seconds = 0;
  for (auto _ : state) {
    Builder b;
    const auto t0 = std::chrono::steady_clock::now();
    fill(b, n, [&](std::size_t i) -> const std::string& { return ids[i]; });
    const auto t1 = std::chrono::steady_clock::now();
    const double c1 = process_cpu_seconds();
    const auto s = b.build();
    build_cpu_seconds = process_cpu_seconds() - c1;
    const auto t2 = std::chrono::steady_clock::now();
    add_seconds = std::chrono::duration<double>(t1 - t0).count();
    build_seconds = std::chrono::duration<double>(t2 - t1).count();
    require(s->size() == n, "every entry built");
    bytes_per_entry = static_cast<double>(s->stats().memory_bytes) / static_cast<double>(n);
  }
  state.counters["add_s"] = add_seconds;      // Builder::add of every entry (validation, interning)
  state.counters["build_s"] = build_seconds;  // Builder::build (sort, merge, hash, index), wall
  state.counters["build_cpu_s"] = build_cpu_seconds;  // the same, CPU of all threads
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["bytes_per_entry"] = bytes_per_entry;
}
// Time = wall, CPU = every thread of the process (Builder::build hashes big lists on a second thread).
BENCHMARK(BM_Blacklist_Build)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->Iterations(1)
    ->MeasureProcessCPUTime()->UseRealTime();

void lookup(benchmark::State& state, const Snapshot& s, const Queries& queries, const char* scope,
            bool expect_all) {
  const std::size_t listed = count_listed(s, queries, "*");
  if (expect_all) {
    require(listed > queries.size() / 2, "most sampled members must be listed on the bench day");
  } else {
    require(listed == 0, "no outsider may be listed");
  }
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(s.listed(queries[i], scope, kDay));
    i = (i + 1) & (kQueries - 1);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["bytes_per_entry"] = static_cast<double>(s.stats().memory_bytes) / static_cast<double>(s.size());
}

void BM_Blacklist_ListedHit(benchmark::State& state) { lookup(state, *lists().ids, lists().hit_ids, "points", true); }
void BM_Blacklist_ListedMiss(benchmark::State& state) { lookup(state, *lists().ids, lists().miss_ids, "points", false); }
void BM_Blacklist_KeyedListedHit(benchmark::State& state) { lookup(state, *lists().keyed, lists().hit_keys, "points", true); }
void BM_Blacklist_KeyedListedMiss(benchmark::State& state) { lookup(state, *lists().keyed, lists().miss_keys, "points", false); }
BENCHMARK(BM_Blacklist_ListedHit);
BENCHMARK(BM_Blacklist_ListedMiss);

// The batch form: 256 queries per call, the memory reads of groups of 32 overlapped.
void batch(benchmark::State& state, const Snapshot& s, const Queries& queries, bool expect_all) {
  constexpr std::size_t kBatch = 256;
  const std::vector<std::string_view>& views = queries.views;
  std::vector<char> out(kBatch);
  bool* answers = reinterpret_cast<bool*>(out.data());
  std::size_t listed = 0;
  for (std::size_t i = 0; i < views.size(); i += kBatch) {
    s.listed(views.data() + i, kBatch, "points", kDay, answers);
    for (std::size_t k = 0; k < kBatch; ++k) {
      require(answers[k] == s.listed(views[i + k], "points", kDay), "batch answers equal single answers");
      listed += answers[k];
    }
  }
  require(expect_all ? listed > views.size() / 3 : listed == 0, "members listed, outsiders not");
  std::size_t i = 0;
  for (auto _ : state) {
    s.listed(views.data() + i, kBatch, "points", kDay, answers);
    benchmark::DoNotOptimize(answers);
    benchmark::ClobberMemory();
    i = (i + kBatch) & (kQueries - 1);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBatch));
}
void BM_Blacklist_ListedBatchHit(benchmark::State& state) { batch(state, *lists().ids, lists().hit_ids, true); }
void BM_Blacklist_ListedBatchMiss(benchmark::State& state) { batch(state, *lists().ids, lists().miss_ids, false); }
void BM_Blacklist_KeyedListedBatchHit(benchmark::State& state) { batch(state, *lists().keyed, lists().hit_keys, true); }
BENCHMARK(BM_Blacklist_ListedBatchHit);
BENCHMARK(BM_Blacklist_ListedBatchMiss);
BENCHMARK(BM_Blacklist_KeyedListedBatchHit);
BENCHMARK(BM_Blacklist_KeyedListedHit);
BENCHMARK(BM_Blacklist_KeyedListedMiss);

// The full answer for a member: the entries as evidence (allocates: strings of the entry).
void BM_Blacklist_CheckHit(benchmark::State& state) {
  const Lists& l = lists();
  require(!l.ids->check(l.hit_ids[0], "*", kDay).empty() || !l.ids->check(l.hit_ids[1], "*", kDay).empty(),
          "sampled members must be found");
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(l.ids->check(l.hit_ids[i], "*", kDay));
    i = (i + 1) & (kQueries - 1);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Blacklist_CheckHit);

// An ID query on a keyed list that holds its key: the HMAC of the ID dominates.
void BM_Blacklist_KeyedListedById(benchmark::State& state) {
  const Lists& l = lists();
  require(count_listed(*l.keyed_with_key, l.keyed_ids, "*") > l.keyed_ids.size() / 2, "members must be listed");
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(l.keyed_with_key->listed(l.keyed_ids[i], "points", kDay));
    i = (i + 1) & 4095;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Blacklist_KeyedListedById);

}  // namespace

BENCHMARK_MAIN();
