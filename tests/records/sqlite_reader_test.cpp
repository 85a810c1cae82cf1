// SQLite tables through the one record reader: real database files written in the test with SQLite itself.
#include <catch2/catch.hpp>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "eligo/records.hpp"

using namespace eligo::records;

namespace {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "eligo-sqlite-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Runs the SQL on a new database file; the test fails if SQLite refuses it.
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

struct Read {
  std::string name;
  std::vector<std::string> header;
  std::vector<std::string> rows;  // cells joined with '|'
  std::vector<std::uint64_t> lines;
  std::vector<std::string> bad;   // "line: column: problem"
  std::string error;
};

Read read_all(const std::string& path, ReadOptions options = {}) {
  Read r;
  RecordReader reader;
  if (!reader.open(path, options, &r.error)) return r;
  r.name = reader.name();
  r.header = reader.header();
  CHECK(reader.tabular());
  CHECK(reader.format() == Format::sqlite);
  for (;;) {
    const Next n = reader.next();
    if (n == Next::end) break;
    if (n == Next::error) {
      r.error = reader.error();
      break;
    }
    if (n == Next::bad_row) {
      r.bad.push_back(std::to_string(reader.line()) + ": " + reader.header()[static_cast<std::size_t>(reader.problem_column())] +
                      ": " + reader.problem());
      continue;
    }
    std::string row;
    for (std::size_t c = 0; c < reader.cells().size(); ++c) row += (c ? "|" : "") + std::string(reader.cells()[c]);
    r.rows.push_back(row);
    r.lines.push_back(reader.line());
  }
  CHECK(reader.row_number() == r.rows.size() + r.bad.size());
  return r;
}

}  // namespace

TEST_CASE("a SQLite table is read as rows of cells: integers and reals as exact text, NULL as an empty cell",
          "[records][sqlite]") {
  TempDir dir;
  const std::string db = dir.file("civil.sqlite");
  make_db(db,
          "CREATE TABLE certificates (id_number TEXT, kind TEXT, \"from\" TEXT, \"to\" TEXT, amount REAL, n INTEGER);"
          "INSERT INTO certificates VALUES ('11010119900307803X', 'dibao', '2023-06-01', NULL, 0.1, 120);"
          "INSERT INTO certificates VALUES ('  440106199001011234 ', 'tekun', '2020-01-01', '2024-12-31', 3000.0, -9223372036854775808);"
          "INSERT INTO certificates VALUES ('x', 'dibao_edge', '', NULL, 0.0000001, 0);"
          "INSERT INTO certificates VALUES ('y', NULL, NULL, NULL, 1e20, NULL);");
  const Read r = read_all(db + ":certificates");
  REQUIRE(r.error.empty());
  CHECK(r.name == db + ":certificates");
  CHECK(r.header == std::vector<std::string>{"id_number", "kind", "from", "to", "amount", "n"});
  CHECK(r.rows == std::vector<std::string>{
                      "11010119900307803X|dibao|2023-06-01||0.1|120",
                      "440106199001011234|tekun|2020-01-01|2024-12-31|3000|-9223372036854775808",
                      "x|dibao_edge|||0.0000001|0",
                      "y||||100000000000000000000|",
                  });
  CHECK(r.lines == std::vector<std::uint64_t>{1, 2, 3, 4});
  CHECK(r.bad.empty());
}

TEST_CASE("SQLite rows come in rowid order, whatever order they were inserted in", "[records][sqlite]") {
  TempDir dir;
  const std::string db = dir.file("t.db");
  make_db(db,
          "CREATE TABLE t (k TEXT);"
          "INSERT INTO t(rowid, k) VALUES (3, 'c'); INSERT INTO t(rowid, k) VALUES (1, 'a');"
          "INSERT INTO t(rowid, k) VALUES (2, 'b');");
  CHECK(read_all(db + ":t").rows == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("a SQLite blob makes its row a bad row naming the column, and the next row is read", "[records][sqlite]") {
  TempDir dir;
  const std::string db = dir.file("c.sqlite");
  make_db(db,
          "CREATE TABLE t (id TEXT, photo BLOB, note TEXT);"
          "INSERT INTO t VALUES ('a', NULL, 'ok');"
          "INSERT INTO t VALUES ('b', x'00ff10', 'has a blob');"
          "INSERT INTO t VALUES ('c', NULL, CAST(x'c3' AS TEXT));"
          "INSERT INTO t VALUES ('d', NULL, 'ok');");
  const Read r = read_all(db + ":t");
  REQUIRE(r.error.empty());
  CHECK(r.rows == std::vector<std::string>{"a||ok", "d||ok"});
  CHECK(r.lines == std::vector<std::uint64_t>{1, 4});
  CHECK(r.bad == std::vector<std::string>{"2: photo: holds a blob (3 bytes), not text or a number",
                                          "3: note: not valid UTF-8"});
}

TEST_CASE("a missing SQLite table is an error naming the file, the table and the tables there are", "[records][sqlite]") {
  TempDir dir;
  const std::string db = dir.file("civil.sqlite");
  make_db(db, "CREATE TABLE residents (id TEXT); CREATE TABLE certificates (id TEXT); CREATE VIEW v AS SELECT id FROM residents;");
  const Read r = read_all(db + ":certificate");
  CHECK(r.error == db + ": no table or view named 'certificate'; the database holds 'certificates', 'residents', 'v'");
  // Without a table, a database of several tables asks for one.
  CHECK(read_all(db).error == db + ": name the table to read (" + db + ":TABLE); the database holds 'certificates', "
                                   "'residents', 'v'");
}

TEST_CASE("a database of one table is read without naming it, and table names are case-insensitive", "[records][sqlite]") {
  TempDir dir;
  const std::string db = dir.file("one.sqlite3");
  make_db(db, "CREATE TABLE Stays (id TEXT, admit TEXT); INSERT INTO Stays VALUES ('a', '2024-01-02');");
  Read r = read_all(db);
  REQUIRE(r.error.empty());
  CHECK(r.name == db + ":Stays");
  CHECK(r.rows == std::vector<std::string>{"a|2024-01-02"});
  r = read_all(db + ":stays");
  REQUIRE(r.error.empty());
  CHECK(r.name == db + ":Stays");
  ReadOptions o;
  o.table = "STAYS";
  CHECK(read_all(db, o).rows == std::vector<std::string>{"a|2024-01-02"});
}

TEST_CASE("a file that is not a SQLite database, and a missing one, are errors naming the file", "[records][sqlite]") {
  TempDir dir;
  const std::string fake = dir.file("fake.sqlite");
  std::ofstream(fake) << "id,kind\n1,dibao\n";
  CHECK(read_all(fake + ":t").error == fake + ": not a SQLite database");
  CHECK(read_all(dir.file("absent.sqlite") + ":t").error == dir.file("absent.sqlite") + ": cannot open: no such file");
  // Opening read-only creates nothing.
  CHECK_FALSE(std::filesystem::exists(dir.file("absent.sqlite")));
}

TEST_CASE("SQLite column names that are the same once trimmed are refused, as in a CSV header", "[records][sqlite]") {
  TempDir dir;
  const std::string db = dir.file("d.sqlite");
  make_db(db, "CREATE TABLE t (id TEXT, \"kind\" TEXT, \"kind \" TEXT); INSERT INTO t VALUES ('a', 'b', 'c');");
  CHECK(read_all(db + ":t").error ==
        db + ":t: the table names 'kind' twice: columns 2 and 3; which one holds the value is ambiguous");
}

TEST_CASE("views and WITHOUT ROWID tables are read too", "[records][sqlite]") {
  TempDir dir;
  const std::string db = dir.file("v.db3");
  make_db(db,
          "CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;"
          "INSERT INTO t VALUES ('b', 2); INSERT INTO t VALUES ('a', 1);"
          "CREATE VIEW big AS SELECT id, n * 10 AS tens FROM t WHERE n > 1;");
  CHECK(read_all(db + ":t").rows == std::vector<std::string>{"a|1", "b|2"});
  const Read v = read_all(db + ":big");
  CHECK(v.header == std::vector<std::string>{"id", "tens"});
  CHECK(v.rows == std::vector<std::string>{"b|20"});
}

TEST_CASE("the SQLite format is found by the file name, or given for any name", "[records][sqlite]") {
  CHECK(detect_format("civil.sqlite:certificates") == Format::sqlite);
  CHECK(detect_format("dir.db/x.SQLITE") == Format::sqlite);
  CHECK(detect_format("a.db:t") == Format::sqlite);
  CHECK(detect_format("a.csv") == Format::csv);
  CHECK(detect_format("notes.dbx") == Format::jsonl);
  CHECK(parse_format("sqlite") == Format::sqlite);
  CHECK(std::string(format_name(Format::sqlite)) == "sqlite");

  TempDir dir;
  const std::string db = dir.file("export.bin");
  make_db(db, "CREATE TABLE t (a TEXT); INSERT INTO t VALUES ('1');");
  ReadOptions o;
  o.format = Format::sqlite;
  CHECK(read_all(db + ":t", o).rows == std::vector<std::string>{"1"});
  CHECK(read_all(db, o).rows == std::vector<std::string>{"1"});
}
