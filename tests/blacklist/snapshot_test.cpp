#include <catch2/catch.hpp>
#include <openssl/sha.h>

#include <algorithm>

#include "blacklist/key.hpp"
#include "blacklist/helpers.hpp"

using namespace eligo;
using namespace eligo::blacklist;
using namespace blacklist_test;

namespace {

std::shared_ptr<const Snapshot> build(const std::vector<Entry>& entries, BuildOptions options = {}) {
  Builder b(options);
  for (const Entry& e : entries) REQUIRE_FALSE(b.add(e).has_value());
  return b.build();
}

const std::string kId = "11010519491231002X";
const std::string kLegacy15 = "610104620927690";
const std::string kLegacy18 = "610104196209276908";

}  // namespace

TEST_CASE("an entry is listed from its first day to its last day inclusive, not the day before or after", "[blacklist]") {
  const auto list = build({entry(kId, {"points"}, "2024-02-20", "2024-03-01", "2024-08-31")});
  CHECK_FALSE(list->listed(kId, "points", day("2024-02-29")));  // the day before it takes effect
  CHECK(list->listed(kId, "points", day("2024-03-01")));        // the first day
  CHECK(list->listed(kId, "points", day("2024-08-31")));        // the last day
  CHECK_FALSE(list->listed(kId, "points", day("2024-09-01")));  // expired the day before
}

TEST_CASE("an entry without a from date takes effect on the day it was listed", "[blacklist]") {
  const auto list = build({entry(kId, {"points"}, "2024-03-01")});
  CHECK_FALSE(list->listed(kId, "points", day("2024-02-29")));
  CHECK(list->listed(kId, "points", day("2024-03-01")));
  CHECK(list->listed(kId, "points", day("9999-12-31")));  // no until: no end
}

TEST_CASE("an entry blocks only the scopes it names, and scope * blocks every scope", "[blacklist]") {
  const std::string other = id18("44030419900101123");
  const auto list = build({entry(kId, {"school_admission", "points"}, "2024-01-01"), entry(other, {"*"}, "2024-01-01")});
  const Date d = day("2024-06-01");
  CHECK(list->listed(kId, "school_admission", d));
  CHECK(list->listed(kId, "points", d));
  CHECK_FALSE(list->listed(kId, "housing", d));
  CHECK(list->listed(other, "housing", d));
  CHECK(list->listed(other, "a_scope_no_entry_names", d));
  // A query scope of * (or empty) asks about every scope.
  CHECK(list->listed(kId, "*", d));
  CHECK(list->listed(kId, "", d));
  CHECK(list->scopes() == std::vector<std::string>{"*", "points", "school_admission"});
}

TEST_CASE("a 15-digit ID matches its 18-digit entry and the other way round", "[blacklist]") {
  const Date d = day("2024-06-01");
  const auto by18 = build({entry(kLegacy18, {"points"}, "2024-01-01")});
  CHECK(by18->listed(kLegacy15, "points", d));
  const auto by15 = build({entry(kLegacy15, {"points"}, "2024-01-01")});
  CHECK(by15->listed(kLegacy18, "points", d));
  const std::vector<Entry> hits = by15->check(kLegacy15, "points", d);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].key == kLegacy18);  // stored normalised
  CHECK(masked_key(hits[0].key) == "610104********6908");
}

TEST_CASE("queries are normalised like imports: lower-case x, full-width digits, spaces", "[blacklist]") {
  const auto list = build({entry(kId, {"points"}, "2024-01-01")});
  const Date d = day("2024-06-01");
  CHECK(list->listed("11010519491231002x", "points", d));
  CHECK(list->listed("  11010519491231002X ", "points", d));
  CHECK(list->listed("１１０１０５１９４９１２３１００２Ｘ", "points", d));
  CHECK_FALSE(list->listed("110105194912310021", "points", d));  // wrong check character: another string
  CHECK_FALSE(list->listed("not an id", "points", d));
  CHECK_FALSE(list->listed("", "points", d));
  CHECK(list->key_of("11010519491231002x") == kId);
  CHECK_FALSE(list->key_of("garbage").has_value());
}

TEST_CASE("check returns every matching entry with its reason, source and dates", "[blacklist]") {
  Entry court = entry(kId, {"points"}, "2024-01-05", nullptr, "2026-01-04");
  Entry tax = entry(kId, {"points", "housing"}, "2023-07-01");
  tax.source = "市税务局";
  tax.reason_code = "SW02";
  tax.reason_text = "重大税收违法";
  const auto list = build({court, tax});
  const auto hits = list->check(kId, "points", day("2024-06-01"));
  REQUIRE(hits.size() == 2);
  // Canonical order: key, then source (byte order: 市中级… before 市税务局).
  CHECK(hits[0].source == "市中级人民法院");
  CHECK(hits[0].reason_code == "SX01");
  CHECK(hits[0].reason_text == "失信被执行人");
  CHECK(hits[0].listed_on == day("2024-01-05"));
  CHECK_FALSE(hits[0].from.has_value());
  CHECK(hits[0].until == day("2026-01-04"));
  CHECK(hits[0].scopes == std::vector<std::string>{"points"});
  CHECK(hits[1].source == "市税务局");
  CHECK(hits[1].scopes == std::vector<std::string>{"housing", "points"});
  CHECK(list->check(kId, "housing", day("2024-06-01")).size() == 1);
  CHECK(list->check(kId, "housing", day("2023-06-30")).empty());
}

TEST_CASE("duplicate entries are merged: scopes united, the earliest listing date kept", "[blacklist]") {
  Entry a = entry(kId, {"points"}, "2024-03-01", "2024-03-01", "2025-02-28");
  Entry b = entry(kLegacy18, {"points"}, "2024-01-01");
  Entry a_again = a;  // the same listing, exported again with another scope and a later listed_on
  a_again.key = "11010519491231002x";
  a_again.scopes = {"school_admission"};
  a_again.listed_on = day("2024-03-02");
  Entry a_third = a;  // and once more exactly
  Entry a_other = a;  // not a duplicate: another reason text is another listing
  a_other.reason_text = "拒不履行判决";
  for (const auto& order : {std::vector<Entry>{a, b, a_again, a_third, a_other},
                            std::vector<Entry>{a_other, a_third, a_again, b, a}}) {
    const auto list = build(order);
    CHECK(list->size() == 3);
    CHECK(list->stats().merged == 2);
    CHECK(list->stats().distinct_keys == 2);
    const auto all = list->entries();
    REQUIRE(all.size() == 3);
    // Canonical order: by key (110105… before 610104…), then reason text in byte order (失 E5 before 拒 E6).
    CHECK(all[0].key == kId);
    CHECK(all[0].reason_text == "失信被执行人");
    CHECK(all[0].scopes == std::vector<std::string>{"points", "school_admission"});
    CHECK(all[0].listed_on == day("2024-03-01"));
    CHECK(all[1].key == kId);
    CHECK(all[1].reason_text == "拒不履行判决");
    CHECK(all[1].scopes == std::vector<std::string>{"points"});
    CHECK(all[2].key == kLegacy18);
  }
  // The result does not depend on input order: the same hash.
  CHECK(build({a, b, a_again, a_third, a_other})->hash() == build({a_other, a_third, a_again, b, a})->hash());
}

TEST_CASE("a scope * absorbs the other scopes of a merged entry", "[blacklist]") {
  Entry a = entry(kId, {"points", "*"}, "2024-01-01");
  Entry b = entry(kId, {"housing"}, "2024-01-01");
  const auto list = build({a, b});
  REQUIRE(list->size() == 1);
  CHECK(list->entries()[0].scopes == std::vector<std::string>{"*"});
}

TEST_CASE("the content hash is SHA-256 of the sorted canonical lines", "[blacklist]") {
  Entry a = entry(kId, {"school_admission", "points"}, "2024-01-05", nullptr, "2026-01-04");
  Entry b = entry(kLegacy15, {"*"}, "2023-07-01", "2023-08-01");
  b.source = "市税务局";
  b.reason_code = "";
  const std::string canonical =
      "11010519491231002X\t市中级人民法院\tSX01\t失信被执行人\t\t2026-01-04\t2024-01-05\tpoints;school_admission\n"
      "610104196209276908\t市税务局\t\t失信被执行人\t2023-08-01\t\t2023-07-01\t*\n";
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size(), md);
  const auto list = build({b, a});
  CHECK(list->hash() == detail::to_hex(md, sizeof md));
  CHECK(list->version() == "sha256:" + list->hash().substr(0, 12));
  BuildOptions named;
  named.version = "2024-06 city list";
  CHECK(build({a}, named)->version() == "2024-06 city list");
}

TEST_CASE("hashed and raw lists give identical answers", "[blacklist]") {
  const std::string key = "a secret key shared by the departments";
  std::vector<Entry> entries = {
      entry(kId, {"points"}, "2024-03-01", nullptr, "2024-08-31"),
      entry(kLegacy15, {"*"}, "2024-01-01"),
      entry(id18("44030419900101123"), {"school_admission", "points"}, "2023-01-01", "2023-02-01", "2025-01-31"),
      entry("KAZ110090123105", {"housing"}, "2024-01-01"),
  };
  BuildOptions hashed;
  hashed.hash_key = key;
  const auto raw = build(entries, {});
  const auto keyed = build(entries, hashed);
  CHECK(keyed->key_kind() == KeyKind::hmac_sha256);
  CHECK(keyed->holds_hash_key());
  const std::vector<std::string> queries = {kId, "11010519491231002x", kLegacy15, kLegacy18, id18("44030419900101123"),
                                            "KAZ110090123105", id18("11010519800101001"), "nonsense"};
  int listed = 0;
  for (const std::string& q : queries)
    for (const char* scope : {"points", "housing", "school_admission", "*"})
      for (const char* d : {"2022-12-31", "2023-01-31", "2023-02-01", "2024-02-29", "2024-03-01", "2024-08-31",
                            "2024-09-01", "2025-01-31", "2025-02-01"}) {
        const bool r = raw->listed(q, scope, day(d));
        CHECK(keyed->listed(q, scope, day(d)) == r);
        const auto rh = raw->check(q, scope, day(d));
        const auto kh = keyed->check(q, scope, day(d));
        REQUIRE(rh.size() == kh.size());
        for (std::size_t i = 0; i < rh.size(); ++i) {
          CHECK(kh[i].key == identity::keyed_id_hash(key, rh[i].key));
          CHECK(kh[i].scopes == rh[i].scopes);
          CHECK(kh[i].listed_on == rh[i].listed_on);
          CHECK(kh[i].until == rh[i].until);
        }
        listed += r;
      }
  CHECK(listed > 20);  // the grid exercises both answers
  // A keyed list answers a query given as the HMAC itself, in either case.
  const std::string h = identity::keyed_id_hash(key, kLegacy15);
  CHECK(keyed->listed(h, "points", day("2024-06-01")));
  std::string upper = h;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(keyed->listed(upper, "points", day("2024-06-01")));
  CHECK(masked_key(h) == h.substr(0, 12) + "…");
  // A list received pre-hashed (no key held) answers HMAC queries only.
  BuildOptions prehashed;
  prehashed.hashed = true;
  Builder b(prehashed);
  REQUIRE_FALSE(b.add(entry(h, {"points"}, "2024-01-01")).has_value());
  const auto p = b.add(entry(kId, {"points"}, "2024-01-01"));
  REQUIRE(p.has_value());
  CHECK(p->field == Field::key);
  CHECK(p->why.find("110105********002X") != std::string::npos);
  const auto pre = b.build();
  CHECK(pre->listed(h, "points", day("2024-06-01")));
  CHECK_FALSE(pre->listed(kLegacy15, "points", day("2024-06-01")));
  CHECK_FALSE(pre->holds_hash_key());
}

TEST_CASE("add refuses entries with a bad field and says which, never showing the full ID", "[blacklist]") {
  Builder b;
  auto problem = [&](Entry e) { return b.add(e); };
  auto bad = entry("110105194912310021", {"points"}, "2024-01-01");
  auto p = problem(bad);
  REQUIRE(p);
  CHECK(p->field == Field::key);
  CHECK(p->why == "check character is 1, expected X (110105********0021)");
  CHECK(problem(entry("", {"points"}, "2024-01-01"))->why == "empty");
  CHECK(problem(entry(std::string(64, 'a'), {"points"}, "2024-01-01"))->why == "a 64-hex hashed key in a list of ID numbers");
  CHECK(problem(entry(kId, {}, "2024-01-01"))->field == Field::scopes);
  CHECK(problem(entry(kId, {"two words"}, "2024-01-01"))->field == Field::scopes);
  auto no_source = entry(kId, {"points"}, "2024-01-01");
  no_source.source = "  ";
  CHECK(problem(no_source)->field == Field::source);
  auto no_reason = entry(kId, {"points"}, "2024-01-01");
  no_reason.reason_code = no_reason.reason_text = "";
  CHECK(problem(no_reason)->field == Field::reason_code);
  auto control = entry(kId, {"points"}, "2024-01-01");
  control.reason_text = "line\nbreak";
  CHECK(problem(control)->field == Field::reason_text);
  auto invalid_utf8 = entry(kId, {"points"}, "2024-01-01");
  invalid_utf8.source = "\xE5\xB8";
  CHECK(problem(invalid_utf8)->why == "is not valid UTF-8");
  p = problem(entry(kId, {"points"}, "2024-03-01", nullptr, "2024-02-29"));
  REQUIRE(p);
  CHECK(p->field == Field::until);
  CHECK(p->why == "2024-02-29 is before the first day in effect, 2024-03-01");
  CHECK(b.added() == 0);
  CHECK_FALSE(b.add(entry(kId, {"points"}, "2024-03-01", nullptr, "2024-03-01")).has_value());  // a one-day entry
  CHECK(b.added() == 1);
}

TEST_CASE("an empty list lists nobody", "[blacklist]") {
  const auto empty = Snapshot::empty();
  CHECK(empty->size() == 0);
  CHECK_FALSE(empty->listed(kId, "points", day("2024-01-01")));
  CHECK(empty->check(kId, "*", day("2024-01-01")).empty());
  CHECK(empty->hash() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("ID codes are lossless and the fingerprint mix is a bijection", "[blacklist]") {
  for (const std::string& id : {kId, kLegacy18, std::string("KAZ110090123105"), std::string("999999194912310021"),
                               std::string("100000000000000000"), std::string("99999999999999999X")}) {
    std::uint64_t code = 0;
    REQUIRE(detail::encode_id(id, &code));
    CHECK(detail::decode_id(code) == id);
    CHECK(detail::unmix(detail::mix(code)) == code);
  }
  std::uint64_t a = 0, b = 0;
  REQUIRE(detail::encode_id("99999999999999999X", &a));
  REQUIRE(detail::encode_id("AAA000000000000", &b));
  CHECK(a < b);  // code order is the byte order of the key text
  for (std::uint64_t x = 1; x < (1ull << 63); x = x * 3 + 7) CHECK(detail::unmix(detail::mix(x)) == x);
}

TEST_CASE("a big list finds every member and no outsider", "[blacklist]") {
  Builder b;
  std::vector<std::string> members, outsiders;
  for (int i = 0; i < 20000; ++i) {
    char body[18];
    std::snprintf(body, sizeof body, "3301%02d19%02d%02d%02d%03d", i % 90 + 1, 50 + i % 50, i % 12 + 1, i % 28 + 1, i % 997);
    (i % 2 ? outsiders : members).push_back(id18(body));
  }
  for (const auto& id : members) REQUIRE_FALSE(b.add(entry(id, {"points"}, "2024-01-01")).has_value());
  const auto list = b.build();
  CHECK(list->size() == members.size());
  std::size_t found = 0, false_hits = 0;
  for (const auto& id : members) found += list->listed(id, "points", day("2024-06-01"));
  for (const auto& id : outsiders) false_hits += list->listed(id, "points", day("2024-06-01"));
  CHECK(found == members.size());
  CHECK(false_hits == 0);
  // The batch form answers exactly as single calls do.
  std::vector<std::string_view> mixed;
  for (std::size_t i = 0; i < 1000; ++i) mixed.push_back(i % 3 ? members[i] : outsiders[i]);
  mixed.push_back("garbage");
  std::unique_ptr<bool[]> answers(new bool[mixed.size()]);
  list->listed(mixed.data(), mixed.size(), "points", day("2024-06-01"), answers.get());
  for (std::size_t i = 0; i < mixed.size(); ++i) CHECK(answers[i] == list->listed(mixed[i], "points", day("2024-06-01")));
  list->listed(mixed.data(), mixed.size(), "housing", day("2024-06-01"), answers.get());
  CHECK(std::count(answers.get(), answers.get() + mixed.size(), true) == 0);
  CHECK(list->stats().memory_bytes < list->size() * 32);
}
