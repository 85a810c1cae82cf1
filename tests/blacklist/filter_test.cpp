// The block filter in front of a blacklist's slots, which is also its directory
// (src/blacklist/block_filter.hpp): no false negative, few false positives, every slot run where its block
// says, and a list's exact answers do not depend on it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

#include "blacklist/block_filter.hpp"
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
// region 44xx01 with xx = 01 + area.
std::string generated_id(int i, int area = 0) {
  char body[18];
  std::snprintf(body, sizeof body, "44%02d%02d19%02d%02d%02d%03d", area + 1, i % 90 + 1, 50 + i % 50, i % 12 + 1, i % 28 + 1,
                i / 28 % 1000);
  return id18(body);
}

}  // namespace

// The filter built over sorted keys with some repeated (as a slot array holds them).
detail::BlockFilter filter_over(const std::vector<std::uint64_t>& slots) {
  detail::BlockFilter f;
  f.build(slots.size(), [&](std::size_t i) { return slots[i]; });
  return f;
}

TEST_CASE("the block filter holds every key it was built over and points at its run, at any size",
          "[blacklist][filter]") {
  std::mt19937_64 rng(11);
  for (std::size_t n : {1u, 2u, 3u, 7u, 23u, 24u, 25u, 64u, 1000u, 4097u, 100000u, 1000000u}) {
    std::vector<std::uint64_t> keys(n);
    for (auto& k : keys) k = rng();
    keys = distinct_sorted(keys);
    std::vector<std::uint64_t> slots;  // every fifth key twice
    for (std::size_t i = 0; i < keys.size(); ++i)
      for (int r = 0; r < (i % 5 == 0 ? 2 : 1); ++r) slots.push_back(keys[i]);
    const detail::BlockFilter f = filter_over(slots);
    REQUIRE_FALSE(f.empty());
    CHECK(f.blocks() == std::max<std::size_t>(1, slots.size() / detail::BlockFilter::kSlotsPerBlock));
    // The blocks cover the slots in order, without gap or overlap.
    std::size_t next = 0;
    for (std::size_t b = 0; b < f.blocks(); ++b) {
      CHECK(f.block(b).begin == next);
      next += f.block(b).count;
    }
    CHECK(next == slots.size());
    // Every slot lies in its key's block and in the range the block names for it (its eighth), the guess
    // inside that range, and mostly within a slot of the right one.
    std::size_t missed = 0, misplaced = 0, outside = 0, far = 0, off_by_more_than_one = 0;
    for (std::size_t i = 0; i < slots.size(); ++i) {
      missed += !f.may_contain(slots[i]);
      const detail::FilterBlock& block = f.block(f.block_of(slots[i]));
      misplaced += i < block.begin || i >= block.begin + block.count;
      const detail::BlockFilter::Range r = f.range(slots[i], block);
      outside += i < r.lo || i >= r.hi || r.lo < block.begin || r.hi > block.begin + block.count;
      far += r.at < r.lo || r.at > r.hi;
      const std::size_t first = static_cast<std::size_t>(std::lower_bound(slots.begin(), slots.end(), slots[i]) - slots.begin());
      off_by_more_than_one += r.at + 1 < first || r.at > first + 1;
    }
    CHECK(missed == 0);
    CHECK(misplaced == 0);
    CHECK(outside == 0);
    CHECK(far == 0);
    if (n >= 1000) CHECK(off_by_more_than_one < slots.size() / 5);
    // About 1 in 500 other keys pass at 24 slots a block (more for the fullest blocks); allow 1 in 200 over
    // 200,000 tries. Tiny sets pass less.
    std::size_t passed = 0;
    for (int i = 0; i < 200000; ++i) passed += f.may_contain(rng());
    CHECK(passed < 200000 / 200);
    if (n >= 100000) CHECK(passed > 0);
    // 64 bytes a block of 24 slots: under 3 bytes a slot for big sets.
    if (n >= 100000) CHECK(f.bytes() < slots.size() * 3);
  }
}

TEST_CASE("the block filter over clustered keys, and the empty filter", "[blacklist][filter]") {
  // Consecutive integers (no mixing): all in the first block, which must still hold and find all of them.
  std::vector<std::uint64_t> keys(50000);
  for (std::size_t i = 0; i < keys.size(); ++i) keys[i] = 1000000 + i;
  const detail::BlockFilter f = filter_over(keys);
  CHECK(f.block(0).begin == 0);
  CHECK(f.block(0).count == keys.size());
  for (std::size_t b = 1; b < f.blocks(); ++b) CHECK(f.block(b).count == 0);
  for (std::uint64_t k : keys) REQUIRE(f.may_contain(k));
  // Over 255 slots in the block: its eighths are not used, the whole block is the range.
  for (std::size_t i = 0; i < keys.size(); i += 97) {
    const detail::BlockFilter::Range r = f.range(keys[i], f.block(0));
    CHECK(r.lo == 0);
    CHECK(r.hi == keys.size());
  }
  // One key repeated: one block holds every slot.
  const detail::BlockFilter same = filter_over(std::vector<std::uint64_t>(100, 0xFFFFFFFFFFFFFFFFull));
  CHECK(same.block(same.blocks() - 1).count == 100);
  CHECK(same.may_contain(0xFFFFFFFFFFFFFFFFull));
  // An empty filter holds nothing (a list without entries lists nobody).
  const detail::BlockFilter none = filter_over({});
  CHECK(none.empty());
  CHECK_FALSE(none.may_contain(42));
}

TEST_CASE("outsiders that pass the filter are still answered exactly by the slots", "[blacklist][filter]") {
  Builder b;
  std::vector<std::string> members, outsiders;
  for (int i = 0; i < 28 * 900; ++i) (i % 2 ? outsiders : members).push_back(generated_id(i));
  // Many more outsiders from other areas, so that some pass the filter (about 1 in 3,000 at this size).
  for (int area = 1; area < 12; ++area)
    for (int i = 0; i < 28 * 900; ++i) outsiders.push_back(generated_id(i, area));
  // Two entries for some members (other sources), so the filter is built over repeated fingerprints too.
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

  // The same filter the list built (over the same sorted slot fingerprints, the build is deterministic):
  // find the outsiders it lets through.
  std::vector<std::uint64_t> fps;
  for (std::size_t i = 0; i < members.size(); ++i) {
    std::uint64_t code;
    REQUIRE(detail::query_code(members[i], &code));
    for (int r = 0; r < (i % 5 == 0 ? 2 : 1); ++r) fps.push_back(detail::mix(code));
  }
  std::sort(fps.begin(), fps.end());
  const detail::BlockFilter f = filter_over(fps);
  std::vector<std::string_view> passing;
  for (const auto& id : outsiders) {
    std::uint64_t code;
    REQUIRE(detail::query_code(id, &code));
    if (f.may_contain(detail::mix(code))) passing.push_back(id);
  }
  // Fewer distinct keys a block than slots (every fifth member has two entries): ~1 in 3,000 of the
  // 289,800 outsiders pass.
  REQUIRE(passing.size() > 5);

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
