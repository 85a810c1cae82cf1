// Binding applicant data: strict shape, flat records, text coercions, rows — the one way in.
#include <catch2/catch.hpp>

#include "evaluate/bind.hpp"
#include "evaluate/pack_test_util.hpp"

using namespace eligo;
using eligo::test::compile_ok;
using eligo::test::on;

namespace {

const char* kPack = R"PACK({
  "pack": "t.bind", "version": "1",
  "inputs": {
    "applicant": {"fields": {
      "id_number": {"type": "cn_id", "pii": "id_number"},
      "birth_date": "date", "income": "number", "married": "bool",
      "kind": {"enum": ["dibao", "tekun"]},
      "children": {"list": {"name": "string", "age": "number"}}
    }},
    "medical": {"source": "medical", "fields": {"stays": {"list": {"disease": "string", "admit": "date"}}}}
  },
  "record": "applicant",
  "scores": [
    {"id": "age", "points": "years_between(applicant.birth_date, as_of)"},
    {"id": "income", "points": "applicant.income"},
    {"id": "married", "points": "if applicant.married then 10 else 0"},
    {"id": "kids", "points": "count(applicant.children, c -> c.age < 18)"}
  ]
})PACK";

std::string errors_of(const Decision& d) {
  std::string s;
  for (const auto& e : d.data_errors) s += e.code + " " + e.path + ": " + e.message + "\n";
  return s;
}

ItemStatus item_status(const Decision& d, std::string_view id) {
  for (const auto& it : d.items)
    if (it.id == id) return it.status;
  FAIL("no item " << id);
  return ItemStatus::no_row;
}

}  // namespace

TEST_CASE("a misspelt field is a data error with a suggestion, and the decision is error, not a lower score", "[bind]") {
  const Pack p = compile_ok(kPack);
  const Decision d = p.evaluate(R"({"applicant": {"birthdate": "1990-01-01", "income": 5, "married": true, "children": []}})",
                                on("2024-05-01"));
  CHECK(d.verdict == Verdict::error);
  CHECK(errors_of(d) == "E3004 applicant.birthdate: 'birthdate' is not a field of this record (did you mean 'birth_date'?)\n");
  REQUIRE(d.error);
  CHECK(d.error->code == "E3004");
  CHECK(d.items.empty());
}

TEST_CASE("two neighbouring letters swapped in a field name are one slip, and the suggestion names the field", "[bind]") {
  const Pack p = compile_ok(kPack);
  CHECK(errors_of(p.evaluate(R"({"applicant": {"knid": "dibao"}})", on("2024-05-01"))) ==
        "E3004 applicant.knid: 'knid' is not a field of this record (did you mean 'kind'?)\n");
  CHECK(errors_of(p.evaluate(R"({"applicant": {"incmoe": 5}})", on("2024-05-01"))) ==
        "E3004 applicant.incmoe: 'incmoe' is not a field of this record (did you mean 'income'?)\n");
  // Two slips in four letters are not a plausible typo: no suggestion rather than a wrong one.
  CHECK(errors_of(p.evaluate(R"({"applicant": {"nkdi": "dibao"}})", on("2024-05-01"))) ==
        "E3004 applicant.nkdi: 'nkdi' is not a field of this record\n");
}

TEST_CASE("an unknown group is a data error — a group or field given twice too", "[bind]") {
  const Pack p = compile_ok(kPack);
  CHECK(errors_of(p.evaluate(R"({"aplicant": {}})", on("2024-05-01"))) ==
        "E3004 aplicant: 'aplicant' is not an input group of the pack (did you mean 'applicant'?)\n");
  CHECK(errors_of(p.evaluate(R"({"applicant": {"income": 1, "income": 2}})", on("2024-05-01"))) ==
        "E3005 applicant.income: given twice in one object\n");
  CHECK(errors_of(p.evaluate(R"({"applicant": {}, "applicant": {}})", on("2024-05-01"))) ==
        "E3005 applicant: the group is given twice\n");
}

TEST_CASE("unknown_fields warn keeps the key out and says so in the decision", "[bind]") {
  const Pack p = compile_ok(kPack);
  BindOptions b;
  b.unknown_fields = UnknownFields::warn;
  const Decision d = p.evaluate(R"({"applicant": {"birth_date": "1990-01-01", "income": 5, "married": false, "children": [], "extra": 1}})",
                                on("2024-05-01"), b);
  CHECK(d.verdict == Verdict::eligible);
  CHECK(d.total.to_string() == "39");
  REQUIRE(d.data_warnings.size() == 1);
  CHECK(d.data_warnings[0].path == "applicant.extra");
  CHECK(d.to_json().find(R"("data_warnings":[{"code":"E3004","path":"applicant.extra","message":"'extra' is not a field of this record"}])") != std::string::npos);
  b.unknown_fields = UnknownFields::ignore;
  const Decision quiet = p.evaluate(R"({"applicant": {"birth_date": "1990-01-01", "income": 5, "married": false, "children": [], "extra": 1}})",
                                    on("2024-05-01"), b);
  CHECK(quiet.data_warnings.empty());
  CHECK(quiet.total.to_string() == "39");
}

TEST_CASE("a flat record binds to the named group — other groups can come nested in it", "[bind]") {
  const Pack p = compile_ok(kPack);
  BindOptions b;
  b.group = "applicant";
  const Decision d = p.evaluate(
      R"({"birth_date": "1990-01-01", "income": "1,200.50元", "married": "是", "children": [{"name": "a", "age": 3}],
          "medical": {"stays": []}})",
      on("2024-05-01"), b);
  INFO(errors_of(d));
  CHECK(d.verdict == Verdict::eligible);
  CHECK(d.total.to_string() == "1245.50");
  CHECK(d.sources_called.empty());
  b.group = "aplicant";
  CHECK(errors_of(p.evaluate("{}", on("2024-05-01"), b)) == "E3004 : 'aplicant' is not an input group of the pack (did you mean 'applicant'?)\n");
}

TEST_CASE("malformed JSON rejects the input with the line and column", "[bind]") {
  const Pack p = compile_ok(kPack);
  const Decision d = p.evaluate("{\"applicant\": {\"income\": 1,}}", on("2024-05-01"));
  CHECK(d.verdict == Verdict::error);
  CHECK(errors_of(d) == "E3000 : the input is not valid JSON: column 28: a trailing ',' before '}'\n");
  CHECK(errors_of(p.evaluate("[]", on("2024-05-01"))) == "E3000 : the input must be a JSON object\n");
  CHECK(errors_of(p.evaluate("{\"applicant\": {}} x", on("2024-05-01"))) ==
        "E3000 : the input is not valid JSON: column 19: text after the end of the JSON object\n");
  CHECK(errors_of(p.evaluate("{\"applicant\": {\"income\": 1e3}}", on("2024-05-01"))) ==
        "E3001 applicant.income: a number written with an exponent: write it as a plain decimal\n");
}

TEST_CASE("text coercions: booleans, dates, numbers", "[bind][coerce]") {
  using namespace eligo::detail;
  for (const char* t : {"true", "TRUE", "True", "1", "是", "Y", "y"}) CHECK(text_to_bool(t) == std::optional<bool>(true));
  for (const char* t : {"false", "False", "0", "否", "N", "n"}) CHECK(text_to_bool(t) == std::optional<bool>(false));
  for (const char* t : {"yes", "2", "", "真", "t"}) CHECK_FALSE(text_to_bool(t));
  CHECK(text_to_date("2024-05-01")->to_string() == "2024-05-01");
  CHECK(text_to_date("2024/05/01")->to_string() == "2024-05-01");
  CHECK(text_to_date("2024/5/1")->to_string() == "2024-05-01");
  CHECK(text_to_date("20240501")->to_string() == "2024-05-01");
  for (const char* t : {"2024-02-30", "2024.05.01", "01/05/2024", "2024-5-1", "202405011", "2024/05/1x"}) CHECK_FALSE(text_to_date(t));
  CHECK(text_to_number("1,234.50")->to_string() == "1234.50");
  CHECK(text_to_number("1,234,567")->to_string() == "1234567");
  CHECK(text_to_number("-12,000元")->to_string() == "-12000");
  CHECK(text_to_number(" 300元 ")->to_string() == "300");
  for (const char* t : {"1,23", "12,34.5", ",123", "1,234,56", "1.2.3", "1,234.5,6", "¥5", "5 000", "", "元"})
    CHECK_FALSE(text_to_number(t));
}

TEST_CASE("a coercion that fails is a data error naming the field and why — the field is then missing", "[bind][coerce]") {
  const Pack p = compile_ok(kPack);
  BindOptions b;
  b.group = "applicant";
  const Decision d = p.evaluate(R"({"birth_date": "1990-13-01", "income": "12,34", "married": "maybe", "children": []})",
                                on("2024-05-01"), b);
  // Each indicator that reads a field left missing says so (docs/rule-language.md: it scores 0).
  CHECK(item_status(d, "age") == ItemStatus::needs_evidence);
  CHECK(item_status(d, "income") == ItemStatus::needs_evidence);
  CHECK(item_status(d, "married") == ItemStatus::needs_evidence);
  CHECK(errors_of(d) ==
        "E3001 applicant.birth_date: '1990-13-01' is not a date (YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD, a real calendar day)\n"
        "E3001 applicant.income: '12,34' is not a number (digits, an optional '.', grouping commas and '元' allowed)\n"
        "E3001 applicant.married: 'maybe' is not true or false (true/false, 1/0, 是/否, Y/N)\n");
}

TEST_CASE("rows: a header resolves once — unknown columns are refused with a suggestion", "[bind][rows]") {
  const Pack p = compile_ok(kPack);
  std::string error;
  CHECK_FALSE(p.layout({"birthdate", "income"}, {}, &error));
  CHECK(error == "column 1 'birthdate' is not an input of pack t.bind (did you mean 'birth_date'?)");
  CHECK_FALSE(p.layout({"income", "applicant.income"}, {}, &error));
  CHECK(error == "columns 1 'income' and 2 'applicant.income' both give 'applicant.income'");
  BindOptions warn;
  warn.unknown_fields = UnknownFields::warn;
  const auto l = p.layout({"birth_date", "note", "income"}, warn, &error);
  REQUIRE(l);
  CHECK(l->ignored() == std::vector<std::string>{"note"});
  CHECK(l->column_of("applicant.income") == 2);
}

TEST_CASE("rows: text cells are coerced, lists come as JSON, an empty cell is missing, groups by name", "[bind][rows]") {
  const Pack p = compile_ok(kPack);
  std::string error;
  const auto l = p.layout({"birth_date", "income", "married", "children", "medical.stays", "kind"}, {}, &error);
  REQUIRE(l);
  Input in;
  p.bind_row(*l, {"1990/1/1", "2,000", "否", R"([{"name": "a", "age": 17}, {"name": "b", "age": 18}])", "[]", ""}, &in);
  CHECK(in.errors().empty());
  Decision d = p.evaluate(in, on("2024-05-01"));
  CHECK(d.verdict == Verdict::eligible);
  CHECK(d.total.to_string() == "2035");
  // The same row with the income cell empty: income is missing, so the score needs evidence.
  p.bind_row(*l, {"1990/1/1", "", "否", "[]", "[]", ""}, &in);
  d = p.evaluate(in, on("2024-05-01"));
  CHECK(item_status(d, "income") == ItemStatus::needs_evidence);
  CHECK(d.total.to_string() == "34");
  // A list cell that is not JSON is a data error with the column's path.
  p.bind_row(*l, {"1990/1/1", "1", "否", "[{]", "", ""}, &in);
  REQUIRE(in.errors().size() == 1);
  CHECK(in.errors()[0].path == "applicant.children");
  CHECK(in.errors()[0].message == "expected a list as JSON text: column 3: expected a member name in double quotes");
}

TEST_CASE("rows: typed cells from a host (numbers, booleans, dates) fill slots directly", "[bind][rows]") {
  const Pack p = compile_ok(kPack);
  std::string error;
  const auto l = p.layout({"id_number", "birth_date", "income", "married", "children"}, {}, &error);
  REQUIRE(l);
  Cell c[5];
  c[0].kind = Cell::Kind::number;  // an ID number read as a number: its check character is a digit here
  c[0].number = *Decimal::parse("110101199003074477");
  c[1].kind = Cell::Kind::date;
  c[1].date = *Date::parse("1990-01-01");
  c[2].kind = Cell::Kind::number;
  c[2].number = *Decimal::parse("0.1");
  c[3].kind = Cell::Kind::boolean;
  c[3].boolean = true;
  c[4].kind = Cell::Kind::text;
  c[4].text = "[]";
  Input in;
  p.bind_row(*l, c, 5, &in);
  INFO((in.errors().empty() ? std::string() : in.errors()[0].message));
  CHECK(in.errors().empty());
  const Decision d = p.evaluate(in, on("2024-05-01"));
  CHECK(d.total.to_string() == "44.1");
  c[3].kind = Cell::Kind::date;
  p.bind_row(*l, c, 5, &in);
  REQUIRE(in.errors().size() == 1);
  CHECK(in.errors()[0].message == "expected true or false, got a date");
}
