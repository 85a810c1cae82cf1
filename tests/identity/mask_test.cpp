#include <catch2/catch.hpp>

#include "eligo/identity.hpp"

using namespace eligo::identity;

TEST_CASE("mask keeps the configured heads and tails", "[identity]") {
  CHECK(mask(PiiKind::id_number, "11010519491231002X") == "110105********002X");
  CHECK(mask(PiiKind::bank_card, "6214832018989180") == "621483******9180");
  CHECK(mask(PiiKind::mobile, "18012341999") == "180****1999");
  CHECK(mask(PiiKind::name, "段正淳") == "段**");
  MaskOptions options;
  options.id_head = 3;
  options.id_tail = 1;
  options.mask_char = U'＊';
  CHECK(mask(PiiKind::id_number, "11010519491231002X", options) == "110＊＊＊＊＊＊＊＊＊＊＊＊＊＊X");
}

TEST_CASE("mask fully masks values too short to keep head and tail", "[identity]") {
  CHECK(mask(PiiKind::id_number, "") == "");
  CHECK(mask(PiiKind::id_number, "1") == "*");
  CHECK(mask(PiiKind::id_number, "1234567890") == "**********");  // exactly 6 + 4
  CHECK(mask(PiiKind::id_number, "12345678901") == "123456*8901");
  CHECK(mask(PiiKind::mobile, "1801999") == "*******");
  CHECK(mask(PiiKind::name, "段") == "*");
  CHECK(mask(PiiKind::name, "段誉") == "段*");
}

TEST_CASE("mask counts code points and survives odd input", "[identity]") {
  CHECK(mask(PiiKind::name, "𠀀𠀁𠀂") == "𠀀**");
  CHECK(mask(PiiKind::id_number, "１１０１０５１９４９１２３１００２Ｘ") == "１１０１０５********００２Ｘ");
  CHECK(mask(PiiKind::name, "\xFF\xFE") == "\uFFFD*");
  CHECK(mask(PiiKind::id_number, "\xFF\xFE") == "**");
  CHECK(mask(PiiKind::bank_card, "6214 8320 1898 9180") == "621483******9180");
  CHECK(mask(PiiKind::mobile, "+86 180-1234-1999") == "+86180****1999");
  CHECK(mask(PiiKind::mobile, "008618012341999") == "0086180****1999");
  CHECK(mask(PiiKind::name, "  段正淳\u3000") == "段**");
  MaskOptions odd;
  odd.name_head = -3;
  odd.mask_char = 0xD800;  // a surrogate is no character: falls back to '*'
  CHECK(mask(PiiKind::name, "段正淳", odd) == "***");
  odd.id_head = 100;
  CHECK(mask(PiiKind::id_number, "11010519491231002X", odd) == "******************");
}

TEST_CASE("keyed hash joins legacy and 18-character forms without raw numbers", "[identity]") {
  // Reference values from an independent HMAC-SHA-256 implementation (Python's hmac module).
  CHECK(keyed_id_hash("portal-key", "610104196209276908") ==
        "ad0f1187f6a95fdfba1ecc6cca1f83c2483064d3ce9e597466c400a66fb26411");
  CHECK(keyed_id_hash("portal-key", "610104620927690") == keyed_id_hash("portal-key", "610104196209276908"));
  CHECK(keyed_id_hash("", "11010519491231002x") == "51252b5b149fa5e29dae30a60a411d3675cf25f2b7e5d1ad65797b86094b63b7");
  CHECK(keyed_id_hash("other-key", "610104196209276908") != keyed_id_hash("portal-key", "610104196209276908"));
  CHECK(keyed_id_hash("k", "１１０１０５１９４９１２３１００２ｘ") == keyed_id_hash("k", "11010519491231002X"));
}

TEST_CASE("id hasher gives the keyed hash for many IDs under one key", "[identity]") {
  IdHasher hasher("portal-key");
  CHECK(hasher.hash("610104196209276908") == "ad0f1187f6a95fdfba1ecc6cca1f83c2483064d3ce9e597466c400a66fb26411");
  CHECK(hasher.hash("610104620927690") == hasher.hash("610104196209276908"));
  CHECK(hasher.hash("11010519491231002X") == keyed_id_hash("portal-key", "11010519491231002X"));
  IdHasher moved = std::move(hasher);
  CHECK(moved.hash("610104196209276908") == "ad0f1187f6a95fdfba1ecc6cca1f83c2483064d3ce9e597466c400a66fb26411");
}
