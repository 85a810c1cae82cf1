#include <catch2/catch.hpp>

#include "eligo/decimal.hpp"

using eligo::Decimal;
using eligo::Rounding;

namespace {
Decimal D(const char* s) {
  auto d = Decimal::parse(s);
  REQUIRE(d.has_value());
  return *d;
}
std::string rounded(const char* s, int places, Rounding mode) {
  Decimal r;
  REQUIRE(D(s).round(places, mode, &r));
  return r.to_string();
}
}  // namespace

TEST_CASE("decimal addition is exact: 0.1 + 0.2 == 0.3", "[core][decimal]") {
  Decimal r;
  REQUIRE(Decimal::add(D("0.1"), D("0.2"), &r));
  CHECK(r == D("0.3"));
  CHECK(r.to_string() == "0.3");
}

TEST_CASE("decimal keeps the scale it was written with", "[core][decimal]") {
  CHECK(D("5000.00").to_string() == "5000.00");
  CHECK(D("-0.50").to_string() == "-0.50");
  CHECK(D("1.0") == D("1.00"));
  CHECK(D("5000.00").trimmed().to_string() == "5000");
}

TEST_CASE("decimal parse rejects what is not a plain number", "[core][decimal]") {
  for (const char* bad : {"", "-", ".", "1.", ".5", "1e3", "1,000", "0x10", "1.2.3", " 1", "NaN"}) {
    INFO(bad);
    CHECK_FALSE(Decimal::parse(bad).has_value());
  }
  CHECK_FALSE(Decimal::parse("0.1234567890123456789").has_value());  // 19 fractional digits
  CHECK_FALSE(Decimal::parse("12345678901234567890123456789012345678").has_value());  // 38 digits
}

TEST_CASE("rounding names its mode: the R4 goldens", "[core][decimal]") {
  CHECK(rounded("2.5", 0, Rounding::half_up) == "3");
  CHECK(rounded("2.5", 0, Rounding::half_even) == "2");
  CHECK(rounded("3.5", 0, Rounding::half_even) == "4");
  CHECK(rounded("-2.5", 0, Rounding::half_up) == "-3");
  CHECK(rounded("28.175", 2, Rounding::half_up) == "28.18");
  CHECK(rounded("28.165", 2, Rounding::half_even) == "28.16");
  CHECK(rounded("2.5", 0, Rounding::half_down) == "2");
  CHECK(rounded("2.1", 0, Rounding::up) == "3");
  CHECK(rounded("-2.1", 0, Rounding::up) == "-3");
  CHECK(rounded("2.9", 0, Rounding::down) == "2");
  CHECK(rounded("-2.1", 0, Rounding::ceiling) == "-2");
  CHECK(rounded("-2.1", 0, Rounding::floor) == "-3");
  CHECK(rounded("7", 2, Rounding::half_up) == "7.00");
}

TEST_CASE("division carries 18 digits and rounds with the named mode", "[core][decimal]") {
  Decimal r;
  REQUIRE(Decimal::div(D("10.00"), D("4"), Rounding::half_up, &r));
  CHECK(r.to_string() == "2.50");
  REQUIRE(Decimal::div(D("1"), D("3"), Rounding::half_up, &r));
  CHECK(r.to_string() == "0.333333333333333333");
  REQUIRE(Decimal::div(D("2"), D("3"), Rounding::half_up, &r));
  CHECK(r.to_string() == "0.666666666666666667");
  REQUIRE(Decimal::div(D("2"), D("3"), Rounding::down, &r));
  CHECK(r.to_string() == "0.666666666666666666");
  REQUIRE(Decimal::div(D("-7"), D("2"), Rounding::half_up, &r));
  CHECK(r.to_string() == "-3.5");
  CHECK_FALSE(Decimal::div(D("1"), D("0"), Rounding::half_up, &r));
}

TEST_CASE("overflow is an error, never a wrap", "[core][decimal]") {
  const Decimal big = D("9999999999999999999999999999999999999");  // 37 digits
  Decimal r;
  CHECK_FALSE(Decimal::add(big, D("1"), &r));
  CHECK_FALSE(Decimal::mul(big, D("10"), &r));
  CHECK(Decimal::sub(big.negated(), D("0"), &r));
  CHECK_FALSE(Decimal::sub(big.negated(), D("1"), &r));
}

TEST_CASE("multiplication keeps at most 18 fractional digits", "[core][decimal]") {
  Decimal r;
  REQUIRE(Decimal::mul(D("1.5"), D("2.25"), &r));
  CHECK(r.to_string() == "3.375");
  REQUIRE(Decimal::mul(D("0.0000000001"), D("0.0000000005"), &r));
  CHECK(r.to_string() == "0.000000000000000000");  // 5e-20 rounds half_even to 0 at 18 digits
}

TEST_CASE("comparison aligns scales without overflow", "[core][decimal]") {
  CHECK(D("2") > D("1.999999999999999999"));
  CHECK(D("-2") < D("-1.5"));
  CHECK(D("9999999999999999999999999999999999999") > D("0.000000000000000001"));
  CHECK(D("-9999999999999999999999999999999999999") < D("0.000000000000000001"));
  Decimal r;
  REQUIRE(Decimal::mod(D("7.5"), D("2"), &r));
  CHECK(r.to_string() == "1.5");
  CHECK(D("12.00").is_integer());
  CHECK(*D("-12.9").to_int64() == -12);
}

TEST_CASE("a product past 18 fractional digits rounds an exact tie half_even", "[core][decimal]") {
  Decimal r;
  // 0.000000000000000005 × 0.5 = 0.0000000000000000025: a tie at the 18th digit, kept even (2, not 3).
  REQUIRE(Decimal::mul(D("0.000000000000000005"), D("0.5"), &r));
  CHECK(r.to_string() == "0.000000000000000002");
  // 0.0000000000000000035 → 4: the odd neighbour rounds up to the even one.
  REQUIRE(Decimal::mul(D("0.000000000000000007"), D("0.5"), &r));
  CHECK(r.to_string() == "0.000000000000000004");
  REQUIRE(Decimal::mul(D("-0.000000000000000005"), D("0.5"), &r));
  CHECK(r.to_string() == "-0.000000000000000002");
  // Just above the tie rounds away from zero.
  REQUIRE(Decimal::mul(D("0.000000000000000005"), D("0.51"), &r));
  CHECK(r.to_string() == "0.000000000000000003");
}

TEST_CASE("rounding just off the tie and negative ties go the way each mode says", "[core][decimal]") {
  CHECK(rounded("2.51", 0, Rounding::half_down) == "3");
  CHECK(rounded("2.49", 0, Rounding::half_up) == "2");
  CHECK(rounded("-2.5", 0, Rounding::half_even) == "-2");
  CHECK(rounded("-3.5", 0, Rounding::half_even) == "-4");
  CHECK(rounded("-2.5", 0, Rounding::half_down) == "-2");
  CHECK(rounded("-2.9", 0, Rounding::down) == "-2");
  CHECK(rounded("2.1", 0, Rounding::ceiling) == "3");
  CHECK(rounded("2.9", 0, Rounding::floor) == "2");
  CHECK(rounded("0.005", 2, Rounding::half_up) == "0.01");
  CHECK(rounded("0.015", 2, Rounding::half_even) == "0.02");
  CHECK(rounded("0.025", 2, Rounding::half_even) == "0.02");
}
