// Issue 11, session 7: the build hashes big lists on a second thread and builds the filter straight from the
// slot array; the batch form pipelines groups of detail::kBatchGroup. The answers and the content hash must
// not change: checked here against values computed independently, at the sizes where the code changes path.
#include <catch2/catch.hpp>
#include <openssl/sha.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "blacklist/helpers.hpp"
#include "blacklist/index.hpp"
#include "blacklist/key.hpp"

using namespace eligo;
using namespace eligo::blacklist;
using namespace blacklist_test;

namespace {

// The i-th of up to 90 × 50 × 12 × 28 × 1000 distinct IDs (every field steps with i, the sequence last).
std::string nth_id(int i) {
  char body[18];
  std::snprintf(body, sizeof body, "3101%02d19%02d%02d%02d%03d", i % 90 + 1, 50 + i % 50, i % 12 + 1, i % 28 + 1,
                i / 28 % 1000);
  return id18(body);
}

std::string sha256_hex(const std::string& text) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), md);
  return detail::to_hex(md, sizeof md);
}

// The canonical line of an entry whose fields are already canonical (docs/blacklist.md).
std::string line_of(const Entry& e) {
  std::string scopes;
  std::vector<std::string> sorted = e.scopes;
  std::sort(sorted.begin(), sorted.end());
  for (const auto& s : sorted) scopes += (scopes.empty() ? "" : ";") + s;
  return e.key + '\t' + e.source + '\t' + e.reason_code + '\t' + e.reason_text + '\t' +
         (e.from ? e.from->to_string() : "") + '\t' + (e.until ? e.until->to_string() : "") + '\t' +
         e.listed_on.to_string() + '\t' + scopes + '\n';
}

// n distinct entries with varied sources, scopes and dates; keys from key(i).
template <class Key>
std::vector<Entry> entries(int n, Key key) {
  static const char* const kSources[] = {"市中级人民法院", "市税务局", "市市场监督管理局"};
  static const std::vector<std::vector<std::string>> kScopes = {{"points"}, {"school_admission"}, {"points", "housing"}, {"*"}};
  std::vector<Entry> out;
  for (int i = 0; i < n; ++i) {
    Entry e = entry(key(i), kScopes[static_cast<std::size_t>(i % 4)], "2020-01-01");
    e.source = kSources[i % 3];
    e.listed_on = Date::from_days(18262 + i % 1500);
    if (i % 5 == 1) e.from = Date::from_days(18262 + i % 1500 + 30);
    if (i % 3 != 0) e.until = Date::from_days(18262 + i % 1500 + 400);
    out.push_back(std::move(e));
  }
  return out;
}

std::string expected_hash(const std::vector<Entry>& list) {
  std::vector<std::string> lines;
  for (const Entry& e : list) lines.push_back(line_of(e));
  std::sort(lines.begin(), lines.end());
  std::string text;
  for (const auto& l : lines) text += l;
  return sha256_hex(text);
}

}  // namespace

TEST_CASE("the content hash is the SHA-256 of the sorted lines on both sides of the second-thread size",
          "[blacklist][build]") {
  // Lists from 65,536 entries are hashed on a second thread while they are indexed; smaller ones inline.
  for (int n : {65535, 65536, 70001}) {
    const std::vector<Entry> list = entries(n, nth_id);
    Builder b;
    for (const Entry& e : list) REQUIRE_FALSE(b.add(e).has_value());
    const auto built = b.build();
    CHECK(built->size() == static_cast<std::size_t>(n));
    CHECK(built->hash() == expected_hash(list));
    CHECK(built->version() == "sha256:" + built->hash().substr(0, 12));
    // Every member found, by its own scope, after the build freed its records.
    std::size_t found = 0;
    for (int i = 0; i < n; i += 7) found += built->listed(list[static_cast<std::size_t>(i)].key, "points", day("2030-01-01")) ||
                                            !built->check(list[static_cast<std::size_t>(i)].key, "*", list[static_cast<std::size_t>(i)].effective_from()).empty();
    CHECK(found == static_cast<std::size_t>((n + 6) / 7));
  }
}

TEST_CASE("a big hashed list's content hash and answers, hashed on a second thread", "[blacklist][build]") {
  std::mt19937_64 rng(17);
  std::vector<std::string> keys(70000);
  for (auto& k : keys) {
    k.clear();
    for (int w = 0; w < 4; ++w) {
      char part[17];
      std::snprintf(part, sizeof part, "%016llx", static_cast<unsigned long long>(rng()));
      k += part;
    }
  }
  const std::vector<Entry> list = entries(static_cast<int>(keys.size()), [&](int i) { return keys[static_cast<std::size_t>(i)]; });
  BuildOptions hashed;
  hashed.hashed = true;
  Builder b(hashed);
  for (const Entry& e : list) REQUIRE_FALSE(b.add(e).has_value());
  const auto built = b.build();
  CHECK(built->hash() == expected_hash(list));
  // With an effective day for each: listed on its own first day in effect, in scope "*".
  std::size_t found = 0;
  for (const Entry& e : list) found += built->listed(e.key, "*", e.effective_from());
  CHECK(found == list.size());
}

TEST_CASE("the batch form answers as single calls at sizes around the group size", "[blacklist][build]") {
  Builder b;
  std::vector<std::string> members, outsiders;
  for (int i = 0; i < 4000; ++i) (i % 2 ? outsiders : members).push_back(nth_id(i));
  for (std::size_t i = 0; i < members.size(); ++i) {
    Entry e = entry(members[i], {i % 3 ? "points" : "housing"}, "2024-01-01", nullptr, i % 4 ? nullptr : "2024-03-01");
    REQUIRE_FALSE(b.add(e).has_value());
  }
  const auto list = b.build();
  const Date on = day("2024-06-01");
  constexpr std::size_t g = detail::kBatchGroup;
  std::vector<std::string_view> queries;
  for (std::size_t i = 0; queries.size() < 8 * g + 5; ++i) {
    queries.push_back(members[i]);                    // most listed in points, some ended, some in housing
    if (i % 3 == 0) queries.push_back(outsiders[i]);  // never listed
    if (i % 11 == 0) queries.push_back("not an ID");  // resolves to nothing
  }
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, g - 1, g, g + 1, 2 * g - 1, 2 * g + 1, 3 * g, 4 * g + 3, 8 * g + 5}) {
    // A canary after the last answer: the batch writes exactly n answers.
    std::vector<char> out(n + 1, 2);
    bool* answers = reinterpret_cast<bool*>(out.data());
    for (const char* scope : {"points", "housing", "*"}) {
      std::fill(out.begin(), out.end(), 2);
      list->listed(queries.data(), n, scope, on, answers);
      CHECK(out[n] == 2);
      std::size_t differ = 0, listed = 0;
      for (std::size_t i = 0; i < n; ++i) {
        differ += answers[i] != list->listed(queries[i], scope, on);
        listed += answers[i];
      }
      CHECK(differ == 0);
      if (n >= g && std::string_view(scope) != "housing") CHECK(listed > 0);
    }
  }
}

TEST_CASE("the sort's scratch is reused for the slots when big enough, else fresh memory is taken",
          "[blacklist][build]") {
  // Big: 2 × 100,000 KeyAt (3.2 MB, mapped) hold 100,000 slots (2.8 MB) in the same pages.
  detail::PodArray<detail::KeyAt> big(200000);
  const void* at = big.data();
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = detail::KeyAt{i, i};
  detail::PodArray<detail::Slot> slots = std::move(big).reuse_as<detail::Slot>(100000);
  CHECK(static_cast<const void*>(slots.data()) == at);
  CHECK(slots.size() == 100000);
  CHECK(slots.bytes() == 100000 * sizeof(detail::Slot));
  CHECK(big.size() == 0);
  for (std::size_t i = 0; i < slots.size(); ++i) slots[i].fp_lo = static_cast<std::uint32_t>(i);
  CHECK(slots[99999].fp_lo == 99999);
  // Too small to be mapped (a heap block), and more than the memory holds: fresh arrays of the right size.
  detail::PodArray<detail::KeyAt> small(10);
  detail::PodArray<detail::Slot> few = std::move(small).reuse_as<detail::Slot>(5);
  CHECK(few.size() == 5);
  detail::PodArray<detail::KeyAt> some(200000);
  detail::PodArray<detail::Slot> more = std::move(some).reuse_as<detail::Slot>(400000);
  CHECK(more.size() == 400000);
  more[399999].fp_lo = 7;
  CHECK(more[399999].fp_lo == 7);
  detail::PodArray<detail::KeyAt> none;
  CHECK(std::move(none).reuse_as<detail::Slot>(0).size() == 0);
}

TEST_CASE("a list takes an ID number exactly when the identity module finds it valid, with the same key",
          "[blacklist][build]") {
  // Builder::add decides plain 18-digit resident numbers without identity::check_id (key.cpp); over a grid
  // of birth dates (leap days, ends of months, the year range), regions (resident, permit 81-83 and
  // foreign 9x prefixes), check characters (right, lower-case x, wrong) and shapes, its answer and key must
  // be those of check_id with the list's options (no region check, no date limit).
  identity::IdOptions options;
  options.as_of = Date::from_ymd(9999, 12, 31);
  options.region_check = identity::RegionCheck::none;
  const char* const dates[] = {"19000229", "20000229", "19960229", "19970229", "21000229", "19991231", "20240430",
                               "20240431", "20240132", "20240100", "20240001", "20241301", "09991231", "10000101",
                               "99991231", "19700101", "19491001", "20230615"};
  const char* const regions[] = {"110101", "440304", "810000", "820000", "830000", "840000", "910000", "000000",
                                 "999999", "710000"};
  std::vector<std::string> texts;
  for (const char* region : regions)
    for (const char* date : dates)
      for (const char* seq : {"001", "123", "997", "010", "502"}) {
        const std::string body = std::string(region) + date + seq;
        const char right = identity::id_check_character(body);
        texts.push_back(body + right);
        if (right == 'X') texts.push_back(body + 'x');
        texts.push_back(body + (right == '0' ? '1' : '0'));
        texts.push_back(body + (right == 'X' ? '5' : 'X'));
      }
  for (const char* odd : {"11010119900307001", "1101011990030700151", " 110101199003070015", "11010119900307001 ",
                          "1101011990O3070015", "110101900307001", "１１０１０１１９９００３０７００１５", "",
                          "ABC123456789012", "11010119900307001\t"})
    texts.push_back(odd);
  std::size_t valid = 0;
  for (const std::string& text : texts) {
    std::uint64_t code = 0, expected = 0;
    const auto problem = detail::canonical_id(text, &code);
    const identity::IdCheck check = identity::check_id(text, options);
    const bool ok = check.valid() && detail::encode_id(check.canonical(), &expected);
    INFO(text);
    REQUIRE(problem.has_value() == !ok);
    if (ok) {
      CHECK(code == expected);
      ++valid;
    }
  }
  CHECK(valid > 300);                      // the grid holds many valid numbers
  CHECK(valid < texts.size() / 2);         // and more invalid ones
}
