// The resident form of a Snapshot: 28-byte slots sorted by 64-bit fingerprint, and in front of them a
// blocked filter that is also the directory (block_filter.hpp): one cache line per ~24 slots says whether
// a fingerprint may be held and, if so, where its slots are.
//
// ID lists: fingerprint = mix(code), a bijection of the lossless code of the ID, so a fingerprint match
// is an exact key match (no false positive possible) and the key can be recovered (unmix, decode_id).
// Keyed lists: fingerprint = the first 64 bits of the HMAC, confirmed by the next 32 bits (a false match
// needs a 96-bit collision); the full keys live in the store.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "blacklist/block_filter.hpp"
#include "blacklist/key.hpp"
#include "blacklist/pod_array.hpp"
#include "blacklist/table.hpp"

namespace eligo::blacklist::detail {

struct Slot {  // 28 bytes, 4-byte aligned
  std::uint32_t fp_hi, fp_lo;
  std::uint32_t confirm;  // keyed lists: digest bytes 8..11; ID lists: 0
  std::uint32_t attr;     // index into Index::attr_detail / attr_set, | kContinues (see below)
  std::int32_t listed;
  std::int32_t from;      // kNoDate: listed
  std::int32_t until;     // INT32_MAX: open
  std::uint64_t fp() const { return static_cast<std::uint64_t>(fp_hi) << 32 | fp_lo; }
  // Set on a slot whose fingerprint is the slot before's (a key with several entries): a slot holding the
  // sought fingerprint without it begins the key's run, so the search needs no other slot.
  static constexpr std::uint32_t kContinues = 0x80000000u;
  std::uint32_t attr_id() const { return attr & ~kContinues; }
  bool continues() const { return (attr & kContinues) != 0; }
};
static_assert(sizeof(Slot) == 28, "slots are 28 bytes");

// Queries per group in the pipelined batch form of Snapshot::listed.
constexpr std::size_t kBatchGroup = 32;

constexpr std::uint32_t kAnyScope = 0xFFFFFFFFu;   // query scope "*" or ""
constexpr std::uint32_t kNoSuchScope = 0xFFFFFFFEu;  // named by no entry: only "*" entries match

struct Index {
  KeyKind kind = KeyKind::id_number;
  std::optional<std::string> hash_key;
  std::shared_ptr<const identity::IdHasher> hasher;  // keyed lists holding their key
  std::string version, hash;
  std::size_t merged = 0, distinct_keys = 0;

  PodArray<Slot> slots;
  BlockFilter filter;                // directory and filter in one: most outsiders stop at its one line

  std::vector<std::string> scope_names;          // sorted; scope id = position
  std::vector<Detail> details;
  std::vector<std::uint32_t> set_begin;          // scopes of set s: set_ids[set_begin[s] .. set_begin[s+1])
  std::vector<std::uint32_t> set_ids;
  std::vector<std::uint8_t> set_all;             // the set holds "*"
  std::vector<std::uint32_t> attr_detail, attr_set;

  // The index of a finished table (sorted and merged). It only reads the table, except that it takes
  // table.scratch for its slots: done_reading (when set) is called once the records and digests are no
  // longer read, so a caller hashing them beside may free them then. The content hash and version label
  // are set apart (set_hash), once the hash is known.
  static Index from_table(Table& table, const std::function<void()>& done_reading = {});
  void set_hash(const std::string& content_hash, const std::string& label);

  std::uint32_t scope_id(std::string_view scope) const;
  bool scope_matches(std::uint32_t attr, std::uint32_t scope) const {
    const std::uint32_t set = attr_set[attr];
    if (set_all[set] || scope == kAnyScope) return true;
    for (std::uint32_t i = set_begin[set], e = set_begin[set + 1]; i < e; ++i)
      if (set_ids[i] == scope) return true;
    return false;
  }
  static bool date_matches(const Slot& s, std::int32_t day) {
    const std::int32_t lo = s.from == kNoDate ? s.listed : s.from;
    return lo <= day && day <= s.until;
  }
  // The first slot in [begin, end) whose fingerprint is >= fp (or end), searched from the guess g: the
  // guess is within a few slots, so the search touches one or two cache lines of the slot array.
  std::size_t lower_bound(std::uint64_t fp, std::size_t begin, std::size_t end, std::size_t g) const {
    while (g > begin && slots[g - 1].fp() >= fp) --g;
    while (g < end && slots[g].fp() < fp) ++g;
    return g;
  }
  // lower_bound, answered from the guessed slot alone when it holds fp and begins fp's run (most members:
  // the guess is exact for ~80 % of them).
  std::size_t run_start(std::uint64_t fp, std::size_t begin, std::size_t end, std::size_t g) const {
    if (g < end && slots[g].fp() == fp && !slots[g].continues()) return g;
    return lower_bound(fp, begin, end, g);
  }
  // Range of slots [*begin, *end) whose fingerprint equals fp.
  void find(std::uint64_t fp, std::size_t* begin, std::size_t* end) const {
    *begin = *end = 0;
    if (filter.empty()) return;
    const BlockFilter::Range r = filter.range(fp, filter.block(filter.block_of(fp)));
    const std::size_t hi = r.hi;
    std::size_t i = run_start(fp, r.lo, hi, r.at);
    std::size_t j = i;
    while (j < hi && slots[j].fp() == fp) ++j;
    *begin = i;
    *end = j;
  }
  // Whether a slot in [begin, end) matches fingerprint, confirmation, scope and day.
  bool any_match(std::uint64_t fp, std::uint32_t confirm, std::uint32_t scope, std::int32_t day, std::size_t begin,
                 std::size_t end) const {
    for (std::size_t i = begin; i < end; ++i) {
      const Slot& s = slots[i];
      const std::uint64_t f = s.fp();
      if (f < fp) continue;
      if (f > fp) return false;
      if (s.confirm == confirm && date_matches(s, day) && scope_matches(s.attr_id(), scope)) return true;
    }
    return false;
  }
  Entry materialise(const Slot& s, const std::string* hashed_key) const;
  std::size_t memory_bytes() const;
};

}  // namespace eligo::blacklist::detail
