// The expression language's lexer and parser: text → syntax tree with byte offsets into the text, so every
// later error can underline the exact sub-expression. Grammar and precedence: docs/rule-language.md §4.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eligo::compile {

struct Ast {
  enum class Kind : std::uint8_t {
    number, string, boolean, null, name, member, call, unary, binary, cond, list, range, lambda, in,
  };
  Kind kind = Kind::null;
  std::string text;  // number lexeme, string value, name, member name, operator, lambda parameter
  std::vector<std::unique_ptr<Ast>> kids;
  std::uint32_t begin = 0, end = 0;  // byte offsets in the expression text
  bool negated = false;              // `not in`
};

struct ParseError {
  std::uint32_t begin = 0, end = 0;
  std::string message;
  const char* code = "E1201";
};

struct ParseResult {
  std::unique_ptr<Ast> ast;
  std::optional<ParseError> error;
};

// `zh`: error messages in Chinese. Full-width punctuation (（）‘’，＝≥ …) and Chinese operator words (且 或 非)
// are reported with the ASCII spelling to use instead.
ParseResult parse_expression(std::string_view text, std::uint32_t max_depth, bool zh = false);

// A table row's test against the `on` value: "> 40" → op ">" and the expression after it; a value, list
// or range → op "" and the whole text parsed.
struct UnaryTest {
  std::string op;  // "", "==", "!=", "<", "<=", ">", ">="
  std::uint32_t offset = 0;  // where the operand starts
};
UnaryTest split_unary_test(std::string_view text);

}  // namespace eligo::compile
