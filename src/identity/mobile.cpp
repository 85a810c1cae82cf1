// Mainland mobile numbers: +86 / 0086 stripped, then 11 digits; loose pattern by default.
#include <algorithm>

#include "eligo/identity.hpp"
#include "identity/text.hpp"

namespace eligo::identity {

const std::vector<std::string>& default_mobile_prefixes() {
  // Public allocations for voice and data numbers as of 2024 (China Mobile, Unicom, Telecom, Broadnet
  // and MVNO blocks 162/165/167/170/171). Allocations change: pass MobileOptions::prefixes to override.
  static const std::vector<std::string> prefixes = {
      "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145", "147", "149",
      "150", "151", "152", "153", "155", "156", "157", "158", "159", "162", "165", "166", "167",
      "170", "171", "172", "173", "175", "176", "177", "178", "180", "181", "182", "183", "184",
      "185", "186", "187", "188", "189", "190", "191", "192", "193", "195", "196", "197", "198", "199"};
  return prefixes;
}

MobileCheck check_mobile(std::string_view text, const MobileOptions& options) {
  MobileCheck r;
  const std::string s = detail::normalize_code(text);
  if (s.empty()) return r;
  r.problem = MobileProblem::none;
  std::size_t start = 0;
  if (s.rfind("+86", 0) == 0) {
    start = 3;
  } else if (s.rfind("0086", 0) == 0) {
    start = 4;
  }
  r.had_country_code = start != 0;
  std::size_t i = start;
  std::size_t position = start + 1;
  for (; i < s.size(); ++position) {
    const char32_t cp = detail::next_code_point(s, i);
    if (cp == ' ' || cp == '-') continue;
    if (cp >= 0x80 || !detail::is_digit(static_cast<char>(cp))) {
      r.problem = MobileProblem::characters;
      r.position = static_cast<std::uint8_t>(position > 255 ? 255 : position);
      r.national.clear();
      return r;
    }
    r.national += static_cast<char>(cp);
  }
  if (r.national.size() != 11) {
    r.problem = MobileProblem::length;
    return r;
  }
  if (options.strict_prefixes) {
    const auto& prefixes = options.prefixes.empty() ? default_mobile_prefixes() : options.prefixes;
    const std::string_view number = r.national;
    const bool listed = std::any_of(prefixes.begin(), prefixes.end(),
                                    [&](const std::string& p) { return !p.empty() && number.substr(0, p.size()) == p; });
    if (!listed) r.problem = MobileProblem::prefix;
  } else if (r.national[0] != '1' || r.national[1] < '3') {
    r.problem = MobileProblem::prefix;
  }
  return r;
}

const char* to_string(MobileProblem problem) {
  switch (problem) {
    case MobileProblem::none: return "none";
    case MobileProblem::empty: return "empty";
    case MobileProblem::characters: return "characters";
    case MobileProblem::length: return "length";
    case MobileProblem::prefix: return "prefix";
  }
  return "unknown";
}

}  // namespace eligo::identity
