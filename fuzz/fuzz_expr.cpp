// Fuzz target: the expression parser alone (src/compile/expr_parser), without the JSON around it, so the
// fuzzer spends its time on the grammar: any bytes parse to a tree or a located error, never a crash, and
// every node's byte range lies inside the text (the caret lines depend on it).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "compile/expr_parser.hpp"

namespace {

void check_ranges(const eligo::compile::Ast& n, std::size_t size, int depth) {
  if (n.begin > n.end || n.end > size || depth > 10000) __builtin_trap();
  for (const auto& k : n.kids)
    if (k) check_ranges(*k, size, depth + 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto r = eligo::compile::parse_expression(text, 128);
  if (r.ast) check_ranges(*r.ast, size, 0);
  // An error at the end of the text underlines one column past it ("expected an expression" after "a +").
  if (r.error && (r.error->begin > r.error->end || r.error->end > size + 1)) __builtin_trap();
  if (!r.ast && !r.error) __builtin_trap();  // neither a tree nor a reason
  const auto t = eligo::compile::split_unary_test(text);
  if (t.offset > size) __builtin_trap();
  return 0;
}
