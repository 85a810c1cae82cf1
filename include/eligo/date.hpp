// eligo/date.hpp — calendar dates (proleptic Gregorian, no time zone) as days since 1970-01-01.
//
//   Date d = *Date::parse("2021-11-16");
//   years_between(*Date::parse("1990-02-28"), *Date::parse("2021-02-27")) == 30   // 周岁: full years
//   add_months(*Date::parse("2021-01-31"), 1) == 2021-02-28                       // clamped to month end
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace eligo {

class Date {
 public:
  constexpr Date() = default;
  static constexpr Date from_days(std::int32_t days) { return Date(days); }
  // Exactly "YYYY-MM-DD" with a real calendar day, years 1000..9999; nullopt otherwise.
  static std::optional<Date> parse(std::string_view text);
  static std::optional<Date> from_ymd(int year, int month, int day);

  std::int32_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  void ymd(int* year, int* month, int* day) const;
  std::string to_string() const;  // "YYYY-MM-DD"

  friend bool operator==(Date a, Date b) { return a.days_ == b.days_; }
  friend bool operator!=(Date a, Date b) { return a.days_ != b.days_; }
  friend bool operator<(Date a, Date b) { return a.days_ < b.days_; }
  friend bool operator<=(Date a, Date b) { return a.days_ <= b.days_; }
  friend bool operator>(Date a, Date b) { return a.days_ > b.days_; }
  friend bool operator>=(Date a, Date b) { return a.days_ >= b.days_; }

 private:
  constexpr explicit Date(std::int32_t d) : days_(d) {}
  std::int32_t days_ = 0;
};

bool is_leap_year(int year);
int days_in_month(int year, int month);

// Full years from `from` to `to` (an age: the birthday must have been reached). Negative when to < from.
// A 29 February birthday is reached on 1 March in common years.
int years_between(Date from, Date to);
// Full months from `from` to `to`: the day of month must have been reached (31 Jan → 28 Feb is 0).
int months_between(Date from, Date to);
int days_between(Date from, Date to);
// `months` later (or earlier when negative); the day is clamped to the end of the target month.
Date add_months(Date d, int months);
Date add_days(Date d, int days);

}  // namespace eligo
