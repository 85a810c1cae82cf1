// The one xlsx table writer (libxlsxwriter) behind every workbook eligo writes: payout reconcile, the
// admission tables, eligo batch.
//
//   XlsxBook book;
//   if (!book.open("out/results.xlsx", "eligo batch", &error)) return false;   // a temporary name until commit
//   {
//     SheetWriter sheet(book, "results 结果");
//     sheet.header({"key", "verdict", "amount"});       // bold; the first header row is frozen
//     sheet.row({"110105********002X", "eligible", "3000.00"}, nullptr, {2});   // column 2 as a number
//   }                                                   // column widths set from the widest cells
//   if (!book.commit(&error)) return false;             // closed and renamed into place
//
// A book is written in libxlsxwriter's constant-memory mode (rows streamed to disk, so memory stays flat in
// rows) with a fixed creation time, so equal tables give byte-identical files. Number cells use the money
// format #,##0.00 for the columns named money, a plain number format otherwise; their text must be a
// decimal (the CSV files keep the exact text; a double holds it exactly to the cent below 10^13). Past
// Excel's 1,048,576 rows a sheet continues on "name (2)", the current header repeated.
#pragma once

#include <xlsxwriter.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "payout/atomic_file.hpp"

namespace eligo::detail {

inline constexpr lxw_row_t kMaxRows = 1048576;

class XlsxBook {
 public:
  XlsxBook() = default;
  ~XlsxBook() {
    if (wb_) workbook_close(wb_);  // never committed: the AtomicFile removes the temporary file
  }
  XlsxBook(const XlsxBook&) = delete;
  XlsxBook& operator=(const XlsxBook&) = delete;

  bool open(const std::string& path, const std::string& title, std::string* error) {
    path_ = path;
    title_ = title;
    if (!target_.open(path, error)) return false;
    lxw_workbook_options options = {};
    options.constant_memory = LXW_TRUE;
    wb_ = workbook_new_opt(target_.temp_path().c_str(), &options);
    if (!wb_) {
      *error = path + ": cannot create the workbook";
      return false;
    }
    lxw_doc_properties properties = {};
    properties.title = const_cast<char*>(title_.c_str());
    properties.created = 946684800;  // fixed (2000-01-01): identical tables give identical bytes
    workbook_set_properties(wb_, &properties);
    bold_ = workbook_add_format(wb_);
    format_set_bold(bold_);
    money_ = workbook_add_format(wb_);
    format_set_num_format(money_, "#,##0.00");
    return true;
  }
  // Closes the workbook and renames it into place.
  bool commit(std::string* error) {
    const lxw_error rc = workbook_close(wb_);
    wb_ = nullptr;
    if (rc != LXW_NO_ERROR) {
      *error = path_ + ": cannot write the workbook: " + lxw_strerror(rc);
      return false;
    }
    return target_.commit_external(error);
  }
  lxw_workbook* workbook() const { return wb_; }
  lxw_format* bold() const { return bold_; }
  lxw_format* money() const { return money_; }

 private:
  payout::detail::AtomicFile target_;
  lxw_workbook* wb_ = nullptr;
  lxw_format* bold_ = nullptr;
  lxw_format* money_ = nullptr;
  std::string path_, title_;
};

class SheetWriter {
 public:
  // `money` false: number cells in the plain number format (points, counts), else #,##0.00.
  SheetWriter(XlsxBook& book, std::string name, bool money = true)
      : wb_(book.workbook()), name_(std::move(name)), bold_(book.bold()), money_(money ? book.money() : nullptr) {
    open_sheet();
  }
  ~SheetWriter() { set_widths(); }
  SheetWriter(const SheetWriter&) = delete;
  SheetWriter& operator=(const SheetWriter&) = delete;

  // A header row (bold), repeated on continuation sheets while it is current. The first header of a sheet
  // written on its first row is frozen, so it stays in view while scrolling.
  void header(const std::vector<std::string>& cells) {
    header_ = cells;
    if (row_ == 0) worksheet_freeze_panes(ws_, 1, 0);
    row(cells, bold_, {});
  }
  // Columns listed in `numeric` are written as numbers when their text is a number.
  void row(const std::vector<std::string>& cells, lxw_format* format = nullptr, const std::vector<int>& numeric = {}) {
    if (row_ >= kMaxRows) {
      set_widths();
      ++part_;
      open_sheet();
      if (!header_.empty()) {
        worksheet_freeze_panes(ws_, 1, 0);
        write(header_, bold_, {});
      }
    }
    write(cells, format, numeric);
  }
  // From now on only these columns take the money format; other number cells take the plain one.
  void money_columns(std::vector<int> columns) {
    money_columns_ = std::move(columns);
    only_money_columns_ = true;
  }
  void blank() {
    if (row_ < kMaxRows) ++row_;
    header_.clear();
  }

 private:
  void open_sheet() {
    const std::string name = part_ == 1 ? name_ : name_ + " (" + std::to_string(part_) + ")";
    ws_ = workbook_add_worksheet(wb_, name.c_str());
    row_ = 0;
    widths_.clear();
  }
  // Display width: CJK and other wide characters count two.
  static double width(const std::string& s) {
    double w = 0;
    for (std::size_t i = 0; i < s.size();) {
      const unsigned char c = static_cast<unsigned char>(s[i]);
      const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      w += len >= 3 ? 2 : 1;
      i += len;
    }
    return w;
  }
  void set_widths() {
    for (std::size_t c = 0; c < widths_.size(); ++c)
      worksheet_set_column(ws_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), std::min(60.0, widths_[c] + 2), nullptr);
    widths_.clear();
  }
  void write(const std::vector<std::string>& cells, lxw_format* format, const std::vector<int>& numeric) {
    if (widths_.size() < cells.size()) widths_.resize(cells.size(), 8);
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (cells[c].empty()) continue;
      widths_[c] = std::max(widths_[c], width(cells[c]));
      const bool number = std::find(numeric.begin(), numeric.end(), static_cast<int>(c)) != numeric.end();
      char* end = nullptr;
      const double v = number ? std::strtod(cells[c].c_str(), &end) : 0;
      if (number && end && *end == '\0') {
        const bool money = !only_money_columns_ ||
                           std::find(money_columns_.begin(), money_columns_.end(), static_cast<int>(c)) != money_columns_.end();
        worksheet_write_number(ws_, row_, static_cast<lxw_col_t>(c), v, money ? money_ : nullptr);
      } else {
        worksheet_write_string(ws_, row_, static_cast<lxw_col_t>(c), cells[c].c_str(), format);
      }
    }
    ++row_;
  }
  lxw_workbook* wb_;
  lxw_worksheet* ws_ = nullptr;
  std::string name_;
  lxw_format* bold_;
  lxw_format* money_;
  lxw_row_t row_ = 0;
  int part_ = 1;
  std::vector<std::string> header_;
  std::vector<double> widths_;
  std::vector<int> money_columns_;
  bool only_money_columns_ = false;
};

}  // namespace eligo::detail
