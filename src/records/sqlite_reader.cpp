// SqliteReader: one table of a SQLite database, stepped row by row (src/records/sqlite_reader.hpp).
#include "records/sqlite_reader.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <charconv>
#include <cmath>

#include "core/ascii.hpp"
#include "eligo/records.hpp"

namespace eligo::records {

struct SqliteReader::State {
  sqlite3* db = nullptr;
  sqlite3_stmt* stmt = nullptr;
  std::string path, table;
  std::vector<std::string> header;
  std::uint64_t row = 0;
  int problem_column = -1;
  std::string problem, error;
  bool done = false;

  ~State() {
    sqlite3_finalize(stmt);
    sqlite3_close(db);
  }
  std::string where() const { return path + ": table '" + table + "'"; }
};

namespace {

using ::eligo::detail::ascii_iends_with;
using ::eligo::detail::ascii_iequals;  // SQLite compares names ASCII-case-insensitively

bool database_name(std::string_view s) {
  return ascii_iends_with(s, ".sqlite") || ascii_iends_with(s, ".sqlite3") || ascii_iends_with(s, ".db") ||
         ascii_iends_with(s, ".db3");
}

std::string quoted_identifier(std::string_view name) {
  std::string q = "\"";
  for (char c : name) {
    q += c;
    if (c == '"') q += '"';
  }
  return q + "\"";
}

}  // namespace

SqliteReader::SqliteReader() : s_(std::make_unique<State>()) {}
SqliteReader::~SqliteReader() = default;

const std::vector<std::string>& SqliteReader::header() const { return s_->header; }
const std::string& SqliteReader::table() const { return s_->table; }
std::uint64_t SqliteReader::row() const { return s_->row; }
const std::string& SqliteReader::problem() const { return s_->problem; }
int SqliteReader::problem_column() const { return s_->problem_column; }
const std::string& SqliteReader::error() const { return s_->error; }

bool SqliteReader::split(std::string_view spec, std::string* file, std::string* table) {
  for (std::size_t colon = spec.find(':'); colon != std::string_view::npos; colon = spec.find(':', colon + 1))
    if (database_name(spec.substr(0, colon))) {
      file->assign(spec.substr(0, colon));
      table->assign(spec.substr(colon + 1));
      return true;
    }
  if (!database_name(spec)) return false;
  file->assign(spec);
  table->clear();
  return true;
}

bool SqliteReader::open(const std::string& path, const std::string& table, std::string* error) {
  s_ = std::make_unique<State>();
  State& s = *s_;
  s.path = path;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    *error = path + ": cannot open: no such file";
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    *error = path + ": cannot open: not a regular file";
    return false;
  }
  if (sqlite3_open_v2(path.c_str(), &s.db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    *error = path + ": cannot open as a SQLite database: " + (s.db ? sqlite3_errmsg(s.db) : "out of memory");
    return false;
  }
  sqlite3_busy_timeout(s.db, 5000);  // a writer holding the lock for a moment is waited for, not an error

  // The tables and views there are: to find the one asked for (names are case-insensitive in SQLite) and to
  // list them when it is absent.
  sqlite3_stmt* list = nullptr;
  if (sqlite3_prepare_v2(s.db,
                         "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') "
                         "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                         -1, &list, nullptr) != SQLITE_OK) {
    const int code = sqlite3_errcode(s.db);
    *error = path + (code == SQLITE_NOTADB ? ": not a SQLite database" : ": cannot read the database: ") +
             (code == SQLITE_NOTADB ? std::string() : std::string(sqlite3_errmsg(s.db)));
    return false;
  }
  std::vector<std::pair<std::string, std::string>> tables;
  int rc;
  while ((rc = sqlite3_step(list)) == SQLITE_ROW)
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(list, 0)),
                        reinterpret_cast<const char*>(sqlite3_column_text(list, 1)));
  sqlite3_finalize(list);
  if (rc != SQLITE_DONE) {
    *error = path + ": cannot read the database: " + sqlite3_errmsg(s.db);
    return false;
  }
  std::string names;
  for (const auto& t : tables) names += (names.empty() ? "'" : ", '") + t.first + "'";
  const std::pair<std::string, std::string>* found = nullptr;
  if (table.empty()) {
    if (tables.size() != 1) {
      *error = path + (tables.empty() ? ": the database holds no table"
                                      : ": name the table to read (" + path + ":TABLE); the database holds " + names);
      return false;
    }
    found = &tables[0];
  } else {
    for (const auto& t : tables)
      if (ascii_iequals(t.first, table)) found = &t;
    if (!found) {
      *error = path + ": no table or view named '" + table + "'" +
               (tables.empty() ? std::string("; the database holds no table") : "; the database holds " + names);
      return false;
    }
  }
  s.table = found->first;

  // Ordinary tables in rowid order (stable from run to run); views and WITHOUT ROWID tables have no rowid.
  const std::string select = "SELECT * FROM " + quoted_identifier(s.table);
  if (found->second != "table" ||
      sqlite3_prepare_v2(s.db, (select + " ORDER BY rowid").c_str(), -1, &s.stmt, nullptr) != SQLITE_OK) {
    sqlite3_finalize(s.stmt);
    s.stmt = nullptr;
    if (sqlite3_prepare_v2(s.db, select.c_str(), -1, &s.stmt, nullptr) != SQLITE_OK) {
      *error = s.where() + ": cannot be read: " + sqlite3_errmsg(s.db);
      return false;
    }
  }
  const int n = sqlite3_column_count(s.stmt);
  for (int c = 0; c < n; ++c) {
    const char* name = sqlite3_column_name(s.stmt, c);
    s.header.emplace_back(name ? name : "");
  }
  return true;
}

SqliteReader::Next SqliteReader::next(std::vector<std::string>* cells) {
  State& s = *s_;
  s.problem.clear();
  s.problem_column = -1;
  if (s.done || !s.stmt) return Next::end;
  const int rc = sqlite3_step(s.stmt);
  if (rc == SQLITE_DONE) {
    s.done = true;
    return Next::end;
  }
  if (rc != SQLITE_ROW) {
    s.done = true;
    s.error = s.where() + ": after row " + std::to_string(s.row) + ": " + sqlite3_errmsg(s.db);
    return Next::error;
  }
  ++s.row;
  const int n = static_cast<int>(s.header.size());
  cells->resize(s.header.size());
  Next result = Next::row;
  for (int c = 0; c < n; ++c) {
    std::string& cell = (*cells)[static_cast<std::size_t>(c)];
    cell.clear();
    switch (sqlite3_column_type(s.stmt, c)) {
      case SQLITE_NULL: break;
      case SQLITE_INTEGER: cell = std::to_string(sqlite3_column_int64(s.stmt, c)); break;
      case SQLITE_FLOAT: {
        const double v = sqlite3_column_double(s.stmt, c);
        if (!std::isfinite(v)) {
          if (result == Next::row) {
            s.problem_column = c;
            s.problem = "holds a number that is not finite";
            result = Next::bad_row;
          }
          break;
        }
        char buf[1100];  // the longest shortest fixed form of a double (a subnormal) is ~770 characters
        const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
        cell.assign(buf, r.ptr);
        break;
      }
      case SQLITE_TEXT: {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s.stmt, c));
        cell.assign(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(s.stmt, c)));
        if (result == Next::row && !valid_utf8(cell)) {
          s.problem_column = c;
          s.problem = "not valid UTF-8";
          result = Next::bad_row;
        }
        break;
      }
      default:  // SQLITE_BLOB
        if (result == Next::row) {
          s.problem_column = c;
          const int bytes = sqlite3_column_bytes(s.stmt, c);
          s.problem = "holds a blob (" + std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes") +
                      "), not text or a number";
          result = Next::bad_row;
        }
        break;
    }
  }
  return result;
}

}  // namespace eligo::records
