// Storage shared by Reconciliation and Report: a block arena for the text of millions of rows, compact
// rows that refer into it, and an open-addressing index from text to row number.
#pragma once

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <new>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "core/huge_pages.hpp"
#include "eligo/payout.hpp"

namespace eligo::payout::detail {

// Text stored once; 8 bytes per field instead of a std::string's 32 (plus its heap block).
struct Ref {
  std::uint64_t bits = 0;  // offset << 24 | length
};

// An allocator for the big row vectors and index slots: blocks of 4 MiB and more are mapped on huge pages
// (core/huge_pages.hpp: the rows are gathered and matched at random, and a TLB miss costs more than the
// cache miss behind it) and go back to the system when freed; smaller ones come from operator new.
template <class T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}
  static constexpr std::size_t kMapped = std::size_t{1} << 22;
  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kMapped) return static_cast<T*>(::operator new(bytes));
    return static_cast<T*>(eligo::detail::map_huge(bytes));
  }
  void deallocate(T* p, std::size_t n) noexcept {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kMapped) {
      ::operator delete(p);
    } else {
      eligo::detail::unmap_huge(p, bytes);
    }
  }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const noexcept { return true; }
  template <class U>
  bool operator!=(const HugePageAllocator<U>&) const noexcept { return false; }
};
template <class T>
using BigVector = std::vector<T, HugePageAllocator<T>>;

// The rows of a Reconciliation as they are added, one at a time and in unknown number. Like BigVector, but
// once mapped (4 MiB and more) it grows by moving its pages into a bigger mapping (mremap) instead of
// copying them: each row is written once and each page zeroed by the kernel once. std::vector's doubling
// wrote and zeroed about twice the final size; at 1 M orders that was ~5 % of `eligo reconcile`.
template <class T>
class GrowingRows {
  static_assert(std::is_trivially_copyable_v<T>, "rows are moved as bytes");

 public:
  GrowingRows() = default;
  ~GrowingRows() { release(); }
  GrowingRows(const GrowingRows&) = delete;
  GrowingRows& operator=(const GrowingRows&) = delete;
  GrowingRows(GrowingRows&& o) noexcept { steal(o); }
  GrowingRows& operator=(GrowingRows&& o) noexcept {
    if (this != &o) {
      release();
      steal(o);
    }
    return *this;
  }

  void push_back(const T& row) {
    if (size_ == capacity_) grow();
    ::new (static_cast<void*>(data_ + size_)) T(row);
    ++size_;
  }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

 private:
  static constexpr std::size_t kMapped = std::size_t{1} << 22;
  void grow() {
    const std::size_t want = capacity_ ? capacity_ * 2 : 64;
    const std::size_t bytes = want * sizeof(T);
    if (bytes < kMapped) {
      T* p = static_cast<T*>(::operator new(bytes));
      if (size_) std::memcpy(static_cast<void*>(p), static_cast<const void*>(data_), size_ * sizeof(T));
      ::operator delete(data_);
      data_ = p;
      capacity_ = want;
      return;
    }
    void* p = eligo::detail::map_huge(bytes);
    const std::size_t rounded = eligo::detail::huge_rounded(bytes);
    bool moved = false;
    if (mapped_bytes_ != 0) {
      // Both ends are 2 MiB-aligned whole huge pages: the kernel moves page table entries, not bytes.
      moved = ::mremap(data_, mapped_bytes_, mapped_bytes_, MREMAP_MAYMOVE | MREMAP_FIXED, p) != MAP_FAILED;
    }
    if (!moved && size_) std::memcpy(p, static_cast<const void*>(data_), size_ * sizeof(T));
    if (!moved) release_storage();
    data_ = static_cast<T*>(p);
    capacity_ = rounded / sizeof(T);
    mapped_bytes_ = rounded;
  }
  void release_storage() {
    if (mapped_bytes_ != 0) {
      ::munmap(data_, mapped_bytes_);
    } else {
      ::operator delete(data_);
    }
    data_ = nullptr;
    mapped_bytes_ = 0;
  }
  void release() {
    release_storage();
    size_ = capacity_ = 0;
  }
  void steal(GrowingRows& o) {
    data_ = o.data_;
    size_ = o.size_;
    capacity_ = o.capacity_;
    mapped_bytes_ = o.mapped_bytes_;
    o.data_ = nullptr;
    o.size_ = o.capacity_ = o.mapped_bytes_ = 0;
  }

  T* data_ = nullptr;
  std::size_t size_ = 0, capacity_ = 0;
  std::size_t mapped_bytes_ = 0;  // 0 while on the heap
};

class Arena {
 public:
  static constexpr std::size_t kBlock = std::size_t{1} << 22;  // 4 MiB; no string straddles two blocks
  static constexpr std::size_t kMaxLength = (std::size_t{1} << 16) - 1;

  // Strings longer than kMaxLength must be rejected by the caller.
  Ref add(std::string_view s) {
    if (s.empty()) return Ref{};
    if (blocks_.empty() || used_ + s.size() > kBlock) {
      blocks_.emplace_back(map_block());
      used_ = 0;
    }
    const std::uint64_t offset = (blocks_.size() - 1) * kBlock + used_;
    std::memcpy(blocks_.back().get() + used_, s.data(), s.size());
    used_ += s.size();
    return Ref{offset << 24 | s.size()};
  }
  std::string_view get(Ref r) const {
    const std::size_t len = r.bits & 0xFFFFFF;
    if (len == 0) return {};
    const std::uint64_t offset = r.bits >> 24;
    return {blocks_[offset / kBlock].get() + offset % kBlock, len};
  }
  // Frees blocks [0, n): the caller guarantees no Ref into them is read again.
  void release_blocks_before(std::size_t n) {
    for (std::size_t k = 0; k < n && k + 1 < blocks_.size(); ++k) blocks_[k].reset();
  }
  static std::size_t block_of(Ref r) { return static_cast<std::size_t>((r.bits >> 24) / kBlock); }
  // Starts loading the text of `r` into the cache (a hint; nothing is read).
  void prefetch(Ref r) const {
    if ((r.bits & 0xFFFFFF) == 0) return;
    const std::uint64_t offset = r.bits >> 24;
    __builtin_prefetch(blocks_[offset / kBlock].get() + offset % kBlock);
  }
  std::size_t bytes() const { return blocks_.size() * kBlock; }

 private:
  // Blocks are mapped on huge pages (core/huge_pages.hpp), not taken from malloc, so that a released block
  // goes back to the system at once; the indexes read the text at random.
  static char* map_block() { return static_cast<char*>(eligo::detail::map_huge(kBlock)); }
  struct Unmap {
    void operator()(char* p) const { eligo::detail::unmap_huge(p, kBlock); }
  };
  std::vector<std::unique_ptr<char, Unmap>> blocks_;
  std::size_t used_ = 0;
};

inline std::uint64_t hash_text(std::string_view s) {
  // FNV-1a over 8-byte words, then a final mix: keys are short (order numbers, ID numbers).
  std::uint64_t h = 0xcbf29ce484222325ull ^ s.size();
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0x100000001b3ull;
    h ^= h >> 29;
  }
  for (; i < s.size(); ++i) h = (h ^ static_cast<unsigned char>(s[i])) * 0x100000001b3ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

// Text → uint32 value, open addressing with linear probing. The keys live elsewhere (an arena); the index
// keeps only the value and 32 bits of the hash, and asks `key_of(value)` for the text when probing.
class TextIndex {
 public:
  template <class KeyOf>
  std::optional<std::uint32_t> find(std::string_view key, const KeyOf& key_of) const {
    if (slots_.empty()) return std::nullopt;
    const std::uint64_t h = hash_text(key);
    const std::uint32_t tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.value == 0) return std::nullopt;
      if (s.tag == tag && key_of(s.value - 1) == key) return s.value - 1;
    }
  }
  // Inserts key → value unless the key is present; returns the value now stored for the key.
  template <class KeyOf>
  std::uint32_t insert(std::string_view key, std::uint32_t value, const KeyOf& key_of) {
    return insert_with(key, [value] { return value; }, key_of);
  }
  // The same with one hash and one probe for "find, else add": `make_value()` is called only when the key
  // is absent, and gives the value to store (it may append the key where key_of finds it).
  template <class MakeValue, class KeyOf>
  std::uint32_t insert_with(std::string_view key, const MakeValue& make_value, const KeyOf& key_of) {
    if ((size_ + 1) * 2 > slots_.size()) grow(key_of);
    const std::uint64_t h = hash_text(key);
    const std::uint32_t tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.value == 0) {
        const std::uint32_t value = make_value();
        s.value = value + 1;
        s.tag = tag;
        ++size_;
        return value;
      }
      if (s.tag == tag && key_of(s.value - 1) == key) return s.value - 1;
    }
  }
  template <class KeyOf>
  void reserve(std::size_t n, const KeyOf& key_of) {
    while (slots_.size() < n * 2) grow(key_of);
  }
  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint32_t value = 0;  // value + 1; 0 = empty
    std::uint32_t tag = 0;
  };
  template <class KeyOf>
  void grow(const KeyOf& key_of) {
    BigVector<Slot> old = std::move(slots_);
    const std::size_t n = old.empty() ? 1024 : old.size() * 2;
    slots_.assign(n, Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.value == 0) continue;
      const std::uint64_t h = hash_text(key_of(s.value - 1));
      std::size_t i = h & mask_;
      while (slots_[i].value != 0) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }
  BigVector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

// A canonical ID number of the common shape — 17 digits and a check digit or X — as one 64-bit number
// (never 0); 0 for any other text (foreign legacy numbers, anything not canonical).
inline std::uint64_t packed_id(std::string_view s) {
  if (s.size() != 18) return 0;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    const unsigned d = static_cast<unsigned char>(s[i]) - static_cast<unsigned>('0');
    if (d > 9) return 0;
    v = v * 10 + d;
  }
  unsigned check = 10;
  if (s[17] != 'X') {
    check = static_cast<unsigned char>(s[17]) - static_cast<unsigned>('0');
    if (check > 9) return 0;
  }
  return v * 11 + check + 1;  // < 1.1e18: fits, and distinct texts give distinct numbers
}

// Payees: canonical ID text → payee number. Packed IDs (nearly all) are kept in the slots themselves, so a
// probe reads one slot and never the arena; other canonical texts go to a TextIndex over `texts`.
class PayeeIndex {
 public:
  // The payee number of `canonical`, adding it (its text appended to `texts` in `arena`) when new.
  std::uint32_t intern(std::string_view canonical, Arena& arena, std::vector<Ref>& texts) {
    const auto add = [&] {
      texts.push_back(arena.add(canonical));
      return static_cast<std::uint32_t>(texts.size() - 1);
    };
    const std::uint64_t key = packed_id(canonical);
    if (key == 0) {
      const auto key_of = [&](std::uint32_t v) { return arena.get(texts[v]); };
      return others_.insert_with(canonical, add, key_of);
    }
    if ((size_ + 1) * 2 > slots_.size()) grow();
    for (std::size_t i = slot_of(key);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.key == key) return s.value;
      if (s.key == 0) {
        s.key = key;
        s.value = add();
        ++size_;
        return s.value;
      }
    }
  }
  // The payee number of a packed ID, if known.
  std::optional<std::uint32_t> find_packed(std::uint64_t key) const {
    if (slots_.empty() || key == 0) return std::nullopt;
    for (std::size_t i = slot_of(key);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.key == key) return s.value;
      if (s.key == 0) return std::nullopt;
    }
  }
  std::optional<std::uint32_t> find(std::string_view canonical, const Arena& arena,
                                    const std::vector<Ref>& texts) const {
    const std::uint64_t key = packed_id(canonical);
    if (key != 0) return find_packed(key);
    return others_.find(canonical, [&](std::uint32_t v) { return arena.get(texts[v]); });
  }

 private:
  struct Slot {
    std::uint64_t key = 0;  // packed_id; 0 = empty
    std::uint32_t value = 0;
  };
  std::size_t slot_of(std::uint64_t key) const {
    std::uint64_t h = key * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
    return h & mask_;
  }
  void grow() {
    BigVector<Slot> old = std::move(slots_);
    const std::size_t n = old.empty() ? 1024 : old.size() * 2;
    slots_.assign(n, Slot{});
    mask_ = n - 1;
    for (const Slot& s : old) {
      if (s.key == 0) continue;
      std::size_t i = slot_of(s.key);
      while (slots_[i].key != 0) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }
  BigVector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
  TextIndex others_;
};

inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;

struct OrderRow {
  Ref order_no, policy, period, payee_id, payee_name, account, community;
  std::uint32_t payee = 0;  // interned canonical payee ID (here it fills the padding before `amount`)
  Decimal amount;
  Date created;
  std::uint64_t row = 0;
};

struct RecordRow {
  Ref serial_no, order_no, payee_id, payee_id_hash, account, name, failure_reason;
  std::uint32_t payee = kNone;  // interned payee of payee_id, kNone without one
  Decimal amount;
  Date value_date;
  Status status = Status::success;
  std::uint64_t row = 0;
};

struct ExclusionRow {
  Ref payee_id, policy, reason;
  std::optional<Date> from;
};

static_assert(sizeof(OrderRow) <= 112 && sizeof(RecordRow) <= 112, "rows stay at 112 bytes");

// Money and dates as Decimal::to_string and Date::to_string write them (the same bytes), without a
// 128-bit division per digit or snprintf when the coefficient fits in 64 bits and the year in four digits.
inline void money_append(const Decimal& v, std::string* out) {
  const __int128 c = v.coefficient();
  const int scale = v.scale();
  if (c <= -static_cast<__int128>(INT64_MAX) || c >= static_cast<__int128>(INT64_MAX)) {
    out->append(v.to_string());
    return;
  }
  std::uint64_t u = static_cast<std::uint64_t>(c < 0 ? -c : c);
  char buf[64];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  while (n <= scale) buf[n++] = '0';
  char text[72];
  int m = 0;
  if (c < 0) text[m++] = '-';
  for (int k = n - 1; k >= 0; --k) {
    text[m++] = buf[k];
    if (k == scale && scale > 0) text[m++] = '.';
  }
  out->append(text, static_cast<std::size_t>(m));
}

inline void money_text(const Decimal& v, std::string* out) {
  out->clear();
  money_append(v, out);
}

inline void date_append(const Date& date, std::string* out) {
  int y, m, d;
  date.ymd(&y, &m, &d);
  if (y < 0 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) {
    out->append(date.to_string());
    return;
  }
  const char buf[10] = {static_cast<char>('0' + y / 1000), static_cast<char>('0' + y / 100 % 10),
                        static_cast<char>('0' + y / 10 % 10), static_cast<char>('0' + y % 10), '-',
                        static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10), '-',
                        static_cast<char>('0' + d / 10), static_cast<char>('0' + d % 10)};
  out->append(buf, sizeof buf);
}

inline void date_text(const Date& date, std::string* out) {
  out->clear();
  date_append(date, out);
}

inline std::string date_string(const Date& date) {
  std::string s;
  date_text(date, &s);
  return s;
}

// What Report::show_id / show_card / show_name return (identity::mask with the default options, or the
// text itself with clear_pii), written into *out. The common shapes are masked without decoding code
// points: ID numbers and cards of ASCII letters and digits, names of CJK ideographs (U+4000–U+9FFF, none
// of them white space); anything else goes through identity::mask.
enum class Shown : std::uint8_t { id, card, name };
void shown_into(bool clear_pii, Shown kind, std::string_view text, std::string* out);
void shown_append(bool clear_pii, Shown kind, std::string_view text, std::string* out);

}  // namespace eligo::payout::detail

namespace eligo::payout {

struct Reconciliation::Data {
  Options options;
  detail::Arena arena;
  detail::GrowingRows<detail::OrderRow> orders;
  detail::GrowingRows<detail::RecordRow> records;
  std::vector<detail::ExclusionRow> exclusions;
  // Registry: canonical ID → community; an ID listed under two communities is ambiguous.
  std::vector<std::pair<detail::Ref, detail::Ref>> registry;  // (canonical id, community)
  detail::TextIndex registry_index;
  std::vector<bool> registry_ambiguous;
  bool has_registry = false;
  // Payees: canonical ID text of each interned payee.
  std::vector<detail::Ref> payees;
  detail::PayeeIndex payee_index;
  std::vector<Rejection> rejections;

  std::uint32_t intern_payee(std::string_view canonical) { return payee_index.intern(canonical, arena, payees); }
  std::optional<std::uint32_t> find_payee(std::string_view canonical) const {
    return payee_index.find(canonical, arena, payees);
  }
};

struct Report::Data {
  Options options;
  detail::Arena arena;
  detail::BigVector<detail::OrderRow> orders;    // sorted by order number
  detail::BigVector<detail::RecordRow> records;  // sorted by serial number
  std::vector<detail::Ref> payees;

  std::vector<Class> order_class;
  std::vector<MatchedBy> order_matched_by;
  std::vector<std::uint32_t> order_records_start;  // CSR: records of order i are
  std::vector<std::uint32_t> order_records;        //   order_records[start[i] .. start[i+1])
  std::vector<std::uint32_t> duplicate_of;         // kNone when not a cross-order duplicate
  std::vector<Decimal> paid;
  std::vector<detail::Ref> community;
  std::vector<ClaimSource> claim;
  std::vector<std::uint8_t> claim_note;  // detail::ClaimNote
  std::vector<std::uint32_t> exclusion;  // index into exclusions, kNone
  std::vector<detail::ExclusionRow> exclusions;

  std::vector<Class> record_class;
  std::vector<MatchedBy> record_matched_by;
  std::vector<std::uint32_t> record_order;  // kNone when unmatched
  std::vector<bool> record_cancelled;
  std::vector<std::uint8_t> record_note;  // detail::OrphanNote

  detail::TextIndex order_index;
  detail::TextIndex record_index;
  Summary summary;
  std::vector<Rejection> rejections;
};

namespace detail {
// The report writer reads rows in place (no OrderResult with its copied record list per row).
struct ReportAccess {
  static const Report::Data& data(const Report& report) { return *report.data_; }
};
// What Report::order_evidence / record_evidence return, written into *out (cleared first): the report
// writer reuses one buffer for all rows.
void order_evidence_into(const Report::Data& d, std::size_t i, std::string* out);
void record_evidence_into(const Report::Data& d, std::size_t i, std::string* out);
}  // namespace detail

}  // namespace eligo::payout
