#include <catch2/catch.hpp>

#include "eligo/identity.hpp"

using namespace eligo::identity;

TEST_CASE("credit code accepts the public sample and reads its parts", "[identity]") {
  const CreditCodeCheck r = check_credit_code("9144030071526726XG");
  CHECK(r.valid());
  CHECK(r.registering_authority() == '9');
  CHECK(r.entity_type() == '1');
  CHECK(r.region == 440300);
  CHECK(r.region_known);
  CHECK(r.organization_code() == "71526726X");
  CHECK(describe(r) == "valid");
  CHECK(check_credit_code(" ９１４４０３００７１５２６７２６ｘｇ ").valid());
}

TEST_CASE("credit code names the expected check character", "[identity]") {
  const CreditCodeCheck r = check_credit_code("9144030071526726X1");
  CHECK(r.problem == CreditCodeProblem::check_character);
  CHECK(r.expected_check == 'G');
  CHECK(r.found_check == '1');
  CHECK(describe(r) == "check character is 1, expected G");
}

TEST_CASE("credit code maps a check value of 31 to 0", "[identity]") {
  // Σ mod 31 == 0 for this body: (31 − 0) mod 31 = 0, which code in the wild turns into an error.
  CHECK(credit_code_check_character("91110000100000286") == '0');
  CHECK(check_credit_code("911100001000002860").valid());
}

TEST_CASE("credit code checks the embedded organisation code", "[identity]") {
  CHECK(organization_code_check_character("71526726") == 'X');
  CHECK(organization_code_check_character("10000028") == '6');
  // Overall check character right, organisation-code check character wrong (0 instead of X).
  const CreditCodeCheck r = check_credit_code("91440300715267260N");
  CHECK(r.problem == CreditCodeProblem::organization_code);
  CHECK(r.expected_check == 'X');
  CHECK(r.found_check == '0');
  CHECK(describe(r) == "organisation code check character is 0, expected X");
}

TEST_CASE("credit code reports length and characters", "[identity]") {
  CHECK(check_credit_code("").problem == CreditCodeProblem::empty);
  const CreditCodeCheck short_code = check_credit_code("9144030071526726X");
  CHECK(short_code.problem == CreditCodeProblem::length);
  CHECK(describe(short_code) == "length is 17 characters, expected 18");
  const CreditCodeCheck letter_o = check_credit_code("9144030071526726OG");
  CHECK(letter_o.problem == CreditCodeProblem::characters);
  CHECK(letter_o.position == 17);
  const CreditCodeCheck region_letter = check_credit_code("91A4030071526726XG");
  CHECK(region_letter.problem == CreditCodeProblem::characters);
  CHECK(region_letter.position == 3);
}

TEST_CASE("credit code from the Fujian pilot fails unless the caller allows it", "[identity]") {
  const CreditCodeCheck failing = check_credit_code("91350100M0001TGQXM");
  CHECK_FALSE(failing.valid());
  CHECK(failing.problem == CreditCodeProblem::check_character);
  CreditCodeOptions options;
  options.allowed = {"91350100m0001tgqxm"};
  const CreditCodeCheck allowed = check_credit_code("91350100M0001TGQXM", options);
  CHECK(allowed.valid());
  CHECK(allowed.allowed);
  CHECK(allowed.failed_check == CreditCodeProblem::check_character);
  CHECK(describe(allowed) == "valid (on the allow-list; check character is M, expected 1)");
  CHECK(check_credit_code("91350100M0001TGQX1").valid());  // its corrected form needs no exception
  CHECK_FALSE(check_credit_code("91350100M0001TGQX2", options).valid());
}

TEST_CASE("credit code catches every single-character change", "[identity][property]") {
  const std::string code = "9144030071526726XG";
  const std::string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  for (std::size_t at = 0; at < code.size(); ++at) {
    for (char c : alphabet) {
      if (c == code[at]) continue;
      std::string changed = code;
      changed[at] = c;
      INFO(changed);
      CHECK_FALSE(check_credit_code(changed).valid());
    }
  }
}
