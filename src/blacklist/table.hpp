// The build-time form of a list: compact records with interned attributes. A Builder fills it; finish()
// sorts it into canonical order, merges duplicates and hashes it; then it becomes a Snapshot's Index, or is
// written to the SQLite store.
#pragma once

#include <climits>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "blacklist/key.hpp"
#include "blacklist/pod_array.hpp"
#include "eligo/blacklist.hpp"
#include "eligo/identity.hpp"

namespace eligo::blacklist::detail {

constexpr std::int32_t kNoDate = INT32_MIN;  // absent from / until in a Record (sorts first, like "")

struct Record {
  std::uint64_t k0 = 0;        // ID lists: the code; keyed lists: the first 8 bytes of the digest
  std::uint32_t detail = 0;    // index into Table::details
  std::uint32_t scopeset = 0;  // index into Table::scopesets
  std::int32_t listed = 0;     // days since 1970-01-01
  std::int32_t from = kNoDate;
  std::int32_t until = kNoDate;
  std::uint32_t digest = 0;    // keyed lists: index into Table::digests
};

// Source, reason code and reason text: what most entries share.
struct Detail {
  std::string source, reason_code, reason_text;
};

struct Table {
  KeyKind kind = KeyKind::id_number;
  std::optional<std::string> hash_key;
  std::shared_ptr<const identity::IdHasher> hasher;  // set with hash_key: the HMAC key schedule, made once

  std::vector<Record> records;
  std::vector<Digest> digests;                 // keyed lists
  std::vector<Detail> details;
  std::unordered_map<std::string, std::uint32_t> detail_ids;  // "source\treason_code\treason_text"
  std::vector<std::string> scope_names;        // "*" is a name too
  std::unordered_map<std::string, std::uint32_t> scope_ids;
  std::vector<std::vector<std::uint32_t>> scopesets;  // sorted scope ids; {id of "*"} alone when present
  std::map<std::vector<std::uint32_t>, std::uint32_t> scopeset_ids;

  // Set by finish():
  bool finished = false;
  std::size_t merged = 0;
  std::size_t distinct_keys = 0;
  std::string hash;
  PodArray<KeyAt> scratch;  // see sort_and_merge

  std::optional<Problem> add(const Entry& entry);
  // Canonical order (docs/blacklist.md), duplicates merged, hash computed. Scope ids and detail ids are
  // renumbered so that their order is the byte order of their text.
  void finish();
  // finish() in two steps: order and merge (sets merged, distinct_keys), then the content hash, which only
  // reads the merged records, digests, details and scope sets (so it can run beside Index::from_table).
  // keep_scratch: the sort's scratch (32 bytes an entry) is kept in `scratch` for the index's slots.
  void sort_and_merge(bool keep_scratch = false);
  std::string content_hash() const;
  // Frees the records and digests (once both the hash and the index have read them).
  void release_records() {
    std::vector<Record>().swap(records);
    std::vector<Digest>().swap(digests);
  }
  // Entries in canonical order (after finish()).
  void for_each(const std::function<void(const Entry&)>& f) const;
  // The ';'-joined scopes of a set ("*" alone).
  std::string scopes_text(std::uint32_t set) const;

  std::uint32_t intern_scopeset(std::vector<std::uint32_t> ids);

 private:
  std::optional<Problem> add_scopes(const std::vector<std::string>& scopes, std::uint32_t* set);
  // The scope lists and details of the last few distinct entries: files repeat the same few.
  static constexpr std::size_t kRecent = 8;
  std::vector<std::pair<std::vector<std::string>, std::uint32_t>> recent_scopes_;
  std::size_t recent_scope_next_ = 0;
  std::vector<std::uint32_t> recent_details_;
  std::size_t recent_next_ = 0;
  std::string scratch_;     // scope names
  std::string detail_key_;  // "source\treason_code\treason_text"
  std::vector<std::uint32_t> scratch_ids_;
};

}  // namespace eligo::blacklist::detail
