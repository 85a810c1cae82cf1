// The tests' small deterministic generator (xorshift64): the same populations on every machine and run.
#pragma once

#include <cstdint>

namespace eligo::test {

struct Rng {
  std::uint64_t s;
  explicit Rng(std::uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 1) {}
  std::uint64_t next64() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  std::uint32_t next() { return static_cast<std::uint32_t>(next64() >> 11); }
  int in(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<std::uint32_t>(hi - lo + 1)); }
  bool chance(int percent) { return in(1, 100) <= percent; }
};

}  // namespace eligo::test
