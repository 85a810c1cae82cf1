// eligo diff on the two Guangzhou points tables (2018 试行 and 2021) over the sample applicants.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "eligo/admission.hpp"

using namespace eligo;

namespace {

Pack pack(const std::string& file) {
  CompileResult r = compile_file(std::string(ELIGO_SOURCE_DIR) + "/rules/gz-points/" + file);
  REQUIRE(r.pack);
  return *r.pack;
}

std::vector<std::string> population() {
  std::ifstream f(std::string(ELIGO_SOURCE_DIR) + "/examples/applicants/gz-points.jsonl");
  std::vector<std::string> lines;
  for (std::string l; std::getline(f, l);)
    if (!l.empty()) lines.push_back(l);
  return lines;
}

}  // namespace

TEST_CASE("diff of the 2018 and 2021 Guangzhou tables counts who moves, per indicator, with the top movers", "[admission][diff]") {
  const Pack old_pack = pack("gz-points-2018.pack.json");
  const Pack new_pack = pack("gz-points-2021.pack.json");
  admission::DiffOptions options;
  options.old_as_of = *Date::parse("2021-11-15");  // the last day of the 2018 rules
  options.new_as_of = *Date::parse("2021-11-16");  // the first of the 2021 rules
  options.top = 3;
  options.key = "applicant.id_number";
  admission::Differ differ(old_pack, new_pack, options);
  const auto lines = population();
  REQUIRE(lines.size() == 6);
  for (std::size_t i = 0; i < lines.size(); ++i) differ.add(i + 1, lines[i]);
  const admission::DiffResult r = differ.finish();

  // The same figures straight from the two packs' decisions.
  EvalOptions eo, en;
  eo.as_of = options.old_as_of;
  en.as_of = options.new_as_of;
  std::uint64_t up = 0, down = 0, same = 0;
  Decimal old_sum, new_sum;
  for (const auto& l : lines) {
    const Decision o = old_pack.evaluate(l, eo), n = new_pack.evaluate(l, en);
    REQUIRE(o.verdict != Verdict::error);
    REQUIRE(n.verdict != Verdict::error);
    Decimal::add(old_sum, o.total, &old_sum);
    Decimal::add(new_sum, n.total, &new_sum);
    const int c = Decimal::compare(n.total, o.total);
    (c > 0 ? up : c < 0 ? down : same)++;
  }
  CHECK(r.applicants == 6);
  CHECK(r.old_pack == "cn.gz.points 2018.1");
  CHECK(r.new_pack == "cn.gz.points 2021.1");
  CHECK(r.points_up == up);
  CHECK(r.points_down == down);
  CHECK(r.points_same == same);
  CHECK(r.old_total_sum == old_sum);
  CHECK(r.new_total_sum == new_sum);
  // Pinned (cross-checked with `eligo eval` of each pack on its date): what the two tables do to these six people.
  CHECK(r.verdict_changed == 0);
  CHECK(r.points_up == 5);
  CHECK(r.old_total_sum.to_string() == "511");
  CHECK(r.new_total_sum.to_string() == "703.00");
  REQUIRE(r.movers.size() == 3);
  CHECK(r.movers[0].line == 3);
  CHECK(r.movers[0].key.find("********") != std::string::npos);  // masked, never the whole ID number
  const auto permit = std::find_if(r.indicators.begin(), r.indicators.end(), [](const auto& i) { return i.id == "permit"; });
  REQUIRE(permit != r.indicators.end());
  CHECK(permit->changed == 4);
  CHECK(permit->old_sum.to_string() == "57");
  CHECK(permit->new_sum.to_string() == "152");

  const std::string json = admission::diff_json(r);
  CHECK(json.find("\"applicants\": 6") != std::string::npos);
  CHECK(admission::diff_text(r).find("applicants: 6\n") != std::string::npos);
}
