// Lowering function calls: quantifiers over lists with their lambdas (any, all, count, sum, min, max,
// filter, map, covered_months), the built-ins with fixed signatures, and the ones checked specially
// (present, round, mask, date, floor of a division).
#include "compile/compiler_impl.hpp"

#include <algorithm>
#include <map>

namespace eligo::compile {

Lowered Compiler::lower_lambda(const Ast* a, const ExprCtx& ctx, std::uint32_t elem_type, std::uint32_t* slot) {
  if (a->kind != Ast::Kind::lambda) {
    err(ctx, a, "E1214", tr("expected a lambda here, like 'x -> x.amount'", "这里应是一个 lambda，如 'x -> x.amount'"));
    return {0, kErr};
  }
  *slot = new_local();
  scope_.push_back({a->text, {*slot, elem_type}});
  Lowered body = lower(a->kids[0].get(), ctx);
  scope_.pop_back();
  return body;
}

Lowered Compiler::lower_call(const Ast* a, const ExprCtx& ctx) {
  const std::string& f = a->text;
  const auto& args = a->kids;
  auto arity = [&](std::size_t lo, std::size_t hi) {
    if (args.size() >= lo && args.size() <= hi) return true;
    std::string want = lo == hi ? std::to_string(lo) : std::to_string(lo) + tr(" to ", " 到 ") + std::to_string(hi);
    if (hi > 100) want = tr("at least ", "至少 ") + std::to_string(lo);
    if (rep_.zh()) {
      err(ctx, a, "E1205", f + "() 需要 " + want + " 个参数，这里给了 " + std::to_string(args.size()) + " 个");
      return false;
    }
    err(ctx, a, "E1205", f + "() takes " + want + " argument" + (lo == 1 && hi == 1 ? "" : "s") + ", got " +
                             std::to_string(args.size()));
    return false;
  };
  auto call = [&](Builtin b, std::vector<std::uint32_t> nodes, std::uint32_t type, std::uint32_t extra = 0) {
    Node n;
    n.op = Op::Call;
    n.sub = static_cast<std::uint8_t>(b);
    n.b = static_cast<std::uint32_t>(p_->args.size());
    n.c = static_cast<std::uint32_t>(nodes.size());
    n.d = extra;
    n.type = type;
    for (auto x : nodes) p_->args.push_back(x);
    return fold({emit(n, ctx, a), type}, ctx, a);
  };
  auto want = [&](std::size_t i, TKind k) { return lower_expect(args[i].get(), ctx, k, 
                                                             tr("argument " + std::to_string(i + 1) + " of " + f + "()",
                                                                f + "() 的第 " + std::to_string(i + 1) + " 个参数")); };

  // Quantifiers over lists.
  static const std::map<std::string, Quantifier> kQuant = {
      {"any", Quantifier::any}, {"all", Quantifier::all}, {"count", Quantifier::count}, {"sum", Quantifier::sum},
      {"min", Quantifier::min}, {"max", Quantifier::max}, {"filter", Quantifier::filter}, {"map", Quantifier::map},
      {"covered_months", Quantifier::covered_months}};
  auto qi = kQuant.find(f);
  const bool list_first = qi != kQuant.end() && !args.empty() &&
                          (f != "min" && f != "max" ? true : args.size() <= 2);
  if (qi != kQuant.end() && list_first) {
    const Quantifier q = qi->second;
    if (args.empty()) {
      arity(1, 2);
      return {0, kErr};
    }
    Lowered list = lower(args[0].get(), ctx);
    if (!list.ok()) return list;
    if (kind(list.type) != TKind::list) {
      if ((f == "min" || f == "max")) {
        // min(a, b) of two scalars falls through below.
      } else {
        err(ctx, args[0].get(), "E1206", 
            tr("the first argument of " + f + "() must be a list, not " + type_name(list.type),
               f + "() 的第一个参数应为列表，而不是 " + type_name(list.type)));
        return {0, kErr};
      }
    } else {
      const std::uint32_t elem = p_->types[list.type].elem;
      if (q == Quantifier::covered_months) {
        if (!arity(3, 3)) return {0, kErr};
        std::uint32_t s1, s2;
        Lowered from = lower_lambda(args[1].get(), ctx, elem, &s1);
        Lowered to = lower_lambda(args[2].get(), ctx, elem, &s2);
        if (!from.ok() || !to.ok()) return {0, kErr};
        if (kind(from.type) != TKind::date || kind(to.type) != TKind::date) {
          err(ctx, a, "E1206", tr("covered_months() needs lambdas giving dates (from, to), got " + type_name(from.type) +
                                      " and " + type_name(to.type),
                                  "covered_months() 需要两个给出日期（起、止）的 lambda，这里得到 " + type_name(from.type) +
                                      " 和 " + type_name(to.type)));
          return {0, kErr};
        }
        Node n;
        n.op = Op::Quant;
        n.sub = static_cast<std::uint8_t>(q);
        n.a = list.node;
        n.b = s1;
        n.c = from.node;
        // The second lambda's slot and body: stored as an arg pair.
        n.d = static_cast<std::uint32_t>(p_->args.size());
        p_->args.push_back(s2);
        p_->args.push_back(to.node);
        n.type = kNum;
        return {emit(n, ctx, a), kNum};
      }
      const bool needs_lambda = q == Quantifier::any || q == Quantifier::all || q == Quantifier::filter || q == Quantifier::map;
      if (!arity(needs_lambda ? 2 : 1, 2)) return {0, kErr};
      Node n;
      n.op = Op::Quant;
      n.sub = static_cast<std::uint8_t>(q);
      n.a = list.node;
      std::uint32_t value_type = elem;
      if (args.size() == 2) {
        std::uint32_t slot;
        Lowered body = lower_lambda(args[1].get(), ctx, elem, &slot);
        if (!body.ok()) return body;
        n.b = slot;
        n.c = body.node;
        n.d = 1;  // has a lambda
        value_type = body.type;
        if ((q == Quantifier::any || q == Quantifier::all || q == Quantifier::count || q == Quantifier::filter) &&
            kind(body.type) != TKind::boolean) {
          err(ctx, args[1].get(), "E1206", 
              tr("the lambda of " + f + "() must give true or false, not " + type_name(body.type),
                 f + "() 的 lambda 应给出 true 或 false，而不是 " + type_name(body.type)));
          return {0, kErr};
        }
      }
      if (q == Quantifier::sum && kind(value_type) != TKind::number) {
        err(ctx, a, "E1206", 
            tr("sum() adds numbers; the list gives " + type_name(value_type), "sum() 只能加总数字；这个列表给出的是 " + type_name(value_type)));
        return {0, kErr};
      }
      if ((q == Quantifier::min || q == Quantifier::max) && kind(value_type) != TKind::number &&
          kind(value_type) != TKind::date) {
        err(ctx, a, "E1206", 
            tr(f + "() compares numbers or dates; the list gives " + type_name(value_type),
               f + "() 只能比较数字或日期；这个列表给出的是 " + type_name(value_type)));
        return {0, kErr};
      }
      switch (q) {
        case Quantifier::any:
        case Quantifier::all: n.type = kBool; break;
        case Quantifier::count:
        case Quantifier::sum: n.type = kNum; break;
        case Quantifier::min:
        case Quantifier::max: n.type = optional_of(required_of(value_type)); break;
        case Quantifier::filter: n.type = list.type; break;
        case Quantifier::map: n.type = list_of(value_type); break;
        default: break;
      }
      return {emit(n, ctx, a), n.type};
    }
  }
  if (f == "min" || f == "max") {
    if (!arity(2, 1000)) return {0, kErr};
    std::vector<std::uint32_t> nodes;
    std::uint32_t type = kErr;
    for (std::size_t i = 0; i < args.size(); ++i) {
      Lowered x = lower(args[i].get(), ctx);
      if (!x.ok()) return x;
      if (kind(x.type) != TKind::number && kind(x.type) != TKind::date) {
        err(ctx, args[i].get(), "E1206", 
            tr(f + "() compares numbers or dates, not " + type_name(x.type), f + "() 只能比较数字或日期，不能比较 " + type_name(x.type)));
        return {0, kErr};
      }
      if (type != kErr && !same_kind(type, x.type)) {
        err(ctx, args[i].get(), "E1206", 
            tr(f + "() arguments differ: " + type_name(type) + " and " + type_name(x.type),
               f + "() 的参数类型不同：" + type_name(type) + " 和 " + type_name(x.type)));
        return {0, kErr};
      }
      type = type == kErr ? x.type : type;
      nodes.push_back(x.node);
    }
    return call(f == "min" ? Builtin::min : Builtin::max, nodes, type);
  }
  if (f == "present") {
    if (!arity(1, 1)) return {0, kErr};
    Lowered x = lower(args[0].get(), ctx);
    if (!x.ok()) return x;
    Node n;
    n.op = Op::Present;
    n.a = x.node;
    n.type = kBool;
    return {emit(n, ctx, a), kBool};
  }
  if (f == "round") {
    if (!arity(2, 3)) return {0, kErr};
    Lowered x = want(0, TKind::number);
    Lowered places = want(1, TKind::number);
    if (!x.ok() || !places.ok()) return {0, kErr};
    if (!is_const(places.node) || !const_value(places.node).num.is_integer() ||
        const_value(places.node).num < Decimal::from_int(0) || const_value(places.node).num > Decimal::from_int(18)) {
      err(ctx, args[1].get(), "E1206", 
          tr("round() takes a whole number of places from 0 to 18 written in the rule",
             "round() 的小数位数应是直接写在规则里的 0 到 18 的整数"));
      return {0, kErr};
    }
    Rounding mode = p_->rounding;
    if (args.size() == 3) {
      Lowered m = want(2, TKind::string);
      if (!m.ok()) return m;
      auto r = is_const(m.node) ? rounding_from_name(const_value(m.node).sv()) : std::nullopt;
      if (!r) {
        err(ctx, args[2].get(), "E1206", 
            tr("unknown rounding mode (half_up, half_even, half_down, up, down, ceiling, floor)",
               "未知的舍入方式（可用：half_up、half_even、half_down、up、down、ceiling、floor）"));
        return {0, kErr};
      }
      mode = *r;
    }
    return call(Builtin::round, {x.node, places.node}, x.type, static_cast<std::uint32_t>(mode));
  }
  if (f == "mask") {
    if (!arity(2, 2)) return {0, kErr};
    Lowered x = want(0, TKind::string);
    Lowered k = want(1, TKind::string);
    if (!x.ok() || !k.ok()) return {0, kErr};
    static const std::vector<std::string> kKinds{"id_number", "bank_card", "mobile", "name"};
    const std::string kind_text = is_const(k.node) ? std::string(const_value(k.node).sv()) : "";
    auto it = std::find(kKinds.begin(), kKinds.end(), kind_text);
    if (it == kKinds.end()) {
      err(ctx, args[1].get(), "E1206", 
          tr("mask() takes a kind written in the rule: 'id_number', 'bank_card', 'mobile' or 'name'",
             "mask() 的类别应直接写在规则里：'id_number'、'bank_card'、'mobile' 或 'name'"));
      return {0, kErr};
    }
    return call(Builtin::mask, {x.node}, kStr, static_cast<std::uint32_t>(it - kKinds.begin()));
  }
  struct Sig {
    Builtin b;
    std::vector<TKind> params;
    std::uint32_t result;
  };
  static const std::map<std::string, Sig> kSigs = {
      {"floor", {Builtin::floor, {TKind::number}, kNum}},
      {"ceil", {Builtin::ceil, {TKind::number}, kNum}},
      {"abs", {Builtin::abs, {TKind::number}, kNum}},
      {"years_between", {Builtin::years_between, {TKind::date, TKind::date}, kNum}},
      {"months_between", {Builtin::months_between, {TKind::date, TKind::date}, kNum}},
      {"days_between", {Builtin::days_between, {TKind::date, TKind::date}, kNum}},
      {"add_months", {Builtin::add_months, {TKind::date, TKind::number}, kDate}},
      {"add_days", {Builtin::add_days, {TKind::date, TKind::number}, kDate}},
      {"year", {Builtin::year, {TKind::date}, kNum}},
      {"month", {Builtin::month, {TKind::date}, kNum}},
      {"day", {Builtin::day, {TKind::date}, kNum}},
      {"len", {Builtin::len, {TKind::string}, kNum}},
      {"starts_with", {Builtin::starts_with, {TKind::string, TKind::string}, kBool}},
      {"ends_with", {Builtin::ends_with, {TKind::string, TKind::string}, kBool}},
      {"contains", {Builtin::contains, {TKind::string, TKind::string}, kBool}},
      {"overlaps", {Builtin::overlaps, {TKind::date, TKind::date, TKind::date, TKind::date}, kBool}},
      // Identity (src/identity): checked against as_of; a number that is not valid gives null.
      {"cn_id_valid", {Builtin::cn_id_valid, {TKind::string}, kBool}},
      {"cn_id_birth_date", {Builtin::cn_id_birth_date, {TKind::string}, kDateOpt}},
      {"cn_id_sex", {Builtin::cn_id_sex, {TKind::string}, kStrOpt}},
      {"cn_id_region", {Builtin::cn_id_region, {TKind::string}, kStrOpt}},
      {"cn_id_age", {Builtin::cn_id_age, {TKind::string}, kNumOpt}},
      {"uscc_valid", {Builtin::uscc_valid, {TKind::string}, kBool}},
      {"normalize_name", {Builtin::normalize_name, {TKind::string}, kStr}},
      {"names_match", {Builtin::names_match, {TKind::string, TKind::string}, kBool}},
      // Credit blacklist (src/blacklist): the host attaches a snapshot (EvalOptions::blacklist).
      {"blacklisted", {Builtin::blacklisted, {TKind::string, TKind::string}, kBool}},
      {"blacklist_reasons", {Builtin::blacklist_reasons, {TKind::string, TKind::string}, kStr}},
  };
  if (f == "param" || f == "scale") return lower_parameter(a, ctx, f == "scale");
  if (f == "lookup" || f == "has_row") return lower_lookup(a, ctx, f == "has_row");
  if (f == "concat") {
    if (!arity(1, 1000)) return {0, kErr};
    std::vector<std::uint32_t> nodes;
    bool optional = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
      Lowered x = lower(args[i].get(), ctx);
      if (!x.ok()) return x;
      const TKind k = kind(x.type);
      if (k == TKind::list || k == TKind::record) {
        err(ctx, args[i].get(), "E1206", tr("concat() joins strings, numbers, dates and true/false, not " + type_name(x.type),
                                            "concat() 只能连接字符串、数字、日期和 true/false，不能连接 " + type_name(x.type)));
        return {0, kErr};
      }
      optional |= p_->types[x.type].optional || k == TKind::null;
      nodes.push_back(x.node);
    }
    return call(Builtin::concat, nodes, optional ? kStrOpt : kStr);
  }
  if (f == "date") {
    if (!arity(1, 1)) return {0, kErr};
    const Ast* arg = args[0].get();
    auto bad_literal = [&](const std::string& text) {
      err(ctx, arg, "E1207",
          tr("'" + text + "' is not a date: write YYYY-MM-DD with a real calendar day",
             "'" + text + "' 不是日期：请写成 YYYY-MM-DD，且是日历上真实的一天"));
      return Lowered{0, kErr};
    };
    if (arg->kind == Ast::Kind::string) {
      auto d = Date::parse(arg->text);
      if (!d) return bad_literal(arg->text);
      return constant(Value::of_date(*d), kDate, ctx, a);
    }
    // date(text) of any string expression: the date, or missing with the data error E3006 when the text
    // is not a date. A text known at compile time is checked now.
    Lowered x = lower_expect(arg, ctx, TKind::string, tr("the argument of date()", "date() 的参数"));
    if (!x.ok()) return x;
    if (is_const(x.node) && const_value(x.node).kind == VKind::string) {
      const std::string text(const_value(x.node).sv());
      auto d = Date::parse(text);
      if (!d) return bad_literal(text);
      return constant(Value::of_date(*d), kDate, ctx, a);
    }
    // Missing facts are named by the field read, or else by the call as written.
    const Node& in = p_->nodes[x.node];
    std::uint32_t path = 0;
    if (in.op == Op::Field || in.op == Op::Get) {
      path = in.c;
    } else {
      const auto& src = p_->exprs[ctx.expr].text;
      const std::size_t b = ctx.base + a->begin, e = ctx.base + a->end;
      path = p_->intern_path(e <= src.size() && b <= e ? src.substr(b, e - b) : std::string("date(…)"));
    }
    return call(Builtin::date_text, {x.node}, p_->types[x.type].optional ? kDateOpt : kDate, path);
  }
  auto si = kSigs.find(f);
  if (si == kSigs.end()) {
    std::vector<std::string> names{"min", "max", "present", "round", "date", "mask", "param", "scale", "concat", "lookup", "has_row"};
    for (auto& [k, v] : kSigs) names.push_back(k);
    for (auto& [k, v] : kQuant) names.push_back(k);
    std::string msg = tr("unknown function '" + f + "'", "未知的函数 '" + f + "'");
    msg += did_you_mean(load::closest(f, names));
    err(ctx, a, "E1204", msg);
    return {0, kErr};
  }
  const Sig& sig = si->second;
  if (!arity(sig.params.size(), sig.params.size())) return {0, kErr};
  if (sig.b == Builtin::blacklisted || sig.b == Builtin::blacklist_reasons) p_->uses_blacklist = true;
  // floor(a / b) is computed exactly in one division, without carrying 18 fractional digits first.
  if (sig.b == Builtin::floor) {
    Lowered x = want(0, TKind::number);
    if (!x.ok()) return x;
    const Node& inner = p_->nodes[x.node];
    if (inner.op == Op::Div) return call(Builtin::floor_div, {inner.a, inner.b}, x.type);
    return call(Builtin::floor, {x.node}, x.type);
  }
  std::vector<std::uint32_t> nodes;
  bool ok = true;
  for (std::size_t i = 0; i < args.size(); ++i) {
    Lowered x = want(i, sig.params[i]);
    ok &= x.ok();
    nodes.push_back(x.node);
  }
  if (!ok) return {0, kErr};
  return call(sig.b, nodes, sig.result);
}

}  // namespace eligo::compile
