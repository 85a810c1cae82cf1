// TextReader: chunked reading with streaming conversion to UTF-8 (ICU ucnv_convertEx with a kept pivot).
#include "payout/text_reader.hpp"

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>

#include <cstring>

namespace eligo::payout::detail {
namespace {

constexpr std::size_t kPivot = 4096;

bool is_utf8_name(std::string encoding) {
  for (char& c : encoding) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return encoding.empty() || encoding == "utf-8" || encoding == "utf8";
}

}  // namespace

TextReader::~TextReader() {
  if (file_) std::fclose(file_);
  if (converter_) ucnv_close(converter_);
  if (utf8_) ucnv_close(utf8_);
}

bool TextReader::open(const std::string& path, const std::string& encoding, std::string* error) {
  path_ = path;
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) {
    *error = path + ": cannot open the file";
    return false;
  }
  if (std::fseek(file_, 0, SEEK_END) == 0) {
    const long size = std::ftell(file_);
    if (size > 0) size_ = static_cast<std::uint64_t>(size);
    std::fseek(file_, 0, SEEK_SET);
  }
  if (is_utf8_name(encoding)) return true;
  UErrorCode status = U_ZERO_ERROR;
  converter_ = ucnv_open(encoding.c_str(), &status);
  if (U_FAILURE(status)) {
    converter_ = nullptr;
    *error = path + ": unknown encoding '" + encoding + "'";
    return false;
  }
  ucnv_setToUCallBack(converter_, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  utf8_ = ucnv_open("UTF-8", &status);
  if (U_FAILURE(status)) {
    *error = path + ": cannot open the UTF-8 converter";
    return false;
  }
  pivot_.reset(new char16_t[kPivot]);
  pivot_source_ = pivot_target_ = pivot_.get();
  return true;
}

bool TextReader::read(std::string* out, std::size_t chunk) {
  if (!error_.empty() || eof_) return false;
  const std::size_t start = out->size();
  std::string bytes(chunk, '\0');
  const std::size_t got = std::fread(bytes.data(), 1, chunk, file_);
  if (got < chunk) {
    if (std::ferror(file_)) {
      error_ = path_ + ": read error";
      return false;
    }
    eof_ = true;
  }
  bytes.resize(got);
  const std::uint64_t before = bytes_read_;
  bytes_read_ += got;
  if (!converter_) {
    out->append(bytes);
  } else {
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
        error_ = path_ + ": bytes that are not valid in the file's encoding near byte " +
                 std::to_string(before + static_cast<std::uint64_t>(src - bytes.data())) +
                 " (is the encoding in the mapping right?)";
        return false;
      }
      break;
    }
  }
  if (before == 0 && out->size() - start >= 3 && std::memcmp(out->data() + start, "\xEF\xBB\xBF", 3) == 0)
    out->erase(start, 3);  // byte-order mark
  return got > 0 || out->size() > start;
}

}  // namespace eligo::payout::detail
