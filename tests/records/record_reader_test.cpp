// The one record reader: every row accounted for, whatever the first line, the BOM or a bad row does.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "eligo/records.hpp"

using namespace eligo::records;

namespace {

struct Read {
  std::vector<std::string> rows;  // json text or cells joined with '|'
  std::vector<std::uint64_t> lines;
  std::vector<std::string> bad;   // "line: problem"
  std::string error;
  std::uint64_t blank = 0;
};

Read read_all(std::string text, const std::string& name, ReadOptions options = {}) {
  Read r;
  RecordReader reader;
  if (!reader.open_text(std::move(text), name, options, &r.error)) return r;
  for (;;) {
    const Next n = reader.next();
    if (n == Next::end) break;
    if (n == Next::error) {
      r.error = reader.error();
      break;
    }
    if (n == Next::bad_row) {
      r.bad.push_back(std::to_string(reader.line()) + ": " + reader.problem());
      continue;
    }
    std::string row;
    if (reader.tabular()) {
      for (std::size_t c = 0; c < reader.cells().size(); ++c) row += (c ? "|" : "") + std::string(reader.cells()[c]);
    } else {
      row = std::string(reader.json());
    }
    r.rows.push_back(row);
    r.lines.push_back(reader.line());
  }
  r.blank = reader.blank_lines();
  return r;
}

}  // namespace

TEST_CASE("a JSON Lines file that starts with a byte-order mark gives one row per line", "[records]") {
  const Read r = read_all("\xEF\xBB\xBF{\"a\": 1}\n{\"a\": 2}\r\n\n{\"a\": 3}", "x.jsonl");
  REQUIRE(r.error.empty());
  CHECK(r.rows == std::vector<std::string>{"{\"a\": 1}", "{\"a\": 2}", "{\"a\": 3}"});
  CHECK(r.lines == std::vector<std::uint64_t>{1, 2, 4});
  CHECK(r.blank == 1);
}

TEST_CASE("a JSON Lines file whose first line is malformed still gives one row per line", "[records]") {
  const Read r = read_all("{\"a\": \n{\"a\": 2}\n{\"a\": 3}\n", "x.jsonl");
  REQUIRE(r.error.empty());
  REQUIRE(r.rows.size() == 3);
  CHECK(r.rows[0] == "{\"a\":");
  CHECK(r.lines == std::vector<std::uint64_t>{1, 2, 3});
}

TEST_CASE("a CSV header naming one column twice is refused, naming both columns", "[records][csv]") {
  const Read r = read_all("id_number,amount,name,amount\n1,2,3,4\n", "pay.csv");
  CHECK(r.error == "pay.csv: the header names 'amount' twice: columns 2 (B) and 4 (D); which one holds the value is ambiguous");
  CHECK(r.rows.empty());
  const Read zh = read_all("姓名, 金额 ,金额\n", "pay.csv");
  CHECK(zh.error == "pay.csv: the header names '金额' twice: columns 2 (B) and 3 (C); which one holds the value is ambiguous");
}

TEST_CASE("CSV rows: quotes, doubled quotes, newlines in cells, CRLF — a row of the wrong width is a bad row", "[records][csv]") {
  const Read r = read_all("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n1,2,3\r\n\"two\nlines\", 2 \r\n\r\n", "t.csv");
  REQUIRE(r.error.empty());
  CHECK(r.rows == std::vector<std::string>{"x, y|say \"hi\"", "two\nlines|2"});
  CHECK(r.lines == std::vector<std::uint64_t>{2, 4});
  CHECK(r.bad == std::vector<std::string>{"3: has 3 fields, the header has 2"});
  CHECK(r.blank == 1);
}

TEST_CASE("a CSV file with no header row is refused", "[records][csv]") {
  CHECK(read_all("\n\n", "e.csv").error == "e.csv: the file is empty (a CSV file needs a header row)");
  CHECK(read_all("a,,c\n", "e.csv").error == "e.csv: line 1: column 2 (B) of the header has no name");
}

TEST_CASE("invalid UTF-8 in a CSV row is that row's problem, with the column — the next row is read", "[records][csv]") {
  RecordReader reader;
  std::string error;
  REQUIRE(reader.open_text("name,age\n\xB6\xCE,3\nok,4\n", "u.csv", {}, &error));
  CHECK(reader.next() == Next::bad_row);
  CHECK(reader.problem() == "not valid UTF-8 (if the file is GB18030 or GBK, give its encoding)");
  CHECK(reader.problem_column() == 0);
  REQUIRE(reader.next() == Next::row);
  CHECK(reader.cells()[0] == "ok");
  CHECK(reader.next() == Next::end);
}

TEST_CASE("a GB18030 file is read as UTF-8 when its encoding is given", "[records][csv]") {
  ReadOptions o;
  o.encoding = "gb18030";
  // 姓名,金额 / 张三,5000
  const Read r = read_all("\xD0\xD5\xC3\xFB,\xBD\xF0\xB6\xEE\n\xD5\xC5\xC8\xFD,5000\n", "g.csv", o);
  REQUIRE(r.error.empty());
  CHECK(r.rows == std::vector<std::string>{"张三|5000"});
}

TEST_CASE("a JSON array file is streamed element by element, across chunk boundaries", "[records][json]") {
  std::string text = "[\n";
  const int n = 40000;  // about 1.5 MiB: more than one chunk
  for (int i = 0; i < n; ++i)
    text += std::string(i ? ",\n" : "") + "  {\"n\": " + std::to_string(i) + ", \"s\": \"a \\\"]\\\" b\", \"l\": [1, {\"x\": []}]}";
  text += "\n]\n";
  const Read r = read_all(text, "big.json");
  INFO(r.error);
  REQUIRE(r.error.empty());
  REQUIRE(r.rows.size() == static_cast<std::size_t>(n));
  CHECK(r.rows[0] == "{\"n\": 0, \"s\": \"a \\\"]\\\" b\", \"l\": [1, {\"x\": []}]}");
  CHECK(r.rows[n - 1].rfind("{\"n\": " + std::to_string(n - 1) + ",", 0) == 0);
  CHECK(r.lines[0] == 2);
  CHECK(r.lines[n - 1] == static_cast<std::uint64_t>(n + 1));
}

TEST_CASE("a JSON file: one object is one row — a second value after it is an error that suggests JSON Lines", "[records][json]") {
  const Read one = read_all("{\n  \"a\": 1\n}\n", "one.json");
  REQUIRE(one.error.empty());
  CHECK(one.rows == std::vector<std::string>{"{\n  \"a\": 1\n}"});
  const Read two = read_all("{\"a\": 1}\n{\"a\": 2}\n", "two.json");
  CHECK(two.rows.size() == 1);
  CHECK(two.error == "two.json: line 2: text after the end of the JSON document (for one object per line, read it as "
                     "JSON Lines: --format jsonl or a .jsonl name)");
  const Read broken = read_all("[{\"a\": 1}, {\"a\": }]", "b.json");
  CHECK(broken.rows.size() == 1);
  CHECK(broken.error == "b.json: line 1, column 7: unexpected character (expected a value) (row 2)");
}

TEST_CASE("JSON object members are picked out as cells by name — numbers keep their text", "[records][json]") {
  JsonCells cells;
  std::string problem;
  REQUIRE(json_object_cells(R"({"amount": 5000.10, "name": "\u5f20\u4e09", "scopes": ["a","b"], "x": {"y": 1}, "z": null})",
                            {"amount", "name", "scopes", "z", "missing"}, &cells, &problem));
  CHECK(cells.text == std::vector<std::string>{"5000.10", "张三", "[\"a\",\"b\"]", "", ""});
  CHECK(cells.kind == std::vector<CellKind>{CellKind::scalar, CellKind::string, CellKind::nested, CellKind::null, CellKind::absent});
  CHECK_FALSE(json_object_cells(R"({"amount": 1, "amount": 2})", {"amount"}, &cells, &problem));
  CHECK(problem == "the member 'amount' is given twice");
  CHECK_FALSE(json_object_cells(R"({"id": "110101199003077777", })", {"id"}, &cells, &problem));
  CHECK(problem == "not valid JSON at column 30: a trailing ',' before '}'");
  CHECK_FALSE(json_object_cells("[1]", {"id"}, &cells, &problem));
  CHECK(problem == "not a JSON object");
}

TEST_CASE("formats are detected by extension", "[records]") {
  CHECK(detect_format("a.csv") == Format::csv);
  CHECK(detect_format("a.TSV") == Format::csv);
  CHECK(detect_format("a.jsonl") == Format::jsonl);
  CHECK(detect_format("a.ndjson") == Format::jsonl);
  CHECK(detect_format("a.json") == Format::json);
  CHECK(detect_format("a.xlsx") == Format::xlsx);
  CHECK(detect_format("-") == Format::jsonl);
}
