// The blocked filter in front of a blacklist's slots, which is also its directory: one 64-byte block (one
// cache line) per range of fingerprints, holding where that range's slots begin, how many of them fall in
// each 24th of the range, and a Bloom filter of 384 bits over its fingerprints. A lookup reads one block:
// an outsider is answered there (unless its bits happen to be set), a member learns from the same line
// which one or two slots can hold it.
//
// Blocks: B = max(1, n / kSlotsPerBlock) for n slots; fingerprint fp belongs to block mulhi(fp, B) (the
// high 64 bits of fp × B), which is monotone in fp, so the slots of a block, sorted by fingerprint, are one
// run [begin, next block's begin). The low 64 bits of fp × B ("within") are fp's place inside its block's
// range; mulhi(within, 24) names its part (one of 24, ~1 slot each at 24 slots a block), and `parts` holds
// each part's slot count in a 4-bit nibble, so a part begins at begin + the sum of the nibbles before it.
// Inside its part, fp's slot is interpolated from the rest of `within` (fingerprints are uniform): the
// guess is the slot itself for ~80 % of members and one off for most of the rest (tests/blacklist/
// filter_test.cpp), so the batch form loads the guessed slot's line and the search rarely reads another.
// A block where a part would hold 15 slots or more (repeated or clustered keys) has every nibble at 15: its
// whole run is the range, searched from a guess interpolated over it.
//
// Bits: a fingerprint sets one bit in each of the six 64-bit words, the bit of word i being bits
// 6i..6i+5 of fp (fingerprints are uniform: a splitmix64 mix of the code, or HMAC bytes; the block and
// part come from the top bits, so these low 36 bits are independent of them). A fingerprint the list holds
// always passes (no false negative); one it does not hold passes when its six bits are all set by the
// ~kSlotsPerBlock fingerprints of its block: about 1 in 730 at 24 a block (measured in
// tests/blacklist/filter_test.cpp and bench/README.md). Whatever passes is answered exactly by the slots.
//
// Memory: 64 bytes per kSlotsPerBlock slots (and one block more, which only says where the slots end),
// 2.7 bytes an entry (27 MB at 10 M entries). Built in one sequential pass over the sorted slots.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "blacklist/pod_array.hpp"

namespace eligo::blacklist::detail {

struct alignas(64) FilterBlock {
  std::uint32_t begin;     // the first slot of this block's fingerprint range
  std::uint32_t parts_hi;  // slots of parts 16..23, a nibble each (part 16 in the low nibble)
  std::uint64_t parts_lo;  // slots of parts 0..15, a nibble each (part 0 in the low nibble)
  std::uint64_t bits[6];
};
static_assert(sizeof(FilterBlock) == 64, "a block is one cache line");

class BlockFilter {
 public:
  static constexpr std::size_t kSlotsPerBlock = 24;
  static constexpr unsigned kParts = 24;
  static constexpr unsigned kFullPart = 15;  // a nibble of 15: the block does not use its parts

  BlockFilter() = default;
  BlockFilter(BlockFilter&& o) noexcept : blocks_(std::move(o.blocks_)), count_(o.count_) { o.count_ = 0; }
  BlockFilter& operator=(BlockFilter&& o) noexcept {
    blocks_ = std::move(o.blocks_);
    count_ = o.count_;
    if (this != &o) o.count_ = 0;
    return *this;
  }

  // Over n fingerprints in ascending order (repeats allowed: a key with several entries has several
  // slots), fp_at(i) the i-th. n must be below 2^32 (slots are numbered in 32 bits).
  template <class FpAt>
  void build(std::size_t n, FpAt fp_at) {
    count_ = n == 0 ? 0 : n / kSlotsPerBlock + (n < kSlotsPerBlock);
    blocks_ = PodArray<FilterBlock>(count_ == 0 ? 0 : count_ + 1);  // + where the slots end
    FilterBlock* const blocks = blocks_.data();
    for (std::size_t b = 0; b < blocks_.size(); ++b) blocks[b] = FilterBlock{};
    std::size_t b = 0;
    std::uint32_t in_part[kParts] = {};  // slots per part of block b
    auto close = [&] {                   // block b is complete: its part counts, or "not used"
      bool full = false;
      for (unsigned j = 0; j < kParts; ++j) full |= in_part[j] >= kFullPart;
      std::uint64_t lo = 0, hi = 0;
      for (unsigned j = 0; j < kParts; ++j) {
        const std::uint64_t c = full ? kFullPart : in_part[j];
        if (j < 16) {
          lo |= c << (4 * j);
        } else {
          hi |= c << (4 * (j - 16));
        }
        in_part[j] = 0;
      }
      blocks[b].parts_lo = lo;
      blocks[b].parts_hi = static_cast<std::uint32_t>(hi);
    };
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t fp = fp_at(i);
      const std::size_t at = block_of(fp);
      while (b < at) {  // blocks passed over are empty: they begin here
        close();
        blocks[++b].begin = static_cast<std::uint32_t>(i);
      }
      ++in_part[part_of(within(fp))];
      for (unsigned w = 0; w < 6; ++w) blocks[at].bits[w] |= bit(fp, w);
    }
    if (count_ > 0) close();
    while (b < count_) blocks[++b].begin = static_cast<std::uint32_t>(n);  // and the end block
  }

  bool empty() const { return count_ == 0; }
  std::size_t blocks() const { return count_; }
  // The block of fp (the filter must not be empty).
  std::size_t block_of(std::uint64_t fp) const {
    return static_cast<std::size_t>((static_cast<unsigned __int128>(fp) * count_) >> 64);
  }
  const FilterBlock& block(std::size_t b) const { return blocks_[b]; }
  // Slots in block b: [block(b).begin, block(b).begin + slots_in(b)).
  std::size_t slots_in(std::size_t b) const { return blocks_[b + 1].begin - blocks_[b].begin; }
  void prefetch(std::uint64_t fp) const { __builtin_prefetch(&blocks_[block_of(fp)]); }
  // Whether fp may be among the block's fingerprints.
  static bool passes(const FilterBlock& block, std::uint64_t fp) {
    std::uint64_t missing = 0;
    for (unsigned w = 0; w < 6; ++w) missing |= bit(fp, w) & ~block.bits[w];
    return missing == 0;
  }
  // Whether fp may be in the set (false for an empty filter: nothing is).
  bool may_contain(std::uint64_t fp) const { return !empty() && passes(blocks_[block_of(fp)], fp); }
  // Where fp's slots can be: [lo, hi) (its part's, or the whole block's when the block does not use its
  // parts), and at, the slot where fp's run is expected to begin (lo <= at <= hi). `block` is fp's block.
  struct Range {
    std::uint32_t lo, hi, at;
  };
  Range range(std::uint64_t fp, const FilterBlock& block) const {
    const std::uint64_t place = within(fp);
    Range r;
    std::uint64_t rest;
    if (block.parts_lo != ~std::uint64_t{0} || block.parts_hi != ~std::uint32_t{0}) {
      const unsigned j = part_of(place);
      const unsigned __int128 parts = static_cast<unsigned __int128>(block.parts_hi) << 64 | block.parts_lo;
      const unsigned __int128 before = parts & ((static_cast<unsigned __int128>(1) << (4 * j)) - 1);
      r.lo = block.begin + nibble_sum(static_cast<std::uint64_t>(before)) +
             nibble_sum(static_cast<std::uint64_t>(before >> 64));
      r.hi = r.lo + static_cast<std::uint32_t>(static_cast<std::uint64_t>(parts >> (4 * j)) & 15);
      rest = place * kParts;  // fp's place inside its part
    } else {
      r.lo = block.begin;
      r.hi = (&block)[1].begin;  // the next block's begin (the end block after the last)
      rest = place;
    }
    r.at = r.lo + static_cast<std::uint32_t>((static_cast<unsigned __int128>(rest) * (r.hi - r.lo)) >> 64);
    return r;
  }
  std::size_t bytes() const { return blocks_.bytes(); }

 private:
  std::uint64_t within(std::uint64_t fp) const { return fp * static_cast<std::uint64_t>(count_); }
  static unsigned part_of(std::uint64_t place) {
    return static_cast<unsigned>((static_cast<unsigned __int128>(place) * kParts) >> 64);
  }
  // The sum of the 16 nibbles of x (at most 16 × 15 = 240: no carry out of a byte).
  static std::uint32_t nibble_sum(std::uint64_t x) {
    constexpr std::uint64_t k0F = 0x0F0F0F0F0F0F0F0Full;
    x = (x & k0F) + ((x >> 4) & k0F);
    return static_cast<std::uint32_t>((x * 0x0101010101010101ull) >> 56);
  }
  static std::uint64_t bit(std::uint64_t fp, unsigned w) { return std::uint64_t{1} << ((fp >> (6 * w)) & 63); }
  PodArray<FilterBlock> blocks_;
  std::size_t count_ = 0;  // blocks holding fingerprints (blocks_ has one more)
};

}  // namespace eligo::blacklist::detail
