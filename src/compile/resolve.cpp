// Resolution of names: locals (lambda parameters), as_of, lets (lowered on first use, which finds cycles),
// input groups and their fields, record members, and the named lists declared under "lists".
#include "compile/compiler_impl.hpp"

#include <algorithm>

#include "evaluate/evaluator.hpp"

namespace eligo::compile {

Lowered Compiler::lower_name(const Ast* a, const ExprCtx& ctx) {
  const std::string& name = a->text;
  for (auto it = scope_.rbegin(); it != scope_.rend(); ++it) {
    if (it->first == name) {
      Node n;
      n.op = Op::Local;
      n.a = it->second.first;
      n.type = it->second.second;
      return {emit(n, ctx, a), n.type};
    }
  }
  if (name == "as_of") {
    Node n;
    n.op = Op::AsOf;
    n.type = kDate;
    return {emit(n, ctx, a), kDate};
  }
  for (std::size_t i = 0; i < lets_.size(); ++i) {
    LetDecl& let = lets_[i];
    if (let.name != name) continue;
    if (a != declaring_) let.referenced = true;
    if (let.state == 1) {
      err(ctx, a, "E1209", tr("'let' values form a cycle through '" + name + "'", "let 值经由 '" + name + "' 循环引用了自己"));
      return {0, kErr};
    }
    if (let.state == 0) {
      let.state = 1;
      auto saved = scope_;
      scope_.clear();
      let.result = compile_expr(*let.node, let.pointer, TKind::null, "a let value");
      scope_ = saved;
      // compile_expr with TKind::null accepts any type (lower_expect lets null through): re-lower is not needed.
      let.state = 2;
      if (let.result.ok()) {
        p_->lets[i].node = let.result.node;
      }
    }
    if (!let.result.ok()) return {0, kErr};
    if (is_const(let.result.node)) return {let.result.node, let.result.type};
    Node n;
    n.op = Op::Let;
    n.a = static_cast<std::uint32_t>(i);
    n.type = let.result.type;
    return {emit(n, ctx, a), n.type};
  }
  for (std::size_t g = 0; g < p_->groups.size(); ++g) {
    if (p_->groups[g].name == name) {
      const std::string example = name + "." + p_->records[p_->groups[g].record].fields.front().name;
      err(ctx, a, "E1203", tr("'" + name + "' is an input group: name one of its fields ('" + example + "')",
                              "'" + name + "' 是输入分组：请写出它的某个字段（如 '" + example + "'）"));
      return {0, kErr};
    }
  }
  if (named_lists_.count(name)) {
    err(ctx, a, "E1206", tr("the list '" + name + "' can only stand after 'in'", "列表 '" + name + "' 只能写在 'in' 后面"));
    return {0, kErr};
  }
  std::vector<std::string> candidates{"as_of"};
  for (auto& l : lets_) candidates.push_back(l.name);
  for (auto& s : scope_) candidates.push_back(s.first);
  for (auto& g : p_->groups) candidates.push_back(g.name);
  std::string msg = tr("unknown name '" + name + "'", "未知的名称 '" + name + "'");
  msg += did_you_mean(load::closest(name, candidates));
  err(ctx, a, "E1202", msg);
  return {0, kErr};
}

Lowered Compiler::lower_member(const Ast* a, const ExprCtx& ctx) {
  const Ast* base = a->kids[0].get();
  // group.field
  if (base->kind == Ast::Kind::name) {
    bool shadowed = false;
    for (auto& s : scope_) shadowed |= s.first == base->text;
    if (!shadowed) {
      for (std::size_t g = 0; g < p_->groups.size(); ++g) {
        const GroupInfo& gi = p_->groups[g];
        if (gi.name != base->text) continue;
        const detail::RecordInfo& rec = p_->records[gi.record];
        const int slot = rec.find(a->text);
        if (slot < 0) {
          std::vector<std::string> names;
          for (auto& f : rec.fields) names.push_back(gi.name + "." + f.name);
          std::string msg = tr("unknown field '" + gi.name + "." + a->text + "'", "未知的字段 '" + gi.name + "." + a->text + "'");
          msg += did_you_mean(load::closest(gi.name + "." + a->text, names));
          err(ctx, a, "E1203", msg);
          return {0, kErr};
        }
        Node n;
        n.op = Op::Field;
        n.a = static_cast<std::uint32_t>(g);
        n.b = static_cast<std::uint32_t>(slot);
        n.c = rec.fields[static_cast<std::size_t>(slot)].path;
        n.type = rec.fields[static_cast<std::size_t>(slot)].type;
        return {emit(n, ctx, a), n.type};
      }
    }
  }
  Lowered b = lower(base, ctx);
  if (!b.ok()) return b;
  const TypeInfo& bt = p_->types[b.type];
  if (bt.kind != TKind::record) {
    err(ctx, a, "E1203", tr("'" + dotted(base) + "' is a " + type_name(b.type) + " and has no field '" + a->text + "'",
                            "'" + dotted(base) + "' 是 " + type_name(b.type) + "，没有字段 '" + a->text + "'"));
    return {0, kErr};
  }
  const detail::RecordInfo& rec = p_->records[bt.record];
  const int slot = rec.find(a->text);
  if (slot < 0) {
    std::vector<std::string> names;
    for (auto& f : rec.fields) names.push_back(f.name);
    std::string msg = tr("unknown field '" + dotted(a) + "'", "未知的字段 '" + dotted(a) + "'");
    const std::string near = load::closest(a->text, names);
    if (!near.empty()) msg += did_you_mean(dotted(base) + "." + near);
    err(ctx, a, "E1203", msg);
    return {0, kErr};
  }
  const detail::FieldInfo& f = rec.fields[static_cast<std::size_t>(slot)];
  Node n;
  n.op = Op::Get;
  n.a = b.node;
  n.b = static_cast<std::uint32_t>(slot);
  n.c = f.path;
  n.type = bt.optional ? optional_of(f.type) : f.type;
  return {emit(n, ctx, a), n.type};
}

std::string Compiler::dotted(const Ast* a) const {
  if (a->kind == Ast::Kind::name) return a->text;
  if (a->kind == Ast::Kind::member) return dotted(a->kids[0].get()) + "." + a->text;
  return "…";
}

void Compiler::compile_lists(const JsonNode& n) {
  if (!expect_kind(n, JsonNode::Kind::object, "/lists", "\"lists\"")) return;
  for (const auto& [name, l] : n.members) {
    const std::string pointer = ptr("/lists", name);
    if (!expect_kind(l, JsonNode::Kind::object, pointer, "a named list")) continue;
    check_keys(l, pointer, {"file", "column", "values", "label"}, "a named list");
    std::vector<Value> values;
    if (const JsonNode* v = l.find("values")) {
      if (!expect_kind(*v, JsonNode::Kind::array, ptr(pointer, "values"), "\"values\"")) continue;
      for (std::size_t i = 0; i < v->items.size(); ++i) {
        const std::string s = get_string(&v->items[i], ptr(ptr(pointer, "values"), i), "a list value");
        values.push_back(string_value(s));
      }
    } else if (const JsonNode* f = l.find("file")) {
      const std::string file = get_string(f, ptr(pointer, "file"), "\"file\"");
      const std::string column = get_string(require_key(l, "column", pointer, "a list from a file"),
                                            ptr(pointer, "column"), "\"column\"");
      if (file.empty() || column.empty()) continue;
      load::CsvTable table;
      std::string error;
      const std::string path = load::resolve_relative(lp_.dir, file);
      if (!opt_.allow_outside_paths && !load::inside_pack_folder(lp_.dir, file)) {
        rep_.at_node("E1110", *f, ptr(pointer, "file"), outside_message("list file", file));
        continue;
      }
      if (!load::read_csv(path, opt_.max_file_bytes, &table, &error)) {
        rep_.at_node("E1109", *f, ptr(pointer, "file"), 
                     tr("cannot use table '" + path + "': " + error, "无法使用表格文件 '" + path + "'：" + load::file_error_zh(error)));
        continue;
      }
      hash_input_ += "\n#table " + file + "\n" + table.bytes;
      auto col = std::find(table.header.begin(), table.header.end(), column);
      if (col == table.header.end()) {
        std::string cols;
        for (auto& h : table.header) cols += (cols.empty() ? "" : ", ") + h;
        rep_.at_node("E1109", *l.find("column"), ptr(pointer, "column"),
                     tr("table '" + path + "' has no column '" + column + "' (columns: " + cols + ")",
                        "表格文件 '" + path + "' 没有 '" + column + "' 列（已有的列：" + cols + "）"));
        continue;
      }
      const std::size_t ci = static_cast<std::size_t>(col - table.header.begin());
      for (auto& row : table.rows) values.push_back(string_value(row[ci]));
    } else {
      rep_.at_node("E1103", l, pointer, 
                   tr("a named list needs \"values\" or \"file\" and \"column\"",
                      "命名列表需要 \"values\"，或 \"file\" 加 \"column\""));
      continue;
    }
    std::sort(values.begin(), values.end(), [](const Value& x, const Value& y) { return detail::values_compare(x, y) < 0; });
    p_->value_lists.push_back(std::move(values));
    named_lists_[name] = NamedList{static_cast<std::uint32_t>(p_->value_lists.size() - 1), kStr, &l, pointer, false};
  }
}

void Compiler::compile_lets(const JsonNode& n) {
  if (!expect_kind(n, JsonNode::Kind::object, "/let", "\"let\"")) return;
  for (const auto& [name, e] : n.members) {
    LetDecl d;
    d.name = name;
    d.node = &e;
    d.pointer = ptr("/let", name);
    lets_.push_back(d);
    p_->lets.push_back({name, 0});
  }
  // Lower every let (in order); references lower on demand, which finds cycles.
  for (std::size_t i = 0; i < lets_.size(); ++i) {
    if (lets_[i].state != 0) continue;
    Ast a;
    a.kind = Ast::Kind::name;
    a.text = lets_[i].name;
    ExprCtx ctx;
    ctx.node = lets_[i].node;
    ctx.pointer = lets_[i].pointer;
    ctx.expr = add_expr_source(*lets_[i].node, lets_[i].pointer);
    declaring_ = &a;
    lower_name(&a, ctx);
    declaring_ = nullptr;
  }
  // For --explain: each let's value is shown under its name, masked as the personal data it carries.
  for (std::size_t i = 0; i < lets_.size(); ++i) {
    p_->lets[i].path = p_->intern_path(lets_[i].name);
    p_->lets[i].pii = lets_[i].result.ok() ? pii_of(lets_[i].result.node) : Pii::none;
  }
}

}  // namespace eligo::compile
