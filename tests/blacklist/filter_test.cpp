// The block filter in front of a blacklist's slots, which is also its directory
// (src/blacklist/block_filter.hpp): no false negative, few false positives, every slot run where its block
// says, and a list's exact answers do not depend on it nor on where the guess lands in a key's run.
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
      next += f.slots_in(b);
    }
    CHECK(next == slots.size());
    // Every slot lies in its key's block and in the range the block names for it (its part: the run of
    // the block's slots that share the part exactly, so the range holds the key's whole run), the guess
    // inside that range, exact for most keys and mostly within a slot of the right one.
    std::size_t missed = 0, misplaced = 0, outside = 0, not_whole = 0, far = 0, exact = 0, off_by_more_than_one = 0;
    for (std::size_t i = 0; i < slots.size(); ++i) {
      missed += !f.may_contain(slots[i]);
      const std::size_t b = f.block_of(slots[i]);
      const detail::FilterBlock& block = f.block(b);
      misplaced += i < block.begin || i >= block.begin + f.slots_in(b);
      const detail::BlockFilter::Range r = f.range(slots[i], block);
      outside += i < r.lo || i >= r.hi || r.lo < block.begin || r.hi > block.begin + f.slots_in(b);
      // The slots just outside the range belong to other parts: their ranges differ.
      if (r.lo > block.begin) {
        const detail::BlockFilter::Range before = f.range(slots[r.lo - 1], block);
        not_whole += before.lo == r.lo && before.hi == r.hi;
      }
      if (r.hi < block.begin + f.slots_in(b)) {
        const detail::BlockFilter::Range after = f.range(slots[r.hi], block);
        not_whole += after.lo == r.lo && after.hi == r.hi;
      }
      far += r.at < r.lo || r.at > r.hi;
      const std::size_t first = static_cast<std::size_t>(std::lower_bound(slots.begin(), slots.end(), slots[i]) - slots.begin());
      exact += r.at == first;
      off_by_more_than_one += r.at + 1 < first || r.at > first + 1;
    }
    CHECK(missed == 0);
    CHECK(misplaced == 0);
    CHECK(outside == 0);
    CHECK(not_whole == 0);
    CHECK(far == 0);
    // ~80 % exact over distinct uniform keys (measured); a fifth of these keys have two slots, whose second
    // slot's guess is its run's first only as often as for the first.
    if (n >= 1000) CHECK(exact > slots.size() * 6 / 10);
    if (n >= 1000) CHECK(off_by_more_than_one < slots.size() / 20);
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
  CHECK(f.slots_in(0) == keys.size());
  for (std::size_t b = 1; b < f.blocks(); ++b) CHECK(f.slots_in(b) == 0);
  for (std::uint64_t k : keys) REQUIRE(f.may_contain(k));
  // 15 slots or more in a part: the block's parts are not used, the whole block is the range.
  for (std::size_t i = 0; i < keys.size(); i += 97) {
    const detail::BlockFilter::Range r = f.range(keys[i], f.block(0));
    CHECK(r.lo == 0);
    CHECK(r.hi == keys.size());
    CHECK(r.at <= i);  // interpolated over the block, never past the key
  }
  // One key repeated: one block holds every slot, and its range is all of them.
  const detail::BlockFilter same = filter_over(std::vector<std::uint64_t>(100, 0xFFFFFFFFFFFFFFFFull));
  CHECK(same.slots_in(same.blocks() - 1) == 100);
  CHECK(same.may_contain(0xFFFFFFFFFFFFFFFFull));
  const detail::BlockFilter::Range all = same.range(0xFFFFFFFFFFFFFFFFull, same.block(same.blocks() - 1));
  CHECK(all.lo == 0);
  CHECK(all.hi == 100);
  // 14 slots of one key (the most a part counts) and one key past it: the parts are used and hold both.
  std::vector<std::uint64_t> fourteen(14, std::uint64_t{1} << 62);
  fourteen.push_back(std::uint64_t{3} << 62);
  const detail::BlockFilter f14 = filter_over(fourteen);
  const detail::BlockFilter::Range r14 = f14.range(std::uint64_t{1} << 62, f14.block(0));
  CHECK(r14.lo == 0);
  CHECK(r14.hi == 14);
  const detail::BlockFilter::Range r15 = f14.range(std::uint64_t{3} << 62, f14.block(0));
  CHECK(r15.lo == 14);
  CHECK(r15.hi == 15);
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

TEST_CASE("keys with several entries are answered from every entry, wherever the guess lands in the run",
          "[blacklist][filter]") {
  // Keys with 1 to 4 entries, each entry in its own scope and listed on its own day: a lookup that started
  // inside a key's run (skipping its first entries) would answer no for the skipped entries' scopes. The
  // guess lands on a run's first slot for most keys, on a later one (marked as continuing the run, so the
  // search steps back) for others.
  Builder b;
  const char* const kScopes[] = {"a", "b", "c", "d"};
  const char* const kListed[] = {"2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"};
  std::vector<std::string> ids;
  for (int i = 0; i < 28 * 600; ++i) {
    ids.push_back(generated_id(i));
    // Distinct `from` days keep the entries apart (entries alike but for their scopes would be merged).
    for (int k = 0; k <= i % 4; ++k)
      REQUIRE_FALSE(b.add(entry(ids.back(), {kScopes[k]}, kListed[k], kListed[k])).has_value());
  }
  const auto list = b.build();
  REQUIRE(list->size() == 28 * 600 / 4 * (1 + 2 + 3 + 4));
  std::vector<std::string_view> all(ids.begin(), ids.end());
  std::unique_ptr<bool[]> answers(new bool[all.size()]);
  for (int k = 0; k < 4; ++k) {
    // On the k-th listing day, entries 0..k are in effect: scope k is listed for keys with more than k entries.
    const Date on = day(kListed[k]);
    list->listed(all.data(), all.size(), kScopes[k], on, answers.get());
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const bool expected = static_cast<int>(i % 4) >= k;
      wrong += answers[i] != expected;
      wrong += list->listed(ids[i], kScopes[k], on) != expected;
      wrong += list->check(ids[i], kScopes[k], on).size() != (expected ? 1u : 0u);
      // Every entry of the key, in any scope, on the last day.
      if (k == 3) wrong += list->check(ids[i], "*", on).size() != i % 4 + 1;
    }
    CHECK(wrong == 0);
    // The day before the k-th listing, scope k is listed for nobody.
    list->listed(all.data(), all.size(), kScopes[k], Date::from_days(on.days() - 1), answers.get());
    CHECK(std::count(answers.get(), answers.get() + all.size(), true) == 0);
  }
}
