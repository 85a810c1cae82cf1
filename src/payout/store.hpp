// Storage shared by Reconciliation and Report: a block arena for the text of millions of rows, compact
// rows that refer into it, and an open-addressing index from text to row number.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "eligo/payout.hpp"

namespace eligo::payout::detail {

// Text stored once; 8 bytes per field instead of a std::string's 32 (plus its heap block).
struct Ref {
  std::uint64_t bits = 0;  // offset << 24 | length
};

class Arena {
 public:
  static constexpr std::size_t kBlock = std::size_t{1} << 22;  // 4 MiB; no string straddles two blocks
  static constexpr std::size_t kMaxLength = (std::size_t{1} << 16) - 1;

  // Strings longer than kMaxLength must be rejected by the caller.
  Ref add(std::string_view s) {
    if (s.empty()) return Ref{};
    if (blocks_.empty() || used_ + s.size() > kBlock) {
      blocks_.emplace_back(new char[kBlock]);
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
  std::size_t bytes() const { return blocks_.size() * kBlock; }

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
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
    if ((size_ + 1) * 2 > slots_.size()) grow(key_of);
    const std::uint64_t h = hash_text(key);
    const std::uint32_t tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.value == 0) {
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
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.value == 0) continue;
      const std::uint64_t h = hash_text(key_of(s.value - 1));
      std::size_t i = h & mask_;
      while (slots_[i].value != 0) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

struct OrderRow {
  Ref order_no, policy, period, payee_id, payee_name, account, community;
  Decimal amount;
  Date created;
  std::uint32_t payee = 0;  // interned canonical payee ID
  std::uint64_t row = 0;
};

struct RecordRow {
  Ref serial_no, order_no, payee_id, payee_id_hash, account, name, failure_reason;
  Decimal amount;
  Date value_date;
  Status status = Status::success;
  std::uint64_t row = 0;
};

struct ExclusionRow {
  Ref payee_id, policy, reason;
  std::optional<Date> from;
};

inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// Money and dates as Decimal::to_string and Date::to_string write them (the same bytes), without a
// 128-bit division per digit or snprintf when the coefficient fits in 64 bits and the year in four digits.
inline void money_text(const Decimal& v, std::string* out) {
  const __int128 c = v.coefficient();
  const int scale = v.scale();
  if (c <= -static_cast<__int128>(INT64_MAX) || c >= static_cast<__int128>(INT64_MAX)) {
    *out = v.to_string();
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
  out->clear();
  if (c < 0) out->push_back('-');
  for (int k = n - 1; k >= 0; --k) {
    out->push_back(buf[k]);
    if (k == scale && scale > 0) out->push_back('.');
  }
}

inline void date_text(const Date& date, std::string* out) {
  int y, m, d;
  date.ymd(&y, &m, &d);
  if (y < 0 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) {
    *out = date.to_string();
    return;
  }
  char buf[10] = {static_cast<char>('0' + y / 1000), static_cast<char>('0' + y / 100 % 10),
                  static_cast<char>('0' + y / 10 % 10), static_cast<char>('0' + y % 10), '-',
                  static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10), '-',
                  static_cast<char>('0' + d / 10), static_cast<char>('0' + d % 10)};
  out->assign(buf, sizeof buf);
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

}  // namespace eligo::payout::detail

namespace eligo::payout {

struct Reconciliation::Data {
  Options options;
  detail::Arena arena;
  std::vector<detail::OrderRow> orders;
  std::vector<detail::RecordRow> records;
  std::vector<detail::ExclusionRow> exclusions;
  // Registry: canonical ID → community; an ID listed under two communities is ambiguous.
  std::vector<std::pair<detail::Ref, detail::Ref>> registry;  // (canonical id, community)
  detail::TextIndex registry_index;
  std::vector<bool> registry_ambiguous;
  bool has_registry = false;
  // Payees: canonical ID text of each interned payee.
  std::vector<detail::Ref> payees;
  detail::TextIndex payee_index;
  std::vector<Rejection> rejections;

  std::uint32_t intern_payee(std::string_view canonical);
};

struct Report::Data {
  Options options;
  detail::Arena arena;
  std::vector<detail::OrderRow> orders;    // sorted by order number
  std::vector<detail::RecordRow> records;  // sorted by serial number
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
}  // namespace detail

}  // namespace eligo::payout
