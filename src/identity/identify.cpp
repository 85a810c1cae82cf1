// Guessing what a number is, for the CLI and for callers that receive "some identifier".
#include "eligo/identity.hpp"
#include "identity/text.hpp"

namespace eligo::identity {
namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!detail::is_digit(c)) return false;
  return true;
}

std::string without_separators(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '-') out += c;
  return out;
}

}  // namespace

bool Identified::valid() const {
  switch (kind) {
    case NumberKind::id: return id.valid();
    case NumberKind::credit_code: return credit_code.valid();
    case NumberKind::bank_card: return bank_card.valid();
    case NumberKind::mobile: return mobile.valid();
    default: return false;
  }
}

Identified identify(std::string_view text, const IdentifyOptions& options) {
  Identified r;
  const std::string s = detail::normalize_code(text);
  const std::string compact = without_separators(s);
  auto as_id = [&] {
    r.kind = NumberKind::id;
    r.id = check_id(s, options.id);
    return r;
  };
  if (s.empty()) return as_id();
  // Mobiles: a country code, or 11 digits starting with 1.
  if (s[0] == '+' || compact.rfind("0086", 0) == 0 || (compact.size() == 11 && compact[0] == '1' && all_digits(compact))) {
    r.kind = NumberKind::mobile;
    r.mobile = check_mobile(s, options.mobile);
    return r;
  }
  if (s.size() == 18) {
    bool letters_inside = false;
    for (std::size_t i = 0; i < 17; ++i) letters_inside |= s[i] >= 'A' && s[i] <= 'Z';
    letters_inside |= s[17] >= 'A' && s[17] <= 'Z' && s[17] != 'X';
    if (letters_inside) {
      r.kind = NumberKind::credit_code;
      r.credit_code = check_credit_code(s, options.credit_code);
      return r;
    }
    const IdCheck id = check_id(s, options.id);
    if (id.valid()) return as_id();
    const CreditCodeCheck credit = check_credit_code(s, options.credit_code);
    if (credit.valid()) {
      r.kind = NumberKind::credit_code;
      r.credit_code = credit;
      return r;
    }
    // An 18-digit card number: the "birth date" is no date at all, and Luhn passes. But when the first six
    // digits are a real region code, it is far likelier a mistyped ID: reported as one (invalid, with its
    // reason), the card reading mentioned (issue 10 item 7).
    if (all_digits(s) && id.problem != IdProblem::region && find_region(std::stoi(s.substr(0, 6))) && luhn_ok(s)) {
      as_id();
      r.also = NumberKind::bank_card;
      return r;
    }
    if (all_digits(s) && (id.problem == IdProblem::birth_date || id.problem == IdProblem::region) && luhn_ok(s)) {
      r.kind = NumberKind::bank_card;
      r.bank_card = check_bank_card(s);
      return r;
    }
    return as_id();
  }
  if (s.size() == 15) return as_id();
  // 17 digits that read as an ID body (province, then a birth date): an ID missing its last character,
  // not a 17-digit card.
  if (s.size() == 17 && all_digits(s)) {
    const int province = (s[0] - '0') * 10 + (s[1] - '0');
    const int year = std::stoi(s.substr(6, 4));
    if (province >= 11 && province <= 65 && province_exists(province) && year >= 1900 && year <= 2100 &&
        Date::from_ymd(year, std::stoi(s.substr(10, 2)), std::stoi(s.substr(12, 2))))
      return as_id();
  }
  if (compact.size() >= 16 && compact.size() <= 19 && all_digits(compact)) {
    r.kind = NumberKind::bank_card;
    r.bank_card = check_bank_card(s);
    return r;
  }
  // Near an ID's shape (digits, maybe a final X): report it as an ID with a length problem.
  std::string_view body = s;
  if (!body.empty() && body.back() == 'X') body.remove_suffix(1);
  if (all_digits(body) && s.size() >= 14 && s.size() <= 19) return as_id();
  r.kind = NumberKind::unknown;
  return r;
}

Identified identify_as(NumberKind kind, std::string_view text, const IdentifyOptions& options) {
  Identified r;
  r.kind = kind;
  switch (kind) {
    case NumberKind::id: r.id = check_id(text, options.id); break;
    case NumberKind::credit_code: r.credit_code = check_credit_code(text, options.credit_code); break;
    case NumberKind::bank_card: r.bank_card = check_bank_card(text); break;
    case NumberKind::mobile: r.mobile = check_mobile(text, options.mobile); break;
    case NumberKind::unknown: return identify(text, options);
  }
  return r;
}

const char* to_string(NumberKind kind) {
  switch (kind) {
    case NumberKind::id: return "id";
    case NumberKind::credit_code: return "credit_code";
    case NumberKind::bank_card: return "bank_card";
    case NumberKind::mobile: return "mobile";
    default: return "unknown";
  }
}

}  // namespace eligo::identity
