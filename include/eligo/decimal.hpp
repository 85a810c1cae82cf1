// eligo/decimal.hpp — exact decimal numbers for points and money.
//
// A Decimal is coefficient × 10^-scale with a 128-bit coefficient of at most 37 digits and a scale of
// 0..18. There is no binary floating point anywhere: 0.1 + 0.2 == 0.3 exactly. Every operation that can
// lose digits or overflow is explicit:
//
//   Decimal a = *Decimal::parse("28.175");
//   Decimal r;
//   a.round(2, Rounding::half_up, &r);        // 28.18   (四舍五入, the default everywhere in eligo)
//   a.round(2, Rounding::half_even, &r);      // 28.18 ; 28.165 → 28.16 (banker's rounding)
//   Decimal::add(a, b, &r)                    // false on overflow, never wraps
//
// Scale is kept as written: "5000.00" prints as "5000.00"; 1.0 == 1.00 compares equal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace eligo {

// How a value is brought to fewer fractional digits. Names follow the rule language.
enum class Rounding : std::uint8_t {
  half_up,    // 四舍五入: ties away from zero (2.5 → 3, −2.5 → −3). eligo's default.
  half_even,  // ties to the even neighbour (2.5 → 2, 3.5 → 4)
  half_down,  // ties toward zero (2.5 → 2)
  up,         // away from zero (2.1 → 3)
  down,       // toward zero, truncation (2.9 → 2)
  ceiling,    // toward +∞
  floor,      // toward −∞
};

// "half_up" → Rounding::half_up; nullopt for an unknown name.
std::optional<Rounding> rounding_from_name(std::string_view name);
std::string_view rounding_name(Rounding mode);

class Decimal {
 public:
  static constexpr int max_scale = 18;
  static constexpr int max_digits = 37;

  constexpr Decimal() = default;
  static Decimal from_int(std::int64_t v) { return Decimal(v, 0); }
  // Parses "-12", "3.50", "+0.1". No exponent, no grouping; nullopt when not a number or out of range.
  static std::optional<Decimal> parse(std::string_view text);

  // Checked arithmetic: false (and *out untouched) on overflow or, for div, a zero divisor.
  static bool add(const Decimal& a, const Decimal& b, Decimal* out);
  static bool sub(const Decimal& a, const Decimal& b, Decimal* out);
  // Products keep up to max_scale fractional digits; extra digits are rounded half_even.
  static bool mul(const Decimal& a, const Decimal& b, Decimal* out);
  // Quotients are carried to max_scale fractional digits, rounded with `mode`, then trailing zeros
  // beyond the larger operand scale are dropped (10.00 / 4 = 2.50, 1 / 3 = 0.333333333333333333).
  static bool div(const Decimal& a, const Decimal& b, Rounding mode, Decimal* out);
  // floor(a / b) as a whole number, exactly (one division, no intermediate rounding).
  static bool floor_div(const Decimal& a, const Decimal& b, Decimal* out);
  // Remainder with the sign of the dividend (like C++ %); false for a zero divisor.
  static bool mod(const Decimal& a, const Decimal& b, Decimal* out);

  // To `places` fractional digits (0..18). Rounding never overflows except at the 37-digit edge.
  bool round(int places, Rounding mode, Decimal* out) const;
  Decimal negated() const { return Decimal(-coef_, scale_); }
  Decimal abs() const { return coef_ < 0 ? negated() : *this; }

  // Total order by numeric value (1.0 == 1.00).
  static int compare(const Decimal& a, const Decimal& b);
  friend bool operator==(const Decimal& a, const Decimal& b) { return compare(a, b) == 0; }
  friend bool operator!=(const Decimal& a, const Decimal& b) { return compare(a, b) != 0; }
  friend bool operator<(const Decimal& a, const Decimal& b) { return compare(a, b) < 0; }
  friend bool operator<=(const Decimal& a, const Decimal& b) { return compare(a, b) <= 0; }
  friend bool operator>(const Decimal& a, const Decimal& b) { return compare(a, b) > 0; }
  friend bool operator>=(const Decimal& a, const Decimal& b) { return compare(a, b) >= 0; }

  bool is_zero() const { return coef_ == 0; }
  bool is_negative() const { return coef_ < 0; }
  bool is_integer() const;
  int scale() const { return scale_; }
  // The integer part when it fits, truncated toward zero.
  std::optional<std::int64_t> to_int64() const;
  // Same value with trailing fractional zeros removed (2.50 → 2.5, 3.00 → 3).
  Decimal trimmed() const;
  // Exact text with the scale as held: "-1234.50". Never exponent notation.
  std::string to_string() const;

  __int128 coefficient() const { return coef_; }
  static std::optional<Decimal> from_parts(__int128 coefficient, int scale);

 private:
  constexpr Decimal(__int128 c, int s) : coef_(c), scale_(static_cast<std::int8_t>(s)) {}
  __int128 coef_ = 0;
  std::int8_t scale_ = 0;
};

}  // namespace eligo
