// Snapshot: lookups on the resident index. Every member is const and touches no mutable state.
#include <algorithm>
#include <tuple>

#include "blacklist/index.hpp"
#include "eligo/blacklist.hpp"
#include "eligo/identity.hpp"

namespace eligo::blacklist {
namespace {

// The fingerprint and confirmation a query names; false when it names nothing this list can hold.
// `hex` (optional) receives the 64-hex key of a keyed list.
bool resolve(const detail::Index& x, std::string_view query, std::uint64_t* fp, std::uint32_t* confirm,
             std::string* hex) {
  if (x.kind == KeyKind::id_number) {
    std::uint64_t code;
    if (!detail::query_code(query, &code)) return false;
    *fp = detail::mix(code);
    *confirm = 0;
    return true;
  }
  detail::Digest digest;
  if (!detail::parse_hex_key(query, &digest)) {
    if (!x.hash_key) return false;
    std::uint64_t code;  // only ID numbers are hashed: anything else cannot be on the list
    if (!detail::query_code(query, &code)) return false;
    if (!detail::parse_hex_key(x.hasher->hash(query), &digest)) return false;
  }
  *fp = detail::digest_prefix(digest);
  *confirm = detail::digest_confirm(digest);
  if (hex) *hex = detail::to_hex(digest.data(), digest.size());
  return true;
}

}  // namespace

Snapshot::Snapshot() = default;
Snapshot::~Snapshot() = default;

bool Snapshot::listed(std::string_view id_or_key, std::string_view scope, Date as_of) const {
  const detail::Index& x = *index_;
  std::uint64_t fp;
  std::uint32_t confirm;
  if (!resolve(x, id_or_key, &fp, &confirm, nullptr)) return false;
  if (x.filter.empty()) return false;
  const detail::FilterBlock& block = x.filter.block(x.filter.block_of(fp));
  if (!detail::BlockFilter::passes(block, fp)) return false;  // most outsiders: one line, often cached
  const detail::BlockFilter::Range r = x.filter.range(fp, block);
  const std::size_t end = r.hi;
  const std::size_t i = x.run_start(fp, r.lo, end, r.at);
  // Most subjects are not listed: decide that before resolving the scope name.
  if (i == end || x.slots[i].fp() != fp) return false;
  return x.any_match(fp, confirm, x.scope_id(scope), as_of.days(), i, end);
}

void Snapshot::listed(const std::string_view* ids, std::size_t n, std::string_view scope, Date as_of, bool* out) const {
  const detail::Index& x = *index_;
  if (x.filter.empty()) {
    std::fill(out, out + n, false);
    return;
  }
  const std::uint32_t sid = x.scope_id(scope);
  const std::int32_t day = as_of.days();
  // A software pipeline over groups of 32 queries: in each round, group g resolves its fingerprints and
  // starts loading their filter blocks (one line each), group g-1 asks its blocks and, for the few that
  // pass (members, and ~1 in 730 outsiders), starts loading the guessed slot (the search reads only that
  // one when it holds the fingerprint and begins its run, as for ~80 % of members), and group g-2 answers. Each memory latency is hidden behind a whole group's work instead of being
  // waited for, and outsiders never touch the slots.
  constexpr std::size_t kGroup = detail::kBatchGroup, kStages = 3;
  struct Query {
    std::uint64_t fp;
    std::uint32_t confirm;
    bool ok;  // resolved (then) and passed the filter
    std::size_t block;
    std::uint32_t begin, end, at;
  };
  Query ring[kStages][kGroup];
  const std::size_t groups = (n + kGroup - 1) / kGroup;
  auto size_of = [&](std::size_t g) { return std::min(kGroup, n - g * kGroup); };
  for (std::size_t round = 0; round < groups + kStages - 1; ++round) {
    if (round < groups) {
      Query* q = ring[round % kStages];
      const std::string_view* in = ids + round * kGroup;
      for (std::size_t k = 0, m = size_of(round); k < m; ++k) {
        q[k].ok = resolve(x, in[k], &q[k].fp, &q[k].confirm, nullptr);
        if (q[k].ok) {
          q[k].block = x.filter.block_of(q[k].fp);
          __builtin_prefetch(&x.filter.block(q[k].block));
        }
      }
    }
    if (round >= 1 && round - 1 < groups) {
      Query* q = ring[(round - 1) % kStages];
      for (std::size_t k = 0, m = size_of(round - 1); k < m; ++k) {
        if (!q[k].ok) continue;
        const detail::FilterBlock& block = x.filter.block(q[k].block);
        q[k].ok = detail::BlockFilter::passes(block, q[k].fp);
        if (!q[k].ok) continue;
        const detail::BlockFilter::Range r = x.filter.range(q[k].fp, block);
        q[k].begin = r.lo;
        q[k].end = r.hi;
        q[k].at = r.at;
        const char* guess = reinterpret_cast<const char*>(&x.slots[q[k].at]);
        __builtin_prefetch(guess);
        __builtin_prefetch(guess + sizeof(detail::Slot) - 1);  // the same line unless the slot straddles two
      }
    }
    if (round >= 2) {
      const std::size_t g = round - 2;
      const Query* q = ring[g % kStages];
      bool* answers = out + g * kGroup;
      for (std::size_t k = 0, m = size_of(g); k < m; ++k) {
        answers[k] = q[k].ok && x.any_match(q[k].fp, q[k].confirm, sid, day,
                                            x.run_start(q[k].fp, q[k].begin, q[k].end, q[k].at), q[k].end);
      }
    }
  }
}

std::vector<Entry> Snapshot::check(std::string_view id_or_key, std::string_view scope, Date as_of) const {
  std::vector<Entry> out;
  const detail::Index& x = *index_;
  std::uint64_t fp;
  std::uint32_t confirm;
  std::string hex;
  if (!resolve(x, id_or_key, &fp, &confirm, &hex)) return out;
  std::size_t i, e;
  x.find(fp, &i, &e);
  const std::uint32_t sid = x.scope_id(scope);
  for (; i < e; ++i) {
    const detail::Slot& s = x.slots[i];
    if (s.confirm == confirm && detail::Index::date_matches(s, as_of.days()) && x.scope_matches(s.attr_id(), sid))
      out.push_back(x.materialise(s, &hex));
  }
  return out;
}

std::optional<std::string> Snapshot::key_of(std::string_view id_or_key) const {
  const detail::Index& x = *index_;
  if (x.kind == KeyKind::id_number) {
    std::uint64_t code;
    if (!detail::query_code(id_or_key, &code)) return std::nullopt;
    return detail::decode_id(code);
  }
  std::uint64_t fp;
  std::uint32_t confirm;
  std::string hex;
  if (!resolve(x, id_or_key, &fp, &confirm, &hex)) return std::nullopt;
  return hex;
}

const std::string& Snapshot::version() const { return index_->version; }
const std::string& Snapshot::hash() const { return index_->hash; }
std::size_t Snapshot::size() const { return index_->slots.size(); }
KeyKind Snapshot::key_kind() const { return index_->kind; }
bool Snapshot::holds_hash_key() const { return index_->hash_key.has_value(); }
const std::vector<std::string>& Snapshot::scopes() const { return index_->scope_names; }

SnapshotStats Snapshot::stats() const {
  SnapshotStats s;
  s.entries = size();
  s.merged = index_->merged;
  s.memory_bytes = index_->memory_bytes();
  s.distinct_keys = index_->distinct_keys;
  return s;
}

std::vector<Entry> Snapshot::entries() const {
  std::vector<Entry> out;
  const detail::Index& x = *index_;
  if (x.kind != KeyKind::id_number) return out;
  out.reserve(size());
  for (std::size_t i = 0; i < x.slots.size(); ++i) out.push_back(x.materialise(x.slots[i], nullptr));
  auto order = [](const Entry& e) {
    return std::make_tuple(std::cref(e.key), std::cref(e.source), std::cref(e.reason_code), std::cref(e.reason_text),
                           e.from ? e.from->days() : INT32_MIN, e.until ? e.until->days() : INT32_MIN);
  };
  std::sort(out.begin(), out.end(), [&](const Entry& a, const Entry& b) { return order(a) < order(b); });
  return out;
}

std::shared_ptr<const Snapshot> Snapshot::empty() {
  static const std::shared_ptr<const Snapshot> kEmpty = Builder().build();
  return kEmpty;
}

}  // namespace eligo::blacklist
