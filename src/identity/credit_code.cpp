// Unified social credit codes (GB 32100-2015) with the embedded organisation code (GB 11714).
#include <algorithm>

#include "eligo/identity.hpp"
#include "identity/region_table.hpp"
#include "identity/text.hpp"

namespace eligo::identity {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";  // 31: no I O S V Z
constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
constexpr int kOrgWeights[8] = {3, 7, 9, 10, 5, 8, 4, 2};

int value_of(char c) {
  const std::size_t at = kAlphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

char check_of(std::string_view first17) {
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += value_of(first17[i]) * kWeights[i];
  return kAlphabet[(31 - sum % 31) % 31];  // a result of 31 is 0
}

// Organisation-code characters: digits, and letters A=10 … Z=35.
int org_value_of(char c) {
  if (detail::is_digit(c)) return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return -1;
}

char org_check_of(std::string_view first8) {
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += org_value_of(first8[i]) * kOrgWeights[i];
  const int c = 11 - sum % 11;
  return c == 10 ? 'X' : c == 11 ? '0' : static_cast<char>('0' + c);
}

}  // namespace

char credit_code_check_character(std::string_view first17) {
  if (first17.size() != 17) return '\0';
  for (char c : first17)
    if (value_of(c) < 0) return '\0';
  return check_of(first17);
}

char organization_code_check_character(std::string_view first8) {
  if (first8.size() != 8) return '\0';
  for (char c : first8)
    if (org_value_of(c) < 0) return '\0';
  return org_check_of(first8);
}

CreditCodeCheck check_credit_code(std::string_view text, const CreditCodeOptions& options) {
  CreditCodeCheck r;
  r.code = detail::normalize_code(text);
  const std::string& s = r.code;
  if (s.empty()) {
    r.problem = CreditCodeProblem::empty;
    return r;
  }
  if (detail::code_point_count(s) != 18) {
    r.problem = CreditCodeProblem::length;
  } else {
    r.problem = CreditCodeProblem::none;
    std::size_t i = 0;
    for (std::size_t position = 1; i < s.size(); ++position) {
      const char32_t cp = detail::next_code_point(s, i);
      const bool region_part = position >= 3 && position <= 8;
      const bool ok = cp < 0x80 && (region_part ? detail::is_digit(static_cast<char>(cp)) : value_of(static_cast<char>(cp)) >= 0);
      if (!ok) {
        r.problem = CreditCodeProblem::characters;
        r.position = static_cast<std::uint8_t>(position);
        break;
      }
    }
    if (r.problem == CreditCodeProblem::none) {
      r.region = std::stoi(s.substr(2, 6));
      r.region_known = detail::RegionTable::instance().contains(r.region);
      const char expected = check_of(s);
      const char org_expected = org_check_of(std::string_view(s).substr(8, 8));
      if (s[17] != expected) {
        r.problem = CreditCodeProblem::check_character;
        r.expected_check = expected;
        r.found_check = s[17];
      } else if (s[16] != org_expected) {
        r.problem = CreditCodeProblem::organization_code;
        r.expected_check = org_expected;
        r.found_check = s[16];
      }
    }
  }
  if (r.problem != CreditCodeProblem::none && r.problem != CreditCodeProblem::empty) {
    for (const std::string& allowed : options.allowed) {
      if (detail::normalize_code(allowed) == s) {
        r.failed_check = r.problem;
        r.problem = CreditCodeProblem::none;
        r.allowed = true;
        break;
      }
    }
  }
  return r;
}

bool credit_code_valid(std::string_view text, const CreditCodeOptions& options) {
  return check_credit_code(text, options).valid();
}

const char* to_string(CreditCodeProblem problem) {
  switch (problem) {
    case CreditCodeProblem::none: return "none";
    case CreditCodeProblem::empty: return "empty";
    case CreditCodeProblem::length: return "length";
    case CreditCodeProblem::characters: return "characters";
    case CreditCodeProblem::organization_code: return "organization_code";
    case CreditCodeProblem::check_character: return "check_character";
  }
  return "unknown";
}

}  // namespace eligo::identity
