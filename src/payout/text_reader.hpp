// TextReader: a file read in chunks and handed out as UTF-8, whatever its encoding (ICU converters).
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include <unicode/ucnv.h>

namespace eligo::payout::detail {

class TextReader {
 public:
  TextReader() = default;
  ~TextReader();
  TextReader(const TextReader&) = delete;
  TextReader& operator=(const TextReader&) = delete;

  // Opens `path` as `encoding` ("utf-8", "gb18030", or any ICU converter name). false and *error otherwise.
  bool open(const std::string& path, const std::string& encoding, std::string* error);
  // Appends up to about `chunk` bytes of UTF-8 to *out. false at the end of the file, or on an error
  // (then error() is not empty: unreadable, or bytes that are not valid in the encoding).
  bool read(std::string* out, std::size_t chunk = std::size_t{1} << 20);
  const std::string& error() const { return error_; }
  std::uint64_t bytes_read() const { return bytes_read_; }  // raw bytes consumed so far
  std::uint64_t size() const { return size_; }              // file size (0 when unknown)
  bool utf8() const { return converter_ == nullptr; }

 private:
  std::FILE* file_ = nullptr;
  UConverter* converter_ = nullptr;  // null for UTF-8 input (passed through)
  UConverter* utf8_ = nullptr;
  std::unique_ptr<char16_t[]> pivot_;
  char16_t* pivot_source_ = nullptr;
  char16_t* pivot_target_ = nullptr;
  bool first_ = true;
  bool eof_ = false;
  std::uint64_t bytes_read_ = 0;
  std::uint64_t size_ = 0;
  std::string error_;
  std::string path_;
};

}  // namespace eligo::payout::detail
