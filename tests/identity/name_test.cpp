#include <catch2/catch.hpp>

#include "eligo/identity.hpp"

using namespace eligo::identity;

TEST_CASE("names map every look-alike dot to U+00B7", "[identity]") {
  const std::string expected = "阿依古丽\u00B7买买提";
  const char* dots[] = {"\u00B7", "\u30FB", "\uFF65", "\u2022", "\u2027", "\u2219", "\u22C5", "\u0387",
                        "\uFF0E", "\u2024", "\uFE52", ".",      "\u2E31", "\uA78F", "\u1427"};
  for (const char* dot : dots) {
    const std::string name = std::string("阿依古丽") + dot + "买买提";
    INFO(name);
    CHECK(normalize_name(name) == expected);
    CHECK(names_match(name, expected));
  }
}

TEST_CASE("names lose every kind of whitespace", "[identity]") {
  CHECK(normalize_name(" 张\u3000三 ") == "张三");
  CHECK(normalize_name("张\t三\n") == "张三");
  CHECK(normalize_name("张\u00A0三\u200B") == "张三");
  CHECK(names_match("阿依古丽 • 买买提", "阿依古丽·买买提"));
}

TEST_CASE("names are folded by NFKC: full-width letters, Kangxi radicals, compatibility ideographs", "[identity]") {
  CHECK(normalize_name("ＪＯＨＮ") == "JOHN");
  CHECK(normalize_name("\u2F00") == "\u4E00");  // KANGXI RADICAL ONE → 一
  CHECK(normalize_name("\uF9DC") == "\u9686");  // compatibility ideograph → 隆
  CHECK(names_match("李\uF9DC", "李\u9686"));
}

TEST_CASE("names count characters outside the BMP as one", "[identity]") {
  CHECK(name_length("𠀀") == 1);
  CHECK(name_length("张𪚥𫠝") == 3);  // CJK Ext B and Ext E
  CHECK(name_length("") == 0);
  CHECK(name_length("\xFF\xFE") == 2);  // each invalid byte counts once
  CHECK(normalize_name("𫠝") == "𫠝");
}

TEST_CASE("names match only on the same normalised text", "[identity]") {
  CHECK_FALSE(names_match("张三", "张四"));
  CHECK_FALSE(names_match("", ""));
  CHECK_FALSE(names_match("   ", " "));
  CHECK(names_match("张三", "张 三"));
  CHECK(normalize_name("\xFF") == "\uFFFD");
}
