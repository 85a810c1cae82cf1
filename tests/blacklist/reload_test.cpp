#include <catch2/catch.hpp>

#include <atomic>
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
  for (int round = 0; round < 200; ++round) holder.replace(generations[static_cast<std::size_t>(round % 10)]);
  holder.replace(nullptr);  // an empty list
  CHECK(holder.current()->size() == 0);
  holder.replace(generations[9]);
  while (reads.load() < 10000) std::this_thread::yield();
  stop = true;
  for (auto& r : readers) r.join();
  CHECK(inconsistent.load() == 0);
  CHECK(holder.current()->version() == "10");
}
