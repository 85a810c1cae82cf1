// The blocked filter in front of a blacklist's slots, which is also its directory: one 64-byte block (one
// cache line) per range of fingerprints, holding where that range's slots begin, how many there are, where
// each eighth of the range begins, and a Bloom filter of 384 bits over its fingerprints. A lookup reads one
// block: an outsider is answered there (unless its bits happen to be set), a member learns from the same
// line which two or three slots can hold it.
//
// Blocks: B = max(1, n / kSlotsPerBlock) for n slots; fingerprint fp belongs to block mulhi(fp, B) (the
// high 64 bits of fp × B), which is monotone in fp, so the slots of a block, sorted by fingerprint, are one
// run [begin, begin + count). The low 64 bits of fp × B ("within") are fp's place inside its block's
// range; its top three bits name the eighth of the range, and `eighth` holds where each eighth's slots
// begin (relative to `begin`, for blocks of up to 255 slots: beyond, the whole block is searched). Inside
// its eighth, fp's slot is interpolated from the rest of `within` (fingerprints are uniform): about 3 slots
// to choose from at 24 a block, so the guess is rarely more than a slot off, and the search reads one or
// two cache lines of slots that the batch form loaded ahead.
//
// Bits: a fingerprint sets one bit in each of the six 64-bit words, the bit of word i being bits
// 6i..6i+5 of fp (fingerprints are uniform: a splitmix64 mix of the code, or HMAC bytes; the block index
// comes from the top bits, so these low 36 bits are independent of it). A fingerprint the list holds
// always passes (no false negative); one it does not hold passes when its six bits are all set by the
// ~kSlotsPerBlock fingerprints of its block: about 1 in 730 at 24 a block (measured in
// tests/blacklist/filter_test.cpp and bench/README.md). Whatever passes is answered exactly by the slots.
//
// Memory: 64 bytes per kSlotsPerBlock slots, 2.7 bytes an entry (27 MB at 10 M entries). Built in one
// sequential pass over the sorted slots.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "blacklist/pod_array.hpp"

namespace eligo::blacklist::detail {

struct alignas(64) FilterBlock {
  std::uint32_t begin;     // the first slot of this block's fingerprint range
  std::uint32_t count;     // how many slots it holds
  std::uint8_t eighth[8];  // eighth[j]: slots of eighths 0..j-1 (eighth[0] = 0); used when count <= 255
  std::uint64_t bits[6];
};
static_assert(sizeof(FilterBlock) == 64, "a block is one cache line");

class BlockFilter {
 public:
  static constexpr std::size_t kSlotsPerBlock = 24;

  BlockFilter() = default;
  BlockFilter(BlockFilter&&) noexcept = default;
  BlockFilter& operator=(BlockFilter&&) noexcept = default;

  // Over n fingerprints in ascending order (repeats allowed: a key with several entries has several
  // slots), fp_at(i) the i-th. n must be below 2^32 (slots are numbered in 32 bits).
  template <class FpAt>
  void build(std::size_t n, FpAt fp_at) {
    const std::size_t count = n == 0 ? 0 : n / kSlotsPerBlock + (n < kSlotsPerBlock);
    blocks_ = PodArray<FilterBlock>(count);
    FilterBlock* const blocks = blocks_.data();
    for (std::size_t b = 0; b < count; ++b) blocks[b] = FilterBlock{};
    std::size_t b = 0;
    std::uint32_t in_eighth[8] = {};  // slots per eighth of block b
    auto close = [&] {                // block b is complete: where its eighths begin
      std::uint32_t sum = 0;
      for (unsigned j = 0; j < 8; ++j) {
        blocks[b].eighth[j] = static_cast<std::uint8_t>(std::min<std::uint32_t>(sum, 255));
        sum += in_eighth[j];
        in_eighth[j] = 0;
      }
    };
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t fp = fp_at(i);
      const std::size_t at = block_of(fp);
      while (b < at) {  // blocks passed over are empty: they begin here
        close();
        blocks[++b].begin = static_cast<std::uint32_t>(i);
      }
      ++blocks[at].count;
      ++in_eighth[within(fp) >> 61];
      for (unsigned w = 0; w < 6; ++w) blocks[at].bits[w] |= bit(fp, w);
    }
    if (count > 0) close();
    while (b + 1 < count) blocks[++b].begin = static_cast<std::uint32_t>(n);
  }

  bool empty() const { return blocks_.size() == 0; }
  std::size_t blocks() const { return blocks_.size(); }
  // The block of fp (the filter must not be empty).
  std::size_t block_of(std::uint64_t fp) const {
    return static_cast<std::size_t>((static_cast<unsigned __int128>(fp) * blocks_.size()) >> 64);
  }
  const FilterBlock& block(std::size_t b) const { return blocks_[b]; }
  void prefetch(std::uint64_t fp) const { __builtin_prefetch(&blocks_[block_of(fp)]); }
  // Whether fp may be among the block's fingerprints.
  static bool passes(const FilterBlock& block, std::uint64_t fp) {
    std::uint64_t missing = 0;
    for (unsigned w = 0; w < 6; ++w) missing |= bit(fp, w) & ~block.bits[w];
    return missing == 0;
  }
  // Whether fp may be in the set (false for an empty filter: nothing is).
  bool may_contain(std::uint64_t fp) const { return !empty() && passes(blocks_[block_of(fp)], fp); }
  // Where fp's slots can be: [lo, hi) (the block's, or for a block of up to 255 slots its eighth's), and
  // at, the slot where fp's run is expected to begin (lo <= at <= hi).
  struct Range {
    std::uint32_t lo, hi, at;
  };
  Range range(std::uint64_t fp, const FilterBlock& block) const {
    std::uint64_t place = within(fp);
    Range r;
    r.lo = block.begin;
    r.hi = block.begin + block.count;
    if (block.count <= 255) {
      const unsigned j = static_cast<unsigned>(place >> 61);
      r.lo = block.begin + block.eighth[j];
      r.hi = j == 7 ? r.hi : block.begin + block.eighth[j + 1];
      place <<= 3;
    }
    r.at = r.lo + static_cast<std::uint32_t>((static_cast<unsigned __int128>(place) * (r.hi - r.lo)) >> 64);
    return r;
  }
  std::size_t bytes() const { return blocks_.bytes(); }

 private:
  std::uint64_t within(std::uint64_t fp) const { return fp * static_cast<std::uint64_t>(blocks_.size()); }
  static std::uint64_t bit(std::uint64_t fp, unsigned w) { return std::uint64_t{1} << ((fp >> (6 * w)) & 63); }
  PodArray<FilterBlock> blocks_;
};

}  // namespace eligo::blacklist::detail
