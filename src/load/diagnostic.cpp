#include "eligo/diagnostic.hpp"

#include <cstdint>
#include <cstdlib>

namespace eligo {
namespace {

// Terminal cells a code point takes: East Asian wide and full-width forms take two.
int cell_width(std::uint32_t cp) {
  if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
      (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD))
    return 2;
  return 1;
}

// Spaces (or tabs, copied) to put a caret under code point `column` of `line`.
std::string pad_to(const std::string& line, int column) {
  std::string pad;
  int cp_index = 1;
  for (std::size_t i = 0; i < line.size() && cp_index < column;) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    std::uint32_t cp = c;
    std::size_t len = 1;
    if (c >= 0xF0) { len = 4; cp = c & 0x07; }
    else if (c >= 0xE0) { len = 3; cp = c & 0x0F; }
    else if (c >= 0xC0) { len = 2; cp = c & 0x1F; }
    for (std::size_t k = 1; k < len && i + k < line.size(); ++k) cp = (cp << 6) | (line[i + k] & 0x3F);
    if (c == '\t') pad.push_back('\t');
    else pad.append(static_cast<std::size_t>(cell_width(cp)), ' ');
    i += len;
    ++cp_index;
  }
  return pad;
}

}  // namespace

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::note: return "note";
  }
  return "error";
}

std::string format_diagnostic(const Diagnostic& d, bool with_source) {
  std::string s = d.file;
  if (d.line > 0) s += ":" + std::to_string(d.line) + ":" + std::to_string(d.column);
  s += ": ";
  s += severity_name(d.severity);
  s += "[" + d.code + "] ";
  if (!d.pointer.empty()) s += d.pointer + ": ";
  s += d.message + "\n";
  if (with_source && d.line > 0 && !d.source_line.empty()) {
    const std::string num = std::to_string(d.line);
    const std::string gutter(num.size(), ' ');
    s += " " + num + " | " + d.source_line + "\n";
    s += " " + gutter + " | " + pad_to(d.source_line, d.column) + "^";
    if (d.span > 1) s.append(static_cast<std::size_t>(d.span - 1), '~');
    s += "\n";
  }
  return s;
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

std::size_t Diagnostics::error_count() const {
  std::size_t n = 0;
  for (const auto& d : items) n += d.severity == Severity::error;
  return n;
}

std::string diagnostics_lang(const std::string& requested) {
  if (!requested.empty()) return requested.compare(0, 2, "en") == 0 ? "en" : "zh-CN";
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(var);
    if (v && *v) return std::string(v).compare(0, 2, "en") == 0 ? "en" : "zh-CN";
  }
  return "zh-CN";
}

std::string Diagnostics::to_string(bool with_source) const {
  std::string s;
  for (const auto& d : items) s += format_diagnostic(d, with_source);
  const std::size_t errors = error_count(), warnings = items.size() - errors;
  if (!items.empty() && lang == "zh-CN") {
    s += std::to_string(errors) + " 个错误";
    if (warnings) s += "，" + std::to_string(warnings) + " 个警告";
    s += "\n";
  } else if (!items.empty()) {
    s += std::to_string(errors) + (errors == 1 ? " error" : " errors");
    if (warnings) s += ", " + std::to_string(warnings) + (warnings == 1 ? " warning" : " warnings");
    s += "\n";
  }
  return s;
}

}  // namespace eligo
