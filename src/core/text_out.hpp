// Text for files eligo writes: a JSON string literal and a CSV cell (RFC 4180), appended to a buffer. One
// copy for every writer (eligo eval and batch, the payout report, the admission tables).
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace eligo::detail {

// `s` as a JSON string literal, quotes included; control characters escaped, UTF-8 passed through. Text
// with nothing to escape (nearly every cell) is appended in one copy rather than byte by byte.
inline void append_json_string(std::string* out, std::string_view s) {
  out->push_back('"');
  bool plain = true;
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == '"' || c == '\\') {
      plain = false;
      break;
    }
  }
  if (plain) {
    out->append(s);
    out->push_back('"');
    return;
  }
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          *out += buf;
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

inline std::string json_string(std::string_view s) {
  std::string out;
  append_json_string(&out, s);
  return out;
}

// `s` as a CSV cell: quoted (quotes doubled) when it holds a comma, a quote, a line break, or spaces at
// either end (the reader trims unquoted cells).
inline void append_csv_cell(std::string* out, std::string_view s) {
  bool quote = !s.empty() && (s.front() == ' ' || s.back() == ' ');
  for (const char c : s)
    if (c == ',' || c == '"' || c == '\n' || c == '\r') {
      quote = true;
      break;
    }
  if (!quote) {
    out->append(s);
    return;
  }
  out->push_back('"');
  for (const char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

inline std::string csv_cell(std::string_view s) {
  std::string out;
  append_csv_cell(&out, s);
  return out;
}

}  // namespace eligo::detail
