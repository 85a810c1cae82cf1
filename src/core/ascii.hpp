// ASCII-only case folding for names, flags and file extensions ("TRUE", ".CSV", SQLite table names). Not for
// people's text: names and addresses go through identity's Unicode normalisation.
#pragma once

#include <string_view>

namespace eligo::detail {

inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

inline bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

// `suffix` in lower case: ends_with(".CSV", ".csv") is true.
inline bool ascii_iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && ascii_iequals(s.substr(s.size() - suffix.size()), suffix);
}

}  // namespace eligo::detail
