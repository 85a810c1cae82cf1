// Fuzz target: the record reader's xlsx path (src/records/xlsx_reader.cpp: minizip for the zip container, expat
// for the workbook, shared strings and sheet XML) on a workbook the bytes become. Every file must end in rows,
// bad rows or one error naming the file, never a crash; bad rows say why.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "eligo/records.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = [] {
    char tmpl[] = "/tmp/eligo-fuzz-xlsx-XXXXXX";
    const char* d = mkdtemp(tmpl);
    return std::string(d ? d : "/tmp") + "/input.xlsx";
  }();
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  if (size > 0) std::fwrite(data, 1, size, f);  // data may be null for the empty input
  std::fclose(f);
  eligo::records::RecordReader reader;
  std::string error;
  if (!reader.open(path, {}, &error)) {
    if (error.empty()) std::abort();  // a refused file says why
    return 0;
  }
  for (int guard = 0; guard < 1000000; ++guard) {
    const eligo::records::Next n = reader.next();
    if (n == eligo::records::Next::end) break;
    if (n == eligo::records::Next::error) {
      if (reader.error().empty()) std::abort();
      break;
    }
    if (n == eligo::records::Next::bad_row && reader.problem().empty()) std::abort();
    if (n == eligo::records::Next::row && reader.cells().size() != reader.header().size()) std::abort();
  }
  return 0;
}
