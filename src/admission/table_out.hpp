// Tables out: one sheet of columns and rows written as CSV, JSON Lines or xlsx (the admission commands' reports).
// Files appear atomically (payout's AtomicFile); xlsx goes through the shared SheetWriter (core/xlsx_book.hpp) with a fixed creation
// time, so the same tables give the same bytes.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace eligo::admission::detail {

struct Sheet {
  std::string name;                          // xlsx sheet name
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> numeric;                  // columns written as numbers (xlsx numbers, JSON numbers)
};

// A CSV table written row by row (RFC 4180, quoted where needed, LF), for reports too large to hold: the file
// appears on commit() (atomically), or never. write_table and csv_text write the same bytes.
class CsvStream {
 public:
  CsvStream();
  ~CsvStream();
  CsvStream(CsvStream&&) noexcept;
  bool open(const std::string& path, const std::vector<std::string>& columns, std::string* error);
  void row(const std::vector<std::string>& cells);
  bool commit(std::string* error);

 private:
  struct File;
  std::unique_ptr<File> file_;
  std::string line_;
};

// "csv" (RFC 4180, quoted where needed, LF) or "jsonl" (one object per row, columns in order).
bool write_table(const Sheet& sheet, const std::string& format, const std::string& path, std::string* error);
// One workbook, a sheet per table (header in bold).
bool write_sheets(const std::vector<Sheet>& sheets, const std::string& path, const std::string& title, std::string* error);
// Any text, atomically.
bool write_text_file(const std::string& path, const std::string& text, std::string* error);
// The same as text, for standard output.
std::string csv_text(const Sheet& sheet);
std::string jsonl_text(const Sheet& sheet);

}  // namespace eligo::admission::detail
