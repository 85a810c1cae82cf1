// GrowingRows: the Reconciliation's rows as they are added. Past 4 MiB the storage is mapped and grows by
// moving its pages into a bigger mapping; every row must keep its bytes across each move.
#include <catch2/catch.hpp>
#include <cstdint>

#include "payout/store.hpp"

namespace {

struct Wide {  // as big as an OrderRow
  std::uint64_t words[14];
};

Wide wide(std::uint64_t i) {
  Wide w{};
  for (std::uint64_t k = 0; k < 14; ++k) w.words[k] = i * 0x9E3779B97F4A7C15ull + k;
  return w;
}

bool holds(const eligo::payout::detail::GrowingRows<Wide>& rows, std::uint64_t n) {
  if (rows.size() != n) return false;
  for (std::uint64_t i = 0; i < n; ++i)
    for (std::uint64_t k = 0; k < 14; ++k)
      if (rows[i].words[k] != i * 0x9E3779B97F4A7C15ull + k) return false;
  return true;
}

}  // namespace

TEST_CASE("rows added one by one keep their bytes while the storage grows, is mapped and moves", "[payout][rows]") {
  eligo::payout::detail::GrowingRows<Wide> rows;
  CHECK(rows.empty());
  std::size_t growths = 0, capacity = 0;
  const std::uint64_t n = 300000;  // 33.6 MB: heap, then mapped, then moved three times
  for (std::uint64_t i = 0; i < n; ++i) {
    rows.push_back(wide(i));
    if (rows.capacity() != capacity) {
      ++growths;
      capacity = rows.capacity();
      REQUIRE(holds(rows, i + 1));  // checked right after each growth
    }
  }
  CHECK(growths >= 10);
  CHECK(holds(rows, n));
  std::uint64_t sum = 0;
  for (const Wide& w : rows) sum += w.words[0] & 1;
  CHECK(sum > 0);

  eligo::payout::detail::GrowingRows<Wide> moved(std::move(rows));
  CHECK(rows.size() == 0);
  CHECK(holds(moved, n));
  rows = std::move(moved);
  CHECK(holds(rows, n));
  rows = eligo::payout::detail::GrowingRows<Wide>();  // released
  CHECK(rows.empty());
  rows.push_back(wide(0));
  CHECK(holds(rows, 1));
}
