// TextReader: chunked reading with streaming conversion to UTF-8 (ICU ucnv_convertEx with a kept pivot).
#include "records/text_reader.hpp"

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace eligo::records::detail {
namespace {

constexpr std::size_t kPivot = 4096;

bool is_utf8_name(std::string encoding) {
  for (char& c : encoding) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return encoding.empty() || encoding == "utf-8" || encoding == "utf8";
}

}  // namespace

std::size_t utf8_valid_prefix(const char* s, std::size_t n, bool partial_ok, std::size_t* tail) {
  std::size_t i = 0;
  if (tail) *tail = 0;
  for (;;) {
    // ASCII fast path, eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) return n;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    char32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) {
      for (std::size_t k = i + 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[k]) & 0xC0) != 0x80) return i;
      if (partial_ok && tail) {
        *tail = n - i;
        return n;
      }
      return i;
    }
    for (std::size_t k = 1; k < len; ++k) {
      const unsigned char d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return i;
      cp = cp << 6 | (d & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
}

TextReader::~TextReader() {
  if (file_ && owns_file_) std::fclose(file_);
  if (converter_) ucnv_close(converter_);
  if (utf8_) ucnv_close(utf8_);
}

bool TextReader::set_encoding(const std::string& encoding, std::string* error) {
  if (is_utf8_name(encoding)) return true;
  UErrorCode status = U_ZERO_ERROR;
  converter_ = ucnv_open(encoding.c_str(), &status);
  if (U_FAILURE(status)) {
    converter_ = nullptr;
    *error = path_ + ": unknown encoding '" + encoding + "'";
    return false;
  }
  ucnv_setToUCallBack(converter_, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  utf8_ = ucnv_open("UTF-8", &status);
  if (U_FAILURE(status)) {
    *error = path_ + ": cannot open the UTF-8 converter";
    return false;
  }
  pivot_.reset(new char16_t[kPivot]);
  pivot_source_ = pivot_target_ = pivot_.get();
  return true;
}

bool TextReader::open(const std::string& path, const std::string& encoding, std::string* error) {
  path_ = path == "-" ? std::string("<stdin>") : path;
  if (path == "-") {
    file_ = stdin;
    owns_file_ = false;
  } else {
    file_ = std::fopen(path.c_str(), "rb");
    if (!file_) {
      *error = path + ": cannot open the file (" + std::strerror(errno) + ")";
      return false;
    }
    owns_file_ = true;
    if (std::fseek(file_, 0, SEEK_END) == 0) {
      const long size = std::ftell(file_);
      if (size > 0) size_ = static_cast<std::uint64_t>(size);
      std::fseek(file_, 0, SEEK_SET);
    }
  }
  return set_encoding(encoding, error);
}

bool TextReader::open_text(std::string text, const std::string& name, const std::string& encoding, std::string* error) {
  path_ = name;
  memory_ = std::move(text);
  from_memory_ = true;
  size_ = memory_.size();
  return set_encoding(encoding, error);
}

std::size_t TextReader::take(char* into, std::size_t n) {
  if (from_memory_) {
    const std::size_t k = std::min(n, memory_.size() - memory_pos_);
    std::memcpy(into, memory_.data() + memory_pos_, k);
    memory_pos_ += k;
    return k;
  }
  return std::fread(into, 1, n, file_);
}

bool TextReader::read(std::string* out, std::size_t chunk) {
  if (!error_.empty() || eof_) return false;
  const std::size_t start = out->size();
  const std::uint64_t before = bytes_read_;
  // Text in memory: room for what is left (and one byte more, so that the end is seen now), not a whole
  // chunk zeroed for a short text.
  if (from_memory_) chunk = std::min(chunk, memory_.size() - memory_pos_ + 1);
  std::size_t got;
  if (!converter_) {
    // UTF-8: read straight into *out, after what was left of an incomplete sequence.
    out->append(carry_);
    const std::size_t at = out->size();
    out->resize(at + chunk);
    got = take(out->data() + at, chunk);
    out->resize(at + got);
    if (got < chunk) {
      if (!from_memory_ && std::ferror(file_)) {
        error_ = path_ + ": read error";
        return false;
      }
      eof_ = true;
    }
    bytes_read_ += got;
    if (!check_utf8_) {
      carry_.clear();
      if (before == 0 && out->size() - start >= 3 && std::memcmp(out->data() + start, "\xEF\xBB\xBF", 3) == 0)
      {
        out->erase(start, 3);  // byte-order mark
        bom_skipped_ = true;
      }
      return got > 0 || out->size() > start;
    }
    const std::size_t check_from = start;
    std::size_t tail = 0;
    const std::size_t n = out->size() - check_from;
    const std::size_t ok = utf8_valid_prefix(out->data() + check_from, n, !eof_, &tail);
    if (ok < n) {
      const std::uint64_t offset = before - carry_.size() + ok;
      error_ = path_ + ": bytes that are not valid UTF-8 at byte offset " + std::to_string(offset) +
               " (if the file is GB18030 or GBK, give its encoding)";
      out->resize(start);
      return false;
    }
    carry_.assign(out->data() + out->size() - tail, tail);
    out->resize(out->size() - tail);
  } else {
    std::string bytes(chunk, '\0');
    got = take(bytes.data(), chunk);
    if (got < chunk) {
      if (!from_memory_ && std::ferror(file_)) {
        error_ = path_ + ": read error";
        return false;
      }
      eof_ = true;
    }
    bytes.resize(got);
    bytes_read_ += got;
    const char* src = bytes.data();
    const char* src_end = src + bytes.size();
    for (;;) {
      const std::size_t at = out->size();
      out->resize(at + (src_end - src) * 3 + 64);
      char* target = out->data() + at;
      char* target_end = out->data() + out->size();
      UErrorCode status = U_ZERO_ERROR;
      ucnv_convertEx(utf8_, converter_, &target, target_end, &src, src_end, pivot_.get(), &pivot_source_,
                     &pivot_target_, pivot_.get() + kPivot, first_, eof_, &status);
      first_ = false;
      out->resize(target - out->data());
      if (status == U_BUFFER_OVERFLOW_ERROR) continue;
      if (U_FAILURE(status)) {
        error_ = path_ + ": bytes that are not valid in the encoding near byte offset " +
                 std::to_string(before + static_cast<std::uint64_t>(src - bytes.data())) +
                 " (is the encoding right?)";
        return false;
      }
      break;
    }
  }
  if (before == 0 && out->size() - start >= 3 && std::memcmp(out->data() + start, "\xEF\xBB\xBF", 3) == 0)
  {
    out->erase(start, 3);  // byte-order mark
    bom_skipped_ = true;
  }
  return got > 0 || out->size() > start;
}

}  // namespace eligo::records::detail
