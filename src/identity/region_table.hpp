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

// Provinces (first two digits) in GB/T 2260, without a table load.
constexpr bool is_province(int two) {
  return (two >= 11 && two <= 15) || (two >= 21 && two <= 23) || (two >= 31 && two <= 37) ||
         (two >= 41 && two <= 46) || (two >= 50 && two <= 54) || (two >= 61 && two <= 65) || two == 71 ||
         two == 81 || two == 82;
}

}  // namespace eligo::identity::detail
