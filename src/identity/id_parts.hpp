// Pieces shared by the ID-number checks (resident_id.cpp, foreign_permanent_id.cpp).
#pragma once

#include <atomic>
#include <climits>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "eligo/identity.hpp"

namespace eligo::identity::detail {

inline int digits_value(const char* s, int count) {
  int v = 0;
  for (int i = 0; i < count; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

// Records the first problem only: checks run in a fixed order and the earliest failure is the reason.
inline void flag(IdCheck& r, IdProblem problem) {
  if (r.problem == IdProblem::none) r.problem = problem;
}

inline void set_canonical(IdCheck& r, std::string_view s) {
  const std::size_t n = s.size() < 18 ? s.size() : 18;
  std::memcpy(r.canonical_, s.data(), n);
  r.canonical_[n] = '\0';
  r.canonical_size_ = static_cast<std::uint8_t>(n);
}

// Date::from_ymd, inlined for the validation hot path (Howard Hinnant's days_from_civil; same range rules:
// years 1000-9999, a real day of the month). Returns false for no such date. A plain int out-parameter
// rather than std::optional<Date>: building the optional piecewise and copying it whole stalled store
// forwarding and cost a fifth of the whole check.
inline bool inline_days(int y, int m, int d, std::int32_t* days) {
  static constexpr unsigned char kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  static constexpr short kBefore[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  // Branch-free on the data: random birth dates would otherwise mispredict.
  const int leap = static_cast<int>((y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0)));
  if (d > kDays[m - 1] + (leap & static_cast<int>(m == 2))) return false;
  const int before = y - 1;  // whole years before y, counted from year 1
  const int from_year_1 = 365 * before + before / 4 - before / 100 + before / 400;
  *days = from_year_1 - 719162 + kBefore[m - 1] + (leap & static_cast<int>(m > 2)) + d - 1;  // 719162: 0001-01-01 → 1970-01-01
  return true;
}

// date <= today_in_china(), reading the clock only for dates after the last day it saw: days only move
// forward, so almost every birth date is answered without a clock read.
inline bool not_after_today(Date date) {
  static std::atomic<std::int32_t> seen_today{INT32_MIN};
  if (date.days() <= seen_today.load(std::memory_order_relaxed)) return true;
  const Date today = today_in_china();
  std::int32_t seen = seen_today.load(std::memory_order_relaxed);
  while (seen < today.days() && !seen_today.compare_exchange_weak(seen, today.days(), std::memory_order_relaxed)) {
  }
  return date <= today;
}

// The birth date check shared by every layout: a real date, not after the evaluation date.
inline void check_birth_date(IdCheck& r, int year, int month, int day, const IdOptions& options) {
  std::int32_t days;
  if (!inline_days(year, month, day, &days)) {
    flag(r, IdProblem::birth_date);
    return;
  }
  const Date date = Date::from_days(days);
  if (options.as_of ? date > *options.as_of : !not_after_today(date)) {
    flag(r, IdProblem::birth_date);
    return;
  }
  r.birth_date.emplace(date);
}

// Region check for citizens' numbers (resident and legacy): provinces 11-65 only.
void check_citizen_region(IdCheck& r, int region, const IdOptions& options);

}  // namespace eligo::identity::detail
