// IR building and constant folding: nodes are appended with their source span; a pure node whose operands
// are constants is evaluated once here and replaced by its value. Also the flow of personal data (pii_of).
#include "compile/compiler_impl.hpp"

#include "evaluate/evaluator.hpp"

namespace eligo::compile {

std::uint32_t Compiler::emit(Node n, const ExprCtx& ctx, const Ast* a) {
  detail::Span sp;
  sp.expr = ctx.expr;
  if (a) {
    sp.begin = ctx.base + a->begin;
    sp.end = ctx.base + a->end;
  }
  p_->spans.push_back(sp);
  n.src = static_cast<std::uint32_t>(p_->spans.size() - 1);
  p_->nodes.push_back(n);
  return static_cast<std::uint32_t>(p_->nodes.size() - 1);
}

Lowered Compiler::constant(const Value& v, std::uint32_t type, const ExprCtx& ctx, const Ast* a) {
  p_->constants.push_back(v);
  Node n;
  n.op = Op::Const;
  n.a = static_cast<std::uint32_t>(p_->constants.size() - 1);
  n.type = type;
  return {emit(n, ctx, a), type};
}

Value Compiler::string_value(const std::string& s) {
  p_->strings.push_back(s);
  const std::string& stored = p_->strings.back();
  return Value::string(stored.data(), static_cast<std::uint32_t>(stored.size()));
}

bool Compiler::operands_const(const Node& n) const {
  switch (n.op) {
    case Op::Neg:
    case Op::Not:
    case Op::InSet: return is_const(n.a);
    case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: case Op::Mod:
    case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge:
    case Op::And: case Op::Or: return is_const(n.a) && is_const(n.b);
    case Op::InRange: return is_const(n.a) && is_const(n.b) && is_const(n.c);
    case Op::Call:
      // Identity checks depend on as_of (birth dates after it are invalid, ages count to it).
      if (static_cast<Builtin>(n.sub) >= Builtin::cn_id_valid && static_cast<Builtin>(n.sub) <= Builtin::cn_id_age)
        return false;
      // The blacklist is attached at evaluation time.
      if (static_cast<Builtin>(n.sub) == Builtin::blacklisted || static_cast<Builtin>(n.sub) == Builtin::blacklist_reasons)
        return false;
      for (std::uint32_t i = 0; i < n.c; ++i)
        if (!is_const(p_->args[n.b + i])) return false;
      return true;
    default: return false;
  }
}

Lowered Compiler::fold(Lowered l, const ExprCtx& ctx, const Ast* a) {
  if (!l.ok() || !operands_const(p_->nodes[l.node])) return l;
  Value v;
  std::string error;
  if (!detail::fold_constant(*p_, l.node, &v, &error)) {
    // The evaluator words its failures in English; the few a constant can hit are translated here.
    if (rep_.zh()) {
      if (error == "division by zero") error = "除以零";
      else if (error.rfind("decimal overflow", 0) == 0) error = "十进制数溢出：结果超过 37 位";
      else if (error.rfind("add_months() leaves", 0) == 0 || error.rfind("add_days() leaves", 0) == 0)
        error = error.substr(0, error.find('(')) + "() 的结果超出 1000..9999 年";
      else if (error.rfind("a whole number of months or days", 0) == 0) {
        const std::size_t got = error.find(", got ");
        error = "月数或天数应为 -100000 到 100000 之间的整数" + (got == std::string::npos ? "" : "，得到 " + error.substr(got + 6));
      }
    }
    err(ctx, a, "E1215", error);
    return {0, kErr};
  }
  if (v.kind == VKind::string) v = string_value(std::string(v.sv()));
  if (v.kind == VKind::list || v.kind == VKind::record || v.kind == VKind::missing) return l;
  return constant(v, l.type, ctx, a);
}

Pii Compiler::pii_of(std::uint32_t node, int depth) const {
  if (depth > 64) return Pii::none;
  const Node& n = p_->nodes[node];
  switch (n.op) {
    case Op::Field: return p_->records[p_->groups[n.a].record].fields[n.b].pii;
    case Op::Get: {
      const TypeInfo& rt = p_->types[p_->nodes[n.a].type];
      return rt.kind == TKind::record ? p_->records[rt.record].fields[n.b].pii : Pii::none;
    }
    case Op::Let: return n.a < lets_.size() && lets_[n.a].result.ok() ? pii_of(lets_[n.a].result.node, depth + 1) : Pii::none;
    case Op::If: {
      const Pii t = pii_of(n.b, depth + 1);
      return t != Pii::none ? t : pii_of(n.c, depth + 1);
    }
    case Op::Coalesce: {
      const Pii a = pii_of(n.a, depth + 1);
      return a != Pii::none ? a : pii_of(n.b, depth + 1);
    }
    case Op::Call:
      // A normalised name is still the name; derived facts (sex, region, birth date) and masked text are not.
      if (static_cast<Builtin>(n.sub) == Builtin::normalize_name) return pii_of(p_->args[n.b], depth + 1);
      // Text built from a name or an ID number carries it: the whole text is masked as that kind.
      if (static_cast<Builtin>(n.sub) == Builtin::concat)
        for (std::uint32_t i = 0; i < n.c; ++i)
          if (const Pii p = pii_of(p_->args[n.b + i], depth + 1); p != Pii::none) return p;
      return Pii::none;
    case Op::Quant:
      if (static_cast<Quantifier>(n.sub) == Quantifier::min || static_cast<Quantifier>(n.sub) == Quantifier::max ||
          static_cast<Quantifier>(n.sub) == Quantifier::map)
        return pii_of(n.c, depth + 1);
      return Pii::none;
    default: return Pii::none;
  }
}

}  // namespace eligo::compile
