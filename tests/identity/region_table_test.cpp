#include <catch2/catch.hpp>

#include "eligo/identity.hpp"

using namespace eligo;
using namespace eligo::identity;

TEST_CASE("region table names current codes", "[identity]") {
  REQUIRE(region_count() == 4610);
  const auto chaoyang = find_region(110105);
  REQUIRE(chaoyang);
  CHECK(chaoyang->name == "朝阳区");
  CHECK(chaoyang->province == "北京市");
  CHECK(chaoyang->current);
  CHECK(region_name(110105) == "北京市 朝阳区");
  CHECK(region_name(440300) == "广东省 深圳市");
  CHECK(region_name(610104) == "陕西省 西安市 莲湖区");
  CHECK(region_name(110000) == "北京市");
}

TEST_CASE("region table keeps historical codes and their ID numbers stay valid", "[identity]") {
  const auto chongwen = find_region(110103);  // 崇文区, merged into 东城区 in 2010
  REQUIRE(chongwen);
  CHECK(chongwen->name == "崇文区");
  CHECK_FALSE(chongwen->current);
  IdOptions strict;
  strict.as_of = *Date::parse("2024-06-01");
  strict.region_check = RegionCheck::known_code;
  const std::string body = "11010319700101001";
  const IdCheck r = check_id(body + id_check_character(body), strict);
  CHECK(r.valid());
  CHECK(r.region_known);
  // From the late-1990s snapshot: 昌平县 became 昌平区 (110114) in 1999.
  const auto changping = find_region(110221);
  REQUIRE(changping);
  CHECK(changping->name == "昌平县");
  CHECK(changping->last_seen == "pre2002");
  CHECK(region_name(110221) == "北京市 昌平县");
}

TEST_CASE("region code 999999 does not exist", "[identity]") {
  CHECK_FALSE(find_region(999999));
  CHECK(region_name(999999) == "");
  CHECK_FALSE(province_exists(99));
  CHECK(province_exists(65));
  CHECK(province_exists(81));
  CHECK(region_name(110199) == "北京市");  // unknown county: the province alone
}

TEST_CASE("country table knows ISO 3166-1 alpha-3 and numeric codes", "[identity]") {
  CHECK(country_by_alpha3("KAZ") == "Kazakhstan");
  CHECK(country_by_numeric("398") == "Kazakhstan");
  CHECK(country_by_alpha3("KAA").empty());
  CHECK(country_by_numeric("999").empty());
}
