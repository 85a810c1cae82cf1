#include "eligo/decimal.hpp"

#include <algorithm>
#include <array>

namespace eligo {
namespace {

using i128 = __int128;

constexpr std::array<i128, 39> make_pow10() {
  std::array<i128, 39> p{};
  p[0] = 1;
  for (int i = 1; i < 39; ++i) p[i] = p[i - 1] * 10;
  return p;
}
constexpr std::array<i128, 39> kPow10 = make_pow10();
constexpr i128 kMaxCoef = kPow10[Decimal::max_digits] - 1;

bool in_range(i128 c) { return c <= kMaxCoef && c >= -kMaxCoef; }

i128 abs128(i128 v) { return v < 0 ? -v : v; }

bool fits64(i128 v) { return v >= INT64_MIN && v <= INT64_MAX; }

// Number of decimal digits of |v| (0 for 0).
int digits(i128 v) {
  const i128 a = abs128(v);
  int n = 0;
  while (n < 38 && a >= kPow10[n]) ++n;
  return n;
}

// Divides `n` by `d` (d > 0) and rounds the quotient by `mode`, looking at the remainder.
// 64-bit division when both fit: 128-bit division is a slow library call.
i128 div_round(i128 n, i128 d, Rounding mode) {
  i128 q, r;
  if (fits64(n) && fits64(d)) {
    const std::int64_t n64 = static_cast<std::int64_t>(n), d64 = static_cast<std::int64_t>(d);
    q = n64 / d64;
    r = n64 % d64;
  } else {
    q = n / d;
    r = n - q * d;
  }
  if (r == 0) return q;
  const bool neg = n < 0;
  const i128 twice = abs128(r) * 2;  // r < d ≤ 10^38/… callers keep d ≤ 10^38 so this never overflows
  bool away = false;
  switch (mode) {
    case Rounding::half_up: away = twice >= d; break;
    case Rounding::half_down: away = twice > d; break;
    case Rounding::half_even: away = twice > d || (twice == d && (q % 2 != 0)); break;
    case Rounding::up: away = true; break;
    case Rounding::down: away = false; break;
    case Rounding::ceiling: away = !neg; break;
    case Rounding::floor: away = neg; break;
  }
  if (away) q += neg ? -1 : 1;
  return q;
}

// Scales the coefficient up by 10^k; false on overflow.
bool scale_up(i128 c, int k, i128* out) {
  if (k == 0 || c == 0) {
    *out = c;
    return true;
  }
  if (k > 38) return false;
  // |c| < 2^64 and 10^k < 2^64 (k ≤ 19): the product fits in 128 bits without a checked multiply.
  if (k <= 19 && abs128(c) < (static_cast<i128>(1) << 64)) {
    *out = c * kPow10[k];
    return true;
  }
  i128 r;
  if (__builtin_mul_overflow(c, kPow10[k], &r)) return false;
  *out = r;
  return true;
}

// Drops trailing fractional zeros while the scale stays above `keep`.
void strip_zeros(i128* c, std::int8_t* scale, int keep) {
  if (fits64(*c)) {
    std::int64_t v = static_cast<std::int64_t>(*c);
    while (*scale > keep && v % 10 == 0) {
      v /= 10;
      --*scale;
    }
    *c = v;
    return;
  }
  while (*scale > keep && *c % 10 == 0) {
    *c /= 10;
    --*scale;
  }
}

}  // namespace

std::optional<Rounding> rounding_from_name(std::string_view name) {
  if (name == "half_up") return Rounding::half_up;
  if (name == "half_even") return Rounding::half_even;
  if (name == "half_down") return Rounding::half_down;
  if (name == "up") return Rounding::up;
  if (name == "down") return Rounding::down;
  if (name == "ceiling") return Rounding::ceiling;
  if (name == "floor") return Rounding::floor;
  return std::nullopt;
}

std::string_view rounding_name(Rounding mode) {
  switch (mode) {
    case Rounding::half_up: return "half_up";
    case Rounding::half_even: return "half_even";
    case Rounding::half_down: return "half_down";
    case Rounding::up: return "up";
    case Rounding::down: return "down";
    case Rounding::ceiling: return "ceiling";
    case Rounding::floor: return "floor";
  }
  return "half_up";
}

std::optional<Decimal> Decimal::from_parts(i128 coefficient, int scale) {
  if (scale < 0 || scale > max_scale || !in_range(coefficient)) return std::nullopt;
  return Decimal(coefficient, scale);
}

std::optional<Decimal> Decimal::parse(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool neg = false;
  std::size_t i = 0;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    i = 1;
  }
  i128 c = 0;
  int digits = 0, scale = 0, int_digits = 0;
  bool dot = false;
  for (; i < s.size(); ++i) {
    const char ch = s[i];
    if (ch == '.') {
      if (dot) return std::nullopt;
      dot = true;
      continue;
    }
    if (ch < '0' || ch > '9') return std::nullopt;
    if (dot) {
      if (++scale > max_scale) return std::nullopt;
    } else {
      ++int_digits;
    }
    if (c != 0 || ch != '0') ++digits;
    if (digits > max_digits) return std::nullopt;
    c = c * 10 + (ch - '0');
  }
  if (int_digits == 0 && scale == 0) return std::nullopt;  // "", "-", "."
  if (dot && scale == 0) return std::nullopt;              // "1." is not a number here
  if (int_digits == 0) return std::nullopt;                // ".5" must be written 0.5
  return Decimal(neg ? -c : c, scale);
}

bool Decimal::add(const Decimal& a, const Decimal& b, Decimal* out) {
  const int s = std::max(a.scale_, b.scale_);
  i128 x, y, r;
  if (!scale_up(a.coef_, s - a.scale_, &x) || !scale_up(b.coef_, s - b.scale_, &y)) return false;
  if (__builtin_add_overflow(x, y, &r) || !in_range(r)) return false;
  *out = Decimal(r, s);
  return true;
}

bool Decimal::sub(const Decimal& a, const Decimal& b, Decimal* out) { return add(a, b.negated(), out); }

bool Decimal::mul(const Decimal& a, const Decimal& b, Decimal* out) {
  i128 r;
  int s = a.scale_ + b.scale_;
  if (__builtin_mul_overflow(a.coef_, b.coef_, &r)) {
    // Trailing zeros cost nothing to drop; anything else would change the value, so the product is an
    // overflow rather than a silent approximation.
    const Decimal at = a.trimmed(), bt = b.trimmed();
    if (__builtin_mul_overflow(at.coef_, bt.coef_, &r)) return false;
    s = at.scale_ + bt.scale_;
  }
  if (s > max_scale) {
    r = div_round(r, kPow10[s - max_scale], Rounding::half_even);
    s = max_scale;
  }
  if (!in_range(r)) return false;
  *out = Decimal(r, s);
  return true;
}

bool Decimal::div(const Decimal& a, const Decimal& b, Rounding mode, Decimal* out) {
  if (b.coef_ == 0) return false;
  // a/b = (ca·10^-sa)/(cb·10^-sb). Target scale T = max_scale: q = ca·10^(T - sa + sb) / cb.
  i128 n = a.coef_, d = b.coef_;
  if (d < 0) {
    d = -d;
    n = -n;
  }
  const int keep = std::max(a.scale_, b.scale_);
  // Exact at the larger operand scale (10.00 / 4 = 2.50): one division, usually 64-bit.
  {
    i128 n0;
    if (scale_up(n, keep - a.scale_ + b.scale_, &n0)) {
      i128 q, rem;
      if (fits64(n0) && fits64(d)) {
        q = static_cast<std::int64_t>(n0) / static_cast<std::int64_t>(d);
        rem = static_cast<std::int64_t>(n0) % static_cast<std::int64_t>(d);
      } else {
        q = n0 / d;
        rem = n0 - q * d;
      }
      if (rem == 0) {
        std::int8_t scale = static_cast<std::int8_t>(keep);
        if (!in_range(q)) strip_zeros(&q, &scale, 0);  // 1e34 / 0.01 fits at a lower scale
        if (!in_range(q)) return false;
        *out = Decimal(q, scale);
        return true;
      }
    }
  }
  // Otherwise carry max_scale fractional digits: scale the numerator up as far as it fits (any shortfall
  // lowers the target scale), divide once, round by `mode`.
  int k = max_scale - a.scale_ + b.scale_;
  const int room = max_digits + 1 - digits(n);
  const int up = std::min(k, room);
  if (up > 0) {
    if (!scale_up(n, up, &n)) return false;
    k -= up;
  }
  const int target = max_scale - k;
  if (target < 0) return false;
  i128 q = div_round(n, d, mode);
  std::int8_t scale = static_cast<std::int8_t>(target);
  if (!in_range(q)) strip_zeros(&q, &scale, 0);  // exact digits beyond 37 may only be trailing zeros
  if (!in_range(q)) return false;
  Decimal r(q, scale);
  strip_zeros(&r.coef_, &r.scale_, keep);
  *out = r;
  return true;
}

bool Decimal::mod(const Decimal& a, const Decimal& b, Decimal* out) {
  if (b.coef_ == 0) return false;
  const int s = std::max(a.scale_, b.scale_);
  i128 x, y;
  if (!scale_up(a.coef_, s - a.scale_, &x) || !scale_up(b.coef_, s - b.scale_, &y)) return false;
  *out = Decimal(x % y, s);
  return true;
}

bool Decimal::round(int places, Rounding mode, Decimal* out) const {
  if (places < 0 || places > max_scale) return false;
  if (places >= scale_) {
    i128 c;
    if (!scale_up(coef_, places - scale_, &c) || !in_range(c)) return false;
    *out = Decimal(c, places);
    return true;
  }
  const i128 c = div_round(coef_, kPow10[scale_ - places], mode);
  if (!in_range(c)) return false;
  *out = Decimal(c, places);
  return true;
}

int Decimal::compare(const Decimal& a, const Decimal& b) {
  if (a.scale_ == b.scale_) return a.coef_ < b.coef_ ? -1 : (a.coef_ > b.coef_ ? 1 : 0);
  const bool a_low = a.scale_ < b.scale_;
  const Decimal& lo = a_low ? a : b;  // fewer fractional digits: scale it up
  const Decimal& hi = a_low ? b : a;
  i128 x;
  int c;
  if (!scale_up(lo.coef_, hi.scale_ - lo.scale_, &x)) {
    // |lo| is larger than anything `hi` can hold: the sign of lo decides.
    c = lo.coef_ < 0 ? -1 : 1;
  } else {
    c = x < hi.coef_ ? -1 : (x > hi.coef_ ? 1 : 0);
  }
  return a_low ? c : -c;
}

bool Decimal::is_integer() const { return scale_ == 0 || coef_ % kPow10[scale_] == 0; }

std::optional<std::int64_t> Decimal::to_int64() const {
  const i128 t = coef_ / kPow10[scale_];
  if (t > INT64_MAX || t < INT64_MIN) return std::nullopt;
  return static_cast<std::int64_t>(t);
}

Decimal Decimal::trimmed() const {
  Decimal r = *this;
  strip_zeros(&r.coef_, &r.scale_, 0);
  return r;
}

bool Decimal::floor_div(const Decimal& a, const Decimal& b, Decimal* out) {
  if (b.coef_ == 0) return false;
  // a / b = (ca · 10^sb) / (cb · 10^sa), floored.
  i128 n, d;
  if (!scale_up(a.coef_, b.scale_, &n) || !scale_up(b.coef_, a.scale_, &d)) return false;
  if (d < 0) {
    d = -d;
    n = -n;
  }
  const i128 q = div_round(n, d, Rounding::floor);
  if (!in_range(q)) return false;
  *out = Decimal(q, 0);
  return true;
}

std::string Decimal::to_string() const {
  i128 v = abs128(coef_);
  char buf[64];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v != 0);
  while (n <= scale_) buf[n++] = '0';  // at least one integer digit
  std::string s;
  s.reserve(n + 2);
  if (coef_ < 0) s.push_back('-');
  for (int i = n - 1; i >= 0; --i) {
    s.push_back(buf[i]);
    if (i == scale_ && scale_ > 0) s.push_back('.');
  }
  return s;
}

}  // namespace eligo
