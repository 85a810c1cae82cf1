#include <catch2/catch.hpp>

#include "eligo/date.hpp"

using eligo::Date;

namespace {
Date D(const char* s) {
  auto d = Date::parse(s);
  REQUIRE(d.has_value());
  return *d;
}
}  // namespace

TEST_CASE("dates parse only real calendar days in YYYY-MM-DD", "[core][date]") {
  CHECK(D("1970-01-01").days() == 0);
  CHECK(D("2000-02-29").to_string() == "2000-02-29");
  for (const char* bad : {"2021-02-29", "1900-02-29", "2021-13-01", "2021-00-10", "2021-1-01", "20210101",
                          "2021-04-31", "0999-01-01", "2021/01/01", ""}) {
    INFO(bad);
    CHECK_FALSE(Date::parse(bad).has_value());
  }
}

TEST_CASE("years_between counts full years like an age (周岁)", "[core][date]") {
  CHECK(eligo::years_between(D("1990-05-10"), D("2021-05-09")) == 30);
  CHECK(eligo::years_between(D("1990-05-10"), D("2021-05-10")) == 31);
  CHECK(eligo::years_between(D("2000-02-29"), D("2021-02-28")) == 20);
  CHECK(eligo::years_between(D("2000-02-29"), D("2021-03-01")) == 21);
  CHECK(eligo::years_between(D("2021-05-10"), D("1990-05-10")) == -31);
}

TEST_CASE("months_between counts full months", "[core][date]") {
  CHECK(eligo::months_between(D("2020-01-01"), D("2021-01-01")) == 12);
  CHECK(eligo::months_between(D("2020-01-31"), D("2020-02-29")) == 0);
  CHECK(eligo::months_between(D("2020-01-15"), D("2020-03-14")) == 1);
  CHECK(eligo::months_between(D("2020-01-15"), D("2020-03-15")) == 2);
  CHECK(eligo::days_between(D("2020-02-28"), D("2020-03-01")) == 2);
}

TEST_CASE("add_months clamps to the end of the month", "[core][date]") {
  CHECK(eligo::add_months(D("2021-01-31"), 1) == D("2021-02-28"));
  CHECK(eligo::add_months(D("2020-01-31"), 1) == D("2020-02-29"));
  CHECK(eligo::add_months(D("2021-03-15"), -3) == D("2020-12-15"));
  CHECK(eligo::add_months(D("2021-03-15"), -15) == D("2019-12-15"));
  CHECK(eligo::add_days(D("2021-12-31"), 1) == D("2022-01-01"));
}
