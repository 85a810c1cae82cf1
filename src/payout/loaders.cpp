// Loaders: files → Reconciliation, one row at a time. A bad row is a rejection with its line, field and
// reason (never the raw ID, card or name); only an unusable file is an error.
#include <sqlite3.h>

#include <cstring>
#include <fstream>

#include "eligo/identity.hpp"
#include "payout/row_reader.hpp"

namespace eligo::payout {
namespace {

using detail::RowReader;

// A short, masked echo of a bad value for the reason text.
std::string quoted(std::string_view v) {
  std::string s(v.substr(0, 40));
  return "\"" + s + (v.size() > 40 ? "…" : "") + "\"";
}

struct Loop {
  RowReader reader;
  LoadStats stats;
  std::uint64_t next_progress = 0;
};

// Runs `row` for each readable row; bad rows are rejected on `side`.
template <class OnRow>
bool each_row(const std::string& path, const SourceMapping& mapping, const std::vector<std::string>& fields,
              const std::vector<bool>& required, Side side, Reconciliation& rec, LoadStats* stats_out,
              std::string* error, const Progress& progress, const OnRow& row) {
  Loop loop;
  if (!loop.reader.open(path, mapping, fields, required, error)) return false;
  for (;;) {
    const RowReader::Next n = loop.reader.next();
    if (n == RowReader::Next::end) break;
    if (n == RowReader::Next::error) {
      *error = loop.reader.error();
      return false;
    }
    ++loop.stats.rows;
    if (n == RowReader::Next::bad_row) {
      rec.reject(side, loop.reader.line(), loop.reader.problem_field(), loop.reader.problem());
      ++loop.stats.rejected;
    } else if (row(loop.reader.values(), loop.reader.line())) {
      ++loop.stats.accepted;
    } else {
      ++loop.stats.rejected;
    }
    if (progress && (loop.stats.rows & 0xFFFF) == 0) progress(loop.reader.bytes_read(), loop.reader.size());
  }
  if (progress) progress(loop.reader.size(), loop.reader.size());
  if (stats_out) *stats_out = loop.stats;
  return true;
}

}  // namespace

bool load_orders(const std::string& path, const SourceMapping& mapping, Reconciliation& rec, LoadStats* stats,
                 std::string* error, const Progress& progress) {
  // order_no, policy, period, payee_id, payee_name, account, amount, created, community
  const std::vector<std::string> fields = {"order_no", "policy",  "period",  "payee_id", "payee_name",
                                           "account",  "amount",  "created", "community"};
  const std::vector<bool> required = {true, true, true, true, false, false, true, true, false};
  return each_row(path, mapping, fields, required, Side::orders, rec, stats, error, progress,
                  [&](const std::vector<std::string_view>& v, std::uint64_t line) {
                    Order o;
                    o.order_no = v[0];
                    o.policy = v[1];
                    o.period = v[2];
                    o.payee_id = v[3];
                    o.payee_name = v[4];
                    o.account = v[5];
                    o.community = v[8];
                    if (v[6].empty()) {
                      rec.reject(Side::orders, line, "amount", "missing");
                      return false;
                    }
                    const std::optional<Decimal> amount = parse_amount(v[6]);
                    if (!amount) {
                      rec.reject(Side::orders, line, "amount", "not an amount: " + quoted(v[6]));
                      return false;
                    }
                    o.amount = *amount;
                    if (v[7].empty()) {
                      rec.reject(Side::orders, line, "created", "missing");
                      return false;
                    }
                    const std::optional<Date> created = parse_date_prefix(v[7]);
                    if (!created) {
                      rec.reject(Side::orders, line, "created", "not a date (YYYY-MM-DD): " + quoted(v[7]));
                      return false;
                    }
                    o.created = *created;
                    return rec.add_order(o, line);
                  });
}

bool load_records(const std::string& path, const SourceMapping& mapping, Reconciliation& rec, LoadStats* stats,
                  std::string* error, const Progress& progress) {
  const std::vector<std::string> fields = {"serial_no", "order_no", "payee_id", "payee_id_hash", "account",
                                           "name",      "amount",   "status",   "value_date",    "failure_reason"};
  const std::vector<bool> required = {true, false, false, false, false, false, true, true, true, false};
  return each_row(path, mapping, fields, required, Side::bank, rec, stats, error, progress,
                  [&](const std::vector<std::string_view>& v, std::uint64_t line) {
                    BankRecord b;
                    b.serial_no = v[0];
                    b.order_no = v[1];
                    b.payee_id = v[2];
                    b.payee_id_hash = v[3];
                    b.account = v[4];
                    b.name = v[5];
                    b.failure_reason = v[9];
                    if (v[7].empty()) {
                      rec.reject(Side::bank, line, "status", "missing");
                      return false;
                    }
                    const std::optional<Status> status = parse_status(v[7], mapping);
                    if (!status) {
                      rec.reject(Side::bank, line, "status",
                                 "unknown status " + quoted(v[7]) + " (map it in the mapping's bank.status_values)");
                      return false;
                    }
                    b.status = *status;
                    if (v[6].empty()) {
                      rec.reject(Side::bank, line, "amount", "missing");
                      return false;
                    }
                    std::optional<Decimal> amount = parse_amount(v[6]);
                    if (!amount) {
                      rec.reject(Side::bank, line, "amount", "not an amount: " + quoted(v[6]));
                      return false;
                    }
                    // Some banks write returns (退票) as negative amounts: the money is the same.
                    if (amount->is_negative() && b.status == Status::returned) amount = amount->negated();
                    b.amount = *amount;
                    if (v[8].empty()) {
                      rec.reject(Side::bank, line, "value_date", "missing");
                      return false;
                    }
                    const std::optional<Date> date = parse_date_prefix(v[8]);
                    if (!date) {
                      rec.reject(Side::bank, line, "value_date", "not a date (YYYY-MM-DD): " + quoted(v[8]));
                      return false;
                    }
                    b.value_date = *date;
                    return rec.add_record(b, line);
                  });
}

bool load_registry(const std::string& path, const Mapping& mapping, Reconciliation& rec, LoadStats* stats,
                   std::string* error) {
  char magic[16] = {};
  {
    std::ifstream f(path, std::ios::binary);
    if (!f) {
      *error = path + ": cannot open the file";
      return false;
    }
    f.read(magic, sizeof magic);
  }
  if (std::memcmp(magic, "SQLite format 3", 16) != 0) {
    const std::vector<std::string> fields = {"payee_id", "community"};
    return each_row(path, mapping.registry, fields, {true, true}, Side::registry, rec, stats, error, {},
                    [&](const std::vector<std::string_view>& v, std::uint64_t line) {
                      return rec.add_registry_entry(v[0], v[1], line);
                    });
  }
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    *error = path + ": cannot open the SQLite database";
    sqlite3_close(db);
    return false;
  }
  const auto ident = [](const std::string& s) {
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  const std::string sql = "SELECT rowid, " + ident(mapping.registry.column("payee_id")) + ", " +
                          ident(mapping.registry.column("community")) + " FROM " + ident(mapping.registry_table);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    *error = path + ": " + sqlite3_errmsg(db) + " (the registry table is '" + mapping.registry_table +
             "' with columns '" + mapping.registry.column("payee_id") + "', '" +
             mapping.registry.column("community") + "')";
    sqlite3_close(db);
    return false;
  }
  LoadStats s;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    ++s.rows;
    const auto text = [&](int col) {
      const unsigned char* t = sqlite3_column_text(stmt, col);
      return t ? std::string_view(reinterpret_cast<const char*>(t), sqlite3_column_bytes(stmt, col))
               : std::string_view();
    };
    const auto rowid = static_cast<std::uint64_t>(sqlite3_column_int64(stmt, 0));
    if (rec.add_registry_entry(text(1), text(2), rowid)) {
      ++s.accepted;
    } else {
      ++s.rejected;
    }
  }
  const bool ok = rc == SQLITE_DONE;
  if (!ok) *error = path + ": " + sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  if (stats) *stats = s;
  return ok;
}

bool load_exclusions(const std::string& path, const SourceMapping& mapping, Reconciliation& rec, LoadStats* stats,
                     std::string* error) {
  const std::vector<std::string> fields = {"payee_id", "from", "policy", "reason"};
  return each_row(path, mapping, fields, {true, false, false, false}, Side::exclusions, rec, stats, error, {},
                  [&](const std::vector<std::string_view>& v, std::uint64_t line) {
                    Exclusion x;
                    x.payee_id = v[0];
                    x.policy = v[2];
                    x.reason = v[3];
                    if (!v[1].empty()) {
                      x.from = parse_date_prefix(v[1]);
                      if (!x.from) {
                        rec.reject(Side::exclusions, line, "from", "not a date (YYYY-MM-DD): " + quoted(v[1]));
                        return false;
                      }
                    }
                    return rec.add_exclusion(x, line);
                  });
}

}  // namespace eligo::payout
