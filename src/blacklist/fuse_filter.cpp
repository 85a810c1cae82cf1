// Construction of the binary fuse filter (see fuse_filter.hpp).
#include "blacklist/fuse_filter.hpp"

#include <algorithm>
#include <cmath>

namespace eligo::blacklist::detail {

bool FuseFilter::size_for(std::size_t n) {
  cells_ = PodArray<std::uint8_t>();
  seed_ = 0;
  if (n == 0 || n > (std::size_t{1} << 31)) return false;  // cells are numbered in 32 bits
  // Segment length and size factor as the paper sizes them for three cells per key: longer segments and
  // ~1.125 cells per key for big sets, relatively more cells for small ones (where peeling fails more often).
  const double nd = static_cast<double>(std::max<std::size_t>(n, 2));
  int log_l = static_cast<int>(std::floor(std::log(nd) / std::log(3.33) + 2.25));
  log_l = std::clamp(log_l, 2, 13);  // 2^13 cells: three segments stay in L2 during the build
  segment_length_ = std::uint64_t{1} << log_l;
  segment_mask_ = segment_length_ - 1;
  const double factor = n <= 1 ? 2.0 : std::max(1.125, 0.875 + 0.25 * std::log(1e6) / std::log(nd));
  const std::uint64_t capacity = static_cast<std::uint64_t>(std::ceil(nd * factor));
  std::uint64_t segments = (capacity + segment_length_ - 1) / segment_length_;
  segments = std::max<std::uint64_t>(segments, 3);
  starts_ = (segments - 2) * segment_length_;
  const std::size_t size = segments * segment_length_;
  cells_ = PodArray<std::uint8_t>(size);  // small ones come from the heap: cleared below
  std::fill(cells_.data(), cells_.data() + size, 0);
  xors_.resize(size);
  count_.resize(size);
  return true;
}

void FuseFilter::start_attempt(std::uint64_t attempt) {
  seed_ = attempt == 0 ? 0 : attempt * 0x9e3779b97f4a7c15ull;
  if (attempt == 0) return;  // freshly sized: all zero
  std::fill(cells_.data(), cells_.data() + cells_.size(), 0);
  std::fill(xors_.begin(), xors_.end(), 0);
  std::fill(count_.begin(), count_.end(), 0);
}

void FuseFilter::give_up() {
  cells_ = PodArray<std::uint8_t>();
  std::vector<std::uint64_t>().swap(xors_);
  std::vector<std::uint8_t>().swap(count_);
  seed_ = 0;
}

bool FuseFilter::peel(std::size_t n) {
  const std::size_t size = cells_.size();
  // Peel: sweep the cells in order; a cell with one key is that key's; removing the key may leave cells
  // behind the sweep (at most two segments back) with one key, which are peeled at once from a small stack.
  // The peeled cells in order (a peeled cell keeps its key's hash: it is not XORed out of its own cell).
  std::vector<std::uint32_t> order;
  order.reserve(n);
  std::vector<std::uint32_t> stack;
  for (std::size_t start = 0; start < size; ++start) {
    if (count_[start] != 1) continue;
    stack.push_back(static_cast<std::uint32_t>(start));
    while (!stack.empty()) {
      const std::size_t cell = stack.back();
      stack.pop_back();
      if (count_[cell] != 1) continue;
      const std::uint64_t h = xors_[cell];
      order.push_back(static_cast<std::uint32_t>(cell));
      count_[cell] = 0;
      std::size_t p[3];
      positions(h, p);
      for (std::size_t c : p) {
        if (c == cell) continue;
        if (count_[c] == 255) return false;
        xors_[c] ^= h;
        // A cell behind the sweep that is left with one key is peeled now; one ahead of it is found by the
        // sweep (peeling ahead at once would chase the wave across the whole array, a cache miss a step).
        if (--count_[c] == 1 && c < start) stack.push_back(static_cast<std::uint32_t>(c));
      }
    }
  }
  if (order.size() != n) return false;  // a core no cell frees (or two keys with one hash)
  // Assign in reverse peeling order: a key's own cell is set last among its three, to what makes the XOR
  // of its cells equal its fingerprint (cells not yet assigned hold 0).
  for (std::size_t i = n; i-- > 0;) {
    const std::size_t cell = order[i];
    const std::uint64_t h = xors_[cell];
    std::size_t p[3];
    positions(h, p);
    cells_[cell] = static_cast<std::uint8_t>(fingerprint(h) ^ cells_[p[0]] ^ cells_[p[1]] ^ cells_[p[2]]);
  }
  std::vector<std::uint64_t>().swap(xors_);
  std::vector<std::uint8_t>().swap(count_);
  return true;
}

}  // namespace eligo::blacklist::detail
