#include "records/json_cursor.hpp"
#include "records/utf8.hpp"

#include <cstdint>
#include <cstring>

#include "eligo/records.hpp"

namespace eligo::records::detail {
namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}


}  // namespace

bool JsonCursor::fail_at(std::size_t at, const char* why) {
  if (error_.empty()) {
    error_ = why;
    error_at_ = at;
  }
  i_ = t_.size();  // nothing more is read
  return false;
}

bool JsonCursor::expect(char c) {
  if (peek() == c) {
    ++i_;
    return true;
  }
  if (i_ >= t_.size()) return fail_end(i_, "the text ends too early");
  switch (c) {
    case '{': return fail("expected an object ('{')");
    case '[': return fail("expected an array ('[')");
    case ':': return fail("expected ':' after the name");
    default: return fail("unexpected character");
  }
}

namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ull;
constexpr std::uint64_t kHighBits = 0x8080808080808080ull;

// Whether any byte of `w` is a quote, a backslash or below 0x20 (a byte at 0x80 or above is none of them).
// Each test is the classic "has a zero byte" trick on w ^ c (or "has a byte less than n"): exact in
// whether any byte matches, which is all the scan asks.
inline bool stops_string(std::uint64_t w) {
  const std::uint64_t quote = w ^ (kOnes * '"');
  const std::uint64_t backslash = w ^ (kOnes * '\\');
  const std::uint64_t zero_quote = (quote - kOnes) & ~quote;
  const std::uint64_t zero_backslash = (backslash - kOnes) & ~backslash;
  const std::uint64_t control = (w - kOnes * 0x20) & ~w;
  return ((zero_quote | zero_backslash | control) & kHighBits) != 0;
}

}  // namespace

bool JsonCursor::string(std::string_view* out, std::string* scratch) {
  if (peek() != '"') return fail("expected a string");
  const std::size_t start = ++i_;
  // Fast scan: no escapes and no control characters is the common case. Eight bytes at a time while none of
  // them is a quote, a backslash or a control character; a string of ASCII only (no byte with its high bit
  // set) needs no UTF-8 check.
  std::size_t j = start;
  const std::size_t n = t_.size();
  const char* s = t_.data();
  std::uint64_t high = 0;
  while (j + 8 <= n) {
    std::uint64_t w;
    std::memcpy(&w, s + j, 8);
    if (stops_string(w)) break;
    high |= w;
    j += 8;
  }
  while (j < n) {
    const unsigned char c = static_cast<unsigned char>(s[j]);
    if (c == '"' || c == '\\' || c < 0x20) break;
    high |= c;
    ++j;
  }
  if (j >= n) return fail_end(start - 1, "a string is not closed");
  if (s[j] == '"') {
    *out = std::string_view(s + start, j - start);
    i_ = j + 1;
    if ((high & kHighBits) != 0 && !valid_utf8(*out)) return fail_at(start, "a string that is not valid UTF-8");
    return true;
  }
  scratch->assign(s + start, j - start);
  while (j < n) {
    const unsigned char c = static_cast<unsigned char>(s[j]);
    if (c == '"') {
      i_ = j + 1;
      *out = *scratch;
      if (!valid_utf8(*out)) return fail_at(start, "a string that is not valid UTF-8");
      return true;
    }
    if (c < 0x20) return fail_at(j, "a control character inside a string (write it as \\n, \\t or \\u00XX)");
    if (c != '\\') {
      scratch->push_back(static_cast<char>(c));
      ++j;
      continue;
    }
    if (j + 1 >= n) return fail_end(start - 1, "a string is not closed");
    const char e = s[j + 1];
    j += 2;
    switch (e) {
      case '"': scratch->push_back('"'); break;
      case '\\': scratch->push_back('\\'); break;
      case '/': scratch->push_back('/'); break;
      case 'b': scratch->push_back('\b'); break;
      case 'f': scratch->push_back('\f'); break;
      case 'n': scratch->push_back('\n'); break;
      case 'r': scratch->push_back('\r'); break;
      case 't': scratch->push_back('\t'); break;
      case 'u': {
        auto read4 = [&](std::size_t at, char32_t* cp) {
          if (at + 4 > n) return false;
          char32_t v = 0;
          for (std::size_t k = 0; k < 4; ++k) {
            const int h = hex(s[at + k]);
            if (h < 0) return false;
            v = v << 4 | static_cast<char32_t>(h);
          }
          *cp = v;
          return true;
        };
        char32_t cp;
        if (!read4(j, &cp)) return j + 4 > n ? fail_end(j - 2, "a string is not closed") : fail_at(j - 2, "a \\u escape needs four hex digits");
        j += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          char32_t lo;
          if (j + 6 > n || s[j] != '\\' || s[j + 1] != 'u' || !read4(j + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
            return fail_at(j - 6, "a \\u escape of a lone surrogate");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          j += 6;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return fail_at(j - 6, "a \\u escape of a lone surrogate");
        }
        append_utf8(scratch, cp);
        break;
      }
      default: return fail_at(j - 2, "an unknown escape in a string");
    }
  }
  return fail_end(start - 1, "a string is not closed");
}

bool JsonCursor::number(std::string_view* out) {
  skip_ws();
  const std::size_t start = i_;
  const std::size_t n = t_.size();
  std::size_t j = i_;
  if (j < n && t_[j] == '-') ++j;
  if (j >= n) return fail_end(start, "the text ends where a value was expected");
  if (t_[j] < '0' || t_[j] > '9') return fail_at(start, "unexpected character (expected a value)");
  if (t_[j] == '0') {
    ++j;
  } else {
    while (j < n && t_[j] >= '0' && t_[j] <= '9') ++j;
  }
  if (j < n && t_[j] == '.') {
    ++j;
    if (j >= n) return fail_end(j, "a number needs digits after '.'");
    if (t_[j] < '0' || t_[j] > '9') return fail_at(j, "a number needs digits after '.'");
    while (j < n && t_[j] >= '0' && t_[j] <= '9') ++j;
  }
  if (j < n && (t_[j] == 'e' || t_[j] == 'E')) {
    ++j;
    if (j < n && (t_[j] == '+' || t_[j] == '-')) ++j;
    if (j >= n) return fail_end(j, "a number needs digits in its exponent");
    if (t_[j] < '0' || t_[j] > '9') return fail_at(j, "a number needs digits in its exponent");
    while (j < n && t_[j] >= '0' && t_[j] <= '9') ++j;
  }
  if (j < n && ((t_[j] >= '0' && t_[j] <= '9') || t_[j] == '.' || (t_[j] >= 'a' && t_[j] <= 'z')))
    return fail_at(j, "unexpected character after a number");
  *out = t_.substr(start, j - start);
  i_ = j;
  return true;
}

bool JsonCursor::literal(std::string_view word) {
  skip_ws();
  if (t_.compare(i_, word.size(), word) != 0) {
    if (t_.size() - i_ < word.size() && word.compare(0, t_.size() - i_, t_.substr(i_)) == 0)
      return fail_end(i_, "the text ends where a value was expected");
    return fail("unexpected character (expected a value)");
  }
  const std::size_t j = i_ + word.size();
  if (j < t_.size() && t_[j] >= 'a' && t_[j] <= 'z') return fail("unexpected character (expected a value)");
  i_ = j;
  return true;
}

bool JsonCursor::member(bool* first, std::string_view* key, std::string* scratch, bool* done) {
  *done = false;
  char c = peek();
  if (c == '}') {
    ++i_;
    *done = true;
    return false;
  }
  if (!*first) {
    if (c != ',') return c == '\0' ? fail_end(i_, "the text ends inside an object") : fail("expected ',' or '}' in an object");
    ++i_;
    c = peek();
    if (c == '}') return fail("a trailing ',' before '}'");
  }
  *first = false;
  if (c != '"') {
    if (c == '\0') return fail_end(i_, "the text ends inside an object");
    return fail("expected a member name in double quotes");
  }
  if (!string(key, scratch)) return false;
  return expect(':');
}

bool JsonCursor::item(bool* first, bool* done) {
  *done = false;
  const char c = peek();
  if (c == ']') {
    ++i_;
    *done = true;
    return false;
  }
  if (!*first) {
    if (c != ',') return c == '\0' ? fail_end(i_, "the text ends inside an array") : fail("expected ',' or ']' in an array");
    ++i_;
    if (peek() == ']') return fail("a trailing ',' before ']'");
  }
  *first = false;
  return true;
}

bool JsonCursor::skip_value(std::uint32_t depth) {
  const char c = peek();
  std::string scratch;
  std::string_view sv;
  switch (c) {
    case '"': return string(&sv, &scratch);
    case 't': return literal("true");
    case 'f': return literal("false");
    case 'n': return literal("null");
    case '{': {
      if (depth + 1 > max_depth_) return fail("nested too deeply");
      ++i_;
      bool done = false, first = true;
      for (;;) {
        if (!member(&first, &sv, &scratch, &done)) return done;
        if (!skip_value(depth + 1)) return false;
      }
    }
    case '[': {
      if (depth + 1 > max_depth_) return fail("nested too deeply");
      ++i_;
      bool done = false, first = true;
      for (;;) {
        if (!item(&first, &done)) return done;
        if (!skip_value(depth + 1)) return false;
      }
    }
    case '\0': return fail_end(i_, "the text ends where a value was expected");
    default: return number(&sv);
  }
}

void JsonCursor::line_column(std::size_t offset, std::uint64_t* line, std::uint64_t* column) const {
  std::uint64_t l = 1;
  std::size_t line_start = 0;
  for (std::size_t k = 0; k < offset && k < t_.size(); ++k)
    if (t_[k] == '\n') {
      ++l;
      line_start = k + 1;
    }
  std::uint64_t col = 1;
  for (std::size_t k = line_start; k < offset && k < t_.size(); ++k)
    if ((static_cast<unsigned char>(t_[k]) & 0xC0) != 0x80) ++col;  // characters, not bytes
  *line = l;
  *column = col;
}

std::string JsonCursor::where_error() const {
  std::uint64_t line, column;
  line_column(error_at_, &line, &column);
  const bool one_line = t_.find('\n') == std::string_view::npos;
  return (one_line ? "" : "line " + std::to_string(line) + ", ") + "column " + std::to_string(column) + ": " + error_;
}

}  // namespace eligo::records::detail
