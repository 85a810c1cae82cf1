// Resolution of types: the declared input groups, their fields and records, and the table of type ids
// (one id per distinct type, so equal types compare by id).
#include "compile/compiler_impl.hpp"

#include <algorithm>

namespace eligo::compile {

std::uint32_t Compiler::add_type(TypeInfo t) {
  for (std::size_t i = 0; i < p_->types.size(); ++i) {
    const TypeInfo& u = p_->types[i];
    if (u.kind == t.kind && u.optional == t.optional && u.elem == t.elem && u.record == t.record &&
        u.enum_id == t.enum_id && u.cn_id == t.cn_id)
      return static_cast<std::uint32_t>(i);
  }
  p_->types.push_back(t);
  return static_cast<std::uint32_t>(p_->types.size() - 1);
}

std::uint32_t Compiler::optional_of(std::uint32_t t) {
  if (t == kErr || p_->types[t].optional) return t;
  TypeInfo u = p_->types[t];
  u.optional = true;
  return add_type(u);
}

std::uint32_t Compiler::required_of(std::uint32_t t) {
  if (t == kErr || !p_->types[t].optional) return t;
  TypeInfo u = p_->types[t];
  u.optional = false;
  return add_type(u);
}

std::uint32_t Compiler::list_of(std::uint32_t elem) {
  TypeInfo t;
  t.kind = TKind::list;
  t.elem = elem;
  return add_type(t);
}

std::string Compiler::type_name(std::uint32_t t) const {
  if (t == kErr) return "?";
  const TypeInfo& ti = p_->types[t];
  std::string s;
  switch (ti.kind) {
    case TKind::null: return "null";
    case TKind::boolean: s = "bool"; break;
    case TKind::number: s = "number"; break;
    case TKind::string: s = ti.enum_id >= 0 ? "enum" : "string"; break;
    case TKind::date: s = "date"; break;
    case TKind::list: s = "list of " + type_name(ti.elem); break;
    case TKind::record: s = "record"; break;
  }
  return ti.optional ? s + "?" : s;
}

bool Compiler::same_kind(std::uint32_t a, std::uint32_t b) const {
  const TypeInfo &x = p_->types[a], &y = p_->types[b];
  if (x.kind == TKind::null || y.kind == TKind::null) return true;
  if (x.kind != y.kind) return false;
  if (x.kind == TKind::list) return same_kind(x.elem, y.elem);
  if (x.kind == TKind::record) return x.record == y.record;
  return true;
}

std::uint32_t Compiler::parse_type(const JsonNode& n, const std::string& pointer, const std::string& path, Pii* pii,
                         Localized* label) {
  if (n.is_string()) {
    std::string s = n.text;
    bool opt = false;
    if (!s.empty() && s.back() == '?') {
      opt = true;
      s.pop_back();
    }
    TypeInfo t;
    if (s == "string") t.kind = TKind::string;
    else if (s == "number") t.kind = TKind::number;
    else if (s == "bool") t.kind = TKind::boolean;
    else if (s == "date") t.kind = TKind::date;
    else if (s == "cn_id") {
      t.kind = TKind::string;
      t.cn_id = true;
      if (pii && *pii == Pii::none) *pii = Pii::id_number;  // an ID number is masked wherever it is shown
    } else {
      std::string msg = tr("unknown type '" + n.text + "'", "未知的类型 '" + n.text + "'");
      const std::string near = load::closest(s, {"string", "number", "bool", "date", "cn_id"});
      msg += near.empty() ? tr(" (types: string, number, bool, date, cn_id, {\"enum\"}, {\"list\"}, {\"record\"})",
                               "（类型有：string、number、bool、date、cn_id、{\"enum\"}、{\"list\"}、{\"record\"}）")
                          : did_you_mean(near);
      rep_.at_node("E1106", n, pointer, msg);
      return kErr;
    }
    t.optional = opt;
    return add_type(t);
  }
  if (!n.is_object()) {
    rep_.at_node("E1106", n, pointer, tr("a type must be a name (\"date\") or an object ({\"enum\": …}, {\"list\": …})",
                                         "类型应为类型名（\"date\"）或对象（{\"enum\": …}、{\"list\": …}）"));
    return kErr;
  }
  if (const JsonNode* e = n.find("enum")) {
    check_keys(n, pointer, {"enum", "optional", "label", "pii"}, "an enum type");
    if (!expect_kind(*e, JsonNode::Kind::array, ptr(pointer, "enum"), "\"enum\"")) return kErr;
    std::vector<std::string> values;
    for (std::size_t i = 0; i < e->items.size(); ++i) {
      const std::string v = get_string(&e->items[i], ptr(ptr(pointer, "enum"), i), "an enum value");
      if (std::find(values.begin(), values.end(), v) != values.end())
        rep_.at_node("E1107", e->items[i], ptr(ptr(pointer, "enum"), i), tr("enum value '" + v + "' is listed twice", "枚举值 '" + v + "' 列了两次"));
      values.push_back(v);
    }
    if (values.empty()) rep_.at_node("E1106", *e, ptr(pointer, "enum"), tr("an enum needs at least one value", "枚举至少要有一个值"));
    p_->enums.push_back(values);
    TypeInfo t;
    t.kind = TKind::string;
    t.enum_id = static_cast<std::int32_t>(p_->enums.size() - 1);
    t.optional = get_bool(n.find("optional"), ptr(pointer, "optional"), "\"optional\"");
    if (label) *label = get_text(n.find("label"), ptr(pointer, "label"), "a label");
    if (pii) *pii = get_pii(n.find("pii"), ptr(pointer, "pii"));
    return add_type(t);
  }
  if (const JsonNode* l = n.find("list")) {
    check_keys(n, pointer, {"list", "optional", "label"}, "a list type");
    std::uint32_t elem;
    if (l->is_object() && !l->find("enum") && !l->find("list") && !l->find("record") && !l->find("type")) {
      elem = parse_record(*l, ptr(pointer, "list"), path + "[]");
    } else if (l->is_object() && l->find("type") && l->find("type")->is_object()) {
      elem = parse_record(*l, ptr(pointer, "list"), path + "[]");  // a record with a field named "type"
    } else if (l->is_object() && l->find("type") && !l->find("optional") && !l->find("label") && !l->find("pii") &&
               l->members.size() > 1) {
      elem = parse_record(*l, ptr(pointer, "list"), path + "[]");  // {"type": "string", "from": "date"}
    } else {
      elem = parse_type(*l, ptr(pointer, "list"), path + "[]", nullptr, nullptr);
    }
    if (elem == kErr) return kErr;
    TypeInfo t;
    t.kind = TKind::list;
    t.elem = elem;
    t.optional = get_bool(n.find("optional"), ptr(pointer, "optional"), "\"optional\"");
    if (label) *label = get_text(n.find("label"), ptr(pointer, "label"), "a label");
    return add_type(t);
  }
  if (const JsonNode* r = n.find("record")) {
    check_keys(n, pointer, {"record", "optional", "label"}, "a record type");
    if (!expect_kind(*r, JsonNode::Kind::object, ptr(pointer, "record"), "\"record\"")) return kErr;
    std::uint32_t t = parse_record(*r, ptr(pointer, "record"), path);
    if (t != kErr && get_bool(n.find("optional"), ptr(pointer, "optional"), "\"optional\"")) t = optional_of(t);
    if (label) *label = get_text(n.find("label"), ptr(pointer, "label"), "a label");
    return t;
  }
  if (const JsonNode* t = n.find("type")) {
    check_keys(n, pointer, {"type", "optional", "label", "pii"}, "a field type");
    Pii implied = Pii::none;
    std::uint32_t ty = parse_type(*t, ptr(pointer, "type"), path, &implied, nullptr);
    if (ty != kErr && get_bool(n.find("optional"), ptr(pointer, "optional"), "\"optional\"")) ty = optional_of(ty);
    if (label) *label = get_text(n.find("label"), ptr(pointer, "label"), "a label");
    if (pii) *pii = n.find("pii") ? get_pii(n.find("pii"), ptr(pointer, "pii")) : implied;
    return ty;
  }
  rep_.at_node("E1106", n, pointer, tr("a type object needs \"type\", \"enum\", \"list\" or \"record\"",
                                       "类型对象需要 \"type\"、\"enum\"、\"list\" 或 \"record\" 之一"));
  return kErr;
}

std::uint32_t Compiler::parse_record(const JsonNode& fields, const std::string& pointer, const std::string& path) {
  detail::RecordInfo rec;
  bool ok = true;
  for (std::size_t i = 0; i < fields.members.size(); ++i) {
    const auto& [name, decl] = fields.members[i];
    detail::FieldInfo f;
    f.name = name;
    f.path = p_->intern_path(path + "." + name);
    f.type = parse_type(decl, ptr(pointer, name), path + "." + name, &f.pii, &f.label);
    if (f.type == kErr) ok = false;
    rec.fields.push_back(std::move(f));
  }
  if (!ok) return kErr;
  p_->records.push_back(std::move(rec));
  TypeInfo t;
  t.kind = TKind::record;
  t.record = static_cast<std::uint32_t>(p_->records.size() - 1);
  return add_type(t);
}

// "record": the group a flat record binds to; "unknown_fields": error | warn | ignore (docs/data-in.md).
void Compiler::compile_binding(const JsonNode& root) {
  if (const JsonNode* r = root.find("record")) {
    const std::string s = get_string(r, "/record", "\"record\"");
    std::vector<std::string> names;
    for (std::size_t g = 0; g < p_->groups.size(); ++g) {
      names.push_back(p_->groups[g].name);
      if (p_->groups[g].name == s) p_->record_group = static_cast<std::int32_t>(g);
    }
    if (r->is_string() && p_->record_group < 0) {
      const std::string near = load::closest(s, names);
      rep_.at_node("E1203", *r, "/record", tr("'" + s + "' is not an input group", "'" + s + "' 不是输入分组") + did_you_mean(near));
    }
  }
  if (const JsonNode* u = root.find("unknown_fields")) {
    const std::string s = get_string(u, "/unknown_fields", "\"unknown_fields\"");
    if (s == "error") p_->unknown_fields = 0;
    else if (s == "warn") p_->unknown_fields = 1;
    else if (s == "ignore") p_->unknown_fields = 2;
    else if (u->is_string())
      rep_.at_node("E1102", *u, "/unknown_fields",
                   tr("unknown value '" + s + "' (error, warn, ignore)", "未知的取值 '" + s + "'（可用：error、warn、ignore）"));
  }
}

void Compiler::compile_inputs(const JsonNode& n) {
  if (!expect_kind(n, JsonNode::Kind::object, "/inputs", "\"inputs\"")) return;
  for (std::size_t i = 0; i < n.members.size(); ++i) {
    const auto& [name, g] = n.members[i];
    const std::string pointer = ptr("/inputs", name);
    if (!expect_kind(g, JsonNode::Kind::object, pointer, "an input group")) continue;
    check_keys(g, pointer, {"fields", "source", "label"}, "an input group");
    GroupInfo gi;
    gi.name = name;
    gi.path = p_->intern_path(name);
    gi.source = get_string(g.find("source"), ptr(pointer, "source"), "\"source\"");
    gi.label = get_text(g.find("label"), ptr(pointer, "label"), "a label");
    const JsonNode* fields = require_key(g, "fields", pointer, "an input group");
    if (!fields || !expect_kind(*fields, JsonNode::Kind::object, ptr(pointer, "fields"), "\"fields\"")) continue;
    const std::uint32_t t = parse_record(*fields, ptr(pointer, "fields"), name);
    if (t == kErr) continue;
    gi.record = p_->types[t].record;
    p_->groups.push_back(std::move(gi));
  }
}

}  // namespace eligo::compile
