#include "identity/text.hpp"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace eligo::identity::detail {

char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const auto n = static_cast<std::int32_t>(s.size());
  auto at = static_cast<std::int32_t>(i);
  UChar32 cp;
  U8_NEXT(p, at, n, cp);
  if (cp < 0) {
    i += 1;
    return 0xFFFD;
  }
  i = static_cast<std::size_t>(at);
  return static_cast<char32_t>(cp);
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::size_t code_point_count(std::string_view s) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++count) next_code_point(s, i);
  return count;
}

bool is_white_space(char32_t cp) { return u_isUWhiteSpace(static_cast<UChar32>(cp)) != 0; }

std::string_view trim_unicode(std::string_view s) {
  // Leading: decode forward.
  std::size_t start = 0;
  while (start < s.size()) {
    std::size_t next = start;
    if (!is_white_space(next_code_point(s, next))) break;
    start = next;
  }
  s.remove_prefix(start);
  // Trailing: step back over continuation bytes to each code point's start.
  while (!s.empty()) {
    std::size_t begin = s.size() - 1;
    while (begin > 0 && (static_cast<unsigned char>(s[begin]) & 0xC0) == 0x80 && s.size() - begin < 4) --begin;
    std::size_t i = begin;
    char32_t cp = next_code_point(s, i);
    if (i != s.size()) {  // the tail was not one well-formed code point: treat the last byte alone
      begin = s.size() - 1;
      cp = 0xFFFD;
    }
    if (!is_white_space(cp)) break;
    s.remove_suffix(s.size() - begin);
  }
  return s;
}

namespace {

// Re-encodes invalid UTF-8 as U+FFFD so ICU sees well-formed input.
std::string sanitize(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) append_utf8(out, next_code_point(s, i));
  return out;
}

}  // namespace

// ICU's NFKC normaliser, created once. ICU makes its singleton thread-safe with its own atomics, which a
// ThreadSanitizer build cannot see (libicu is not instrumented): two batch workers creating it at once were
// reported as a race. A C++ function-local static orders every later use after the one creation.
static const icu::Normalizer2* nfkc_normalizer() {
  static const icu::Normalizer2* const instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(status);
    return U_FAILURE(status) ? nullptr : n;
  }();
  return instance;
}

std::string nfkc(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = nfkc_normalizer();
  const std::string clean = sanitize(s);
  if (normalizer == nullptr) return clean;
  std::string out;
  icu::StringByteSink<std::string> sink(&out, static_cast<std::int32_t>(clean.size()));
  normalizer->normalizeUTF8(0, icu::StringPiece(clean.data(), static_cast<std::int32_t>(clean.size())), sink,
                            nullptr, status);
  if (U_FAILURE(status)) return clean;
  return out;
}

std::string normalize_code(std::string_view text) {
  std::string out;
  if (is_ascii(text)) {
    out.assign(trim_ascii(text));
  } else {
    out.assign(trim_unicode(nfkc(trim_unicode(text))));
  }
  for (char& c : out) c = ascii_upper(c);
  return out;
}

}  // namespace eligo::identity::detail
