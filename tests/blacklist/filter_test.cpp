// The binary fuse filter in front of a blacklist's slots (src/blacklist/fuse_filter.*): no false negative,
// few false positives, and a list's exact answers do not depend on it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

#include "blacklist/fuse_filter.hpp"
#include "blacklist/helpers.hpp"
#include "blacklist/key.hpp"

using namespace eligo;
using namespace eligo::blacklist;
using namespace blacklist_test;

namespace {

std::vector<std::uint64_t> distinct_sorted(std::vector<std::uint64_t> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// The i-th generated ID: day = i % 28 + 1 and sequence = i / 28 make it distinct for i < 28,000.
std::string generated_id(int i) {
  char body[18];
  std::snprintf(body, sizeof body, "4401%02d19%02d%02d%02d%03d", i % 90 + 1, 50 + i % 50, i % 12 + 1, i % 28 + 1,
                i / 28 % 1000);
  return id18(body);
}

}  // namespace

TEST_CASE("the fuse filter holds every key it was built over, at any size", "[blacklist][filter]") {
  std::mt19937_64 rng(11);
  for (std::size_t n : {1u, 2u, 3u, 7u, 64u, 1000u, 4097u, 100000u, 1000000u}) {
    std::vector<std::uint64_t> keys(n);
    for (auto& k : keys) k = rng();
    keys = distinct_sorted(keys);
    detail::FuseFilter f;
    REQUIRE(f.build(keys.data(), keys.size()));
    REQUIRE_FALSE(f.empty());
    std::size_t missed = 0;
    for (std::uint64_t k : keys) missed += !f.may_contain(k);
    CHECK(missed == 0);
    // About 1/256 of other keys pass (8-bit cells); allow twice that over 200,000 tries.
    std::size_t passed = 0;
    for (int i = 0; i < 200000; ++i) passed += f.may_contain(rng());
    CHECK(passed < 200000 / 128);
    CHECK(passed > 0);
    // About 9 bits a key for big sets (1.125 cells of 8 bits); small sets take relatively more.
    if (n >= 100000) CHECK(f.bytes() < n * 12 / 10);
  }
}

TEST_CASE("the fuse filter is built over clustered keys and over keys in any order", "[blacklist][filter]") {
  // Consecutive integers (no mixing) and a descending copy: the filter must still hold all of them.
  std::vector<std::uint64_t> keys(50000);
  for (std::size_t i = 0; i < keys.size(); ++i) keys[i] = 1000000 + i;
  detail::FuseFilter f;
  REQUIRE(f.build(keys.data(), keys.size()));
  for (std::uint64_t k : keys) REQUIRE(f.may_contain(k));
  std::reverse(keys.begin(), keys.end());
  detail::FuseFilter g;
  REQUIRE(g.build(keys.data(), keys.size()));
  for (std::uint64_t k : keys) REQUIRE(g.may_contain(k));
  // An empty filter passes everything (so a list without one answers from its slots).
  detail::FuseFilter none;
  CHECK_FALSE(none.build(keys.data(), 0));
  CHECK(none.may_contain(42));
}

TEST_CASE("outsiders that pass the filter are still answered exactly by the slots", "[blacklist][filter]") {
  Builder b;
  std::vector<std::string> members, outsiders;
  for (int i = 0; i < 28 * 900; ++i) (i % 2 ? outsiders : members).push_back(generated_id(i));
  // Two entries for some members (other sources), so the filter is built over distinct fingerprints only.
  for (std::size_t i = 0; i < members.size(); ++i) {
    REQUIRE_FALSE(b.add(entry(members[i], {"points"}, "2024-01-01")).has_value());
    if (i % 5 == 0) {
      Entry e = entry(members[i], {"housing"}, "2024-02-01");
      e.source = "市税务局";
      REQUIRE_FALSE(b.add(e).has_value());
    }
  }
  const auto list = b.build();
  const Date on = day("2024-06-01");

  // The same filter the list built (built from the same distinct fingerprints, the build is deterministic):
  // find the outsiders it lets through.
  std::vector<std::uint64_t> fps;
  for (const auto& id : members) {
    std::uint64_t code;
    REQUIRE(detail::query_code(id, &code));
    fps.push_back(detail::mix(code));
  }
  fps = distinct_sorted(fps);
  detail::FuseFilter f;
  REQUIRE(f.build(fps.data(), fps.size()));
  std::vector<std::string_view> passing;
  for (const auto& id : outsiders) {
    std::uint64_t code;
    REQUIRE(detail::query_code(id, &code));
    if (f.may_contain(detail::mix(code))) passing.push_back(id);
  }
  REQUIRE(passing.size() > 5);  // ~1/256 of 12,600

  for (std::string_view id : passing) {
    CHECK_FALSE(list->listed(id, "points", on));
    CHECK(list->check(id, "*", on).empty());
  }
  std::unique_ptr<bool[]> answers(new bool[passing.size()]);
  list->listed(passing.data(), passing.size(), "*", on, answers.get());
  CHECK(std::count(answers.get(), answers.get() + passing.size(), true) == 0);

  // Members, in the batch form and singly: every one listed in "points", a fifth in "housing".
  std::vector<std::string_view> all(members.begin(), members.end());
  std::unique_ptr<bool[]> member_answers(new bool[all.size()]);
  list->listed(all.data(), all.size(), "points", on, member_answers.get());
  CHECK(std::count(member_answers.get(), member_answers.get() + all.size(), true) == static_cast<long>(all.size()));
  list->listed(all.data(), all.size(), "housing", on, member_answers.get());
  for (std::size_t i = 0; i < all.size(); ++i) {
    CHECK(member_answers[i] == (i % 5 == 0));
    CHECK(list->listed(all[i], "housing", on) == (i % 5 == 0));
  }
  // Before the listing day nobody is listed, filter or not.
  list->listed(all.data(), all.size(), "*", day("2023-12-31"), member_answers.get());
  CHECK(std::count(member_answers.get(), member_answers.get() + all.size(), true) == 0);
  CHECK(list->stats().memory_bytes < list->size() * 32);
}
