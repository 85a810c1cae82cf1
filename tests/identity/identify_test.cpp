#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cli/commands.hpp"
#include "eligo/identity.hpp"

using namespace eligo;
using namespace eligo::identity;

namespace {

IdentifyOptions on(const char* date) {
  IdentifyOptions options;
  options.id.as_of = *Date::parse(date);
  return options;
}

struct Run {
  int status;
  std::string out;
  std::string err;
};

Run run_id(const cli::Args& args, const std::string& input = "") {
  std::istringstream in(input);
  std::ostringstream out, err;
  cli::Io io{in, out, err};
  const int status = cli::cmd_id(args, io);
  return {status, out.str(), err.str()};
}

std::string golden(const std::string& name) {
  std::ifstream file(std::string(ELIGO_TEST_DIR) + "/identity/golden/" + name, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("identify tells the done-when numbers apart", "[identity]") {
  const IdentifyOptions options = on("2024-06-01");
  const Identified legacy = identify("610104620927690", options);
  CHECK(legacy.kind == NumberKind::id);
  CHECK(legacy.id.kind == IdKind::resident_legacy);
  CHECK(legacy.valid());
  const Identified resident = identify("11010519491231002x", options);
  CHECK(resident.kind == NumberKind::id);
  CHECK(resident.id.kind == IdKind::resident);
  CHECK(resident.valid());
  const Identified credit = identify("9144030071526726XG", options);
  CHECK(credit.kind == NumberKind::credit_code);
  CHECK(credit.valid());
}

TEST_CASE("identify recognises cards, mobiles and numbers of no kind", "[identity]") {
  const IdentifyOptions options = on("2024-06-01");
  CHECK(identify("6214832018989180", options).kind == NumberKind::bank_card);
  CHECK(identify("6214 8320 1898 9180", options).kind == NumberKind::bank_card);
  CHECK(identify("18012341999", options).kind == NumberKind::mobile);
  CHECK(identify("+86 18012341999", options).kind == NumberKind::mobile);
  CHECK(identify("hello", options).kind == NumberKind::unknown);
  CHECK(identify("KAZ110090123105", options).id.kind == IdKind::foreign_permanent_legacy);
  CHECK(identify("911100001000002860", options).kind == NumberKind::credit_code);  // all digits, not an ID
  CHECK(identify("622202123456789012", options).kind == NumberKind::bank_card);   // 18 digits, Luhn ok, no date
  const Identified missing_last = identify("11010519491231002", options);  // 17 digits reading as an ID body
  CHECK(missing_last.kind == NumberKind::id);
  CHECK(missing_last.id.problem == IdProblem::length);
  CHECK(identify("62148320189891801", options).kind == NumberKind::bank_card);  // 17 digits, no date inside
  const Identified typo = identify("110105194912310021", options);
  CHECK(typo.kind == NumberKind::id);
  CHECK(typo.id.problem == IdProblem::check_character);
}

TEST_CASE("eligo id prints kinds, answers and fields for each argument", "[identity][cli]") {
  const Run r = run_id({"--as-of", "2024-06-01", "610104620927690", "11010519491231002x", "9144030071526726XG",
                        "110105194912310021", "00000019491231002X", "6214832018989180", "+86 180 1234 1999",
                        "KAZ110090123105", "hello"});
  CHECK(r.status == 1);
  CHECK(r.err.empty());
  CHECK(r.out == golden("id_text.txt"));
}

TEST_CASE("eligo id reads standard input and writes JSON lines", "[identity][cli]") {
  const Run r = run_id({"--as-of", "2024-06-01", "--format", "json"}, "610104620927690\n\n11010519491231002x\r\n");
  CHECK(r.status == 0);
  CHECK(r.out == golden("id_json.txt"));
}

TEST_CASE("eligo id gives reasons in Chinese", "[identity][cli]") {
  const Run r = run_id({"--as-of", "2024-06-01", "--lang", "zh", "110105194912310021"});
  CHECK(r.out == "110105********0021  id:resident  invalid: 校验码为 1，应为 X  birth_date=1949-12-31  age=74  "
                 "sex=female  region=110105  region_name=\"北京市 朝阳区\"\n");
}

TEST_CASE("eligo id masks values", "[identity][cli]") {
  const Run r = run_id({"--mask", "11010519491231002X", "6214832018989180", "18012341999", "段正淳"});
  CHECK(r.status == 0);
  CHECK(r.out == "110105********002X\n621483******9180\n180****1999\n段**\n");
  CHECK(run_id({"--mask", "--kind", "name", "--head", "0", "段正淳"}).out == "***\n");
}

TEST_CASE("eligo id reveals numbers only when asked", "[identity][cli]") {
  const Run r = run_id({"--as-of", "2024-06-01", "--reveal", "610104620927690"});
  CHECK(r.out.find("canonical=610104196209276908") != std::string::npos);
  CHECK(run_id({"--as-of", "2024-06-01", "610104620927690"}).out.find("610104196209276908") == std::string::npos);
}

TEST_CASE("eligo id rejects bad options with status 2", "[identity][cli]") {
  CHECK(run_id({"--format", "xml", "1"}).status == 2);
  CHECK(run_id({"--as-of", "tomorrow", "1"}).status == 2);
  CHECK(run_id({"--bogus"}).status == 2);
  CHECK(run_id({"--help"}).status == 0);
}

TEST_CASE("eligo id hashes IDs with the key from the environment", "[identity][cli]") {
  ::unsetenv("ELIGO_HASH_KEY");
  CHECK(run_id({"--hash", "610104620927690"}).status == 2);
  ::setenv("ELIGO_HASH_KEY", "portal-key", 1);
  const Run r = run_id({"--hash", "610104620927690", "610104196209276908"});
  ::unsetenv("ELIGO_HASH_KEY");
  CHECK(r.status == 0);
  CHECK(r.out == "ad0f1187f6a95fdfba1ecc6cca1f83c2483064d3ce9e597466c400a66fb26411\n"
                 "ad0f1187f6a95fdfba1ecc6cca1f83c2483064d3ce9e597466c400a66fb26411\n");
}

TEST_CASE("an 18-digit number with a region code is a mistyped ID first, its card reading mentioned", "[identity]") {
  const IdentifyOptions options = on("2024-06-01");
  // Region 110105, month 13, Luhn passes: reported as an invalid ID (birth date), not a valid card.
  const Identified bad_date = identify("110105194913300002", options);
  CHECK(bad_date.kind == NumberKind::id);
  CHECK(bad_date.id.problem == IdProblem::birth_date);
  CHECK(bad_date.also == NumberKind::bank_card);
  const Identified bad_check = identify("110105194912310002", options);
  CHECK(bad_check.kind == NumberKind::id);
  CHECK(bad_check.id.problem == IdProblem::check_character);
  CHECK(bad_check.also == NumberKind::bank_card);
  // No region code in front: still a card (622202 is no region).
  CHECK(identify("622202123456789012", options).kind == NumberKind::bank_card);
  CHECK(identify("622202123456789012", options).also == NumberKind::unknown);
  CHECK(identify("11010519491231002X", options).also == NumberKind::unknown);
}

TEST_CASE("identify_as checks a value as the kind the caller names", "[identity]") {
  const IdentifyOptions options = on("2024-06-01");
  const Identified card_shaped = identify_as(NumberKind::id, "6222021234567890128", options);
  CHECK(card_shaped.kind == NumberKind::id);
  CHECK_FALSE(card_shaped.valid());
  CHECK(identify_as(NumberKind::bank_card, "110105194912310021", options).kind == NumberKind::bank_card);
  CHECK(identify_as(NumberKind::mobile, "18012341999", options).valid());
  CHECK(identify_as(NumberKind::credit_code, "9144030071526726XG", options).valid());
  CHECK(identify_as(NumberKind::unknown, "18012341999", options).kind == NumberKind::mobile);
}

TEST_CASE("eligo id --kind checks a column as one kind", "[identity][cli]") {
  const Run ids = run_id({"--as-of", "2024-06-01", "--kind", "id", "11010519491231002X", "6222021234567890128"});
  CHECK(ids.status == 1);
  CHECK(ids.out ==
        "110105********002X  id:resident  valid  birth_date=1949-12-31  age=74  sex=female  region=110105  "
        "region_name=\"北京市 朝阳区\"\n"
        "622202*********0128  id:unknown  invalid: length is 19 characters, expected 18 (or 15 for a legacy "
        "number)\n");
  const Run detected = run_id({"--as-of", "2024-06-01", "110105194913300002"});
  CHECK(detected.status == 1);
  CHECK(detected.out.find("110105********0002  id:resident  invalid: ") == 0);
  CHECK(detected.out.find("also=bank_card (the other reading)\n") != std::string::npos);
  const Run json = run_id({"--as-of", "2024-06-01", "--format", "json", "110105194913300002"});
  CHECK(json.out.find("\"also\":\"bank_card\"") != std::string::npos);
  CHECK(run_id({"--kind", "card", "6222021234567890128"}).status == 0);
  CHECK(run_id({"--kind", "credit_code", "9144030071526726XG"}).status == 0);
  CHECK(run_id({"--kind", "mobile", "18012341999"}).status == 0);
  CHECK(run_id({"--kind", "name", "x"}).status == 2);  // names are masked, not checked
  CHECK(run_id({"--kind", "passport", "x"}).status == 2);
}
