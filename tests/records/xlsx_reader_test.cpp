// The xlsx reader on workbooks written by libxlsxwriter (here) and by openpyxl (make_openpyxl_workbook.py).
#include "records/xlsx_reader.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using eligo::records::XlsxReader;
using Cells = std::vector<std::string>;

namespace {

std::string temp_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("eligo-xlsx-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir.string();
}

// Sheet "data": shared strings (libxlsxwriter's default), numbers, booleans, dates under several formats,
// a formula with a string result, a gap and a missing row. Sheet "second" after it.
std::string write_libxlsxwriter_workbook(const std::string& dir, bool constant_memory) {
  const std::string path = dir + (constant_memory ? "/inline.xlsx" : "/shared.xlsx");
  lxw_workbook_options options = {};
  options.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "data");
  lxw_worksheet* second = workbook_add_worksheet(wb, "second");
  lxw_format* iso = workbook_add_format(wb);
  format_set_num_format(iso, "yyyy-mm-dd");
  lxw_format* builtin = workbook_add_format(wb);
  format_set_num_format_index(builtin, 14);
  lxw_format* chinese = workbook_add_format(wb);
  format_set_num_format(chinese, "yyyy\"年\"m\"月\"d\"日\"");
  lxw_format* clock = workbook_add_format(wb);
  format_set_num_format(clock, "h:mm");
  lxw_format* percent = workbook_add_format(wb);
  format_set_num_format(percent, "0.00%");
  const char* head[] = {"key", "名称", "n", "flag", "iso", "builtin", "chinese", "clock", "percent", "formula"};
  for (int c = 0; c < 10; ++c) worksheet_write_string(ws, 0, c, head[c], nullptr);
  worksheet_write_string(ws, 1, 0, "K1", nullptr);
  worksheet_write_string(ws, 1, 1, "越秀区 第一小学", nullptr);
  worksheet_write_number(ws, 1, 2, 0.5, nullptr);
  worksheet_write_boolean(ws, 1, 3, 1, nullptr);
  worksheet_write_number(ws, 1, 4, 44286, iso);
  worksheet_write_number(ws, 1, 5, 59, builtin);
  worksheet_write_number(ws, 1, 6, 44197, chinese);
  worksheet_write_number(ws, 1, 7, 0.5, clock);
  worksheet_write_number(ws, 1, 8, 0.25, percent);
  worksheet_write_formula_str(ws, 1, 9, "=\"A\"&\"B\"", nullptr, "AB");
  // row 3 absent; row 4 has a gap at B and a control character in a string
  worksheet_write_string(ws, 3, 0, "K2", nullptr);
  worksheet_write_string(ws, 3, 2, "bell\x07" "end", nullptr);
  worksheet_write_boolean(ws, 3, 3, 0, nullptr);
  worksheet_write_string(second, 0, 0, "x", nullptr);
  REQUIRE(workbook_close(wb) == LXW_NO_ERROR);
  return path;
}

Cells row_of(XlsxReader& x) {
  Cells cells;
  REQUIRE(x.next(&cells) == XlsxReader::Next::row);
  return cells;
}

}  // namespace

TEST_CASE("column letters map to indexes and back", "[records][xlsx]") {
  CHECK(XlsxReader::column_index("A") == 0);
  CHECK(XlsxReader::column_index("Z") == 25);
  CHECK(XlsxReader::column_index("AA") == 26);
  CHECK(XlsxReader::column_index("xfd") == 16383);
  CHECK(XlsxReader::column_index("") == -1);
  CHECK(XlsxReader::column_index("A1") == -1);
  CHECK(XlsxReader::column_name(0) == "A");
  CHECK(XlsxReader::column_name(27) == "AB");
  CHECK(XlsxReader::column_name(16383) == "XFD");
}

TEST_CASE("date serial numbers follow the 1900 system with its leap-year bug, or the 1904 system", "[records][xlsx]") {
  std::string d;
  CHECK((XlsxReader::serial_to_date("1", false, &d) && d == "1900-01-01"));
  CHECK((XlsxReader::serial_to_date("59", false, &d) && d == "1900-02-28"));
  CHECK_FALSE(XlsxReader::serial_to_date("60", false, &d));  // 1900-02-29 never was
  CHECK((XlsxReader::serial_to_date("61", false, &d) && d == "1900-03-01"));
  CHECK((XlsxReader::serial_to_date("44197", false, &d) && d == "2021-01-01"));
  CHECK((XlsxReader::serial_to_date("44197.5", false, &d) && d == "2021-01-01 12:00:00"));
  CHECK((XlsxReader::serial_to_date("4.4197E4", false, &d) && d == "2021-01-01"));
  CHECK((XlsxReader::serial_to_date("0", true, &d) && d == "1904-01-01"));
  CHECK((XlsxReader::serial_to_date("42735", true, &d) && d == "2021-01-01"));
  CHECK_FALSE(XlsxReader::serial_to_date("0", false, &d));
  CHECK_FALSE(XlsxReader::serial_to_date("-1", false, &d));
  CHECK_FALSE(XlsxReader::serial_to_date("x", false, &d));
}

TEST_CASE("xlsx reader streams a libxlsxwriter workbook: shared and inline strings, numbers, dates", "[records][xlsx]") {
  const std::string dir = temp_dir("lxw");
  for (const bool constant_memory : {false, true}) {
    CAPTURE(constant_memory);
    const std::string path = write_libxlsxwriter_workbook(dir, constant_memory);
    XlsxReader x;
    std::string error;
    REQUIRE(x.open(path, &error));
    CHECK(x.sheets() == Cells{"data", "second"});
    CHECK_FALSE(x.date1904());
    REQUIRE(x.select("", &error));
    Cells header;
    REQUIRE(x.read_header(&header, &error));
    CHECK(header == Cells{"key", "名称", "n", "flag", "iso", "builtin", "chinese", "clock", "percent", "formula"});
    CHECK(x.row() == 1);
    CHECK(row_of(x) == Cells{"K1", "越秀区 第一小学", "0.5", "true", "2021-03-31", "1900-02-28", "2021-01-01", "0.5",
                             "0.25", "AB"});
    CHECK(x.row() == 2);
    CHECK(row_of(x) == Cells{"K2", "", "bell\x07" "end", "false"});
    CHECK(x.row() == 4);
    Cells cells;
    CHECK(x.next(&cells) == XlsxReader::Next::end);
    CHECK(x.next(&cells) == XlsxReader::Next::end);

    REQUIRE(x.select("second", &error));
    CHECK(row_of(x) == Cells{"x"});
    CHECK(x.next(&cells) == XlsxReader::Next::end);
    CHECK_FALSE(x.select("third", &error));
    CHECK(error == path + ": no sheet named 'third' (the workbook has 'data', 'second')");
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("xlsx reader reads openpyxl workbooks: booleans, dates, 1904, error cells, duplicate headers", "[records][xlsx]") {
  const std::string dir = temp_dir("openpyxl");
  const std::string cmd = "/usr/bin/python3 " ELIGO_TEST_DIR "/records/make_openpyxl_workbook.py " + dir;
  REQUIRE(std::system(cmd.c_str()) == 0);
  for (const char* name : {"types.xlsx", "types1904.xlsx"}) {
    CAPTURE(name);
    XlsxReader x;
    std::string error;
    REQUIRE(x.open(dir + "/" + name, &error));
    CHECK(x.date1904() == (std::string(name) == "types1904.xlsx"));
    CHECK(x.sheets() == Cells{"申请人", "其他"});
    REQUIRE(x.select("申请人", &error));
    Cells header;
    REQUIRE(x.read_header(&header, &error));
    CHECK(header == Cells{"key", "姓名", "total", "ok", "since", "at"});
    CHECK(row_of(x) == Cells{"A001", "张三", "120", "true", "2021-03-31", "2021-03-31 08:30:15"});
    const bool mac = x.date1904();
    CHECK(row_of(x) == Cells{"A002", "", "0.1", "false", mac ? "1904-01-02" : "1900-03-01"});
    Cells cells;
    CHECK(x.next(&cells) == XlsxReader::Next::bad_row);
    CHECK(x.row() == 5);
    CHECK(x.problem() == "cell C5 holds the error #N/A");
    const Cells last = row_of(x);
    CHECK(x.row() == 6);
    CHECK(last == Cells{"A004", "", "1234567.891", "", mac ? "1904-01-01" : "1900-01-01"});
    CHECK(x.next(&cells) == XlsxReader::Next::end);
  }
  XlsxReader dup;
  std::string error;
  REQUIRE(dup.open(dir + "/duplicate.xlsx", &error));
  REQUIRE(dup.select("", &error));
  Cells header;
  CHECK_FALSE(dup.read_header(&header, &error));
  CHECK(error == dir + "/duplicate.xlsx: header row 1: columns A and C are both named 'key'");
  std::filesystem::remove_all(dir);
}

TEST_CASE("xlsx reader refuses what is not a workbook, naming the file", "[records][xlsx]") {
  const std::string dir = temp_dir("bad");
  const std::string text = dir + "/not.xlsx";
  std::ofstream(text) << "key,total\n";
  XlsxReader x;
  std::string error;
  CHECK_FALSE(x.open(text, &error));
  CHECK(error == text + ": cannot open it as an xlsx workbook (missing, unreadable or not a zip file)");
  CHECK_FALSE(x.open(dir + "/absent.xlsx", &error));
  std::filesystem::remove_all(dir);
}
