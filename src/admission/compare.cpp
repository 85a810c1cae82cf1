// Automatic comparison (自动比对审核): each applicant's declared values against the source table, the points
// an item would get from either, and the departments' to-do lists (待办) for eligo review.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <unordered_map>

#include "admission/declared_path.hpp"
#include "admission/table_out.hpp"
#include "core/text_out.hpp"
#include "eligo/admission.hpp"
#include "eligo/identity.hpp"
#include "records/json_cursor.hpp"

namespace eligo::admission {
namespace {

using detail::split_path;
using detail::Step;

// Where a declared path's value lies in the applicant's JSON text. The text is read with the data path's
// JSON reader (records::detail::JsonCursor, the one the binder uses), never a second parser: the values
// compared are the exact texts the pack is evaluated on (numbers keep every digit).
struct Located {
  bool found = false;
  std::size_t begin = 0, end = 0;   // the value's bytes
  char kind = 0;                    // '"' string, '0' number, 't' true/false, 'n' null, '{' / '[' container
  std::string text;                 // a scalar as text (strings unescaped, null ""), a container's JSON text
  // Not found, but every step up to the last one is: the last member can be added to that object.
  bool can_add = false;
  std::size_t add_at = 0;           // the object's closing brace
  bool add_first = false;           // the object has no members yet
};

Located locate(std::string_view json, const std::vector<Step>& steps) {
  Located at;
  records::detail::JsonCursor c(json);
  std::string scratch;
  std::uint32_t depth = 0;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    bool first = true, done = false, matched = false;
    if (s.index < 0) {
      if (c.peek() != '{' || !c.expect('{')) return at;
      ++depth;
      std::string_view key;
      while (c.member(&first, &key, &scratch, &done)) {
        if (key == s.member) {
          matched = true;
          break;
        }
        if (!c.skip_value(depth)) return at;
      }
      if (!matched) {
        if (done && i + 1 == steps.size()) {
          at.can_add = true;
          at.add_at = c.offset() - 1;
          at.add_first = first;
        }
        return at;
      }
    } else {
      if (c.peek() != '[' || !c.expect('[')) return at;
      ++depth;
      for (long n = 0; c.item(&first, &done); ++n) {
        if (n == s.index) {
          matched = true;
          break;
        }
        if (!c.skip_value(depth)) return at;
      }
      if (!matched) return at;
    }
  }
  const char k = c.peek();
  at.begin = c.offset();
  std::string_view v;
  switch (k) {
    case '"':
      if (!c.string(&v, &scratch)) return at;
      at.text.assign(v);
      break;
    case 't':
    case 'f':
      if (!c.literal(k == 't' ? "true" : "false")) return at;
      at.text = k == 't' ? "true" : "false";
      break;
    case 'n':
      if (!c.literal("null")) return at;
      break;
    case '{':
    case '[':
      if (!c.skip_value(depth)) return at;
      at.text.assign(json.substr(at.begin, c.offset() - at.begin));
      break;
    default:
      if (!c.number(&v)) return at;
      at.text.assign(v);
      break;
  }
  at.kind = k == '"' || k == 'n' || k == '{' || k == '[' ? k : (k == 't' || k == 'f') ? 't' : '0';
  at.end = c.offset();
  at.found = true;
  return at;
}

std::string value_text(std::string_view json, const std::string& path) { return locate(json, split_path(path)).text; }

// `json` with the value at `path` replaced by `text` (the source's value): a number where the declared
// value was a number and the text is one, null for "", else a string. A missing last member is added to its
// object. false, and the text as it is, when the path does not reach an object to hold the value (the
// applicant has no such list item, or no record above the member).
bool put(std::string* json, const std::string& path, const std::string& text) {
  const std::vector<Step> steps = split_path(path);
  const Located at = locate(*json, steps);
  if (!at.found && !at.can_add) return false;
  std::string value;
  std::string_view number;
  records::detail::JsonCursor n(text);
  if (text.empty()) {
    value = "null";
  } else if (at.found && at.kind == '0' && n.number(&number) && number.size() == text.size()) {
    value = text;
  } else {
    value = eligo::detail::json_string(text);
  }
  if (at.found) {
    json->replace(at.begin, at.end - at.begin, value);
  } else {
    json->insert(at.add_at, (at.add_first ? "" : ",") + eligo::detail::json_string(steps.back().member) + ":" + value);
  }
  return true;
}

std::string shown(const std::string& pii, const std::string& value, bool clear) {
  if (clear || pii.empty() || value.empty()) return value;
  identity::PiiKind kind = identity::PiiKind::id_number;
  if (pii == "name") kind = identity::PiiKind::name;
  if (pii == "mobile") kind = identity::PiiKind::mobile;
  if (pii == "bank_card") kind = identity::PiiKind::bank_card;
  return identity::mask(kind, value);
}

std::string points_of(const Decision& d, const std::string& indicator) {
  for (const ItemResult& it : d.items)
    if (it.id == indicator) return it.points.to_string();
  return "";
}

}  // namespace

const char* to_string(CompareVerdict v) {
  switch (v) {
    case CompareVerdict::matched: return "matched";
    case CompareVerdict::mismatched: return "mismatched";
    case CompareVerdict::missing_source: return "missing in source";
    case CompareVerdict::missing_declared: return "missing declared";
  }
  return "";
}

const char* to_string_zh(CompareVerdict v) {
  switch (v) {
    case CompareVerdict::matched: return "一致";
    case CompareVerdict::mismatched: return "不一致";
    case CompareVerdict::missing_source: return "数据源无记录";
    case CompareVerdict::missing_declared: return "未申报";
  }
  return "";
}

CompareVerdict compare_values(const CompareItem& item, const std::vector<std::string>& declared,
                              const std::vector<std::string>& source, Date as_of, std::string* detail) {
  detail->clear();
  if (declared.empty() || declared[0].empty()) return CompareVerdict::missing_declared;
  if (source.empty() || source[0].empty()) return CompareVerdict::missing_source;
  const std::string& a = declared[0];
  const std::string& b = source[0];
  switch (item.kind) {
    case CompareKind::equal: {
      const auto x = Decimal::parse(a), y = Decimal::parse(b);
      const bool same = x && y ? *x == *y : a == b;
      return same ? CompareVerdict::matched : CompareVerdict::mismatched;
    }
    case CompareKind::name: {
      const bool same = identity::normalize_name(a) == identity::normalize_name(b);
      if (!same) *detail = "规范化后仍不同 / differ after normalisation";
      return same ? CompareVerdict::matched : CompareVerdict::mismatched;
    }
    case CompareKind::date: {
      const auto x = Date::parse(a), y = Date::parse(b);
      if (!x || !y) {
        *detail = std::string("不是日期 / not a date: ") + (!x ? "declared" : "source");
        return CompareVerdict::mismatched;
      }
      const int apart = std::abs(days_between(*x, *y));
      *detail = "相差 " + std::to_string(apart) + " 天 / " + std::to_string(apart) + " days apart";
      return apart <= item.days ? CompareVerdict::matched : CompareVerdict::mismatched;
    }
    case CompareKind::number: {
      const auto x = Decimal::parse(a), y = Decimal::parse(b);
      if (!x || !y) {
        *detail = std::string("不是数字 / not a number: ") + (!x ? "declared" : "source");
        return CompareVerdict::mismatched;
      }
      Decimal diff;
      if (!Decimal::sub(*x, *y, &diff)) return CompareVerdict::mismatched;
      if (diff.is_negative()) {
        Decimal positive;
        Decimal::sub(Decimal(), diff, &positive);
        diff = positive;
      }
      *detail = "相差 " + diff.to_string() + " / differ by " + diff.to_string();
      return diff <= item.tolerance ? CompareVerdict::matched : CompareVerdict::mismatched;
    }
    case CompareKind::period: {
      auto day = [&](const std::vector<std::string>& v, std::size_t i) -> std::optional<Date> {
        if (i >= v.size() || v[i].empty()) return i == 1 ? std::optional<Date>(as_of) : std::nullopt;
        return Date::parse(v[i]);
      };
      const auto df = day(declared, 0), dt = day(declared, 1), sf = day(source, 0), st = day(source, 1);
      if (!df || !dt || !sf || !st) {
        *detail = "不是日期 / not a date";
        return CompareVerdict::mismatched;
      }
      const bool covered = *sf <= *df && *st >= *dt;
      if (!covered)
        *detail = "数据源期间 " + sf->to_string() + ".." + st->to_string() +
                  " 未覆盖申报期间 / the source period does not cover the declared one";
      return covered ? CompareVerdict::matched : CompareVerdict::mismatched;
    }
  }
  return CompareVerdict::mismatched;
}

struct Comparer::State {
  CompareSpec spec;
  const Pack* pack = nullptr;
  CompareOptions options;
  Table source;
  std::unordered_map<std::string, std::size_t> index;   // source key → row
  std::vector<CompareRow> last;               // the rows of the last add()
  std::vector<std::vector<int>> columns;      // per item: the source columns
  CompareResult result;
  Input input, changed_input;                 // the row bound; with one item's source values (reused)
  Decision base, changed;                     // from the declared values; with one item's source values
};

Comparer::Comparer(const CompareSpec& spec, const Pack* pack, Table source_table, CompareOptions options)
    : s_(std::make_unique<State>()) {
  s_->spec = spec;
  s_->pack = pack;
  s_->options = options;
  s_->source = std::move(source_table);
  const Table& source = s_->source;
  s_->index.reserve(source.rows.size());
  auto col = [&](const std::string& name) {
    for (std::size_t i = 0; i < source.header.size(); ++i)
      if (source.header[i] == name) return static_cast<int>(i);
    return -1;
  };
  const int key = col(spec.source_key);
  for (std::size_t r = 0; r < source.rows.size(); ++r) {
    const std::uint64_t line = r < source.row_numbers.size() ? source.row_numbers[r] : r + 1;
    const std::string k = key >= 0 ? source.rows[r][static_cast<std::size_t>(key)] : "";
    if (k.empty()) {
      s_->result.source_rejected.push_back({line, spec.source_key, "no key"});
    } else if (!s_->index.emplace(k, r).second) {
      const std::size_t first = s_->index[k];
      s_->result.source_rejected.push_back(
          {line, spec.source_key, "the key is given twice (first at row " +
                                      std::to_string(first < source.row_numbers.size() ? source.row_numbers[first] : first + 1) +
                                      "); only the first row is used"});
    }
  }
  for (const CompareItem& item : spec.items) {
    std::vector<int> c;
    for (const auto& s : item.source) c.push_back(col(s));
    s_->columns.push_back(std::move(c));
  }
  for (const CompareItem& item : spec.items) {
    bool known = false;
    for (const auto& d : s_->result.departments) known = known || d.first == item.department;
    if (!known) s_->result.departments.push_back({item.department, {}});
  }
}

Comparer::~Comparer() = default;

void Comparer::reject(Rejection r) { s_->result.rejected.push_back(std::move(r)); }

const std::vector<CompareRow>& Comparer::last_rows() const { return s_->last; }

std::vector<std::string> Comparer::departments() const {
  std::vector<std::string> out;
  for (const auto& d : s_->result.departments) out.push_back(d.first);
  return out;
}

void Comparer::add(std::uint64_t line, std::string_view applicant_json) {
  State& s = *s_;
  s.last.clear();
  // The row as the binder reads it: with a pack, bound to its inputs (a malformed row, an unknown field, a
  // value of the wrong type is rejected with the binder's reason, as eligo eval rejects it); without one,
  // checked as one JSON object by the same reader.
  EvalOptions eo;
  eo.as_of = s.options.as_of;
  if (s.pack) {
    s.pack->bind(applicant_json, &s.input);
    s.pack->evaluate(s.input, eo, &s.base);
    if (s.base.input_rejected()) {
      const std::vector<DataError>& e = s.input.errors();
      s.result.rejected.push_back({line, e.empty() ? "" : e.front().path, s.base.rejection()});
      return;
    }
  } else {
    records::detail::JsonCursor c(applicant_json);
    bool object = c.peek() == '{' && c.skip_value();
    if (object && !c.at_end()) object = c.fail("text after the object");
    if (!object) {
      s.result.rejected.push_back(
          {line, "", c.ok() ? std::string("not a JSON object") : "not a JSON object: " + c.where_error()});
      return;
    }
  }
  const std::string key = value_text(applicant_json, s.spec.key);
  if (key.empty()) {
    s.result.rejected.push_back({line, s.spec.key, "no key (" + s.spec.key + ")"});
    return;
  }
  ++s.result.applicants;
  const auto src = s.index.find(key);
  for (std::size_t i = 0; i < s.spec.items.size(); ++i) {
    const CompareItem& item = s.spec.items[i];
    std::vector<std::string> declared, source;
    for (const auto& p : item.declared) declared.push_back(value_text(applicant_json, p));
    for (const int c : s.columns[i])
      source.push_back(src != s.index.end() && c >= 0 ? s.source.rows[src->second][static_cast<std::size_t>(c)] : "");
    CompareRow row;
    row.line = line;
    row.key = key;
    row.item = &item;
    row.verdict = compare_values(item, declared, source, s.options.as_of, &row.detail);
    auto show = [&](const std::vector<std::string>& v) {
      std::string out = shown(item.pii, v.empty() ? "" : v[0], s.options.clear_pii);
      if (v.size() == 2 && (!v[0].empty() || !v[1].empty())) out += ".." + (v[1].empty() ? std::string("") : v[1]);
      return out;
    };
    row.declared = show(declared);
    row.source = show(source);
    if (s.pack && !item.indicator.empty()) {
      row.declared_points = points_of(s.base, item.indicator);
      if (row.verdict == CompareVerdict::matched) {
        row.source_points = row.declared_points;
      } else if (row.verdict == CompareVerdict::mismatched || row.verdict == CompareVerdict::missing_declared) {
        // The source's points are never guessed: where the value cannot be put in the applicant's data, or
        // the data with it is not what the pack takes, source_points stays empty and the detail says why.
        std::string changed(applicant_json);
        std::string unplaced;
        for (std::size_t k = 0; k < item.declared.size(); ++k)
          if (!put(&changed, item.declared[k], source[k])) unplaced = item.declared[k];
        auto note = [&](const std::string& why) { row.detail += (row.detail.empty() ? "" : "; ") + why; };
        if (!unplaced.empty()) {
          note("来源值无处放入（" + unplaced + " 上层不存在），不计来源积分 / the source value has nowhere to go (" +
               unplaced + " is not in the applicant's data above its last member): no source points");
        } else {
          s.pack->bind(changed, &s.changed_input);
          s.pack->evaluate(s.changed_input, eo, &s.changed);
          // A data error, even one the pack only treats as a missing field (a wrong type), means the source
          // value did not go in: the indicator would score the applicant without it.
          if (s.changed.input_rejected() || !s.changed_input.errors().empty()) {
            const std::vector<DataError>& e = s.changed_input.errors();
            note("来源值不被规则包接受，不计来源积分 / the pack does not take the source value: " +
                 (e.empty() ? s.changed.rejection() : e.front().path + ": " + e.front().message));
          } else {
            row.source_points = points_of(s.changed, item.indicator);
          }
        }
      }  // missing in source: no source value to score
    }
    for (auto& d : s.result.departments)
      if (d.first == item.department) {
        CompareCounts& c = d.second;
        ++c.items;
        switch (row.verdict) {
          case CompareVerdict::matched: ++c.matched; break;
          case CompareVerdict::mismatched: ++c.mismatched; break;
          case CompareVerdict::missing_source: ++c.missing_source; break;
          case CompareVerdict::missing_declared: ++c.missing_declared; break;
        }
      }
    s.last.push_back(std::move(row));
  }
  if (s.options.keep_rows) s.result.rows.insert(s.result.rows.end(), s.last.begin(), s.last.end());
}

CompareResult Comparer::finish() { return std::move(s_->result); }

namespace {

const std::vector<std::string> kCompareColumns = {"line", "key", "item", "label", "department", "kind", "verdict",
                                                  "verdict_zh", "declared", "source", "detail", "declared_points",
                                                  "source_points"};
const std::vector<std::string> kApplicantColumns = {"line", "key", "items", "matched", "mismatched", "missing_source",
                                                    "missing_declared", "points_declared", "points_source"};
const std::vector<std::string> kTodoColumns = {"key", "item", "label", "department", "points", "declared", "source",
                                               "verdict_zh", "detail"};

// todo/<department>.csv, the name made safe for a file system.
std::string todo_file(const std::string& department, std::size_t i) {
  std::string file = department;
  for (char& ch : file)
    if (ch == '/' || ch == '\\' || ch == ':' || ch == ' ') ch = '_';
  if (file.empty() || file[0] == '.') file = "department-" + std::to_string(i + 1);
  return "todo/" + file + ".csv";
}

}  // namespace

struct CompareWriter::State {
  std::string dir;
  bool clear_pii = false;
  detail::TableStream all, applicants;
  std::vector<std::string> departments, files;
  std::vector<detail::TableStream> todo;   // per department, in `departments` order
  std::vector<std::string> cells;        // reused
};

CompareWriter::CompareWriter() : s_(std::make_unique<State>()) {}
CompareWriter::~CompareWriter() = default;

bool CompareWriter::open(const std::string& dir, const std::vector<std::string>& departments, bool clear_pii,
                         std::string* error) {
  State& s = *s_;
  std::error_code ec;
  std::filesystem::create_directories(dir + "/todo", ec);
  if (ec) {
    *error = dir + ": cannot create the folder: " + ec.message();
    return false;
  }
  s.dir = dir;
  s.clear_pii = clear_pii;
  s.departments = departments;
  if (!s.all.open(dir + "/compare.csv", "csv", kCompareColumns, {}, error) ||
      !s.applicants.open(dir + "/applicants.csv", "csv", kApplicantColumns, {}, error))
    return false;
  s.todo.clear();
  s.todo.reserve(departments.size());
  for (std::size_t i = 0; i < departments.size(); ++i) {
    s.files.push_back(todo_file(departments[i], i));
    s.todo.emplace_back();
    if (!s.todo.back().open(dir + "/" + s.files.back(), "csv", kTodoColumns, {}, error)) return false;
  }
  return true;
}

void CompareWriter::add(const std::vector<CompareRow>& rows) {
  State& s = *s_;
  if (rows.empty()) return;
  auto key_shown = [&](const std::string& k) { return s.clear_pii ? k : identity::mask(identity::PiiKind::id_number, k); };
  CompareCounts c;
  Decimal declared, source;
  for (const CompareRow& row : rows) {
    const CompareItem& it = *row.item;
    s.all.row({std::to_string(row.line), key_shown(row.key), it.id, it.label, it.department, to_string(it.kind),
               to_string(row.verdict), to_string_zh(row.verdict), row.declared, row.source, row.detail,
               row.declared_points, row.source_points});
    ++c.items;
    (row.verdict == CompareVerdict::matched          ? c.matched
     : row.verdict == CompareVerdict::mismatched     ? c.mismatched
     : row.verdict == CompareVerdict::missing_source ? c.missing_source
                                                     : c.missing_declared) += 1;
    if (const auto v = Decimal::parse(row.declared_points)) Decimal::add(declared, *v, &declared);
    if (const auto v = Decimal::parse(row.source_points)) Decimal::add(source, *v, &source);
    if (row.verdict != CompareVerdict::matched) {
      const auto d = std::find(s.departments.begin(), s.departments.end(), it.department);
      if (d != s.departments.end())
        s.todo[static_cast<std::size_t>(d - s.departments.begin())].row(
            {row.key, it.id, it.label, it.department, row.declared_points.empty() ? "0" : row.declared_points,
             row.declared, row.source, to_string_zh(row.verdict), row.detail});
    }
  }
  s.applicants.row({std::to_string(rows.front().line), key_shown(rows.front().key), std::to_string(c.items),
                    std::to_string(c.matched), std::to_string(c.mismatched), std::to_string(c.missing_source),
                    std::to_string(c.missing_declared), declared.to_string(), source.to_string()});
}

bool CompareWriter::finish(const CompareResult& r, std::string* error) {
  State& s = *s_;
  detail::Sheet departments{"departments 部门",
                            {"department", "items", "matched", "mismatched", "missing_source", "missing_declared", "todo"},
                            {},
                            {1, 2, 3, 4, 5}};
  for (const auto& [name, c] : r.departments) {
    const auto d = std::find(s.departments.begin(), s.departments.end(), name);
    const std::string file = d != s.departments.end() ? s.files[static_cast<std::size_t>(d - s.departments.begin())] : "";
    departments.rows.push_back({name, std::to_string(c.items), std::to_string(c.matched), std::to_string(c.mismatched),
                                std::to_string(c.missing_source), std::to_string(c.missing_declared), file});
  }
  detail::Sheet rejected{"rejected 被拒行", {"file", "row", "column", "reason"}, {}, {1}};
  for (const auto& x : r.rejected) rejected.rows.push_back({"declared", std::to_string(x.row), x.column, x.reason});
  for (const auto& x : r.source_rejected) rejected.rows.push_back({"source", std::to_string(x.row), x.column, x.reason});
  if (!s.all.commit(error) || !s.applicants.commit(error) ||
      !detail::write_table(departments, "csv", s.dir + "/departments.csv", error) ||
      !detail::write_table(rejected, "csv", s.dir + "/rejected.csv", error))
    return false;
  for (detail::TableStream& t : s.todo)
    if (!t.commit(error)) return false;
  return true;
}

bool write_compare(const CompareResult& r, const std::string& dir, bool clear_pii, std::string* error) {
  std::vector<std::string> departments;
  for (const auto& d : r.departments) departments.push_back(d.first);
  CompareWriter writer;
  if (!writer.open(dir, departments, clear_pii, error)) return false;
  // One applicant's rows are consecutive (one line and key).
  std::vector<CompareRow> group;
  for (const CompareRow& row : r.rows) {
    if (!group.empty() && (group.back().line != row.line || group.back().key != row.key)) {
      writer.add(group);
      group.clear();
    }
    group.push_back(row);
  }
  writer.add(group);
  return writer.finish(r, error);
}

}  // namespace eligo::admission
