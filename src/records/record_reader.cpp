// RecordReader: CSV (RFC 4180), JSON Lines and JSON arrays, streamed in chunks so memory does not grow
// with the file; xlsx sheets and SQLite tables through their readers. The one reader every surface uses
// (include/eligo/records.hpp).
#include <algorithm>
#include <cstring>

#include <sys/stat.h>

#include "core/ascii.hpp"
#include "eligo/records.hpp"
#include "records/csv_scan.hpp"
#include "records/json_cursor.hpp"
#include "records/sqlite_reader.hpp"
#include "records/text_reader.hpp"
#include "records/xlsx_reader.hpp"

namespace eligo::records {

class RecordReader::Source {
 public:
  detail::TextReader text;
  std::unique_ptr<XlsxReader> xlsx;      // a workbook's sheet: rows of cells, no text stream
  std::unique_ptr<SqliteReader> sqlite;  // a database's table: rows of cells, no text stream
  std::vector<std::string> row;          // the current xlsx or SQLite row's cells (cells_ views them)
  std::vector<unsigned char> cell_high;  // CSV: whether each of cells_ has a byte that is not ASCII
};

namespace {

constexpr std::size_t kMaxRow = std::size_t{16} << 20;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool ends_with(std::string_view s, std::string_view suffix) { return ::eligo::detail::ascii_iends_with(s, suffix); }

std::string column_letter(std::size_t index) {  // 0 → A, 26 → AA: how spreadsheets name columns
  std::string s;
  for (std::size_t n = index + 1; n > 0; n = (n - 1) / 26) s.insert(s.begin(), static_cast<char>('A' + (n - 1) % 26));
  return s;
}

}  // namespace

const char* format_name(Format f) {
  switch (f) {
    case Format::detect: return "auto";
    case Format::csv: return "csv";
    case Format::jsonl: return "jsonl";
    case Format::json: return "json";
    case Format::xlsx: return "xlsx";
    case Format::sqlite: return "sqlite";
  }
  return "?";
}

std::optional<Format> parse_format(std::string_view name) {
  if (name == "auto" || name.empty()) return Format::detect;
  if (name == "csv" || name == "tsv") return Format::csv;
  if (name == "jsonl" || name == "ndjson") return Format::jsonl;
  if (name == "json") return Format::json;
  if (name == "xlsx") return Format::xlsx;
  if (name == "sqlite") return Format::sqlite;
  return std::nullopt;
}

Format detect_format(std::string_view path) {
  if (ends_with(path, ".csv") || ends_with(path, ".tsv") || ends_with(path, ".txt")) return Format::csv;
  if (ends_with(path, ".json")) return Format::json;
  if (ends_with(path, ".xlsx")) return Format::xlsx;
  std::string file, table;
  if (SqliteReader::split(path, &file, &table)) return Format::sqlite;
  return Format::jsonl;
}

bool valid_utf8(std::string_view text) {
  return detail::utf8_valid_prefix(text.data(), text.size(), false, nullptr) == text.size();
}

RecordReader::RecordReader() = default;
RecordReader::~RecordReader() = default;

std::uint64_t RecordReader::bytes_read() const {
  return source_ && !source_->xlsx && !source_->sqlite ? source_->text.bytes_read() : 0;
}
std::uint64_t RecordReader::size() const { return source_ && !source_->xlsx && !source_->sqlite ? source_->text.size() : 0; }

int RecordReader::column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return static_cast<int>(i);
  return -1;
}

bool RecordReader::open(const std::string& path, const ReadOptions& options, std::string* error) {
  source_ = std::make_unique<Source>();
  const Format f = options.format == Format::detect ? detect_format(path == "-" ? std::string_view() : path) : options.format;
  if (f == Format::xlsx) {
    source_->xlsx = std::make_unique<XlsxReader>();
    name_ = path;
    format_ = Format::xlsx;
    rows_ = blank_ = 0;
    header_.clear();
    error_.clear();
    if (!source_->xlsx->open(path, error) || !source_->xlsx->select(options.sheet, error)) return false;
    if (!source_->xlsx->read_header(&header_, error)) {
      if (error->empty()) *error = path + ": the sheet is empty (it needs a header row)";
      return false;
    }
    return true;
  }
  if (f == Format::sqlite) {
    // "db.sqlite:table"; with --input-format sqlite any file name, the table after its last ':' (or
    // ReadOptions::table).
    std::string file, table;
    if (!SqliteReader::split(path, &file, &table)) {
      file = path;
      const std::size_t colon = path.rfind(':');
      struct stat st {};
      if (colon != std::string::npos && ::stat(path.c_str(), &st) != 0) {
        file = path.substr(0, colon);
        table = path.substr(colon + 1);
      }
    }
    if (table.empty()) table = options.table;
    source_->sqlite = std::make_unique<SqliteReader>();
    format_ = Format::sqlite;
    rows_ = blank_ = 0;
    header_.clear();
    error_.clear();
    if (!source_->sqlite->open(file, table, error)) return false;
    name_ = file + ":" + source_->sqlite->table();
    for (const auto& h : source_->sqlite->header()) header_.push_back(std::string(trim(h)));
    return check_header(error);
  }
  if (!source_->text.open(path, options.encoding, error)) return false;
  source_->text.set_check_utf8(false);
  return start(path == "-" ? "<stdin>" : path, options, error);
}

bool RecordReader::open_text(std::string text, const std::string& name, const ReadOptions& options, std::string* error) {
  source_ = std::make_unique<Source>();
  if (!source_->text.open_text(std::move(text), name, options.encoding, error)) return false;
  source_->text.set_check_utf8(false);
  return start(name, options, error);
}

bool RecordReader::start(const std::string& name, const ReadOptions& options, std::string* error) {
  name_ = name;
  format_ = options.format == Format::detect ? detect_format(name) : options.format;
  delimiter_ = options.delimiter ? options.delimiter : (ends_with(name, ".tsv") ? '\t' : ',');
  buf_.clear();
  pos_ = 0;
  consumed_ = 0;
  eof_ = false;
  line_ = 1;
  row_line_ = 0;
  rows_ = 0;
  blank_ = 0;
  json_state_ = 0;
  header_.clear();
  error_.clear();
  problem_.clear();
  if (format_ == Format::xlsx) {
    *error = name + ": an xlsx workbook is read from its file, not from text";
    return false;
  }
  if (format_ == Format::csv) return read_header(error);
  return true;
}

bool RecordReader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    consumed_ += pos_;
    pos_ = 0;
  }
  if (buf_.size() > kMaxRow) {
    error_ = name_ + ": line " + std::to_string(line_) + ": a row longer than 16 MiB (an unclosed quote?)";
    return false;
  }
  if (!source_->text.read(&buf_)) {
    if (!source_->text.error().empty()) {
      error_ = source_->text.error();
      return false;
    }
    eof_ = true;
    return false;
  }
  return true;
}

bool RecordReader::read_header(std::string* error) {
  for (;;) {
    std::size_t p = pos_;
    std::uint64_t newlines = 0;
    bool unclosed = false;
    const Parse r = parse_csv(&p, &newlines, &unclosed);
    if (r == Parse::need_more) {
      if (!fill() && !error_.empty()) {
        *error = error_;
        return false;
      }
      continue;
    }
    if (r == Parse::blank && p == pos_) {
      *error = name_ + ": the file is empty (a CSV file needs a header row)";
      return false;
    }
    pos_ = p;
    line_ += newlines;
    if (r == Parse::blank) {
      ++blank_;
      continue;
    }
    if (unclosed) {
      *error = name_ + ": line " + std::to_string(line_ - newlines) + ": the header row has a quote that is not closed";
      return false;
    }
    break;
  }
  header_.clear();
  for (std::size_t c = 0; c < cells_.size(); ++c) {
    const std::string name(trim(cells_[c]));
    if (!valid_utf8(name)) {
      const std::uint64_t offset = consumed_ + (source_->text.bom_skipped() ? 3 : 0) +
                                   detail::utf8_valid_prefix(buf_.data(), buf_.size(), true, nullptr);
      *error = name_ + ": the header row is not valid UTF-8 (bytes at byte offset " + std::to_string(offset) +
               "); if the file is GB18030 or GBK, give its encoding";
      return false;
    }
    if (name.empty()) {
      *error = name_ + ": line " + std::to_string(line_ - 1) + ": column " + std::to_string(c + 1) + " (" +
               column_letter(c) + ") of the header has no name";
      return false;
    }
    for (std::size_t k = 0; k < header_.size(); ++k)
      if (header_[k] == name) {
        *error = name_ + ": the header names '" + name + "' twice: columns " + std::to_string(k + 1) + " (" +
                 column_letter(k) + ") and " + std::to_string(c + 1) + " (" + column_letter(c) +
                 "); which one holds the value is ambiguous";
        return false;
      }
    header_.push_back(name);
  }
  return true;
}

RecordReader::Parse RecordReader::parse_csv(std::size_t* pos, std::uint64_t* newlines, bool* unclosed) {
  cells_.clear();
  unescaped_.clear();
  std::vector<unsigned char>& high = source_->cell_high;
  high.clear();
  std::size_t i = *pos;
  const char* b = buf_.data();
  const std::size_t n = buf_.size();
  if (i >= n) return eof_ ? Parse::blank : Parse::need_more;
  // The searches (records/csv_scan.hpp) go 16 bytes at a time and note whether a cell has a byte that is not
  // ASCII: only those cells are checked for UTF-8 (next_csv).
  for (;;) {
    bool cell_high = false;
    if (i < n && b[i] == '"') {
      // Quoted field: up to the closing quote; doubled quotes are one quote.
      std::size_t j = i + 1;
      bool doubled = false;
      for (;;) {
        j = detail::find_quote(b, j, n, newlines, &cell_high);
        if (j >= n) {
          if (!eof_) return Parse::need_more;
          *unclosed = true;
          break;
        }
        if (j + 1 >= n && !eof_) return Parse::need_more;
        if (j + 1 < n && b[j + 1] == '"') {
          doubled = true;
          j += 2;
          continue;
        }
        break;
      }
      std::string_view inner(b + i + 1, (j < n ? j : n) - i - 1);
      if (doubled) {
        std::string v;
        v.reserve(inner.size());
        for (std::size_t k = 0; k < inner.size(); ++k) {
          v += inner[k];
          if (inner[k] == '"' && k + 1 < inner.size() && inner[k + 1] == '"') ++k;
        }
        unescaped_.push_back(std::move(v));
        inner = unescaped_.back();
      }
      i = j < n ? j + 1 : n;
      // Text between the closing quote and the delimiter is kept, as spreadsheets do.
      const std::size_t k = detail::find_cell_end(b, i, n, delimiter_, &cell_high);
      if (k >= n && !eof_) return Parse::need_more;
      if (k > i) {
        unescaped_.push_back(std::string(inner) + std::string(b + i, k - i));
        inner = unescaped_.back();
      }
      i = k;
      cells_.push_back(inner);
    } else {
      const std::size_t k = detail::find_cell_end(b, i, n, delimiter_, &cell_high);
      if (k >= n && !eof_) return Parse::need_more;
      cells_.push_back(trim(std::string_view(b + i, k - i)));
      i = k;
    }
    high.push_back(cell_high);
    if (i < n && b[i] == delimiter_) {
      ++i;
      continue;
    }
    // End of the row: "\r\n", "\n", a lone "\r", or the end of the file.
    if (i < n && b[i] == '\r') {
      if (i + 1 >= n && !eof_) return Parse::need_more;
      ++i;
      if (i < n && b[i] == '\n') ++i;
    } else if (i < n && b[i] == '\n') {
      ++i;
    }
    ++*newlines;
    break;
  }
  *pos = i;
  if (cells_.size() == 1 && trim(cells_[0]).empty()) return Parse::blank;
  return Parse::ok;
}

Next RecordReader::next() {
  problem_.clear();
  problem_column_ = -1;
  json_ = std::string_view();
  switch (format_) {
    case Format::csv: return next_csv();
    case Format::json: return next_json();
    case Format::xlsx: return next_xlsx();
    case Format::sqlite: return next_sqlite();
    default: return next_jsonl();
  }
}

Next RecordReader::next_xlsx() {
  XlsxReader& x = *source_->xlsx;
  for (;;) {
    const XlsxReader::Next n = x.next(&source_->row);
    if (n == XlsxReader::Next::end) return Next::end;
    if (n == XlsxReader::Next::error) {
      error_ = x.error();
      return Next::error;
    }
    row_line_ = x.row();
    if (n == XlsxReader::Next::bad_row) {
      ++rows_;
      problem_ = x.problem();
      return Next::bad_row;
    }
    auto& cells = source_->row;
    const bool blank = std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return trim(c).empty(); });
    if (blank) {
      ++blank_;
      continue;
    }
    ++rows_;
    // Trailing cells left empty are absent from the file: a shorter row is padded, a longer one is a bad row
    // unless what lies beyond the header is empty.
    if (cells.size() > header_.size()) {
      for (std::size_t c = header_.size(); c < cells.size(); ++c)
        if (!trim(cells[c]).empty()) {
          problem_ = "cell " + XlsxReader::column_name(static_cast<int>(c)) + std::to_string(row_line_) +
                     " holds a value beyond the header's " + std::to_string(header_.size()) + " columns";
          return Next::bad_row;
        }
    }
    cells.resize(header_.size());
    cells_.clear();
    for (const auto& c : cells) cells_.push_back(trim(c));
    return Next::row;
  }
}

// A table's column names as the header: SQLite keeps "a" and "a " apart, and neither may be empty, but read
// as a header they are the same column, as in a CSV file.
bool RecordReader::check_header(std::string* error) {
  for (std::size_t c = 0; c < header_.size(); ++c) {
    if (header_[c].empty()) {
      *error = name_ + ": column " + std::to_string(c + 1) + " has no name";
      return false;
    }
    for (std::size_t k = 0; k < c; ++k)
      if (header_[k] == header_[c]) {
        *error = name_ + ": the table names '" + header_[c] + "' twice: columns " + std::to_string(k + 1) + " and " +
                 std::to_string(c + 1) + "; which one holds the value is ambiguous";
        return false;
      }
  }
  return true;
}

Next RecordReader::next_sqlite() {
  SqliteReader& s = *source_->sqlite;
  const SqliteReader::Next n = s.next(&source_->row);
  if (n == SqliteReader::Next::end) return Next::end;
  if (n == SqliteReader::Next::error) {
    error_ = s.error();
    return Next::error;
  }
  row_line_ = s.row();
  ++rows_;
  if (n == SqliteReader::Next::bad_row) {
    problem_ = s.problem();
    problem_column_ = s.problem_column();
    return Next::bad_row;
  }
  cells_.clear();
  for (const auto& c : source_->row) cells_.push_back(trim(c));
  return Next::row;
}

Next RecordReader::next_csv() {
  for (;;) {
    std::size_t p = pos_;
    std::uint64_t newlines = 0;
    bool unclosed = false;
    const Parse r = parse_csv(&p, &newlines, &unclosed);
    if (r == Parse::need_more) {
      if (!fill() && !error_.empty()) return Next::error;
      continue;
    }
    if (r == Parse::blank && p == pos_) return Next::end;  // nothing left
    row_line_ = line_;
    pos_ = p;
    line_ += newlines;
    if (r == Parse::blank) {
      ++blank_;
      continue;
    }
    ++rows_;
    if (unclosed) {
      problem_ = "a quoted cell is not closed before the end of the file";
      return Next::bad_row;
    }
    if (cells_.size() != header_.size()) {
      problem_ = "has " + std::to_string(cells_.size()) + " fields, the header has " + std::to_string(header_.size());
      return Next::bad_row;
    }
    const std::vector<unsigned char>& high = source_->cell_high;
    for (std::size_t c = 0; c < cells_.size(); ++c)
      if (high[c] && !valid_utf8(cells_[c])) {  // a cell of ASCII bytes is valid UTF-8
        problem_column_ = static_cast<int>(c);
        problem_ = "not valid UTF-8 (if the file is GB18030 or GBK, give its encoding)";
        return Next::bad_row;
      }
    return Next::row;
  }
}

Next RecordReader::next_jsonl() {
  for (;;) {
    std::size_t nl = buf_.find('\n', pos_);
    if (nl == std::string::npos) {
      if (!eof_) {
        if (buf_.size() - pos_ > kMaxRow) {
          error_ = name_ + ": line " + std::to_string(line_) + " is longer than 16 MiB";
          return Next::error;
        }
        if (!fill() && !error_.empty()) return Next::error;
        continue;
      }
      if (pos_ >= buf_.size()) return Next::end;
      nl = buf_.size();
    }
    std::string_view line(buf_.data() + pos_, nl - pos_);
    pos_ = nl < buf_.size() ? nl + 1 : nl;
    row_line_ = line_++;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    line = trim(line);
    if (line.empty()) {
      ++blank_;
      continue;
    }
    ++rows_;
    if (!valid_utf8(line)) {
      problem_ = "not valid UTF-8 (if the file is GB18030 or GBK, give its encoding)";
      return Next::bad_row;
    }
    json_ = line;
    return Next::row;
  }
}

// A JSON document: one array whose elements are the rows, or one value (one row). Elements are found with
// the cursor (strings and nesting respected) and handed out one by one; the buffer keeps only what is
// not yet handed out.
Next RecordReader::next_json() {
  for (;;) {
    if (json_state_ == 2) {
      // After the document: only whitespace may follow.
      for (;;) {
        while (pos_ < buf_.size()) {
          const char c = buf_[pos_];
          if (c == '\n') ++line_;
          else if (c != ' ' && c != '\t' && c != '\r') {
            error_ = name_ + ": line " + std::to_string(line_) +
                     ": text after the end of the JSON document (for one object per line, read it as JSON Lines: "
                     "--format jsonl or a .jsonl name)";
            return Next::error;
          }
          ++pos_;
        }
        if (!fill()) return error_.empty() ? Next::end : Next::error;
      }
    }
    // Skip whitespace (counting lines), and in an array the ',' or ']' between elements.
    while (pos_ < buf_.size()) {
      const char c = buf_[pos_];
      if (c == '\n') ++line_;
      else if (c != ' ' && c != '\t' && c != '\r') break;
      ++pos_;
    }
    if (pos_ >= buf_.size()) {
      if (fill()) continue;
      if (!error_.empty()) return Next::error;
      if (json_state_ == 0) {
        error_ = name_ + ": the file holds no JSON value";
        return Next::error;
      }
      error_ = name_ + ": line " + std::to_string(line_) + ": the file ends inside the top-level array (']' missing)";
      return Next::error;
    }
    if (json_state_ == 0 && buf_[pos_] == '[') {
      json_state_ = 1;
      ++pos_;
      continue;
    }
    if ((json_state_ == 1 || json_state_ == 3) && buf_[pos_] == ']') {
      ++pos_;
      json_state_ = 2;
      continue;
    }
    if (json_state_ == 3) {  // after an element: ',' then the next one
      if (buf_[pos_] != ',') {
        error_ = name_ + ": line " + std::to_string(line_) + ": expected ',' or ']' between the array's elements";
        return Next::error;
      }
      ++pos_;
      json_state_ = 4;
      continue;  // whitespace again
    }
    if (json_state_ == 4 && buf_[pos_] == ']') {
      error_ = name_ + ": line " + std::to_string(line_) + ": a trailing ',' before ']'";
      return Next::error;
    }
    // One element (or the single value): find its end with the cursor; if the buffer ends first, read more.
    detail::JsonCursor cur(std::string_view(buf_).substr(pos_), 256);
    const bool ok = cur.skip_value();
    // Cut short by the end of what is buffered (or a number that may go on): read more and look again.
    if (!eof_ && ((!ok && cur.hit_end()) || (ok && cur.offset() == buf_.size() - pos_))) {
      if (fill()) continue;
      if (!error_.empty()) return Next::error;
      continue;  // now at the end: parse what there is
    }
    row_line_ = line_;
    ++rows_;
    if (!ok) {
      // The element is malformed: the rest of the document cannot be split reliably.
      std::uint64_t l, c;
      cur.line_column(cur.error_offset(), &l, &c);
      error_ = name_ + ": line " + std::to_string(line_ + l - 1) + ", column " + std::to_string(c) + ": " + cur.error() +
               " (row " + std::to_string(rows_) + ")";
      return Next::error;
    }
    json_ = std::string_view(buf_.data() + pos_, cur.offset());
    for (char c : json_) line_ += c == '\n';
    pos_ += cur.offset();
    json_state_ = json_state_ == 0 ? 2 : 3;
    // The view stays valid until the next call: fill() runs only then.
    return Next::row;
  }
}

bool json_object_cells(std::string_view json, const std::vector<std::string>& names, JsonCells* out,
                       std::string* problem) {
  out->text.assign(names.size(), std::string());
  out->kind.assign(names.size(), CellKind::absent);
  detail::JsonCursor cur(json, 64);
  if (cur.peek() != '{') {
    *problem = cur.peek() == '\0' ? "an empty row" : "not a JSON object";
    return false;
  }
  cur.expect('{');
  std::string key_scratch, value_scratch;
  bool first = true, done = false;
  std::string_view key;
  while (cur.member(&first, &key, &key_scratch, &done)) {
    std::size_t which = names.size();
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == key) which = i;
    const std::size_t at = cur.offset();
    const char c = cur.peek();
    if (which == names.size()) {
      if (!cur.skip_value(1)) break;
      continue;
    }
    if (out->kind[which] != CellKind::absent) {
      *problem = "the member '" + names[which] + "' is given twice";
      return false;
    }
    if (c == '"') {
      std::string_view v;
      if (!cur.string(&v, &value_scratch)) break;
      out->text[which].assign(v);
      out->kind[which] = CellKind::string;
    } else if (c == '{' || c == '[') {
      if (!cur.skip_value(1)) break;
      out->text[which].assign(json.substr(at, cur.offset() - at));
      const std::size_t b = out->text[which].find_first_not_of(" \t\r\n");
      out->text[which].erase(0, b);
      out->kind[which] = CellKind::nested;
    } else if (c == 'n') {
      if (!cur.literal("null")) break;
      out->kind[which] = CellKind::null;
    } else if (c == 't' || c == 'f') {
      if (!cur.literal(c == 't' ? "true" : "false")) break;
      out->text[which] = c == 't' ? "true" : "false";
      out->kind[which] = CellKind::scalar;
    } else {
      std::string_view v;
      if (!cur.number(&v)) break;
      out->text[which].assign(v);
      out->kind[which] = CellKind::scalar;
    }
  }
  if (!cur.ok()) {
    std::uint64_t l, col;
    cur.line_column(cur.error_offset(), &l, &col);
    *problem = "not valid JSON at column " + std::to_string(col) + ": " + cur.error();
    return false;
  }
  if (!cur.at_end()) {
    *problem = "text after the end of the JSON object";
    return false;
  }
  return true;
}

}  // namespace eligo::records
