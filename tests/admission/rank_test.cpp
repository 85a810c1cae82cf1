// Ranking and allocation (issue 16): ties at the line settled by each tie-break and by the lottery, the
// lottery formula, preferences (stable and strategy-proof, as properties), byte-identical output.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <numeric>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

#include "eligo/admission.hpp"

using namespace eligo::admission;

namespace {

RankSpec spec_of(const std::string& json) {
  RankSpec spec;
  std::string error;
  INFO(error);
  REQUIRE(parse_rank_spec(json, "spec.json", &spec, &error));
  return spec;
}

const char* kPool = R"({"version": 1, "seed": "SEED", "key": "key",
  "order": [{"by": "total", "desc": true, "label": {"zh-CN": "积分", "en": "points"}},
            {"by": "si_months", "desc": true, "label": {"zh-CN": "社保月数", "en": "months of social insurance"}},
            {"by": "permit_since", "type": "date", "label": {"zh-CN": "居住证办理日期", "en": "permit date"}}],
  "places": 2})";

RankSpec pool_spec(const std::string& seed) {
  std::string json = kPool;
  json.replace(json.find("SEED"), 4, seed);
  return spec_of(json);
}

Table table_of(std::vector<std::vector<std::string>> rows) {
  Table t;
  t.header = {"key", "total", "si_months", "permit_since", "preferences"};
  t.rows = std::move(rows);
  return t;
}

const Placement& of(const RankResult& r, const std::string& key) {
  for (const auto& p : r.placements)
    if (p.key == key) return p;
  FAIL("no placement for " << key);
  return r.placements.front();
}

}  // namespace

TEST_CASE("the lottery value is the hex SHA-256 of seed|key, as a one-line script computes it", "[admission][rank]") {
  // python3 -c 'import hashlib;print(hashlib.sha256("2021-yuexiu-g1|A001".encode()).hexdigest())'
  CHECK(lottery_value("2021-yuexiu-g1", "A001") == "4e5ecc08f99a5d12d82da30f77020f17bacfe0862c609a2c04b735686aefd78b");
}

TEST_CASE("keys that are ID numbers are refused unless asked for: the lottery value would give them away", "[admission][rank][pii]") {
  // 110105199001010010 and 11010519491231002X are valid ID numbers (check characters right); ...0011 is not.
  const Table t = table_of({{"A1", "90", "10", "2020-01-01", ""},
                            {"110105199001010010", "80", "10", "2020-01-01", ""},
                            {"110105199001010011", "70", "10", "2020-01-01", ""},
                            {"11010519491231002X", "60", "10", "2020-01-01", ""}});
  const RankResult refused = rank(pool_spec("s"), t);
  CHECK_FALSE(refused.ok);
  CHECK(refused.placements.empty());
  CHECK(refused.error ==
        "column 'key' holds ID numbers (2 rows: 2, 4; row 2: 110105********0010): placements are published with "
        "each key and its lottery value, from which the number can be recovered; key applicants by an application "
        "number or a keyed hash (eligo id --hash), or ask for ID numbers in clear (eligo rank --clear-pii)");
  RankOptions clear;
  clear.allow_id_number_keys = true;
  const RankResult ranked = rank(pool_spec("s"), t, clear);
  REQUIRE(ranked.ok);
  REQUIRE(ranked.placements.size() == 4);
  CHECK(ranked.placements[1].key == "110105199001010010");
  CHECK(ranked.placements[1].lottery == lottery_value("s", "110105199001010010"));
}

TEST_CASE("a tie at the line is settled by months of social insurance", "[admission][rank]") {
  const RankResult r = rank(pool_spec("s1"), table_of({{"A", "120", "10", "2015-01-01"},
                                                      {"B", "110", "30", "2016-01-01"},
                                                      {"C", "110", "20", "2014-01-01"},
                                                      {"D", "100", "40", "2010-01-01"}}));
  REQUIRE(r.ok);
  REQUIRE(r.placements.size() == 4);
  CHECK(r.placements[0].key == "A");
  CHECK(r.placements[1].key == "B");
  CHECK(r.placements[1].reason_zh == "积分排名第 2，在 2 个学位之内");
  CHECK(of(r, "C").school == "");
  CHECK(of(r, "C").reason_zh == "未录取：同分，按社保月数排序在后");
  CHECK(of(r, "C").reason_en == "no place: tied on points, ranked after on months of social insurance");
  CHECK(of(r, "D").reason_zh == "未录取：积分低于该校录取线 110 分");
  REQUIRE(r.schools.size() == 1);
  const SchoolResult& s = r.schools[0];
  CHECK(s.cutoff == "110");
  CHECK(s.admitted == 2);
  CHECK(s.full);
  CHECK(s.tied_admitted == 1);
  CHECK(s.tied_refused == 1);
  CHECK(s.settled_by == "si_months");
  CHECK(s.settled_zh == "按社保月数排序");
  CHECK(r.placed == 2);
}

TEST_CASE("a tie on points and months is settled by the earlier permit date", "[admission][rank]") {
  const RankResult r = rank(pool_spec("s1"), table_of({{"A", "120", "10", "2015-01-01"},
                                                      {"B", "110", "30", "2016-01-01"},
                                                      {"C", "110.0", "30", "2014-06-30"}}));
  REQUIRE(r.ok);
  CHECK(r.placements[1].key == "C");
  CHECK(of(r, "B").reason_zh == "未录取：同分，按居住证办理日期排序在后");
  CHECK(r.schools[0].cutoff == "110.0");
  CHECK(r.schools[0].settled_by == "permit_since");
  CHECK(r.schools[0].settled_en == "by permit date");
}

TEST_CASE("a tie on every key is settled by the lottery, the same seed giving the same order and another seed another",
          "[admission][rank]") {
  const auto rows = table_of({{"A", "120", "10", "2015-01-01"},
                              {"B", "110", "30", "2016-01-01"},
                              {"C", "110", "30", "2016-01-01"},
                              {"D", "100", "40", "2010-01-01"}});
  const RankResult s1 = rank(pool_spec("s1"), rows);
  REQUIRE(s1.ok);
  // seed s1: lottery numbers A 3, B 4, C 1, D 2 → C before B
  CHECK(of(s1, "C").school == "pool");
  CHECK(of(s1, "C").lottery_number == 1);
  CHECK(of(s1, "B").school == "");
  CHECK(of(s1, "B").reason_zh == "未录取：同分且各排序项相同，摇号序号 4 在后（末位录取者摇号序号 1）");
  CHECK(s1.schools[0].settled_by == "lottery");
  CHECK(s1.schools[0].settled_zh == "按摇号（种子 s1）");
  const RankResult again = rank(pool_spec("s1"), rows);
  for (std::size_t i = 0; i < 4; ++i) CHECK(again.placements[i].key == s1.placements[i].key);
  // seed s2: A 4, B 1, C 3, D 2 → B before C
  const RankResult s2 = rank(pool_spec("s2"), rows);
  CHECK(of(s2, "B").school == "pool");
  CHECK(of(s2, "C").school == "");
  CHECK(of(s2, "C").reason_en ==
        "no place: tied on every key, lottery number 3 comes after the last admitted applicant's 1");
}

TEST_CASE("preferences: each applicant gets the highest preference with a place left, with the reasons", "[admission][rank]") {
  const RankSpec spec = spec_of(R"({"seed": "s1", "order": [{"by": "total", "desc": true}, {"by": "si_months", "desc": true,
      "label": {"zh-CN": "社保月数", "en": "months of social insurance"}}],
      "preferences": "preferences", "schools": [{"id": "S01", "places": 1}, {"id": "S02", "places": 1}, {"id": "S03", "places": 0}]})");
  const RankResult r = rank(spec, table_of({{"A", "120", "10", "", "S01;S02"},
                                           {"B", "112", "30", "", "S03;S01; S02"},
                                           {"C", "112", "20", "", "S01"},
                                           {"D", "90", "5", "", ""}}));
  REQUIRE(r.ok);
  CHECK(of(r, "A").school == "S01");
  CHECK(of(r, "A").reason_zh == "第 1 志愿录取（S01）");
  CHECK(of(r, "B").school == "S02");
  CHECK(of(r, "B").preference == 3);
  CHECK(of(r, "B").reason_zh ==
        "第 3 志愿录取（S02）；第 1 志愿 S03 未录取：该校无学位；第 2 志愿 S01 未录取：积分低于该校录取线 120 分");
  CHECK(of(r, "C").reason_zh == "未录取；第 1 志愿 S01 未录取：积分低于该校录取线 120 分");
  CHECK(of(r, "D").reason_en == "no place: no preferences given");
  REQUIRE(r.schools.size() == 3);
  CHECK(r.schools[0].cutoff == "120");
  CHECK(r.schools[0].tied_refused == 0);
  CHECK(r.schools[0].settled_en == "no tie at the line");
  CHECK(r.schools[1].cutoff == "112");
  CHECK(r.schools[1].tied_admitted == 1);
  CHECK(r.schools[2].cutoff == "");
  CHECK(r.schools[2].admitted == 0);
}

TEST_CASE("rows that cannot be ranked are rejected with their row and column, and rows in = placed + rejected", "[admission][rank]") {
  const RankSpec spec = spec_of(R"({"seed": "s", "order": [{"by": "total", "desc": true}, {"by": "permit_since", "type": "date"}],
      "preferences": "preferences", "schools": [{"id": "S01", "places": 5}]})");
  Table t = table_of({{"A", "100", "", "2020-01-01", "S01"},
                      {"A", "90", "", "2020-01-01", "S01"},
                      {"", "90", "", "2020-01-01", "S01"},
                      {"E", "x", "", "2020-01-01", "S01"},
                      {"F", "80", "", "2020-02-30", "S01"},
                      {"G", "80", "", "2020-01-01", "S09"},
                      {"H", "80", "", "2020-01-01", "S01;S01"},
                      {"I", "80", "", "2020-01-01", "S01;;"}});
  t.row_numbers = {2, 3, 4, 5, 6, 7, 8, 9};
  const RankResult r = rank(spec, t);
  REQUIRE(r.ok);
  CHECK(r.placements.size() == 1);
  REQUIRE(r.rejections.size() == 7);
  CHECK(r.rejections[0].row == 3);
  CHECK(r.rejections[0].reason == "the same key as row 2");
  CHECK(r.rejections[1].reason == "no key");
  CHECK(r.rejections[2].reason == "'x' is not a number");
  CHECK(r.rejections[3].column == "permit_since");
  CHECK(r.rejections[3].reason == "'2020-02-30' is not a date (YYYY-MM-DD)");
  CHECK(r.rejections[4].reason == "preference 1: no school 'S09' in the spec");
  CHECK(r.rejections[5].reason == "school 'S01' is listed twice");
  CHECK(r.rejections[6].reason == "preference 2 is empty");

  Table missing = t;
  missing.header[1] = "points";
  const RankResult m = rank(spec, missing);
  CHECK_FALSE(m.ok);
  CHECK(m.error == "column 'total' (the spec's points) is not in the input (its columns: key, points, si_months, permit_since, preferences)");
}

TEST_CASE("the spec is checked with file, line, column and JSON pointer", "[admission][rank]") {
  RankSpec spec;
  std::string error;
  CHECK_FALSE(parse_rank_spec(R"({"seed": "s", "order": [{"by": "total", "descending": true}], "places": 3})", "a.json", &spec, &error));
  CHECK(error == "a.json:1:41: /order/0/descending: unknown member 'descending' (allowed: by, desc, type, label)");
  CHECK_FALSE(parse_rank_spec("{\"order\": [{\"by\": \"total\"}],\n \"places\": 3}", "b.json", &spec, &error));
  CHECK(error == "b.json:1:1: /: 'seed' is required: the published lottery seed");
  CHECK_FALSE(parse_rank_spec(R"({"seed": "s", "order": [{"by": "t"}], "preferences": "p",
      "schools": [{"id": "S1", "places": 1}, {"id": "S1", "places": -2}]})", "c.json", &spec, &error));
  CHECK(error == "c.json:2:69: /schools/1/places: must be a whole number of places, 0 or more");
  CHECK_FALSE(parse_rank_spec(R"({"version": 2, "seed": "s", "order": [{"by": "t"}], "places": 1})", "d.json", &spec, &error));
  CHECK(error == "d.json:1:13: /version: this eligo reads spec version 1");
}

namespace {

struct Instance {
  RankSpec spec;
  Table table;
};

Instance random_instance(std::mt19937& rng) {
  Instance in;
  std::uniform_int_distribution<int> n_schools(1, 5), places(0, 4), n_people(1, 40), total(0, 6), months(0, 3), len(0, 4);
  const int schools = n_schools(rng);
  std::string json = R"({"seed": "prop", "order": [{"by": "total", "desc": true}, {"by": "si_months", "desc": true}],
                         "preferences": "preferences", "schools": [)";
  for (int s = 0; s < schools; ++s)
    json += (s ? "," : "") + std::string(R"({"id": "S)") + std::to_string(s) + R"(", "places": )" + std::to_string(places(rng)) + "}";
  json += "]}";
  in.spec = spec_of(json);
  in.table.header = {"key", "total", "si_months", "preferences"};
  const int n = n_people(rng);
  for (int i = 0; i < n; ++i) {
    std::vector<int> ids(schools);
    std::iota(ids.begin(), ids.end(), 0);
    std::shuffle(ids.begin(), ids.end(), rng);
    ids.resize(std::min(schools, len(rng)));
    std::string prefs;
    for (int id : ids) prefs += (prefs.empty() ? "S" : ";S") + std::to_string(id);
    in.table.rows.push_back({"K" + std::to_string(i), std::to_string(total(rng) * 10), std::to_string(months(rng)), prefs});
  }
  return in;
}

// Position of `school` in the true preference list of row `row` (lower is better); list size when absent.
std::size_t position(const Table& t, std::size_t row, const std::string& school) {
  if (school.empty()) return 1000;
  const std::string& prefs = t.rows[row][3];
  std::size_t pos = 0, start = 0;
  for (;;) {
    const std::size_t sep = prefs.find(';', start);
    if (prefs.substr(start, sep - start) == school) return pos;
    if (sep == std::string::npos) return 1000;
    ++pos;
    start = sep + 1;
  }
}

}  // namespace

TEST_CASE("property: nobody who got a lower preference is beaten at a higher one by someone ranked below them", "[admission][rank][property]") {
  std::mt19937 rng(20211116);
  for (int round = 0; round < 300; ++round) {
    const Instance in = random_instance(rng);
    const RankResult r = rank(in.spec, in.table);
    REQUIRE(r.ok);
    REQUIRE(r.placements.size() + r.rejections.size() == in.table.rows.size());
    std::map<std::string, std::uint64_t> rank_of;
    std::map<std::string, std::string> school_of;
    std::map<std::string, std::int64_t> taken;
    for (const auto& p : r.placements) rank_of[p.key] = p.rank, school_of[p.key] = p.school, ++taken[p.school];
    for (std::size_t row = 0; row < in.table.rows.size(); ++row) {
      const std::string& key = in.table.rows[row][0];
      const std::size_t got = position(in.table, row, school_of[key]);
      const std::string& prefs = in.table.rows[row][3];
      std::size_t pos = 0, start = 0;
      while (!prefs.empty() && pos < got) {
        const std::size_t sep = prefs.find(';', start);
        const std::string better = prefs.substr(start, sep - start);
        // the better school is full (no waste) and everyone it took ranks above this applicant (no justified envy)
        const auto& schools = in.spec.schools;
        const auto it = std::find_if(schools.begin(), schools.end(), [&](const School& s) { return s.id == better; });
        CHECK(taken[better] == it->places);
        for (const auto& p : r.placements)
          if (p.school == better) CHECK(p.rank < rank_of[key]);
        if (sep == std::string::npos) break;
        ++pos;
        start = sep + 1;
      }
    }
  }
}

TEST_CASE("property: misreporting preferences never gets an applicant a school they prefer (strategy-proof)", "[admission][rank][property]") {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    const Instance in = random_instance(rng);
    const RankResult truthful = rank(in.spec, in.table);
    const std::size_t liar = std::uniform_int_distribution<std::size_t>(0, in.table.rows.size() - 1)(rng);
    const std::string key = in.table.rows[liar][0];
    std::string truth_school;
    for (const auto& p : truthful.placements)
      if (p.key == key) truth_school = p.school;
    for (int attempt = 0; attempt < 10; ++attempt) {
      Table lie = in.table;
      std::vector<std::string> ids;
      for (const auto& s : in.spec.schools)
        if (rng() % 2) ids.push_back(s.id);
      std::shuffle(ids.begin(), ids.end(), rng);
      std::string prefs;
      for (const auto& id : ids) prefs += (prefs.empty() ? "" : ";") + id;
      lie.rows[liar][3] = prefs;
      const RankResult r = rank(in.spec, lie);
      for (const auto& p : r.placements)
        if (p.key == key) CHECK(position(in.table, liar, p.school) >= position(in.table, liar, truth_school));
    }
  }
}

TEST_CASE("the same rows in another order and the same seed give byte-identical files", "[admission][rank]") {
  std::mt19937 rng(3);
  const Instance in = random_instance(rng);
  Table shuffled = in.table;
  std::shuffle(shuffled.rows.begin(), shuffled.rows.end(), rng);
  const auto dir = std::filesystem::temp_directory_path() / ("eligo-rank-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto bytes = [](const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  };
  std::string error;
  for (const char* format : {"csv", "jsonl", "xlsx"}) {
    CAPTURE(format);
    const auto a = dir / (std::string("a.") + format), b = dir / (std::string("b.") + format);
    REQUIRE(write_placements(rank(in.spec, in.table), format, a.string(), &error));
    REQUIRE(write_placements(rank(in.spec, shuffled), format, b.string(), &error));
    CHECK(bytes(a).size() > 100);
    CHECK(bytes(a) == bytes(b));
  }
  std::filesystem::remove_all(dir);
}
