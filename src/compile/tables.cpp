// Decision tables: hit policies, rows with "when" tests (conditions, or unary tests against "on"), the
// otherwise row, overlaps in 'unique' tables and enum values no row covers.
#include "compile/compiler_impl.hpp"

#include <algorithm>
#include <map>

#include "evaluate/evaluator.hpp"

namespace eligo::compile {
namespace {

// The values a constant row test accepts, for overlap and coverage checks.
struct RowSet {
  bool known = false;
  std::vector<std::string> strings;
  struct Interval {
    bool has_lo = false, has_hi = false, lo_open = false, hi_open = false;
    Decimal lo, hi;
  };
  std::vector<Interval> intervals;
};

bool intervals_meet(const RowSet::Interval& a, const RowSet::Interval& b) {
  // a.lo <= b.hi and b.lo <= a.hi, with open ends excluding equality.
  auto below = [](bool has_lo, const Decimal& lo, bool lo_open, bool has_hi, const Decimal& hi, bool hi_open) {
    if (!has_lo || !has_hi) return true;
    const int c = Decimal::compare(lo, hi);
    return c < 0 || (c == 0 && !lo_open && !hi_open);
  };
  return below(a.has_lo, a.lo, a.lo_open, b.has_hi, b.hi, b.hi_open) &&
         below(b.has_lo, b.lo, b.lo_open, a.has_hi, a.hi, a.hi_open);
}

// Whether interval `a` holds every value of `b`.
bool interval_contains(const RowSet::Interval& a, const RowSet::Interval& b) {
  if (a.has_lo) {
    if (!b.has_lo) return false;
    const int c = Decimal::compare(a.lo, b.lo);
    if (c > 0 || (c == 0 && a.lo_open && !b.lo_open)) return false;
  }
  if (a.has_hi) {
    if (!b.has_hi) return false;
    const int c = Decimal::compare(a.hi, b.hi);
    if (c < 0 || (c == 0 && a.hi_open && !b.hi_open)) return false;
  }
  return true;
}

std::string bound_text(const RowSet::Interval& iv, bool lo) {
  return (lo ? iv.has_lo : iv.has_hi) ? (lo ? iv.lo : iv.hi).to_string() : "";
}

}  // namespace

void Compiler::compile_table(const JsonNode& t, const std::string& pointer, detail::IndicatorInfo* ind,
                             std::vector<Lowered>* values) {
  if (!expect_kind(t, JsonNode::Kind::object, pointer, "\"table\"")) return;
  check_keys(t, pointer, {"on", "hit", "rows"}, "a table");
  const char* value_key = values ? "value" : "points";
  // An output's row value: any one type, checked across rows by compile_output_table.
  auto row_value = [&](const JsonNode* v, const std::string& vp, const std::string& what) -> std::uint32_t {
    if (!values) return compile_points(v, vp, what);
    // A bare JSON number or true/false is a constant value, as in an indicator's points.
    const TKind want = v && v->is_number() ? TKind::number : v && v->is_bool() ? TKind::boolean : TKind::null;
    Lowered l = v ? compile_expr(*v, vp, want, what) : Lowered{0, kErr};
    values->push_back(l);
    return l.node;
  };
  if (const JsonNode* h = t.find("hit"); h && values) {
    if (!h->is_string() || h->text != "first")
      rep_.at_node("E1102", *h, ptr(pointer, "hit"),
                   tr("an output's table takes the first row that matches: its \"hit\" can only be 'first'",
                      "输出项的决策表取第一个命中的行：\"hit\" 只能是 'first'"));
  } else if (const JsonNode* h = t.find("hit")) {
    const std::string s = get_string(h, ptr(pointer, "hit"), "\"hit\"");
    static const std::map<std::string, detail::Hit> kHits = {{"first", detail::Hit::first},
                                                             {"unique", detail::Hit::unique},
                                                             {"collect_sum", detail::Hit::collect_sum},
                                                             {"collect_max", detail::Hit::collect_max},
                                                             {"priority", detail::Hit::priority}};
    auto it = kHits.find(s);
    if (it != kHits.end()) ind->hit = it->second;
    else if (h->is_string()) {
      std::string msg = tr("unknown hit policy '" + s + "' (first, unique, collect_sum, collect_max, priority)",
                           "未知的命中策略 '" + s + "'（可用：first、unique、collect_sum、collect_max、priority）");
      rep_.at_node("E1102", *h, ptr(pointer, "hit"), msg);
    }
  }
  std::uint32_t on_type = kErr;
  if (const JsonNode* on = t.find("on")) {
    Lowered l = compile_expr(*on, ptr(pointer, "on"), TKind::null, "\"on\"");
    if (l.ok()) {
      ind->on = static_cast<std::int32_t>(l.node);
      ind->on_local = new_local();
      on_type = l.type;
    }
  }
  const JsonNode* rows = require_key(t, "rows", pointer, "a table");
  if (!rows || !expect_kind(*rows, JsonNode::Kind::array, ptr(pointer, "rows"), "\"rows\"")) return;
  std::vector<RowSet> sets;
  std::vector<const JsonNode*> when_nodes;
  bool has_otherwise = false;
  for (std::size_t i = 0; i < rows->items.size(); ++i) {
    const JsonNode& r = rows->items[i];
    const std::string rp = ptr(ptr(pointer, "rows"), i);
    if (!expect_kind(r, JsonNode::Kind::object, rp, "a table row")) continue;
    detail::RowInfo row;
    row.label = get_text(r.find("label"), ptr(rp, "label"), "a label");
    row.example = get_bool(r.find("example"), ptr(rp, "example"), "\"example\"");
    if (const JsonNode* o = r.find("otherwise")) {
      check_keys(r, rp, {"otherwise", "label", "example", "note"}, "an otherwise row");
      if (i + 1 != rows->items.size())
        rep_.at_node("E1216", r, rp, 
                     tr("\"otherwise\" must be the last row: rows after it could never match",
                        "\"otherwise\" 必须是最后一行：它后面的行永远不会命中"));
      has_otherwise = true;
      row.points = row_value(o, ptr(rp, "otherwise"), "\"otherwise\"");
      row.when_text = "otherwise";
      ind->rows.push_back(std::move(row));
      sets.emplace_back();
      when_nodes.push_back(&r);
      continue;
    }
    if (values) check_keys(r, rp, {"when", "value", "label", "example", "note"}, "a row of an output's table");
    else check_keys(r, rp, {"when", "points", "priority", "label", "example", "note"}, "a table row");
    row.points = row_value(require_key(r, value_key, rp, values ? "a row of an output's table" : "a table row"),
                           ptr(rp, value_key), values ? "\"value\"" : "\"points\"");
    if (ind->hit == detail::Hit::priority) {
      if (auto pr = get_decimal(require_key(r, "priority", rp, "a row of a priority table"), ptr(rp, "priority"), "\"priority\""))
        row.priority = *pr;
    }
    RowSet set;
    const JsonNode* w = require_key(r, "when", rp, "a table row");
    when_nodes.push_back(w ? w : &r);
    if (w && expect_kind(*w, JsonNode::Kind::string, ptr(rp, "when"), "\"when\"")) {
      row.when_text = w->text;
      const std::string wp = ptr(rp, "when");
      if (ind->on < 0) {
        row.test = static_cast<std::int32_t>(compile_expr(*w, wp, TKind::boolean, "\"when\"").node);
      } else if (on_type != kErr) {
        const UnaryTest ut = split_unary_test(w->text);
        Lowered l = compile_text_as(*w, wp, w->text.substr(ut.offset), ut.offset, [&](const Ast* a, const ExprCtx& ctx) {
          Node local;
          local.op = Op::Local;
          local.a = ind->on_local;
          local.type = on_type;
          Lowered on_val{emit(local, ctx, nullptr), on_type};
          if (!ut.op.empty()) {
            Lowered x = lower(a, ctx);
            if (x.ok() && is_const(x.node) && kind(x.type) == TKind::number) {
              set.known = true;
              RowSet::Interval iv;
              const Decimal& v = const_value(x.node).num;
              if (ut.op == "==") { iv.has_lo = iv.has_hi = true; iv.lo = iv.hi = v; }
              else if (ut.op == "<") { iv.has_hi = true; iv.hi = v; iv.hi_open = true; }
              else if (ut.op == "<=") { iv.has_hi = true; iv.hi = v; }
              else if (ut.op == ">") { iv.has_lo = true; iv.lo = v; iv.lo_open = true; }
              else if (ut.op == ">=") { iv.has_lo = true; iv.lo = v; }
              else set.known = false;
              set.intervals.push_back(iv);
            } else if (x.ok() && is_const(x.node) && kind(x.type) == TKind::string && ut.op == "==") {
              set.known = true;
              set.strings.emplace_back(const_value(x.node).sv());
            }
            return compare(ut.op, on_val, x, nullptr, a, a, ctx);
          }
          if (a->kind == Ast::Kind::list || a->kind == Ast::Kind::range) {
            // Rewrite as (on in <list>) with the on value as a local.
            Ast in;
            in.kind = Ast::Kind::in;
            in.begin = a->begin;
            in.end = a->end;
            auto lhs = std::make_unique<Ast>();
            lhs->kind = Ast::Kind::name;
            lhs->text = "\x01on";
            lhs->begin = a->begin;
            lhs->end = a->end;
            in.kids.push_back(std::move(lhs));
            in.kids.push_back(std::unique_ptr<Ast>(const_cast<Ast*>(a)));
            scope_.push_back({"\x01on", {ind->on_local, on_type}});
            Lowered res = lower_in(&in, ctx);
            scope_.pop_back();
            in.kids[1].release();
            if (res.ok()) {
              if (a->kind == Ast::Kind::range) {
                const Ast* lo = a->kids[0].get();
                const Ast* hi = a->kids[1].get();
                auto lo_v = lo->kind == Ast::Kind::number ? Decimal::parse(lo->text) : std::nullopt;
                auto hi_v = hi->kind == Ast::Kind::number ? Decimal::parse(hi->text) : std::nullopt;
                if (lo_v && hi_v) {
                  set.known = true;
                  RowSet::Interval iv;
                  iv.has_lo = iv.has_hi = true;
                  iv.lo = *lo_v;
                  iv.hi = *hi_v;
                  set.intervals.push_back(iv);
                }
              } else {
                set.known = true;
                for (auto& k : a->kids) {
                  if (k->kind == Ast::Kind::string) set.strings.push_back(k->text);
                  else if (k->kind == Ast::Kind::number) {
                    RowSet::Interval iv;
                    iv.has_lo = iv.has_hi = true;
                    iv.lo = iv.hi = *Decimal::parse(k->text);
                    set.intervals.push_back(iv);
                  } else set.known = false;
                }
              }
            }
            return res;
          }
          Lowered x = lower(a, ctx);
          if (x.ok() && kind(x.type) == TKind::boolean && kind(on_type) != TKind::boolean) {
            err(ctx, a, "E1206", tr("with \"on\", a row test is a value, a list, a range or a comparison like '> 40', "
                                    "not a condition",
                                    "有 \"on\" 时，行的条件写一个值、列表、区间或 '> 40' 这样的比较，而不是完整的条件"));
            return Lowered{0, kErr};
          }
          if (x.ok() && is_const(x.node)) {
            set.known = true;
            if (kind(x.type) == TKind::string) set.strings.emplace_back(const_value(x.node).sv());
            else if (kind(x.type) == TKind::number) {
              RowSet::Interval iv;
              iv.has_lo = iv.has_hi = true;
              iv.lo = iv.hi = const_value(x.node).num;
              set.intervals.push_back(iv);
            } else set.known = false;
          }
          return compare("==", on_val, x, nullptr, a, a, ctx);
        });
        row.test = l.ok() ? static_cast<std::int32_t>(l.node) : -1;
      }
    }
    sets.push_back(std::move(set));
    ind->rows.push_back(std::move(row));
  }
  // unique: rows that can both match.
  if (ind->hit == detail::Hit::unique) {
    for (std::size_t i = 0; i < sets.size(); ++i) {
      for (std::size_t j = i + 1; j < sets.size(); ++j) {
        if (!sets[i].known || !sets[j].known) continue;
        std::string overlap;
        for (auto& s : sets[i].strings)
          if (std::find(sets[j].strings.begin(), sets[j].strings.end(), s) != sets[j].strings.end()) overlap = "'" + s + "'";
        for (auto& a : sets[i].intervals)
          for (auto& b : sets[j].intervals)
            if (overlap.empty() && intervals_meet(a, b)) overlap = tr("some values", "同一部分取值");
        if (!overlap.empty())
          rep_.at_node("E1211", *when_nodes[j], ptr(ptr(ptr(pointer, "rows"), j), "when"),
                       tr("rows " + std::to_string(i + 1) + " and " + std::to_string(j + 1) +
                              " of a 'unique' table both match " + overlap,
                          "'unique' 决策表的第 " + std::to_string(i + 1) + " 行和第 " + std::to_string(j + 1) +
                              " 行都能命中" + (overlap[0] == '\'' ? " " + overlap : overlap)));
      }
    }
  }
  // W1306: in a 'first' table, a row whose every value an earlier row already matches can never match.
  if (ind->hit == detail::Hit::first) {
    for (std::size_t j = 1; j < sets.size(); ++j) {
      if (!sets[j].known || (sets[j].strings.empty() && sets[j].intervals.empty())) continue;
      std::size_t by = 0;
      bool dead = true;
      for (const auto& s : sets[j].strings) {
        bool found = false;
        for (std::size_t i = 0; i < j && !found; ++i)
          if (sets[i].known && std::find(sets[i].strings.begin(), sets[i].strings.end(), s) != sets[i].strings.end()) {
            found = true;
            by = std::max(by, i);
          }
        dead &= found;
      }
      for (const auto& b : sets[j].intervals) {
        bool found = false;
        for (std::size_t i = 0; i < j && !found; ++i)
          for (const auto& a : sets[i].intervals)
            if (sets[i].known && interval_contains(a, b)) {
              found = true;
              by = std::max(by, i);
              break;
            }
        dead &= found;
      }
      if (dead)
        warnings_.push_back({"W1306", when_nodes[j], ptr(ptr(ptr(pointer, "rows"), j), "when"), -1, -1,
                             "row " + std::to_string(j + 1) + " can never match: in a 'first' table the rows before it (row " +
                                 std::to_string(by + 1) + ") already match every value it names",
                             "第 " + std::to_string(j + 1) + " 行永远不会命中：'first' 决策表中它前面的行（第 " +
                                 std::to_string(by + 1) + " 行）已经命中它的所有取值"});
    }
  }
  // W1305: a numeric 'on' without an otherwise row: numbers between two rows' ranges that no row matches.
  // Bands written in whole numbers ([18..30], [31..40]) meet: the numbers between 30 and 31 are not read
  // as a gap.
  if (!has_otherwise && on_type != kErr && kind(on_type) == TKind::number) {
    bool all_known = !sets.empty();
    std::vector<RowSet::Interval> ivs;
    for (const auto& s : sets) {
      all_known &= s.known && s.strings.empty();
      ivs.insert(ivs.end(), s.intervals.begin(), s.intervals.end());
    }
    if (all_known && !ivs.empty()) {
      std::sort(ivs.begin(), ivs.end(), [](const RowSet::Interval& a, const RowSet::Interval& b) {
        if (a.has_lo != b.has_lo) return !a.has_lo;
        if (!a.has_lo) return false;
        const int c = Decimal::compare(a.lo, b.lo);
        return c < 0 || (c == 0 && !a.lo_open && b.lo_open);
      });
      RowSet::Interval cur = ivs[0];
      std::string gaps;
      for (std::size_t i = 1; i < ivs.size() && cur.has_hi; ++i) {
        const RowSet::Interval& nx = ivs[i];
        bool gap = false;
        if (nx.has_lo) {
          const int c = Decimal::compare(nx.lo, cur.hi);
          gap = c > 0 || (c == 0 && cur.hi_open && nx.lo_open);
          Decimal next_int;
          if (c > 0 && !cur.hi_open && !nx.lo_open && cur.hi.is_integer() && nx.lo.is_integer() &&
              Decimal::add(cur.hi, Decimal::from_int(1), &next_int) && Decimal::compare(next_int, nx.lo) == 0)
            gap = false;
        }
        if (gap && Decimal::compare(cur.hi, nx.lo) == 0)  // one value: "< 1000" then "> 1000" leave 1000
          gaps += (gaps.empty() ? "" : ", ") + cur.hi.to_string();
        else if (gap)
          gaps += (gaps.empty() ? "" : ", ") + std::string(cur.hi_open ? "[" : "(") + bound_text(cur, false) + ", " +
                  bound_text(nx, true) + (nx.lo_open ? "]" : ")");
        if (!nx.has_hi) {
          cur.has_hi = false;
        } else {
          const int c = Decimal::compare(nx.hi, cur.hi);
          if (c > 0 || (c == 0 && cur.hi_open && !nx.hi_open)) {
            cur.hi = nx.hi;
            cur.hi_open = nx.hi_open;
          }
        }
      }
      if (!gaps.empty())
        warnings_.push_back({"W1305", rows, ptr(pointer, "rows"), -1, -1,
                             "no row matches the values " + gaps + " and there is no {\"otherwise\": …} row: " +
                                 (values ? "the output is null for such an applicant" : "such an applicant scores no row"),
                             "取值 " + gaps + " 没有任何行命中，也没有 {\"otherwise\": …} 行：" +
                                 (values ? "这样的申请人该输出项为空（null）" : "这样的申请人不会得到任何一行的分数")});
    }
  }
  // An enum 'on' must have a row for every value, or an otherwise.
  if (!has_otherwise && on_type != kErr && p_->types[on_type].enum_id >= 0) {
    bool all_known = true;
    std::set<std::string> covered;
    for (auto& s : sets) {
      all_known &= s.known;
      covered.insert(s.strings.begin(), s.strings.end());
    }
    if (all_known) {
      std::string missing;
      for (auto& v : p_->enums[static_cast<std::size_t>(p_->types[on_type].enum_id)])
        if (!covered.count(v)) missing += (missing.empty() ? "'" : ", '") + v + "'";
      if (!missing.empty())
        rep_.at_node("E1212", *rows, ptr(pointer, "rows"),
                     values ? tr("no row for " + missing + " and no {\"otherwise\": …} row: say what the output is for such an applicant",
                                 "没有对应 " + missing + " 的行，也没有 {\"otherwise\": …} 行：请写明这类申请人的输出值")
                            : tr("no row for " + missing + " and no {\"otherwise\": …} row: say what such an applicant scores",
                                 "没有对应 " + missing + " 的行，也没有 {\"otherwise\": …} 行：请写明这类申请人得多少分"));
    }
  }
}

Lowered Compiler::compile_output_table(const JsonNode& t, const std::string& pointer,
                                       std::vector<detail::OutputInfo::TableRow>* table_rows) {
  detail::IndicatorInfo ind;  // the rows' tests, as a score's table has them
  std::vector<Lowered> values;
  const std::size_t first_node = p_->nodes.size();
  const std::size_t errors_before = diags_->error_count();
  compile_table(t, pointer, &ind, &values);
  if (diags_->error_count() != errors_before || ind.rows.empty() || values.size() != ind.rows.size()) return {0, kErr};
  for (const auto& v : values)
    if (!v.ok()) return {0, kErr};
  // The row tests read the 'on' value through a local a score's table sets once per evaluation; an output
  // has no such step, so each read of that local becomes the 'on' expression itself (pure, so reading it
  // again gives the same value).
  if (ind.on >= 0) {
    const Node on_node = p_->nodes[static_cast<std::size_t>(ind.on)];
    for (std::size_t i = first_node; i < p_->nodes.size(); ++i) {
      Node& n = p_->nodes[i];
      if (n.op == Op::Local && n.a == ind.on_local) {
        const std::uint32_t src = n.src;
        n = on_node;
        n.src = src;
      }
    }
  }
  // One type across the rows' values (null fits any).
  std::uint32_t type = kNull;
  const JsonNode* rows = t.find("rows");
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (kind(values[i].type) == TKind::null) continue;
    if (kind(type) == TKind::null) {
      type = values[i].type;
    } else if (!same_kind(type, values[i].type)) {
      const JsonNode& r = rows->items[i];
      const JsonNode* v = r.find("value") ? r.find("value") : r.find("otherwise");
      rep_.at_node("E1206", v ? *v : r, ptr(ptr(ptr(pointer, "rows"), i), v && r.find("value") ? "value" : "otherwise"),
                   tr("the rows of an output's table give values of different types: row 1's is " + type_name(type) +
                          ", row " + std::to_string(i + 1) + "'s " + type_name(values[i].type),
                      "输出项决策表各行的值类型不同：第 1 行是 " + type_name(type) + "，第 " + std::to_string(i + 1) +
                          " 行是 " + type_name(values[i].type)));
      return {0, kErr};
    }
  }
  // From the last row up: the otherwise row's value, or null when no row matches and there is none.
  const bool has_otherwise = ind.rows.back().test < 0;
  ExprCtx ctx;
  ctx.node = rows;
  ctx.pointer = ptr(pointer, "rows");
  ctx.expr = add_expr_source(*rows, ctx.pointer);
  Lowered chain = has_otherwise ? values.back() : constant(Value::null(), kNull, ctx, nullptr);
  if (!has_otherwise && kind(type) != TKind::null) type = optional_of(type);
  std::vector<detail::OutputInfo::TableRow> out_rows(ind.rows.size());
  for (std::size_t i = ind.rows.size() - (has_otherwise ? 1 : 0); i-- > 0;) {
    Node n;
    n.op = Op::If;
    n.a = static_cast<std::uint32_t>(ind.rows[i].test);
    n.b = values[i].node;
    n.c = chain.node;
    n.type = type;
    const std::string rp = ptr(ptr(pointer, "rows"), i);
    ExprCtx rc;
    rc.node = rows->items[i].find("when");
    rc.pointer = ptr(rp, "when");
    rc.expr = rc.node ? add_expr_source(*rc.node, rc.pointer) : ctx.expr;
    chain = {emit(n, rc, nullptr), type};
    if (rc.node) p_->spans.back().end = static_cast<std::uint32_t>(rc.node->text.size());  // the row test, for coverage
    out_rows[i].if_node = chain.node;
    out_rows[i].when_text = ind.rows[i].when_text;
  }
  // Coverage counts the rows as rows: each by its If's `then`, the otherwise row by the last If's `else`.
  // A table of only an otherwise row has no If: nothing to count.
  if (ind.rows.size() > 1 || !has_otherwise) {
    if (has_otherwise) {
      out_rows.back().if_node = out_rows[ind.rows.size() - 2].if_node;
      out_rows.back().otherwise = true;
      out_rows.back().when_text = "otherwise";
    }
    *table_rows = std::move(out_rows);
  }
  return chain;
}

}  // namespace eligo::compile
