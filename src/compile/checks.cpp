// Checks (require, when, reason), the reason templates with their {expressions}, and the named outputs.
#include "compile/compiler_impl.hpp"

namespace eligo::compile {

detail::Template Compiler::compile_template(const JsonNode& n, const std::string& pointer) {
  detail::Template t;
  t.chinese_dates = chinese_dates_;
  const std::string& s = n.text;
  std::string lit;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '{' && i + 1 < s.size() && s[i + 1] == '{') {
      lit.push_back('{');
      ++i;
      continue;
    }
    if (s[i] == '}' && i + 1 < s.size() && s[i + 1] == '}') {
      lit.push_back('}');
      ++i;
      continue;
    }
    if (s[i] != '{') {
      lit.push_back(s[i]);
      continue;
    }
    const std::size_t close = s.find('}', i);
    if (close == std::string::npos) {
      rep_.in_string("E1201", n, pointer, i, i + 1, 
                     tr("'{' without '}' in the reason (write '{{' for a brace)", "理由中的 '{' 没有对应的 '}'（要写花括号本身请写 '{{'）"));
      return t;
    }
    if (!lit.empty()) t.parts.push_back({lit, -1, Pii::none});
    lit.clear();
    const std::string inner = s.substr(i + 1, close - i - 1);
    detail::Template::Part part;
    Lowered l = compile_text_as(n, pointer, inner, static_cast<std::uint32_t>(i + 1), [&](const Ast* a, const ExprCtx& ctx) {
      Lowered x = lower(a, ctx);
      if (x.ok() && (kind(x.type) == TKind::list || kind(x.type) == TKind::record)) {
        // Lists render as their size; fine. Records cannot be shown.
        if (kind(x.type) == TKind::record) {
          err(ctx, a, "E1206", tr("a reason can show a value, not a whole record", "理由中只能显示一个值，不能显示整条记录"));
          return Lowered{0, kErr};
        }
      }
      if (x.ok()) part.pii = pii_of(x.node);
      return x;
    });
    if (l.ok()) {
      part.expr = static_cast<std::int32_t>(l.node);
      t.parts.push_back(part);
    }
    i = close;
  }
  if (!lit.empty()) t.parts.push_back({lit, -1, Pii::none});
  return t;
}

detail::LocalizedTemplate Compiler::compile_reason(const JsonNode* n, const std::string& pointer) {
  detail::LocalizedTemplate t;
  if (!n) return t;
  if (n->is_string()) {
    t.zh = compile_template(*n, pointer);
    return t;
  }
  if (!n->is_object()) {
    rep_.at_node("E1102", *n, pointer, tr("\"reason\" must be a string or an object of languages (\"zh-CN\", \"en\")",
                                          "\"reason\" 应为字符串，或按语言给出的对象（\"zh-CN\"、\"en\"）"));
    return t;
  }
  check_keys(*n, pointer, {"zh-CN", "en"}, "\"reason\"");
  if (const JsonNode* z = n->find("zh-CN"))
    if (expect_kind(*z, JsonNode::Kind::string, ptr(pointer, "zh-CN"), "a reason")) t.zh = compile_template(*z, ptr(pointer, "zh-CN"));
  if (const JsonNode* e = n->find("en"))
    if (expect_kind(*e, JsonNode::Kind::string, ptr(pointer, "en"), "a reason")) t.en = compile_template(*e, ptr(pointer, "en"));
  return t;
}

void Compiler::compile_checks(const JsonNode& n) {
  if (!expect_kind(n, JsonNode::Kind::array, "/checks", "\"checks\"")) return;
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    const JsonNode& c = n.items[i];
    const std::string pointer = ptr("/checks", i);
    if (!expect_kind(c, JsonNode::Kind::object, pointer, "a check")) continue;
    check_keys(c, pointer, {"id", "label", "require", "reason", "cite", "department", "when", "note"}, "a check");
    detail::CheckInfo ci;
    ci.id = unique_id(c, pointer, &check_ids_, "check");
    ci.label = get_text(c.find("label"), ptr(pointer, "label"), "a label");
    ci.cite = get_string(c.find("cite"), ptr(pointer, "cite"), "\"cite\"");
    ci.department = get_string(c.find("department"), ptr(pointer, "department"), "\"department\"");
    if (const JsonNode* r = require_key(c, "require", pointer, "a check")) {
      Lowered l = compile_expr(*r, ptr(pointer, "require"), TKind::boolean, "\"require\"");
      ci.require = l.node;
    }
    ci.when = optional_condition(c, "when", pointer);
    const JsonNode* reason = c.find("reason");
    if (!reason) {
      rep_.at_node("E1108", c, pointer, 
                   tr("check '" + ci.id + "' has no \"reason\": an applicant who fails it must be told why",
                      "检查项 '" + ci.id + "' 没有 \"reason\"：未通过的申请人必须被告知原因"));
    } else {
      ci.reason = compile_reason(reason, ptr(pointer, "reason"));
    }
    p_->checks.push_back(std::move(ci));
  }
}

void Compiler::compile_outputs(const JsonNode& n) {
  if (!expect_kind(n, JsonNode::Kind::object, "/outputs", "\"outputs\"")) return;
  for (const auto& [name, o] : n.members) {
    const std::string pointer = ptr("/outputs", name);
    detail::OutputInfo oi;
    oi.name = name;
    const JsonNode* expr = &o;
    const JsonNode* table_node = nullptr;
    std::string epointer = pointer;
    if (o.is_object()) {
      check_keys(o, pointer, {"expr", "table", "label", "example", "note"}, "an output");
      if (const JsonNode* table = o.find("table")) {
        if (o.find("expr"))
          rep_.at_node("E1103", o, pointer,
                       tr("output '" + name + "' has both \"expr\" and \"table\": write one",
                          "输出项 '" + name + "' 同时写了 \"expr\" 和 \"table\"，只能写一个"));
        expr = nullptr;
        table_node = table;
      } else {
        expr = require_key(o, "expr", pointer, "an output");
        epointer = ptr(pointer, "expr");
      }
      oi.label = get_text(o.find("label"), ptr(pointer, "label"), "a label");
      oi.example = get_bool(o.find("example"), ptr(pointer, "example"), "\"example\"");
      oi.note = get_string(o.find("note"), ptr(pointer, "note"), "\"note\"");
    }
    if (table_node) {
      Lowered l = compile_output_table(*table_node, ptr(pointer, "table"), &oi.table_rows);
      if (l.ok() && kind(l.type) == TKind::record)
        rep_.at_node("E1206", *table_node, ptr(pointer, "table"), tr("an output cannot be a whole record", "输出项不能是整条记录"));
      oi.node = l.node;
      if (l.ok()) oi.pii = pii_of(l.node);
      p_->outputs.push_back(std::move(oi));
      continue;
    }
    if (!expr) continue;
    Lowered l = compile_expr(*expr, epointer, TKind::null, "an output");
    if (l.ok() && kind(l.type) == TKind::record) rep_.at_node("E1206", *expr, epointer, 
                   tr("an output cannot be a whole record", "输出项不能是整条记录"));
    oi.node = l.node;
    if (l.ok()) oi.pii = pii_of(l.node);
    p_->outputs.push_back(std::move(oi));
  }
}

}  // namespace eligo::compile
