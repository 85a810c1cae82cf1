// Masking for display and logs.
#include <algorithm>
#include <vector>

#include "eligo/identity.hpp"
#include "identity/text.hpp"

namespace eligo::identity {
namespace {

std::vector<char32_t> code_points(std::string_view s, bool drop_separators) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const char32_t cp = detail::next_code_point(s, i);
    if (drop_separators && (cp == '-' || detail::is_white_space(cp))) continue;
    out.push_back(cp);
  }
  return out;
}

void append_masked(std::string& out, const std::vector<char32_t>& cps, std::size_t from, int head, int tail,
                   char32_t mask_char) {
  const std::size_t n = cps.size() - from;
  const std::size_t keep_head = static_cast<std::size_t>(std::max(head, 0));
  const std::size_t keep_tail = static_cast<std::size_t>(std::max(tail, 0));
  const bool too_short = n <= keep_head + keep_tail;
  for (std::size_t i = 0; i < n; ++i) {
    const bool kept = !too_short && (i < keep_head || i >= n - keep_tail);
    detail::append_utf8(out, kept ? cps[from + i] : mask_char);
  }
}

}  // namespace

std::string mask(PiiKind kind, std::string_view text, const MaskOptions& options) {
  char32_t mask_char = options.mask_char;
  if (mask_char == 0 || mask_char > 0x10FFFF || (mask_char >= 0xD800 && mask_char <= 0xDFFF)) mask_char = U'*';
  const std::string_view trimmed = detail::trim_unicode(text);
  std::string out;
  out.reserve(trimmed.size() + 8);
  switch (kind) {
    case PiiKind::id_number:
      append_masked(out, code_points(trimmed, true), 0, options.id_head, options.id_tail, mask_char);
      break;
    case PiiKind::bank_card:
      append_masked(out, code_points(trimmed, true), 0, options.card_head, options.card_tail, mask_char);
      break;
    case PiiKind::mobile: {
      const std::vector<char32_t> cps = code_points(trimmed, true);
      std::size_t from = 0;
      if (cps.size() >= 3 && cps[0] == '+' && cps[1] == '8' && cps[2] == '6') {
        from = 3;
      } else if (cps.size() >= 4 && cps[0] == '0' && cps[1] == '0' && cps[2] == '8' && cps[3] == '6') {
        from = 4;
      }
      for (std::size_t i = 0; i < from; ++i) out += static_cast<char>(cps[i]);
      append_masked(out, cps, from, options.mobile_head, options.mobile_tail, mask_char);
      break;
    }
    case PiiKind::name:
      append_masked(out, code_points(trimmed, false), 0, options.name_head, 0, mask_char);
      break;
  }
  return out;
}

const char* to_string(PiiKind kind) {
  switch (kind) {
    case PiiKind::id_number: return "id_number";
    case PiiKind::bank_card: return "bank_card";
    case PiiKind::mobile: return "mobile";
    case PiiKind::name: return "name";
  }
  return "unknown";
}

}  // namespace eligo::identity
