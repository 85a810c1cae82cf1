// The data path's JSON reader (src/records/json_cursor): its string scan reads eight bytes at a time and
// skips the UTF-8 check for ASCII-only strings. These cases put every kind of byte that stops or taints a
// string at every position of strings around the word boundaries, and compare with what the byte-by-byte
// reading of RFC 8259 gives.
#include <catch2/catch.hpp>

#include <string>

#include "records/json_cursor.hpp"

using eligo::records::detail::JsonCursor;

namespace {

struct Read {
  bool ok = false;
  std::string value, error;
  std::size_t offset = 0;
};

Read read_string(const std::string& json) {
  JsonCursor c(json);
  std::string_view v;
  std::string scratch;
  Read r;
  r.ok = c.string(&v, &scratch);
  if (r.ok) r.value.assign(v);
  r.error = c.error();
  r.offset = r.ok ? c.offset() : c.error_offset();
  return r;
}

}  // namespace

TEST_CASE("json cursor: plain strings of every length around the eight-byte scan", "[records][json]") {
  for (std::size_t len = 0; len <= 40; ++len) {
    const std::string body(len, 'a');
    const Read r = read_string("\"" + body + "\" ,");
    INFO("length " << len);
    REQUIRE(r.ok);
    CHECK(r.value == body);
    CHECK(r.offset == len + 2);  // just past the closing quote
  }
}

TEST_CASE("json cursor: a quote, an escape or a control character at every position", "[records][json]") {
  for (std::size_t len = 1; len <= 33; ++len) {
    for (std::size_t at = 0; at < len; ++at) {
      INFO("length " << len << ", at " << at);
      std::string body(len, 'x');
      // The string ends at the first quote.
      body[at] = '"';
      Read r = read_string("\"" + body + "\"");
      REQUIRE(r.ok);
      CHECK(r.value == std::string(at, 'x'));
      CHECK(r.offset == at + 2);
      // An escape is decoded wherever it starts.
      std::string esc(len, 'x');
      esc.replace(at, 1, "\\n");
      r = read_string("\"" + esc + "\"");
      REQUIRE(r.ok);
      std::string want(len, 'x');
      want[at] = '\n';
      CHECK(r.value == want);
      // A raw control character is an error at its own byte.
      for (const char ctl : {'\x01', '\x1f', '\t', '\0'}) {
        std::string bad(len, 'x');
        bad[at] = ctl;
        r = read_string("\"" + bad + "\"");
        CHECK_FALSE(r.ok);
        CHECK(r.error.rfind("a control character inside a string", 0) == 0);
        CHECK(r.offset == at + 1);
      }
    }
  }
}

TEST_CASE("json cursor: UTF-8 at every position is checked, ASCII around it or not", "[records][json]") {
  const std::string good = "\xE5\xBC\xA0";   // 张
  for (std::size_t len = 0; len <= 24; ++len) {
    for (std::size_t at = 0; at <= len; ++at) {
      INFO("length " << len << ", at " << at);
      std::string body(len, 'y');
      body.insert(at, good);
      Read r = read_string("\"" + body + "\"");
      REQUIRE(r.ok);
      CHECK(r.value == body);
      for (const std::string bad : {"\xE5\xBC", "\xFF", "\xC0\xAF", "\x80", "\xED\xA0\x80"}) {
        std::string b(len, 'y');
        b.insert(at, bad);
        r = read_string("\"" + b + "\"");
        CHECK_FALSE(r.ok);
        CHECK(r.error == "a string that is not valid UTF-8");
        CHECK(r.offset == 1);
      }
    }
  }
}

TEST_CASE("json cursor: bytes that look like the stop characters with the high bit set are text", "[records][json]") {
  // 0xA2 and 0xDC are '"' and '\\' with the high bit; 0x80..0x9F are controls with it: in UTF-8 they are
  // continuation bytes, valid inside a character.
  const std::string text = "\xC2\xA2\xC3\x9C\xC2\x80\xC2\x9F abcdefgh \xE2\x80\xA2";
  const Read r = read_string("\"" + text + "\"");
  REQUIRE(r.ok);
  CHECK(r.value == text);
  const Read unclosed = read_string("\"" + text);
  CHECK_FALSE(unclosed.ok);
  CHECK(unclosed.error == "a string is not closed");
}
