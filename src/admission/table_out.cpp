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

bool is_numeric(const Sheet& s, std::size_t c) {
  return std::find(s.numeric.begin(), s.numeric.end(), static_cast<int>(c)) != s.numeric.end();
}


void csv_line(std::string* out, const std::vector<std::string>& cells) {
  for (std::size_t c = 0; c < cells.size(); ++c) {
    if (c) out->push_back(',');
    csv_cell(out, cells[c]);
  }
  out->push_back('\n');
}

}  // namespace

std::string csv_text(const Sheet& sheet) {
  std::string out;
  csv_line(&out, sheet.columns);
  for (const auto& r : sheet.rows) csv_line(&out, r);
  return out;
}

struct CsvStream::File {
  payout::detail::AtomicFile file;
};
CsvStream::CsvStream() = default;
CsvStream::~CsvStream() = default;
CsvStream::CsvStream(CsvStream&&) noexcept = default;

bool CsvStream::open(const std::string& path, const std::vector<std::string>& columns, std::string* error) {
  file_ = std::make_unique<File>();
  if (!file_->file.open(path, error)) return false;
  row(columns);
  return true;
}

void CsvStream::row(const std::vector<std::string>& cells) {
  line_.clear();
  csv_line(&line_, cells);
  file_->file.write(line_);
}

bool CsvStream::commit(std::string* error) { return file_->file.commit(error); }

std::string jsonl_text(const Sheet& sheet) {
  std::string out;
  for (const auto& r : sheet.rows) {
    out.push_back('{');
    for (std::size_t c = 0; c < sheet.columns.size(); ++c) {
      if (c) out.push_back(',');
      out += eligo::json_dump(nlohmann::json(sheet.columns[c]));
      out.push_back(':');
      const std::string& cell = c < r.size() ? r[c] : std::string();
      if (is_numeric(sheet, c) && cell.empty()) out += "null";
      else if (is_numeric(sheet, c) && Decimal::parse(cell)) out += cell;
      else out += eligo::json_dump(nlohmann::json(cell));
    }
    out += "}\n";
  }
  return out;
}

bool write_table(const Sheet& sheet, const std::string& format, const std::string& path, std::string* error) {
  if (format != "csv" && format != "jsonl") {
    *error = "unknown output format '" + format + "' (csv, jsonl or xlsx)";
    return false;
  }
  payout::detail::AtomicFile file;
  if (!file.open(path, error)) return false;
  file.write(format == "csv" ? csv_text(sheet) : jsonl_text(sheet));
  return file.commit(error);
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
