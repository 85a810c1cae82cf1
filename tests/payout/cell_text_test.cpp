// Cells of the report files (core/text_out.hpp): one scan decides CSV quoting and JSON escaping; the bytes
// written must be those of the byte-by-byte rules, whatever the cell's length and wherever the special
// byte sits (the scan reads 16 or 8 bytes at a time with overlapping tails).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "core/text_out.hpp"
#include "eligo/payout.hpp"
#include "payout/payout_test_util.hpp"

using namespace eligo;
using eligo::detail::cell_needs;
using eligo::detail::csv_cell;
using eligo::detail::json_string;
using eligo::detail::kCellCsvQuote;
using eligo::detail::kCellJsonEscape;
using eligo::detail::kCellPlain;

namespace {

// The rules, byte by byte, as the writers had them before the one-scan classifier.
std::string reference_csv(const std::string& s) {
  bool quote = !s.empty() && (s.front() == ' ' || s.back() == ' ');
  for (const char c : s) quote = quote || c == ',' || c == '"' || c == '\n' || c == '\r';
  if (!quote) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string reference_json(const std::string& s) {
  std::string out = "\"";
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

// Both texts through the raw writers, as the payout report's ItemStream uses them.
std::pair<std::string, std::string> written(const std::string& s) {
  const unsigned needs = cell_needs(s);
  std::string csv(eligo::detail::csv_cell_max(s.size()), '\0'), json(eligo::detail::json_string_max(s.size()), '\0');
  csv.resize(static_cast<std::size_t>(eligo::detail::write_csv_cell(csv.data(), s, needs) - csv.data()));
  json.resize(static_cast<std::size_t>(eligo::detail::write_json_string(json.data(), s, needs) - json.data()));
  return {csv, json};
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("one scan tells whether a cell needs CSV quoting, JSON escaping, both or neither", "[payout][cells]") {
  CHECK(cell_needs("") == kCellPlain);
  CHECK(cell_needs("PO0000123") == kCellPlain);
  CHECK(cell_needs("段正淳 王伟") == kCellPlain);
  CHECK(cell_needs("=SUM(A1:A9)") == kCellPlain);  // formulas are not treated specially
  CHECK(cell_needs("a,b") == kCellCsvQuote);
  CHECK(cell_needs(" leading") == kCellCsvQuote);
  CHECK(cell_needs("trailing ") == kCellCsvQuote);
  CHECK(cell_needs("back\\slash") == kCellJsonEscape);
  CHECK(cell_needs("tab\there") == kCellJsonEscape);
  CHECK(cell_needs(std::string("nul\0byte", 8)) == kCellJsonEscape);
  CHECK(cell_needs("say \"hi\"") == (kCellCsvQuote | kCellJsonEscape));
  CHECK(cell_needs("line\nbreak") == (kCellCsvQuote | kCellJsonEscape));
  CHECK(cell_needs("carriage\rreturn") == (kCellCsvQuote | kCellJsonEscape));
  // Past the first 16 bytes and in the overlapping tail.
  CHECK(cell_needs("paid 2 times: B1 on 2024-03-05, B2 on 2024-03-06") == kCellCsvQuote);
  CHECK(cell_needs("0123456789abcdefghij\\") == kCellJsonEscape);
  CHECK(cell_needs("0123456789\x7f\xc3\xa9") == kCellPlain);
}

TEST_CASE("CSV cells and JSON strings hold the exact bytes for every special character", "[payout][cells]") {
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"plain", "plain", "\"plain\""},
      {"", "", "\"\""},
      {"a,b", "\"a,b\"", "\"a,b\""},
      {"say \"hi\"", "\"say \"\"hi\"\"\"", "\"say \\\"hi\\\"\""},
      {"two\nlines", "\"two\nlines\"", "\"two\\nlines\""},
      {"cr\r\nlf", "\"cr\r\nlf\"", "\"cr\\r\\nlf\""},
      {"tab\tx", "tab\tx", "\"tab\\tx\""},
      {"bell\x07 esc\x1b", "bell\x07 esc\x1b", "\"bell\\u0007 esc\\u001b\""},
      {std::string("nul\0!", 5), std::string("nul\0!", 5), "\"nul\\u0000!\""},
      {"c:\\path", "c:\\path", "\"c:\\\\path\""},
      {" padded ", "\" padded \"", "\" padded \""},
      {"账户不存在（户名：段**）", "账户不存在（户名：段**）", "\"账户不存在（户名：段**）\""},
      {"=HYPERLINK(\"x\")", "\"=HYPERLINK(\"\"x\"\")\"", "\"=HYPERLINK(\\\"x\\\")\""},
      {"+1,-2,@3", "\"+1,-2,@3\"", "\"+1,-2,@3\""},
      {"\x7f del", "\x7f del", "\"\x7f del\""},
  };
  for (const auto& [in, csv, json] : cases) {
    INFO(in);
    CHECK(csv_cell(in) == csv);
    CHECK(json_string(in) == json);
    CHECK(written(in) == std::make_pair(csv, json));
  }
}

TEST_CASE("every byte, at every place in cells of 0 to 70 bytes, is written as the byte-by-byte rules say",
          "[payout][cells]") {
  std::size_t checked = 0;
  for (std::size_t len = 1; len <= 70; ++len) {
    for (int b = 0; b < 256; ++b) {
      for (const std::size_t at : {std::size_t{0}, len / 2, len - 1}) {
        std::string s(len, 'x');
        if (len > 3) s[1] = '\xe4', s[2] = '\xb8';  // UTF-8 bytes around (non-ASCII must pass through)
        s[at] = static_cast<char>(b);
        const std::string csv = reference_csv(s), json = reference_json(s);
        INFO("length " << len << ", byte " << b << " at " << at);
        REQUIRE(csv_cell(s) == csv);
        REQUIRE(json_string(s) == json);
        REQUIRE(written(s) == std::make_pair(csv, json));
        std::string line = "keep,";  // appended after what a buffer already holds
        eligo::detail::append_csv_cell(&line, s);
        REQUIRE(line == "keep," + csv);
        ++checked;
      }
    }
  }
  CHECK(checked == 70 * 256 * 3);
}

TEST_CASE("the report files quote and escape what the input cells held", "[payout][cells][files]") {
  const auto dir = std::filesystem::temp_directory_path() / ("eligo_payout_cells_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string id = payout_test::id_number(1);
  std::ofstream(dir / "orders.csv", std::ios::binary)
      << "order_no,policy,period,payee_id,amount,created\n"
      << "PO1,\"care, \"\"major\"\"\",=1+2," << id << ",100.00,2024-03-01\n";
  std::ofstream(dir / "bank.csv", std::ios::binary)
      << "serial_no,order_no,amount,status,value_date,failure_reason\n"
      << "B1,PO1,100.00,failed,2024-03-02,\"no\naccount\t\\x\"\n";
  payout::Reconciliation rec;
  std::string error;
  REQUIRE(payout::load_orders((dir / "orders.csv").string(), payout::default_mapping().orders, rec, nullptr, &error));
  REQUIRE(payout::load_records((dir / "bank.csv").string(), payout::default_mapping().bank, rec, nullptr, &error));
  payout::WriteOptions w;
  w.workbook = false;
  REQUIRE(payout::write_report(rec.run(), (dir / "out").string(), w, &error));
  const std::string orders_csv = slurp(dir / "out" / "orders.csv"), orders_jsonl = slurp(dir / "out" / "orders.jsonl");
  const std::string records_csv = slurp(dir / "out" / "records.csv"), records_jsonl = slurp(dir / "out" / "records.jsonl");
  CHECK(orders_csv.find("PO1,failed,发放失败,\"care, \"\"major\"\"\",=1+2,") != std::string::npos);
  CHECK(orders_jsonl.find("{\"order_no\":\"PO1\",\"class\":\"failed\",\"class_zh\":\"发放失败\","
                          "\"policy\":\"care, \\\"major\\\"\",\"period\":\"=1+2\",") == 0);
  CHECK(records_csv.find(",100.00,2024-03-02,\"no\naccount\t\\x\",") != std::string::npos);
  CHECK(records_jsonl.find("\"failure_reason\":\"no\\naccount\\t\\\\x\",") != std::string::npos);
  // Every line of the JSON Lines file is one object; the CSV has a header and one line per item.
  CHECK(std::count(orders_jsonl.begin(), orders_jsonl.end(), '\n') == 1);
  CHECK(std::count(records_jsonl.begin(), records_jsonl.end(), '\n') == 1);
  std::filesystem::remove_all(dir);
}
