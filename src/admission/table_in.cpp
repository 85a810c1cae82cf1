#include "admission/table_in.hpp"

#include <algorithm>

#include "eligo/records.hpp"
#include "records/json_cursor.hpp"
#include "records/xlsx_reader.hpp"

namespace eligo::admission::detail {
namespace {

bool ends_with(const std::string& s, std::string_view ext) {
  return s.size() >= ext.size() && s.compare(s.size() - ext.size(), ext.size(), ext) == 0;
}

std::string_view trimmed(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

// Where a tabular row's problem is: the column's name when the reader names one.
std::string column_at(const records::RecordReader& r, int index) {
  if (index < 0 || static_cast<std::size_t>(index) >= r.header().size()) return "";
  return r.header()[static_cast<std::size_t>(index)];
}

}  // namespace

std::string format_of(const std::string& path) {
  if (ends_with(path, ".csv") || ends_with(path, ".tsv")) return "csv";
  if (ends_with(path, ".jsonl") || ends_with(path, ".ndjson") || ends_with(path, ".json")) return "jsonl";
  if (ends_with(path, ".xlsx")) return "xlsx";
  return "";
}

namespace {

bool read_rows(records::RecordReader& reader, const std::string& path, const std::vector<std::string>& columns,
               Table* out, std::vector<Rejection>* bad, std::string* error, const std::vector<bool>& optional,
               bool exact);

bool reader_options(const std::string& path, const ReadOptions& options, records::ReadOptions* ro, std::string* error) {
  ro->encoding = options.encoding;
  ro->sheet = options.sheet;
  if (options.format != "auto") {
    const auto f = records::parse_format(options.format);
    if (!f) {
      *error = path + ": unknown input format '" + options.format + "' (csv, jsonl, json, xlsx, sqlite or auto)";
      return false;
    }
    ro->format = *f;
  }
  return true;
}

}  // namespace

bool read_table_text(std::string text, const std::string& name, const ReadOptions& options,
                     const std::vector<std::string>& columns, Table* out, std::vector<Rejection>* bad,
                     std::string* error, const std::vector<bool>& optional) {
  records::ReadOptions ro;
  if (!reader_options(name, options, &ro, error)) return false;
  records::RecordReader reader;
  if (!reader.open_text(std::move(text), name, ro, error)) return false;
  return read_rows(reader, name, columns, out, bad, error, optional, options.exact);
}

bool read_table(const std::string& path, const ReadOptions& options, const std::vector<std::string>& columns,
                Table* out, std::vector<Rejection>* bad, std::string* error, const std::vector<bool>& optional) {
  records::ReadOptions ro;
  if (!reader_options(path, options, &ro, error)) return false;
  records::RecordReader reader;
  if (!reader.open(path, ro, error)) return false;
  return read_rows(reader, path, columns, out, bad, error, optional, options.exact);
}

namespace {

// The first member of a JSON object that is not one of `columns`, or "" (the row is known to be an object).
std::string other_member(std::string_view json, const std::vector<std::string>& columns) {
  records::detail::JsonCursor c(json);
  std::string scratch;
  std::string_view key;
  bool first = true, done = false;
  if (!c.expect('{')) return "";
  while (c.member(&first, &key, &scratch, &done)) {
    if (std::find(columns.begin(), columns.end(), key) == columns.end()) return std::string(key);
    if (!c.skip_value(1)) return "";
  }
  return "";
}

bool read_rows(records::RecordReader& reader, const std::string& path, const std::vector<std::string>& columns,
               Table* out, std::vector<Rejection>* bad, std::string* error, const std::vector<bool>& optional,
               bool exact) {
  out->header = columns;
  out->rows.clear();
  out->row_numbers.clear();
  auto is_optional = [&](std::size_t k) { return k < optional.size() && optional[k]; };
  std::vector<int> index;
  if (reader.tabular()) {
    std::string missing, present;
    for (const auto& h : reader.header()) present += (present.empty() ? "" : ", ") + h;
    for (std::size_t k = 0; k < columns.size(); ++k) {
      const int found = reader.column(columns[k]);
      if (found < 0 && !is_optional(k)) missing += (missing.empty() ? "'" : ", '") + columns[k] + "'";
      index.push_back(found);
    }
    if (!missing.empty()) {
      *error = path + ": the header lacks " + missing + "; it has: " + present;
      return false;
    }
    if (exact)
      for (const auto& h : reader.header())
        if (std::find(columns.begin(), columns.end(), h) == columns.end()) {
          *error = path + ": the header has a column '" + h + "' that is not one of: " + [&] {
            std::string list;
            for (const auto& c : columns) list += (list.empty() ? "" : ", ") + c;
            return list;
          }();
          return false;
        }
  }
  records::JsonCells json;
  std::string why;
  for (;;) {
    const records::Next next = reader.next();
    if (next == records::Next::end) break;
    if (next == records::Next::error) {
      *error = reader.error();
      return false;
    }
    if (next == records::Next::bad_row) {
      bad->push_back({reader.line(), column_at(reader, reader.problem_column()), reader.problem()});
      continue;
    }
    std::vector<std::string> row;
    if (reader.tabular()) {
      const auto& cells = reader.cells();
      for (const int i : index) row.emplace_back(i >= 0 ? cells[static_cast<std::size_t>(i)] : std::string_view());
    } else {
      if (!records::json_object_cells(reader.json(), columns, &json, &why)) {
        bad->push_back({reader.line(), "", why});
        continue;
      }
      std::string problem, column;
      for (std::size_t k = 0; k < columns.size() && problem.empty(); ++k) {
        if (json.kind[k] == records::CellKind::nested) {
          column = columns[k];
          problem = "an object or array, not a single value";
        } else if (json.kind[k] == records::CellKind::absent && !is_optional(k)) {
          column = columns[k];
          problem = "the member '" + columns[k] + "' is absent";
        }
        row.emplace_back(trimmed(json.text[k]));
      }
      if (problem.empty() && exact) {
        column = other_member(reader.json(), columns);
        if (!column.empty()) problem = "the member '" + column + "' is not one of this file's columns";
      }
      if (!problem.empty()) {
        bad->push_back({reader.line(), column, problem});
        continue;
      }
    }
    out->rows.push_back(std::move(row));
    out->row_numbers.push_back(reader.line());
  }
  return true;
}

}  // namespace

}  // namespace eligo::admission::detail
