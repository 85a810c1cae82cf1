// A line-buffered stream that writes each line through identity::mask_pii_runs: the CLI's messages on
// standard error never carry a valid ID, card or mobile number in clear (R8, docs/identity.md).
#pragma once

#include <ostream>
#include <streambuf>
#include <string>

#include "eligo/identity.hpp"

namespace eligo::cli {

class MaskingBuf : public std::streambuf {
 public:
  explicit MaskingBuf(std::ostream& target) : target_(target) {}
  ~MaskingBuf() override { flush_line(); }

 protected:
  int_type overflow(int_type ch) override {
    if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
    line_ += traits_type::to_char_type(ch);
    if (ch == '\n') flush_line();
    return ch;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    for (std::streamsize i = 0; i < n; ++i) overflow(traits_type::to_int_type(s[i]));
    return n;
  }
  int sync() override {
    flush_line();
    return target_.flush() ? 0 : -1;
  }

 private:
  void flush_line() {
    if (line_.empty()) return;
    target_ << identity::mask_pii_runs(line_);
    line_.clear();
  }
  std::ostream& target_;
  std::string line_;
};

}  // namespace eligo::cli
