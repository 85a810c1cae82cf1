// A plain array of trivially copyable values, 2 MiB-aligned and advised for huge pages when big (see
// index.cpp), and the radix sort that Table::finish runs over such arrays.
#pragma once

#include <cstddef>
#include <cstdint>

namespace eligo::blacklist::detail {

// A plain array of trivially copyable T in memory advised for transparent huge pages (fewer TLB misses on
// random probes of a big list).
template <class T>
class PodArray {
 public:
  PodArray() = default;
  explicit PodArray(std::size_t n);
  ~PodArray();
  PodArray(const PodArray&) = delete;
  PodArray& operator=(const PodArray&) = delete;
  PodArray(PodArray&& o) noexcept : data_(o.data_), size_(o.size_), bytes_(o.bytes_) { o.data_ = nullptr; o.size_ = o.bytes_ = 0; }
  PodArray& operator=(PodArray&& o) noexcept;
  T* data() { return data_; }
  const T* data() const { return data_; }
  std::size_t size() const { return size_; }
  std::size_t bytes() const { return bytes_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  // This array's memory handed over as an array of n U, its pages already touched (no fresh page faults);
  // the whole huge pages beyond n U are returned. A fresh array when the memory cannot be reused so (a heap
  // block, or fewer bytes than n U need). This array is empty afterwards.
  template <class U>
  PodArray<U> reuse_as(std::size_t n) &&;

 private:
  template <class>
  friend class PodArray;
  void release();
  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t bytes_ = 0;
};

// A sort key and the position of its record (the radix sort of Table::finish).
struct KeyAt {
  std::uint64_t key;
  std::uint64_t at;
};

// Stable LSD radix sort of v[0..n) by key (digits of up to 11 bits over the bits in which keys differ;
// passes whose digit is the same for every key are skipped). `tmp` must hold n elements.
void radix_sort(KeyAt* v, KeyAt* tmp, std::size_t n);

}  // namespace eligo::blacklist::detail
