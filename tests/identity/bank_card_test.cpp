#include <catch2/catch.hpp>

#include "eligo/identity.hpp"

using namespace eligo::identity;

TEST_CASE("bank card failing Luhn is valid with a warning", "[identity]") {
  const BankCardCheck r = check_bank_card("6214832018989180");
  CHECK(r.valid());
  CHECK_FALSE(r.luhn_ok);
  CHECK(r.bin() == "621483");
  CHECK(describe(r) == "valid (warning: fails the Luhn check, as some real UnionPay cards do)");
}

TEST_CASE("bank card passing Luhn is valid without a warning", "[identity]") {
  CHECK(luhn_ok("6214832018989181"));
  CHECK_FALSE(luhn_ok("6214832018989180"));
  CHECK_FALSE(luhn_ok("62148320189891A1"));
  CHECK_FALSE(luhn_ok(""));
  CHECK(luhn_ok("4111111111111111"));
  const BankCardCheck r = check_bank_card("6222 0212 3456 7890 128");  // 19 digits in groups
  CHECK(r.number == "6222021234567890128");
  CHECK(r.valid());
  CHECK(r.luhn_ok == luhn_ok("6222021234567890128"));
  CHECK(check_bank_card("4111-1111-1111-1111").luhn_ok);
  CHECK(describe(check_bank_card("4111111111111111")) == "valid");
}

TEST_CASE("bank card reports length and characters", "[identity]") {
  CHECK(check_bank_card(" ").problem == BankCardProblem::empty);
  const BankCardCheck short_card = check_bank_card("621483201898918");
  CHECK(short_card.problem == BankCardProblem::length);
  CHECK(describe(short_card) == "15 digits, expected 16 to 19");
  CHECK(check_bank_card("62148320189891801234").problem == BankCardProblem::length);
  const BankCardCheck letter = check_bank_card("62148320189891A0");
  CHECK(letter.problem == BankCardProblem::characters);
  CHECK(letter.position == 15);
  CHECK(check_bank_card("６２１４８３２０１８９８９１８０").valid());  // full-width digits
}

TEST_CASE("mobile strips the country code and checks the loose pattern", "[identity]") {
  const MobileCheck r = check_mobile("+86 180 1234 1999");
  CHECK(r.valid());
  CHECK(r.had_country_code);
  CHECK(r.number() == "18012341999");
  CHECK(check_mobile("0086-18012341999").number() == "18012341999");
  CHECK(check_mobile("18012341999").valid());
  CHECK_FALSE(check_mobile("18012341999").had_country_code);
  CHECK(check_mobile("＋８６１８０１２３４１９９９").valid());
}

TEST_CASE("mobile reports every failure kind", "[identity]") {
  CHECK(check_mobile("").problem == MobileProblem::empty);
  const MobileCheck short_number = check_mobile("1801234199");
  CHECK(short_number.problem == MobileProblem::length);
  CHECK(describe(short_number) == "10 digits, expected 11");
  const MobileCheck prefix = check_mobile("12012341999");
  CHECK(prefix.problem == MobileProblem::prefix);
  CHECK(describe(prefix) == "prefix 120 is not a mobile prefix");
  CHECK(check_mobile("28012341999").problem == MobileProblem::prefix);
  const MobileCheck letters = check_mobile("180ABCD1999");
  CHECK(letters.problem == MobileProblem::characters);
  CHECK(letters.position == 4);
}

TEST_CASE("mobile strict prefixes use the built-in or the caller's list", "[identity]") {
  MobileOptions strict;
  strict.strict_prefixes = true;
  CHECK(check_mobile("16012341999").valid());  // the loose pattern accepts 160
  CHECK(check_mobile("16012341999", strict).problem == MobileProblem::prefix);
  CHECK(check_mobile("18012341999", strict).valid());
  strict.prefixes = {"1740"};
  CHECK(check_mobile("17401234199", strict).valid());
  CHECK(check_mobile("18012341999", strict).problem == MobileProblem::prefix);
}
