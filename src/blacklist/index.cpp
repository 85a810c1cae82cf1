// Turning a finished Table into the resident Index of a Snapshot: fingerprints, a counting sort into
// directory buckets, interned attributes.
#include "blacklist/index.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <unordered_map>

namespace eligo::blacklist::detail {

// Big arrays are mapped directly (2 MiB-aligned, advised for transparent huge pages before the first
// touch); small ones come from the heap.
constexpr std::size_t kHuge = std::size_t{2} << 20;

template <class T>
PodArray<T>::PodArray(std::size_t n) : size_(n), bytes_(n * sizeof(T)) {
  if (n == 0) return;
  if (bytes_ < kHuge) {
    data_ = static_cast<T*>(std::malloc(bytes_));
    if (data_ == nullptr) throw std::bad_alloc();
    return;
  }
  const std::size_t rounded = (bytes_ + kHuge - 1) / kHuge * kHuge;
  void* p = mmap(nullptr, rounded + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  // Trim to a 2 MiB-aligned range of `rounded` bytes.
  const auto base = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t aligned = (base + kHuge - 1) / kHuge * kHuge;
  if (aligned > base) munmap(p, aligned - base);
  const std::uintptr_t end = base + rounded + kHuge;
  if (end > aligned + rounded) munmap(reinterpret_cast<void*>(aligned + rounded), end - (aligned + rounded));
  data_ = reinterpret_cast<T*>(aligned);
#ifdef MADV_HUGEPAGE
  madvise(data_, rounded, MADV_HUGEPAGE);
#endif
}

template <class T>
void PodArray<T>::release() {
  if (data_ == nullptr) return;
  if (bytes_ < kHuge) {
    std::free(data_);
  } else {
    munmap(data_, (bytes_ + kHuge - 1) / kHuge * kHuge);
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

template class PodArray<std::uint32_t>;
template class PodArray<Slot>;

Index Index::from_table(Table&& t, const std::string& version) {
  Index x;
  x.kind = t.kind;
  x.hash_key = t.hash_key;
  x.hasher = t.hasher;
  x.hash = t.hash;
  x.version = version.empty() ? "sha256:" + t.hash.substr(0, 12) : version;
  x.merged = t.merged;
  x.distinct_keys = t.distinct_keys;
  x.scope_names = std::move(t.scope_names);
  x.details = std::move(t.details);

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

  // Directory: 2^bits buckets with 2^bits <= n / 32 (32 to 64 slots per bucket on average).
  const std::size_t n = t.records.size();
  unsigned bits = 1;
  while ((std::size_t{1} << (bits + 1)) <= n / 32 && bits < 31) ++bits;
  x.shift = 64 - bits;
  const std::size_t buckets = std::size_t{1} << bits;
  x.dir = PodArray<std::uint32_t>(buckets + 1);
  std::fill(x.dir.data(), x.dir.data() + buckets + 1, 0u);

  const bool keyed = t.kind == KeyKind::hmac_sha256;
  auto fingerprint = [&](const Record& r) { return keyed ? r.k0 : mix(r.k0); };
  for (const Record& r : t.records) ++x.dir[static_cast<std::size_t>(fingerprint(r) >> x.shift) + 1];
  for (std::size_t b = 0; b < buckets; ++b) x.dir[b + 1] += x.dir[b];
  std::vector<std::uint32_t> fill(x.dir.data(), x.dir.data() + buckets);

  // Slots in fingerprint order, stable (the entries of one key stay in canonical order): a partition by the
  // top 8 bits into 256 sequential streams, then within each partition (about 1 MiB, cache-sized) a
  // counting scatter into buckets, then an insertion sort of each small bucket.
  std::vector<Slot> staged(n);
  std::size_t part_start[257] = {};
  for (const Record& r : t.records) ++part_start[(fingerprint(r) >> 56) + 1];
  for (int p = 0; p < 256; ++p) part_start[p + 1] += part_start[p];
  std::size_t part_fill[256];
  std::copy(part_start, part_start + 256, part_fill);
  std::unordered_map<std::uint64_t, std::uint32_t> attr_ids;
  std::uint64_t last_attr_key = UINT64_MAX;
  std::uint32_t last_attr = 0;
  for (const Record& r : t.records) {
    const std::uint64_t fp = fingerprint(r);
    const std::uint64_t attr_key = static_cast<std::uint64_t>(r.detail) << 32 | r.scopeset;
    if (attr_key != last_attr_key) {
      auto [it, inserted] = attr_ids.emplace(attr_key, static_cast<std::uint32_t>(x.attr_detail.size()));
      if (inserted) {
        x.attr_detail.push_back(r.detail);
        x.attr_set.push_back(r.scopeset);
      }
      last_attr_key = attr_key;
      last_attr = it->second;
    }
    Slot s;
    s.fp_hi = static_cast<std::uint32_t>(fp >> 32);
    s.fp_lo = static_cast<std::uint32_t>(fp);
    s.confirm = keyed ? digest_confirm(t.digests[r.digest]) : 0;
    s.attr = last_attr;
    s.listed = r.listed;
    s.from = r.from;
    s.until = r.until == kNoDate ? INT32_MAX : r.until;
    staged[part_fill[fp >> 56]++] = s;
  }
  t.records.clear();
  t.records.shrink_to_fit();
  x.slots = PodArray<Slot>(n);
  for (std::size_t p = 0; p < 256; ++p) {
    // This partition's slots go to its own buckets only (they share the top 8 bits), a cache-sized region.
    for (std::size_t i = part_start[p]; i < part_start[p + 1]; ++i) {
      const std::size_t b = static_cast<std::size_t>(staged[i].fp() >> x.shift);
      x.slots[fill[b]++] = staged[i];
    }
  }
  for (std::size_t b = 0; b < buckets; ++b) {
    if (x.dir[b + 1] - x.dir[b] < 2) continue;  // nothing to sort (and an empty list has no slot storage)
    Slot* begin = x.slots.data() + x.dir[b];
    Slot* end = x.slots.data() + x.dir[b + 1];
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
  const std::uint32_t set = attr_set[s.attr];
  for (std::uint32_t i = set_begin[set]; i < set_begin[set + 1]; ++i) e.scopes.push_back(scope_names[set_ids[i]]);
  const Detail& d = details[attr_detail[s.attr]];
  e.source = d.source;
  e.reason_code = d.reason_code;
  e.reason_text = d.reason_text;
  e.listed_on = Date::from_days(s.listed);
  if (s.from != kNoDate) e.from = Date::from_days(s.from);
  if (s.until != INT32_MAX) e.until = Date::from_days(s.until);
  return e;
}

std::size_t Index::memory_bytes() const {
  std::size_t bytes = dir.bytes() + slots.bytes();
  for (const auto& s : scope_names) bytes += sizeof(s) + s.capacity();
  for (const auto& d : details)
    bytes += sizeof(d) + d.source.capacity() + d.reason_code.capacity() + d.reason_text.capacity();
  bytes += (set_begin.capacity() + set_ids.capacity() + attr_detail.capacity() + attr_set.capacity()) * 4 +
           set_all.capacity();
  return bytes;
}

}  // namespace eligo::blacklist::detail
