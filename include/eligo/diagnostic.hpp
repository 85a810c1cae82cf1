// eligo/diagnostic.hpp — problems found in a rule pack, as values.
//
// Rule problems are never exceptions: compiling a pack returns every problem found, in one pass, each
// with a stable code (catalogue: docs/errors.md), a severity, where it is (file, line, column — in code
// points, 1-based — and the JSON pointer of the value) and a message. Formatted, one reads:
//
//   rules/x/pack.json:12:17: error[E1203] /checks/2/require: unknown field 'applicant.hukou' (did you mean 'applicant.hukou_district'?)
//      12 |     "require": "applicant.hukou == '330106'",
//         |                 ^~~~~~~~~~~~~~~
#pragma once

#include <string>
#include <vector>

namespace eligo {

enum class Severity { error, warning, note };

struct Diagnostic {
  std::string code;      // "E1203"; stable across releases
  Severity severity = Severity::error;
  std::string file;      // as given to the compiler (relative paths stay relative)
  int line = 0;          // 0 when the problem is about the file as a whole
  int column = 0;
  std::string pointer;   // RFC 6901 pointer of the JSON value ("" for the whole document)
  std::string message;
  // For the caret line: the source line's text and the span to underline (code points, 1-based).
  std::string source_line;
  int span = 0;
};

const char* severity_name(Severity severity);

// "file:line:col: error[CODE] /pointer: message" and, when the source line is known, the line and a caret
// under the span. Ends with a newline.
std::string format_diagnostic(const Diagnostic& d, bool with_source = true);

// The language of diagnostic messages: "zh-CN" or "en". An empty request takes the locale (the first of
// LC_ALL, LC_MESSAGES, LANG that is set: "en…" gives "en", anything else "zh-CN"); zh-CN when none is set.
std::string diagnostics_lang(const std::string& requested = "");

struct Diagnostics {
  std::vector<Diagnostic> items;
  std::string lang = "en";  // of the messages and the summary line; compile sets it (CompileOptions::lang)
  bool has_errors() const;
  std::size_t error_count() const;
  // Every diagnostic formatted, in order, then a summary line ("2 errors, 1 warning"; "2 个错误，1 个警告").
  std::string to_string(bool with_source = true) const;
};

}  // namespace eligo
