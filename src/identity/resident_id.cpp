// Resident ID numbers (GB 11643) and the numbers sharing their 18-character layout: 港澳台 residence
// permits and the 2023 foreign permanent-residence ID. The check is allocation-free for ASCII input.
#include <cstring>
#include <ctime>

#include "eligo/identity.hpp"
#include "identity/id_parts.hpp"
#include "identity/plain_id.hpp"
#include "identity/region_table.hpp"
#include "identity/text.hpp"

namespace eligo::identity {
namespace detail {

void check_citizen_region(IdCheck& r, int region, const IdOptions& options) {
  r.region = region;
  r.region_known = RegionTable::instance().contains(region);
  const int province = region / 10000;
  switch (options.region_check) {
    case RegionCheck::none:
      break;
    case RegionCheck::province:
      if (province < 11 || province > 65 || !is_province(province)) flag(r, IdProblem::region);
      break;
    case RegionCheck::known_code:
      if (province < 11 || province > 65 || !r.region_known) flag(r, IdProblem::region);
      break;
  }
}

}  // namespace detail

namespace {

using detail::digits_value;
using detail::flag;

constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheckCharacters[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

// s: 17 ASCII digits (checked by the caller).
char check_character_of(const char* s) {
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (s[i] - '0') * kWeights[i];
  return kCheckCharacters[sum % 11];
}

// True when all eight bytes are ASCII digits: high nibble 3, and adding 6 keeps it 3 (0x3A-0x3F do not).
inline bool eight_digits(const char* s) {
  std::uint64_t word;
  std::memcpy(&word, s, 8);
  constexpr std::uint64_t kHigh = 0xF0F0F0F0F0F0F0F0ull, kThrees = 0x3030303030303030ull, kSixes = 0x0606060606060606ull;
  return (word & kHigh) == kThrees && ((word + kSixes) & kHigh) == kThrees;
}

bool is_permit_region_prefix(const char* s) { return s[0] == '8' && s[1] >= '1' && s[1] <= '3'; }

void check_18(IdCheck& r, const char* s, const IdOptions& options) {
  if (s[0] == '9' && options.accept_foreign) {
    r.kind = IdKind::foreign_permanent;
  } else if (is_permit_region_prefix(s) && options.accept_permits) {
    r.kind = IdKind::hk_macau_taiwan_permit;
  } else {
    r.kind = IdKind::resident;
  }
  // Digits 1-17 (eight at a time), then the MOD 11-2 sum without branches.
  if (!eight_digits(s) || !eight_digits(s + 8) || !detail::is_digit(s[16])) {
    for (int i = 0; i < 17; ++i) {
      if (!detail::is_digit(s[i])) {
        r.problem = IdProblem::characters;
        r.position = static_cast<std::uint8_t>(i + 1);
        r.found_char = static_cast<unsigned char>(s[i]);
        return;
      }
    }
  }
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (s[i] - '0') * kWeights[i];
  const char last = detail::ascii_upper(s[17]);
  if (!detail::is_digit(last) && last != 'X') {
    r.problem = IdProblem::characters;
    r.position = 18;
    r.found_char = static_cast<unsigned char>(s[17]);
    return;
  }
  r.problem = IdProblem::none;

  switch (r.kind) {
    case IdKind::foreign_permanent: {
      const int province = digits_value(s + 1, 2);
      r.region = province * 10000;
      r.region_known = detail::RegionTable::instance().contains(r.region);
      if (options.region_check != RegionCheck::none && (province < 11 || province > 65 || !detail::is_province(province)))
        flag(r, IdProblem::region);
      for (int i = 0; i < 3; ++i) r.nationality[i] = s[3 + i];
      r.nationality[3] = '\0';
      if (country_by_numeric(std::string_view(r.nationality, 3)).empty()) flag(r, IdProblem::nationality);
      break;
    }
    case IdKind::hk_macau_taiwan_permit: {
      r.region = digits_value(s, 6);
      r.region_known = detail::RegionTable::instance().contains(r.region);
      if (r.region % 10000 != 0) flag(r, IdProblem::region);
      break;
    }
    default:
      detail::check_citizen_region(r, digits_value(s, 6), options);
      break;
  }
  detail::check_birth_date(r, digits_value(s + 6, 4), digits_value(s + 10, 2), digits_value(s + 12, 2), options);
  r.sex = ((s[16] - '0') & 1) ? Sex::male : Sex::female;
  const char expected = kCheckCharacters[sum % 11];
  if (last != expected) {
    flag(r, IdProblem::check_character);
    r.expected_check = expected;
    r.found_check = last;
  }
  std::memcpy(r.canonical_, s, 18);
  r.canonical_[17] = last;
  r.canonical_size_ = 18;
}

void check_legacy_15(IdCheck& r, const char* s, const IdOptions& options) {
  r.kind = IdKind::resident_legacy;
  for (int i = 0; i < 15; ++i) {
    if (!detail::is_digit(s[i])) {
      r.problem = IdProblem::characters;
      r.position = static_cast<std::uint8_t>(i + 1);
      r.found_char = static_cast<unsigned char>(s[i]);
      return;
    }
  }
  r.problem = IdProblem::none;
  detail::check_citizen_region(r, digits_value(s, 6), options);
  // Every 15-digit number was issued to someone born in the 1900s: never guess 20xx.
  detail::check_birth_date(r, 1900 + digits_value(s + 6, 2), digits_value(s + 8, 2), digits_value(s + 10, 2),
                           options);
  r.sex = ((s[14] - '0') & 1) ? Sex::male : Sex::female;
  std::int32_t days;
  if (detail::inline_days(1900 + digits_value(s + 6, 2), digits_value(s + 8, 2), digits_value(s + 10, 2), &days)) {
    char full[18];
    for (int i = 0; i < 6; ++i) full[i] = s[i];
    full[6] = '1';
    full[7] = '9';
    for (int i = 6; i < 15; ++i) full[i + 2] = s[i];
    full[17] = check_character_of(full);
    detail::set_canonical(r, std::string_view(full, 18));
  }
}

// Checks an already-normalised text whose size in bytes is `s.size()` and in code points `length`.
void check_normalized(IdCheck& r, std::string_view s, std::size_t length, const IdOptions& options) {
  r.length = static_cast<int>(length);
  if (s.empty()) {
    r.problem = IdProblem::empty;
    return;
  }
  if (s.size() <= 18) {
    // Written here, read back only by callers: the checks below read the caller's bytes, because loading
    // 8 bytes at once right after storing them one by one would stall store forwarding.
    for (std::size_t i = 0; i < s.size(); ++i) r.normalized_[i] = detail::ascii_upper(s[i]);
    r.normalized_size_ = static_cast<std::uint8_t>(s.size());
  }
  if (length != 15 && length != 18) {
    r.problem = IdProblem::length;
    return;
  }
  if (s.size() != length) {  // a non-ASCII character survived NFKC
    std::size_t i = 0;
    for (std::size_t position = 1; i < s.size(); ++position) {
      const std::size_t at = i;
      const char32_t cp = detail::next_code_point(s, i);
      if (cp >= 0x80) {
        r.kind = length == 18 ? IdKind::resident
                              : (detail::is_digit(s[0]) ? IdKind::resident_legacy : IdKind::foreign_permanent_legacy);
        r.problem = IdProblem::characters;
        r.position = static_cast<std::uint8_t>(position);
        r.found_char = cp;
        (void)at;
        return;
      }
    }
  }
  const char* text = s.data();  // ASCII here; only a final x or the foreign letters may be lower-case
  if (length == 18) {
    check_18(r, text, options);
    return;
  }
  if (detail::is_digit(text[0])) {
    if (!options.accept_legacy) {
      r.problem = IdProblem::length;
      return;
    }
    check_legacy_15(r, text, options);
    return;
  }
  if (options.accept_foreign) {
    const int length_seen = r.length;
    r = check_foreign_legacy(std::string_view(r.normalized_, 15), options);
    r.length = length_seen;
    return;
  }
  r.problem = IdProblem::characters;
  r.position = 1;
  r.found_char = static_cast<unsigned char>(text[0]);
  return;
}

}  // namespace

bool detail::plain_resident_id(std::string_view text) {
  if (text.size() != 18) return false;
  const char* s = text.data();
  if (s[0] == '9' || is_permit_region_prefix(s)) return false;
  if (!eight_digits(s) || !eight_digits(s + 8) || !detail::is_digit(s[16])) return false;
  if (detail::ascii_upper(s[17]) != check_character_of(s)) return false;
  std::int32_t days;
  return detail::inline_days(digits_value(s + 6, 4), digits_value(s + 10, 2), digits_value(s + 12, 2), &days);
}

IdCheck check_id(std::string_view text, const IdOptions& options) {
  IdCheck r;
  if (detail::is_ascii(text)) {
    const std::string_view s = detail::trim_ascii(text);
    check_normalized(r, s, s.size(), options);
    return r;
  }
  const std::string normalized = detail::normalize_code(text);
  check_normalized(r, normalized, detail::code_point_count(normalized), options);
  return r;
}

bool id_valid(std::string_view text, const IdOptions& options) { return check_id(text, options).valid(); }

std::string normalize_id(std::string_view text) { return detail::normalize_code(text); }

char id_check_character(std::string_view first17) {
  if (first17.size() != 17) return '\0';
  for (char c : first17)
    if (!detail::is_digit(c)) return '\0';
  return check_character_of(first17.data());
}

std::optional<std::string> id_15_to_18(std::string_view legacy) {
  const std::string s = detail::normalize_code(legacy);
  if (s.size() != 15 || !detail::is_digit(s[0])) return std::nullopt;
  IdOptions options;
  options.region_check = RegionCheck::none;
  options.as_of = Date::from_ymd(9999, 12, 31);
  IdCheck r;
  check_normalized(r, s, 15, options);
  if (r.canonical().size() != 18) return std::nullopt;
  return std::string(r.canonical());
}

std::optional<int> id_age(std::string_view text, Date on, const IdOptions& options) {
  const IdCheck r = check_id(text, options);
  if (!r.birth_date) return std::nullopt;
  return years_between(*r.birth_date, on);
}

Date today_in_china() {
  const std::time_t now = std::time(nullptr);
  const long long seconds = static_cast<long long>(now) + 8 * 3600;
  long long days = seconds / 86400;
  if (seconds < 0 && seconds % 86400 != 0) --days;
  return Date::from_days(static_cast<std::int32_t>(days));
}

const char* to_string(Sex sex) {
  switch (sex) {
    case Sex::male: return "male";
    case Sex::female: return "female";
    default: return "unknown";
  }
}

const char* to_string(IdKind kind) {
  switch (kind) {
    case IdKind::resident: return "resident";
    case IdKind::resident_legacy: return "resident_legacy";
    case IdKind::hk_macau_taiwan_permit: return "hk_macau_taiwan_permit";
    case IdKind::foreign_permanent: return "foreign_permanent";
    case IdKind::foreign_permanent_legacy: return "foreign_permanent_legacy";
    default: return "unknown";
  }
}

const char* to_string(IdProblem problem) {
  switch (problem) {
    case IdProblem::none: return "none";
    case IdProblem::empty: return "empty";
    case IdProblem::length: return "length";
    case IdProblem::characters: return "characters";
    case IdProblem::region: return "region";
    case IdProblem::nationality: return "nationality";
    case IdProblem::birth_date: return "birth_date";
    case IdProblem::check_character: return "check_character";
  }
  return "unknown";
}

}  // namespace eligo::identity
