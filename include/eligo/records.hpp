// eligo/records.hpp — the one reader for record files: CSV, JSON Lines and JSON arrays, xlsx sheets and SQLite
// tables, streamed.
//
//   eligo::records::RecordReader r;
//   std::string error;
//   if (!r.open("residents.csv", {}, &error)) { std::cerr << error; return 2; }   // names the file
//   for (;;) {
//     auto next = r.next();
//     if (next == eligo::records::Next::end) break;
//     if (next == eligo::records::Next::error) { std::cerr << r.error(); return 2; }  // the file is unusable
//     if (next == eligo::records::Next::bad_row) { report(r.line(), r.problem()); continue; }   // counted
//     if (r.tabular()) use(r.header(), r.cells());   // CSV, xlsx, SQLite: cells aligned with the header
//     else use(r.json());                             // JSON Lines, JSON array: one value's text
//   }
//
// Every surface that reads files (eligo eval and batch, the blacklist and payout loaders, pack tables,
// Python) reads them here, so the rules are the same everywhere:
//   - UTF-8 (a byte-order mark is skipped) or any ICU encoding by name (GB18030, GBK). In a UTF-8 file, a
//     row holding bytes that are not UTF-8 is a bad row (the column named), a header holding them stops
//     the file with the byte offset; in another encoding, bytes not valid in it stop the file with the
//     offset. The bytes themselves are never quoted (they may be an ID number).
//   - CSV (RFC 4180): a header row; quoted cells may hold delimiters, doubled quotes and newlines; CRLF or
//     LF. Two columns with the same name (after trimming spaces) are an error naming both. A row with more
//     or fewer cells than the header, or a quote left open at the end, is a bad row: counted, the next row
//     is read. Blank lines are skipped and counted.
//   - JSON Lines: one value per line; blank lines skipped and counted; each line is its own row whatever
//     happens to the others (a malformed line is for the caller's parser to report with its line number).
//   - JSON: one array of values (each element a row) or one value (one row), streamed element by element.
//   - SQLite: "db.sqlite:table" (a .sqlite, .sqlite3, .db or .db3 file, then the table or view); the file alone
//     reads its only table. Opened read-only. The column names are the header (trimmed; two that are the
//     same after trimming are refused as in CSV); INTEGER and REAL cells are their exact decimal text, NULL
//     is an empty cell, TEXT as stored; a BLOB (or text that is not UTF-8) makes the row a bad row naming
//     the column. line() is the row's ordinal (rowid order for tables). A missing table, a file that is not
//     a database: the open fails naming the file and the table (src/records/sqlite_reader.hpp).
//   - Memory stays flat in the number of rows: the file is read in chunks of about 1 MiB (SQLite: one row
//     at a time).
// Options and their defaults:
//   ReadOptions::format     detect      by extension: .csv/.tsv → csv, .jsonl/.ndjson → jsonl, .json → json,
//                                       .xlsx → xlsx, .sqlite/.sqlite3/.db/.db3 (with ":table") → sqlite;
//                                       anything else (and stdin "-") → jsonl
//   ReadOptions::encoding   "utf-8"     or "gb18030", "gbk", any ICU converter name
//   ReadOptions::delimiter  ','         CSV only ('\t' for .tsv when detected)
//   ReadOptions::sheet      ""          xlsx: the sheet by name (default the first)
//   ReadOptions::table      ""          SQLite: the table, when the path does not name it ("db.sqlite:t")
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eligo::records {

enum class Format : std::uint8_t { detect, csv, jsonl, json, xlsx, sqlite };
const char* format_name(Format f);
// "csv", "jsonl", "json", "xlsx", "sqlite" (and "auto"); nullopt for anything else.
std::optional<Format> parse_format(std::string_view name);
// The format a path's extension names (detect rules above).
Format detect_format(std::string_view path);

struct ReadOptions {
  Format format = Format::detect;
  std::string encoding = "utf-8";
  char delimiter = 0;         // 0: ',' (or '\t' for a .tsv file)
  std::string sheet;          // xlsx
  std::string table;          // SQLite, when the path is the database file alone (else the ":table" in it)
};

enum class Next : std::uint8_t {
  row,      // a record: cells() (tabular) or json()
  bad_row,  // a row that cannot be read (problem()); counted; next() goes on with the following row
  end,      // no more rows
  error,    // the file is unusable from here on (error()); rows already handed out stand
};

class RecordReader {
 public:
  RecordReader();
  ~RecordReader();
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;

  // Opens a file ("-" is standard input). For tabular formats the header is read here: a missing header or
  // a duplicate column name fails the open. false and *error (naming the file) when unusable.
  bool open(const std::string& path, const ReadOptions& options, std::string* error);
  // Reads from text already in memory; `name` names it in messages and, with Format::detect, gives the format.
  bool open_text(std::string text, const std::string& name, const ReadOptions& options, std::string* error);

  Next next();

  Format format() const { return format_; }
  bool tabular() const { return format_ == Format::csv || format_ == Format::xlsx || format_ == Format::sqlite; }
  const std::string& name() const { return name_; }
  // Tabular: the column names (trimmed), and the cells of the current row in header order (trimmed).
  const std::vector<std::string>& header() const { return header_; }
  const std::vector<std::string_view>& cells() const { return cells_; }
  // JSON Lines / JSON: the text of the current row's value.
  std::string_view json() const { return json_; }

  std::uint64_t line() const { return row_line_; }        // where the current row starts (1-based; xlsx: the
                                                          // sheet row; SQLite: the row's ordinal)
  std::uint64_t row_number() const { return rows_; }      // rows (good and bad) handed out so far
  std::uint64_t blank_lines() const { return blank_; }
  const std::string& problem() const { return problem_; }  // bad_row: why
  int problem_column() const { return problem_column_; }   // bad_row: the column at fault, or -1
  const std::string& error() const { return error_; }      // error: why, naming the file
  std::uint64_t bytes_read() const;                        // of the input, for progress
  std::uint64_t size() const;                              // of the input file (0 when unknown)

  // The position of a column by name, or -1.
  int column(std::string_view name) const;

  class Source;  // where the bytes come from (a file, memory, a workbook); see src/records/

 private:
  bool start(const std::string& name, const ReadOptions& options, std::string* error);
  bool fill();
  Next next_csv();
  Next next_jsonl();
  Next next_json();
  Next next_xlsx();
  Next next_sqlite();
  bool check_header(std::string* error);
  bool read_header(std::string* error);
  enum class Parse { ok, need_more, blank };
  Parse parse_csv(std::size_t* pos, std::uint64_t* newlines, bool* unclosed);

  std::unique_ptr<Source> source_;
  Format format_ = Format::jsonl;
  std::string name_;
  char delimiter_ = ',';
  std::string buf_;
  std::size_t pos_ = 0;
  std::uint64_t consumed_ = 0;  // bytes of UTF-8 text dropped from the front of buf_
  bool eof_ = false;
  std::uint64_t line_ = 1;
  std::uint64_t row_line_ = 0;
  std::uint64_t rows_ = 0;
  std::uint64_t blank_ = 0;
  std::vector<std::string> header_;
  std::vector<std::string_view> cells_;
  std::deque<std::string> unescaped_;
  std::string_view json_;
  int json_state_ = 0;  // JSON: 0 before the value, 1 in an array, 3 after an element, 4 after ',', 2 done
  int problem_column_ = -1;
  std::string problem_, error_;
};

// A JSON object's top-level members as cells, for loaders that read JSON Lines rows by column name (payout,
// blacklist): for each wanted name, its scalar's text (strings unescaped; numbers exactly as written;
// true/false), "" for null or absent, or the raw JSON text of an array or object (kind says which).
// false and *problem ("not valid JSON at column 17", "not a JSON object") when the row cannot be read;
// the message never quotes the row's text.
enum class CellKind : std::uint8_t { absent, null, scalar, string, nested };
struct JsonCells {
  std::vector<std::string> text;
  std::vector<CellKind> kind;
};
bool json_object_cells(std::string_view json, const std::vector<std::string>& names, JsonCells* out,
                       std::string* problem);

// Checks that `text` is well-formed UTF-8 (no overlong forms, no surrogates).
bool valid_utf8(std::string_view text);

}  // namespace eligo::records
