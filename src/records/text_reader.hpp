// TextReader: a file (or standard input, or text in memory) read in chunks and handed out as UTF-8,
// whatever its encoding (ICU converters). UTF-8 input is checked as it is read: the first byte that is not
// valid UTF-8 stops the reading with its byte offset, never with the bytes themselves (they may be PII).
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include <unicode/ucnv.h>

namespace eligo::records::detail {

class TextReader {
 public:
  TextReader() = default;
  ~TextReader();
  TextReader(const TextReader&) = delete;
  TextReader& operator=(const TextReader&) = delete;

  // Opens `path` ("-" for standard input) as `encoding` ("utf-8", "gb18030", or any ICU converter name).
  // false and *error (naming the file) otherwise.
  bool open(const std::string& path, const std::string& encoding, std::string* error);
  // Reads from `text` instead of a file (already UTF-8 or in `encoding`).
  bool open_text(std::string text, const std::string& name, const std::string& encoding, std::string* error);
  // Appends up to about `chunk` bytes of UTF-8 to *out (a leading byte-order mark is dropped). false at the
  // end of the input, or on an error (then error() is not empty: unreadable, or bytes that are not valid in
  // the encoding, with their offset).
  bool read(std::string* out, std::size_t chunk = std::size_t{1} << 20);
  const std::string& error() const { return error_; }
  std::uint64_t bytes_read() const { return bytes_read_; }  // raw bytes consumed so far
  std::uint64_t size() const { return size_; }              // input size (0 when unknown)
  bool utf8() const { return converter_ == nullptr; }
  bool bom_skipped() const { return bom_skipped_; }
  // UTF-8 input is checked as it is read unless the caller checks it row by row (the record reader does,
  // so that one bad row is one rejected row).
  void set_check_utf8(bool check) { check_utf8_ = check; }

 private:
  bool set_encoding(const std::string& encoding, std::string* error);
  std::size_t take(char* into, std::size_t n);

  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  std::string memory_;
  std::size_t memory_pos_ = 0;
  bool from_memory_ = false;
  UConverter* converter_ = nullptr;  // null for UTF-8 input (passed through, checked)
  UConverter* utf8_ = nullptr;
  std::unique_ptr<char16_t[]> pivot_;
  char16_t* pivot_source_ = nullptr;
  char16_t* pivot_target_ = nullptr;
  bool first_ = true;
  bool eof_ = false;
  bool check_utf8_ = true;
  bool bom_skipped_ = false;
  std::string carry_;                // UTF-8: an incomplete sequence at the end of the last chunk
  std::uint64_t bytes_read_ = 0;
  std::uint64_t size_ = 0;
  std::string error_;
  std::string path_;
};

// The offset of the first byte of `s` that does not start a valid UTF-8 sequence, or s.size(). With
// `partial_ok`, a sequence cut short by the end of `s` is not an error: *tail is its length (else 0).
std::size_t utf8_valid_prefix(const char* s, std::size_t n, bool partial_ok, std::size_t* tail);

}  // namespace eligo::records::detail
