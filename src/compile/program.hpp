// Program: the immutable result of compiling a rule pack. Evaluation reads it from any number of threads.
//
// Expressions are lowered to a flat array of typed nodes (children by index). Field paths are resolved to
// (group, slot) pairs, `let` values to cache slots, lambda parameters to local slots, named lists to
// sorted tables, and constant subtrees are folded to a single Const node.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eligo/date.hpp"
#include "eligo/decimal.hpp"
#include "evaluate/value.hpp"

namespace eligo::detail {

// ---- types ---------------------------------------------------------------------------------------------
enum class TKind : std::uint8_t { null, boolean, number, string, date, list, record };
enum class Pii : std::uint8_t { none, id_number, bank_card, mobile, name };

struct TypeInfo {
  TKind kind = TKind::null;
  bool optional = false;
  std::uint32_t elem = 0;     // list: element type id
  std::uint32_t record = 0;   // record: record id
  std::int32_t enum_id = -1;  // string: index into Program::enums, or -1
  bool cn_id = false;         // string: a Chinese ID number, validated and normalised when bound
};

struct Localized {
  std::string zh, en;  // either may be empty; text() falls back to the other
  const std::string& text(std::string_view lang) const {
    if (lang == "en") return en.empty() ? zh : en;
    return zh.empty() ? en : zh;
  }
  bool empty() const { return zh.empty() && en.empty(); }
};

struct FieldInfo {
  std::string name;
  std::uint32_t type = 0;
  Pii pii = Pii::none;
  Localized label;
  std::uint32_t path = 0;  // path id, e.g. "applicant.birth_date" or "medical.stays[].admit"
};

struct RecordInfo {
  std::vector<FieldInfo> fields;
  int find(std::string_view name) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
      if (fields[i].name == name) return static_cast<int>(i);
    return -1;
  }
};

struct GroupInfo {
  std::string name;
  std::string source;  // empty: given up front only
  std::uint32_t record = 0;
  std::uint32_t path = 0;
  Localized label;
};

// ---- IR ------------------------------------------------------------------------------------------------
enum class Op : std::uint8_t {
  Const,     // a = constant index
  Field,     // a = group, b = slot
  Get,       // a = record expression, b = slot, c = path id
  Local,     // a = local slot
  Let,       // a = let index
  AsOf,
  Neg, Not,  // a
  Add, Sub, Mul, Div, Mod,  // a, b
  Eq, Ne, Lt, Le, Gt, Ge,   // a, b
  And, Or,   // a, b (short-circuit, missing-aware)
  If,        // a ? b : c
  Coalesce,  // a ?? b
  Present,   // a
  InSet,     // a in set #b (sorted constant values); c = 1 for "not in"
  InRange,   // a in [b .. c]
  InList,    // a in list expression b
  Call,      // sub = builtin id; args at arg_lists[b .. b+c)
  Quant,     // sub = quantifier; a = list, b = local slot, c = body (a second body in the next arg list)
};

enum class Builtin : std::uint8_t {
  round, floor, ceil, abs, min, max, date, years_between, months_between, days_between, add_months, add_days,
  year, month, day, len, starts_with, ends_with, contains, overlaps, floor_div,
  cn_id_valid, cn_id_birth_date, cn_id_sex, cn_id_region, cn_id_age, uscc_valid, normalize_name, names_match, mask,
  blacklisted, blacklist_reasons,
  param, scale,  // n.d = index into Program::parameters; args: (date) and (amount, date)
  concat,        // any number of strings, numbers, dates, bools → their text joined
  lookup, has_row,  // n.d = index into Program::tables; args: the key values (up to 4)
  date_text,     // date(text) of a non-literal: the date, or missing (with a data error) when it does not parse
};

enum class Quantifier : std::uint8_t { any, all, count, sum, min, max, filter, map, covered_months };

struct Node {
  Op op = Op::Const;
  std::uint8_t sub = 0;
  std::uint32_t type = 0;
  std::uint32_t a = 0, b = 0, c = 0;
  std::uint32_t d = 0;    // Quant covered_months: the second body (the `to` lambda body)
  std::uint32_t src = 0;  // index into Program::spans
};

// Where an expression node came from, for run-time errors.
struct Span {
  std::uint32_t expr = 0;  // index into Program::exprs
  std::uint32_t begin = 0, end = 0;
};

struct ExprSource {
  std::string text;
  std::string pointer;
  std::uint32_t line = 0, column = 0;
};

// A reason template: literal text and expressions, alternating.
struct Template {
  struct Part {
    std::string text;          // literal, when expr < 0
    std::int32_t expr = -1;    // root node
    Pii pii = Pii::none;       // a direct read of a PII field: masked unless clear text was asked for
  };
  std::vector<Part> parts;
  // The pack's "date_format": false "iso" (YYYY-MM-DD, the default), true "chinese" (zh-CN reasons write
  // 2024年4月1日; English ones keep YYYY-MM-DD). Applies to every date a reason shows.
  bool chinese_dates = false;
};

struct LocalizedTemplate {
  Template zh, en;
  const Template& get(std::string_view lang) const {
    if (lang == "en") return en.parts.empty() ? zh : en;
    return zh.parts.empty() ? en : zh;
  }
};

struct CheckInfo {
  std::string id;
  Localized label;
  std::uint32_t require = 0;  // bool node
  std::int32_t when = -1;
  LocalizedTemplate reason;
  std::string cite, department;
};

enum class Hit : std::uint8_t { first, unique, collect_sum, collect_max, priority };

struct RowInfo {
  std::int32_t test = -1;   // bool node; -1 for otherwise
  std::uint32_t points = 0; // number node
  Decimal priority;
  std::string when_text;    // as written, for the trace
  Localized label;
  bool example = false;
};

enum class IndicatorKind : std::uint8_t { points, per, table };

struct IndicatorInfo {
  std::string id;
  Localized label;
  std::string department, group, cite, note;
  IndicatorKind kind = IndicatorKind::points;
  std::uint32_t points = 0;          // points / per.points node
  std::uint32_t count = 0;           // per.count node
  std::int32_t on = -1;              // table: node bound to `on_local`
  std::uint32_t on_local = 0;
  Hit hit = Hit::first;
  std::vector<RowInfo> rows;
  std::int32_t when = -1;
  std::optional<Decimal> cap;
  bool deduct = false;
  bool example = false;
  std::string formula_text;          // points / per count text as written
};

struct GroupCap {
  std::string name;
  Localized label;
  std::optional<Decimal> cap;
};

struct OutputInfo {
  std::string name;
  std::uint32_t node = 0;
  Pii pii = Pii::none;  // masked when shown unless clear text was asked for
  Localized label;
  bool example = false;
  std::string note;
  // An output written as a table: its rows, for coverage. Each row but an otherwise is one If of the chain
  // the table is lowered to (the row matched when its `then` is taken); an otherwise row is reached when the
  // last If's `else` is taken.
  struct TableRow {
    std::uint32_t if_node = 0;
    bool otherwise = false;
    std::string when_text;
  };
  std::vector<TableRow> table_rows;
};

struct LetInfo {
  std::string name;
  std::uint32_t node = 0;
  std::uint32_t path = 0;  // path id of the name, for the explanation trace
  Pii pii = Pii::none;     // the personal data its value may carry: masked in traces
};

// A dated parameter (OpenFisca's model): figures that change on set dates, read at as_of or a given date.
// A scale holds, for each period, brackets of (threshold, amount): scale() gives the amount of the highest
// bracket whose threshold the value reaches (0 below the first).
struct ParameterInfo {
  std::string name, unit, note;
  Localized label;
  bool example = false;
  bool is_scale = false;
  struct Period {
    Date from;
    Decimal value;                                   // a plain parameter
    std::vector<std::pair<Decimal, Decimal>> brackets;  // a scale: (threshold, amount), thresholds ascending
  };
  std::vector<Period> periods;  // `from` ascending
  // The period in force on `d`, or nullptr before the first.
  const Period* at(Date d) const {
    const Period* found = nullptr;
    for (const auto& p : periods) {
      if (d < p.from) break;
      found = &p;
    }
    return found;
  }
};

// A lookup table (reference data a district keeps, seed 003's 数据库建表管理): rows read at compile time from a
// CSV file or an SQLite table, typed by the pack's "columns", indexed by their key columns. lookup() gives
// the row (a record), has_row() whether there is one.
struct LookupTable {
  std::string name;
  std::uint32_t type = 0;                 // the record type of a row
  std::vector<std::uint32_t> key;         // slots of the key columns, in key order
  std::uint32_t width = 0;                // columns per row
  std::vector<Value> cells;               // rows × width, never resized once rows point into it
  std::vector<Value> rows;                // one record value per row, pointing into cells
  std::vector<std::uint32_t> order;       // row indices sorted by key
  // The row whose key equals `key[0..n)`, or nullptr.
  const Value* find(const Value* key_values, std::uint32_t n) const {
    auto cmp = [&](std::uint32_t row) {
      for (std::uint32_t k = 0; k < n && k < key.size(); ++k) {
        const int c = values_compare(rows[row].items[key[k]], key_values[k]);
        if (c != 0) return c;
      }
      return 0;
    };
    std::size_t lo = 0, hi = order.size();
    while (lo < hi) {
      const std::size_t mid = (lo + hi) / 2;
      const int c = cmp(order[mid]);
      if (c == 0) return &rows[order[mid]];
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return nullptr;
  }
};

enum class CheckMode : std::uint8_t { first_failure, all };

struct FastPlan;  // src/evaluate/fast_plan.hpp

struct Program {
  // identity
  std::string pack_id, version, hash, file;
  std::vector<std::string> lint_ignore;  // the warning codes the pack silences ("lint": {"ignore": [...]})
  Localized title, source;
  std::optional<Date> effective_from, effective_until;
  Rounding rounding = Rounding::half_up;
  CheckMode mode = CheckMode::first_failure;
  std::vector<std::string> tests;  // case files, resolved against the pack's folder

  // inputs
  std::vector<TypeInfo> types;
  std::vector<RecordInfo> records;
  std::vector<GroupInfo> groups;
  std::vector<std::vector<std::string>> enums;
  std::vector<std::string> paths;  // path id → text
  // Binding: the group a flat record (a CSV row, a flat JSON object) fills by default, -1 for none; and
  // what a key the inputs do not declare is (0 error, 1 warning, 2 ignored) unless the caller says.
  std::int32_t record_group = -1;
  std::uint8_t unknown_fields = 0;

  // code
  std::vector<Node> nodes;
  std::vector<std::uint32_t> args;
  std::vector<Value> constants;
  std::deque<std::string> strings;               // storage behind string constants (stable addresses)
  std::vector<std::vector<Value>> value_lists;   // constant lists (sorted for sets)
  std::vector<Span> spans;
  std::vector<ExprSource> exprs;
  std::uint32_t local_count = 0;

  std::vector<LetInfo> lets;
  std::vector<CheckInfo> checks;
  std::vector<IndicatorInfo> indicators;
  std::vector<GroupCap> group_caps;
  std::optional<Decimal> total_floor, total_cap;
  std::vector<OutputInfo> outputs;
  std::vector<ParameterInfo> parameters;
  std::vector<LookupTable> tables;
  bool has_scores = false;
  bool uses_blacklist = false;  // calls blacklisted() / blacklist_reasons(): a snapshot must be attached
  // The fast path's plan (src/evaluate/fast_plan.hpp), made once the Program is complete; without one,
  // every evaluation takes the full path.
  std::shared_ptr<const FastPlan> fast_plan;

  std::uint32_t intern_path(const std::string& p) {
    for (std::size_t i = 0; i < paths.size(); ++i)
      if (paths[i] == p) return static_cast<std::uint32_t>(i);
    paths.push_back(p);
    return static_cast<std::uint32_t>(paths.size() - 1);
  }
};

}  // namespace eligo::detail
