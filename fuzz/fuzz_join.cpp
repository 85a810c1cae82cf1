// Fuzz target: `eligo batch --join` (src/batch/join.cpp). The bytes are a related table, read as CSV and as
// JSON Lines keyed by `id_number`, then looked up with keys taken from the same bytes (normalised: 15 → 18
// digits, full-width, x). The counts must add up: rows read = indexed + without a key + bad rows.
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "batch/join.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/eligo-fuzz-join-XXXXXX";
    const char* d = mkdtemp(tmpl);
    return std::string(d ? d : "/tmp");
  }();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const char* ext : {".csv", ".jsonl"}) {
    const std::string path = dir + "/related" + ext;
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return 0;
    if (size > 0) std::fwrite(data, 1, size, f);
    std::fclose(f);
    eligo::batch::JoinSpec spec;
    std::string error;
    if (!eligo::batch::JoinSpec::parse("stays=" + path + ":id_number", &spec, &error)) std::abort();
    eligo::batch::JoinIndex index;
    if (!index.load(spec, {}, &error)) {
      if (error.empty()) std::abort();
      continue;
    }
    // Look up every line of the input as a key, and each key twice (the "same person twice" count).
    std::size_t start = 0;
    for (int i = 0; i < 64 && start <= text.size(); ++i) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      const std::string_view key = text.substr(start, end - start);
      (void)index.find(key);
      (void)index.find(eligo::batch::normalize_key(key));
      start = end + 1;
    }
    const eligo::batch::JoinReport r = index.report();
    if (r.rows != r.indexed + r.missing_key + r.bad_rows) std::abort();
    if (r.keys > r.indexed || r.matched_keys + r.unmatched_keys != r.keys) std::abort();
    (void)r.to_text();
  }
  return 0;
}
