// The worked examples at the top of include/eligo/identity.hpp, checked as written.
#include <catch2/catch.hpp>

#include "eligo/identity.hpp"

using namespace eligo::identity;

TEST_CASE("identity header examples hold as written", "[identity]") {
  IdCheck id = check_id("11010519491231002x");
  CHECK(id.valid());
  CHECK(id.kind == IdKind::resident);
  CHECK(id.canonical() == "11010519491231002X");
  CHECK(id.birth_date->to_string() == "1949-12-31");
  CHECK(id.sex == Sex::female);
  CHECK(region_name(id.region) == "北京市 朝阳区");

  CHECK(check_id("610104620927690").canonical() == "610104196209276908");
  IdCheck bad = check_id("110105194912310021");
  CHECK(bad.problem == IdProblem::check_character);
  CHECK(bad.expected_check == 'X');
  CHECK(bad.found_check == '1');
  CHECK(describe(bad) == "check character is 1, expected X");
  CHECK(check_id("00000019491231002X").problem == IdProblem::region);
  CHECK(check_id("999999194912310021").kind == IdKind::foreign_permanent);
  CHECK(check_id("１１０１０５１９４９１２３１００２Ｘ").valid());

  CHECK(check_credit_code("9144030071526726XG").valid());
  CHECK(check_bank_card("6214832018989180").valid());
  CHECK_FALSE(check_bank_card("6214832018989180").luhn_ok);
  CHECK(check_mobile("+86 180 1234 1999").number() == "18012341999");

  CHECK(normalize_name("阿依古丽・买买提") == "阿依古丽·买买提");
  CHECK(names_match("阿依古丽 • 买买提", "阿依古丽·买买提"));
  CHECK(name_length("𠀀𠀁") == 2);

  CHECK(mask(PiiKind::id_number, "11010519491231002X") == "110105********002X");
  CHECK(mask(PiiKind::mobile, "18012341999") == "180****1999");
  CHECK(mask(PiiKind::name, "段正淳") == "段**");
  const std::string key = "k";
  CHECK(keyed_id_hash(key, "610104620927690") == keyed_id_hash(key, "610104196209276908"));
}
