// Reading CSV and JSON Lines files into a Builder, through the one record reader: columns by the Mapping,
// bad rows reported (row number, field, why, the ID masked) and skipped, the rest added.
#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>

#include "blacklist/key.hpp"
#include "eligo/blacklist.hpp"
#include "eligo/records.hpp"

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

// Every row comes from the one record reader (include/eligo/records.hpp): the same CSV and JSON Lines rules as
// every other file eligo reads — BOM, quoting, a duplicated column refused, invalid UTF-8 a bad row.
void load_rows(records::RecordReader& in, const Mapping& m, Builder& into, const LoadOptions& options,
               LoadReport& report) {
  RowReader reader(m, into, options, report);
  Row row;
  std::size_t since_progress = 0;
  const auto progress = [&] {
    if (options.progress && ++since_progress == kProgressEvery) {
      since_progress = 0;
      options.progress(in.bytes_read(), in.size());
    }
  };
  const Field fields[kSlots] = {Field::key, Field::key, Field::scopes, Field::reason_code, Field::reason_text,
                                Field::source, Field::listed_on, Field::from, Field::until};
  int index[kSlots];
  if (in.tabular()) {
    for (int s = 0; s < kSlots; ++s) index[s] = column(m, s).empty() ? -1 : in.column(column(m, s));
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
  }
  std::vector<std::string> names;
  for (int s = 0; s < kSlots; ++s) names.push_back(column(m, s));
  records::JsonCells json;
  std::string problem;
  for (;;) {
    const records::Next next = in.next();
    if (next == records::Next::end) break;
    if (next == records::Next::error) {
      report.error = in.error();
      return;
    }
    const std::size_t line = static_cast<std::size_t>(in.line());
    if (next == records::Next::bad_row) {
      ++report.rows;
      reader.reject(line, Field::row, in.problem());
      continue;
    }
    row = Row();
    if (in.tabular()) {
      for (int s = 0; s < kSlots; ++s)
        row.cell[s] = index[s] >= 0 ? in.cells()[static_cast<std::size_t>(index[s])] : std::string_view();
      reader.add(line, row);
      progress();
      continue;
    }
    // JSON Lines: the mapped keys of one object; scopes may be an array of strings.
    if (!records::json_object_cells(in.json(), names, &json, &problem)) {
      ++report.rows;
      reader.reject(line, Field::row, problem);
      continue;
    }
    bool bad = false;
    for (int s = 0; s < kSlots && !bad; ++s) {
      if (names[s].empty()) continue;
      const records::CellKind kind = json.kind[static_cast<std::size_t>(s)];
      const std::string& text = json.text[static_cast<std::size_t>(s)];
      if (kind == records::CellKind::absent || kind == records::CellKind::null) continue;
      if (kind != records::CellKind::nested) {
        row.cell[s] = text;
        continue;
      }
      const nlohmann::json list = nlohmann::json::parse(text, nullptr, false);
      if (s == kScopes && list.is_array() &&
          std::all_of(list.begin(), list.end(), [](const nlohmann::json& v) { return v.is_string(); })) {
        for (const auto& item : list) row.scope_list.push_back(item.get<std::string>());
        row.scope_array = !row.scope_list.empty();  // [] → the default, if any
        continue;
      }
      bad = true;
      ++report.rows;
      reader.reject(line, fields[s], s == kScopes && list.is_array() ? "the array holds something other than strings"
                                                                       : "expected a string, found an array or object");
    }
    if (bad) continue;
    reader.add(line, row);
    progress();
  }
}

bool ends_with(const std::string& s, const char* suffix) {
  const std::size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

records::ReadOptions read_options(const std::string& name, const LoadOptions& options) {
  Format format = options.format;
  if (format == Format::detect) {
    if (options.mapping.format == "csv") format = Format::csv;
    else if (options.mapping.format == "jsonl") format = Format::jsonl;
    else format = ends_with(name, ".jsonl") || ends_with(name, ".json") || ends_with(name, ".ndjson") ? Format::jsonl : Format::csv;
  }
  records::ReadOptions ro;
  ro.format = format == Format::csv ? records::Format::csv : records::Format::jsonl;
  return ro;
}

}  // namespace

LoadReport load_text(std::string_view text, const std::string& name, Builder& into, const LoadOptions& options) {
  LoadReport report;
  into.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
  records::RecordReader in;
  if (!in.open_text(std::string(text), name, read_options(name, options), &report.error)) return report;
  load_rows(in, options.mapping, into, options, report);
  if (options.progress && report.ok()) options.progress(text.size(), text.size());
  return report;
}

LoadReport load_file(const std::string& path, Builder& into, const LoadOptions& options) {
  LoadReport report;
  records::RecordReader in;
  if (!in.open(path, read_options(path, options), &report.error)) return report;
  if (in.size()) into.reserve(static_cast<std::size_t>(in.size() / 64));  // a row is about 60–100 bytes
  load_rows(in, options.mapping, into, options, report);
  if (options.progress && report.ok()) options.progress(in.size(), in.size());
  return report;
}

}  // namespace eligo::blacklist
