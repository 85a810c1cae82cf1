#include "eligo/date.hpp"

#include <cstdio>

namespace eligo {
namespace {

// Howard Hinnant's civil-calendar algorithms (public domain), days relative to 1970-01-01.
std::int32_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

void civil_from_days(std::int32_t z, int* y, int* m, int* d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = static_cast<int>(yoe) + era * 400 + (*m <= 2);
}

}  // namespace

bool is_leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29 : kDays[m - 1];
}

std::optional<Date> Date::from_ymd(int y, int m, int d) {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return std::nullopt;
  return Date(days_from_civil(y, m, d));
}

std::optional<Date> Date::parse(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto num = [&](std::size_t at, std::size_t len, int* out) {
    int v = 0;
    for (std::size_t i = at; i < at + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  int y, m, d;
  if (!num(0, 4, &y) || !num(5, 2, &m) || !num(8, 2, &d)) return std::nullopt;
  return from_ymd(y, m, d);
}

void Date::ymd(int* y, int* m, int* d) const { civil_from_days(days_, y, m, d); }
int Date::year() const { int y, m, d; ymd(&y, &m, &d); return y; }
int Date::month() const { int y, m, d; ymd(&y, &m, &d); return m; }
int Date::day() const { int y, m, d; ymd(&y, &m, &d); return d; }

std::string Date::to_string() const {
  int y, m, d;
  ymd(&y, &m, &d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

int years_between(Date from, Date to) {
  if (to < from) return -years_between(to, from);
  int y1, m1, d1, y2, m2, d2;
  from.ymd(&y1, &m1, &d1);
  to.ymd(&y2, &m2, &d2);
  int years = y2 - y1;
  // 29 Feb counts as reached on 1 Mar of a common year: compare (month, day) directly.
  if (m2 < m1 || (m2 == m1 && d2 < d1)) --years;
  return years;
}

int months_between(Date from, Date to) {
  if (to < from) return -months_between(to, from);
  int y1, m1, d1, y2, m2, d2;
  from.ymd(&y1, &m1, &d1);
  to.ymd(&y2, &m2, &d2);
  int months = (y2 - y1) * 12 + (m2 - m1);
  if (d2 < d1) --months;
  return months;
}

int days_between(Date from, Date to) { return to.days() - from.days(); }

Date add_months(Date d, int months) {
  int y, m, day;
  d.ymd(&y, &m, &day);
  int total = y * 12 + (m - 1) + months;
  int ny = total / 12, nm = total % 12 + 1;
  if (nm <= 0) {
    nm += 12;
    --ny;
  }
  const int nd = day > days_in_month(ny, nm) ? days_in_month(ny, nm) : day;
  return Date::from_days(days_from_civil(ny, nm, nd));
}

Date add_days(Date d, int days) { return Date::from_days(d.days() + days); }

}  // namespace eligo
