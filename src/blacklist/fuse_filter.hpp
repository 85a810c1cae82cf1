// A binary fuse filter (Graf & Lemire, "Binary Fuse Filters: Fast and Smaller Than Xor Filters", 2022) over
// the 64-bit fingerprints of a list: about 9 bits per distinct key (8-bit cells, ~1.13 cells per key), so a
// 10 M-entry list's filter is ~11 MB and stays in the last-level cache. A fingerprint the list holds always
// passes (no false negative); one it does not hold passes with probability ~1/256. The blacklist asks the
// filter first, so most outsiders are answered without reading the slot array in DRAM; whatever passes is
// answered exactly by the slots, so answers never depend on the filter.
//
// Layout: the cell array is cut into segments of L = 2^k cells; a key's three cells lie in three consecutive
// segments (s, s+1, s+2), chosen from its hash h: the first from the high bits of h (a multiply-high over the
// number of starting cells), the other two one and two segments on, with their offsets inside the segment
// changed by independent bits of h. The filter holds cells c such that c[p0] ^ c[p1] ^ c[p2] = fingerprint(h).
// Built by peeling: a cell that only one key still uses is that key's own; remove it and repeat; assign the
// cells in the reverse order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "blacklist/pod_array.hpp"

namespace eligo::blacklist::detail {

class FuseFilter {
 public:
  FuseFilter() = default;
  FuseFilter(FuseFilter&&) noexcept = default;
  FuseFilter& operator=(FuseFilter&&) noexcept = default;

  // Builds over `keys` (n distinct values, ascending order gives the build a sequential sweep). false when
  // no seed out of a few gave a peelable layout (then the filter stays empty and passes everything).
  bool build(const std::uint64_t* keys, std::size_t n) {
    return build_each(n, [&](auto&& add) {
      for (std::size_t i = 0; i < n; ++i) add(keys[i]);
    });
  }
  // The same over keys that need not be copied out first: for_each_key(add) calls add(key) once for each
  // key; keys ascending, a key repeated only right after itself (such repeats are skipped), at most
  // `at_most` distinct keys (the size the cells are made for). The blacklist passes its slot array so.
  template <class ForEachKey>
  bool build_each(std::size_t at_most, ForEachKey for_each_key) {
    if (!size_for(at_most)) return false;
    for (std::uint64_t attempt = 0; attempt < kAttempts; ++attempt) {
      start_attempt(attempt);
      std::size_t n = 0;
      bool first = true;
      std::uint64_t last = 0;
      for_each_key([&](std::uint64_t key) {
        if (!first && key == last) return;
        first = false;
        last = key;
        ++n;
        add_key(hash(key));
      });
      if (peel(n)) return true;
    }
    give_up();
    return false;
  }

  bool empty() const { return cells_.size() == 0; }
  // Whether `key` may be in the set (always true for an empty filter).
  bool may_contain(std::uint64_t key) const {
    if (cells_.size() == 0) return true;
    const std::uint64_t h = hash(key);
    std::size_t p[3];
    positions(h, p);
    return (cells_[p[0]] ^ cells_[p[1]] ^ cells_[p[2]]) == fingerprint(h);
  }
  void prefetch(std::uint64_t key) const {
    if (cells_.size() == 0) return;
    std::size_t p[3];
    positions(hash(key), p);
    __builtin_prefetch(&cells_[p[0]]);
    __builtin_prefetch(&cells_[p[1]]);
    __builtin_prefetch(&cells_[p[2]]);
  }
  std::size_t bytes() const { return cells_.bytes(); }

 private:
  std::uint64_t hash(std::uint64_t key) const {
    if (seed_ == 0) return key;  // fingerprints are already uniform (a bijective mix, or HMAC bytes)
    std::uint64_t x = key + seed_;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
  }
  static std::uint8_t fingerprint(std::uint64_t h) { return static_cast<std::uint8_t>(h ^ (h >> 32)); }
  void positions(std::uint64_t h, std::size_t* p) const {
    const std::uint64_t p0 = static_cast<std::uint64_t>((static_cast<unsigned __int128>(h) * starts_) >> 64);
    p[0] = p0;
    p[1] = (p0 + segment_length_) ^ ((h >> 18) & segment_mask_);
    p[2] = (p0 + 2 * segment_length_) ^ (h & segment_mask_);
  }
  static constexpr std::uint64_t kAttempts = 16;  // seeds tried
  // The build: cells sized for up to n keys (false when n is 0 or too big); per attempt a seed and cleared
  // peeling state; each key's hash counted into its three cells; then peeling and assignment of n keys.
  bool size_for(std::size_t n);
  void start_attempt(std::uint64_t attempt);
  void add_key(std::uint64_t h) {
    std::size_t p[3];
    positions(h, p);
    for (std::size_t c : p) {
      xors_[c] ^= h;
      count_[c] = static_cast<std::uint8_t>(count_[c] + (count_[c] != 255));
    }
  }
  bool peel(std::size_t n);
  void give_up();

  std::uint64_t seed_ = 0;
  std::uint64_t segment_length_ = 0, segment_mask_ = 0;
  std::uint64_t starts_ = 0;  // cells a key's first position can take: segments - 2, times L
  // In huge pages when big (PodArray): a 10 M-entry list's 11 MB of cells in 4 KiB pages would be ~2,800
  // pages, more than the TLB holds, so lookups spread over them would also miss the TLB.
  PodArray<std::uint8_t> cells_;
  // Peeling state, only while building: for each cell, how many keys still use it (saturating at 255: such
  // a cell is never peeled and the seed is given up) and the XOR of their hashes (the one key's hash once
  // the count is 1). 9 bytes a cell: the three segments a sweep works on stay in the L2 cache.
  std::vector<std::uint64_t> xors_;
  std::vector<std::uint8_t> count_;
};

}  // namespace eligo::blacklist::detail
