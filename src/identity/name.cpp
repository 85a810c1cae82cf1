// Personal names: NFKC, every look-alike separator dot → U+00B7, whitespace removed (民委发〔2016〕33号).
#include "eligo/identity.hpp"
#include "identity/text.hpp"

namespace eligo::identity {
namespace {

// Dots that real data uses for the separator in minority names. NFKC leaves the first group alone;
// U+FF65 becomes U+30FB and U+FF0E, U+2024, U+FE52 become "." under NFKC, so "." is mapped as well.
bool is_separator_dot(char32_t cp) {
  switch (cp) {
    case 0x002E:  // FULL STOP (from U+FF0E, U+2024, U+FE52 after NFKC)
    case 0x00B7:  // MIDDLE DOT — the standard form
    case 0x0387:  // GREEK ANO TELEIA (NFKC already gives U+00B7)
    case 0x1427:  // CANADIAN SYLLABICS FINAL MIDDLE DOT
    case 0x2022:  // BULLET
    case 0x2027:  // HYPHENATION POINT
    case 0x2219:  // BULLET OPERATOR
    case 0x22C5:  // DOT OPERATOR
    case 0x2E31:  // WORD SEPARATOR MIDDLE DOT
    case 0x30FB:  // KATAKANA MIDDLE DOT (and U+FF65 after NFKC)
    case 0xA78F:  // LATIN LETTER SINOLOGICAL DOT
    case 0xFF65:  // HALFWIDTH KATAKANA MIDDLE DOT (in case NFKC is unavailable)
      return true;
    default:
      return false;
  }
}

bool is_removed_space(char32_t cp) {
  return cp == 0x200B || cp == 0x2060 || cp == 0xFEFF || detail::is_white_space(cp);
}

}  // namespace

std::string normalize_name(std::string_view text) {
  const std::string folded = detail::nfkc(text);
  std::string out;
  out.reserve(folded.size());
  for (std::size_t i = 0; i < folded.size();) {
    const char32_t cp = detail::next_code_point(folded, i);
    if (is_removed_space(cp)) continue;
    detail::append_utf8(out, is_separator_dot(cp) ? char32_t{0x00B7} : cp);
  }
  return out;
}

std::size_t name_length(std::string_view utf8) { return detail::code_point_count(utf8); }

bool names_match(std::string_view a, std::string_view b) {
  const std::string left = normalize_name(a);
  return !left.empty() && left == normalize_name(b);
}

}  // namespace eligo::identity
