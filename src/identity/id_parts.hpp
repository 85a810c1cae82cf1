// Pieces shared by the ID-number checks (resident_id.cpp, foreign_permanent_id.cpp).
#pragma once

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
  for (std::size_t i = 0; i < n; ++i) r.canonical_[i] = s[i];
  r.canonical_[n] = '\0';
  r.canonical_size_ = static_cast<std::uint8_t>(n);
}

// The birth date check shared by every layout: a real date, not after the evaluation date.
inline void check_birth_date(IdCheck& r, int year, int month, int day, const IdOptions& options) {
  const std::optional<Date> date = Date::from_ymd(year, month, day);
  if (!date) {
    flag(r, IdProblem::birth_date);
    return;
  }
  const Date as_of = options.as_of ? *options.as_of : today_in_china();
  if (*date > as_of) {
    flag(r, IdProblem::birth_date);
    return;
  }
  r.birth_date = date;
}

// Region check for citizens' numbers (resident and legacy): provinces 11-65 only.
void check_citizen_region(IdCheck& r, int region, const IdOptions& options);

}  // namespace eligo::identity::detail
