// PII by shape (issue 10 item 2): mask_pii_runs masks valid IDs, Luhn-valid cards and mobiles in free text.
#include <catch2/catch.hpp>

#include "eligo/identity.hpp"

using namespace eligo::identity;

TEST_CASE("mask_pii_runs masks valid ID numbers wherever they stand", "[identity][pii]") {
  CHECK(mask_pii_runs("户籍地：11010519491231002X") == "户籍地：110105********002X");
  CHECK(mask_pii_runs("11010519491231002x,") == "110105********002x,");
  CHECK(mask_pii_runs("'440106198001010019' is not one of: 440106, 440104") ==
        "'440106********0019' is not one of: 440106, 440104");
  CHECK(mask_pii_runs("a810000199408230021b") == "a810000********0021b");  // permit, letters around
  CHECK(mask_pii_runs("legacy 610104620927690.") == "legacy 610104*****7690.");  // 15 digits, real YYMMDD
  CHECK(mask_pii_runs("１１０１０５１９４９１２３１００２Ｘ") == "１１０１０５********００２Ｘ");
  CHECK(mask_pii_runs("110105 19491231 002X") == "110105********002X");  // grouped 6-8-4
  CHECK(mask_pii_runs("[11010519491231002X, 320102199003071239]") ==
        "[110105********002X, 320102********1239]");
}

TEST_CASE("mask_pii_runs masks Luhn-valid card numbers and mobiles", "[identity][pii]") {
  CHECK(mask_pii_runs("card 6222021234567890128 paid") == "card 622202*********0128 paid");
  CHECK(mask_pii_runs("card 6222 0212 3456 7890 128") == "card 622202*********0128");
  CHECK(mask_pii_runs("6214832018989181") == "621483******9181");
  CHECK(mask_pii_runs("tel 18012341999") == "tel 180****1999");
  CHECK(mask_pii_runs("tel 180-1234-1999;") == "tel 180****1999;");
  CHECK(mask_pii_runs("+8618012341999") == "+861******1999");
  CHECK(mask_pii_runs("x008618012341999") == "x0086180****1999");
}

TEST_CASE("mask_pii_runs leaves everything else alone", "[identity][pii]") {
  // Not PII by shape: wrong check character, Luhn failure, wrong lengths, runs inside longer runs.
  CHECK(mask_pii_runs("110105194912310021") == "110105194912310021");
  CHECK(mask_pii_runs("6214832018989180") == "6214832018989180");  // real card failing Luhn: not by shape
  CHECK(mask_pii_runs("12345678901") == "12345678901");
  CHECK(mask_pii_runs("1440106198001010019") == "1440106198001010019");
  CHECK(mask_pii_runs("11010519491231002Xa") == "11010519491231002Xa");  // the X is the start of a word
  CHECK(mask_pii_runs("") == "");
  CHECK(mask_pii_runs("2024-05-01 3000.50 元, 1000 2000 3000 4000") == "2024-05-01 3000.50 元, 1000 2000 3000 4000");
  CHECK(mask_pii_runs("610104991399690") == "610104991399690");  // month 13: no legacy ID
  CHECK(mask_pii_runs("\xFF\xFE 11010519491231002X \xC3") == "\xFF\xFE 110105********002X \xC3");
  CHECK_FALSE(has_pii_run("amount 12,000.00 on 2024-05-01"));
  // Inside a hex digest a run of digits is part of the hash.
  CHECK_FALSE(has_pii_run("hash 9f3a440106198001010019e0c4aa9b8d7c6e5f4a3b"));
  CHECK_FALSE(has_pii_run("bfe0a6222021234567890128c0ffee00c0ffee"));
  CHECK(has_pii_run("440106198001010019"));
}

TEST_CASE("mask_pii_runs uses the mask options", "[identity][pii]") {
  MaskOptions o;
  o.id_head = 0;
  o.id_tail = 0;
  CHECK(mask_pii_runs("id 11010519491231002X", o) == "id ******************");
}
