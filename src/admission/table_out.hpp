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

// A table written row by row as "csv" (RFC 4180, quoted where needed, LF) or "jsonl" (one object per row,
// columns in order; `numeric` columns as JSON numbers, empty = null), for reports too large to hold in memory.
// The file appears whole on commit() (atomically), or never. write_table is this over a held Sheet.
class TableStream {
 public:
  TableStream();
  ~TableStream();
  TableStream(TableStream&&) noexcept;
  bool open(const std::string& path, const std::string& format, const std::vector<std::string>& columns,
            const std::vector<int>& numeric, std::string* error);
  void row(const std::vector<std::string>& cells);
  bool commit(std::string* error);

 private:
  struct File;
  std::unique_ptr<File> file_;
};

bool write_table(const Sheet& sheet, const std::string& format, const std::string& path, std::string* error);
// One workbook, a sheet per table (header in bold).
bool write_sheets(const std::vector<Sheet>& sheets, const std::string& path, const std::string& title, std::string* error);
// Any text, atomically.
bool write_text_file(const std::string& path, const std::string& text, std::string* error);

}  // namespace eligo::admission::detail
