// Joins for eligo batch: a related table (CSV, JSON Lines, SQLite) keyed by a column, each record's related
// rows as a JSON array bound by the pack as a list field. Files are written in the test; nothing is mocked.
#include <catch2/catch.hpp>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "batch/join.hpp"
#include "eligo/pack.hpp"

using eligo::batch::JoinIndex;
using eligo::batch::JoinReport;
using eligo::batch::JoinSpec;
using eligo::batch::normalize_key;

namespace {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "eligo-join-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name, const std::string& text = "") const {
    const std::string p = path_ + "/" + name;
    if (!text.empty()) std::ofstream(p, std::ios::binary) << text;
    return p;
  }

 private:
  std::string path_;
};

void make_db(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  const std::string why = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  INFO(why);
  REQUIRE(rc == SQLITE_OK);
}

JoinSpec spec_of(const std::string& text) {
  JoinSpec s;
  std::string error;
  INFO(text);
  REQUIRE(JoinSpec::parse(text, &s, &error));
  return s;
}

// Valid resident ID numbers (MOD 11-2 check characters computed).
const std::string kChen = "330106195804120220";    // its 15-digit form: 330106580412022
const std::string kWang = "11010519491231002X";
const std::string kLi = "440106199001011235";
const std::string kNobody = "11010119900307803X";  // in no related table

}  // namespace

TEST_CASE("a join spec is NAME=FILE:KEY, the file being everything between the first '=' and the last ':'",
          "[batch][join]") {
  JoinSpec s = spec_of("civil_affairs.certificates=civil.sqlite:certificates:id_number");
  CHECK(s.name == "civil_affairs.certificates");
  CHECK(s.path == "civil.sqlite:certificates");
  CHECK(s.key == "id_number");
  s = spec_of("hospital_stays=data/stays.csv:id_number");
  CHECK(s.name == "hospital_stays");
  CHECK(s.path == "data/stays.csv");
  CHECK(s.key == "id_number");

  std::string error;
  CHECK_FALSE(JoinSpec::parse("stays.csv:id_number", &s, &error));
  CHECK(error == "--join stays.csv:id_number: expected NAME=FILE:KEY_COLUMN (e.g. "
                 "civil_affairs.certificates=civil.sqlite:certificates:id_number)");
  CHECK_FALSE(JoinSpec::parse("stays=stays.csv", &s, &error));
  CHECK_FALSE(JoinSpec::parse("stays=stays.csv:", &s, &error));
  CHECK_FALSE(JoinSpec::parse("=stays.csv:id", &s, &error));
  CHECK_FALSE(JoinSpec::parse("stays=:id", &s, &error));
}

TEST_CASE("join keys are ID numbers normalised: 15 to 18 digits, full-width digits, lower-case x", "[batch][join]") {
  CHECK(normalize_key("330106580412022") == kChen);
  CHECK(normalize_key(" 330106195804120220 ") == kChen);
  CHECK(normalize_key("１１０１０５１９４９１２３１００２ｘ") == kWang);
  CHECK(normalize_key("11010519491231002x") == kWang);
  CHECK(normalize_key("  ") == "");
  CHECK(normalize_key("c-17") == "C-17");  // other keys: trimmed, NFKC, upper-case, nothing else
}

TEST_CASE("a CSV related table gives each record its rows as a JSON array, in file order, without the key column",
          "[batch][join]") {
  TempDir dir;
  const std::string csv = dir.file("stays.csv",
                                   "disease,id_number,admit,discharge\n"
                                   "malignant_tumour," + kChen + ",2024-01-02,2024-01-20\n"
                                   "lupus,11010519491231002x,2023-05-01,\n"
                                   "schizophrenia,330106580412022,2024-03-01,2024-03-09\n"
                                   "haemophilia,,2024-02-01,2024-02-02\n"
                                   "haemophilia," + kLi + ",2024-02-01\n"
                                   "aplastic_anaemia," + kLi + ",2024-04-01,2024-04-03\n"
                                   "\"say \"\"hi\"\"\"," + kWang + ",2024-06-01,2024-06-02\n");
  JoinIndex join;
  std::string error;
  REQUIRE(join.load(spec_of("medical_insurance.stays=" + csv + ":id_number"), {}, &error));

  // The 18-digit form finds the rows filed under the 15-digit form too.
  JoinIndex::Match m = join.find(kChen);
  CHECK(m.rows == 2);
  CHECK(m.first);
  CHECK(m.json ==
        "[{\"disease\":\"malignant_tumour\",\"admit\":\"2024-01-02\",\"discharge\":\"2024-01-20\"},"
        "{\"disease\":\"schizophrenia\",\"admit\":\"2024-03-01\",\"discharge\":\"2024-03-09\"}]");
  // Full-width digits and a lower-case x on the record's side; an empty cell is null; quotes escaped.
  m = join.find("１１０１０５１９４９１２３１００２ｘ");
  CHECK(m.rows == 2);
  CHECK(m.json ==
        "[{\"disease\":\"lupus\",\"admit\":\"2023-05-01\",\"discharge\":null},"
        "{\"disease\":\"say \\\"hi\\\"\",\"admit\":\"2024-06-01\",\"discharge\":\"2024-06-02\"}]");
  // The same person asked for again: the caller sees it is not the first time.
  m = join.find("11010519491231002x");
  CHECK(m.rows == 2);
  CHECK_FALSE(m.first);
  // No related rows: an empty list, which the pack reads as "none" (not as missing).
  m = join.find(kNobody);
  CHECK(m.json == "[]");
  CHECK(m.rows == 0);

  const JoinReport r = join.report();
  CHECK(r.file == csv);
  CHECK(r.rows == 7);
  CHECK(r.indexed == 5);
  CHECK(r.keys == 3);
  CHECK(r.missing_key == 1);
  CHECK(r.bad_rows == 1);
  CHECK(r.problems == std::vector<std::string>{csv + ": line 5: no key (column 'id_number' is empty)",
                                               csv + ": line 6: has 3 fields, the header has 4"});
  // kLi's row was never asked for: counted as a related row without a record, located by its line.
  CHECK(r.matched_keys == 2);
  CHECK(r.unmatched_keys == 1);
  CHECK(r.unmatched_rows == 1);
  CHECK(r.unmatched_lines == std::vector<std::uint64_t>{7});
  CHECK(r.repeated_lookups == 1);
  CHECK(r.to_text() == "medical_insurance.stays (" + csv +
                           " by id_number): 7 rows, 3 keys; 1 row without a key; 1 bad row; 1 row (1 key) without a record");
}

TEST_CASE("a related table without the key column is refused, naming the file and its columns", "[batch][join]") {
  TempDir dir;
  const std::string csv = dir.file("stays.csv", "disease,idno\nlupus,1\n");
  JoinIndex join;
  std::string error;
  CHECK_FALSE(join.load(spec_of("stays=" + csv + ":id_number"), {}, &error));
  CHECK(error == csv + ": no key column 'id_number' for --join stays; the columns are 'disease', 'idno'");
  CHECK_FALSE(join.load(spec_of("stays=" + dir.file("absent.csv") + ":id_number"), {}, &error));
  CHECK(error.find("absent.csv") != std::string::npos);
}

TEST_CASE("a JSON Lines related table: the key member taken out, the other members as written", "[batch][join]") {
  TempDir dir;
  const std::string jsonl = dir.file(
      "certs.jsonl",
      "{\"id_number\": \"" + kWang + "\", \"kind\": \"dibao\", \"from\": \"2023-06-01\", \"to\": null}\n"
      "{\"kind\": \"tekun\", \"id_number\": \"" + kWang + "\", \"from\": \"2020-01-01\", \"extra\": {\"a\": [1, 2]}}\n"
      "{\"kind\": \"tekun\", \"id_number\": null}\n"
      "{\"kind\": \"tekun\", \"id_number\": {\"x\": 1}}\n"
      "{\"kind\": \"dibao\", \"id_number\": \"" + kLi + "\",}\n"
      "\n"
      "{\"id_number\": 12345, \"kind\": \"dibao_edge\"}\n");
  JoinIndex join;
  std::string error;
  REQUIRE(join.load(spec_of("civil_affairs.certificates=" + jsonl + ":id_number"), {}, &error));
  CHECK(join.find(kWang).json ==
        "[{\"kind\":\"dibao\",\"from\":\"2023-06-01\",\"to\":null},"
        "{\"kind\":\"tekun\",\"from\":\"2020-01-01\",\"extra\":{\"a\": [1, 2]}}]");
  CHECK(join.find("12345").json == "[{\"kind\":\"dibao_edge\"}]");
  const JoinReport r = join.report();
  CHECK(r.rows == 6);
  CHECK(r.indexed == 3);
  CHECK(r.missing_key == 1);
  CHECK(r.bad_rows == 2);
  CHECK(r.blank_lines == 1);
  REQUIRE(r.problems.size() == 3);
  CHECK(r.problems[0] == jsonl + ": line 3: no key (member 'id_number' is empty)");
  CHECK(r.problems[1] == jsonl + ": line 4: the key 'id_number' is an array or object, not a value");
  CHECK(r.problems[2].rfind(jsonl + ": line 5: not valid JSON at column", 0) == 0);
  // No message quotes a key.
  for (const auto& p : r.problems) CHECK(p.find(kLi) == std::string::npos);
}

TEST_CASE("a SQLite related table binds as the pack's list field: the certificate check reads the joined rows",
          "[batch][join]") {
  TempDir dir;
  const std::string db = dir.file("civil.sqlite");
  make_db(db,
          "CREATE TABLE certificates (id_number TEXT, kind TEXT, \"from\" TEXT, \"to\" TEXT);"
          "INSERT INTO certificates VALUES ('330106580412022', 'dibao', '2023-06-01', NULL);"
          "INSERT INTO certificates VALUES ('" + kWang + "', 'dibao_edge', '2019-01-01', '2020-12-31');"
          "INSERT INTO certificates VALUES ('" + kLi + "', 'holder', '2019-01-01', NULL);");
  JoinIndex join;
  std::string error;
  REQUIRE(join.load(spec_of("civil_affairs.certificates=" + db + ":certificates:id_number"), {}, &error));

  const eligo::CompileResult compiled =
      eligo::compile_file(std::string(ELIGO_SOURCE_DIR) + "/rules/major-illness/major-illness.pack.json");
  REQUIRE(compiled.pack);
  const eligo::Pack& pack = *compiled.pack;
  // The record file's header, plus the join's column.
  const std::vector<std::string> header{"name", "id_number", "hrss.name", "public_security.hukou_district",
                                        "medical_insurance.stays", join.spec().name};
  eligo::BindOptions bo;
  bo.group = "applicant";
  const auto layout = pack.layout(header, bo, &error);
  INFO(error);
  REQUIRE(layout);
  const std::string stays = R"([{"disease": "malignant_tumour", "admit": "2024-01-02", "discharge": "2024-01-20"}])";
  eligo::EvalOptions eo;
  eo.as_of = eligo::Date::from_ymd(2024, 5, 1);
  const auto decide = [&](const std::string& id) {
    const std::string_view certificates = join.find(id).json;
    const std::vector<std::string_view> cells{"陈秀英", id, "陈秀英", "330106", stays, certificates};
    eligo::Input in;
    pack.bind_row(*layout, cells, &in);
    return pack.evaluate(in, eo);
  };
  // Held a dibao certificate during the stay (filed under the 15-digit form of the ID): eligible, 5000.00.
  eligo::Decision d = decide(kChen);
  CHECK(d.verdict == eligo::Verdict::eligible);
  std::string amount;
  for (const auto& o : d.outputs)
    if (o.name == "amount") amount = o.value;
  CHECK(amount == "5000.00");
  // A certificate that ended before the stay: the certificate check fails.
  d = decide(kWang);
  CHECK(d.verdict == eligo::Verdict::ineligible);
  // No certificate row at all: the empty list is a real "none", so the check fails too (not needs_evidence).
  d = decide(kNobody);
  CHECK(d.verdict == eligo::Verdict::ineligible);
  // A related row the list's element type refuses ('holder' is no certificate kind) is the record's data error.
  // (The element's kind is then missing; what the pack makes of that is the pack's business.)
  d = decide(kLi);
  REQUIRE(d.data_errors.size() == 1);
  CHECK(d.data_errors.front().path == "civil_affairs.certificates[0].kind");
  CHECK(d.data_errors.front().code == "E3002");

  const JoinReport r = join.report();
  CHECK(r.file == db + ":certificates");
  CHECK(r.rows == 3);
  CHECK(r.unmatched_rows == 0);
}

TEST_CASE("join lookups from several threads count every key once as matched", "[batch][join]") {
  TempDir dir;
  std::string csv = "id_number,n\n";
  std::vector<std::string> ids;
  for (int i = 0; i < 200; ++i) {
    ids.push_back("K" + std::to_string(i));
    csv += ids.back() + "," + std::to_string(i) + "\n";
  }
  const std::string path = dir.file("k.csv", csv);
  JoinIndex join;
  std::string error;
  REQUIRE(join.load(spec_of("things=" + path + ":id_number"), {}, &error));
  int found[2] = {0, 0};  // Catch's CHECK is not for other threads: count there, check here
  const auto work = [&](int from, int* out) {
    for (int i = from; i < 150; ++i) *out += join.find(ids[static_cast<std::size_t>(i)]).rows == 1;
  };
  std::thread a(work, 0, &found[0]), b(work, 50, &found[1]);
  a.join();
  b.join();
  CHECK(found[0] == 150);
  CHECK(found[1] == 100);
  const JoinReport r = join.report();
  CHECK(r.matched_keys == 150);
  CHECK(r.unmatched_keys == 50);
  CHECK(r.repeated_lookups == 100);
  CHECK(r.unmatched_lines.size() == 20);
  CHECK(r.unmatched_lines.front() == 152);  // K150 is on line 152
}
