// xlsx reading: the zip container through minizip, each XML part through expat. The workbook, its
// relationships, the styles and the shared strings are read whole (they are small or must be indexed); the
// sheet is inflated and parsed in 64 KiB chunks, complete rows queued as they close.
#include "records/xlsx_reader.hpp"
#include "records/utf8.hpp"

#include <expat.h>
#include <minizip/unzip.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>

#include "eligo/date.hpp"

namespace eligo::records {
using detail::append_utf8;
namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kMaxPartBytes = std::size_t(1) << 30;  // one part read whole (shared strings): 1 GiB
constexpr std::size_t kMaxCellBytes = std::size_t(1) << 20;
constexpr int kMaxColumns = 16384;          // XFD
constexpr std::uint64_t kMaxRows = 1048576;

std::string_view local_name(const char* name) {
  std::string_view n(name);
  const std::size_t colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const char* attr(const char** atts, std::string_view wanted) {
  for (int i = 0; atts[i]; i += 2)
    if (local_name(atts[i]) == wanted) return atts[i + 1];
  return nullptr;
}


// OOXML escapes characters XML cannot hold as _xHHHH_ (and a literal "_x" followed by hex as _x005F_x...).
std::string decode_ooxml_escapes(std::string text) {
  if (text.find("_x") == std::string::npos) return text;
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (i + 7 <= text.size() && text[i] == '_' && text[i + 1] == 'x' && text[i + 6] == '_') {
      unsigned cp = 0;
      bool hex = true;
      for (std::size_t k = i + 2; k < i + 6; ++k) {
        const char c = text[k];
        cp <<= 4;
        if (c >= '0' && c <= '9') cp |= unsigned(c - '0');
        else if (c >= 'a' && c <= 'f') cp |= unsigned(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') cp |= unsigned(c - 'A' + 10);
        else hex = false;
      }
      if (hex) {
        append_utf8(&out, cp);
        i += 7;
        continue;
      }
    }
    out.push_back(text[i++]);
  }
  return out;
}

// Built-in number formats that show a date (14-17, 22; the CJK ones 27-36 and 50-58). 18-21 and 45-47 are
// times of day only: those cells keep their number.
bool builtin_date_format(int id) {
  return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

// A custom format shows a date when its first section has a year or day code outside quotes, brackets
// and escapes; month codes alone are taken as a date unless hours or seconds say they are minutes.
bool custom_date_format(std::string_view code) {
  bool y = false, d = false, m = false, h = false, s = false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == ';') break;
    if (c == '"') {
      const std::size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '[') {
      const std::size_t close = code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      const std::string_view inside = code.substr(i + 1, close - i - 1);
      if (!inside.empty() && (inside[0] == 'h' || inside[0] == 'H' || inside[0] == 'm' || inside[0] == 'M' ||
                              inside[0] == 's' || inside[0] == 'S'))
        h = true;  // elapsed time
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;
    } else {
      switch (c) {
        case 'y': case 'Y': y = true; break;
        case 'd': case 'D': d = true; break;
        case 'm': case 'M': m = true; break;
        case 'h': case 'H': h = true; break;
        case 's': case 'S': s = true; break;
        default: break;
      }
    }
  }
  return y || d || (m && !h && !s);
}

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
  return std::string(s.substr(b, e - b));
}

// Resolves a relationship target against the folder of the part that holds the relationship.
std::string resolve_target(const std::string& base_dir, std::string target) {
  std::string path = !target.empty() && target[0] == '/' ? target.substr(1) : base_dir + target;
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

// One XML part through expat, with start/end/text callbacks given as a small handler object.
struct XmlHandler {
  virtual ~XmlHandler() = default;
  virtual void start(std::string_view name, const char** atts) = 0;
  virtual void end(std::string_view name) = 0;
  virtual void text(const char* s, int len) {}
  std::string failure;  // set by a handler to stop with a reason
};

void XMLCALL on_start(void* data, const char* name, const char** atts) {
  static_cast<XmlHandler*>(data)->start(local_name(name), atts);
}
void XMLCALL on_end(void* data, const char* name) { static_cast<XmlHandler*>(data)->end(local_name(name)); }
void XMLCALL on_text(void* data, const char* s, int len) { static_cast<XmlHandler*>(data)->text(s, len); }

XML_Parser new_parser(XmlHandler* handler) {
  XML_Parser p = XML_ParserCreate("UTF-8");
  XML_SetUserData(p, handler);
  XML_SetElementHandler(p, on_start, on_end);
  XML_SetCharacterDataHandler(p, on_text);
  return p;
}

struct Relationships : XmlHandler {
  std::map<std::string, std::pair<std::string, std::string>> by_id;  // id → (type, target)
  void start(std::string_view name, const char** atts) override {
    if (name != "Relationship") return;
    const char* id = attr(atts, "Id");
    const char* type = attr(atts, "Type");
    const char* target = attr(atts, "Target");
    if (id && target) by_id[id] = {type ? type : "", target};
  }
  void end(std::string_view) override {}
  std::string of_type(std::string_view suffix) const {
    for (const auto& [id, tt] : by_id)
      if (tt.first.size() >= suffix.size() && tt.first.compare(tt.first.size() - suffix.size(), suffix.size(), suffix) == 0)
        return tt.second;
    return "";
  }
};

struct WorkbookPart : XmlHandler {
  std::vector<std::pair<std::string, std::string>> sheets;  // name, relationship id
  bool date1904 = false;
  void start(std::string_view name, const char** atts) override {
    if (name == "sheet") {
      const char* n = attr(atts, "name");
      const char* id = attr(atts, "id");
      if (n && id) sheets.emplace_back(n, id);
    } else if (name == "workbookPr") {
      const char* v = attr(atts, "date1904");
      date1904 = v && (std::strcmp(v, "1") == 0 || std::strcmp(v, "true") == 0);
    }
  }
  void end(std::string_view) override {}
};

struct StylesPart : XmlHandler {
  std::unordered_map<int, std::string> custom;  // numFmtId → formatCode
  std::vector<int> xf_formats;                  // cellXfs: numFmtId per style index
  bool in_cell_xfs = false;
  void start(std::string_view name, const char** atts) override {
    if (name == "numFmt") {
      const char* id = attr(atts, "numFmtId");
      const char* code = attr(atts, "formatCode");
      if (id && code) custom[std::atoi(id)] = code;
    } else if (name == "cellXfs") {
      in_cell_xfs = true;
    } else if (name == "xf" && in_cell_xfs) {
      const char* id = attr(atts, "numFmtId");
      xf_formats.push_back(id ? std::atoi(id) : 0);
    }
  }
  void end(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs = false;
  }
};

struct SharedStringsPart : XmlHandler {
  std::vector<std::string> strings;
  std::string current;
  int in_t = 0, in_phonetic = 0;
  bool in_si = false;
  std::size_t total = 0;
  void start(std::string_view name, const char**) override {
    if (name == "si") {
      in_si = true;
      current.clear();
    } else if (name == "rPh") {
      ++in_phonetic;
    } else if (name == "t") {
      ++in_t;
    }
  }
  void end(std::string_view name) override {
    if (name == "si") {
      in_si = false;
      total += current.size();
      if (total > kMaxPartBytes) failure = "its shared strings exceed 1 GiB";
      strings.push_back(decode_ooxml_escapes(std::move(current)));
      current.clear();
    } else if (name == "rPh") {
      --in_phonetic;
    } else if (name == "t") {
      --in_t;
    }
  }
  void text(const char* s, int len) override {
    if (in_si && in_t > 0 && in_phonetic == 0) current.append(s, static_cast<std::size_t>(len));
  }
};

}  // namespace

namespace {

struct QueuedRow {
  std::uint64_t number = 0;
  std::vector<std::string> cells;
  std::string problem;
};

// The sheet: rows are queued as their </row> closes.
struct SheetPart : XmlHandler {
  const std::vector<std::string>* shared = nullptr;
  const std::vector<bool>* date_style = nullptr;
  bool date1904 = false;
  std::deque<QueuedRow> queue;

  bool in_data = false, in_row = false;
  QueuedRow row;
  std::uint64_t last_row = 0;
  int col = -1;
  int last_col = -1;
  std::string type;
  int style = 0;
  int in_v = 0, in_is = 0, in_t = 0, in_phonetic = 0;
  std::string value;
  std::string cell_ref;

  void start(std::string_view name, const char** atts) override {
    if (name == "sheetData") {
      in_data = true;
    } else if (!in_data) {
      return;
    } else if (name == "row") {
      in_row = true;
      row = QueuedRow{};
      const char* r = attr(atts, "r");
      const std::uint64_t n = r ? std::strtoull(r, nullptr, 10) : last_row + 1;
      if (n == 0 || n > kMaxRows) {
        failure = "a row numbered '" + std::string(r ? r : "") + "'";
      } else if (n <= last_row) {
        failure = "row " + std::to_string(n) + " comes after row " + std::to_string(last_row);
      }
      row.number = last_row = n;
      last_col = -1;
    } else if (name == "c" && in_row) {
      const char* r = attr(atts, "r");
      if (r) {
        std::string_view ref(r);
        std::size_t k = 0;
        while (k < ref.size() && ((ref[k] >= 'A' && ref[k] <= 'Z') || (ref[k] >= 'a' && ref[k] <= 'z'))) ++k;
        col = XlsxReader::column_index(ref.substr(0, k));
        cell_ref = r;
      } else {
        col = last_col + 1;
        cell_ref = XlsxReader::column_name(col) + std::to_string(row.number);
      }
      if (col < 0 || col >= kMaxColumns) {
        if (row.problem.empty()) row.problem = "cell '" + cell_ref + "' is outside the sheet's columns";
        col = -1;
      } else if (col <= last_col) {
        if (row.problem.empty()) row.problem = "cell " + cell_ref + " is given twice or out of order";
        col = -1;
      } else {
        last_col = col;
      }
      const char* t = attr(atts, "t");
      type = t ? t : "n";
      const char* s = attr(atts, "s");
      style = s ? std::atoi(s) : 0;
      value.clear();
    } else if (name == "v") {
      ++in_v;
    } else if (name == "is") {
      ++in_is;
    } else if (name == "rPh") {
      ++in_phonetic;
    } else if (name == "t") {
      ++in_t;
    }
  }

  void end(std::string_view name) override {
    if (name == "sheetData") {
      in_data = false;
    } else if (!in_data) {
      return;
    } else if (name == "row") {
      in_row = false;
      queue.push_back(std::move(row));
      row = QueuedRow{};
    } else if (name == "c" && in_row) {
      finish_cell();
    } else if (name == "v") {
      --in_v;
    } else if (name == "is") {
      --in_is;
    } else if (name == "rPh") {
      --in_phonetic;
    } else if (name == "t") {
      --in_t;
    }
  }

  void text(const char* s, int len) override {
    if (!in_row) return;
    if (in_v > 0 || (in_is > 0 && in_t > 0 && in_phonetic == 0)) {
      if (value.size() + static_cast<std::size_t>(len) > kMaxCellBytes) {
        if (row.problem.empty()) row.problem = "cell " + cell_ref + " holds more than 1 MiB";
        return;
      }
      value.append(s, static_cast<std::size_t>(len));
    }
  }

  void finish_cell() {
    if (col < 0) return;
    std::string text;
    if (type == "s") {
      char* end = nullptr;
      const unsigned long index = std::strtoul(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || index >= shared->size()) {
        if (row.problem.empty()) row.problem = "cell " + cell_ref + " points at shared string '" + value + "', which the workbook does not have";
        return;
      }
      text = (*shared)[index];
    } else if (type == "inlineStr") {
      text = decode_ooxml_escapes(value);
    } else if (type == "str") {
      text = value;
    } else if (type == "b") {
      if (value == "1") text = "true";
      else if (value == "0") text = "false";
      else if (row.problem.empty()) row.problem = "cell " + cell_ref + " is a boolean holding '" + value + "'";
    } else if (type == "e") {
      if (row.problem.empty()) row.problem = "cell " + cell_ref + " holds the error " + value;
      return;
    } else if (type == "d") {
      text = value.size() >= 19 && value.compare(10, 9, "T00:00:00") == 0 ? value.substr(0, 10) : value;
    } else {  // "n"
      text = value;
      if (!value.empty() && style >= 0 && static_cast<std::size_t>(style) < date_style->size() && (*date_style)[style]) {
        if (!XlsxReader::serial_to_date(value, date1904, &text)) {
          if (row.problem.empty())
            row.problem = "cell " + cell_ref + " is formatted as a date but holds " + value +
                          (value == "60" && !date1904 ? ", the 29 February 1900 that never was (Excel's 1900 leap-year bug)"
                                                      : ", which is no calendar day");
          return;
        }
      }
    }
    if (text.empty()) return;
    if (row.cells.size() <= static_cast<std::size_t>(col)) row.cells.resize(static_cast<std::size_t>(col) + 1);
    row.cells[static_cast<std::size_t>(col)] = std::move(text);
  }
};

}  // namespace

struct XlsxReader::State {
  std::string path;
  unzFile zip = nullptr;
  std::vector<std::string> sheet_names;
  std::vector<std::string> sheet_paths;
  bool date1904 = false;
  std::vector<std::string> shared;
  std::vector<bool> date_style;

  SheetPart sheet;
  XML_Parser parser = nullptr;
  bool sheet_open = false;
  bool sheet_done = false;
  std::uint64_t row = 0;
  std::string problem, error;

  ~State() {
    if (parser) XML_ParserFree(parser);
    if (sheet_open) unzCloseCurrentFile(zip);
    if (zip) unzClose(zip);
  }

  bool locate(const std::string& part) { return unzLocateFile(zip, part.c_str(), 2) == UNZ_OK; }

  // Parses one whole part. Absent parts are an error unless `optional`.
  bool parse_part(const std::string& part, XmlHandler* handler, bool optional, std::string* err) {
    if (!locate(part)) {
      if (optional) return true;
      *err = path + ": not an xlsx workbook (it has no " + part + ")";
      return false;
    }
    if (unzOpenCurrentFile(zip) != UNZ_OK) {
      *err = path + ": cannot open " + part + " in the workbook";
      return false;
    }
    XML_Parser p = new_parser(handler);
    std::vector<char> buf(kChunk);
    std::size_t total = 0;
    bool ok = true;
    for (;;) {
      const int n = unzReadCurrentFile(zip, buf.data(), static_cast<unsigned>(buf.size()));
      if (n < 0) {
        *err = path + ": " + part + " is damaged (zip error " + std::to_string(n) + ")";
        ok = false;
        break;
      }
      total += static_cast<std::size_t>(n);
      if (total > kMaxPartBytes) {
        *err = path + ": " + part + " is larger than 1 GiB";
        ok = false;
        break;
      }
      if (XML_Parse(p, buf.data(), n, n == 0) != XML_STATUS_OK) {
        *err = path + ": " + part + " line " + std::to_string(XML_GetCurrentLineNumber(p)) + ": " +
               XML_ErrorString(XML_GetErrorCode(p));
        ok = false;
        break;
      }
      if (!handler->failure.empty()) {
        *err = path + ": " + part + ": " + handler->failure;
        ok = false;
        break;
      }
      if (n == 0) break;
    }
    XML_ParserFree(p);
    unzCloseCurrentFile(zip);
    return ok;
  }

  // Inflates and parses more of the sheet until a row is queued or the sheet ends.
  bool pump() {
    std::vector<char> buf(kChunk);
    while (sheet.queue.empty() && !sheet_done) {
      const int n = unzReadCurrentFile(zip, buf.data(), static_cast<unsigned>(buf.size()));
      if (n < 0) {
        error = path + ": the sheet is damaged (zip error " + std::to_string(n) + ")";
        return false;
      }
      if (XML_Parse(parser, buf.data(), n, n == 0) != XML_STATUS_OK) {
        error = path + ": the sheet's XML, line " + std::to_string(XML_GetCurrentLineNumber(parser)) + ": " +
                XML_ErrorString(XML_GetErrorCode(parser));
        return false;
      }
      if (!sheet.failure.empty()) {
        error = path + ": " + sheet.failure;
        return false;
      }
      if (n == 0) sheet_done = true;
    }
    return true;
  }
};

XlsxReader::XlsxReader() : s_(std::make_unique<State>()) {}
XlsxReader::~XlsxReader() = default;

const std::vector<std::string>& XlsxReader::sheets() const { return s_->sheet_names; }
std::uint64_t XlsxReader::row() const { return s_->row; }
const std::string& XlsxReader::problem() const { return s_->problem; }
const std::string& XlsxReader::error() const { return s_->error; }
bool XlsxReader::date1904() const { return s_->date1904; }

bool XlsxReader::open(const std::string& path, std::string* error) {
  s_ = std::make_unique<State>();
  State& s = *s_;
  s.path = path;
  s.zip = unzOpen64(path.c_str());
  if (!s.zip) {
    *error = path + ": cannot open it as an xlsx workbook (missing, unreadable or not a zip file)";
    return false;
  }
  Relationships root;
  if (!s.parse_part("_rels/.rels", &root, true, error)) return false;
  std::string workbook = root.of_type("/officeDocument");
  workbook = workbook.empty() ? "xl/workbook.xml" : resolve_target("", workbook);
  const std::size_t slash = workbook.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : workbook.substr(0, slash + 1);
  const std::string rels_part = dir + "_rels/" + workbook.substr(slash == std::string::npos ? 0 : slash + 1) + ".rels";

  WorkbookPart wb;
  if (!s.parse_part(workbook, &wb, false, error)) return false;
  Relationships rels;
  if (!s.parse_part(rels_part, &rels, false, error)) return false;
  s.date1904 = wb.date1904;
  for (const auto& [name, id] : wb.sheets) {
    const auto it = rels.by_id.find(id);
    if (it == rels.by_id.end()) {
      *error = path + ": sheet '" + name + "' has no part in the workbook";
      return false;
    }
    s.sheet_names.push_back(name);
    s.sheet_paths.push_back(resolve_target(dir, it->second.second));
  }
  if (s.sheet_names.empty()) {
    *error = path + ": the workbook has no sheets";
    return false;
  }
  SharedStringsPart strings;
  const std::string strings_target = rels.of_type("/sharedStrings");
  if (!strings_target.empty() && !s.parse_part(resolve_target(dir, strings_target), &strings, true, error)) return false;
  s.shared = std::move(strings.strings);
  StylesPart styles;
  const std::string styles_target = rels.of_type("/styles");
  if (!styles_target.empty() && !s.parse_part(resolve_target(dir, styles_target), &styles, true, error)) return false;
  for (const int id : styles.xf_formats) {
    const auto custom = styles.custom.find(id);
    s.date_style.push_back(custom != styles.custom.end() ? custom_date_format(custom->second) : builtin_date_format(id));
  }
  return true;
}

bool XlsxReader::select(std::string_view sheet, std::string* error) {
  State& s = *s_;
  if (!s.zip) {
    *error = "no workbook is open";
    return false;
  }
  std::size_t index = 0;
  if (!sheet.empty()) {
    index = s.sheet_names.size();
    for (std::size_t i = 0; i < s.sheet_names.size(); ++i)
      if (s.sheet_names[i] == sheet) index = i;
    if (index == s.sheet_names.size()) {
      std::string list;
      for (const auto& n : s.sheet_names) list += (list.empty() ? "'" : ", '") + n + "'";
      *error = s.path + ": no sheet named '" + std::string(sheet) + "' (the workbook has " + list + ")";
      return false;
    }
  }
  if (s.parser) XML_ParserFree(s.parser);
  if (s.sheet_open) unzCloseCurrentFile(s.zip);
  s.parser = nullptr;
  s.sheet_open = false;
  const std::string& part = s.sheet_paths[index];
  if (!s.locate(part) || unzOpenCurrentFile(s.zip) != UNZ_OK) {
    *error = s.path + ": sheet '" + s.sheet_names[index] + "' (" + part + ") is missing from the workbook";
    return false;
  }
  s.sheet_open = true;
  s.sheet_done = false;
  s.sheet = SheetPart{};
  s.sheet.shared = &s.shared;
  s.sheet.date_style = &s.date_style;
  s.sheet.date1904 = s.date1904;
  s.parser = new_parser(&s.sheet);
  s.row = 0;
  return true;
}

XlsxReader::Next XlsxReader::next(std::vector<std::string>* cells) {
  State& s = *s_;
  cells->clear();
  s.problem.clear();
  if (!s.error.empty()) return Next::error;
  if (!s.parser) {
    s.error = s.path + ": no sheet is selected";
    return Next::error;
  }
  if (!s.pump()) return Next::error;
  if (s.sheet.queue.empty()) return Next::end;
  QueuedRow& r = s.sheet.queue.front();
  s.row = r.number;
  Next result = Next::row;
  if (!r.problem.empty()) {
    s.problem = std::move(r.problem);
    result = Next::bad_row;
  } else {
    *cells = std::move(r.cells);
  }
  s.sheet.queue.pop_front();
  return result;
}

bool XlsxReader::read_header(std::vector<std::string>* names, std::string* error) {
  names->clear();
  std::vector<std::string> cells;
  const Next n = next(&cells);
  if (n == Next::error) {
    *error = s_->error;
    return false;
  }
  if (n == Next::end) {
    *error = s_->path + ": the sheet is empty (no header row)";
    return false;
  }
  if (n == Next::bad_row) {
    *error = s_->path + ": header row " + std::to_string(s_->row) + ": " + s_->problem;
    return false;
  }
  std::map<std::string, int> seen;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    std::string name = trim(cells[i]);
    const std::string col = column_name(static_cast<int>(i));
    if (name.empty()) {
      *error = s_->path + ": header row " + std::to_string(s_->row) + ": column " + col + " has no name";
      return false;
    }
    const auto [it, fresh] = seen.emplace(name, static_cast<int>(i));
    if (!fresh) {
      *error = s_->path + ": header row " + std::to_string(s_->row) + ": columns " + column_name(it->second) + " and " +
               col + " are both named '" + name + "'";
      return false;
    }
    names->push_back(std::move(name));
  }
  if (names->empty()) {
    *error = s_->path + ": header row " + std::to_string(s_->row) + " is empty";
    return false;
  }
  return true;
}

int XlsxReader::column_index(std::string_view letters) {
  if (letters.empty() || letters.size() > 3) return -1;
  int index = 0;
  for (const char c : letters) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A' + 1;
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 1;
    else return -1;
    index = index * 26 + v;
  }
  return index - 1;
}

std::string XlsxReader::column_name(int index) {
  std::string out;
  for (int n = index + 1; n > 0; n = (n - 1) / 26) out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
  return out;
}

bool XlsxReader::serial_to_date(std::string_view number, bool date1904, std::string* out) {
  const std::string text(number);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v) || v < 0 || v >= 2958466) return false;  // past 9999-12-31
  double whole = std::floor(v);
  long long seconds = std::llround((v - whole) * 86400.0);
  if (seconds >= 86400) {
    whole += 1;
    seconds -= 86400;
  }
  const long long serial = static_cast<long long>(whole);
  std::optional<Date> base;
  long long offset = serial;
  if (date1904) {
    base = Date::from_ymd(1904, 1, 1);
  } else {
    if (serial == 0 || serial == 60) return false;  // "1900-01-00" and the leap day 1900 did not have
    base = serial < 60 ? Date::from_ymd(1899, 12, 31) : Date::from_ymd(1899, 12, 30);
  }
  const Date day = add_days(*base, static_cast<int>(offset));
  if (day.year() < 1000 || day.year() > 9999) return false;
  *out = day.to_string();
  if (seconds > 0) {
    char hms[48];
    std::snprintf(hms, sizeof hms, " %02lld:%02lld:%02lld", seconds / 3600, seconds / 60 % 60, seconds % 60);
    *out += hms;
  }
  return true;
}

}  // namespace eligo::records
