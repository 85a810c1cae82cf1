#include <catch2/catch.hpp>

#include <atomic>
#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "eligo/identity.hpp"

using namespace eligo;
using namespace eligo::identity;

namespace {

// Random text built from pieces that stress the normalisers: digits, X, letters, full-width forms,
// dots, spaces, characters outside the BMP, and bytes that are not UTF-8.
std::string random_text(std::mt19937& rng) {
  static const char* pieces[] = {"0", "1", "9", "8", "X", "x", "A", "Z", " ", "-", "+86", "\u3000", "\uFF11",
                                 "\uFF38", "\u00B7", "\u30FB", "\uFF65", "\u2024", "\U00020000", "\xFF", "\xC3",
                                 "\xE4\xB8", "\xF0\x9F", "\x80", "\u200B", "\uF9DC", "\u2F00", "\t", "\0"};
  const std::size_t count = rng() % 24;
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    const char* piece = pieces[rng() % std::size(pieces)];
    out += *piece ? std::string(piece) : std::string(1, '\0');
  }
  return out;
}

// Luhn written apart from src/identity (the test's own reading of ISO/IEC 7812).
bool independent_luhn(const std::string& digits) {
  if (digits.empty()) return false;
  int sum = 0;
  for (std::size_t k = 0; k < digits.size(); ++k) {
    int d = digits[digits.size() - 1 - k] - '0';
    if (k % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 == 0;
}

// Code points of the original a mask left visible: everything but the '*' it wrote (no piece holds '*').
std::size_t shown(const std::string& masked) {
  return name_length(masked) - static_cast<std::size_t>(std::count(masked.begin(), masked.end(), '*'));
}

}  // namespace

TEST_CASE("identity functions take any bytes without throwing", "[identity][property]") {
  std::mt19937 rng(2260);
  IdOptions options;
  options.as_of = *Date::parse("2024-06-01");
  for (int n = 0; n < 3000; ++n) {
    const std::string text = random_text(rng);
    REQUIRE_NOTHROW(describe(check_id(text, options)));
    REQUIRE_NOTHROW(describe(check_id(text, options), "zh"));
    REQUIRE_NOTHROW(describe(check_credit_code(text)));
    REQUIRE_NOTHROW(describe(check_bank_card(text)));
    REQUIRE_NOTHROW(describe(check_mobile(text)));
    REQUIRE_NOTHROW(identify(text));
    REQUIRE_NOTHROW(names_match(text, text));
    REQUIRE_NOTHROW(name_length(text));
    // Values, not only "no exception": a reason for every answer, Luhn as computed apart, and masks that
    // show no more than the configured head and tail (6 + 4; mobiles 3 + 4 after a kept +86 or 0086;
    // names the first character).
    REQUIRE(!describe(check_id(text, options)).empty());
    REQUIRE(!describe(check_bank_card(text)).empty());
    const BankCardCheck card = check_bank_card(text);
    REQUIRE(card.luhn_ok == independent_luhn(card.number));
    for (PiiKind kind : {PiiKind::id_number, PiiKind::bank_card, PiiKind::mobile, PiiKind::name}) {
      const std::string masked = mask(kind, text);
      // Masking never lengthens a value beyond its code points (mobile keeps +86 as is).
      REQUIRE(name_length(masked) <= name_length(text));
      const std::size_t most = kind == PiiKind::name ? 1 : kind == PiiKind::mobile ? 11 : 10;
      INFO("kind " << to_string(kind) << ", masked '" << masked << "'");
      REQUIRE(shown(masked) <= most);
    }
  }
}

TEST_CASE("identity results built by hand still describe themselves", "[identity]") {
  IdCheck by_hand;
  std::set<std::string> descriptions;
  for (IdProblem problem : {IdProblem::none, IdProblem::empty, IdProblem::length, IdProblem::characters,
                            IdProblem::region, IdProblem::nationality, IdProblem::birth_date, IdProblem::check_character}) {
    by_hand.problem = problem;
    CHECK_NOTHROW(describe(by_hand));
    descriptions.insert(describe(by_hand));
  }
  // Each problem has its own words: eight problems, eight different non-empty descriptions.
  CHECK(descriptions.size() == 8);
  CHECK(descriptions.count("") == 0);
  by_hand.problem = IdProblem::birth_date;
  CHECK(describe(by_hand) == "birth date is not a calendar date");
}

TEST_CASE("identity checks agree across threads", "[identity]") {
  // The tables load lazily on first use; first use from several threads at once must be safe.
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&failures] {
      for (int i = 0; i < 200; ++i) {
        if (!find_region(110105) || country_by_alpha3("KAZ").empty() || !id_valid("11010519491231002X"))
          ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures == 0);
}
