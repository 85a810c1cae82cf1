#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "blacklist/helpers.hpp"
#include "cli/commands.hpp"

using namespace eligo;
using namespace blacklist_test;

namespace {

struct Run {
  int status;
  std::string out;
  std::string err;
};

Run run(const cli::Args& args) {
  std::istringstream in;
  std::ostringstream out, err;
  cli::Io io{in, out, err};
  const int status = cli::cmd_blacklist(args, io);
  return {status, out.str(), err.str()};
}

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

}  // namespace

TEST_CASE("eligo blacklist import, check and stats on a small list", "[blacklist][cli]") {
  TempDir dir;
  const std::string db = dir.file("list.sqlite"), csv = dir.file("list.csv");
  write(csv,
        "id_number,scopes,reason_code,reason_text,source,listed_on,from,until\n"
        "11010519491231002X,points;school_admission,SX01,失信被执行人,市中级人民法院,2024-01-05,,2026-01-04\n"
        "110105194912310021,points,SX01,失信被执行人,市中级人民法院,2024-01-05,,\n"
        "610104620927690,*,SW02,重大税收违法,市税务局,2023-07-01,,\n");
  const Run imported = run({"import", csv, "--db", db});
  CHECK(imported.status == 1);  // one row rejected, the rest stored
  CHECK(imported.out.find("3 rows: 2 loaded, 1 rejected, 0 merged\nlist: 2 entries, revision 1, sha256 ") !=
        std::string::npos);
  CHECK(imported.err == csv + ": row 3, id_number: check character is 1, expected X (110105********0021)\n");

  const Run listed = run({"check", "11010519491231002x", "--scope", "points", "--as-of", "2024-06-01", "--db", db});
  CHECK(listed.status == 0);
  CHECK(listed.out.find("110105********002X: listed for scope points on 2024-06-01, 1 entry (list revision 1, sha256 ") == 0);
  CHECK(listed.out.find("\n  110105********002X  SX01 失信被执行人  source 市中级人民法院  scopes points;school_admission"
                        "  listed 2024-01-05  in effect 2024-01-05 to 2026-01-04\n") != std::string::npos);
  CHECK(listed.out.find("11010519491231002X") == std::string::npos);

  const Run expired = run({"check", "11010519491231002X", "--scope", "points", "--as-of", "2026-01-05", "--db", db});
  CHECK(expired.status == 0);
  CHECK(expired.out.find("110105********002X: not listed for scope points on 2026-01-05 (list revision 1") == 0);

  const Run legacy = run({"check", "610104196209276908", "--scope=housing", "--as-of=2024-06-01", "--db", db, "--format", "json"});
  CHECK(legacy.status == 0);
  const auto j = nlohmann::json::parse(legacy.out);
  CHECK(j["subject"] == "610104********6908");
  CHECK(j["listed"] == true);
  CHECK(j["entries"][0]["reason_code"] == "SW02");
  CHECK(j["entries"][0]["until"].is_null());
  CHECK(j["list"]["revision"] == 1);

  const Run stats = run({"stats", "--db", db});
  CHECK(stats.status == 0);
  CHECK(stats.out.find(": 2 entries, 2 subjects, keys id_number, revision 1\n") != std::string::npos);
  CHECK(stats.out.find("by scope:  * 1  points 1  school_admission 1\n") != std::string::npos);
}

TEST_CASE("eligo blacklist refuses unusable input with exit 2", "[blacklist][cli]") {
  TempDir dir;
  const std::string db = dir.file("list.sqlite");
  CHECK(run({}).status == 2);
  CHECK(run({"frobnicate"}).status == 2);
  CHECK(run({"check", "11010519491231002X", "--scope", "points", "--db", dir.file("missing.sqlite")}).status == 2);
  CHECK(run({"import", dir.file("missing.csv"), "--db", db}).status == 2);
  write(dir.file("list.csv"), "id_number,scopes,reason_code,source,listed_on\n11010519491231002X,points,SX01,法院,2024-01-05\n");
  REQUIRE(run({"import", dir.file("list.csv"), "--db", db}).status == 0);
  const Run bad_id = run({"check", "110105194912310021", "--scope", "points", "--db", db});
  CHECK(bad_id.status == 2);
  CHECK(bad_id.err == "eligo blacklist check: 110105********0021 is not an ID number: check character is 1, expected X\n");
  CHECK(run({"check", "11010519491231002X", "--db", db}).status == 2);  // no --scope
  CHECK(run({"check", "11010519491231002X", "--scope", "points", "--as-of", "2024-13-01", "--db", db}).status == 2);
  write(dir.file("short.key"), "short\n");
  CHECK(run({"import", dir.file("list.csv"), "--db", dir.file("k.sqlite"), "--hash-key-file", dir.file("short.key")}).err ==
        "eligo blacklist import: " + dir.file("short.key") + ": the key is shorter than 16 bytes\n");
  write(dir.file("bad-mapping.json"), R"({"columns": {"id": "x"}})");
  CHECK(run({"import", dir.file("list.csv"), "--db", db, "--mapping", dir.file("bad-mapping.json")}).status == 2);
}

TEST_CASE("eligo blacklist with a hash key stores and checks keyed lists", "[blacklist][cli]") {
  TempDir dir;
  const std::string db = dir.file("keyed.sqlite"), key = dir.file("list.key");
  write(key, "a-department-secret-of-some-length\n");
  write(dir.file("list.jsonl"),
        R"({"id_number": "11010519491231002X", "scopes": ["points"], "reason_code": "SX01", "source": "法院", "listed_on": "2024-01-05"})"
        "\n");
  const Run imported = run({"import", dir.file("list.jsonl"), "--db", db, "--hash-key-file", key});
  CHECK(imported.status == 0);
  const Run listed = run({"check", "11010519491231002X", "--scope", "points", "--as-of", "2024-06-01", "--db", db,
                          "--hash-key-file", key});
  CHECK(listed.status == 0);
  CHECK(listed.out.find("110105********002X: listed for scope points") == 0);
  const std::string h = identity::keyed_id_hash("a-department-secret-of-some-length", "11010519491231002X");
  CHECK(listed.out.find("  " + h.substr(0, 12) + "…  SX01") != std::string::npos);
  const Run without_key = run({"check", "11010519491231002X", "--scope", "points", "--db", db});
  CHECK(without_key.status == 2);
  const Run by_hash = run({"check", h, "--scope", "points", "--as-of", "2024-06-01", "--db", db});
  CHECK(by_hash.status == 0);
  CHECK(by_hash.out.find(h.substr(0, 12) + "…: listed") == 0);
}

TEST_CASE("eligo blacklist import --replace makes the file the whole list", "[blacklist][cli]") {
  TempDir dir;
  const std::string db = dir.file("list.sqlite");
  write(dir.file("first.csv"), "id_number,scopes,reason_code,source,listed_on\n"
                               "11010519491231002X,points,SX01,法院,2024-01-05\n"
                               "610104620927690,points,SW02,税务,2024-01-05\n");
  write(dir.file("second.csv"), "id_number,scopes,reason_code,source,listed_on\n"
                                "610104620927690,housing,SW03,税务,2024-02-01\n");
  REQUIRE(run({"import", dir.file("first.csv"), "--db", db}).status == 0);
  const Run merged = run({"import", dir.file("second.csv"), "--db", db});
  CHECK(merged.status == 0);
  CHECK(merged.out.find("list: 3 entries, revision 2, sha256 ") != std::string::npos);
  const Run replaced = run({"import", dir.file("second.csv"), "--db", db, "--replace"});
  CHECK(replaced.status == 0);
  CHECK(replaced.out.find("1 rows: 1 loaded, 0 rejected, 0 merged\nlist: 1 entries, revision 3, sha256 ") !=
        std::string::npos);
  const Run gone = run({"check", "11010519491231002X", "--scope", "points", "--as-of", "2024-06-01", "--db", db});
  CHECK(gone.out.find("110105********002X: not listed for scope points on 2024-06-01 (list revision 3") == 0);
  const Run kept = run({"check", "610104196209276908", "--scope", "housing", "--as-of", "2024-06-01", "--db", db});
  CHECK(kept.out.find("610104********6908: listed for scope housing on 2024-06-01, 1 entry") == 0);
}

TEST_CASE("eligo blacklist stats counts an entry starting or ending today as in effect today", "[blacklist][cli]") {
  TempDir dir;
  const std::string db = dir.file("list.sqlite");
  const Date today = identity::today_in_china();
  const std::string t = today.to_string(), yesterday = add_days(today, -1).to_string(),
                    tomorrow = add_days(today, 1).to_string(), long_ago = add_days(today, -400).to_string();
  // from today / until today: in effect; until yesterday: expired; from tomorrow: not yet;
  // no from (listed today): in effect.
  write(dir.file("list.csv"), "id_number,scopes,reason_code,source,listed_on,from,until\n"
                              "11010519491231002X,points,A1,法院," + long_ago + "," + t + ",\n" +
                              "11010519491231002X,points,A2,法院," + long_ago + ",," + t + "\n" +
                              "11010519491231002X,points,A3,法院," + long_ago + ",," + yesterday + "\n" +
                              "11010519491231002X,points,A4,法院," + long_ago + "," + tomorrow + ",\n" +
                              "11010519491231002X,points,A5,法院," + t + ",,\n");
  REQUIRE(run({"import", dir.file("list.csv"), "--db", db}).status == 0);
  const Run stats = run({"stats", "--db", db});
  CHECK(stats.status == 0);
  CHECK(stats.out.find("today: 3 in effect, 1 expired, 1 not yet in effect\n") != std::string::npos);
  std::string error;
  auto store = blacklist::Store::open(db, &error);
  REQUIRE(store);
  const blacklist::StoreStats st = store->stats();
  CHECK(st.in_effect_today == 3);
  CHECK(st.expired == 1);
  CHECK(st.not_yet == 1);
}
