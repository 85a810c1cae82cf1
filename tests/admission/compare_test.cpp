// Automatic comparison (issue 16 item 2): a verdict pinned for each comparison kind, the compare section's
// errors with their place, and the points an item gets from the declared and from the source value.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "eligo/admission.hpp"

using namespace eligo;
using namespace eligo::admission;

namespace {

CompareItem item(CompareKind kind) {
  CompareItem it;
  it.id = "x";
  it.kind = kind;
  it.department = "人社局";
  return it;
}

CompareVerdict verdict(const CompareItem& it, std::vector<std::string> a, std::vector<std::string> b,
                       std::string* detail = nullptr) {
  std::string d;
  const auto v = compare_values(it, a, b, *Date::parse("2022-06-30"), &d);
  if (detail) *detail = d;
  return v;
}

std::string read(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

const std::string kDir = ELIGO_SOURCE_DIR "/tests/admission/compare/";

// The compare section of points.pack.json, and an empty source table with the columns it names.
CompareSpec points_spec() {
  CompareSpec spec;
  std::string error;
  if (!parse_compare_spec(read(kDir + "points.pack.json"), "points.pack.json", &spec, &error)) FAIL(error);
  return spec;
}
Table points_source() {
  return Table{{"id_number", "name", "permit_date", "si_months", "employer", "contract_from", "contract_to"}, {}, {}};
}

}  // namespace

TEST_CASE("compare kind equal: same text, or the same exact decimal", "[admission][compare]") {
  const auto it = item(CompareKind::equal);
  CHECK(verdict(it, {"广州示例有限公司"}, {"广州示例有限公司"}) == CompareVerdict::matched);
  CHECK(verdict(it, {"广州示例有限公司"}, {"广州示例股份有限公司"}) == CompareVerdict::mismatched);
  CHECK(verdict(it, {"36"}, {"36.0"}) == CompareVerdict::matched);
  CHECK(verdict(it, {"36"}, {"36.01"}) == CompareVerdict::mismatched);
  CHECK(verdict(it, {""}, {"x"}) == CompareVerdict::missing_declared);
  CHECK(verdict(it, {"x"}, {""}) == CompareVerdict::missing_source);
}

TEST_CASE("compare kind name: equal after name normalisation only", "[admission][compare]") {
  const auto it = item(CompareKind::name);
  CHECK(verdict(it, {"阿依古丽・买买提"}, {"阿依古丽·买买提"}) == CompareVerdict::matched);  // U+30FB vs U+00B7
  CHECK(verdict(it, {"张三"}, {"张 三"}) == CompareVerdict::matched);
  std::string d;
  CHECK(verdict(it, {"张三"}, {"张山"}, &d) == CompareVerdict::mismatched);
  CHECK(d == "规范化后仍不同 / differ after normalisation");
  CHECK(verdict(item(CompareKind::equal), {"张三"}, {"张 三"}) == CompareVerdict::mismatched);
}

TEST_CASE("compare kind date: within N days, both ways", "[admission][compare]") {
  auto it = item(CompareKind::date);
  it.days = 31;
  std::string d;
  CHECK(verdict(it, {"2015-03-01"}, {"2015-04-01"}, &d) == CompareVerdict::matched);
  CHECK(d == "相差 31 天 / 31 days apart");
  CHECK(verdict(it, {"2015-04-02"}, {"2015-03-01"}, &d) == CompareVerdict::mismatched);
  CHECK(d == "相差 32 天 / 32 days apart");
  it.days = 0;
  CHECK(verdict(it, {"2015-03-01"}, {"2015-03-01"}) == CompareVerdict::matched);
  CHECK(verdict(it, {"2015-03-01"}, {"2015-03-02"}) == CompareVerdict::mismatched);
  CHECK(verdict(it, {"2015-03-01"}, {"2015/03/01"}, &d) == CompareVerdict::mismatched);
  CHECK(d == "不是日期 / not a date: source");
}

TEST_CASE("compare kind number: within the tolerance, exact decimals", "[admission][compare]") {
  auto it = item(CompareKind::number);
  it.tolerance = *Decimal::parse("0.1");
  std::string d;
  CHECK(verdict(it, {"0.3"}, {"0.2"}, &d) == CompareVerdict::matched);  // exactly 0.1 apart: no binary rounding
  CHECK(d == "相差 0.1 / differ by 0.1");
  CHECK(verdict(it, {"0.2"}, {"0.31"}, &d) == CompareVerdict::mismatched);
  CHECK(d == "相差 0.11 / differ by 0.11");
  it.tolerance = Decimal();
  CHECK(verdict(it, {"48"}, {"48.00"}) == CompareVerdict::matched);
  CHECK(verdict(it, {"48"}, {"30"}) == CompareVerdict::mismatched);
  CHECK(verdict(it, {"forty"}, {"30"}, &d) == CompareVerdict::mismatched);
  CHECK(d == "不是数字 / not a number: declared");
}

TEST_CASE("compare kind period: the source period must cover the declared one, open ends running to as_of",
          "[admission][compare]") {
  const auto it = item(CompareKind::period);
  CHECK(verdict(it, {"2019-01-01", "2021-12-31"}, {"2018-01-01", "2021-12-31"}) == CompareVerdict::matched);
  CHECK(verdict(it, {"2019-01-01", "2021-12-31"}, {"2018-01-01", ""}) == CompareVerdict::matched);  // open source
  std::string d;
  CHECK(verdict(it, {"2018-06-01", ""}, {"2019-01-01", "2020-12-31"}, &d) == CompareVerdict::mismatched);
  CHECK(d == "数据源期间 2019-01-01..2020-12-31 未覆盖申报期间 / the source period does not cover the declared one");
  CHECK(verdict(it, {"2019-01-01", ""}, {"2019-01-01", "2022-06-29"}) == CompareVerdict::mismatched);  // open = as_of
  CHECK(verdict(it, {"2019-01-01", ""}, {"2019-01-01", "2022-06-30"}) == CompareVerdict::matched);
  CHECK(verdict(it, {"", ""}, {"2019-01-01", ""}) == CompareVerdict::missing_declared);
  CHECK(verdict(it, {"2019-01-01", ""}, {"", ""}) == CompareVerdict::missing_source);
}

TEST_CASE("the compare section's mistakes point at file:line:col and the JSON pointer", "[admission][compare]") {
  CompareSpec spec;
  std::string error;
  CHECK_FALSE(parse_compare_spec(R"({"pack": "p"})", "a.json", &spec, &error));
  CHECK(error == "a.json:1:1: /: the pack has no 'compare' section (docs/admission.md#compare)");
  CHECK_FALSE(parse_compare_spec(
      R"({"compare": {"key": "applicant.id", "source_key": "id", "items": [
  {"id": "a", "declared": "applicant.a", "source": "a", "kind": "fuzzy", "department": "d"}]}})",
      "b.json", &spec, &error));
  CHECK(error == "b.json:2:65: /compare/items/0/kind: must be \"equal\", \"name\", \"date\", \"number\" or \"period\"");
  CHECK_FALSE(parse_compare_spec(
      R"({"compare": {"key": "k", "source_key": "id", "items": [
  {"id": "a", "declared": "applicant.a", "source": "a", "kind": "period", "department": "d"}]}})",
      "c.json", &spec, &error));
  CHECK(error == "c.json:2:27: /compare/items/0/declared: a period takes two: [from, to]");
  CHECK_FALSE(parse_compare_spec(
      R"({"compare": {"key": "k", "source_key": "id", "items": [
  {"id": "a", "declared": "applicant.a", "source": "a", "kind": "equal", "days": 3, "department": "d"}]}})",
      "d.json", &spec, &error));
  CHECK(error == "d.json:2:82: /compare/items/0/days: 'days' is for kind \"date\"");
  REQUIRE(parse_compare_spec(read(kDir + "points.pack.json"), "points.pack.json", &spec, &error));
  REQUIRE(spec.items.size() == 5);
  CHECK(spec.items[2].kind == CompareKind::number);
  CHECK(spec.items[4].declared == std::vector<std::string>{"applicant.contract_from", "applicant.contract_to"});
}

TEST_CASE("compare gives each item's points from the declared and from the source value", "[admission][compare]") {
  const auto compiled = compile_file(kDir + "points.pack.json");
  REQUIRE(compiled.pack);
  const CompareSpec spec = points_spec();
  Table source = points_source();
  source.rows.push_back({"A0000002", "张三", "2016-03-15", "30", "广州示例股份有限公司", "2019-01-01", "2020-12-31"});
  Comparer c(spec, &*compiled.pack, source, {*Date::parse("2022-06-30"), true});
  c.add(1, R"({"applicant": {"id_number": "A0000002", "name": "张三", "permit_since": "2015-01-10", "si_months": 48,
              "employer": "广州示例有限公司", "contract_from": "2018-06-01", "contract_to": null}})");
  c.add(2, R"({"applicant": {"name": "王五"}})");
  const CompareResult r = c.finish();
  CHECK(r.applicants == 1);
  REQUIRE(r.rejected.size() == 1);
  CHECK(r.rejected[0].row == 2);
  CHECK(r.rejected[0].column == "applicant.id_number");
  REQUIRE(r.rows.size() == 5);
  CHECK(r.rows[0].verdict == CompareVerdict::matched);          // name
  CHECK(r.rows[1].verdict == CompareVerdict::mismatched);       // permit: 430 days apart
  CHECK(r.rows[1].declared_points == "56");                     // 7 full years × 8
  CHECK(r.rows[1].source_points == "48");                       // from 2016-03-15: 6 × 8
  CHECK(r.rows[2].verdict == CompareVerdict::mismatched);       // 48 months declared, 30 in the source
  CHECK(r.rows[2].declared_points == "8");
  CHECK(r.rows[2].source_points == "4");
  CHECK(r.rows[3].verdict == CompareVerdict::mismatched);       // employer
  CHECK(r.rows[3].declared_points.empty());                     // no indicator
  CHECK(r.rows[4].verdict == CompareVerdict::mismatched);       // contract not covered
  REQUIRE(r.departments.size() == 4);
  CHECK(r.departments[2].first == "人社局");
  CHECK(r.departments[2].second.items == 2);
  CHECK(r.departments[2].second.mismatched == 2);
}

// The declared applicants are read by the data path's reader (the one eligo eval binds through), not a second
// JSON parser: numbers keep every digit, a row the binder rejects is rejected with the binder's reason and
// place, and the source value put in the declared one's place is spliced into the applicant's own text.
TEST_CASE("compare reads the declared applicants through the binder's reader", "[admission][compare]") {
  const auto compiled = compile_file(kDir + "points.pack.json");
  REQUIRE(compiled.pack);
  const CompareSpec spec = points_spec();
  Table source = points_source();
  source.rows.push_back({"A1", "张三", "2015-01-10", "30.000000000000000001", "广州\"示例\"公司", "2018-06-01", ""});
  source.rows.push_back({"A2", "李四", "2015-01-10", "30", "x", "2018-06-01", ""});
  Comparer c(spec, &*compiled.pack, source, {*Date::parse("2022-06-30"), true});
  // 1: a number beyond a double's digits compares exactly; the employer's quotes survive the round trip.
  c.add(1, R"({"applicant": {"id_number": "A1", "name": "张三", "permit_since": "2015-01-10",
              "si_months": 30.000000000000000001, "employer": "广州\"示例\"公司", "contract_from": "2018-06-01"}})");
  // 2: a misspelt field: rejected as eligo eval rejects it, with its path.
  c.add(2, R"({"applicant": {"id_number": "A2", "nmae": "李四"}})");
  // 3: si_months not declared: the source's 30 months are added to the applicant to score them.
  c.add(3, R"({"applicant": {"id_number": "A2", "name": "李四", "permit_since": "2015-01-10", "employer": "x",
              "contract_from": "2018-06-01", "contract_to": null}})");
  // 4: a key given twice: rejected, not read as whichever copy a parser keeps.
  c.add(4, R"({"applicant": {"id_number": "A2", "id_number": "A1"}})");
  const CompareResult r = c.finish();
  CHECK(r.applicants == 2);
  REQUIRE(r.rejected.size() == 2);
  CHECK(r.rejected[0].row == 2);
  CHECK(r.rejected[0].column == "applicant.nmae");
  CHECK(r.rejected[0].reason.find("did you mean 'name'") != std::string::npos);
  CHECK(r.rejected[1].row == 4);
  CHECK(r.rejected[1].column == "applicant.id_number");
  CHECK(r.rejected[1].reason.find("twice") != std::string::npos);
  REQUIRE(r.rows.size() == 10);
  CHECK(r.rows[2].item->id == "si_months");
  CHECK(r.rows[2].verdict == CompareVerdict::matched);
  CHECK(r.rows[2].declared == "30.000000000000000001");
  CHECK(r.rows[2].declared_points == "4");
  CHECK(r.rows[3].verdict == CompareVerdict::matched);           // employer, quotes and all
  CHECK(r.rows[3].declared == "广州\"示例\"公司");
  CHECK(r.rows[7].item->id == "si_months");
  CHECK(r.rows[7].verdict == CompareVerdict::missing_declared);
  CHECK(r.rows[7].declared_points == "0");
  CHECK(r.rows[7].source_points == "4");                        // floor(30 / 12) × 2
}

TEST_CASE("compare without a pack checks each row is one JSON object, by the same reader", "[admission][compare]") {
  const CompareSpec spec = points_spec();
  Table source{{"id_number", "name"}, {}, {}};
  source.rows.push_back({"A1", "张三"});
  Comparer c(spec, nullptr, source, {*Date::parse("2022-06-30"), true});
  c.add(1, R"({"applicant": {"id_number": "A1", "name": "张三"}} trailing)");
  c.add(2, R"(["applicant"])");
  c.add(3, R"({"applicant": {"id_number": "A1", "name": "张三"}})");
  const CompareResult r = c.finish();
  CHECK(r.applicants == 1);
  REQUIRE(r.rejected.size() == 2);
  CHECK(r.rejected[0].reason.rfind("not a JSON object: column ", 0) == 0);
  CHECK(r.rejected[1].reason == "not a JSON object");
  REQUIRE(r.rows.size() == 5);
  CHECK(r.rows[0].verdict == CompareVerdict::matched);
}

namespace {
// housing.pack.json with its compare items replaced by `items` (JSON text), and the error of reading it
// against the compiled pack ("" when it reads).
std::string spec_error(const Pack& pack, const std::string& key, const std::string& items) {
  std::string text = read(kDir + "housing.pack.json");
  const std::size_t at = text.find("\"compare\"");
  text = text.substr(0, at) + "\"compare\": {\"version\": 1, \"key\": \"" + key +
         "\", \"source_key\": \"id_number\", \"items\": [\n" + items + "]}}";
  CompareSpec spec;
  std::string error;
  return parse_compare_spec(text, "h.json", &spec, &error, &pack) ? "" : error;
}
std::string item_with(const std::string& declared, const std::string& indicator = "housing") {
  return R"({"id": "x", "declared": ")" + declared + R"(", "source": "a", "kind": "number", "department": "d", )" +
         R"("indicator": ")" + indicator + R"("})";
}
}  // namespace

// With the compiled pack, a declared path or an indicator that names nothing is an error in the pack, at its
// place: otherwise every applicant would read "missing declared", or every item lose its points, silently.
TEST_CASE("the compare section's paths and indicators are checked against the compiled pack", "[admission][compare]") {
  const auto compiled = compile_file(kDir + "housing.pack.json");
  REQUIRE(compiled.pack);
  const Pack& pack = *compiled.pack;
  CHECK(spec_error(pack, "applicant.id_number", item_with("applicant.housing[1].area")) == "");
  CHECK(spec_error(pack, "applicant.id", item_with("applicant.housing[0].area")) ==
        "h.json:18:36: /compare/key: 'applicant' has no field 'id' (id_number, housing)");
  CHECK(spec_error(pack, "applicant.id_number", item_with("applicant.housing[0].aera")) ==
        "h.json:19:25: /compare/items/0/declared: 'applicant.housing[0]' has no field 'aera' (did you mean 'area'?)");
  CHECK(spec_error(pack, "applicant.id_number", item_with("applicant.housing.area")) ==
        "h.json:19:25: /compare/items/0/declared: 'applicant.housing' is not a record: it has no field 'area'");
  CHECK(spec_error(pack, "applicant.id_number", item_with("applicant.housing[0]")) ==
        "h.json:19:25: /compare/items/0/declared: 'applicant.housing[0]' is a record, not one value: name one of its fields");
  CHECK(spec_error(pack, "applicant.id_number", item_with("applicant.housing")) ==
        "h.json:19:25: /compare/items/0/declared: 'applicant.housing' is a list, not one value: name an item ([0]) or an item's field");
  CHECK(spec_error(pack, "applicant.id_number", item_with("applicant.id_number[0]")) ==
        "h.json:19:25: /compare/items/0/declared: 'applicant.id_number' is not a list: [0] cannot follow it");
  CHECK(spec_error(pack, "applicant.id_number", item_with("aplicant.id_number")) ==
        "h.json:19:25: /compare/items/0/declared: the pack has no input group 'aplicant' (did you mean 'applicant'?)");
  CHECK(spec_error(pack, "applicant.id_number", item_with("applicant.housing[x].area")) ==
        "h.json:19:25: /compare/items/0/declared: 'applicant.housing[x].area' is not a path like applicant.field or "
        "group.list[0].field");
  CHECK(spec_error(pack, "applicant.id_number", item_with("applicant.housing[0].area", "housin")) ==
        "h.json:19:119: /compare/items/0/indicator: the pack has no points indicator 'housin' (did you mean 'housing'?)");
  CHECK(spec_error(pack, "applicant.id_number", item_with("applicant.housing[0].area", "permit")) ==
        "h.json:19:119: /compare/items/0/indicator: the pack has no points indicator 'permit' (indicators: housing)");
}

// A declared path into a list: the source value replaces the declared item's value; where the applicant has
// no such item, or the pack does not take the source value, there are no source points (never the declared
// points passed off as the source's), and the detail says why.
TEST_CASE("compare never gives source points it could not compute", "[admission][compare]") {
  const auto compiled = compile_file(kDir + "housing.pack.json");
  REQUIRE(compiled.pack);
  CompareSpec spec;
  std::string error;
  REQUIRE(parse_compare_spec(read(kDir + "housing.pack.json"), "housing.pack.json", &spec, &error, &*compiled.pack));
  Table source{{"id_number", "area0", "area1"}, {}, {}};
  source.rows.push_back({"H1", "62", "40"});
  source.rows.push_back({"H2", "80", "35"});
  source.rows.push_back({"H3", "abc", "30"});
  Comparer c(spec, &*compiled.pack, source, {*Date::parse("2022-06-30"), true});
  // 1: two homes; the first is 58 m² by the applicant, 62 by the source: 9 points declared, 10 with the source.
  c.add(1, R"({"applicant": {"id_number": "H1", "housing": [{"area": 58, "city": "广州"}, {"area": 40, "city": "佛山"}]}})");
  // 2: one home; the source knows a second one, which has no item to go into.
  c.add(2, R"({"applicant": {"id_number": "H2", "housing": [{"area": 80, "city": "广州"}]}})");
  // 3: the source's area is not a number: the pack does not take it.
  c.add(3, R"({"applicant": {"id_number": "H3", "housing": [{"area": 70, "city": "广州"}, {"area": 30, "city": "广州"}]}})");
  const CompareResult r = c.finish();
  REQUIRE(r.rows.size() == 6);
  CHECK(r.rows[0].verdict == CompareVerdict::mismatched);
  CHECK(r.rows[0].declared_points == "9");
  CHECK(r.rows[0].source_points == "10");
  CHECK(r.rows[1].verdict == CompareVerdict::matched);
  CHECK(r.rows[1].source_points == "9");
  CHECK(r.rows[3].item->id == "area1");
  CHECK(r.rows[3].verdict == CompareVerdict::missing_declared);
  CHECK(r.rows[3].declared_points == "8");
  CHECK(r.rows[3].source_points.empty());
  CHECK(r.rows[3].detail ==
        "来源值无处放入（applicant.housing[1].area 上层不存在），不计来源积分 / the source value has nowhere to go "
        "(applicant.housing[1].area is not in the applicant's data above its last member): no source points");
  CHECK(r.rows[4].verdict == CompareVerdict::mismatched);
  CHECK(r.rows[4].declared_points == "10");
  CHECK(r.rows[4].source_points.empty());
  CHECK(r.rows[4].detail ==
        "不是数字 / not a number: source; 来源值不被规则包接受，不计来源积分 / the pack does not take the source value: "
        "applicant.housing[0].area: 'abc' is not a number (digits, an optional '.', grouping commas and '元' allowed)");
  CHECK(r.rows[5].verdict == CompareVerdict::matched);
  CHECK(r.rows[5].source_points == "10");
}
