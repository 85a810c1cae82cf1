// Dated parameters and scales: figures a policy changes on set dates (the 低保 standard, a subsidy by year),
// declared once under "parameters" and read in expressions with param('name') at as_of, param('name', d) at
// another date, or scale('name', amount[, d]) for a bracket. A date before the first value is an evaluation
// error (E2010), never a silent zero.
#include "compile/compiler_impl.hpp"

#include <algorithm>

namespace eligo::compile {

void Compiler::compile_parameters(const JsonNode& n) {
  if (!expect_kind(n, JsonNode::Kind::object, "/parameters", "\"parameters\"")) return;
  for (const auto& [name, decl] : n.members) {
    const std::string pointer = ptr("/parameters", name);
    detail::ParameterInfo pi;
    pi.name = name;
    if (!expect_kind(decl, JsonNode::Kind::object, pointer, tr("a parameter", "参数"))) {
      p_->parameters.push_back(std::move(pi));  // keep the name known: no second "unknown parameter" error
      continue;
    }
    check_keys(decl, pointer, {"values", "unit", "label", "note", "example", "cite"}, tr("a parameter", "参数"));
    pi.unit = get_string(decl.find("unit"), ptr(pointer, "unit"), "\"unit\"");
    pi.note = get_string(decl.find("note"), ptr(pointer, "note"), "\"note\"");
    pi.label = get_text(decl.find("label"), ptr(pointer, "label"), "a label");
    pi.example = get_bool(decl.find("example"), ptr(pointer, "example"), "\"example\"");
    const JsonNode* values = require_key(decl, "values", pointer, tr("a parameter", "参数"));
    const std::string vp = ptr(pointer, "values");
    if (values && expect_kind(*values, JsonNode::Kind::array, vp, "\"values\"")) {
      if (values->items.empty()) rep_.at_node("E1103", *values, vp, tr("a parameter needs at least one value", "参数至少要有一个值"));
      for (std::size_t i = 0; i < values->items.size(); ++i) {
        const JsonNode& v = values->items[i];
        const std::string ip = ptr(vp, i);
        if (!expect_kind(v, JsonNode::Kind::object, ip, tr("a parameter value", "参数的值"))) continue;
        check_keys(v, ip, {"from", "value", "brackets", "note", "cite"}, tr("a parameter value", "参数的值"));
        detail::ParameterInfo::Period period;
        const auto from = get_date(require_key(v, "from", ip, tr("a parameter value", "参数的值")), ptr(ip, "from"), "\"from\"");
        if (!from) continue;
        period.from = *from;
        if (!pi.periods.empty() && !(pi.periods.back().from < period.from))
          rep_.at_node("E1218", *v.find("from"), ptr(ip, "from"),
                       tr("the values of parameter '" + name + "' must be in date order, each from a later date than the one before",
                          "参数 '" + name + "' 的值要按日期先后排列，每个的起始日期都晚于前一个"));
        const JsonNode* value = v.find("value");
        const JsonNode* brackets = v.find("brackets");
        if (i == 0) pi.is_scale = brackets != nullptr;
        if ((value != nullptr) == (brackets != nullptr) || (brackets != nullptr) != pi.is_scale) {
          rep_.at_node("E1103", v, ip,
                       tr("a parameter value has \"value\" (a number) or, for a scale, \"brackets\"; one kind per parameter",
                          "参数的值写 \"value\"（一个数），标尺则写 \"brackets\"；同一个参数只能用一种"));
          continue;
        }
        if (value) {
          if (auto d = get_decimal(value, ptr(ip, "value"), "\"value\"")) period.value = *d;
        } else if (expect_kind(*brackets, JsonNode::Kind::array, ptr(ip, "brackets"), "\"brackets\"")) {
          for (std::size_t k = 0; k < brackets->items.size(); ++k) {
            const JsonNode& br = brackets->items[k];
            const std::string bp = ptr(ptr(ip, "brackets"), k);
            if (!expect_kind(br, JsonNode::Kind::object, bp, tr("a bracket", "档"))) continue;
            check_keys(br, bp, {"threshold", "amount"}, tr("a bracket", "档"));
            auto th = get_decimal(require_key(br, "threshold", bp, tr("a bracket", "档")), ptr(bp, "threshold"), "\"threshold\"");
            auto am = get_decimal(require_key(br, "amount", bp, tr("a bracket", "档")), ptr(bp, "amount"), "\"amount\"");
            if (!th || !am) continue;
            if (!period.brackets.empty() && Decimal::compare(period.brackets.back().first, *th) >= 0)
              rep_.at_node("E1218", *br.find("threshold"), ptr(bp, "threshold"),
                           tr("the brackets of scale '" + name + "' must have rising thresholds",
                              "标尺 '" + name + "' 各档的起点（threshold）要逐档升高"));
            period.brackets.emplace_back(*th, *am);
          }
        }
        pi.periods.push_back(std::move(period));
      }
    }
    p_->parameters.push_back(std::move(pi));
  }
}

Lowered Compiler::lower_parameter(const Ast* a, const ExprCtx& ctx, bool scale) {
  const std::string& f = a->text;
  const auto& args = a->kids;
  const std::size_t lo = scale ? 2 : 1, hi = scale ? 3 : 2;
  if (args.size() < lo || args.size() > hi) {
    err(ctx, a, "E1205", tr(f + "() takes " + std::to_string(lo) + " to " + std::to_string(hi) + " arguments, got " +
                                std::to_string(args.size()),
                            f + "() 需要 " + std::to_string(lo) + " 到 " + std::to_string(hi) + " 个参数，这里给了 " +
                                std::to_string(args.size()) + " 个"));
    return {0, kErr};
  }
  const Ast* name = args[0].get();
  if (name->kind != Ast::Kind::string) {
    err(ctx, name, "E1217", tr(f + "() takes the parameter's name written in the rule, like " + f + "('dibao_standard'" +
                                   (scale ? ", x" : "") + ")",
                               f + "() 的第一个参数是直接写出的参数名，如 " + f + "('dibao_standard'" + (scale ? ", x" : "") + ")"));
    return {0, kErr};
  }
  std::int32_t index = -1;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < p_->parameters.size(); ++i) {
    names.push_back(p_->parameters[i].name);
    if (p_->parameters[i].name == name->text) index = static_cast<std::int32_t>(i);
  }
  if (index < 0) {
    err(ctx, name, "E1217", tr("unknown parameter '" + name->text + "'", "未知的参数 '" + name->text + "'") +
                                did_you_mean(load::closest(name->text, names)));
    return {0, kErr};
  }
  const detail::ParameterInfo& pi = p_->parameters[static_cast<std::size_t>(index)];
  if (pi.periods.empty()) return {0, kErr};  // its declaration already failed
  if (pi.is_scale != scale) {
    err(ctx, a, "E1217", scale ? tr("'" + pi.name + "' is a plain parameter: read it with param('" + pi.name + "')",
                                    "'" + pi.name + "' 是普通参数：请用 param('" + pi.name + "') 读取")
                               : tr("'" + pi.name + "' is a scale: read it with scale('" + pi.name + "', amount)",
                                    "'" + pi.name + "' 是标尺：请用 scale('" + pi.name + "', 数额) 读取"));
    return {0, kErr};
  }
  std::vector<std::uint32_t> nodes;
  if (scale) {
    Lowered x = lower_expect(args[1].get(), ctx, TKind::number, tr("argument 2 of scale()", "scale() 的第 2 个参数"));
    if (!x.ok()) return x;
    nodes.push_back(x.node);
  }
  if (args.size() == hi) {
    Lowered d = lower_expect(args[hi - 1].get(), ctx, TKind::date,
                             tr("argument " + std::to_string(hi) + " of " + f + "()", f + "() 的第 " + std::to_string(hi) + " 个参数"));
    if (!d.ok()) return d;
    nodes.push_back(d.node);
  } else {
    Node as_of;
    as_of.op = Op::AsOf;
    as_of.type = kDate;
    nodes.push_back(emit(as_of, ctx, a));
  }
  Node n;
  n.op = Op::Call;
  n.sub = static_cast<std::uint8_t>(scale ? Builtin::scale : Builtin::param);
  n.b = static_cast<std::uint32_t>(p_->args.size());
  n.c = static_cast<std::uint32_t>(nodes.size());
  n.d = static_cast<std::uint32_t>(index);
  n.type = kNum;
  for (auto x : nodes) p_->args.push_back(x);
  return fold({emit(n, ctx, a), kNum}, ctx, a);
}

}  // namespace eligo::compile
