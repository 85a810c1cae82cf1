// Memory for big arrays and text blocks read at random (the blacklist's slots and filter, the payout rows,
// text and indexes): mapped directly, so that freeing it gives it back to the system at once (malloc keeps
// freed big chunks once its mmap threshold has grown), 2 MiB-aligned and rounded up to whole 2 MiB pages,
// and advised for transparent huge pages before the first touch (fewer TLB misses; a fault maps 2 MiB).
// The advice is a hint: a kernel that refuses it changes nothing else.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <new>

namespace eligo::detail {

constexpr std::size_t kHugePage = std::size_t{2} << 20;

inline std::size_t huge_rounded(std::size_t bytes) { return (bytes + kHugePage - 1) / kHugePage * kHugePage; }

// huge_rounded(bytes) bytes, 2 MiB-aligned, zero-filled, advised for huge pages; std::bad_alloc if the
// system has none. Release with unmap_huge(p, bytes) (the same `bytes`).
inline void* map_huge(std::size_t bytes) {
  const std::size_t rounded = huge_rounded(bytes);
  void* p = ::mmap(nullptr, rounded + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  const auto base = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t aligned = (base + kHugePage - 1) / kHugePage * kHugePage;
  if (aligned > base) ::munmap(p, aligned - base);
  const std::uintptr_t end = base + rounded + kHugePage;
  if (end > aligned + rounded) ::munmap(reinterpret_cast<void*>(aligned + rounded), end - (aligned + rounded));
#ifdef MADV_HUGEPAGE
  ::madvise(reinterpret_cast<void*>(aligned), rounded, MADV_HUGEPAGE);
#endif
  return reinterpret_cast<void*>(aligned);
}

inline void unmap_huge(void* p, std::size_t bytes) {
  if (p != nullptr) ::munmap(p, huge_rounded(bytes));
}

}  // namespace eligo::detail
