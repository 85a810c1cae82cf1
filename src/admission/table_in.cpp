#include "admission/table_in.hpp"

#include <map>

#include "payout/row_reader.hpp"
#include "records/xlsx_reader.hpp"

namespace eligo::admission::detail {
namespace {

bool ends_with(const std::string& s, std::string_view ext) {
  return s.size() >= ext.size() && s.compare(s.size() - ext.size(), ext.size(), ext) == 0;
}

bool read_xlsx(const std::string& path, const ReadOptions& options, const std::vector<std::string>& columns,
               const std::vector<bool>& optional, Table* out, std::vector<Rejection>* bad, std::string* error) {
  records::XlsxReader x;
  if (!x.open(path, error) || !x.select(options.sheet, error)) return false;
  std::vector<std::string> header;
  if (!x.read_header(&header, error)) return false;
  std::vector<int> index;
  std::string missing;
  for (std::size_t k = 0; k < columns.size(); ++k) {
    const std::string& c = columns[k];
    int found = -1;
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == c) found = static_cast<int>(i);
    if (found < 0 && !(k < optional.size() && optional[k])) missing += (missing.empty() ? "'" : ", '") + c + "'";
    index.push_back(found);
  }
  if (!missing.empty()) {
    std::string present;
    for (const auto& h : header) present += (present.empty() ? "" : ", ") + h;
    *error = path + ": the header lacks " + missing + "; it has: " + present;
    return false;
  }
  std::vector<std::string> cells;
  for (;;) {
    const auto next = x.next(&cells);
    if (next == records::XlsxReader::Next::end) break;
    if (next == records::XlsxReader::Next::error) {
      *error = x.error();
      return false;
    }
    if (next == records::XlsxReader::Next::bad_row) {
      bad->push_back({x.row(), "", x.problem()});
      continue;
    }
    bool blank = true;
    for (const auto& c : cells) blank = blank && c.empty();
    if (blank) continue;  // a row with nothing in it (formatting only)
    if (cells.size() > header.size()) {
      bad->push_back({x.row(), records::XlsxReader::column_name(static_cast<int>(cells.size()) - 1), "a cell beyond the header's columns"});
      continue;
    }
    std::vector<std::string> row;
    for (const int i : index) row.push_back(i >= 0 && static_cast<std::size_t>(i) < cells.size() ? cells[i] : "");
    out->rows.push_back(std::move(row));
    out->row_numbers.push_back(x.row());
  }
  return true;
}

}  // namespace

std::string format_of(const std::string& path) {
  if (ends_with(path, ".csv") || ends_with(path, ".tsv")) return "csv";
  if (ends_with(path, ".jsonl") || ends_with(path, ".ndjson") || ends_with(path, ".json")) return "jsonl";
  if (ends_with(path, ".xlsx")) return "xlsx";
  return "";
}

bool read_table(const std::string& path, const ReadOptions& options, const std::vector<std::string>& columns,
                Table* out, std::vector<Rejection>* bad, std::string* error, const std::vector<bool>& optional) {
  out->header = columns;
  out->rows.clear();
  out->row_numbers.clear();
  const std::string format = options.format == "auto" ? format_of(path) : options.format;
  if (format == "xlsx") return read_xlsx(path, options, columns, optional, out, bad, error);
  payout::SourceMapping mapping;
  mapping.format = format.empty() ? "auto" : format;
  mapping.encoding = options.encoding;
  std::vector<bool> required(columns.size(), true);
  for (std::size_t k = 0; k < optional.size() && k < columns.size(); ++k) required[k] = !optional[k];
  payout::detail::RowReader reader;
  if (!reader.open(path, mapping, columns, required, error)) return false;
  for (;;) {
    const auto next = reader.next();
    if (next == payout::detail::RowReader::Next::end) break;
    if (next == payout::detail::RowReader::Next::error) {
      *error = reader.error();
      return false;
    }
    if (next == payout::detail::RowReader::Next::bad_row) {
      bad->push_back({reader.line(), reader.problem_field(), reader.problem()});
      continue;
    }
    std::vector<std::string> row;
    for (const auto v : reader.values()) row.emplace_back(v);
    out->rows.push_back(std::move(row));
    out->row_numbers.push_back(reader.line());
  }
  return true;
}

}  // namespace eligo::admission::detail
