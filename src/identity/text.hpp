// Internal text helpers shared by the identity module: UTF-8 walking, ICU NFKC, trimming.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace eligo::identity::detail {

inline bool is_ascii(std::string_view s) {
  // Eight bytes at a time: ID numbers are 15-18 bytes, so this is two or three loads.
  std::size_t i = 0;
  std::uint64_t high = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    high |= word;
  }
  high &= 0x8080808080808080ull;
  for (; i < s.size(); ++i) high |= static_cast<unsigned char>(s[i]) & 0x80u;
  return high == 0;
}

inline bool is_ascii_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline char ascii_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

inline std::string_view trim_ascii(std::string_view s) {
  while (!s.empty() && is_ascii_space(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Decodes the code point at s[i] and advances i. A malformed or truncated sequence yields U+FFFD and
// advances by one byte, so every invalid byte counts as one code point.
char32_t next_code_point(std::string_view s, std::size_t& i);
void append_utf8(std::string& out, char32_t cp);
std::size_t code_point_count(std::string_view s);
// Unicode White_Space (ICU u_isUWhiteSpace).
bool is_white_space(char32_t cp);
// Trims Unicode White_Space from both ends.
std::string_view trim_unicode(std::string_view s);
// NFKC through ICU; invalid UTF-8 becomes U+FFFD first. Never throws.
std::string nfkc(std::string_view s);
// What every code-like check reads: trim, NFKC (only when non-ASCII), trim again, ASCII upper-case.
std::string normalize_code(std::string_view text);

}  // namespace eligo::identity::detail
