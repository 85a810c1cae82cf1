// Bank card numbers: 16-19 digits; Luhn is reported, never enforced (real UnionPay cards fail it).
#include "eligo/identity.hpp"
#include "identity/text.hpp"

namespace eligo::identity {

bool luhn_ok(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (!detail::is_digit(*it)) return false;
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

BankCardCheck check_bank_card(std::string_view text) {
  BankCardCheck r;
  const std::string s = detail::normalize_code(text);
  if (s.empty()) return r;
  r.problem = BankCardProblem::none;
  std::size_t i = 0;
  for (std::size_t position = 1; i < s.size(); ++position) {
    const char32_t cp = detail::next_code_point(s, i);
    if (cp == ' ' || cp == '-') continue;
    if (cp >= 0x80 || !detail::is_digit(static_cast<char>(cp))) {
      r.problem = BankCardProblem::characters;
      r.position = static_cast<std::uint8_t>(position > 255 ? 255 : position);
      r.number.clear();
      return r;
    }
    r.number += static_cast<char>(cp);
  }
  if (r.number.size() < 16 || r.number.size() > 19) r.problem = BankCardProblem::length;
  r.luhn_ok = luhn_ok(r.number);
  return r;
}

const char* to_string(BankCardProblem problem) {
  switch (problem) {
    case BankCardProblem::none: return "none";
    case BankCardProblem::empty: return "empty";
    case BankCardProblem::characters: return "characters";
    case BankCardProblem::length: return "length";
  }
  return "unknown";
}

}  // namespace eligo::identity
