// JsonCursor: a strict, allocation-light JSON tokenizer over one document's text. It is the JSON reader of
// the data path: the binder walks it straight into a pack's slots (no DOM), the record reader uses it to
// split JSON arrays into rows, and loaders use it to pick a row's members by name. Pack files are read by
// src/load/json_tree (a positioned DOM), which is another job: diagnostics for people editing rules.
//
// Strict RFC 8259: no comments, no trailing commas, no NaN, control characters escaped in strings, \u
// escapes with surrogate pairs checked, strings valid UTF-8. An error records the byte offset; line and
// column are computed from it only when asked (the error path), never while reading.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace eligo::records::detail {

class JsonCursor {
 public:
  explicit JsonCursor(std::string_view text, std::uint32_t max_depth = 64) : t_(text), max_depth_(max_depth) {}

  // The next significant character (whitespace skipped), or 0 at the end.
  char peek() {
    skip_ws();
    return i_ < t_.size() ? t_[i_] : '\0';
  }
  bool at_end() { return peek() == '\0'; }
  // Consumes `c` (after whitespace); false and an error otherwise.
  bool expect(char c);
  // Consumes `c` when it is next.
  bool accept(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }

  // A string token (the cursor at '"'): *out views the text when it has no escapes, else `scratch`.
  bool string(std::string_view* out, std::string* scratch);
  // A number token, validated against the JSON grammar: *out is its exact text.
  bool number(std::string_view* out);
  // true / false / null at the cursor.
  bool literal(std::string_view word);
  // Skips one whole value, validating it. `depth` is the nesting already entered.
  bool skip_value(std::uint32_t depth = 0);

  // Object iteration: after expect('{'), call member() before each member; it reads `, "key":` (or sees
  // '}' and consumes it: false with *done). `first` starts true.
  bool member(bool* first, std::string_view* key, std::string* scratch, bool* done);
  // Array iteration: after expect('['), call item() before each element; false with *done at ']'.
  bool item(bool* first, bool* done);

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  std::size_t error_offset() const { return error_at_; }
  std::size_t offset() const { return i_; }
  void set_offset(std::size_t i) { i_ = i; }
  std::string_view text() const { return t_; }
  // 1-based line and column (in characters) of a byte offset.
  void line_column(std::size_t offset, std::uint64_t* line, std::uint64_t* column) const;
  // "line 3, column 17: <error>" or "column 17: <error>" for one-line text.
  std::string where_error() const;

  bool fail(const char* why) { return fail_at(i_, why); }
  bool fail_at(std::size_t at, const char* why);
  // Failing because the text ended (a value cut short): more text could make it whole.
  bool fail_end(std::size_t at, const char* why) {
    hit_end_ = true;
    return fail_at(at, why);
  }
  bool hit_end() const { return hit_end_; }

 private:
  void skip_ws() {
    while (i_ < t_.size()) {
      const char c = t_[i_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
      ++i_;
    }
  }

  std::string_view t_;
  std::size_t i_ = 0;
  std::uint32_t max_depth_;
  std::string error_;
  std::size_t error_at_ = 0;
  bool hit_end_ = false;
};

}  // namespace eligo::records::detail
