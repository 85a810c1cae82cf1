#include "core/json_dump.hpp"
#include "admission/table_out.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/text_out.hpp"
#include "eligo/decimal.hpp"
#include "payout/atomic_file.hpp"
#include "core/xlsx_book.hpp"

namespace eligo::admission::detail {
namespace {

void csv_cell(std::string* out, const std::string& cell) { eligo::detail::append_csv_cell(out, cell); }

bool is_numeric(const std::vector<int>& numeric, std::size_t c) {
  return std::find(numeric.begin(), numeric.end(), static_cast<int>(c)) != numeric.end();
}

void csv_line(std::string* out, const std::vector<std::string>& cells) {
  for (std::size_t c = 0; c < cells.size(); ++c) {
    if (c) out->push_back(',');
    csv_cell(out, cells[c]);
  }
  out->push_back('\n');
}

void jsonl_line(std::string* out, const std::vector<std::string>& columns, const std::vector<int>& numeric,
                const std::vector<std::string>& cells) {
  out->push_back('{');
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (c) out->push_back(',');
    *out += eligo::json_dump(nlohmann::json(columns[c]));
    out->push_back(':');
    const std::string& cell = c < cells.size() ? cells[c] : std::string();
    if (is_numeric(numeric, c) && cell.empty()) *out += "null";
    else if (is_numeric(numeric, c) && Decimal::parse(cell)) *out += cell;
    else *out += eligo::json_dump(nlohmann::json(cell));
  }
  *out += "}\n";
}

}  // namespace

struct TableStream::File {
  payout::detail::AtomicFile file;
  bool jsonl = false;
  std::vector<std::string> columns;
  std::vector<int> numeric;
  std::string line;  // reused
};
TableStream::TableStream() = default;
TableStream::~TableStream() = default;
TableStream::TableStream(TableStream&&) noexcept = default;

bool TableStream::open(const std::string& path, const std::string& format, const std::vector<std::string>& columns,
                       const std::vector<int>& numeric, std::string* error) {
  if (format != "csv" && format != "jsonl") {
    *error = "unknown output format '" + format + "' (csv, jsonl or xlsx)";
    return false;
  }
  file_ = std::make_unique<File>();
  file_->jsonl = format == "jsonl";
  file_->columns = columns;
  file_->numeric = numeric;
  if (!file_->file.open(path, error)) return false;
  if (!file_->jsonl) {
    csv_line(&file_->line, columns);
    file_->file.write(file_->line);
  }
  return true;
}

void TableStream::row(const std::vector<std::string>& cells) {
  File& f = *file_;
  f.line.clear();
  if (f.jsonl) jsonl_line(&f.line, f.columns, f.numeric, cells);
  else csv_line(&f.line, cells);
  f.file.write(f.line);
}

bool TableStream::commit(std::string* error) { return file_->file.commit(error); }

bool write_table(const Sheet& sheet, const std::string& format, const std::string& path, std::string* error) {
  TableStream out;
  if (!out.open(path, format, sheet.columns, sheet.numeric, error)) return false;
  for (const auto& r : sheet.rows) out.row(r);
  return out.commit(error);
}

bool write_text_file(const std::string& path, const std::string& text, std::string* error) {
  payout::detail::AtomicFile file;
  if (!file.open(path, error)) return false;
  file.write(text);
  return file.commit(error);
}

bool write_sheets(const std::vector<Sheet>& sheets, const std::string& path, const std::string& title, std::string* error) {
  eligo::detail::XlsxBook book;
  if (!book.open(path, title, error)) return false;
  for (const Sheet& s : sheets) {
    eligo::detail::SheetWriter writer(book, s.name, false);
    writer.header(s.columns);
    for (const auto& r : s.rows) writer.row(r, nullptr, s.numeric);
  }
  return book.commit(error);
}

}  // namespace eligo::admission::detail
