// SheetWriter: rows into a libxlsxwriter worksheet, with continuation sheets past Excel's row limit and the
// current header repeated on them. Shared by every xlsx report (payout reconcile, admission rank/diff/review).
#pragma once

#include <xlsxwriter.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

namespace eligo::payout::detail {

inline constexpr lxw_row_t kMaxRows = 1048576;

class SheetWriter {
 public:
  SheetWriter(lxw_workbook* wb, std::string name, lxw_format* bold, lxw_format* money)
      : wb_(wb), name_(std::move(name)), bold_(bold), money_(money) {
    open_sheet();
  }
  // A header row (bold), repeated on continuation sheets while it is current.
  void header(const std::vector<std::string>& cells) {
    header_ = cells;
    row(cells, bold_, {});
  }
  void row(const std::vector<std::string>& cells, lxw_format* format = nullptr, const std::vector<int>& numeric = {}) {
    if (row_ >= kMaxRows) {
      ++part_;
      open_sheet();
      if (!header_.empty()) write(header_, bold_, {});
    }
    write(cells, format, numeric);
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
  }
  void write(const std::vector<std::string>& cells, lxw_format* format, const std::vector<int>& numeric) {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const bool number = std::find(numeric.begin(), numeric.end(), static_cast<int>(c)) != numeric.end();
      if (number && !cells[c].empty()) {
        worksheet_write_number(ws_, row_, static_cast<lxw_col_t>(c), std::strtod(cells[c].c_str(), nullptr), money_);
      } else if (!cells[c].empty()) {
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
};

}  // namespace eligo::payout::detail
