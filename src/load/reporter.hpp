// Turns positions in a pack file into Diagnostics: line and column, the JSON pointer, the source line and
// the span to underline. Shared by the load and compile stages.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "eligo/diagnostic.hpp"
#include "load/json_tree.hpp"

namespace eligo::load {

class Reporter {
 public:
  // `zh`: messages in Chinese (the caller words them; see tr).
  Reporter(std::string file, std::string_view source, Diagnostics* out, bool zh = false)
      : file_(std::move(file)), src_(source), out_(out), zh_(zh) {}

  bool zh() const { return zh_; }
  // The message in the reporter's language.
  std::string tr(std::string en, std::string zh) const { return zh_ ? std::move(zh) : std::move(en); }

  // The whole value (its first line) is underlined.
  void at_node(const char* code, const JsonNode& node, const std::string& pointer, std::string message,
               Severity severity = Severity::error);
  // The key of member `index` of `object` is underlined.
  void at_key(const char* code, const JsonNode& object, std::size_t index, const std::string& pointer,
              std::string message, Severity severity = Severity::error);
  // Characters [begin, end) of a string value (decoded offsets) are underlined: errors inside expressions.
  void in_string(const char* code, const JsonNode& str, const std::string& pointer, std::size_t begin,
                 std::size_t end, std::string message, Severity severity = Severity::error);
  void at_pos(const char* code, SourcePos pos, int span, const std::string& pointer, std::string message,
              Severity severity = Severity::error);
  // A place in another file the pack reads (a cell of a lookup table): `file`, 1-based line and column, the
  // line's text and the span to underline ("" and 0: no caret line); `pointer` names the declaring value.
  void in_other_file(const char* code, const std::string& file, int line, int column, std::string source_line,
                     int span, const std::string& pointer, std::string message, Severity severity = Severity::error);
  // About the file as a whole (unreadable, too large).
  void at_file(const char* code, std::string message, Severity severity = Severity::error);

  const std::string& file() const { return file_; }
  std::string_view source() const { return src_; }
  bool failed() const { return errors_ > 0; }

 private:
  std::string line_text(std::uint32_t offset) const;
  std::string file_;
  std::string_view src_;
  Diagnostics* out_;
  bool zh_ = false;
  int errors_ = 0;
  mutable std::vector<std::uint32_t> line_starts_;
};

// The closest candidate by edit distance, if close enough to be a plausible typo ("" otherwise). Two
// neighbouring letters swapped count as one edit ('nmae' → 'name', 'knid' → 'kind'): the commonest slip of
// the keyboard, in a pack, a case file or an applicant's record alike.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace eligo::load
