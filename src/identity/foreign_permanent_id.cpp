// The old 15-character 外国人永久居留身份证 number. Its layout comes from an open-source parser rather than
// the issuing authority's text, so it lives in this one function (see the header and docs/identity.md).
#include "eligo/identity.hpp"
#include "identity/id_parts.hpp"
#include "identity/region_table.hpp"
#include "identity/text.hpp"

namespace eligo::identity {
namespace {

// ICAO 9303 check digit: values 0-9 for digits, A=10 … Z=35; weights 7, 3, 1 repeating; sum mod 10.
char icao_check_digit(std::string_view s) {
  static constexpr int kWeights[3] = {7, 3, 1};
  int sum = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const int value = detail::is_digit(c) ? c - '0' : c - 'A' + 10;
    sum += value * kWeights[i % 3];
  }
  return static_cast<char>('0' + sum % 10);
}

}  // namespace

IdCheck check_foreign_legacy(std::string_view s, const IdOptions& options) {
  IdCheck r;
  r.kind = IdKind::foreign_permanent_legacy;
  r.length = static_cast<int>(s.size());
  if (s.size() != 15) {
    r.problem = s.empty() ? IdProblem::empty : IdProblem::length;
    return r;
  }
  for (std::size_t i = 0; i < 15; ++i) r.normalized_[i] = s[i];
  r.normalized_size_ = 15;
  for (std::size_t i = 0; i < 15; ++i) {
    const bool ok = i < 3 ? (s[i] >= 'A' && s[i] <= 'Z') : detail::is_digit(s[i]);
    if (!ok) {
      r.problem = IdProblem::characters;
      r.position = static_cast<std::uint8_t>(i + 1);
      r.found_char = static_cast<unsigned char>(s[i]);
      return r;
    }
  }
  r.problem = IdProblem::none;
  // Issuing region: four digits, a GB/T 2260 prefecture without its trailing "00".
  r.region = detail::digits_value(s.data() + 3, 4) * 100;
  r.region_known = detail::RegionTable::instance().contains(r.region);
  const int province = r.region / 10000;
  if (options.region_check == RegionCheck::province && (province < 11 || province > 65 || !detail::is_province(province)))
    detail::flag(r, IdProblem::region);
  if (options.region_check == RegionCheck::known_code && !r.region_known) detail::flag(r, IdProblem::region);
  for (int i = 0; i < 3; ++i) r.nationality[i] = s[i];
  r.nationality[3] = '\0';
  if (country_by_alpha3(std::string_view(r.nationality, 3)).empty()) detail::flag(r, IdProblem::nationality);
  // YYMMDD: the century is not written. Take 20YY when that date is a real one not after the evaluation
  // date, else 19YY; century_guessed says both were possible.
  const int yy = detail::digits_value(s.data() + 7, 2);
  const int month = detail::digits_value(s.data() + 9, 2);
  const int day = detail::digits_value(s.data() + 11, 2);
  const Date as_of = options.as_of ? *options.as_of : today_in_china();
  const std::optional<Date> in_2000s = Date::from_ymd(2000 + yy, month, day);
  const std::optional<Date> in_1900s = Date::from_ymd(1900 + yy, month, day);
  IdOptions with_as_of = options;
  with_as_of.as_of = as_of;
  if (in_2000s && *in_2000s <= as_of) {
    r.century_guessed = in_1900s.has_value();
    detail::check_birth_date(r, 2000 + yy, month, day, with_as_of);
  } else {
    detail::check_birth_date(r, 1900 + yy, month, day, with_as_of);
  }
  r.sex = ((s[13] - '0') & 1) ? Sex::male : Sex::female;
  const char expected = icao_check_digit(s.substr(0, 14));
  if (s[14] != expected) {
    detail::flag(r, IdProblem::check_character);
    r.expected_check = expected;
    r.found_check = s[14];
  }
  detail::set_canonical(r, s);
  return r;
}

}  // namespace eligo::identity
