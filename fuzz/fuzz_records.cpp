// Fuzz target: the CSV / JSON Lines record readers of the blacklist and payout modules, on a file the
// bytes become. Bad rows must be reported, never crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "eligo/blacklist.hpp"
#include "eligo/payout.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/eligo-fuzz-XXXXXX";
    const char* d = mkdtemp(tmpl);
    return std::string(d ? d : "/tmp");
  }();
  for (const char* ext : {".csv", ".jsonl"}) {
    const std::string path = dir + "/input" + ext;
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return 0;
    if (size > 0) std::fwrite(data, 1, size, f);  // data may be null for the empty input
    std::fclose(f);
    eligo::blacklist::Builder builder;
    (void)eligo::blacklist::load_file(path, builder);
    (void)builder.build();
    eligo::payout::Reconciliation rec{eligo::payout::Options{}};
    eligo::payout::LoadStats stats;
    std::string error;
    const auto mapping = eligo::payout::default_mapping();
    eligo::payout::load_orders(path, mapping.orders, rec, &stats, &error, {});
    eligo::payout::load_records(path, mapping.bank, rec, &stats, &error, {});
    (void)rec.run();
  }
  return 0;
}
