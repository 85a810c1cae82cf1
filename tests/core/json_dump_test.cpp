// Every JSON eligo writes from a nlohmann value goes through eligo::json_dump (src/core/json_dump.hpp): a value
// carrying invalid UTF-8 — here a file name — becomes U+FFFD instead of an exception. Before it, `eligo blacklist
// stats --format json` on a store whose name was not UTF-8 ended the process (std::terminate, exit 134).
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "blacklist/helpers.hpp"
#include "cli/commands.hpp"
#include "core/json_dump.hpp"

using namespace eligo;

TEST_CASE("json_dump writes invalid UTF-8 as U+FFFD, valid text unchanged", "[core][json]") {
  nlohmann::json j{{"name", std::string("bl\xff.sqlite")}, {"ok", "越秀区"}};
  CHECK(json_dump(j) == "{\"name\":\"bl\xEF\xBF\xBD.sqlite\",\"ok\":\"越秀区\"}");
  CHECK(json_dump(nlohmann::json::array({1, 2}), 1) == "[\n 1,\n 2\n]");
}

TEST_CASE("eligo blacklist stats --format json on a store whose name is not UTF-8", "[core][json][blacklist]") {
  blacklist_test::TempDir dir;
  const std::string db = dir.file("list\xff.sqlite"), csv = dir.file("list.csv");
  std::ofstream(csv, std::ios::binary) << "id_number,scopes,reason_code,reason_text,source,listed_on,from,until\n"
                                          "610104620927690,*,SW02,重大税收违法,市税务局,2023-07-01,,\n";
  auto run = [](const cli::Args& args) {
    std::istringstream in;
    std::ostringstream out, err;
    cli::Io io{in, out, err};
    const int status = cli::cmd_blacklist(args, io);
    return std::make_pair(status, out.str());
  };
  REQUIRE(run({"import", csv, "--db", db}).first == 0);
  const auto [status, out] = run({"stats", "--db", db, "--format", "json"});
  CHECK(status == 0);
  const nlohmann::json stats = nlohmann::json::parse(out);
  CHECK(stats["store"] == db.substr(0, db.size() - 8) + "\xEF\xBF\xBD.sqlite");
  CHECK(stats["entries"] == 1);
}
