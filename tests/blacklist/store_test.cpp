#include <catch2/catch.hpp>

#include <fstream>

#include "blacklist/helpers.hpp"

using namespace eligo;
using namespace eligo::blacklist;
using namespace blacklist_test;

namespace {

const std::string kId = "11010519491231002X";

std::unique_ptr<Store> open(const std::string& path) {
  std::string error;
  auto store = Store::open(path, &error);
  INFO(error);
  REQUIRE(store);
  return store;
}

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

const char* kHeader = "id_number,scopes,reason_code,reason_text,source,listed_on,from,until\n";

}  // namespace

TEST_CASE("a list survives the SQLite store: same entries, same answers, same hash", "[blacklist]") {
  TempDir dir;
  const std::string csv = dir.file("list.csv");
  write(csv, std::string(kHeader) +
                 "11010519491231002X,points;school_admission,SX01,失信被执行人,市中级人民法院,2024-01-05,,2026-01-04\n"
                 "610104620927690,*,SW02,重大税收违法,市税务局,2023-07-01,2023-08-01,\n"
                 "KAZ110090123105,housing,,拒不配合调查,市公安局,2024-02-01,,\n");
  ImportReport r;
  {
    auto store = open(dir.file("list.sqlite"));
    r = store->import_file(csv, {});
    REQUIRE(r.ok());
    CHECK(r.rows == 3);
    CHECK(r.loaded == 3);
    CHECK(r.entries == 3);
    CHECK(r.revision == 1);
  }
  // Reopened from the file: the same list.
  auto store = open(dir.file("list.sqlite"));
  std::string error;
  const auto list = store->snapshot({}, &error);
  REQUIRE(list);
  CHECK(list->version() == "1");
  CHECK(list->hash() == r.hash);
  Builder direct;
  REQUIRE(load_file(csv, direct).accepted == 3);
  const auto in_memory = direct.build();
  CHECK(in_memory->hash() == list->hash());
  const auto a = in_memory->entries(), b = list->entries();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].key == b[i].key);
    CHECK(a[i].scopes == b[i].scopes);
    CHECK(a[i].reason_code == b[i].reason_code);
    CHECK(a[i].reason_text == b[i].reason_text);
    CHECK(a[i].source == b[i].source);
    CHECK(a[i].listed_on == b[i].listed_on);
    CHECK(a[i].from == b[i].from);
    CHECK(a[i].until == b[i].until);
  }
  CHECK(list->listed("610104196209276908", "anything", day("2024-01-01")));
  CHECK(list->listed("KAZ110090123105", "housing", day("2024-02-01")));
  // One subject only, for one-off checks.
  const auto one = store->snapshot_for("11010519491231002x", {}, &error);
  REQUIRE(one);
  CHECK(one->size() == 1);
  CHECK(one->listed(kId, "points", day("2025-01-01")));
  const StoreStats st = store->stats();
  CHECK(st.entries == 3);
  CHECK(st.distinct_keys == 3);
  CHECK(st.revision == 1);
  CHECK(st.hash == r.hash);
  CHECK(st.key_kind == KeyKind::id_number);
  CHECK(st.by_scope == std::vector<std::pair<std::string, std::size_t>>{{"*", 1}, {"housing", 1}, {"points", 1},
                                                                         {"school_admission", 1}});
  CHECK(st.by_source.size() == 3);
  CHECK(st.last_import.find("list.csv") != std::string::npos);
}

TEST_CASE("importing again merges into the stored list and replace starts over", "[blacklist]") {
  TempDir dir;
  auto store = open(dir.file("list.sqlite"));
  const std::string first = dir.file("first.csv"), second = dir.file("second.csv");
  write(first, std::string(kHeader) + "11010519491231002X,points,SX01,失信被执行人,法院,2024-01-05,,\n");
  write(second, std::string(kHeader) +
                    "11010519491231002X,housing,SX01,失信被执行人,法院,2024-01-09,,\n"  // same listing: merged
                    "11010519491231002X,points,SX01,失信被执行人,法院,2024-01-05,,\n"   // again: merged
                    "610104620927690,points,SW02,欠税,税务,2024-01-05,,\n"              // new
                    "bad,points,SW02,欠税,税务,2024-01-05,,\n");                        // rejected
  REQUIRE(store->import_file(first, {}).ok());
  const ImportReport r = store->import_file(second, {});
  REQUIRE(r.ok());
  CHECK(r.rows == 4);
  CHECK(r.loaded == 1);
  CHECK(r.merged == 2);
  CHECK(r.rejected == 1);
  CHECK(r.rows == r.loaded + r.rejected + r.merged);
  CHECK(r.entries == 2);
  CHECK(r.revision == 2);
  std::string error;
  const auto list = store->snapshot({}, &error);
  const auto hits = list->check(kId, "*", day("2024-06-01"));
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].scopes == std::vector<std::string>{"housing", "points"});
  CHECK(hits[0].listed_on == day("2024-01-05"));
  ImportOptions replace;
  replace.replace = true;
  const ImportReport again = store->import_file(first, replace);
  REQUIRE(again.ok());
  CHECK(again.entries == 1);
  CHECK(store->stats().revision == 3);
}

TEST_CASE("a keyed store holds no ID numbers and refuses a wrong key", "[blacklist]") {
  TempDir dir;
  const std::string key = "0123456789abcdef-city-credit-office";
  const std::string csv = dir.file("list.csv");
  write(csv, std::string(kHeader) + "11010519491231002X,points,SX01,失信被执行人,法院,2024-01-05,,\n");
  ImportOptions options;
  options.hash_key = key;
  {
    auto store = open(dir.file("keyed.sqlite"));
    const ImportReport r = store->import_file(csv, options);
    REQUIRE(r.ok());
    CHECK(r.loaded == 1);
  }
  // Nothing in the database file holds the number in clear.
  std::ifstream f(dir.file("keyed.sqlite"), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  CHECK(bytes.find("11010519491231002X") == std::string::npos);
  CHECK(bytes.find(identity::keyed_id_hash(key, kId)) != std::string::npos);

  auto store = open(dir.file("keyed.sqlite"));
  CHECK(store->key_kind() == KeyKind::hmac_sha256);
  std::string error;
  const auto list = store->snapshot(key, &error);
  REQUIRE(list);
  CHECK(list->listed(kId, "points", day("2024-06-01")));
  CHECK(store->snapshot(std::string("another key of enough length"), &error) == nullptr);
  CHECK(error.find("the hash key is not the one this store was made with") != std::string::npos);
  const auto no_key = store->snapshot(std::nullopt, &error);
  REQUIRE(no_key);
  CHECK(no_key->listed(identity::keyed_id_hash(key, kId), "points", day("2024-06-01")));
  CHECK_FALSE(no_key->listed(kId, "points", day("2024-06-01")));
  ImportOptions wrong;
  wrong.hash_key = "another key of enough length";
  CHECK(store->import_file(csv, wrong).error.find("not the one this store was made with") != std::string::npos);
  // An ID store will not take a key.
  auto plain = open(dir.file("plain.sqlite"));
  REQUIRE(plain->import_file(csv, {}).ok());
  CHECK_FALSE(plain->import_file(csv, options).ok());
}

TEST_CASE("a file that is not a database is an error, not a crash", "[blacklist]") {
  TempDir dir;
  write(dir.file("junk.sqlite"), std::string(4096, 'x'));
  std::string error;
  CHECK(Store::open(dir.file("junk.sqlite"), &error) == nullptr);
  CHECK(error.find("junk.sqlite") != std::string::npos);
}

TEST_CASE("entries built in memory can be stored, merged like a file's rows", "[blacklist]") {
  TempDir dir;
  auto store = open(dir.file("list.sqlite"));
  Builder first;
  REQUIRE_FALSE(first.add(entry(kId, {"points"}, "2024-01-05")));
  REQUIRE_FALSE(first.add(entry("610104620927690", {"*"}, "2023-07-01")));
  ImportOptions options;
  options.file_name = "court export";
  const ImportReport r = store->import_entries(std::move(first), options);
  REQUIRE(r.ok());
  CHECK(r.rows == 2);
  CHECK(r.loaded == 2);
  CHECK(r.entries == 2);
  Builder second;
  REQUIRE_FALSE(second.add(entry(kId, {"housing"}, "2024-01-05")));  // the same listing: merged
  const ImportReport again = store->import_entries(std::move(second), options);
  REQUIRE(again.ok());
  CHECK(again.rows == 1);
  CHECK(again.merged == 1);
  CHECK(again.loaded == 0);
  CHECK(again.entries == 2);
  CHECK(store->stats().last_import.find("court export") != std::string::npos);
  BuildOptions keyed;
  keyed.hash_key = std::string("a key of sixteen bytes or more");
  Builder wrong_kind(keyed);
  REQUIRE_FALSE(wrong_kind.add(entry(kId, {"points"}, "2024-01-05")));
  const ImportReport refused = store->import_entries(std::move(wrong_kind), options);
  CHECK(refused.error.find("keyed by hmac_sha256, the store by id_number") != std::string::npos);
}
