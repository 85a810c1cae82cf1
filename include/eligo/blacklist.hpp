// eligo/blacklist.hpp — credit blacklists (诚信黑名单): scoped, dated entries at the scale of a city,
// checked from rules and APIs. Reference: docs/blacklist.md.
//
// Worked examples (nothing here throws; problems are values):
//
//   using namespace eligo::blacklist;
//   Builder builder;                                         // a list of ID numbers (not hashed)
//   Entry e;
//   e.key = "610104620927690";                               // any accepted form: 15 digits, x, full-width
//   e.scopes = {"school_admission", "points"};
//   e.reason_code = "SX01";  e.reason_text = "失信被执行人";  e.source = "市中级人民法院";
//   e.listed_on = *eligo::Date::parse("2024-03-01");
//   e.until = eligo::Date::parse("2026-02-28");              // from absent: effective from listed_on
//   builder.add(e);                                          // nullopt, or the Problem (field, why)
//   std::shared_ptr<const Snapshot> list = builder.build();  // sorted, duplicates merged, indexed
//
//   const Date day = *eligo::Date::parse("2024-05-01");
//   list->listed("610104196209276908", "points", day)       == true    // 18-digit form of the same person
//   list->listed("610104196209276908", "housing", day)      == false   // scope not blocked
//   list->listed("610104196209276908", "points", *eligo::Date::parse("2026-03-01")) == false  // expired
//   list->check("610104620927690", "points", day)           // → one Entry: key "610104196209276908", …
//   masked_key(list->check(...)[0].key)                     == "610104********6908"
//   list->hash()      // "9f2c…" SHA-256 of the canonical entries: cite it in decisions
//
//   Blacklist holder(list);                                  // what a portal keeps for its lifetime
//   holder.current()->listed(id, "points", day);             // readers: any thread, no lock held
//   holder.replace(new_list);                                // reload: atomic swap; readers see old or new
//
// Keyed lists (lists shared only as HMAC-SHA-256 of the normalised ID, eligo::identity::keyed_id_hash):
//
//   BuildOptions hashed;  hashed.hash_key = key;             // IDs are hashed on add; 64-hex keys kept
//   Builder b(hashed);  b.add(e);  auto h = b.build();
//   h->listed("610104620927690", "points", day) == true      // hashes the query with the same key
//   h->listed(identity::keyed_id_hash(key, "610104620927690"), "points", day) == true
//
// From files and the SQLite store (the embedded default store; schema in docs/blacklist.md):
//
//   std::string error;
//   std::unique_ptr<Store> store = Store::open("list.sqlite", &error);
//   ImportReport r = store->import_file("list.csv", ImportOptions{});   // r.rows == r.loaded + r.rejected + r.merged
//   for (const RowError& bad : r.errors) std::cerr << format(bad) << '\n';  // "row 12, id_number: …" masked
//   std::shared_ptr<const Snapshot> s = store->snapshot({}, &error);     // version() == store revision
//
// Defaults at a glance
//   | option                         | default                    | meaning                                      |
//   |--------------------------------|----------------------------|----------------------------------------------|
//   | BuildOptions::hash_key         | none                       | set: keys are HMAC-SHA-256 of the ID         |
//   | BuildOptions::hashed           | false                      | keys are HMACs though no key is held         |
//   | BuildOptions::version          | "sha256:" + 12 hex of hash | label decisions cite beside hash()           |
//   | Mapping columns                | the field names            | id_number, key_hash, scopes, reason_code, …  |
//   | Mapping::scope_separators      | ; | , 、 and whitespace     | split a scopes cell into scopes              |
//   | Mapping::open_ended            | 长期 永久                   | `until` cells meaning "no end"               |
//   | LoadOptions::format            | by extension (.jsonl/.json → JSON Lines, else CSV) |                      |
//   | LoadOptions::max_errors        | 1000                       | row errors kept (all are counted)            |
//   | ImportOptions::replace         | false                      | false: merge into the stored list            |
//
// Semantics (exact rules in docs/blacklist.md):
//   * An entry matches (key, scope, as_of) when its key equals the normalised key, its scopes contain
//     `scope` or "*", and effective_from() <= as_of <= until (both ends inclusive; absent until = open).
//     A query scope of "*" (or "") asks about every scope.
//   * Keys are normalised like identity::keyed_id_hash: trimmed, NFKC (full-width → ASCII), upper-case, a
//     15-digit legacy number converted to 18 digits. On add the ID must be valid (check_id, region check
//     none): a list holds no invalid numbers. A 64-character hex key is taken as an HMAC already made.
//   * Duplicates: entries with the same key, source, reason code, reason text, from and until are one
//     listing; they are merged into one entry whose scopes are the union and whose listed_on is the
//     earliest. The result does not depend on the order of the input.
//   * A Snapshot is immutable: every const member may be called from any number of threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eligo/date.hpp"

namespace eligo::blacklist {

namespace detail {
struct Table;
struct Index;
}  // namespace detail

// ─── Entries ────────────────────────────────────────────────────────────────────────────────────────────

enum class KeyKind : std::uint8_t {
  id_number,    // keys are normalised ID numbers (18 characters, or 15 for the old foreign form)
  hmac_sha256,  // keys are 64 lower-case hex characters: identity::keyed_id_hash(key, id)
};
const char* to_string(KeyKind kind);  // "id_number", "hmac_sha256"

struct Entry {
  std::string key;                  // the subject: an ID number (any accepted form on input, normalised on
                                    // output) or a 64-hex HMAC-SHA-256 of the normalised ID
  std::vector<std::string> scopes;  // services it blocks, e.g. "school_admission", "points"; "*" = all.
                                    // On output: sorted, unique, and exactly {"*"} when "*" is among them
  std::string reason_code;          // e.g. "SX01" (a reason code or a reason text is required)
  std::string reason_text;          // e.g. "失信被执行人", shown to the applicant
  std::string source;               // the department that listed the subject (required)
  Date listed_on;                   // day the subject was put on the list (required)
  std::optional<Date> from;         // first day in effect; absent: listed_on
  std::optional<Date> until;        // last day in effect (inclusive); absent: no end

  Date effective_from() const { return from.value_or(listed_on); }
  // from/until rule only (no key or scope): effective_from() <= as_of <= until.
  bool in_effect(Date as_of) const { return effective_from() <= as_of && (!until || as_of <= *until); }
};

// For display and logs: an ID number masked 6+4 ("610104********6908"); an HMAC key shortened to its
// first 12 hex characters and "…" (it is a pseudonym, not the number).
std::string masked_key(std::string_view key);

// An entry as the JSON object every surface shows (CLI --format json, C API, Python), the key masked:
// {"key", "scopes", "reason_code", "reason_text", "source", "listed_on", "from", "until" (null: no end)}.
std::string entry_json(const Entry& entry);

enum class Field : std::uint8_t { row, key, scopes, reason_code, reason_text, source, listed_on, from, until };
// "row", "id_number" (key), "scopes", "reason_code", "reason_text", "source", "listed_on", "from", "until".
const char* to_string(Field field);

// Why an entry was refused. `why` never holds a full ID number: only the masked form and the part at fault.
struct Problem {
  Field field = Field::row;
  std::string why;
};

// ─── Building a list ────────────────────────────────────────────────────────────────────────────────────

class Snapshot;

struct BuildOptions {
  // HMAC key. Set: IDs given to add() are stored as keyed_id_hash(hash_key, id), 64-hex keys are stored as
  // they are, and queries by ID are hashed with this key. Keep it secret: whoever holds it can test IDs.
  std::optional<std::string> hash_key;
  // Keys are HMACs although no key is held (a list received pre-hashed): add() accepts 64-hex keys only,
  // and the snapshot answers queries given as 64-hex keys only. Implied by hash_key.
  bool hashed = false;
  // The label decisions cite beside hash(). Empty: "sha256:" and the first 12 hex characters of the hash.
  std::string version;
};

// Collects entries, then builds an immutable Snapshot. Not thread-safe (one builder per thread).
class Builder {
 public:
  explicit Builder(BuildOptions options = {});
  ~Builder();
  Builder(Builder&&) noexcept;
  Builder& operator=(Builder&&) noexcept;

  // Validates and keeps the entry (copied, trimmed, key normalised and hashed when keyed). On a problem
  // the entry is not kept and the problem is returned.
  std::optional<Problem> add(const Entry& entry);
  std::size_t added() const;  // entries kept so far (before duplicates are merged)
  // Room for `n` more entries: spares regrowing (and copying) the records when the count is known.
  void reserve(std::size_t n);
  KeyKind key_kind() const;

  // Sorts, merges duplicates (see above), hashes and indexes. The builder is empty afterwards. A list of
  // 65,536 entries or more is hashed on a second thread (started and joined here) while it is indexed.
  std::shared_ptr<const Snapshot> build();

 private:
  friend class Store;
  BuildOptions options_;
  std::unique_ptr<detail::Table> table_;
};

// ─── Checking ───────────────────────────────────────────────────────────────────────────────────────────

struct SnapshotStats {
  std::size_t entries = 0;         // after merging
  std::size_t merged = 0;          // entries merged into another while building
  std::size_t memory_bytes = 0;    // resident size of the index and the entry records
  std::size_t distinct_keys = 0;   // subjects (an entry per listing; a subject may have several)
};

class Snapshot {
 public:
  ~Snapshot();

  // Every entry matching the subject, scope and day (see "Semantics" above), in canonical order
  // (docs/blacklist.md). `id_or_key`: an ID number in any accepted form, or a 64-hex HMAC key. An
  // input that is not an ID number matches nothing. On a keyed list the returned key is the 64-hex HMAC.
  std::vector<Entry> check(std::string_view id_or_key, std::string_view scope, Date as_of) const;
  // check(...) is non-empty. Allocation-free for ID lists and for 64-hex queries of keyed lists; an ID
  // query of a keyed list is hashed first (identity::IdHasher: one SHA-256 pass, and its hex string).
  bool listed(std::string_view id_or_key, std::string_view scope, Date as_of) const;
  // Many subjects at once, for one scope and day: out[i] = listed(ids[i], scope, as_of) for i < n. The
  // memory reads of consecutive queries overlap (a prefetching pipeline), so on a big list it answers
  // several times more queries per second than single calls: use it for batch evaluation.
  void listed(const std::string_view* ids, std::size_t n, std::string_view scope, Date as_of, bool* out) const;
  // The key this list would store for the input ("610104196209276908", or the 64-hex HMAC); nullopt when
  // the input is not an ID number (or cannot be hashed: a keyed list held without its key).
  std::optional<std::string> key_of(std::string_view id_or_key) const;

  const std::string& version() const;  // BuildOptions::version, or "sha256:" + 12 hex characters
  const std::string& hash() const;     // SHA-256 (64 hex) of the canonical entry lines (docs/blacklist.md)
  std::size_t size() const;            // entries after merging
  KeyKind key_kind() const;
  bool holds_hash_key() const;         // a keyed list that can hash ID queries
  const std::vector<std::string>& scopes() const;  // every scope named by an entry, sorted ("*" included)
  SnapshotStats stats() const;

  // Every entry in canonical order. ID lists only (a keyed list keeps 96 bits of each key in memory; the
  // full keys live in the store): empty for keyed lists. For tests, exports and audits, not hot paths.
  std::vector<Entry> entries() const;

  // A list with no entries (what a Blacklist holds before its first load).
  static std::shared_ptr<const Snapshot> empty();

 private:
  friend class Builder;
  Snapshot();
  std::unique_ptr<detail::Index> index_;
};

// The holder a portal keeps: readers take the current snapshot; a reload swaps in a new one atomically.
// Readers holding the old snapshot keep it alive until they drop it. All members are thread-safe.
class Blacklist {
 public:
  Blacklist();  // holds Snapshot::empty()
  explicit Blacklist(std::shared_ptr<const Snapshot> snapshot);
  std::shared_ptr<const Snapshot> current() const;
  // Swaps in `snapshot` (null: an empty list). Never blocks readers for longer than a pointer swap.
  void replace(std::shared_ptr<const Snapshot> snapshot);

 private:
  std::shared_ptr<const Snapshot> current_;  // accessed only through std::atomic_load / std::atomic_store
};

// ─── Reading files (CSV and JSON Lines) ─────────────────────────────────────────────────────────────────

// Which column (CSV header cell, or JSON Lines key) holds which field. A mapping file is a JSON object:
//   {"columns": {"id_number": "证件号码", "scopes": "限制范围", "listed_on": "列入日期"},
//    "defaults": {"source": "市信用办"}, "scope_separators": [";", "、"], "open_ended": ["长期"],
//    "format": "csv"}
// Fields not named in "columns" keep their default column name.
struct Mapping {
  std::string id_number = "id_number";      // column of raw ID numbers
  std::string key_hash = "key_hash";        // column of 64-hex HMAC keys (used when id_number is absent)
  std::string scopes = "scopes";            // one cell: scopes split by scope_separators
  std::string reason_code = "reason_code";
  std::string reason_text = "reason_text";
  std::string source = "source";
  std::string listed_on = "listed_on";      // dates: YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYYMMDD, YYYY年M月D日;
  std::string from = "from";                //   a trailing time ("2024-03-01 00:00:00") is ignored
  std::string until = "until";
  // Values used when a row's cell is empty or the file has no such column, by field name
  // ("scopes": "*", "source": "市信用办", …).
  std::map<std::string, std::string> defaults;
  // Separators inside a scopes cell (whitespace always separates too).
  std::vector<std::string> scope_separators = {";", "|", ",", "、"};
  // `until` cells that mean "no end" (an empty cell means it too).
  std::vector<std::string> open_ended = {"长期", "永久"};
  // From the mapping file's "format": "" (by extension), "csv" or "jsonl".
  std::string format;

  // Parses a mapping file's text. nullopt and *error (naming the bad key) when malformed.
  static std::optional<Mapping> from_json(std::string_view json, std::string* error);
};

enum class Format : std::uint8_t { detect, csv, jsonl };

struct LoadOptions {
  Mapping mapping;
  Format format = Format::detect;  // detect: the mapping's format, else ".jsonl"/".json"/".ndjson" → JSON
                                   // Lines, anything else CSV (UTF-8, optional BOM, RFC 4180 quoting)
  std::size_t max_errors = 1000;   // RowErrors kept in the report; every rejected row is counted
  // Called about every 64 K rows and at the end with bytes read and the file size (for a progress line).
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
};

// One refused row: its number (the line it starts on, 1-based, the CSV header being line 1), the field
// at fault and why (the ID masked).
struct RowError {
  std::size_t row = 0;
  Field field = Field::row;
  std::string why;
};
std::string format(const RowError& error);  // "row 12, id_number: check character is 1, expected X (…)"

struct LoadReport {
  std::string error;             // the file as a whole is unusable (cannot be read, no key column): rows 0
  std::size_t rows = 0;          // data rows read (rows == accepted + rejected)
  std::size_t accepted = 0;      // rows added to the builder
  std::size_t rejected = 0;      // rows refused (each counted; the first max_errors kept in `errors`)
  std::vector<RowError> errors;
  bool ok() const { return error.empty(); }
};

// Reads a CSV or JSON Lines file into `into`. Bad rows are reported and skipped; the rest are added.
LoadReport load_file(const std::string& path, Builder& into, const LoadOptions& options = {});
// The same over text in memory (`name` is used for format detection only).
LoadReport load_text(std::string_view text, const std::string& name, Builder& into, const LoadOptions& options = {});

// ─── The SQLite store ───────────────────────────────────────────────────────────────────────────────────

struct ImportOptions {
  LoadOptions load;
  // The key for a keyed store. Raw IDs in the file are hashed with it. The first import into a new store
  // with a key makes it keyed (the store keeps a check value of the key, never the key).
  std::optional<std::string> hash_key;
  // The file holds 64-hex keys (a list received hashed). Needed only for the first import into a new store
  // made without a key; a store that is keyed already takes 64-hex keys anyway.
  bool hashed = false;
  bool replace = false;  // true: the file becomes the whole list; false: merged into the stored entries
  std::string file_name; // recorded in the store's import log (default: the path given)
};

struct ImportReport {
  std::string error;            // nothing was imported (file unusable, wrong key, database error)
  std::size_t rows = 0;         // data rows in the file: rows == loaded + rejected + merged
  std::size_t loaded = 0;       // rows that became new entries
  std::size_t rejected = 0;     // rows refused (see errors)
  std::size_t merged = 0;       // rows merged into another entry (of the file or already stored)
  std::vector<RowError> errors; // the first LoadOptions::max_errors rejected rows
  std::size_t entries = 0;      // entries in the store afterwards
  std::int64_t revision = 0;    // the store's revision afterwards
  std::string hash;             // content hash of the stored list afterwards
  bool ok() const { return error.empty(); }
};

struct StoreStats {
  std::size_t entries = 0;
  KeyKind key_kind = KeyKind::id_number;
  bool keyed_with_check = false;   // a keyed store that can verify a key (it was made with one)
  std::int64_t revision = 0;       // bumped by each import
  std::string hash;                // content hash of the list (as Snapshot::hash())
  std::string last_import;         // "2026-11-22T10:15:00Z file.csv" or ""
  std::size_t distinct_keys = 0;
  std::vector<std::pair<std::string, std::size_t>> by_scope;   // entries naming each scope, by scope
  std::vector<std::pair<std::string, std::size_t>> by_source;  // entries per source, by source
  std::size_t in_effect_today = 0; // entries in effect on today's date (UTC+8)
  std::size_t expired = 0;         // entries whose until is before today
  std::size_t not_yet = 0;         // entries whose effective_from is after today
};

// A blacklist kept in an SQLite database file (schema in docs/blacklist.md). One Store per thread; the
// snapshots it makes are shared freely.
class Store {
 public:
  // Opens (creating the file and schema when missing). nullptr and *error when it cannot.
  static std::unique_ptr<Store> open(const std::string& path, std::string* error);
  ~Store();

  // Reads a file and stores its entries in one transaction (all or nothing).
  ImportReport import_file(const std::string& path, const ImportOptions& options);
  // Stores what a Builder holds (e.g. entries from another source), merged like import_file.
  ImportReport import_entries(Builder&& builder, const ImportOptions& options);

  // A snapshot of the stored list; version() is the revision as text. A keyed store needs hash_key to
  // answer ID queries (without it only 64-hex queries work); a wrong key is an error when the store can
  // check it. nullptr and *error on failure.
  std::shared_ptr<const Snapshot> snapshot(const std::optional<std::string>& hash_key, std::string* error) const;
  // A snapshot holding only the entries of one subject: reads a few rows, not the whole list (for one-off
  // checks such as `eligo blacklist check`). Its hash() is not the list's: cite stats().hash.
  std::shared_ptr<const Snapshot> snapshot_for(std::string_view id_or_key, const std::optional<std::string>& hash_key,
                                               std::string* error) const;
  // Counts over the whole list (scans it: seconds for millions of entries).
  StoreStats stats() const;
  KeyKind key_kind() const;
  std::int64_t revision() const;  // as of the last read or write through this Store
  std::string hash() const;       // content hash of the stored list (read from the store's meta table)
  const std::string& path() const;

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::string check_key(const std::optional<std::string>& hash_key) const;
  // Reads the store's meta, checks the key, and gives the options a snapshot of it is built with.
  std::optional<BuildOptions> snapshot_options(const std::optional<std::string>& hash_key, std::string* error) const;
  ImportReport commit(Builder& builder, std::size_t stored, std::size_t accepted, const std::string& file,
                      const ImportOptions& options, ImportReport& report);
  std::unique_ptr<Impl> impl_;
};

}  // namespace eligo::blacklist
