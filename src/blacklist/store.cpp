// Store: the blacklist kept in an SQLite database file. Schema (version 1) in docs/blacklist.md.
#include <sqlite3.h>

#include <ctime>
#include <map>

#include "blacklist/key.hpp"
#include "blacklist/table.hpp"
#include "core/utc_clock.hpp"
#include "eligo/blacklist.hpp"
#include "eligo/identity.hpp"

namespace eligo::blacklist {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entries (
  key             TEXT NOT NULL,  -- normalised ID number, or 64 lower-case hex HMAC-SHA-256
  source          TEXT NOT NULL,
  reason_code     TEXT NOT NULL,
  reason_text     TEXT NOT NULL,
  effective_from  TEXT NOT NULL,  -- YYYY-MM-DD, '' = from listed_on
  effective_until TEXT NOT NULL,  -- YYYY-MM-DD (inclusive), '' = no end
  listed_on       TEXT NOT NULL,  -- YYYY-MM-DD
  scopes          TEXT NOT NULL,  -- sorted, ';'-joined; '*' = every scope
  PRIMARY KEY (key, source, reason_code, reason_text, effective_from, effective_until)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS imports (
  revision INTEGER PRIMARY KEY,
  at       TEXT NOT NULL,         -- UTC, YYYY-MM-DDTHH:MM:SSZ
  file     TEXT NOT NULL,
  rows     INTEGER NOT NULL,
  loaded   INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  merged   INTEGER NOT NULL,
  entries  INTEGER NOT NULL,
  hash     TEXT NOT NULL
);
INSERT OR IGNORE INTO meta VALUES ('schema', '1'), ('key_kind', ''), ('key_check', ''), ('revision', '0'),
  ('hash', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'), ('entries', '0');
)sql";

std::string key_check_of(const std::string& key) {
  return identity::keyed_id_hash(key, "eligo-blacklist-key-check").substr(0, 16);
}

// A prepared statement, finalised on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { ok_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) == SQLITE_OK; }
  ~Statement() { sqlite3_finalize(s_); }
  bool ok() const { return ok_; }
  sqlite3_stmt* get() { return s_; }
  bool step_row() { return sqlite3_step(s_) == SQLITE_ROW; }
  std::string_view text(int col) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, col))) : std::string_view();
  }
  std::int64_t integer(int col) { return sqlite3_column_int64(s_, col); }
  void bind(int i, std::string_view v) { sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT); }
  void bind(int i, std::int64_t v) { sqlite3_bind_int64(s_, i, v); }

 private:
  sqlite3_stmt* s_ = nullptr;
  bool ok_ = false;
};

std::optional<Date> stored_date(std::string_view s) {
  if (s.empty()) return std::nullopt;
  return Date::parse(s);
}

}  // namespace

struct Store::Impl {
  sqlite3* db = nullptr;
  std::string path;
  KeyKind kind = KeyKind::id_number;
  bool kind_decided = false;
  std::string key_check;
  std::int64_t revision = 0;
  std::string hash;
  std::size_t entries = 0;

  ~Impl() { sqlite3_close(db); }

  std::string error() const { return path + ": " + sqlite3_errmsg(db); }
  bool exec(const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

  std::string meta(const char* name) {
    Statement s(db, "SELECT value FROM meta WHERE name = ?");
    s.bind(1, std::string_view(name));
    return s.ok() && s.step_row() ? std::string(s.text(0)) : std::string();
  }
  bool set_meta(const char* name, const std::string& value) {
    Statement s(db, "INSERT OR REPLACE INTO meta VALUES (?, ?)");
    s.bind(1, std::string_view(name));
    s.bind(2, value);
    return s.ok() && sqlite3_step(s.get()) == SQLITE_DONE;
  }
  void read_meta() {
    const std::string k = meta("key_kind");
    kind_decided = !k.empty();
    kind = k == "hmac_sha256" ? KeyKind::hmac_sha256 : KeyKind::id_number;
    key_check = meta("key_check");
    revision = std::stoll("0" + meta("revision"));
    hash = meta("hash");
    entries = static_cast<std::size_t>(std::stoull("0" + meta("entries")));
  }

  // Adds every stored entry (or those of one key) to `b`. "" or why not.
  std::string read_entries(Builder& b, std::size_t* count, const std::string* only_key = nullptr);
};

std::string Store::Impl::read_entries(Builder& b, std::size_t* count, const std::string* only_key) {
  Statement s(db, only_key ? "SELECT key, source, reason_code, reason_text, effective_from, effective_until, listed_on, "
                             "scopes FROM entries WHERE key = ?"
                           : "SELECT key, source, reason_code, reason_text, effective_from, effective_until, listed_on, "
                             "scopes FROM entries");
  if (!s.ok()) return error();
  if (only_key) s.bind(1, *only_key);
  Entry e;
  std::size_t row = 0;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    ++row;
    e.key.assign(s.text(0));
    e.source.assign(s.text(1));
    e.reason_code.assign(s.text(2));
    e.reason_text.assign(s.text(3));
    e.from = stored_date(s.text(4));
    e.until = stored_date(s.text(5));
    const auto listed = Date::parse(s.text(6));
    e.scopes.clear();
    const std::string_view scopes = s.text(7);
    for (std::size_t i = 0; i <= scopes.size();) {
      std::size_t j = scopes.find(';', i);
      if (j == std::string_view::npos) j = scopes.size();
      e.scopes.emplace_back(scopes.substr(i, j - i));
      i = j + 1;
    }
    std::optional<Problem> p;
    if (!listed || (!s.text(4).empty() && !e.from) || (!s.text(5).empty() && !e.until)) {
      p = Problem{Field::listed_on, "a stored date is not YYYY-MM-DD"};
    } else {
      e.listed_on = *listed;
      p = b.add(e);
    }
    if (p) return path + ": stored entry " + std::to_string(row) + " is invalid: " + to_string(p->field) + ": " + p->why;
  }
  if (rc != SQLITE_DONE) return error();
  *count = row;
  return "";
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;
const std::string& Store::path() const { return impl_->path; }
KeyKind Store::key_kind() const { return impl_->kind; }
std::int64_t Store::revision() const {
  impl_->read_meta();
  return impl_->revision;
}
std::string Store::hash() const {
  impl_->read_meta();
  return impl_->hash;
}

std::unique_ptr<Store> Store::open(const std::string& path, std::string* error) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  if (sqlite3_open_v2(path.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    *error = impl->db ? impl->error() : path + ": cannot open";
    return nullptr;
  }
  sqlite3_busy_timeout(impl->db, 10000);
  if (!impl->exec("BEGIN IMMEDIATE") || !impl->exec(kSchema) || !impl->exec("COMMIT")) {
    *error = impl->error();
    return nullptr;
  }
  if (impl->meta("schema") != "1") {
    *error = path + ": blacklist schema version '" + impl->meta("schema") + "' is not the one this eligo reads (1)";
    return nullptr;
  }
  impl->read_meta();
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

ImportReport Store::import_file(const std::string& path, const ImportOptions& options) {
  ImportReport report;
  Impl& s = *impl_;
  s.read_meta();
  BuildOptions build;
  build.hash_key = options.hash_key;
  build.hashed = s.kind_decided ? s.kind == KeyKind::hmac_sha256 : options.hash_key || options.hashed;
  if (auto err = check_key(options.hash_key); !err.empty()) {
    report.error = err;
    return report;
  }
  if (s.kind_decided && s.kind == KeyKind::id_number && options.hashed) {
    report.error = s.path + ": this store holds ID numbers, not hashed keys";
    return report;
  }
  Builder builder(build);
  // Stored entries first (the file's rows merge into them), then the file.
  std::size_t stored = 0;
  if (!options.replace && s.kind_decided) {
    report.error = s.read_entries(builder, &stored);
    if (!report.ok()) return report;
  }
  LoadReport load = load_file(path, builder, options.load);
  if (!load.ok()) {
    report.error = load.error;
    return report;
  }
  report.rows = load.rows;
  report.rejected = load.rejected;
  report.errors = std::move(load.errors);
  return commit(builder, stored, load.accepted, options.file_name.empty() ? path : options.file_name, options, report);
}

ImportReport Store::import_entries(Builder&& builder, const ImportOptions& options) {
  ImportReport report;
  Impl& s = *impl_;
  s.read_meta();
  if (s.kind_decided && builder.key_kind() != s.kind) {
    report.error = s.path + ": the entries are keyed by " + to_string(builder.key_kind()) + ", the store by " + to_string(s.kind);
    return report;
  }
  if (auto err = check_key(options.hash_key); !err.empty()) {
    report.error = err;
    return report;
  }
  const std::size_t accepted = builder.added();
  std::size_t stored = 0;
  if (!options.replace && s.kind_decided) {
    report.error = s.read_entries(builder, &stored);
    if (!report.ok()) return report;
  }
  report.rows = accepted;
  return commit(builder, stored, accepted, options.file_name.empty() ? "(entries)" : options.file_name, options, report);
}

std::string Store::check_key(const std::optional<std::string>& hash_key) const {
  const Impl& s = *impl_;
  if (!s.kind_decided) return "";
  if (s.kind == KeyKind::id_number && hash_key)
    return s.path + ": this store holds ID numbers, not hashed keys: use it without a hash key";
  if (s.kind == KeyKind::hmac_sha256 && hash_key && !s.key_check.empty() && key_check_of(*hash_key) != s.key_check)
    return s.path + ": the hash key is not the one this store was made with";
  return "";
}

ImportReport Store::commit(Builder& builder, std::size_t stored, std::size_t accepted, const std::string& file,
                           const ImportOptions& options, ImportReport& report) {
  Impl& s = *impl_;
  detail::Table& t = *builder.table_;
  t.finish();
  const std::size_t n = t.records.size();
  report.merged = stored + accepted > n ? std::min(accepted, stored + accepted - n) : 0;
  report.loaded = accepted - report.merged;

  if (!s.exec("BEGIN IMMEDIATE")) {
    report.error = s.error();
    return report;
  }
  bool ok = s.exec("DELETE FROM entries");
  {
    Statement insert(s.db, "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    ok = ok && insert.ok();
    if (ok) {
      t.for_each([&](const Entry& e) {
        if (!ok) return;
        insert.bind(1, e.key);
        insert.bind(2, e.source);
        insert.bind(3, e.reason_code);
        insert.bind(4, e.reason_text);
        insert.bind(5, e.from ? e.from->to_string() : std::string());
        insert.bind(6, e.until ? e.until->to_string() : std::string());
        insert.bind(7, e.listed_on.to_string());
        std::string scopes;
        for (const auto& sc : e.scopes) scopes += (scopes.empty() ? "" : ";") + sc;
        insert.bind(8, scopes);
        ok = sqlite3_step(insert.get()) == SQLITE_DONE;
        sqlite3_reset(insert.get());
      });
    }
  }
  const std::int64_t revision = s.revision + 1;
  ok = ok && s.set_meta("key_kind", to_string(t.kind)) && s.set_meta("revision", std::to_string(revision)) &&
       s.set_meta("hash", t.hash) && s.set_meta("entries", std::to_string(n));
  if (ok && t.kind == KeyKind::hmac_sha256 && options.hash_key && s.key_check.empty())
    ok = s.set_meta("key_check", key_check_of(*options.hash_key));
  if (ok) {
    Statement log(s.db, "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ok = log.ok();
    if (ok) {
      log.bind(1, revision);
      log.bind(2, eligo::detail::utc_now_text());
      log.bind(3, file);
      log.bind(4, static_cast<std::int64_t>(report.rows));
      log.bind(5, static_cast<std::int64_t>(report.loaded));
      log.bind(6, static_cast<std::int64_t>(report.rejected));
      log.bind(7, static_cast<std::int64_t>(report.merged));
      log.bind(8, static_cast<std::int64_t>(n));
      log.bind(9, t.hash);
      ok = sqlite3_step(log.get()) == SQLITE_DONE;
    }
  }
  if (!ok || !s.exec("COMMIT")) {
    report.error = s.error();
    s.exec("ROLLBACK");
    return report;
  }
  s.read_meta();
  report.entries = n;
  report.revision = revision;
  report.hash = t.hash;
  return report;
}

std::optional<BuildOptions> Store::snapshot_options(const std::optional<std::string>& hash_key,
                                                    std::string* error) const {
  Impl& s = *impl_;
  s.read_meta();
  if (auto err = check_key(hash_key); !err.empty()) {
    *error = err;
    return std::nullopt;
  }
  BuildOptions build;
  build.version = std::to_string(s.revision);
  if (s.kind == KeyKind::hmac_sha256) {
    build.hash_key = hash_key;
    build.hashed = true;
  }
  return build;
}

std::shared_ptr<const Snapshot> Store::snapshot(const std::optional<std::string>& hash_key, std::string* error) const {
  Impl& s = *impl_;
  const std::optional<BuildOptions> options = snapshot_options(hash_key, error);
  if (!options) return nullptr;
  const BuildOptions& build = *options;
  Builder builder(build);
  std::size_t count = 0;
  if (!s.exec("BEGIN")) {
    *error = s.error();
    return nullptr;
  }
  *error = s.read_entries(builder, &count);
  s.exec("COMMIT");
  if (!error->empty()) return nullptr;
  return builder.build();
}

std::shared_ptr<const Snapshot> Store::snapshot_for(std::string_view id_or_key,
                                                    const std::optional<std::string>& hash_key, std::string* error) const {
  Impl& s = *impl_;
  const std::optional<BuildOptions> options = snapshot_options(hash_key, error);
  if (!options) return nullptr;
  const BuildOptions& build = *options;
  Builder builder(build);
  const std::optional<std::string> key = Builder(build).build()->key_of(id_or_key);
  std::size_t count = 0;
  if (key) {
    *error = s.read_entries(builder, &count, &*key);
    if (!error->empty()) return nullptr;
  }
  return builder.build();
}

StoreStats Store::stats() const {
  Impl& s = *impl_;
  s.read_meta();
  StoreStats st;
  st.entries = s.entries;
  st.key_kind = s.kind;
  st.keyed_with_check = s.kind == KeyKind::hmac_sha256 && !s.key_check.empty();
  st.revision = s.revision;
  st.hash = s.hash;
  {
    Statement q(s.db, "SELECT at, file FROM imports ORDER BY revision DESC LIMIT 1");
    if (q.ok() && q.step_row()) st.last_import = std::string(q.text(0)) + " " + std::string(q.text(1));
  }
  {
    Statement q(s.db, "SELECT count(DISTINCT key) FROM entries");
    if (q.ok() && q.step_row()) st.distinct_keys = static_cast<std::size_t>(q.integer(0));
  }
  {
    Statement q(s.db, "SELECT source, count(*) FROM entries GROUP BY source ORDER BY source");
    while (q.ok() && q.step_row()) st.by_source.emplace_back(std::string(q.text(0)), static_cast<std::size_t>(q.integer(1)));
  }
  {
    std::map<std::string, std::size_t> by_scope;
    Statement q(s.db, "SELECT scopes, count(*) FROM entries GROUP BY scopes");
    while (q.ok() && q.step_row()) {
      const std::string_view scopes = q.text(0);
      for (std::size_t i = 0; i <= scopes.size();) {
        std::size_t j = scopes.find(';', i);
        if (j == std::string_view::npos) j = scopes.size();
        by_scope[std::string(scopes.substr(i, j - i))] += static_cast<std::size_t>(q.integer(1));
        i = j + 1;
      }
    }
    st.by_scope.assign(by_scope.begin(), by_scope.end());
  }
  {
    Statement q(s.db,
                "SELECT"
                " sum(CASE WHEN (CASE effective_from WHEN '' THEN listed_on ELSE effective_from END) <= ?1"
                "           AND (effective_until = '' OR effective_until >= ?1) THEN 1 ELSE 0 END),"
                " sum(CASE WHEN effective_until <> '' AND effective_until < ?1 THEN 1 ELSE 0 END),"
                " sum(CASE WHEN (CASE effective_from WHEN '' THEN listed_on ELSE effective_from END) > ?1 THEN 1 ELSE 0 END)"
                " FROM entries");
    q.bind(1, identity::today_in_china().to_string());
    if (q.ok() && q.step_row()) {
      st.in_effect_today = static_cast<std::size_t>(q.integer(0));
      st.expired = static_cast<std::size_t>(q.integer(1));
      st.not_yet = static_cast<std::size_t>(q.integer(2));
    }
  }
  return st;
}

}  // namespace eligo::blacklist
