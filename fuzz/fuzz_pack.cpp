// Fuzz target: rule-pack text → load and compile (JSON reader, structure checks, expression parser,
// type checker). Must never crash, whatever the bytes; diagnostics are values.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "eligo/pack.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  eligo::CompileResult r = eligo::compile_text(text, "fuzz.pack.json");
  (void)r.diagnostics.to_string();
  return 0;
}
