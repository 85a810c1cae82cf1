// The SQLite part of the one record reader: a table (or view) of a database file streamed row by row.
//
//   eligo::records::SqliteReader s;
//   std::string error;
//   if (!s.open("civil.sqlite", "certificates", &error)) { ... }   // names the file and the table
//   for (const auto& name : s.header()) ...                         // column names, in table order
//   std::vector<std::string> cells;
//   for (;;) {
//     auto next = s.next(&cells);
//     if (next == SqliteReader::Next::end) break;
//     if (next == SqliteReader::Next::error) { report(s.error()); break; }
//     if (next == SqliteReader::Next::bad_row) { report(s.row(), s.problem_column(), s.problem()); continue; }
//     use(s.row(), cells);
//   }
//
// What a cell's text is (the same text a CSV export of the table would hold, never through binary floating
// point where SQLite stored the exact value):
//   - TEXT: as stored (it must be UTF-8: other bytes make the row a bad row naming the column);
//   - INTEGER: its decimal digits ("120", "-5");
//   - REAL: the shortest decimal that reads back as the same double, without an exponent ("0.1", "3000",
//     "0.0000001"); infinities and NaN make the row a bad row;
//   - NULL: "" (a missing value, as an empty CSV cell);
//   - BLOB: the row is a bad row naming the column (a blob is no text and may be anything).
// Rows come in rowid order for ordinary tables (SELECT * ... ORDER BY rowid), in the view's order for views and
// WITHOUT ROWID tables (their primary key order). row() counts them from 1.
// The database is opened read-only; nothing is written, not even a journal. Memory stays flat in rows: one
// row at a time is stepped out of SQLite.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace eligo::records {

class SqliteReader {
 public:
  enum class Next : std::uint8_t { row, bad_row, end, error };

  SqliteReader();
  ~SqliteReader();
  SqliteReader(const SqliteReader&) = delete;
  SqliteReader& operator=(const SqliteReader&) = delete;

  // Opens `table` of the database at `path` ("" = the database's only table or view). false and *error
  // naming the file (and the table) when the file is missing or not a database, or the table is absent
  // (the error lists the tables there are).
  bool open(const std::string& path, const std::string& table, std::string* error);
  // The table's column names as SQLite gives them (not trimmed here; RecordReader trims and checks them).
  const std::vector<std::string>& header() const;
  // The table that was opened (the only one, when "" was asked for).
  const std::string& table() const;
  Next next(std::vector<std::string>* cells);

  std::uint64_t row() const;           // 1-based ordinal of the current row
  const std::string& problem() const;  // bad_row: why
  int problem_column() const;          // bad_row: the column at fault
  const std::string& error() const;    // error: why, naming the file and the table

  // Splits "db.sqlite:table" into the file and the table: the part before the first ':' that follows a
  // .sqlite, .sqlite3, .db or .db3 name. false when `spec` names no such file. "db.sqlite" alone gives an
  // empty table.
  static bool split(std::string_view spec, std::string* file, std::string* table);

  struct State;

 private:
  std::unique_ptr<State> s_;
};

}  // namespace eligo::records
