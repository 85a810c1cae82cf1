// The CSV tokenizer's two searches, 16 bytes at a time (SSE2): the end of a cell (the delimiter, '\n' or
// '\r') and the next quote inside a quoted cell (counting the '\n' passed). Both also say whether any byte
// passed is not ASCII, so the reader checks UTF-8 only in the cells that have such bytes: the same rows
// and the same located errors as a byte-by-byte scan (tests/records/csv_scan_test.cpp holds them to it).
//
// Nothing outside [from, n) is read: a search that starts less than 16 bytes before n loads the last 16
// bytes of the buffer and ignores those before `from`; a buffer shorter than 16 bytes is scanned byte by
// byte.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace eligo::records::detail {

#if defined(__SSE2__)
namespace csv_scan {

inline __m128i load16(const char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }

inline unsigned ends_mask(__m128i v, __m128i delim) {
  const __m128i lf = _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'));
  const __m128i cr = _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, delim), lf), cr)));
}

inline unsigned high_mask(__m128i v) { return static_cast<unsigned>(_mm_movemask_epi8(v)); }

inline unsigned below(unsigned bit) { return (1u << bit) - 1; }  // the lanes before `bit` (bit < 16)

}  // namespace csv_scan
#endif

// The first k in [from, n) where s[k] is `delim`, '\n' or '\r' (n if none). *high becomes true if a byte of
// [from, k) is 0x80 or above (it is never reset).
inline std::size_t find_cell_end(const char* s, std::size_t from, std::size_t n, char delim, bool* high) {
  std::size_t i = from;
#if defined(__SSE2__)
  using namespace csv_scan;
  if (n >= 16) {
    const __m128i d = _mm_set1_epi8(delim);
    unsigned seen = 0;  // high bits of the blocks passed
    for (; i + 16 <= n; i += 16) {
      const __m128i v = load16(s + i);
      const unsigned m = ends_mask(v, d);
      if (m) {
        const unsigned at = static_cast<unsigned>(__builtin_ctz(m));
        if ((seen | (high_mask(v) & below(at))) != 0) *high = true;
        return i + at;
      }
      seen |= high_mask(v);
    }
    if (seen) *high = true;
    if (i < n) {
      // The tail: the buffer's last 16 bytes, the lanes before i dropped.
      const unsigned skip = static_cast<unsigned>(i - (n - 16));
      const __m128i v = load16(s + n - 16);
      const unsigned m = ends_mask(v, d) >> skip;
      const unsigned h = high_mask(v) >> skip;
      if (m) {
        const unsigned at = static_cast<unsigned>(__builtin_ctz(m));
        if (h & below(at)) *high = true;
        return i + at;
      }
      if (h) *high = true;
    }
    return n;
  }
#endif
  unsigned char seen = 0;
  for (; i < n; ++i) {
    const char c = s[i];
    if (c == delim || c == '\n' || c == '\r') break;
    seen |= static_cast<unsigned char>(c);
  }
  if (seen & 0x80) *high = true;
  return i;
}

// The first k in [from, n) where s[k] is '"' (n if none). *newlines grows by the '\n' bytes of [from, k);
// *high becomes true if a byte of [from, k) is 0x80 or above.
inline std::size_t find_quote(const char* s, std::size_t from, std::size_t n, std::uint64_t* newlines, bool* high) {
  std::size_t i = from;
#if defined(__SSE2__)
  using namespace csv_scan;
  if (n >= 16) {
    const __m128i q = _mm_set1_epi8('"');
    const __m128i lf = _mm_set1_epi8('\n');
    unsigned seen = 0;
    for (; i + 16 <= n; i += 16) {
      const __m128i v = load16(s + i);
      const unsigned m = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, q)));
      const unsigned l = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf)));
      if (m) {
        const unsigned at = static_cast<unsigned>(__builtin_ctz(m));
        *newlines += static_cast<unsigned>(__builtin_popcount(l & below(at)));
        if ((seen | (high_mask(v) & below(at))) != 0) *high = true;
        return i + at;
      }
      *newlines += static_cast<unsigned>(__builtin_popcount(l));
      seen |= high_mask(v);
    }
    if (seen) *high = true;
    if (i < n) {
      const unsigned skip = static_cast<unsigned>(i - (n - 16));
      const __m128i v = load16(s + n - 16);
      const unsigned m = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, q))) >> skip;
      const unsigned l = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf))) >> skip;
      const unsigned h = high_mask(v) >> skip;
      const unsigned keep = m ? below(static_cast<unsigned>(__builtin_ctz(m))) : 0xFFFFu;
      *newlines += static_cast<unsigned>(__builtin_popcount(l & keep));
      if (h & keep) *high = true;
      return m ? i + static_cast<unsigned>(__builtin_ctz(m)) : n;
    }
    return n;
  }
#endif
  unsigned char seen = 0;
  for (; i < n; ++i) {
    const char c = s[i];
    if (c == '"') break;
    if (c == '\n') ++*newlines;
    seen |= static_cast<unsigned char>(c);
  }
  if (seen & 0x80) *high = true;
  return i;
}

}  // namespace eligo::records::detail
