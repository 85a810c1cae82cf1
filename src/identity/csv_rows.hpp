// A tiny reader for the compiled-in CSV tables (RFC 4180 quoting, "\n" line ends, header skipped).
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace eligo::identity::detail {

// Splits `text` into rows of fields. Unquoted fields are views into `text`; quoted fields with doubled
// quotes are unescaped into `arena`, which must outlive the result.
inline std::vector<std::vector<std::string_view>> read_csv(std::string_view text, std::deque<std::string>& arena) {
  std::vector<std::vector<std::string_view>> rows;
  std::size_t i = 0;
  bool header = true;
  while (i < text.size()) {
    std::vector<std::string_view> fields;
    for (;;) {
      std::string_view field;
      if (i < text.size() && text[i] == '"') {
        std::string value;
        ++i;
        while (i < text.size()) {
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              value += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          value += text[i++];
        }
        arena.push_back(std::move(value));
        field = arena.back();
      } else {
        std::size_t start = i;
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') ++i;
        field = text.substr(start, i - start);
      }
      fields.push_back(field);
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      while (i < text.size() && (text[i] == '\r' || text[i] == '\n')) ++i;
      break;
    }
    if (header) {
      header = false;
      continue;
    }
    if (!(fields.size() == 1 && fields[0].empty())) rows.push_back(std::move(fields));
  }
  return rows;
}

}  // namespace eligo::identity::detail
