// Text for files eligo writes: a JSON string literal and a CSV cell (RFC 4180), appended to a buffer. One
// copy for every writer (eligo eval and batch, the payout report, the admission tables).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace eligo::detail {

// What writing a cell needs beyond copying its bytes: CSV quoting (a comma, a quote, a line break, or a
// space at either end: the reader trims unquoted cells) and JSON escaping (a control byte, a quote or a
// backslash; UTF-8 passes through). Nearly every cell needs neither, so one scan decides both, and the
// writers copy such a cell in one piece.
enum CellNeeds : unsigned { kCellPlain = 0, kCellCsvQuote = 1, kCellJsonEscape = 2 };

namespace text_out_detail {

// Per byte: kCellCsvQuote for , " \n \r; kCellJsonEscape for bytes below 0x20, " and backslash.
inline constexpr std::array<std::uint8_t, 256> kByteNeeds = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = kCellJsonEscape;
  t[static_cast<unsigned char>(',')] |= kCellCsvQuote;
  t[static_cast<unsigned char>('"')] |= kCellCsvQuote | kCellJsonEscape;
  t[static_cast<unsigned char>('\n')] |= kCellCsvQuote;
  t[static_cast<unsigned char>('\r')] |= kCellCsvQuote;
  t[static_cast<unsigned char>('\\')] |= kCellJsonEscape;
  return t;
}();

inline unsigned needs_by_table(const char* p, std::size_t n) {
  unsigned m = 0;
  for (std::size_t i = 0; i < n; ++i) m |= kByteNeeds[static_cast<unsigned char>(p[i])];
  return m;
}

#if defined(__SSE2__)
// Whether any of 16 bytes is one the table marks (below 0x20, comma, quote, backslash).
inline bool any_marked(__m128i v) {
  const __m128i below = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F));
  const __m128i marks = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')), _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
                                     _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
  return _mm_movemask_epi8(_mm_or_si128(below, marks)) != 0;
}

// Whether any byte of [p, p + n) is marked, reading only those bytes (overlapping loads for the tail).
inline bool any_marked(const char* p, std::size_t n) {
  if (n >= 16) {
    const char* last = p + n - 16;
    for (; p < last; p += 16)
      if (any_marked(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)))) return true;
    return any_marked(_mm_loadu_si128(reinterpret_cast<const __m128i*>(last)));
  }
  if (n >= 8) {
    const __m128i lo = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
    const __m128i hi = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p + n - 8));
    return any_marked(_mm_unpacklo_epi64(lo, hi));
  }
  return needs_by_table(p, n) != 0;
}
#else
inline bool any_marked(const char* p, std::size_t n) { return needs_by_table(p, n) != 0; }
#endif

}  // namespace text_out_detail

// One scan of `s`: which of CSV quoting and JSON escaping it needs (kCellPlain for nearly every cell).
inline unsigned cell_needs(std::string_view s) {
  if (s.empty()) return kCellPlain;
  const unsigned ends = (s.front() == ' ' || s.back() == ' ') ? kCellCsvQuote : kCellPlain;
  if (!text_out_detail::any_marked(s.data(), s.size())) return ends;
  return ends | text_out_detail::needs_by_table(s.data(), s.size());
}

// The longest text write_json_string / write_csv_cell can make of n bytes.
constexpr std::size_t json_string_max(std::size_t n) { return 6 * n + 2; }
constexpr std::size_t csv_cell_max(std::size_t n) { return 2 * n + 2; }

// `s` as a JSON string literal at `out` (room for json_string_max(s.size()) bytes); `needs` from
// cell_needs(s). Returns the end of what was written.
inline char* write_json_string(char* out, std::string_view s, unsigned needs) {
  *out++ = '"';
  if (!(needs & kCellJsonEscape)) {
    if (!s.empty()) std::memcpy(out, s.data(), s.size());
    out += s.size();
    *out++ = '"';
    return out;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': *out++ = '\\'; *out++ = '"'; break;
      case '\\': *out++ = '\\'; *out++ = '\\'; break;
      case '\n': *out++ = '\\'; *out++ = 'n'; break;
      case '\r': *out++ = '\\'; *out++ = 'r'; break;
      case '\t': *out++ = '\\'; *out++ = 't'; break;
      default:
        if (c < 0x20) {
          std::memcpy(out, "\\u00", 4);
          out[4] = kHex[c >> 4];
          out[5] = kHex[c & 15];
          out += 6;
        } else {
          *out++ = ch;
        }
    }
  }
  *out++ = '"';
  return out;
}

// `s` as a CSV cell at `out` (room for csv_cell_max(s.size()) bytes): quoted, quotes doubled, when
// `needs` (from cell_needs(s)) says so. Returns the end of what was written.
inline char* write_csv_cell(char* out, std::string_view s, unsigned needs) {
  if (!(needs & kCellCsvQuote)) {
    if (!s.empty()) std::memcpy(out, s.data(), s.size());
    return out + s.size();
  }
  *out++ = '"';
  for (const char c : s) {
    if (c == '"') *out++ = '"';
    *out++ = c;
  }
  *out++ = '"';
  return out;
}

// `s` as a JSON string literal, quotes included; control characters escaped, UTF-8 passed through.
inline void append_json_string(std::string* out, std::string_view s) {
  const unsigned needs = cell_needs(s);
  if (!(needs & kCellJsonEscape)) {  // nearly every cell: one copy, no fill of room it would not use
    out->push_back('"');
    out->append(s);
    out->push_back('"');
    return;
  }
  const std::size_t at = out->size();
  out->resize(at + json_string_max(s.size()));
  char* end = write_json_string(out->data() + at, s, needs);
  out->resize(static_cast<std::size_t>(end - out->data()));
}

inline std::string json_string(std::string_view s) {
  std::string out;
  append_json_string(&out, s);
  return out;
}

// `s` as a CSV cell: quoted (quotes doubled) when it holds a comma, a quote, a line break, or spaces at
// either end (the reader trims unquoted cells).
inline void append_csv_cell(std::string* out, std::string_view s) {
  const unsigned needs = cell_needs(s);
  if (!(needs & kCellCsvQuote)) {
    out->append(s);
    return;
  }
  const std::size_t at = out->size();
  out->resize(at + csv_cell_max(s.size()));
  char* end = write_csv_cell(out->data() + at, s, needs);
  out->resize(static_cast<std::size_t>(end - out->data()));
}

inline std::string csv_cell(std::string_view s) {
  std::string out;
  append_csv_cell(&out, s);
  return out;
}

}  // namespace eligo::detail
