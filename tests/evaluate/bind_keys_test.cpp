// Binding JSON keys and numbers by their fast paths (issue 11, P2): a key binds the field of exactly its
// name whatever order the document lists them in, and a number reads the same value by the 64-bit path as
// by the exact decimal parser.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "evaluate/pack_test_util.hpp"

using namespace eligo;
using eligo::test::compile_ok;

namespace {

// Names that share prefixes and lengths: "ab" is a prefix of "abc" and "abd", which differ in their last
// byte only; "ba" and "ab" hold the same bytes.
const char* kPack = R"PACK({
  "pack": "t.bind_keys", "version": "1",
  "inputs": {"r": {"fields": {"a": "number", "ab": "number", "abc": "number", "abd": "number", "b": "number",
                              "ba": "number", "bb": "number?", "n": "number"}}},
  "record": "r",
  "scores": [{"id": "s", "points": "r.a"}]
})PACK";

const std::vector<std::string> kNames = {"a", "ab", "abc", "abd", "b", "ba", "bb", "n"};

std::string errors_of(const Input& in) {
  std::string s;
  for (const auto& e : in.errors()) s += e.code + " " + e.path + ": " + e.message + "\n";
  return s;
}

// {"r": {name: value, ...}} with the fields in the given order, field k given the value k + 1.
std::string document(const std::vector<std::size_t>& order) {
  std::string s = "{\"r\": {";
  for (std::size_t i = 0; i < order.size(); ++i)
    s += (i ? ", \"" : "\"") + kNames[order[i]] + "\": " + std::to_string(order[i] + 1);
  return s + "}}";
}

}  // namespace

TEST_CASE("every key binds the field of its own name, in the declared order, reversed and shuffled", "[bind][p2]") {
  const Pack p = compile_ok(kPack);
  std::vector<std::size_t> order(kNames.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::vector<std::vector<std::size_t>> orders = {order};
  std::reverse(order.begin(), order.end());
  orders.push_back(order);
  orders.push_back({3, 2, 1, 0, 7, 6, 5, 4});
  orders.push_back({1, 3, 5, 7, 0, 2, 4, 6});
  orders.push_back({2, 3, 0, 1});  // some fields absent
  orders.push_back({6, 5, 4});
  Input in;  // reused, as hot loops do
  for (const auto& o : orders) {
    const std::string json = document(o);
    INFO(json);
    p.bind(json, &in);
    CHECK(errors_of(in).empty());
    for (std::size_t k = 0; k < kNames.size(); ++k) {
      const bool given = std::find(o.begin(), o.end(), k) != o.end();
      CHECK(in.text("r." + kNames[k]) == (given ? std::to_string(k + 1) : ""));
    }
  }
  // Flat records (options.group) bind by the same lookup.
  BindOptions flat;
  flat.group = "r";
  p.bind(R"({"abd": 4, "abc": 3, "ab": 2})", &in, flat);
  CHECK(errors_of(in).empty());
  CHECK(in.text("r.abd") == "4");
  CHECK(in.text("r.abc") == "3");
  CHECK(in.text("r.ab") == "2");
  CHECK(in.text("r.a") == "");
}

TEST_CASE("a key that is a prefix, an extension or a near neighbour of a field is no field", "[bind][p2]") {
  const Pack p = compile_ok(kPack);
  // After "a" the next declared field is "ab": keys close to it must not bind it.
  for (const char* key : {"abx", "abcd", "Ab", "ab ", "\\u0061b"}) {
    const std::string json = std::string(R"({"r": {"a": 1, ")") + key + R"(": 2}})";
    INFO(json);
    const Input in = p.bind(json);
    if (std::string(key) == "\\u0061b") {  // an escaped "ab" is "ab"
      CHECK(errors_of(in).empty());
      CHECK(in.text("r.ab") == "2");
      continue;
    }
    REQUIRE(in.errors().size() == 1);
    CHECK(in.errors()[0].code == "E3004");
    CHECK(in.text("r.ab") == "");
  }
  CHECK(errors_of(p.bind(R"({"r": {"a": 1, "abcd": 2}})")) ==
        "E3004 r.abcd: 'abcd' is not a field of this record (did you mean 'abc'?)\n");
  CHECK(errors_of(p.bind(R"({"r": {"ab": 1, "abx": 2}})")) ==
        "E3004 r.abx: 'abx' is not a field of this record (did you mean 'ab'?)\n");
}

TEST_CASE("a key given twice is located whether or not it is the field expected next", "[bind][p2]") {
  const Pack p = compile_ok(kPack);
  // "a" again where "ab" is expected; "ab" again right after itself; "abc" again after others.
  CHECK(errors_of(p.bind(R"({"r": {"a": 1, "a": 2}})")) == "E3005 r.a: given twice in one object\n");
  CHECK(errors_of(p.bind(R"({"r": {"a": 1, "ab": 2, "ab": 3}})")) == "E3005 r.ab: given twice in one object\n");
  CHECK(errors_of(p.bind(R"({"r": {"abc": 1, "abd": 2, "b": 3, "abc": 4}})")) == "E3005 r.abc: given twice in one object\n");
  const Input in = p.bind(R"({"r": {"ab": 7, "abc": 8, "ab": 9}})");
  CHECK(errors_of(in) == "E3005 r.ab: given twice in one object\n");
  CHECK(in.text("r.ab") == "7");  // the first value stays
  CHECK(in.text("r.abc") == "8");
}

TEST_CASE("numbers read by the 64-bit path equal the exact decimal reading, at every length", "[bind][p2]") {
  const Pack p = compile_ok(kPack);
  struct Case {
    const char* json;  // as written in the document
    const char* text;  // as bound (Input::text: the decimal with its scale as held)
  };
  const Case cases[] = {
      {"0", "0"},
      {"-0", "0"},
      {"7", "7"},
      {"-7", "-7"},
      {"12.50", "12.50"},
      {"-12.5", "-12.5"},
      {"0.001", "0.001"},
      {"-0.000", "0.000"},
      {"999999999999999999", "999999999999999999"},      // 18 digits: the 64-bit path's longest
      {"-999999999999999999", "-999999999999999999"},
      {"99999999999999999.9", "99999999999999999.9"},    // 18 digits with a point
      {"0.00000000000000001", "0.00000000000000001"},    // 18 digits, scale 17
      {"9223372036854775807", "9223372036854775807"},    // 19 digits: the exact parser
      {"9999999999999999999", "9999999999999999999"},
      {"-18446744073709551616", "-18446744073709551616"},
      {"0.000000000000000001", "0.000000000000000001"},  // scale 18
      {"1234567890123456789012345.125", "1234567890123456789012345.125"},
  };
  for (const Case& c : cases) {
    const std::string json = std::string(R"({"r": {"n": )") + c.json + "}}";
    INFO(json);
    const Input in = p.bind(json);
    CHECK(errors_of(in).empty());
    CHECK(in.text("r.n") == c.text);
  }
  // What neither path holds: located errors, as before.
  CHECK(errors_of(p.bind(R"({"r": {"n": 1e5}})")) ==
        "E3001 r.n: a number written with an exponent: write it as a plain decimal\n");
  CHECK(errors_of(p.bind(R"({"r": {"n": 0.0000000000000000001}})")) ==
        "E3001 r.n: a number with more digits than a decimal holds (37, 18 after the point)\n");
  CHECK(errors_of(p.bind(R"({"r": {"n": 12345678901234567890123456789012345678}})")) ==
        "E3001 r.n: a number with more digits than a decimal holds (37, 18 after the point)\n");
}
