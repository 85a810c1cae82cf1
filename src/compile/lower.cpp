// Lowering expressions to typed IR: parsing an expression string, literals, unary and binary operators,
// comparisons (with enum literals checked against their enum), 'if', and 'in' with lists, ranges and
// named lists. Function calls are in lower_call.cpp.
#include "compile/compiler_impl.hpp"

#include <algorithm>
#include <map>

#include "evaluate/evaluator.hpp"

namespace eligo::compile {
namespace {

std::string describe_enum_impl(const Ast* a) {
  if (!a) return "the enum";
  if (a->kind == Ast::Kind::name) return a->text;
  if (a->kind == Ast::Kind::member) return describe_enum_impl(a->kids[0].get()) + "." + a->text;
  return "the enum";
}

}  // namespace

Lowered Compiler::compile_text_as(const JsonNode& n, const std::string& pointer, const std::string& text,
                                  std::uint32_t base, const std::function<Lowered(const Ast*, const ExprCtx&)>& fn) {
  ExprCtx ctx;
  ctx.node = &n;
  ctx.pointer = pointer;
  ctx.base = base;
  ctx.expr = add_expr_source(n, pointer);
  ParseResult pr = parse_expression(text, opt_.max_expression_depth, rep_.zh());
  if (pr.error) {
    rep_.in_string(pr.error->code, n, pointer, base + pr.error->begin, base + pr.error->end,
                   tr("syntax error: ", "语法错误：") + pr.error->message);
    return {0, kErr};
  }
  return fn(pr.ast.get(), ctx);
}

Lowered Compiler::compile_expr(const JsonNode& n, const std::string& pointer, TKind want, const std::string& what) {
  if (!n.is_string()) {
    // A bare JSON number or boolean is accepted where an expression is expected.
    if (n.is_number() && want == TKind::number) {
      auto d = get_decimal(&n, pointer, what);
      if (!d) return {0, kErr};
      ExprCtx ctx;
      ctx.node = &n;
      ctx.pointer = pointer;
      ctx.expr = add_expr_source(n, pointer);
      return constant(Value::number(*d), kNum, ctx, nullptr);
    }
    if (n.is_bool() && want == TKind::boolean) {
      ExprCtx ctx;
      ctx.node = &n;
      ctx.pointer = pointer;
      ctx.expr = add_expr_source(n, pointer);
      return constant(Value::boolean(n.boolean), kBool, ctx, nullptr);
    }
    rep_.at_node("E1102", n, pointer, tr(what + " must be an expression in a string, not a " + load::kind_name(n.kind),
                                         noun(what) + "应为写在字符串里的表达式，而不是 " + load::kind_name(n.kind)));
    return {0, kErr};
  }
  return compile_text_as(n, pointer, n.text, 0, [&](const Ast* a, const ExprCtx& ctx) {
    return lower_expect(a, ctx, want, what);
  });
}

Lowered Compiler::lower_expect(const Ast* a, const ExprCtx& ctx, TKind k, const std::string& what) {
  Lowered l = lower(a, ctx);
  if (!l.ok()) return l;
  if (k != TKind::null && kind(l.type) != k && kind(l.type) != TKind::null) {
    static const std::map<TKind, const char*> kZh = {{TKind::boolean, "true 或 false（一个条件）"}, {TKind::number, "数字"},
                                                     {TKind::string, "字符串"}, {TKind::date, "日期"},
                                                     {TKind::list, "列表"}, {TKind::record, "记录"}};
    err(ctx, a, "E1206", tr(what + " must be " + kind_word(k) + ", not " + type_name(l.type),
                            noun(what) + "应为" + (kZh.count(k) ? kZh.at(k) : "值") + "，而不是 " + type_name(l.type)));
    return {0, kErr};
  }
  return l;
}

std::string Compiler::kind_word(TKind k) {
  switch (k) {
    case TKind::boolean: return "true or false";
    case TKind::number: return "a number";
    case TKind::string: return "a string";
    case TKind::date: return "a date";
    case TKind::list: return "a list";
    case TKind::record: return "a record";
    default: return "a value";
  }
}

Lowered Compiler::lower(const Ast* a, const ExprCtx& ctx) {
  switch (a->kind) {
    case Ast::Kind::number: {
      auto d = Decimal::parse(a->text);
      if (!d) {
        err(ctx, a, "E1206", tr("number '" + a->text + "' is out of range (at most 37 digits, 18 after the point)",
                                "数字 '" + a->text + "' 超出范围（最多 37 位，小数点后最多 18 位）"));
        return {0, kErr};
      }
      return constant(Value::number(*d), kNum, ctx, a);
    }
    case Ast::Kind::string: return constant(string_value(a->text), kStr, ctx, a);
    case Ast::Kind::boolean: return constant(Value::boolean(a->text == "true"), kBool, ctx, a);
    case Ast::Kind::null: return constant(Value::null(), kNull, ctx, a);
    case Ast::Kind::name: return lower_name(a, ctx);
    case Ast::Kind::member: return lower_member(a, ctx);
    case Ast::Kind::call: return lower_call(a, ctx);
    case Ast::Kind::unary: {
      if (a->text == "not") {
        Lowered x = lower_expect(a->kids[0].get(), ctx, TKind::boolean, tr("the operand of 'not'", "'not' 的操作数"));
        if (!x.ok()) return x;
        Node n;
        n.op = Op::Not;
        n.a = x.node;
        n.type = kBool;
        return fold({emit(n, ctx, a), kBool}, ctx, a);
      }
      Lowered x = lower_expect(a->kids[0].get(), ctx, TKind::number, tr("the operand of '-'", "'-' 的操作数"));
      if (!x.ok()) return x;
      Node n;
      n.op = Op::Neg;
      n.a = x.node;
      n.type = x.type;
      return fold({emit(n, ctx, a), x.type}, ctx, a);
    }
    case Ast::Kind::binary: return lower_binary(a, ctx);
    case Ast::Kind::in: return lower_in(a, ctx);
    case Ast::Kind::cond: {
      Lowered c = lower_expect(a->kids[0].get(), ctx, TKind::boolean, tr("the condition of 'if'", "'if' 的条件"));
      Lowered t = lower(a->kids[1].get(), ctx);
      Lowered e = lower(a->kids[2].get(), ctx);
      if (!c.ok() || !t.ok() || !e.ok()) return {0, kErr};
      if (!same_kind(t.type, e.type)) {
        err(ctx, a, "E1206", tr("the branches of 'if' differ: 'then' gives " + type_name(t.type) + ", 'else' gives " +
                                    type_name(e.type),
                                "'if' 的两个分支类型不同：'then' 得到 " + type_name(t.type) + "，'else' 得到 " + type_name(e.type)));
        return {0, kErr};
      }
      std::uint32_t type = kind(t.type) == TKind::null ? optional_of(e.type) : t.type;
      if (kind(e.type) == TKind::null) type = optional_of(t.type);
      Node n;
      n.op = Op::If;
      n.a = c.node;
      n.b = t.node;
      n.c = e.node;
      n.type = type;
      if (is_const(c.node)) {
        const Value& cv = const_value(c.node);
        if (cv.kind == VKind::boolean) return {cv.b ? t.node : e.node, type};
      }
      return {emit(n, ctx, a), type};
    }
    case Ast::Kind::list: {
      // A list written in the rule ([], ['a', 'b'], [1, 2]) is a constant, usable wherever a list fits.
      std::vector<Value> items;
      std::uint32_t elem = kNull;
      for (const auto& k : a->kids) {
        Lowered it = lower(k.get(), ctx);
        if (!it.ok()) return it;
        if (!is_const(it.node)) {
          err(ctx, k.get(), "E1206", tr("a list written in the rule holds values written in the rule, like ['a', 'b'] or [1, 2]",
                                        "规则里直接写的列表只能包含直接写出的值，如 ['a', 'b'] 或 [1, 2]"));
          return {0, kErr};
        }
        if (!same_kind(elem, it.type) || kind(it.type) == TKind::list || kind(it.type) == TKind::record) {
          err(ctx, k.get(), "E1206", tr("list items differ: " + type_name(elem) + " and " + type_name(it.type),
                                        "列表项类型不同：" + type_name(elem) + " 和 " + type_name(it.type)));
          return {0, kErr};
        }
        if (kind(it.type) != TKind::null) elem = required_of(it.type);
        items.push_back(const_value(it.node));
      }
      p_->value_lists.push_back(std::move(items));
      const std::vector<Value>& stored = p_->value_lists.back();
      return constant(Value::list(stored.data(), static_cast<std::uint32_t>(stored.size())), list_of(elem), ctx, a);
    }
    case Ast::Kind::range:
      err(ctx, a, "E1206", tr("a range can only stand after 'in' (or as a table row test)",
                              "区间只能写在 'in' 后面（或作为决策表行的条件）"));
      return {0, kErr};
    case Ast::Kind::lambda:
      err(ctx, a, "E1214", tr("a lambda ('" + a->text + " -> …') can only be an argument of any, all, count, sum, min, "
                              "max, filter, map or covered_months",
                              "lambda（'" + a->text + " -> …'）只能作为 any、all、count、sum、min、max、filter、map 或 "
                              "covered_months 的参数"));
      return {0, kErr};
  }
  return {0, kErr};
}

void Compiler::check_enum_literal(std::uint32_t enum_type, const Ast* lit_ast, const Value& lit, const ExprCtx& ctx,
                                  const std::string& what) {
  const TypeInfo& t = p_->types[enum_type];
  if (t.kind != TKind::string || t.enum_id < 0 || lit.kind != VKind::string) return;
  const auto& values = p_->enums[static_cast<std::size_t>(t.enum_id)];
  if (std::find(values.begin(), values.end(), lit.sv()) != values.end()) return;
  std::string list;
  for (auto& v : values) list += (list.empty() ? "" : ", ") + v;
  const std::string v(lit.sv());
  std::string msg = tr("'" + v + "' is not a value of " + what + " (values: " + list + ")",
                       "'" + v + "' 不是 " + (what == "the enum" ? "该枚举" : what) + " 的取值（取值有：" + list + "）");
  const std::string near = load::closest(v, values);
  if (!near.empty()) msg += tr("; did you mean '" + near + "'?", "；是否想写 '" + near + "'？");
  err(ctx, lit_ast, "E1208", msg);
}

Lowered Compiler::compare(const std::string& op, Lowered l, Lowered r, const Ast* la, const Ast* ra, const Ast* whole,
                          const ExprCtx& ctx) {
  if (!l.ok() || !r.ok()) return {0, kErr};
  const bool eq = op == "==" || op == "!=";
  if (!same_kind(l.type, r.type)) {
    err(ctx, whole, "E1206", tr("'" + op + "' compares " + type_name(l.type) + " with " + type_name(r.type),
                                "'" + op + "' 两边类型不同：" + type_name(l.type) + " 与 " + type_name(r.type)));
    return {0, kErr};
  }
  if (!eq) {
    const TKind k = kind(l.type) == TKind::null ? kind(r.type) : kind(l.type);
    if (k != TKind::number && k != TKind::date && k != TKind::string) {
      err(ctx, whole, "E1206", tr("'" + op + "' orders numbers, dates or strings, not " + type_name(l.type),
                                  "'" + op + "' 只能比较数字、日期或字符串的大小，不能比较 " + type_name(l.type)));
      return {0, kErr};
    }
  }
  if (!eq) {
    // An ordering comparison with an absent optional field is simply false: usually a forgotten '??'.
    for (const auto& [side, ast] : {std::make_pair(l, la), std::make_pair(r, ra)}) {
      const Op op_read = p_->nodes[side.node].op;
      if (!p_->types[side.type].optional || (op_read != Op::Field && op_read != Op::Get)) continue;
      const std::string field = ast ? dotted(ast) : "the \"on\" value";
      const std::string& text = p_->exprs[ctx.expr].text;
      if (ast && text.find("present(" + field + ")") != std::string::npos) continue;  // guarded
      warn_in_expr("W1304", ctx, whole,
                   "'" + field + "' is optional: when it is null, '" + op + "' is false; say what null means with '" +
                       field + " ?? …' or guard with present(" + field + ")",
                   "'" + field + "' 是可选字段：为 null 时 '" + op + "' 的结果是 false；请用 '" + field +
                       " ?? …' 写明 null 的含义，或先用 present(" + field + ") 判断");
      break;
    }
  }
  if (ra && is_const(r.node)) check_enum_literal(l.type, ra, const_value(r.node), ctx, describe_enum_impl(la));
  if (la && is_const(l.node)) check_enum_literal(r.type, la, const_value(l.node), ctx, describe_enum_impl(ra));
  Node n;
  n.op = op == "==" ? Op::Eq : op == "!=" ? Op::Ne : op == "<" ? Op::Lt : op == "<=" ? Op::Le : op == ">" ? Op::Gt : Op::Ge;
  n.a = l.node;
  n.b = r.node;
  n.type = kBool;
  return fold({emit(n, ctx, whole), kBool}, ctx, whole);
}

Lowered Compiler::lower_binary(const Ast* a, const ExprCtx& ctx) {
  const std::string& op = a->text;
  const Ast* la = a->kids[0].get();
  const Ast* ra = a->kids[1].get();
  if (op == "and" || op == "or") {
    Lowered l = lower_expect(la, ctx, TKind::boolean, tr("the left side of '" + op + "'", "'" + op + "' 的左边"));
    Lowered r = lower_expect(ra, ctx, TKind::boolean, tr("the right side of '" + op + "'", "'" + op + "' 的右边"));
    if (!l.ok() || !r.ok()) return {0, kErr};
    Node n;
    n.op = op == "and" ? Op::And : Op::Or;
    n.a = l.node;
    n.b = r.node;
    n.type = kBool;
    return fold({emit(n, ctx, a), kBool}, ctx, a);
  }
  if (op == "??") {
    Lowered l = lower(la, ctx);
    Lowered r = lower(ra, ctx);
    if (!l.ok() || !r.ok()) return {0, kErr};
    if (!same_kind(l.type, r.type)) {
      err(ctx, a, "E1206", tr("'?\?' needs a default of the same type: " + type_name(l.type) + " ?? " + type_name(r.type),
                              "'?\?' 的默认值应与左边类型相同：" + type_name(l.type) + " ?? " + type_name(r.type)));
      return {0, kErr};
    }
    Node n;
    n.op = Op::Coalesce;
    n.a = l.node;
    n.b = r.node;
    n.type = kind(l.type) == TKind::null ? r.type : required_of(l.type);
    if (kind(r.type) == TKind::null || p_->types[r.type].optional) n.type = optional_of(n.type);
    return {emit(n, ctx, a), n.type};
  }
  if (op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=")
    return compare(op, lower(la, ctx), lower(ra, ctx), la, ra, a, ctx);
  // arithmetic
  Lowered l = lower(la, ctx);
  Lowered r = lower(ra, ctx);
  if (!l.ok() || !r.ok()) return {0, kErr};
  if (kind(l.type) != TKind::number || kind(r.type) != TKind::number) {
    std::string hint;
    if (kind(l.type) == TKind::date || kind(r.type) == TKind::date)
      hint = tr(" (for dates use days_between, months_between, add_days or add_months)",
                "（日期请用 days_between、months_between、add_days 或 add_months）");
    err(ctx, a, "E1206", tr("'" + op + "' needs numbers, got " + type_name(l.type) + " and " + type_name(r.type),
                            "'" + op + "' 需要数字，得到 " + type_name(l.type) + " 和 " + type_name(r.type)) + hint);
    return {0, kErr};
  }
  Node n;
  n.op = op == "+" ? Op::Add : op == "-" ? Op::Sub : op == "*" ? Op::Mul : op == "/" ? Op::Div : Op::Mod;
  n.a = l.node;
  n.b = r.node;
  n.c = static_cast<std::uint32_t>(p_->rounding);
  n.type = (p_->types[l.type].optional || p_->types[r.type].optional) ? optional_of(kNum) : kNum;
  return fold({emit(n, ctx, a), n.type}, ctx, a);
}

Lowered Compiler::lower_in(const Ast* a, const ExprCtx& ctx) {
  const Ast* la = a->kids[0].get();
  const Ast* ra = a->kids[1].get();
  Lowered l = lower(la, ctx);
  if (!l.ok()) return l;
  const TKind lk = kind(l.type);
  if (lk == TKind::list || lk == TKind::record) {
    err(ctx, la, "E1206", tr("'in' tests a single value, not a " + type_name(l.type),
                             "'in' 检查的是单个值，不是 " + type_name(l.type)));
    return {0, kErr};
  }
  Node n;
  n.a = l.node;
  n.type = kBool;
  n.c = a->negated ? 1 : 0;
  if (ra->kind == Ast::Kind::range) {
    Lowered lo = lower(ra->kids[0].get(), ctx);
    Lowered hi = lower(ra->kids[1].get(), ctx);
    if (!lo.ok() || !hi.ok()) return {0, kErr};
    if (!same_kind(l.type, lo.type) || !same_kind(l.type, hi.type) || (lk != TKind::number && lk != TKind::date)) {
      const std::string here = type_name(l.type) + " in [" + type_name(lo.type) + ".." + type_name(hi.type) + "]";
      err(ctx, a, "E1206", tr("a range [a..b] holds numbers or dates of the tested value's type; here " + here,
                              "区间 [a..b] 的两端应是与被检查值同类型的数字或日期；这里是 " + here));
      return {0, kErr};
    }
    if (is_const(lo.node) && is_const(hi.node) && const_value(lo.node).kind != VKind::null &&
        detail::values_compare(const_value(lo.node), const_value(hi.node)) > 0)
      err(ctx, ra, "E1210", tr("the range is empty: its low end is above its high end", "区间是空的：下限大于上限"));
    // InRange keeps lo/hi as child nodes: b = lo, c = hi; negation through a Not node.
    n.op = Op::InRange;
    n.b = lo.node;
    n.c = hi.node;
    std::uint32_t node = emit(n, ctx, a);
    if (a->negated) {
      Node x;
      x.op = Op::Not;
      x.a = node;
      x.type = kBool;
      node = emit(x, ctx, a);
    }
    return fold({node, kBool}, ctx, a);
  }
  if (ra->kind == Ast::Kind::list) {
    std::vector<Value> values;
    bool all_const = true;
    std::vector<Lowered> items;
    for (const auto& k : ra->kids) {
      Lowered it = lower(k.get(), ctx);
      if (!it.ok()) return {0, kErr};
      if (!same_kind(l.type, it.type)) {
        err(ctx, k.get(), "E1206", tr("list item is " + type_name(it.type) + ", the tested value " + type_name(l.type),
                                      "列表项是 " + type_name(it.type) + "，被检查的值是 " + type_name(l.type)));
        return {0, kErr};
      }
      if (is_const(it.node)) {
        check_enum_literal(l.type, k.get(), const_value(it.node), ctx, describe_enum_impl(la));
        values.push_back(const_value(it.node));
      } else {
        all_const = false;
      }
      items.push_back(it);
    }
    if (!all_const) {
      // Lower to a chain of equalities (short-circuits like 'or').
      std::uint32_t acc = 0;
      bool first = true;
      for (const Lowered& it : items) {
        Node e;
        e.op = Op::Eq;
        e.a = l.node;
        e.b = it.node;
        e.type = kBool;
        const std::uint32_t eqn = emit(e, ctx, a);
        if (first) {
          acc = eqn;
          first = false;
        } else {
          Node o;
          o.op = Op::Or;
          o.a = acc;
          o.b = eqn;
          o.type = kBool;
          acc = emit(o, ctx, a);
        }
      }
      if (a->negated) {
        Node x;
        x.op = Op::Not;
        x.a = acc;
        x.type = kBool;
        acc = emit(x, ctx, a);
      }
      return {acc, kBool};
    }
    std::sort(values.begin(), values.end(),
              [](const Value& x, const Value& y) { return detail::values_compare(x, y) < 0; });
    p_->value_lists.push_back(std::move(values));
    n.op = Op::InSet;
    n.b = static_cast<std::uint32_t>(p_->value_lists.size() - 1);
    return fold({emit(n, ctx, a), kBool}, ctx, a);
  }
  if (ra->kind == Ast::Kind::name && named_lists_.count(ra->text)) {
    bool shadowed = false;
    for (auto& s : scope_) shadowed |= s.first == ra->text;
    if (!shadowed) {
      NamedList& nl = named_lists_[ra->text];
      nl.used = true;
      if (!same_kind(l.type, nl.type)) {
        err(ctx, a, "E1206", tr("the list '" + ra->text + "' holds strings, the tested value is " + type_name(l.type),
                                "列表 '" + ra->text + "' 装的是字符串，被检查的值是 " + type_name(l.type)));
        return {0, kErr};
      }
      n.op = Op::InSet;
      n.b = nl.list;
      return fold({emit(n, ctx, a), kBool}, ctx, a);
    }
  }
  Lowered r = lower(ra, ctx);
  if (!r.ok()) return r;
  if (kind(r.type) != TKind::list || !same_kind(p_->types[r.type].elem, l.type)) {
    err(ctx, ra, "E1206", tr("after 'in' comes a list of " + type_name(l.type) + "s, a range or a named list; got " +
                                 type_name(r.type),
                             "'in' 后面应是 " + type_name(l.type) + " 的列表、区间或命名列表，这里是 " + type_name(r.type)));
    return {0, kErr};
  }
  n.op = Op::InList;
  n.b = r.node;
  return {emit(n, ctx, a), kBool};
}

}  // namespace eligo::compile
