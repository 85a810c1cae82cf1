#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "eligo/identity.hpp"
#include "identity/plain_id.hpp"

using namespace eligo;
using namespace eligo::identity;

namespace {

IdOptions on(const char* date) {
  IdOptions options;
  options.as_of = *Date::parse(date);
  return options;
}

}  // namespace

TEST_CASE("resident id accepts the public sample with a lower-case x", "[identity]") {
  const IdCheck r = check_id("11010519491231002x", on("2024-06-01"));
  CHECK(r.valid());
  CHECK(r.kind == IdKind::resident);
  CHECK(r.canonical() == "11010519491231002X");
  CHECK(r.normalized() == "11010519491231002X");
  REQUIRE(r.birth_date);
  CHECK(r.birth_date->to_string() == "1949-12-31");
  CHECK(r.sex == Sex::female);
  CHECK(r.region == 110105);
  CHECK(r.region_known);
  CHECK(region_name(r.region) == "北京市 朝阳区");
  CHECK(describe(r) == "valid");
}

TEST_CASE("resident id names the expected check character", "[identity]") {
  const IdCheck r = check_id("110105194912310021", on("2024-06-01"));
  CHECK_FALSE(r.valid());
  CHECK(r.kind == IdKind::resident);
  CHECK(r.problem == IdProblem::check_character);
  CHECK(r.expected_check == 'X');
  CHECK(r.found_check == '1');
  CHECK(describe(r) == "check character is 1, expected X");
  CHECK(describe(r, "zh") == "校验码为 1，应为 X");
  // The parts that were read still come back.
  CHECK(r.birth_date->to_string() == "1949-12-31");
  CHECK(r.sex == Sex::female);
}

TEST_CASE("resident id reports every failure kind", "[identity]") {
  const IdOptions options = on("2024-06-01");
  SECTION("empty") {
    const IdCheck r = check_id(" \t ", options);
    CHECK(r.problem == IdProblem::empty);
    CHECK(describe(r) == "empty");
  }
  SECTION("length") {
    const IdCheck r = check_id("1101051949123100", options);
    CHECK(r.problem == IdProblem::length);
    CHECK(r.length == 16);
    CHECK(describe(r) == "length is 16 characters, expected 18 (or 15 for a legacy number)");
    CHECK(check_id("11010519491231002X1", options).problem == IdProblem::length);
  }
  SECTION("characters") {
    const IdCheck r = check_id("11010519491231A02X", options);
    CHECK(r.problem == IdProblem::characters);
    CHECK(r.position == 15);
    CHECK(r.found_char == U'A');
    CHECK(describe(r) == "character 15 ('A') is not allowed: digits only, X only as the last");
    CHECK(check_id("1101051949123100X2", options).position == 17);
    const IdCheck han = check_id("11010519491231002中", options);
    CHECK(han.problem == IdProblem::characters);
    CHECK(han.position == 18);
    CHECK(describe(han) == "character 18 ('U+4E2D') is not allowed: digits only, X only as the last");
  }
  SECTION("region: no such province") {
    const std::string body = "00000019491231002";
    const IdCheck r = check_id(body + id_check_character(body), options);
    CHECK(r.problem == IdProblem::region);
    CHECK(describe(r) == "region code 000000 does not exist (no province 00)");
    CHECK(describe(r, "zh") == "地区码 000000 不存在（无省级代码 00）");
  }
  SECTION("region: 9 starts a foreign number, so 999999 fails as its province of issue") {
    const IdCheck r = check_id("999999194912310021", options);
    CHECK(r.kind == IdKind::foreign_permanent);
    CHECK(r.problem == IdProblem::region);
    CHECK(describe(r) == "province of first issue 99 does not exist");
  }
  SECTION("region: unknown code only under known_code") {
    const std::string body = "11019919491231002";  // province 11 exists, 110199 does not
    const std::string number = body + id_check_character(body);
    CHECK(check_id(number, options).valid());
    CHECK_FALSE(check_id(number, options).region_known);
    IdOptions strict = options;
    strict.region_check = RegionCheck::known_code;
    const IdCheck r = check_id(number, strict);
    CHECK(r.problem == IdProblem::region);
    CHECK(describe(r) == "region code 110199 is not in the GB/T 2260 table");
  }
  SECTION("birth date: not a calendar date") {
    const std::string body = "11010519490231002";
    const IdCheck r = check_id(body + id_check_character(body), options);
    CHECK(r.problem == IdProblem::birth_date);
    CHECK_FALSE(r.birth_date);
    CHECK(describe(r) == "birth date 19490231 is not a calendar date");
  }
  SECTION("birth date: after the evaluation date") {
    const std::string body = "11010520240602002";
    const std::string number = body + id_check_character(body);
    const IdCheck r = check_id(number, options);
    CHECK(r.problem == IdProblem::birth_date);
    CHECK(describe(r) == "birth date 20240602 is after the evaluation date");
    CHECK(check_id(number, on("2024-06-02")).valid());
  }
  SECTION("nationality") {
    const IdCheck r = check_id("91199919800101001X", options);
    CHECK(r.kind == IdKind::foreign_permanent);
    CHECK(r.problem == IdProblem::nationality);
    CHECK(describe(r) == "nationality code 999 is not an ISO 3166-1 country");
  }
}

TEST_CASE("resident id birth dates follow the calendar", "[identity]") {
  const IdOptions options = on("2024-06-01");
  auto with_date = [](const std::string& yyyymmdd) {
    const std::string body = "110105" + yyyymmdd + "002";
    return body + id_check_character(body);
  };
  CHECK(check_id(with_date("20000229"), options).valid());
  CHECK(check_id(with_date("19000229"), options).problem == IdProblem::birth_date);
  CHECK(check_id(with_date("19491301"), options).problem == IdProblem::birth_date);
  CHECK(check_id(with_date("19490100"), options).problem == IdProblem::birth_date);
}

TEST_CASE("resident id converts the legacy 15-digit sample to 18", "[identity]") {
  CHECK(id_15_to_18("610104620927690") == std::optional<std::string>("610104196209276908"));
  const IdCheck r = check_id("610104620927690", on("2024-06-01"));
  CHECK(r.valid());
  CHECK(r.kind == IdKind::resident_legacy);
  CHECK(r.canonical() == "610104196209276908");
  CHECK(r.normalized() == "610104620927690");
  CHECK(r.birth_date->to_string() == "1962-09-27");
  CHECK(r.sex == Sex::female);
  CHECK(check_id(r.canonical(), on("2024-06-01")).valid());
  CHECK_FALSE(id_15_to_18("610104621327690"));  // month 13
  CHECK_FALSE(id_15_to_18("61010462092769"));
  IdOptions no_legacy = on("2024-06-01");
  no_legacy.accept_legacy = false;
  CHECK(check_id("610104620927690", no_legacy).problem == IdProblem::length);
}

TEST_CASE("resident id ages count full years on the given date", "[identity]") {
  CHECK(id_age("11010519491231002X", *Date::parse("2024-12-30")) == 74);
  CHECK(id_age("11010519491231002X", *Date::parse("2024-12-31")) == 75);
  CHECK_FALSE(id_age("not a number", *Date::parse("2024-12-31")));
}

TEST_CASE("resident id normalises full-width input and surrounding spaces", "[identity]") {
  const IdOptions options = on("2024-06-01");
  const IdCheck r = check_id("　１１０１０５１９４９１２３１００２ｘ ", options);
  CHECK(r.valid());
  CHECK(r.canonical() == "11010519491231002X");
  CHECK(normalize_id(" １１０１０５１９４９１２３１００２Ｘ\n") == "11010519491231002X");
  CHECK(check_id("\t11010519491231002X\r\n", options).valid());
}

TEST_CASE("residence permits for Hong Kong, Macau and Taiwan are their own kind", "[identity]") {
  const IdOptions options = on("2024-06-01");
  const IdCheck hk = check_id("810000199408230021", options);
  CHECK(hk.valid());
  CHECK(hk.kind == IdKind::hk_macau_taiwan_permit);
  CHECK(hk.region == 810000);
  CHECK(hk.sex == Sex::female);
  const IdCheck tw = check_id("830000199201300022", options);
  CHECK(tw.valid());
  CHECK(tw.kind == IdKind::hk_macau_taiwan_permit);
  CHECK(tw.birth_date->to_string() == "1992-01-30");
  const std::string macau_body = "82000019850505001";
  CHECK(check_id(macau_body + id_check_character(macau_body), options).kind == IdKind::hk_macau_taiwan_permit);
  const std::string district_body = "81010119850505001";
  const IdCheck district = check_id(district_body + id_check_character(district_body), options);
  CHECK(district.problem == IdProblem::region);
  CHECK(describe(district) == "residence-permit region code must be 810000, 820000 or 830000, not 810101");
  IdOptions no_permits = options;
  no_permits.accept_permits = false;
  const IdCheck refused = check_id("810000199408230021", no_permits);
  CHECK(refused.kind == IdKind::resident);
  CHECK(refused.problem == IdProblem::region);
  CHECK(describe(refused) ==
        "region code 810000 is not used in citizens' numbers (Hong Kong, Macau and Taiwan residents hold residence permits)");
}

TEST_CASE("foreign permanent residence ids are recognised in both forms", "[identity]") {
  const IdOptions options = on("2024-06-01");
  SECTION("the 2023 form: 9, province, ISO numeric nationality, date, sequence, MOD 11-2") {
    const IdCheck r = check_id("911840198001010013", options);
    CHECK(r.valid());
    CHECK(r.kind == IdKind::foreign_permanent);
    CHECK(std::string(r.nationality) == "840");
    CHECK(country_by_numeric(r.nationality) == "United States");
    CHECK(r.region == 110000);
    CHECK(r.birth_date->to_string() == "1980-01-01");
    CHECK(r.sex == Sex::male);
    CHECK(check_id("911840198001010012", options).problem == IdProblem::check_character);
  }
  SECTION("the old 15-character form: public sample") {
    const IdCheck r = check_id("KAZ110090123105", options);
    CHECK(r.valid());
    CHECK(r.kind == IdKind::foreign_permanent_legacy);
    CHECK(std::string(r.nationality) == "KAZ");
    CHECK(r.region == 110000);
    CHECK(r.birth_date->to_string() == "1990-12-31");
    CHECK_FALSE(r.century_guessed);
    CHECK(r.sex == Sex::female);
    CHECK(check_id("kaz110090123105", options).valid());
  }
  SECTION("the old form fails on each of its parts") {
    CHECK(check_id("KAA110090123105", options).problem == IdProblem::nationality);
    CHECK(check_id("KAZ990090123105", options).problem == IdProblem::region);
    CHECK(check_id("KAZ110090023105", options).problem == IdProblem::birth_date);
    const IdCheck check = check_id("KAZ110090123106", options);
    CHECK(check.problem == IdProblem::check_character);
    CHECK(check.expected_check == '5');
    const IdCheck characters = check_id("KA1110090123105", options);
    CHECK(characters.problem == IdProblem::characters);
    CHECK(characters.position == 3);
    CHECK(describe(characters) == "character 3 ('1') is not allowed: three letters then twelve digits");
  }
  SECTION("the old form's century is guessed when both are possible") {
    // YYMMDD 100315: 2010-03-15 is not after the evaluation date, so 2010 is taken.
    const std::string body = "USA1100100315" "1";
    const IdCheck r = check_foreign_legacy(body + "0", options);  // check digit is wrong; fields still read
    CHECK(r.birth_date->to_string() == "2010-03-15");
    CHECK(r.century_guessed);
  }
  SECTION("refused when foreign numbers are not accepted") {
    IdOptions no_foreign = options;
    no_foreign.accept_foreign = false;
    CHECK(check_id("KAZ110090123105", no_foreign).problem == IdProblem::characters);
    CHECK(check_id("911840198001010013", no_foreign).problem == IdProblem::region);
  }
}

TEST_CASE("resident id validates every randomly generated number with its check character", "[identity][property]") {
  std::mt19937 rng(20240601);
  const IdOptions options = on("2024-06-01");
  const int provinces[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42,
                           43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65};
  for (int n = 0; n < 2000; ++n) {
    const int province = provinces[rng() % std::size(provinces)];
    const Date birth = Date::from_days(static_cast<std::int32_t>(-25000 + rng() % 44000));  // 1901..2090
    if (birth > *options.as_of) continue;
    char body[18];
    std::snprintf(body, sizeof body, "%02d%04u%04d%02d%02d%03u", province, static_cast<unsigned>(rng() % 10000),
                  birth.year(), birth.month(), birth.day(), static_cast<unsigned>(rng() % 1000));
    const std::string number = std::string(body, 17) + id_check_character(std::string_view(body, 17));
    const IdCheck r = check_id(number, options);
    INFO(mask(PiiKind::id_number, number));
    REQUIRE(r.valid());
    REQUIRE(r.birth_date == birth);
    REQUIRE(r.sex == (((body[16] - '0') & 1) ? Sex::male : Sex::female));
  }
}

TEST_CASE("resident id catches every single-character change", "[identity][property]") {
  std::mt19937 rng(7064);
  const IdOptions options = on("2024-06-01");
  const std::string alphabet = "0123456789X";
  for (int n = 0; n < 200; ++n) {
    char body[18];
    std::snprintf(body, sizeof body, "1101%02u19%02u0%u1%u%03u", static_cast<unsigned>(rng() % 20),
                  static_cast<unsigned>(rng() % 100), static_cast<unsigned>(1 + rng() % 9),
                  static_cast<unsigned>(rng() % 10), static_cast<unsigned>(rng() % 1000));
    const std::string number = std::string(body, 17) + id_check_character(std::string_view(body, 17));
    REQUIRE(check_id(number, options).valid());
    for (std::size_t at = 0; at < number.size(); ++at) {
      for (char c : alphabet) {
        if (c == number[at]) continue;
        std::string changed = number;
        changed[at] = c;
        INFO("position " << at + 1 << " -> " << c);
        REQUIRE_FALSE(check_id(changed, options).valid());
      }
    }
  }
}

TEST_CASE("resident id check characters follow ISO 7064 MOD 11-2", "[identity]") {
  CHECK(id_check_character("11010519491231002") == 'X');
  CHECK(id_check_character("61010419620927690") == '8');
  CHECK(id_check_character("1101051949123100") == '\0');
  CHECK(id_check_character("1101051949123100A") == '\0');
}

// The hot-loop shortcut (src/identity/plain_id.hpp, used by the blacklist's Builder::add) says yes exactly
// for the 18-character resident numbers check_id finds valid with no region check and no date limit, and
// leaves every other kind (9x foreign, 81-83 permits) and every invalid number to check_id.
TEST_CASE("plain_resident_id agrees with check_id on a grid of dates, regions and check characters",
          "[identity][id]") {
  IdOptions options;
  options.as_of = Date::from_ymd(9999, 12, 31);
  options.region_check = RegionCheck::none;
  std::size_t yes = 0, no = 0;
  for (const char* region : {"110101", "440304", "810000", "830000", "840000", "910000", "000000", "999999"})
    for (const char* date : {"19000229", "20000229", "19970229", "20240431", "20241301", "09991231", "10000101",
                             "99991231", "19491001", "20240100"})
      for (const char* seq : {"001", "123", "997"}) {
        const std::string body = std::string(region) + date + seq;
        const char right = id_check_character(body);
        for (const std::string text : {body + right, body + static_cast<char>(right == 'X' ? 'x' : right),
                                       body + (right == '0' ? '1' : '0'), body + (right == 'X' ? '5' : 'X'),
                                       " " + body + right, body.substr(1) + right + "0"}) {
          const IdCheck check = check_id(text, options);
          const bool expected = check.valid() && check.kind == IdKind::resident && text.size() == 18 &&
                                text[0] != '9' && !(text[0] == '8' && text[1] >= '1' && text[1] <= '3');
          INFO(text);
          CHECK(detail::plain_resident_id(text) == expected);
          ++(expected ? yes : no);
        }
      }
  CHECK(yes > 50);
  CHECK(no > 300);
}
