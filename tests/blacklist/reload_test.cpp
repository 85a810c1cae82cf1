#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <thread>

#include "blacklist/helpers.hpp"

using namespace eligo;
using namespace eligo::blacklist;
using namespace blacklist_test;

TEST_CASE("readers see the old or the new list while it is reloaded, never a half list", "[blacklist]") {
  // Generation g lists ids[0 .. g*100) and carries version "g": a reader can tell whether what it saw was
  // consistent (every one of the first g*100 IDs listed, none after).
  std::vector<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    char body[18];
    std::snprintf(body, sizeof body, "320102198%d%02d%02d%03d", i % 10, i % 12 + 1, i % 28 + 1, i);
    ids.push_back(id18(body));
  }
  auto generation = [&](int g) {
    BuildOptions options;
    options.version = std::to_string(g);
    Builder b(options);
    for (int i = 0; i < g * 100; ++i) REQUIRE_FALSE(b.add(entry(ids[static_cast<std::size_t>(i)], {"points"}, "2024-01-01")));
    return b.build();
  };
  std::vector<std::shared_ptr<const Snapshot>> generations;
  for (int g = 1; g <= 10; ++g) generations.push_back(generation(g));

  Blacklist holder(generations[0]);
  std::atomic<bool> stop{false};
  std::atomic<long> reads{0}, inconsistent{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      std::size_t i = static_cast<std::size_t>(t);
      while (!stop.load(std::memory_order_relaxed)) {
        const std::shared_ptr<const Snapshot> list = holder.current();
        const std::size_t g = list->size() == 0 ? 0 : std::stoul(list->version());
        const std::size_t k = i % ids.size();
        const bool expected = k < g * 100;
        if (list->listed(ids[k], "points", day("2024-06-01")) != expected || list->size() != g * 100) ++inconsistent;
        ++reads;
        i += 7;
      }
    });
  }
  // Each swap waits until the readers have read again, so swaps and reads interleave instead of the writer
  // finishing before the readers start.
  for (int round = 0; round < 2000; ++round) {
    const long before = reads.load();
    holder.replace(generations[static_cast<std::size_t>(round % 10)]);
    while (reads.load() < before + 4) std::this_thread::yield();
  }
  holder.replace(nullptr);  // an empty list
  CHECK(holder.current()->size() == 0);
  holder.replace(generations[9]);
  while (reads.load() < 10000) std::this_thread::yield();
  stop = true;
  for (auto& r : readers) r.join();
  CHECK(inconsistent.load() == 0);
  CHECK(holder.current()->version() == "10");
}

namespace {

// Marks its token when the last holder of one swapped-in pointer lets go. Each swap gets a pointer with its
// own control block, so a pointer copied while the writer replaces it (a non-atomic swap) can be one whose
// count already reached zero: the reader then holds a released snapshot.
struct Release {
  std::atomic<bool>* released;
  std::shared_ptr<const Snapshot> keep;
  void operator()(const Snapshot*) {
    released->store(true);
    keep.reset();
  }
};

}  // namespace

TEST_CASE("reload: readers running while the writer swaps 20000 times never hold a released snapshot",
          "[blacklist][concurrent]") {
  BuildOptions options;
  options.version = "a";
  Builder a(options);
  REQUIRE_FALSE(a.add(entry(id18("11010519491231002"), {"points"}, "2024-01-01")));
  const std::shared_ptr<const Snapshot> base = a.build();
  constexpr int kSwaps = 20000;
  std::vector<std::atomic<bool>> released(kSwaps + 1);
  const auto swap_in = [&](int i) {
    return std::shared_ptr<const Snapshot>(base.get(), Release{&released[static_cast<std::size_t>(i)], base});
  };
  Blacklist holder(swap_in(0));
  std::atomic<bool> stop{false};
  std::atomic<long> reads{0}, bad{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        const std::shared_ptr<const Snapshot> held = holder.current();
        const Release* r = std::get_deleter<Release>(held);
        if (r == nullptr || r->released->load() || !held->listed("11010519491231002X", "points", day("2024-06-01")))
          ++bad;
        reads.fetch_add(1);
      }
    });
  }
  for (int i = 1; i <= kSwaps; ++i) {
    const long before = reads.load();
    holder.replace(swap_in(i));
    if (i % 8 == 0)
      while (reads.load() < before + 2) std::this_thread::yield();
  }
  stop = true;
  for (auto& r : readers) r.join();
  CHECK(bad.load() == 0);
  CHECK(reads.load() >= kSwaps / 4);
  // Every pointer but the current one was released once its readers let go.
  int still_held = 0;
  for (int i = 0; i <= kSwaps; ++i) still_held += released[static_cast<std::size_t>(i)].load() ? 0 : 1;
  CHECK(still_held == 1);
  CHECK_FALSE(released[kSwaps].load());
}
