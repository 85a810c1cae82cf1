// Turning a finished Table into the resident Index of a Snapshot: fingerprints, a counting sort into
// buckets of the top bits, interned attributes, then the block filter over the sorted slots.
#include "blacklist/index.hpp"

#include <sys/mman.h>

#include "core/huge_pages.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <unordered_map>

namespace eligo::blacklist::detail {

// Big arrays are mapped on huge pages (core/huge_pages.hpp); small ones come from the heap.
using ::eligo::detail::huge_rounded;
using ::eligo::detail::map_huge;
using ::eligo::detail::unmap_huge;
constexpr std::size_t kHuge = ::eligo::detail::kHugePage;

template <class T>
PodArray<T>::PodArray(std::size_t n) : size_(n), bytes_(n * sizeof(T)) {
  if (n == 0) return;
  if (bytes_ < kHuge) {
    // Cache-line aligned (filter blocks are one line each), the size rounded up as aligned_alloc wants.
    data_ = static_cast<T*>(std::aligned_alloc(64, (bytes_ + 63) / 64 * 64));
    if (data_ == nullptr) throw std::bad_alloc();
    return;
  }
  data_ = static_cast<T*>(map_huge(bytes_));
}

template <class T>
void PodArray<T>::release() {
  if (data_ == nullptr) return;
  if (bytes_ < kHuge) {
    std::free(data_);
  } else {
    unmap_huge(data_, bytes_);
  }
  data_ = nullptr;
  size_ = bytes_ = 0;
}

template <class T>
PodArray<T>::~PodArray() {
  release();
}

template <class T>
PodArray<T>& PodArray<T>::operator=(PodArray&& o) noexcept {
  if (this != &o) {
    release();
    data_ = o.data_;
    size_ = o.size_;
    bytes_ = o.bytes_;
    o.data_ = nullptr;
    o.size_ = o.bytes_ = 0;
  }
  return *this;
}

template <class T>
template <class U>
PodArray<U> PodArray<T>::reuse_as(std::size_t n) && {
  const std::size_t want = n * sizeof(U);
  if (bytes_ < kHuge || want < kHuge || want > huge_rounded(bytes_)) {
    release();
    return PodArray<U>(n);
  }
  const std::size_t have = huge_rounded(bytes_), keep = huge_rounded(want);
  if (keep < have) munmap(reinterpret_cast<char*>(data_) + keep, have - keep);
  PodArray<U> out;
  out.data_ = reinterpret_cast<U*>(data_);
  out.size_ = n;
  out.bytes_ = want;  // release() unmaps (want rounded up to 2 MiB) = keep
  data_ = nullptr;
  size_ = bytes_ = 0;
  return out;
}

template class PodArray<std::uint8_t>;
template class PodArray<std::uint32_t>;
template class PodArray<std::uint64_t>;
template class PodArray<Slot>;
template class PodArray<FilterBlock>;
template class PodArray<KeyAt>;
template PodArray<Slot> PodArray<KeyAt>::reuse_as<Slot>(std::size_t) &&;

void radix_sort(KeyAt* v, KeyAt* tmp, std::size_t n) {
  if (n < 2) return;
  std::uint64_t lo = UINT64_MAX, hi = 0;
  for (std::size_t i = 0; i < n; ++i) {
    lo = std::min(lo, v[i].key);
    hi = std::max(hi, v[i].key);
  }
  const std::uint64_t range = hi - lo;
  if (range == 0) return;
  const unsigned bits = 64 - static_cast<unsigned>(__builtin_clzll(range));
  const unsigned passes = (bits + 10) / 11;
  const unsigned width = (bits + passes - 1) / passes;  // <= 11
  const std::size_t buckets = std::size_t{1} << width;
  const std::uint64_t mask = buckets - 1;
  // All histograms in one read.
  std::vector<std::size_t> count(static_cast<std::size_t>(passes) * buckets, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t k = v[i].key - lo;
    for (unsigned p = 0; p < passes; ++p) ++count[p * buckets + ((k >> (p * width)) & mask)];
  }
  KeyAt* from = v;
  KeyAt* to = tmp;
  for (unsigned p = 0; p < passes; ++p) {
    std::size_t* c = count.data() + p * buckets;
    if (std::find(c, c + buckets, n) != c + buckets) continue;  // one digit value: nothing moves
    std::size_t sum = 0;
    for (std::size_t b = 0; b < buckets; ++b) {
      const std::size_t k = c[b];
      c[b] = sum;
      sum += k;
    }
    const unsigned shift = p * width;
    for (std::size_t i = 0; i < n; ++i) {
      const KeyAt e = from[i];
      to[c[((e.key - lo) >> shift) & mask]++] = e;
    }
    std::swap(from, to);
  }
  if (from != v) std::copy(from, from + n, v);
}

void Index::set_hash(const std::string& content_hash, const std::string& label) {
  hash = content_hash;
  version = label.empty() ? "sha256:" + content_hash.substr(0, 12) : label;
}

Index Index::from_table(Table& t, const std::function<void()>& done_reading) {
  Index x;
  x.kind = t.kind;
  x.hash_key = t.hash_key;
  x.hasher = t.hasher;
  x.merged = t.merged;
  x.distinct_keys = t.distinct_keys;
  x.scope_names = t.scope_names;
  x.details = t.details;

  // Scope sets, flattened.
  const auto star = std::lower_bound(x.scope_names.begin(), x.scope_names.end(), std::string("*"));
  const bool has_star = star != x.scope_names.end() && *star == "*";
  const std::uint32_t star_id = static_cast<std::uint32_t>(star - x.scope_names.begin());
  for (const auto& set : t.scopesets) {
    x.set_begin.push_back(static_cast<std::uint32_t>(x.set_ids.size()));
    x.set_ids.insert(x.set_ids.end(), set.begin(), set.end());
    x.set_all.push_back(has_star && std::find(set.begin(), set.end(), star_id) != set.end());
  }
  x.set_begin.push_back(static_cast<std::uint32_t>(x.set_ids.size()));

  // The sort's buckets: 2^bits buckets of the top fingerprint bits with 2^bits <= n / 32 (32 to 64 slots
  // per bucket on average); dir[b] is where bucket b begins in the slot array. Only the build uses them:
  // lookups find slots through the block filter.
  const std::size_t n = t.records.size();
  unsigned bits = 1;
  while ((std::size_t{1} << (bits + 1)) <= n / 32 && bits < 31) ++bits;
  const unsigned shift = 64 - bits;
  const std::size_t buckets = std::size_t{1} << bits;
  std::vector<std::uint32_t> dir(buckets + 1, 0u);

  const bool keyed = t.kind == KeyKind::hmac_sha256;
  auto fingerprint = [&](const Record& r) { return keyed ? r.k0 : mix(r.k0); };
  for (const Record& r : t.records) ++dir[static_cast<std::size_t>(fingerprint(r) >> shift) + 1];
  for (std::size_t b = 0; b < buckets; ++b) dir[b + 1] += dir[b];

  // Slots in fingerprint order, stable (the entries of one key stay in canonical order): a partition by the
  // top bits (8, or fewer for a small list: as many as the directory has) straight into the slot array, one
  // sequential stream per partition; then each partition (about 1 MiB at 10 M entries, cache-sized) is
  // copied out and scattered back into its directory buckets, which lie inside the partition's own range;
  // then an insertion sort of each small bucket.
  const unsigned part_bits = std::min(8u, bits);
  const unsigned part_shift = 64 - part_bits;
  const std::size_t parts = std::size_t{1} << part_bits;
  // A partition is a run of whole buckets: its bounds are directory offsets (no counting pass of its own).
  std::vector<std::size_t> part_start(parts + 1, 0);
  for (std::size_t p = 0; p <= parts; ++p) part_start[p] = dir[p << (bits - part_bits)];
  std::vector<std::size_t> part_fill(part_start.begin(), part_start.end() - 1);
  // Attributes (detail, scope set) interned: through a dense table when there are few details and scope
  // sets (the usual case: entries rarely share their neighbour's attributes once sorted by key), a hash map
  // otherwise.
  std::unordered_map<std::uint64_t, std::uint32_t> attr_ids;
  const std::size_t set_count = t.scopesets.size();
  const bool dense = set_count > 0 && x.details.size() <= (std::size_t{1} << 20) / set_count;
  std::vector<std::uint32_t> dense_ids(dense ? x.details.size() * set_count : 0, UINT32_MAX);
  auto attr_of = [&](const Record& r) -> std::uint32_t {
    std::uint32_t* known = nullptr;
    if (dense) {
      known = &dense_ids[static_cast<std::size_t>(r.detail) * set_count + r.scopeset];
      if (*known != UINT32_MAX) return *known;
    } else {
      const auto it = attr_ids.find(static_cast<std::uint64_t>(r.detail) << 32 | r.scopeset);
      if (it != attr_ids.end()) return it->second;
    }
    const auto id = static_cast<std::uint32_t>(x.attr_detail.size());
    x.attr_detail.push_back(r.detail);
    x.attr_set.push_back(r.scopeset);
    if (known) {
      *known = id;
    } else {
      attr_ids.emplace(static_cast<std::uint64_t>(r.detail) << 32 | r.scopeset, id);
    }
    return id;
  };
  // The slots go into the sort's scratch when the table kept it (32 bytes an entry, already touched: ~300 MB
  // of fresh pages spared at 10 M entries), else into fresh memory.
  x.slots = std::move(t.scratch).reuse_as<Slot>(n);
  for (const Record& r : t.records) {
    const std::uint64_t fp = fingerprint(r);
    Slot s;
    s.fp_hi = static_cast<std::uint32_t>(fp >> 32);
    s.fp_lo = static_cast<std::uint32_t>(fp);
    s.confirm = keyed ? digest_confirm(t.digests[r.digest]) : 0;
    s.attr = attr_of(r);
    s.listed = r.listed;
    s.from = r.from;
    s.until = r.until == kNoDate ? INT32_MAX : r.until;
    x.slots[part_fill[fp >> part_shift]++] = s;
  }
  if (x.attr_detail.size() > Slot::kContinues)  // attribute ids leave the top bit free for the flag
    throw std::length_error("blacklist: more than 2^31 distinct (source, reason, scopes) combinations");
  if (done_reading) done_reading();  // the records may go now (the caller may still be hashing them)
  // The scatter orders by 3 bits more than the bucket (sub-buckets of ~5 slots at 10 M entries), so the
  // insertion sort below finds each bucket sorted but for runs of a few slots (it was a fifth of this
  // function with ~38 unordered slots a bucket). The sub-bucket offsets are counted per partition.
  constexpr unsigned kExtra = 3;
  const unsigned sub_shift = shift - kExtra;
  const unsigned subs_bits = bits - part_bits + kExtra;  // sub-buckets per partition: 2^subs_bits
  const std::uint64_t sub_mask = (std::uint64_t{1} << subs_bits) - 1;
  std::vector<std::size_t> sub_fill(std::size_t{1} << subs_bits);
  std::vector<Slot> part;
  for (std::size_t p = 0; p < parts; ++p) {
    // This partition's slots go to its own buckets only (they share the top bits).
    part.assign(x.slots.data() + part_start[p], x.slots.data() + part_start[p + 1]);
    std::fill(sub_fill.begin(), sub_fill.end(), 0);
    for (const Slot& s : part) ++sub_fill[(s.fp() >> sub_shift) & sub_mask];
    std::size_t at = part_start[p];
    for (std::size_t& c : sub_fill) {
      const std::size_t k = c;
      c = at;
      at += k;
    }
    for (const Slot& s : part) x.slots[sub_fill[(s.fp() >> sub_shift) & sub_mask]++] = s;
  }
  std::vector<Slot>().swap(part);
  for (std::size_t b = 0; b < buckets; ++b) {
    if (dir[b + 1] - dir[b] < 2) continue;  // nothing to sort (and an empty list has no slot storage)
    Slot* begin = x.slots.data() + dir[b];
    Slot* end = x.slots.data() + dir[b + 1];
    for (Slot* i = begin + 1; i < end; ++i) {
      const Slot v = *i;
      Slot* j = i;
      while (j > begin && (j - 1)->fp() > v.fp()) {
        *j = *(j - 1);
        --j;
      }
      *j = v;
    }
  }

  // The block filter (and directory) in one sequential pass over the sorted slots, which also marks the
  // slots that continue a key's run.
  Slot* const slots = x.slots.data();
  x.filter.build(n, [&](std::size_t i) {
    const std::uint64_t fp = slots[i].fp();
    if (i > 0 && slots[i - 1].fp() == fp) slots[i].attr |= Slot::kContinues;
    return fp;
  });
  return x;
}

std::uint32_t Index::scope_id(std::string_view scope) const {
  scope = trim(scope);
  if (scope.empty() || scope == "*") return kAnyScope;
  const auto it = std::lower_bound(scope_names.begin(), scope_names.end(), scope,
                                   [](const std::string& a, std::string_view b) { return std::string_view(a) < b; });
  if (it == scope_names.end() || *it != scope) return kNoSuchScope;
  return static_cast<std::uint32_t>(it - scope_names.begin());
}

Entry Index::materialise(const Slot& s, const std::string* hashed_key) const {
  Entry e;
  e.key = kind == KeyKind::hmac_sha256 ? (hashed_key ? *hashed_key : std::string()) : decode_id(unmix(s.fp()));
  const std::uint32_t set = attr_set[s.attr_id()];
  for (std::uint32_t i = set_begin[set]; i < set_begin[set + 1]; ++i) e.scopes.push_back(scope_names[set_ids[i]]);
  const Detail& d = details[attr_detail[s.attr_id()]];
  e.source = d.source;
  e.reason_code = d.reason_code;
  e.reason_text = d.reason_text;
  e.listed_on = Date::from_days(s.listed);
  if (s.from != kNoDate) e.from = Date::from_days(s.from);
  if (s.until != INT32_MAX) e.until = Date::from_days(s.until);
  return e;
}

std::size_t Index::memory_bytes() const {
  std::size_t bytes = slots.bytes() + filter.bytes();
  for (const auto& s : scope_names) bytes += sizeof(s) + s.capacity();
  for (const auto& d : details)
    bytes += sizeof(d) + d.source.capacity() + d.reason_code.capacity() + d.reason_text.capacity();
  bytes += (set_begin.capacity() + set_ids.capacity() + attr_detail.capacity() + attr_set.capacity()) * 4 +
           set_all.capacity();
  return bytes;
}

}  // namespace eligo::blacklist::detail
