// The xlsx part of the one record reader: a workbook's sheet streamed row by row (minizip + expat).
//
//   eligo::records::XlsxReader x;
//   std::string error;
//   if (!x.open("applicants.xlsx", &error) || !x.select("", &error)) { ... }   // "" = the first sheet
//   std::vector<std::string> header;
//   if (!x.read_header(&header, &error)) { ... }     // a duplicate name is an error naming both columns
//   std::vector<std::string> cells;
//   for (;;) {
//     auto next = x.next(&cells);
//     if (next == XlsxReader::Next::end) break;
//     if (next == XlsxReader::Next::error) { report(x.error()); break; }       // the file is unusable
//     if (next == XlsxReader::Next::bad_row) { report(x.row(), x.problem()); continue; }
//     use(x.row(), cells);                         // x.row(): the sheet's 1-based row number
//   }
//
// What a cell's text is:
//   - shared and inline strings: their text (rich-text runs joined, phonetic runs left out, _xHHHH_ escapes
//     decoded); a formula's string result likewise;
//   - numbers: exactly as stored in the file ("120", "0.1", "1E-3"), never through binary floating point;
//   - booleans: "true" / "false";
//   - numbers whose cell style is a date format: the date "YYYY-MM-DD" (with " HH:MM:SS" when the serial has a
//     time of day), in the 1900 date system with Excel's 1900 leap-year bug (serial 60 is the 29 February 1900
//     that never was: a bad row), or the 1904 system when the workbook says so; ISO dates (t="d") as stored;
//   - an error value (#N/A, #DIV/0!) makes the row a bad row naming the cell.
// A row's cells are in column order, gaps (cells absent from the file) filled with "", up to the last cell the
// file holds. Rows absent from the file are not handed out (row() says where each row is); a row present
// with only empty cells is handed out as it is.
// Only the shared strings and the style table are held in memory; the sheet itself is parsed as it is inflated.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace eligo::records {

class XlsxReader {
 public:
  enum class Next : std::uint8_t { row, bad_row, end, error };

  XlsxReader();
  ~XlsxReader();
  XlsxReader(const XlsxReader&) = delete;
  XlsxReader& operator=(const XlsxReader&) = delete;

  // Opens the workbook: its sheet list, date system, shared strings and styles. false and *error naming the
  // file when it is not a readable xlsx workbook.
  bool open(const std::string& path, std::string* error);
  // The sheet names in workbook order.
  const std::vector<std::string>& sheets() const;
  // Starts streaming a sheet by name ("" = the first). false and *error (listing the sheets) when absent.
  bool select(std::string_view sheet, std::string* error);

  // Reads the next row as the header: names trimmed of spaces; an empty name or two columns with the same
  // name is an error naming the columns ("columns B and D are both named 'key'"). false at the end too.
  bool read_header(std::vector<std::string>* names, std::string* error);
  Next next(std::vector<std::string>* cells);

  std::uint64_t row() const;              // the current row's number in the sheet (1-based)
  const std::string& problem() const;     // bad_row: why, naming the cell ("C7")
  const std::string& error() const;       // error: why, naming the file
  bool date1904() const;

  // "A" → 0, "AB" → 27; -1 when not a column name. And back.
  static int column_index(std::string_view letters);
  static std::string column_name(int index);
  // A date serial number's text (see above); false when it is no calendar day.
  static bool serial_to_date(std::string_view number, bool date1904, std::string* out);

  struct State;

 private:
  std::unique_ptr<State> s_;
};

}  // namespace eligo::records
