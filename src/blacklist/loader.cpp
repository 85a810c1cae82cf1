// Reading CSV and JSON Lines files into a Builder: columns by the Mapping, bad rows reported (row number,
// field, why, the ID masked) and skipped, the rest added.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <deque>
#include <cstring>
#include <nlohmann/json.hpp>

#include "blacklist/key.hpp"
#include "eligo/blacklist.hpp"

namespace eligo::blacklist {
namespace {

using detail::trim;

// The fields a row may hold, in Mapping order.
enum Slot { kIdNumber, kKeyHash, kScopes, kReasonCode, kReasonText, kSource, kListedOn, kFrom, kUntil, kSlots };
constexpr const char* kSlotNames[kSlots] = {"id_number", "key_hash", "scopes", "reason_code", "reason_text",
                                            "source", "listed_on", "from", "until"};

const std::string& column(const Mapping& m, int slot) {
  const std::string* c[kSlots] = {&m.id_number, &m.key_hash, &m.scopes, &m.reason_code, &m.reason_text,
                                  &m.source, &m.listed_on, &m.from, &m.until};
  return *c[slot];
}

// One row's cells by slot (views into the file or into the row's arena).
struct Row {
  std::string_view cell[kSlots];
  std::vector<std::string> scope_list;  // JSON Lines: scopes given as an array
  bool scope_array = false;
};

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYYMMDD, YYYY年M月D日; a trailing time after a space or 'T' is ignored.
std::optional<Date> parse_date(std::string_view s) {
  s = trim(s);
  const std::size_t cut = s.find_first_of(" T");
  if (cut != std::string_view::npos) s = s.substr(0, cut);
  if (s.size() == 8 && digits(s)) return Date::from_ymd(to_int(s.substr(0, 4)), to_int(s.substr(4, 2)), to_int(s.substr(6, 2)));
  std::string_view parts[3];
  int n = 0;
  std::size_t i = 0;
  while (i < s.size() && n < 3) {
    std::size_t j = i;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
    if (j == i) return std::nullopt;
    parts[n++] = s.substr(i, j - i);
    i = j;
    // One separator: - / . or 年 月 日 (UTF-8, three bytes each).
    if (i < s.size() && (s[i] == '-' || s[i] == '/' || s[i] == '.')) {
      ++i;
    } else if (s.compare(i, 3, "年") == 0 || s.compare(i, 3, "月") == 0 || s.compare(i, 3, "日") == 0) {
      i += 3;
    } else if (i < s.size()) {
      return std::nullopt;
    }
  }
  if (n != 3 || i != s.size() || parts[0].size() != 4 || parts[1].size() > 2 || parts[2].size() > 2) return std::nullopt;
  return Date::from_ymd(to_int(parts[0]), to_int(parts[1]), to_int(parts[2]));
}

std::string shown(std::string_view value) {  // a non-PII value quoted in a message, kept short
  std::string s(value.substr(0, 40));
  if (value.size() > 40) s += "…";
  return "'" + s + "'";
}

class RowReader {
 public:
  RowReader(const Mapping& m, Builder& into, const LoadOptions& options, LoadReport& report)
      : m_(m), into_(into), options_(options), report_(report) {}

  // Converts and adds one row.
  void add(std::size_t row_number, const Row& row) {
    ++report_.rows;
    if (auto problem = convert(row)) {
      reject(row_number, problem->field, problem->why);
      return;
    }
    if (auto problem = into_.add(entry_)) {
      reject(row_number, problem->field, problem->why);
      return;
    }
    ++report_.accepted;
  }

  void reject(std::size_t row_number, Field field, std::string why) {
    ++report_.rejected;
    if (report_.errors.size() < options_.max_errors) report_.errors.push_back({row_number, field, std::move(why)});
  }

 private:
  std::string_view value(const Row& row, int slot) const {
    std::string_view v = trim(row.cell[slot]);
    if (v.empty()) {
      const auto it = m_.defaults.find(kSlotNames[slot]);
      if (it != m_.defaults.end()) v = it->second;
    }
    return v;
  }

  std::optional<Problem> date(const Row& row, int slot, Field field, std::optional<Date>* out, bool required) {
    const std::string_view v = value(row, slot);
    out->reset();
    if (v.empty()) {
      if (required) return Problem{field, "empty"};
      return std::nullopt;
    }
    if (slot == kUntil && std::find(m_.open_ended.begin(), m_.open_ended.end(), v) != m_.open_ended.end())
      return std::nullopt;
    *out = parse_date(v);
    if (!*out) return Problem{field, shown(v) + " is not a date (YYYY-MM-DD)"};
    return std::nullopt;
  }

  std::optional<Problem> convert(const Row& row) {
    std::string_view key = value(row, kIdNumber);
    if (key.empty()) key = value(row, kKeyHash);
    if (key.empty()) return Problem{Field::key, "empty"};
    entry_.key.assign(key);

    entry_.scopes.clear();
    if (row.scope_array) {
      entry_.scopes = row.scope_list;
    } else {
      split_scopes(value(row, kScopes));
    }
    entry_.reason_code.assign(value(row, kReasonCode));
    entry_.reason_text.assign(value(row, kReasonText));
    entry_.source.assign(value(row, kSource));
    std::optional<Date> listed;
    if (auto p = date(row, kListedOn, Field::listed_on, &listed, true)) return p;
    entry_.listed_on = *listed;
    if (auto p = date(row, kFrom, Field::from, &entry_.from, false)) return p;
    if (auto p = date(row, kUntil, Field::until, &entry_.until, false)) return p;
    return std::nullopt;
  }

  void split_scopes(std::string_view s) {
    std::size_t start = 0, i = 0;
    auto flush = [&](std::size_t end) {
      const std::string_view part = trim(s.substr(start, end - start));
      if (!part.empty()) entry_.scopes.emplace_back(part);
    };
    while (i < s.size()) {
      std::size_t sep = 0;
      if (s[i] == ' ' || s[i] == '\t') sep = 1;
      for (const std::string& m : m_.scope_separators)
        if (!sep && s.compare(i, m.size(), m) == 0) sep = m.size();
      if (sep) {
        flush(i);
        i += sep;
        start = i;
      } else {
        ++i;
      }
    }
    flush(s.size());
  }

  const Mapping& m_;
  Builder& into_;
  const LoadOptions& options_;
  LoadReport& report_;
  Entry entry_;
};

constexpr std::size_t kProgressEvery = 1 << 16;

// ─── CSV ────────────────────────────────────────────────────────────────────────────────────────────────

// Reads one record starting at *pos into `cells`; quoted cells with doubled quotes are unescaped into
// `arena`. Advances *pos and *line past the record. false for an unterminated quote.
// The arena is a deque: `cells` hold views into its strings, which must not move when it grows (a vector
// moves its strings, and a short string's characters live inside the string object).
bool csv_record(std::string_view text, std::size_t* pos, std::size_t* line, std::vector<std::string_view>& cells,
                std::deque<std::string>& arena) {
  cells.clear();
  std::size_t arena_used = 0;
  std::size_t i = *pos;
  for (;;) {
    if (i < text.size() && text[i] == '"') {
      const std::size_t start = ++i;
      bool escaped = false;
      for (;;) {
        const std::size_t q = text.find('"', i);
        if (q == std::string_view::npos) {
          *pos = text.size();
          return false;
        }
        *line += static_cast<std::size_t>(std::count(text.begin() + i, text.begin() + q, '\n'));
        if (q + 1 < text.size() && text[q + 1] == '"') {
          escaped = true;
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      std::string_view raw = text.substr(start, i - 1 - start);
      if (escaped) {
        if (arena.size() <= arena_used) arena.emplace_back();
        std::string& s = arena[arena_used++];
        s.clear();
        for (std::size_t k = 0; k < raw.size(); ++k) {
          s += raw[k];
          if (raw[k] == '"') ++k;
        }
        raw = s;
      }
      // Text after the closing quote up to the separator is kept (lenient, as spreadsheets write it).
      const std::size_t end = text.find_first_of(",\r\n", i);
      if (end != std::string_view::npos && end > i) {
        std::string joined(raw);  // raw may view another arena string
        joined.append(text.substr(i, end - i));
        if (arena.size() <= arena_used) arena.emplace_back();
        std::string& s = arena[arena_used++];
        s = std::move(joined);
        raw = s;
        i = end;
      } else if (end == std::string_view::npos) {
        i = text.size();
      }
      cells.push_back(raw);
    } else {
      const std::size_t end = std::min(text.find_first_of(",\r\n", i), text.size());
      cells.push_back(text.substr(i, end - i));
      i = end;
    }
    if (i < text.size() && text[i] == ',') {
      ++i;
      continue;
    }
    break;
  }
  if (i < text.size() && text[i] == '\r') ++i;
  if (i < text.size() && text[i] == '\n') ++i;
  ++*line;
  *pos = i;
  return true;
}

void load_csv(std::string_view text, const Mapping& m, Builder& into, const LoadOptions& options, LoadReport& report) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::size_t pos = 0, line = 1;
  std::vector<std::string_view> cells;
  std::deque<std::string> arena;
  // Header (blank lines before it are skipped).
  while (pos < text.size() && (text[pos] == '\n' || text[pos] == '\r')) {
    line += text[pos] == '\n';
    ++pos;
  }
  if (pos >= text.size()) {
    report.error = "the file is empty (a CSV file needs a header line)";
    return;
  }
  if (!csv_record(text, &pos, &line, cells, arena)) {
    report.error = "the header line has an unterminated quote";
    return;
  }
  const std::vector<std::string> header(cells.begin(), cells.end());
  int index[kSlots];
  for (int s = 0; s < kSlots; ++s) {
    index[s] = -1;
    const std::string& name = column(m, s);
    for (std::size_t c = 0; c < header.size() && !name.empty(); ++c)
      if (trim(header[c]) == name) {
        index[s] = static_cast<int>(c);
        break;
      }
  }
  auto missing = [&](int s) { return index[s] < 0 && m.defaults.count(kSlotNames[s]) == 0; };
  if (index[kIdNumber] < 0 && index[kKeyHash] < 0) {
    report.error = "no column '" + m.id_number + "' (id_number) or '" + m.key_hash +
                   "' (key_hash) in the header: name the subject's column in the mapping";
    return;
  }
  for (int s : {kScopes, kSource, kListedOn})
    if (missing(s)) {
      report.error = "no column '" + column(m, s) + "' (" + kSlotNames[s] + ") in the header and no default for it";
      return;
    }
  if (missing(kReasonCode) && missing(kReasonText)) {
    report.error = "no column '" + m.reason_code + "' (reason_code) or '" + m.reason_text + "' (reason_text) in the header";
    return;
  }

  RowReader reader(m, into, options, report);
  Row row;
  std::size_t since_progress = 0;
  while (pos < text.size()) {
    const std::size_t row_line = line;
    if (text[pos] == '\n' || text[pos] == '\r') {  // blank line
      if (text[pos] == '\n') ++line;
      ++pos;
      continue;
    }
    if (!csv_record(text, &pos, &line, cells, arena)) {
      ++report.rows;
      reader.reject(row_line, Field::row, "a quoted field is not closed before the end of the file");
      break;
    }
    if (cells.size() != header.size()) {
      ++report.rows;
      reader.reject(row_line, Field::row,
                    "has " + std::to_string(cells.size()) + " fields, the header " + std::to_string(header.size()));
      continue;
    }
    for (int s = 0; s < kSlots; ++s) row.cell[s] = index[s] >= 0 ? cells[static_cast<std::size_t>(index[s])] : std::string_view();
    reader.add(row_line, row);
    if (options.progress && ++since_progress == kProgressEvery) {
      since_progress = 0;
      options.progress(pos, text.size());
    }
  }
}

// ─── JSON Lines ─────────────────────────────────────────────────────────────────────────────────────────

void load_jsonl(std::string_view text, const Mapping& m, Builder& into, const LoadOptions& options, LoadReport& report) {
  RowReader reader(m, into, options, report);
  std::size_t pos = 0, line = 0, since_progress = 0;
  Row row;
  std::string numbers[kSlots];
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view l = trim(text.substr(pos, end - pos));
    pos = end + 1;
    ++line;
    if (line == 1 && l.substr(0, 3) == "\xEF\xBB\xBF") l = trim(l.substr(3));
    if (l.empty()) continue;
    const nlohmann::json j = nlohmann::json::parse(l.begin(), l.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      ++report.rows;
      reader.reject(line, Field::row, j.is_discarded() ? "not valid JSON" : "not a JSON object");
      continue;
    }
    row = Row();
    bool bad = false;
    for (int s = 0; s < kSlots && !bad; ++s) {
      const std::string& name = column(m, s);
      const auto it = name.empty() ? j.end() : j.find(name);
      if (it == j.end() || it->is_null()) continue;
      if (it->is_string()) {
        row.cell[s] = it->get_ref<const std::string&>();
      } else if (it->is_number_integer() || it->is_number_unsigned()) {
        numbers[s] = it->dump();  // an ID number written as a JSON number
        row.cell[s] = numbers[s];
      } else if (s == kScopes && it->is_array()) {
        row.scope_array = true;
        for (const auto& item : *it) {
          if (!item.is_string()) {
            bad = true;
            break;
          }
          row.scope_list.push_back(item.get<std::string>());
        }
        if (bad) {
          ++report.rows;
          reader.reject(line, Field::scopes, "the array holds something other than strings");
        }
      } else {
        bad = true;
        ++report.rows;
        const Field f[kSlots] = {Field::key, Field::key, Field::scopes, Field::reason_code, Field::reason_text,
                                 Field::source, Field::listed_on, Field::from, Field::until};
        reader.reject(line, f[s], std::string("expected a string, found ") + it->type_name());
      }
    }
    if (bad) continue;
    if (row.scope_array && row.scope_list.empty()) row.scope_array = false;  // [] → the default, if any
    reader.add(line, row);
    if (options.progress && ++since_progress == kProgressEvery) {
      since_progress = 0;
      options.progress(pos, text.size());
    }
  }
}

bool ends_with(const std::string& s, const char* suffix) {
  const std::size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

}  // namespace

LoadReport load_text(std::string_view text, const std::string& name, Builder& into, const LoadOptions& options) {
  LoadReport report;
  into.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
  Format format = options.format;
  if (format == Format::detect) {
    if (options.mapping.format == "csv") {
      format = Format::csv;
    } else if (options.mapping.format == "jsonl") {
      format = Format::jsonl;
    } else {
      format = ends_with(name, ".jsonl") || ends_with(name, ".json") || ends_with(name, ".ndjson") ? Format::jsonl : Format::csv;
    }
  }
  if (format == Format::csv) {
    load_csv(text, options.mapping, into, options, report);
  } else {
    load_jsonl(text, options.mapping, into, options, report);
  }
  if (options.progress && report.ok()) options.progress(text.size(), text.size());
  return report;
}

LoadReport load_file(const std::string& path, Builder& into, const LoadOptions& options) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (fd >= 0) ::close(fd);
    LoadReport report;
    report.error = path + ": cannot open the file (" + std::strerror(errno) + ")";
    if (fd >= 0) report.error = path + ": not a regular file";
    return report;
  }
  const std::size_t size = static_cast<std::size_t>(st.st_size);
  void* data = size ? ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0) : nullptr;
  ::close(fd);
  if (size && data == MAP_FAILED) {
    LoadReport report;
    report.error = path + ": cannot read the file";
    return report;
  }
  if (size) ::madvise(data, size, MADV_SEQUENTIAL);
  LoadReport report = load_text(std::string_view(static_cast<const char*>(data), size), path, into, options);
  if (size) ::munmap(data, size);
  return report;
}

}  // namespace eligo::blacklist
