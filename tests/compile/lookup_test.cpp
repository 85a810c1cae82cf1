// Lookup tables: rows read at compile time from CSV or SQLite through the one record reader, typed, indexed
// by key, part of the pack hash; lookup() and has_row() in expressions. And date(text) of a non-literal.
#include <catch2/catch.hpp>

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "eligo/pack.hpp"

namespace fs = std::filesystem;

namespace {

struct Folder {
  fs::path root;
  Folder() {
    root = fs::temp_directory_path() / ("eligo-lookup-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root / "tables");
  }
  ~Folder() { fs::remove_all(root); }
  void write(const std::string& name, const std::string& text) const { std::ofstream(root / name, std::ios::binary) << text; }
  eligo::CompileResult compile(const std::string& pack) const {
    write("p.pack.json", pack);
    eligo::CompileOptions o;
    o.lang = "en";
    return eligo::compile_file((root / "p.pack.json").string(), o);
  }
};

const char* kCsvPack = R"J({"pack": "t.lookup", "version": "1",
  "inputs": {"a": {"fields": {"kind": "string", "moved_in": "string"}}},
  "tables": {"subsidy": {"file": "tables/subsidy.csv", "key": ["category"],
                         "columns": {"amount": "number", "since": "date", "note": "string?"}}},
  "checks": [{"id": "known", "require": "has_row('subsidy', a.kind)", "reason": "no subsidy for this kind"}],
  "outputs": {"amount": "lookup('subsidy', a.kind).amount", "since": "lookup('subsidy', a.kind).since",
              "dibao": "lookup('subsidy', 'dibao').amount * 2",
              "moved_in": "date(a.moved_in)"}})J";

const char* kSubsidy = "category,amount,since,note\ntekun,600.00,2024-01-01,\ndibao,500.00,2023-07-01,低保\n";

std::string output(const eligo::Decision& d, const std::string& name) {
  for (const auto& o : d.outputs)
    if (o.name == name) return o.missing.empty() ? o.value : "(missing)";
  return "(none)";
}

}  // namespace

TEST_CASE("lookup reads a CSV table by key, exactly, and has_row says whether a key is there", "[compile][lookup]") {
  Folder f;
  f.write("tables/subsidy.csv", kSubsidy);
  const auto r = f.compile(kCsvPack);
  INFO(r.diagnostics.to_string());
  REQUIRE(r.pack);
  eligo::EvalOptions opt;
  opt.as_of = eligo::Date::parse("2024-05-01");
  auto d = r.pack->evaluate(R"J({"a": {"kind": "tekun", "moved_in": "2020-02-29"}})J", opt);
  CHECK(eligo::verdict_name(d.verdict) == std::string("eligible"));
  CHECK(output(d, "amount") == "600.00");
  CHECK(output(d, "since") == "2024-01-01");
  CHECK(output(d, "dibao") == "1000.00");  // a constant key is looked up once, at compile time
  CHECK(output(d, "moved_in") == "2020-02-29");
  d = r.pack->evaluate(R"J({"a": {"kind": "dibao_edge", "moved_in": "2020-02-29"}})J", opt);
  REQUIRE(d.checks.size() == 1);
  CHECK(d.checks[0].status == eligo::CheckStatus::failed);
}

TEST_CASE("lookup of a key the table lacks is evaluation error E2011", "[compile][lookup]") {
  Folder f;
  f.write("tables/subsidy.csv", kSubsidy);
  const auto r = f.compile(R"J({"pack": "t.lookup", "version": "1",
    "inputs": {"a": {"fields": {"kind": "string"}}},
    "tables": {"subsidy": {"file": "tables/subsidy.csv", "key": "category", "columns": {"amount": "number"}}},
    "checks": [{"id": "c", "require": "lookup('subsidy', a.kind).amount > 0", "reason": "r"}]})J");
  INFO(r.diagnostics.to_string());
  REQUIRE(r.pack);
  eligo::EvalOptions opt;
  opt.as_of = eligo::Date::parse("2024-05-01");
  const auto d = r.pack->evaluate(R"J({"a": {"kind": "none"}})J", opt);
  REQUIRE(d.error);
  CHECK(d.error->code == "E2011");
  CHECK(d.error->message == "table 'subsidy' has no row for the key ('none')");
  CHECK(d.error->pointer == "/checks/0/require");
}

TEST_CASE("lookup reads an SQLite table with a two-column key", "[compile][lookup]") {
  Folder f;
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((f.root / "tables" / "ref.sqlite").string().c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db,
                       "CREATE TABLE dibao_standard (district TEXT, year INTEGER, monthly TEXT);"
                       "INSERT INTO dibao_standard VALUES ('440104', 2023, '1120.00'), ('440104', 2024, '1180.00'),"
                       "('440106', 2024, '1180.00');",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  const auto r = f.compile(R"J({"pack": "t.lookup", "version": "1",
    "inputs": {"a": {"fields": {"district": "string"}}},
    "tables": {"standard": {"sqlite": "tables/ref.sqlite", "table": "dibao_standard", "key": ["district", "year"],
                            "columns": {"year": "number", "monthly": "number"}}},
    "checks": [{"id": "c", "require": "has_row('standard', a.district, year(as_of))", "reason": "r"}],
    "outputs": {"monthly": "lookup('standard', a.district, year(as_of)).monthly"}})J");
  INFO(r.diagnostics.to_string());
  REQUIRE(r.pack);
  eligo::EvalOptions opt;
  opt.as_of = eligo::Date::parse("2023-09-01");
  CHECK(output(r.pack->evaluate(R"J({"a": {"district": "440104"}})J", opt), "monthly") == "1120.00");
  opt.as_of = eligo::Date::parse("2024-09-01");
  CHECK(output(r.pack->evaluate(R"J({"a": {"district": "440104"}})J", opt), "monthly") == "1180.00");
  opt.as_of = eligo::Date::parse("2023-09-01");
  CHECK(r.pack->evaluate(R"J({"a": {"district": "440106"}})J", opt).checks[0].status == eligo::CheckStatus::failed);
}

TEST_CASE("a lookup table's rows are part of the pack hash", "[compile][lookup]") {
  Folder f;
  f.write("tables/subsidy.csv", kSubsidy);
  const auto a = f.compile(kCsvPack);
  f.write("tables/subsidy.csv", "category,amount,since,note\ntekun,650.00,2024-01-01,\ndibao,500.00,2023-07-01,低保\n");
  const auto b = f.compile(kCsvPack);
  REQUIRE(a.pack);
  REQUIRE(b.pack);
  CHECK(a.pack->hash() != b.pack->hash());
}

TEST_CASE("a lookup table outside the pack's folder is refused", "[compile][lookup]") {
  Folder f;
  const auto r = f.compile(R"J({"pack": "t.lookup", "version": "1", "inputs": {"a": {"fields": {"k": "string"}}},
    "tables": {"t": {"file": "../elsewhere.csv", "key": "k"}}})J");
  REQUIRE_FALSE(r.pack);
  REQUIRE(r.diagnostics.items.size() == 1);
  CHECK(r.diagnostics.items[0].code == "E1110");
}

TEST_CASE("date(text) of a text that is not a date is missing, with data error E3006", "[compile][date]") {
  Folder f;
  const auto ok = f.compile(R"J({"pack": "t.date", "version": "1",
    "inputs": {"a": {"fields": {"moved_in": "string", "year": "string"}}},
    "checks": [{"id": "settled", "require": "years_between(date(a.moved_in), as_of) >= 2", "reason": "r"},
               {"id": "built", "require": "date(concat(a.year, '-01-01')) <= as_of", "reason": "r"}],
    "mode": "all"})J");
  INFO(ok.diagnostics.to_string());
  REQUIRE(ok.pack);
  eligo::EvalOptions opt;
  opt.as_of = eligo::Date::parse("2024-05-01");
  auto d = ok.pack->evaluate(R"J({"a": {"moved_in": "2021-03-01", "year": "2020"}})J", opt);
  CHECK(eligo::verdict_name(d.verdict) == std::string("eligible"));
  CHECK(d.data_errors.empty());
  d = ok.pack->evaluate(R"J({"a": {"moved_in": "2021-02-30", "year": "20x0"}})J", opt);
  CHECK(eligo::verdict_name(d.verdict) == std::string("needs_evidence"));
  CHECK(d.checks[0].missing == std::vector<std::string>{"a.moved_in"});
  CHECK(d.checks[1].missing == std::vector<std::string>{"date(concat(a.year, '-01-01'))"});
  REQUIRE(d.data_errors.size() == 2);
  CHECK(d.data_errors[0].code == "E3006");
  CHECK(d.data_errors[0].path == "a.moved_in");
  CHECK(d.data_errors[0].message == "date(): the text is not a date (YYYY-MM-DD with a real calendar day)");
  CHECK(d.data_errors[1].path == "date(concat(a.year, '-01-01'))");
}

TEST_CASE("date() of a text known when compiling is checked when compiling", "[compile][date]") {
  const auto r = eligo::compile_text(R"J({"pack": "t.date", "version": "1", "inputs": {"a": {"fields": {"d": "date"}}},
    "checks": [{"id": "c", "require": "a.d >= date(concat('2024-02', '-30'))", "reason": "r"}]})J",
                                     "d.pack.json", [] { eligo::CompileOptions o; o.lang = "en"; return o; }());
  REQUIRE_FALSE(r.pack);
  REQUIRE(r.diagnostics.items.size() == 1);
  CHECK(r.diagnostics.items[0].code == "E1207");
  CHECK(r.diagnostics.items[0].message == "'2024-02-30' is not a date: write YYYY-MM-DD with a real calendar day");
}
