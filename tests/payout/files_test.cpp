// Reading order and bank files: CSV and JSON Lines, mappings, encodings, bad rows with line and field.
#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "eligo/payout.hpp"
#include "payout/payout_test_util.hpp"

using namespace eligo;
using namespace eligo::payout;
using payout_test::id_number;

namespace {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    static int n = 0;
    path = std::filesystem::temp_directory_path() /
           ("eligo_payout_files_" + std::to_string(::getpid()) + "_" + std::to_string(++n));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string write(const std::string& name, const std::string& bytes) const {
    std::ofstream(path / name, std::ios::binary) << bytes;
    return (path / name).string();
  }
};

const std::string kId1 = id_number(1), kId2 = id_number(2);

std::string orders_csv() {
  return "order_no,policy,period,payee_id,payee_name,account,amount,created,community\n"
         "PO1,major-illness,2024-03," + kId1 + ",段正淳,6214832018989180,\"5,000.00\",2024-03-01 09:00:00,\n"
         "PO2,major-illness,2024-03," + kId2 + ",\"王\"\"伟\",6214832018989181,3000.00,2024-03-01,C1\n";
}

}  // namespace

TEST_CASE("amounts are read as banks write them", "[payout][files]") {
  CHECK(parse_amount("1,234.50") == Decimal::parse("1234.50"));
  CHECK(parse_amount(" 1234.5 ") == Decimal::parse("1234.5"));
  CHECK(parse_amount("¥1,234,567.00") == Decimal::parse("1234567.00"));
  CHECK(parse_amount("￥300元") == Decimal::parse("300"));
  CHECK(parse_amount("-5,000.00") == Decimal::parse("-5000.00"));
  CHECK(parse_amount("0.1")->to_string() == "0.1");
  CHECK_FALSE(parse_amount("12,34.5"));
  CHECK_FALSE(parse_amount("1,2345.00"));
  CHECK_FALSE(parse_amount("1.234,50"));
  CHECK_FALSE(parse_amount(",100"));
  CHECK_FALSE(parse_amount("五千元"));
  CHECK_FALSE(parse_amount(""));
  CHECK_FALSE(parse_amount("1e3"));
}

TEST_CASE("dates are read with or without separators and times", "[payout][files]") {
  CHECK(parse_date_prefix("2024-03-05") == Date::parse("2024-03-05"));
  CHECK(parse_date_prefix("2024/03/05 10:11:12") == Date::parse("2024-03-05"));
  CHECK(parse_date_prefix("20240305") == Date::parse("2024-03-05"));
  CHECK(parse_date_prefix("2024-03-05T10:11:12+08:00") == Date::parse("2024-03-05"));
  CHECK_FALSE(parse_date_prefix("2024-02-30"));
  CHECK_FALSE(parse_date_prefix("2024-03/05"));
  CHECK_FALSE(parse_date_prefix("202403051"));
  CHECK_FALSE(parse_date_prefix("05/03/2024"));
}

TEST_CASE("statuses: built-in texts and mapped ones", "[payout][files]") {
  SourceMapping m;
  CHECK(parse_status("成功", m) == Status::success);
  CHECK(parse_status("SUCCESS", m) == Status::success);
  CHECK(parse_status("退票", m) == Status::returned);
  CHECK(parse_status("交易失败", m) == Status::failed);
  CHECK_FALSE(parse_status("处理中", m));
  m.status_values.emplace_back("处理完成", Status::success);
  m.status_values.emplace_back("S01", Status::failed);
  CHECK(parse_status("处理完成", m) == Status::success);
  CHECK(parse_status("s01", m) == Status::failed);
}

TEST_CASE("a CSV with quotes, CRLF and a BOM loads and reconciles", "[payout][files]") {
  TempDir dir;
  const std::string orders = dir.write("orders.csv", "\xEF\xBB\xBF" + orders_csv());
  const std::string bank = dir.write(
      "bank.csv",
      "serial_no,order_no,account,name,amount,status,value_date,failure_reason\r\n"
      "B1,PO1,6214832018989180,段正淳,\"5,000.00\",成功,20240305,\r\n"
      "B2,PO2,6214832018989181,\"王\"\"伟\",3000.00,失败,2024/03/05,\"账户\n不存在\"\r\n");
  Reconciliation rec;
  LoadStats os, bs;
  std::string error;
  REQUIRE(load_orders(orders, default_mapping().orders, rec, &os, &error));
  REQUIRE(load_records(bank, default_mapping().bank, rec, &bs, &error));
  CHECK(os.rows == 2);
  CHECK(os.accepted == 2);
  CHECK(bs.rows == 2);
  const Report r = rec.run();
  CHECK(r.order_class(0) == Class::paid);
  CHECK(r.order_class(1) == Class::failed);
  CHECK(r.order(1).order.payee_name == "王\"伟");
  CHECK(r.record(1).record.failure_reason == "账户\n不存在");
  CHECK(r.order(1).order.community == "C1");
}

TEST_CASE("JSON Lines keep exact number text", "[payout][files]") {
  TempDir dir;
  const std::string orders = dir.write(
      "orders.jsonl",
      "{\"order_no\":\"PO1\",\"policy\":\"p\",\"period\":\"2024-03\",\"payee_id\":\"" + kId1 +
          "\",\"amount\":5000.10,\"created\":\"2024-03-01\",\"extra\":{\"a\":1}}\n"
          "\n"
          "{\"order_no\":\"PO2\",\"policy\":\"p\",\"period\":\"2024-03\",\"payee_id\":\"" + kId2 +
          "\",\"amount\":0.1,\"created\":\"2024-03-01\"}\n"
          "[1,2]\n"
          "{\"order_no\":\"PO3\", \"payee_id\":\"" + kId1 + "\" oops}\n"
          "{\"order_no\":{\"x\":1},\"policy\":\"p\",\"period\":\"2024-03\",\"payee_id\":\"" + kId2 +
          "\",\"amount\":1,\"created\":\"2024-03-01\"}\n");
  Reconciliation rec;
  LoadStats s;
  std::string error;
  REQUIRE(load_orders(orders, default_mapping().orders, rec, &s, &error));
  CHECK(s.rows == 5);
  CHECK(s.accepted == 2);
  CHECK(s.rejected == 3);
  const Report r = rec.run();
  CHECK(r.order(0).order.amount.to_string() == "5000.10");
  CHECK(r.order(1).order.amount.to_string() == "0.1");
  REQUIRE(r.rejections().size() == 3);
  CHECK(r.rejections()[0].row == 4);
  CHECK(r.rejections()[0].reason == "not a JSON object");
  CHECK(r.rejections()[1].row == 5);
  CHECK(r.rejections()[1].reason.rfind("not valid JSON at column ", 0) == 0);
  CHECK(r.rejections()[1].reason.find(kId1) == std::string::npos);
  CHECK(r.rejections()[2].field == "order_no");
  CHECK(r.rejections()[2].reason == "an object or array, not a single value");
}

TEST_CASE("a GB18030 bank file with Chinese headers loads through the mapping", "[payout][files]") {
  TempDir dir;
  const std::string orders = dir.write("orders.csv", orders_csv());
  // 流水号,兑付单号,金额,状态,交易日期 / B1,PO1,5000.00,成功,20240305 — in GB18030
  const std::string header = "\xC1\xF7\xCB\xAE\xBA\xC5,\xB6\xD2\xB8\xB6\xB5\xA5\xBA\xC5,\xBD\xF0\xB6\xEE,"
                             "\xD7\xB4\xCC\xAC,\xBD\xBB\xD2\xD7\xC8\xD5\xC6\xDA\r\n";
  const std::string bank = dir.write("bank.csv", header + "B1,PO1,5000.00,\xB3\xC9\xB9\xA6,20240305\r\n");
  Mapping m = default_mapping();
  std::string error;
  REQUIRE(parse_mapping(R"({"bank": {"encoding": "gb18030", "columns": {"serial_no": "流水号", "order_no": "兑付单号",
      "amount": "金额", "status": "状态", "value_date": "交易日期"}}})", &m, &error));
  Reconciliation rec;
  REQUIRE(load_orders(orders, m.orders, rec, nullptr, &error));
  REQUIRE(load_records(bank, m.bank, rec, nullptr, &error));
  const Report r = rec.run();
  CHECK(r.order_class(0) == Class::paid);
  // Read as UTF-8 the Chinese header is not UTF-8: the file is unusable, said with the byte offset and
  // without the undecoded bytes.
  Reconciliation wrong;
  Mapping utf8 = m;
  utf8.bank.encoding = "utf-8";
  CHECK_FALSE(load_records(bank, utf8.bank, wrong, nullptr, &error));
  CHECK(error == bank + ": the header row is not valid UTF-8 (bytes at byte offset 0); if the file is GB18030 or GBK, "
                        "give its encoding");
}

TEST_CASE("invalid UTF-8 in a row is a rejection naming the field", "[payout][files]") {
  TempDir dir;
  const std::string orders = dir.write(
      "orders.csv", "order_no,policy,period,payee_id,payee_name,amount,created\n"
                    "PO1,p,2024-03," + kId1 + ",\xB6\xCE,5000.00,2024-03-01\n");
  Reconciliation rec;
  LoadStats s;
  std::string error;
  REQUIRE(load_orders(orders, default_mapping().orders, rec, &s, &error));
  REQUIRE(rec.rejections().size() == 1);
  CHECK(rec.rejections()[0].row == 2);
  CHECK(rec.rejections()[0].field == "payee_name");
  CHECK(rec.rejections()[0].reason.find("not valid UTF-8") == 0);
}

TEST_CASE("bad rows are reported with line and field and every row is accounted for", "[payout][files]") {
  TempDir dir;
  const std::string bank = dir.write(
      "bank.csv",
      "serial_no,order_no,payee_id,amount,status,value_date\n"
      "B1,PO1,,5000.00,成功,2024-03-05\n"
      "B2,PO1,,5000.00,处理中,2024-03-05\n"
      "B3,PO1,,12,34.5,成功,2024-03-05\n"
      "B4,PO1,,\"12,34.5\",成功,2024-03-05\n"
      "B5,PO1,,5000.00,成功,2024-02-30\n"
      "B6,PO1,110105194912310021,5000.00,成功,2024-03-05\n"
      "B7,PO1,,-100.00,退票,2024-03-05\n"
      "B8,PO1,,-100.00,成功,2024-03-05\n"
      ",PO1,,5000.00,成功,2024-03-05\n");
  Reconciliation rec;
  LoadStats s;
  std::string error;
  REQUIRE(load_records(bank, default_mapping().bank, rec, &s, &error));
  CHECK(s.rows == 9);
  CHECK(s.accepted == 2);
  CHECK(s.rejected == 7);
  const Report r = rec.run();
  REQUIRE(r.rejections().size() == 7);
  const std::vector<std::tuple<std::uint64_t, std::string, std::string>> want = {
      {3, "status", "unknown status \"处理中\" (map it in the mapping's bank.status_values)"},
      {4, "", "has 7 fields, the header has 6"},
      {5, "amount", "not an amount: \"12,34.5\""},
      {6, "value_date", "not a date (YYYY-MM-DD): \"2024-02-30\""},
      {7, "payee_id", "not a valid ID number: check character is 1, expected X"},
      {9, "amount", "must be more than 0, is -100.00"},
      {10, "serial_no", "missing"},
  };
  for (std::size_t i = 0; i < want.size(); ++i) {
    CHECK(r.rejections()[i].row == std::get<0>(want[i]));
    CHECK(r.rejections()[i].field == std::get<1>(want[i]));
    CHECK(r.rejections()[i].reason == std::get<2>(want[i]));
  }
  CHECK(r.record(*r.find_record("B7")).record.amount.to_string() == "100.00");  // a negative return
}

TEST_CASE("an unusable file is an error: missing columns, missing file, bad mapping", "[payout][files]") {
  TempDir dir;
  Reconciliation rec;
  std::string error;
  const std::string f = dir.write("o.csv", "order_no,amount\nPO1,1\n");
  CHECK_FALSE(load_orders(f, default_mapping().orders, rec, nullptr, &error));
  CHECK(error == f + ": the header lacks the columns 'policy' (policy), 'period' (period), 'payee_id' (payee_id), "
                     "'created' (created); it has: order_no, amount (map the columns with --mapping)");
  CHECK_FALSE(load_orders((dir.path / "none.csv").string(), default_mapping().orders, rec, nullptr, &error));
  CHECK(error.find("cannot open the file") != std::string::npos);
  CHECK_FALSE(load_orders(dir.write("empty.csv", ""), default_mapping().orders, rec, nullptr, &error));
  CHECK(error.find("the file is empty") != std::string::npos);
  Mapping m = default_mapping();
  CHECK_FALSE(parse_mapping(R"({"bank": {"columns": {"amout": "金额"}}})", &m, &error));
  CHECK(error == "bank.columns.amout: unknown field; bank has serial_no, order_no, payee_id, payee_id_hash, account, "
                 "name, amount, status, value_date, failure_reason");
  CHECK_FALSE(parse_mapping(R"({"bank": {"encoding": "klingon"}})", &m, &error));
  CHECK(error == "bank.encoding: unknown encoding \"klingon\"");
  CHECK_FALSE(parse_mapping(R"({"bank": {"status_values": {"OK": "fine"}}})", &m, &error));
  CHECK(error == "bank.status_values.OK: must be \"success\", \"failed\" or \"returned\"");
  CHECK_FALSE(parse_mapping(R"({"banks": {}})", &m, &error));
  CHECK_FALSE(parse_mapping("{", &m, &error));
  CHECK(parse_mapping(R"({"orders": {"format": "csv", "delimiter": ";"}})", &m, &error));
  CHECK(m.orders.delimiter == ';');
}

TEST_CASE("the registry can be an SQLite table", "[payout][files]") {
  TempDir dir;
  const std::string db_path = (dir.path / "registry.db").string();
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  const std::string sql = "CREATE TABLE residents (id_no TEXT, sq TEXT);"
                          "INSERT INTO residents VALUES ('" + kId1 + "', '330106001'), ('bad', '330106002');";
  REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  Mapping m = default_mapping();
  std::string error;
  REQUIRE(parse_mapping(R"({"registry": {"table": "residents", "columns": {"payee_id": "id_no", "community": "sq"}}})",
                        &m, &error));
  Reconciliation rec;
  REQUIRE(load_orders(dir.write("orders.csv", orders_csv()), m.orders, rec, nullptr, &error));
  LoadStats s;
  REQUIRE(load_registry(db_path, m, rec, &s, &error));
  CHECK(s.rows == 2);
  CHECK(s.rejected == 1);
  const Report r = rec.run();
  CHECK(r.order(0).community == "330106001");
  CHECK(r.order(1).claim_note == "payee not in the registry");
  REQUIRE(r.rejections().size() == 1);
  CHECK(r.rejections()[0].side == Side::registry);
  CHECK(r.rejections()[0].row == 2);
  Mapping wrong = default_mapping();
  CHECK_FALSE(load_registry(db_path, wrong, rec, nullptr, &error));
  CHECK(error.find("no such table: registry") != std::string::npos);
}

TEST_CASE("exclusions load from CSV with optional dates and policies", "[payout][files]") {
  TempDir dir;
  Reconciliation rec;
  std::string error;
  REQUIRE(load_orders(dir.write("orders.csv", orders_csv()), default_mapping().orders, rec, nullptr, &error));
  LoadStats s;
  REQUIRE(load_exclusions(dir.write("x.csv", "payee_id,from,policy,reason\n" + kId1 + ",2024-01-01,,deceased\n" + kId2 +
                                                 ",not-a-date,,moved\n"),
                          default_mapping().exclusions, rec, &s, &error));
  CHECK(s.accepted == 1);
  const Report r = rec.run();
  CHECK(r.order_class(0) == Class::payee_ineligible);
  CHECK(r.order_class(1) == Class::missing);
  CHECK(r.rejections()[0].field == "from");
}
