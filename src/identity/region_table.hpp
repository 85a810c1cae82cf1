// The GB/T 2260 table, loaded once from the compiled-in CSV on first use (thread-safe static).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "eligo/identity.hpp"

namespace eligo::identity::detail {

class RegionTable {
 public:
  static const RegionTable& instance();

  bool contains(int code) const {
    return code >= 0 && code < kCodes && ((known_[code >> 6] >> (code & 63)) & 1u) != 0;
  }
  const Region* find(int code) const;
  std::size_t size() const { return regions_.size(); }

 private:
  static constexpr int kCodes = 1000000;
  RegionTable();
  std::deque<std::string> arena_;
  std::vector<Region> regions_;  // sorted by code
  std::vector<std::uint64_t> known_;
};

// Provinces (first two digits) in GB/T 2260, without a table load: one bit per number 0-99.
constexpr bool is_province(int two) {
  constexpr std::uint64_t kLow = (0x1Full << 11) | (0x7ull << 21) | (0x7Full << 31) | (0x3Full << 41) |
                                 (0x1Full << 50) | (0x1Full << 61);                    // 11-15 21-23 31-37 41-46 50-54 61-63
  constexpr std::uint64_t kHigh = (0x3ull << (64 - 64)) | (1ull << (71 - 64)) | (0x3ull << (81 - 64));  // 64-65 71 81-82
  return two >= 0 && two < 100 && ((two < 64 ? (kLow >> two) : (kHigh >> (two - 64))) & 1u) != 0;
}

}  // namespace eligo::identity::detail
