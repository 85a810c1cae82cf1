// Fuzz target: the C API with hostile arguments — the first bytes choose an entry point, the rest is its
// text. Must never crash or leak an exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "eligo/eligo.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  char* out = nullptr;
  switch (data[0] % 5) {
    case 0: {
      eligo_pack* pack = nullptr;
      eligo_diagnostics* diags = nullptr;
      eligo_pack_compile_text(text.data(), text.size(), nullptr, &pack, &diags);
      for (std::size_t i = 0; i < eligo_diagnostics_count(diags); ++i) {
        eligo_diagnostic d;
        eligo_diagnostics_get(diags, i, &d);
      }
      if (pack) {
        eligo_pack_evaluate(pack, text.data(), text.size(), nullptr, &out);
        eligo_free(out);
        out = nullptr;
        eligo_pack_evaluate_batch(pack, text.data(), text.size(), nullptr, &out);
      }
      eligo_diagnostics_destroy(diags);
      eligo_pack_destroy(pack);
      break;
    }
    case 1: eligo_id_check(text.c_str(), nullptr, &out); break;
    case 2: eligo_mask("name", text.c_str(), &out); break;
    case 3: eligo_reconcile(text.c_str(), &out); break;
    case 4: {
      eligo_options* o = nullptr;
      eligo_options_create(&o);
      eligo_options_set_as_of(o, text.c_str());
      eligo_options_set_lang(o, text.c_str());
      eligo_options_set_mode(o, text.c_str());
      eligo_options_destroy(o);
      break;
    }
  }
  eligo_free(out);
  return 0;
}
