#include "compile/compiler.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include <openssl/evp.h>

#include "compile/expr_parser.hpp"
#include "evaluate/evaluator.hpp"
#include "load/reporter.hpp"

namespace eligo::compile {
namespace {

using detail::Builtin;
using detail::GroupInfo;
using detail::Localized;
using detail::Node;
using detail::Op;
using detail::Pii;
using detail::Program;
using detail::Quantifier;
using detail::TKind;
using detail::TypeInfo;
using detail::Value;
using detail::VKind;
using load::JsonNode;

constexpr std::uint32_t kErr = UINT32_MAX;  // the type of an expression that already failed
constexpr std::uint32_t kNull = 0, kBool = 1, kNum = 2, kStr = 3, kDate = 4, kDateOpt = 5, kStrOpt = 6, kNumOpt = 7;

std::string sha256_hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (unsigned int i = 0; i < len; ++i) {
    s.push_back(hex[md[i] >> 4]);
    s.push_back(hex[md[i] & 15]);
  }
  return s;
}

// Where an expression string sits, for diagnostics and run-time errors.
struct ExprCtx {
  const JsonNode* node = nullptr;
  std::string pointer;
  std::uint32_t base = 0;  // offset of the parsed text inside the string value (table row tests)
  std::uint32_t expr = 0;  // index into Program::exprs
};

std::string describe_enum_impl(const Ast* a);

struct Lowered {
  std::uint32_t node = 0;
  std::uint32_t type = kErr;
  bool ok() const { return type != kErr; }
};

struct NamedList {
  std::uint32_t list = 0;  // index into value_lists
  std::uint32_t type = kStr;
};

struct LetDecl {
  std::string name;
  const JsonNode* node = nullptr;
  std::string pointer;
  int state = 0;  // 0 not lowered, 1 lowering, 2 done
  Lowered result;
};

class Compiler {
 public:
  Compiler(const load::LoadedPack& lp, const CompileOptions& opt, Diagnostics* diags)
      : lp_(lp), opt_(opt), rep_(lp.file, lp.text, diags), p_(std::make_shared<Program>()) {}

  std::shared_ptr<Program> run();

 private:
  const load::LoadedPack& lp_;
  const CompileOptions& opt_;
  load::Reporter rep_;
  std::shared_ptr<Program> p_;
  std::string hash_input_;
  std::map<std::string, NamedList> named_lists_;
  std::vector<LetDecl> lets_;
  std::vector<std::pair<std::string, std::pair<std::uint32_t, std::uint32_t>>> scope_;  // locals: name → slot, type
  std::set<std::string> check_ids_, indicator_ids_;

  // ---- structure helpers ----------------------------------------------------------------------------
  static std::string ptr(const std::string& base, const std::string& key) { return base + "/" + load::pointer_token(key); }
  static std::string ptr(const std::string& base, std::size_t i) { return base + "/" + std::to_string(i); }

  void check_keys(const JsonNode& obj, const std::string& pointer, const std::vector<std::string>& allowed,
                  const std::string& what) {
    for (std::size_t i = 0; i < obj.members.size(); ++i) {
      const std::string& k = obj.members[i].first;
      if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
      std::string msg = "unknown key '" + k + "' in " + what;
      const std::string near = load::closest(k, allowed);
      if (!near.empty()) msg += " (did you mean '" + near + "'?)";
      rep_.at_key("E1101", obj, i, ptr(pointer, k), msg);
    }
  }
  bool expect_kind(const JsonNode& n, JsonNode::Kind kind, const std::string& pointer, const std::string& what) {
    if (n.kind == kind) return true;
    rep_.at_node("E1102", n, pointer,
                 what + " must be " + (kind == JsonNode::Kind::object || kind == JsonNode::Kind::array ? "an " : "a ") + load::kind_name(kind) +
                     ", not " + (n.kind == JsonNode::Kind::array || n.kind == JsonNode::Kind::object ? "an " : "a ") +
                     load::kind_name(n.kind));
    return false;
  }
  const JsonNode* require_key(const JsonNode& obj, const std::string& key, const std::string& pointer,
                              const std::string& what) {
    const JsonNode* n = obj.find(key);
    if (!n) rep_.at_node("E1103", obj, pointer, what + " needs \"" + key + "\"");
    return n;
  }
  std::string get_string(const JsonNode* n, const std::string& pointer, const std::string& what) {
    if (!n) return "";
    if (!expect_kind(*n, JsonNode::Kind::string, pointer, what)) return "";
    return n->text;
  }
  // Text: a string, or {"zh-CN": …, "en": …}.
  Localized get_text(const JsonNode* n, const std::string& pointer, const std::string& what) {
    Localized t;
    if (!n) return t;
    if (n->is_string()) {
      t.zh = n->text;
      return t;
    }
    if (!n->is_object()) {
      rep_.at_node("E1102", *n, pointer, what + " must be a string or an object of languages (\"zh-CN\", \"en\")");
      return t;
    }
    check_keys(*n, pointer, {"zh-CN", "en"}, what);
    if (const JsonNode* z = n->find("zh-CN")) t.zh = get_string(z, ptr(pointer, "zh-CN"), what);
    if (const JsonNode* e = n->find("en")) t.en = get_string(e, ptr(pointer, "en"), what);
    return t;
  }
  std::optional<Decimal> get_decimal(const JsonNode* n, const std::string& pointer, const std::string& what) {
    if (!n) return std::nullopt;
    if (!expect_kind(*n, JsonNode::Kind::number, pointer, what)) return std::nullopt;
    auto d = Decimal::parse(n->text);
    if (!d) rep_.at_node("E1102", *n, pointer, what + " must be a plain decimal number (no exponent), not " + n->text);
    return d;
  }
  bool get_bool(const JsonNode* n, const std::string& pointer, const std::string& what) {
    if (!n) return false;
    if (!expect_kind(*n, JsonNode::Kind::boolean, pointer, what)) return false;
    return n->boolean;
  }
  std::optional<Date> get_date(const JsonNode* n, const std::string& pointer, const std::string& what) {
    if (!n) return std::nullopt;
    if (!expect_kind(*n, JsonNode::Kind::string, pointer, what)) return std::nullopt;
    auto d = Date::parse(n->text);
    if (!d) rep_.at_node("E1104", *n, pointer, "'" + n->text + "' is not a date: write YYYY-MM-DD with a real calendar day");
    return d;
  }

  // ---- types ----------------------------------------------------------------------------------------
  std::uint32_t add_type(TypeInfo t) {
    for (std::size_t i = 0; i < p_->types.size(); ++i) {
      const TypeInfo& u = p_->types[i];
      if (u.kind == t.kind && u.optional == t.optional && u.elem == t.elem && u.record == t.record &&
          u.enum_id == t.enum_id && u.cn_id == t.cn_id)
        return static_cast<std::uint32_t>(i);
    }
    p_->types.push_back(t);
    return static_cast<std::uint32_t>(p_->types.size() - 1);
  }
  std::uint32_t optional_of(std::uint32_t t) {
    if (t == kErr || p_->types[t].optional) return t;
    TypeInfo u = p_->types[t];
    u.optional = true;
    return add_type(u);
  }
  std::uint32_t required_of(std::uint32_t t) {
    if (t == kErr || !p_->types[t].optional) return t;
    TypeInfo u = p_->types[t];
    u.optional = false;
    return add_type(u);
  }
  std::uint32_t list_of(std::uint32_t elem) {
    TypeInfo t;
    t.kind = TKind::list;
    t.elem = elem;
    return add_type(t);
  }
  TKind kind(std::uint32_t t) const { return p_->types[t].kind; }
  std::string type_name(std::uint32_t t) const {
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
  // Same kind of value (optional and enum-ness ignored); null matches anything.
  bool same_kind(std::uint32_t a, std::uint32_t b) const {
    const TypeInfo &x = p_->types[a], &y = p_->types[b];
    if (x.kind == TKind::null || y.kind == TKind::null) return true;
    if (x.kind != y.kind) return false;
    if (x.kind == TKind::list) return same_kind(x.elem, y.elem);
    if (x.kind == TKind::record) return x.record == y.record;
    return true;
  }

  // Parses a type declaration; `path` names the field for path ids and labels.
  std::uint32_t parse_type(const JsonNode& n, const std::string& pointer, const std::string& path, Pii* pii,
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
        std::string msg = "unknown type '" + n.text + "'";
        const std::string near = load::closest(s, {"string", "number", "bool", "date", "cn_id"});
        msg += near.empty() ? " (types: string, number, bool, date, cn_id, {\"enum\"}, {\"list\"}, {\"record\"})"
                            : " (did you mean '" + near + "'?)";
        rep_.at_node("E1106", n, pointer, msg);
        return kErr;
      }
      t.optional = opt;
      return add_type(t);
    }
    if (!n.is_object()) {
      rep_.at_node("E1106", n, pointer, "a type must be a name (\"date\") or an object ({\"enum\": …}, {\"list\": …})");
      return kErr;
    }
    if (const JsonNode* e = n.find("enum")) {
      check_keys(n, pointer, {"enum", "optional", "label", "pii"}, "an enum type");
      if (!expect_kind(*e, JsonNode::Kind::array, ptr(pointer, "enum"), "\"enum\"")) return kErr;
      std::vector<std::string> values;
      for (std::size_t i = 0; i < e->items.size(); ++i) {
        const std::string v = get_string(&e->items[i], ptr(ptr(pointer, "enum"), i), "an enum value");
        if (std::find(values.begin(), values.end(), v) != values.end())
          rep_.at_node("E1107", e->items[i], ptr(ptr(pointer, "enum"), i), "enum value '" + v + "' is listed twice");
        values.push_back(v);
      }
      if (values.empty()) rep_.at_node("E1106", *e, ptr(pointer, "enum"), "an enum needs at least one value");
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
    rep_.at_node("E1106", n, pointer, "a type object needs \"type\", \"enum\", \"list\" or \"record\"");
    return kErr;
  }

  Pii get_pii(const JsonNode* n, const std::string& pointer) {
    if (!n) return Pii::none;
    const std::string s = get_string(n, pointer, "\"pii\"");
    if (s == "id_number") return Pii::id_number;
    if (s == "bank_card") return Pii::bank_card;
    if (s == "mobile") return Pii::mobile;
    if (s == "name") return Pii::name;
    if (!s.empty()) rep_.at_node("E1106", *n, pointer, "unknown pii kind '" + s + "' (id_number, bank_card, mobile, name)");
    return Pii::none;
  }

  std::uint32_t parse_record(const JsonNode& fields, const std::string& pointer, const std::string& path) {
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

  // ---- IR building ------------------------------------------------------------------------------------
  std::uint32_t emit(Node n, const ExprCtx& ctx, const Ast* a) {
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
  Lowered constant(const Value& v, std::uint32_t type, const ExprCtx& ctx, const Ast* a) {
    p_->constants.push_back(v);
    Node n;
    n.op = Op::Const;
    n.a = static_cast<std::uint32_t>(p_->constants.size() - 1);
    n.type = type;
    return {emit(n, ctx, a), type};
  }
  Value string_value(const std::string& s) {
    p_->strings.push_back(s);
    const std::string& stored = p_->strings.back();
    return Value::string(stored.data(), static_cast<std::uint32_t>(stored.size()));
  }
  bool is_const(std::uint32_t node) const { return p_->nodes[node].op == Op::Const; }
  const Value& const_value(std::uint32_t node) const { return p_->constants[p_->nodes[node].a]; }

  // Replaces a pure node whose operands are all constants by its value.
  bool operands_const(const Node& n) const {
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
  Lowered fold(Lowered l, const ExprCtx& ctx, const Ast* a) {
    if (!l.ok() || !operands_const(p_->nodes[l.node])) return l;
    Value v;
    std::string error;
    if (!detail::fold_constant(*p_, l.node, &v, &error)) {
      err(ctx, a, "E1215", error);
      return {0, kErr};
    }
    if (v.kind == VKind::string) v = string_value(std::string(v.sv()));
    if (v.kind == VKind::list || v.kind == VKind::record || v.kind == VKind::missing) return l;
    return constant(v, l.type, ctx, a);
  }

  void err(const ExprCtx& ctx, const Ast* a, const char* code, std::string msg) {
    const std::uint32_t b = ctx.base + (a ? a->begin : 0);
    const std::uint32_t e = ctx.base + (a ? a->end : 0);
    rep_.in_string(code, *ctx.node, ctx.pointer, b, e, std::move(msg));
  }

  std::string dotted(const Ast* a) const {
    if (a->kind == Ast::Kind::name) return a->text;
    if (a->kind == Ast::Kind::member) return dotted(a->kids[0].get()) + "." + a->text;
    return "…";
  }

  // ---- expression lowering ----------------------------------------------------------------------------
  Lowered lower(const Ast* a, const ExprCtx& ctx);
  Lowered lower_expect(const Ast* a, const ExprCtx& ctx, TKind k, const std::string& what) {
    Lowered l = lower(a, ctx);
    if (!l.ok()) return l;
    if (k != TKind::null && kind(l.type) != k && kind(l.type) != TKind::null) {
      err(ctx, a, "E1206", what + " must be " + kind_word(k) + ", not " + type_name(l.type));
      return {0, kErr};
    }
    return l;
  }
  static std::string kind_word(TKind k) {
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
  Lowered lower_name(const Ast* a, const ExprCtx& ctx);
  Lowered lower_member(const Ast* a, const ExprCtx& ctx);
  Lowered lower_binary(const Ast* a, const ExprCtx& ctx);
  Lowered lower_in(const Ast* a, const ExprCtx& ctx);
  Lowered lower_call(const Ast* a, const ExprCtx& ctx);
  Lowered lower_lambda(const Ast* a, const ExprCtx& ctx, std::uint32_t elem_type, std::uint32_t* slot);
  Lowered compare(const std::string& op, Lowered l, Lowered r, const Ast* la, const Ast* ra, const Ast* whole,
                  const ExprCtx& ctx);
  void check_enum_literal(std::uint32_t enum_type, const Ast* lit_ast, const Value& lit, const ExprCtx& ctx,
                          const std::string& what);
  Lowered compile_expr(const JsonNode& n, const std::string& pointer, TKind want, const std::string& what);
  Lowered compile_text_as(const JsonNode& n, const std::string& pointer, const std::string& text, std::uint32_t base,
                          const std::function<Lowered(const Ast*, const ExprCtx&)>& fn);

  std::uint32_t add_expr_source(const JsonNode& n, const std::string& pointer) {
    detail::ExprSource es;
    es.text = n.is_string() ? n.text : "";
    es.pointer = pointer;
    es.line = n.pos.line;
    es.column = n.pos.column;
    p_->exprs.push_back(std::move(es));
    return static_cast<std::uint32_t>(p_->exprs.size() - 1);
  }

  // ---- sections ---------------------------------------------------------------------------------------
  void compile_header(const JsonNode& root);
  void compile_inputs(const JsonNode& n);
  void compile_lists(const JsonNode& n);
  void compile_lets(const JsonNode& n);
  void compile_checks(const JsonNode& n);
  void compile_scores(const JsonNode& n);
  void compile_indicator(const JsonNode& n, const std::string& pointer);
  void compile_table(const JsonNode& n, const std::string& pointer, detail::IndicatorInfo* ind);
  void compile_groups(const JsonNode& n);
  void compile_total(const JsonNode& n);
  void compile_outputs(const JsonNode& n);
  detail::LocalizedTemplate compile_reason(const JsonNode* n, const std::string& pointer);
  detail::Template compile_template(const JsonNode& n, const std::string& pointer);
  std::uint32_t compile_points(const JsonNode* n, const std::string& pointer, const std::string& what);
  std::uint32_t new_local() { return p_->local_count++; }
  // The kind of personal data a value may carry, followed through lets, branches, defaults and function
  // arguments: shown anywhere, such a value is masked unless the caller asked for clear text.
  Pii pii_of(std::uint32_t node, int depth = 0) const {
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
        return Pii::none;
      case Op::Quant:
        if (static_cast<Quantifier>(n.sub) == Quantifier::min || static_cast<Quantifier>(n.sub) == Quantifier::max ||
            static_cast<Quantifier>(n.sub) == Quantifier::map)
          return pii_of(n.c, depth + 1);
        return Pii::none;
      default: return Pii::none;
    }
  }
  // The "id" of a check or indicator: required, and unique among its kind (E1107).
  std::string unique_id(const JsonNode& obj, const std::string& pointer, std::set<std::string>* seen, const std::string& kind) {
    const JsonNode* id = require_key(obj, "id", pointer, (kind[0] == 'i' ? "an " : "a ") + kind);
    std::string s = get_string(id, ptr(pointer, "id"), "\"id\"");
    if (id && !s.empty() && !seen->insert(s).second)
      rep_.at_node("E1107", *id, ptr(pointer, "id"), "duplicate " + kind + " id '" + s + "'");
    return s;
  }
  // An optional boolean expression such as "when": its root node, or -1 when absent.
  std::int32_t optional_condition(const JsonNode& obj, const char* key, const std::string& pointer) {
    const JsonNode* w = obj.find(key);
    if (!w) return -1;
    return static_cast<std::int32_t>(compile_expr(*w, ptr(pointer, key), TKind::boolean, std::string("\"") + key + "\"").node);
  }
};

// ---------------------------------------------------------------------------------------------------------
Lowered Compiler::compile_text_as(const JsonNode& n, const std::string& pointer, const std::string& text,
                                  std::uint32_t base, const std::function<Lowered(const Ast*, const ExprCtx&)>& fn) {
  ExprCtx ctx;
  ctx.node = &n;
  ctx.pointer = pointer;
  ctx.base = base;
  ctx.expr = add_expr_source(n, pointer);
  ParseResult pr = parse_expression(text, opt_.max_expression_depth);
  if (pr.error) {
    rep_.in_string(pr.error->code, n, pointer, base + pr.error->begin, base + pr.error->end,
                   "syntax error: " + pr.error->message);
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
    rep_.at_node("E1102", n, pointer, what + " must be an expression in a string, not a " + load::kind_name(n.kind));
    return {0, kErr};
  }
  return compile_text_as(n, pointer, n.text, 0, [&](const Ast* a, const ExprCtx& ctx) {
    return lower_expect(a, ctx, want, what);
  });
}

Lowered Compiler::lower(const Ast* a, const ExprCtx& ctx) {
  switch (a->kind) {
    case Ast::Kind::number: {
      auto d = Decimal::parse(a->text);
      if (!d) {
        err(ctx, a, "E1206", "number '" + a->text + "' is out of range (at most 37 digits, 18 after the point)");
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
        Lowered x = lower_expect(a->kids[0].get(), ctx, TKind::boolean, "the operand of 'not'");
        if (!x.ok()) return x;
        Node n;
        n.op = Op::Not;
        n.a = x.node;
        n.type = kBool;
        return fold({emit(n, ctx, a), kBool}, ctx, a);
      }
      Lowered x = lower_expect(a->kids[0].get(), ctx, TKind::number, "the operand of '-'");
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
      Lowered c = lower_expect(a->kids[0].get(), ctx, TKind::boolean, "the condition of 'if'");
      Lowered t = lower(a->kids[1].get(), ctx);
      Lowered e = lower(a->kids[2].get(), ctx);
      if (!c.ok() || !t.ok() || !e.ok()) return {0, kErr};
      if (!same_kind(t.type, e.type)) {
        err(ctx, a, "E1206", "the branches of 'if' differ: 'then' gives " + type_name(t.type) + ", 'else' gives " +
                                 type_name(e.type));
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
    case Ast::Kind::list:
    case Ast::Kind::range:
      err(ctx, a, "E1206", "a list or range can only stand after 'in' (or as a table row test)");
      return {0, kErr};
    case Ast::Kind::lambda:
      err(ctx, a, "E1214", "a lambda ('" + a->text + " -> …') can only be an argument of any, all, count, sum, min, "
                           "max, filter, map or covered_months");
      return {0, kErr};
  }
  return {0, kErr};
}

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
    if (let.state == 1) {
      err(ctx, a, "E1209", "'let' values form a cycle through '" + name + "'");
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
      err(ctx, a, "E1203", "'" + name + "' is an input group: name one of its fields ('" + name + "." +
                               p_->records[p_->groups[g].record].fields.front().name + "')");
      return {0, kErr};
    }
  }
  if (named_lists_.count(name)) {
    err(ctx, a, "E1206", "the list '" + name + "' can only stand after 'in'");
    return {0, kErr};
  }
  std::vector<std::string> candidates{"as_of"};
  for (auto& l : lets_) candidates.push_back(l.name);
  for (auto& s : scope_) candidates.push_back(s.first);
  for (auto& g : p_->groups) candidates.push_back(g.name);
  std::string msg = "unknown name '" + name + "'";
  const std::string near = load::closest(name, candidates);
  if (!near.empty()) msg += " (did you mean '" + near + "'?)";
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
          std::string msg = "unknown field '" + gi.name + "." + a->text + "'";
          const std::string near = load::closest(gi.name + "." + a->text, names);
          if (!near.empty()) msg += " (did you mean '" + near + "'?)";
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
    err(ctx, a, "E1203", "'" + dotted(base) + "' is a " + type_name(b.type) + " and has no field '" + a->text + "'");
    return {0, kErr};
  }
  const detail::RecordInfo& rec = p_->records[bt.record];
  const int slot = rec.find(a->text);
  if (slot < 0) {
    std::vector<std::string> names;
    for (auto& f : rec.fields) names.push_back(f.name);
    std::string msg = "unknown field '" + dotted(a) + "'";
    const std::string near = load::closest(a->text, names);
    if (!near.empty()) msg += " (did you mean '" + dotted(base) + "." + near + "'?)";
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

void Compiler::check_enum_literal(std::uint32_t enum_type, const Ast* lit_ast, const Value& lit, const ExprCtx& ctx,
                                  const std::string& what) {
  const TypeInfo& t = p_->types[enum_type];
  if (t.kind != TKind::string || t.enum_id < 0 || lit.kind != VKind::string) return;
  const auto& values = p_->enums[static_cast<std::size_t>(t.enum_id)];
  if (std::find(values.begin(), values.end(), lit.sv()) != values.end()) return;
  std::string list;
  for (auto& v : values) list += (list.empty() ? "" : ", ") + v;
  std::string msg = "'" + std::string(lit.sv()) + "' is not a value of " + what + " (values: " + list + ")";
  const std::string near = load::closest(std::string(lit.sv()), values);
  if (!near.empty()) msg += "; did you mean '" + near + "'?";
  err(ctx, lit_ast, "E1208", msg);
}

Lowered Compiler::compare(const std::string& op, Lowered l, Lowered r, const Ast* la, const Ast* ra, const Ast* whole,
                          const ExprCtx& ctx) {
  if (!l.ok() || !r.ok()) return {0, kErr};
  const bool eq = op == "==" || op == "!=";
  if (!same_kind(l.type, r.type)) {
    err(ctx, whole, "E1206", "'" + op + "' compares " + type_name(l.type) + " with " + type_name(r.type));
    return {0, kErr};
  }
  if (!eq) {
    const TKind k = kind(l.type) == TKind::null ? kind(r.type) : kind(l.type);
    if (k != TKind::number && k != TKind::date && k != TKind::string) {
      err(ctx, whole, "E1206", "'" + op + "' orders numbers, dates or strings, not " + type_name(l.type));
      return {0, kErr};
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
    Lowered l = lower_expect(la, ctx, TKind::boolean, "the left side of '" + op + "'");
    Lowered r = lower_expect(ra, ctx, TKind::boolean, "the right side of '" + op + "'");
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
      err(ctx, a, "E1206", "'??' needs a default of the same type: " + type_name(l.type) + " ?? " + type_name(r.type));
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
      hint = " (for dates use days_between, months_between, add_days or add_months)";
    err(ctx, a, "E1206", "'" + op + "' needs numbers, got " + type_name(l.type) + " and " + type_name(r.type) + hint);
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
    err(ctx, la, "E1206", "'in' tests a single value, not a " + type_name(l.type));
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
      err(ctx, a, "E1206", "a range [a..b] holds numbers or dates of the tested value's type; here " +
                               type_name(l.type) + " in [" + type_name(lo.type) + ".." + type_name(hi.type) + "]");
      return {0, kErr};
    }
    if (is_const(lo.node) && is_const(hi.node) && const_value(lo.node).kind != VKind::null &&
        detail::values_compare(const_value(lo.node), const_value(hi.node)) > 0)
      err(ctx, ra, "E1210", "the range is empty: its low end is above its high end");
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
        err(ctx, k.get(), "E1206", "list item is " + type_name(it.type) + ", the tested value " + type_name(l.type));
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
      const NamedList& nl = named_lists_[ra->text];
      if (!same_kind(l.type, nl.type)) {
        err(ctx, a, "E1206", "the list '" + ra->text + "' holds strings, the tested value is " + type_name(l.type));
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
    err(ctx, ra, "E1206", "after 'in' comes a list of " + type_name(l.type) + "s, a range or a named list; got " +
                              type_name(r.type));
    return {0, kErr};
  }
  n.op = Op::InList;
  n.b = r.node;
  return {emit(n, ctx, a), kBool};
}

std::string describe_enum_impl(const Ast* a) {
  if (!a) return "the enum";
  if (a->kind == Ast::Kind::name) return a->text;
  if (a->kind == Ast::Kind::member) return describe_enum_impl(a->kids[0].get()) + "." + a->text;
  return "the enum";
}

Lowered Compiler::lower_lambda(const Ast* a, const ExprCtx& ctx, std::uint32_t elem_type, std::uint32_t* slot) {
  if (a->kind != Ast::Kind::lambda) {
    err(ctx, a, "E1214", "expected a lambda here, like 'x -> x.amount'");
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
    std::string want = lo == hi ? std::to_string(lo) : std::to_string(lo) + " to " + std::to_string(hi);
    if (hi > 100) want = "at least " + std::to_string(lo);
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
  auto want = [&](std::size_t i, TKind k) { return lower_expect(args[i].get(), ctx, k, "argument " + std::to_string(i + 1) + " of " + f + "()"); };

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
        err(ctx, args[0].get(), "E1206", "the first argument of " + f + "() must be a list, not " + type_name(list.type));
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
          err(ctx, a, "E1206", "covered_months() needs lambdas giving dates (from, to), got " + type_name(from.type) +
                                   " and " + type_name(to.type));
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
          err(ctx, args[1].get(), "E1206", "the lambda of " + f + "() must give true or false, not " + type_name(body.type));
          return {0, kErr};
        }
      }
      if (q == Quantifier::sum && kind(value_type) != TKind::number) {
        err(ctx, a, "E1206", "sum() adds numbers; the list gives " + type_name(value_type));
        return {0, kErr};
      }
      if ((q == Quantifier::min || q == Quantifier::max) && kind(value_type) != TKind::number &&
          kind(value_type) != TKind::date) {
        err(ctx, a, "E1206", f + "() compares numbers or dates; the list gives " + type_name(value_type));
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
        err(ctx, args[i].get(), "E1206", f + "() compares numbers or dates, not " + type_name(x.type));
        return {0, kErr};
      }
      if (type != kErr && !same_kind(type, x.type)) {
        err(ctx, args[i].get(), "E1206", f + "() arguments differ: " + type_name(type) + " and " + type_name(x.type));
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
      err(ctx, args[1].get(), "E1206", "round() takes a whole number of places from 0 to 18 written in the rule");
      return {0, kErr};
    }
    Rounding mode = p_->rounding;
    if (args.size() == 3) {
      Lowered m = want(2, TKind::string);
      if (!m.ok()) return m;
      auto r = is_const(m.node) ? rounding_from_name(const_value(m.node).sv()) : std::nullopt;
      if (!r) {
        err(ctx, args[2].get(), "E1206", "unknown rounding mode (half_up, half_even, half_down, up, down, ceiling, floor)");
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
      err(ctx, args[1].get(), "E1206", "mask() takes a kind written in the rule: 'id_number', 'bank_card', 'mobile' or 'name'");
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
  if (f == "date") {
    if (!arity(1, 1)) return {0, kErr};
    const Ast* arg = args[0].get();
    if (arg->kind != Ast::Kind::string) {
      err(ctx, arg, "E1207", "date() takes a literal like date('2021-03-31')");
      return {0, kErr};
    }
    auto d = Date::parse(arg->text);
    if (!d) {
      err(ctx, arg, "E1207", "'" + arg->text + "' is not a date: write YYYY-MM-DD with a real calendar day");
      return {0, kErr};
    }
    return constant(Value::of_date(*d), kDate, ctx, a);
  }
  auto si = kSigs.find(f);
  if (si == kSigs.end()) {
    std::vector<std::string> names{"min", "max", "present", "round", "date", "mask"};
    for (auto& [k, v] : kSigs) names.push_back(k);
    for (auto& [k, v] : kQuant) names.push_back(k);
    std::string msg = "unknown function '" + f + "'";
    const std::string near = load::closest(f, names);
    if (!near.empty()) msg += " (did you mean '" + near + "'?)";
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

// ---------------------------------------------------------------------------------------------------------
void Compiler::compile_header(const JsonNode& root) {
  const JsonNode* id = require_key(root, "pack", "", "a rule pack");
  p_->pack_id = get_string(id, "/pack", "\"pack\"");
  if (id && id->is_string()) {
    bool good = !p_->pack_id.empty();
    for (char c : p_->pack_id) good &= std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
    if (!good) rep_.at_node("E1102", *id, "/pack", "a pack id uses letters, digits, '.', '-' and '_' only");
  }
  p_->version = get_string(require_key(root, "version", "", "a rule pack"), "/version", "\"version\"");
  p_->title = get_text(root.find("title"), "/title", "\"title\"");
  p_->source = get_text(root.find("source"), "/source", "\"source\"");
  if (const JsonNode* e = root.find("effective")) {
    if (expect_kind(*e, JsonNode::Kind::object, "/effective", "\"effective\"")) {
      check_keys(*e, "/effective", {"from", "until"}, "\"effective\"");
      p_->effective_from = get_date(e->find("from"), "/effective/from", "\"from\"");
      p_->effective_until = get_date(e->find("until"), "/effective/until", "\"until\"");
      if (p_->effective_from && p_->effective_until && *p_->effective_until < *p_->effective_from)
        rep_.at_node("E1105", *e->find("until"), "/effective/until",
                     "the pack stops (" + p_->effective_until->to_string() + ") before it starts (" +
                         p_->effective_from->to_string() + ")");
    }
  }
  if (const JsonNode* r = root.find("rounding")) {
    const std::string s = get_string(r, "/rounding", "\"rounding\"");
    if (auto m = rounding_from_name(s)) p_->rounding = *m;
    else if (r->is_string())
      rep_.at_node("E1102", *r, "/rounding", "unknown rounding mode '" + s + "' (half_up, half_even, half_down, up, down, ceiling, floor)");
  }
  if (const JsonNode* m = root.find("mode")) {
    const std::string s = get_string(m, "/mode", "\"mode\"");
    if (s == "all") p_->mode = detail::CheckMode::all;
    else if (s != "first_failure" && m->is_string())
      rep_.at_node("E1102", *m, "/mode", "unknown mode '" + s + "' (first_failure, all)");
  }
  if (const JsonNode* t = root.find("tests")) {
    if (t->is_string()) {
      p_->tests.push_back(load::resolve_relative(lp_.dir, t->text));
    } else if (expect_kind(*t, JsonNode::Kind::array, "/tests", "\"tests\"")) {
      for (std::size_t i = 0; i < t->items.size(); ++i) {
        const std::string s = get_string(&t->items[i], ptr("/tests", i), "a test file");
        if (!s.empty()) p_->tests.push_back(load::resolve_relative(lp_.dir, s));
      }
    }
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
      if (!load::read_csv(path, opt_.max_file_bytes, &table, &error)) {
        rep_.at_node("E1109", *f, ptr(pointer, "file"), "cannot use table '" + path + "': " + error);
        continue;
      }
      hash_input_ += "\n#table " + file + "\n" + table.bytes;
      auto col = std::find(table.header.begin(), table.header.end(), column);
      if (col == table.header.end()) {
        std::string cols;
        for (auto& h : table.header) cols += (cols.empty() ? "" : ", ") + h;
        rep_.at_node("E1109", *l.find("column"), ptr(pointer, "column"),
                     "table '" + path + "' has no column '" + column + "' (columns: " + cols + ")");
        continue;
      }
      const std::size_t ci = static_cast<std::size_t>(col - table.header.begin());
      for (auto& row : table.rows) values.push_back(string_value(row[ci]));
    } else {
      rep_.at_node("E1103", l, pointer, "a named list needs \"values\" or \"file\" and \"column\"");
      continue;
    }
    std::sort(values.begin(), values.end(), [](const Value& x, const Value& y) { return detail::values_compare(x, y) < 0; });
    p_->value_lists.push_back(std::move(values));
    named_lists_[name] = NamedList{static_cast<std::uint32_t>(p_->value_lists.size() - 1), kStr};
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
    lower_name(&a, ctx);
  }
}

detail::Template Compiler::compile_template(const JsonNode& n, const std::string& pointer) {
  detail::Template t;
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
      rep_.in_string("E1201", n, pointer, i, i + 1, "'{' without '}' in the reason (write '{{' for a brace)");
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
          err(ctx, a, "E1206", "a reason can show a value, not a whole record");
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
    rep_.at_node("E1102", *n, pointer, "\"reason\" must be a string or an object of languages (\"zh-CN\", \"en\")");
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
      rep_.at_node("E1108", c, pointer, "check '" + ci.id + "' has no \"reason\": an applicant who fails it must be told why");
    } else {
      ci.reason = compile_reason(reason, ptr(pointer, "reason"));
    }
    p_->checks.push_back(std::move(ci));
  }
}

std::uint32_t Compiler::compile_points(const JsonNode* n, const std::string& pointer, const std::string& what) {
  if (!n) return 0;
  return compile_expr(*n, pointer, TKind::number, what).node;
}

void Compiler::compile_scores(const JsonNode& n) {
  if (!expect_kind(n, JsonNode::Kind::array, "/scores", "\"scores\"")) return;
  p_->has_scores = true;
  for (std::size_t i = 0; i < n.items.size(); ++i) compile_indicator(n.items[i], ptr("/scores", i));
}

void Compiler::compile_indicator(const JsonNode& s, const std::string& pointer) {
  if (!expect_kind(s, JsonNode::Kind::object, pointer, "an indicator")) return;
  check_keys(s, pointer,
             {"id", "label", "department", "group", "cite", "when", "points", "per", "table", "cap", "deduct", "example",
              "note"},
             "an indicator");
  detail::IndicatorInfo ind;
  ind.id = unique_id(s, pointer, &indicator_ids_, "indicator");
  ind.label = get_text(s.find("label"), ptr(pointer, "label"), "a label");
  ind.department = get_string(s.find("department"), ptr(pointer, "department"), "\"department\"");
  ind.group = get_string(s.find("group"), ptr(pointer, "group"), "\"group\"");
  ind.cite = get_string(s.find("cite"), ptr(pointer, "cite"), "\"cite\"");
  ind.note = get_string(s.find("note"), ptr(pointer, "note"), "\"note\"");
  ind.deduct = get_bool(s.find("deduct"), ptr(pointer, "deduct"), "\"deduct\"");
  ind.example = get_bool(s.find("example"), ptr(pointer, "example"), "\"example\"");
  ind.cap = get_decimal(s.find("cap"), ptr(pointer, "cap"), "\"cap\"");
  ind.when = optional_condition(s, "when", pointer);
  const JsonNode* points = s.find("points");
  const JsonNode* per = s.find("per");
  const JsonNode* table = s.find("table");
  const int forms = (points != nullptr) + (per != nullptr) + (table != nullptr);
  if (forms != 1) {
    rep_.at_node("E1103", s, pointer,
                 forms == 0 ? "indicator '" + ind.id + "' needs one of \"points\", \"per\" or \"table\""
                            : "indicator '" + ind.id + "' has more than one of \"points\", \"per\" and \"table\"");
  } else if (points) {
    ind.kind = detail::IndicatorKind::points;
    ind.points = compile_points(points, ptr(pointer, "points"), "\"points\"");
    ind.formula_text = points->is_string() ? points->text : points->text;
  } else if (per) {
    ind.kind = detail::IndicatorKind::per;
    const std::string pp = ptr(pointer, "per");
    if (expect_kind(*per, JsonNode::Kind::object, pp, "\"per\"")) {
      check_keys(*per, pp, {"count", "points"}, "\"per\"");
      if (const JsonNode* c = require_key(*per, "count", pp, "\"per\"")) {
        ind.count = compile_expr(*c, ptr(pp, "count"), TKind::number, "\"count\"").node;
        ind.formula_text = c->is_string() ? c->text : c->text;
      }
      ind.points = compile_points(require_key(*per, "points", pp, "\"per\""), ptr(pp, "points"), "\"points\"");
    }
  } else {
    ind.kind = detail::IndicatorKind::table;
    compile_table(*table, ptr(pointer, "table"), &ind);
  }
  p_->indicators.push_back(std::move(ind));
}

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

void Compiler::compile_table(const JsonNode& t, const std::string& pointer, detail::IndicatorInfo* ind) {
  if (!expect_kind(t, JsonNode::Kind::object, pointer, "\"table\"")) return;
  check_keys(t, pointer, {"on", "hit", "rows"}, "a table");
  if (const JsonNode* h = t.find("hit")) {
    const std::string s = get_string(h, ptr(pointer, "hit"), "\"hit\"");
    static const std::map<std::string, detail::Hit> kHits = {{"first", detail::Hit::first},
                                                             {"unique", detail::Hit::unique},
                                                             {"collect_sum", detail::Hit::collect_sum},
                                                             {"collect_max", detail::Hit::collect_max},
                                                             {"priority", detail::Hit::priority}};
    auto it = kHits.find(s);
    if (it != kHits.end()) ind->hit = it->second;
    else if (h->is_string()) {
      std::string msg = "unknown hit policy '" + s + "' (first, unique, collect_sum, collect_max, priority)";
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
        rep_.at_node("E1216", r, rp, "\"otherwise\" must be the last row: rows after it could never match");
      has_otherwise = true;
      row.points = compile_points(o, ptr(rp, "otherwise"), "\"otherwise\"");
      row.when_text = "otherwise";
      ind->rows.push_back(std::move(row));
      sets.emplace_back();
      when_nodes.push_back(&r);
      continue;
    }
    check_keys(r, rp, {"when", "points", "priority", "label", "example", "note"}, "a table row");
    row.points = compile_points(require_key(r, "points", rp, "a table row"), ptr(rp, "points"), "\"points\"");
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
            err(ctx, a, "E1206", "with \"on\", a row test is a value, a list, a range or a comparison like '> 40', "
                                 "not a condition");
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
            if (overlap.empty() && intervals_meet(a, b)) overlap = "some values";
        if (!overlap.empty())
          rep_.at_node("E1211", *when_nodes[j], ptr(ptr(ptr(pointer, "rows"), j), "when"),
                       "rows " + std::to_string(i + 1) + " and " + std::to_string(j + 1) +
                           " of a 'unique' table both match " + overlap);
      }
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
                     "no row for " + missing + " and no {\"otherwise\": …} row: say what such an applicant scores");
    }
  }
}

void Compiler::compile_groups(const JsonNode& n) {
  if (!expect_kind(n, JsonNode::Kind::object, "/groups", "\"groups\"")) return;
  for (const auto& [name, g] : n.members) {
    const std::string pointer = ptr("/groups", name);
    if (!expect_kind(g, JsonNode::Kind::object, pointer, "a group")) continue;
    check_keys(g, pointer, {"cap", "label"}, "a group");
    detail::GroupCap gc;
    gc.name = name;
    gc.label = get_text(g.find("label"), ptr(pointer, "label"), "a label");
    gc.cap = get_decimal(g.find("cap"), ptr(pointer, "cap"), "\"cap\"");
    p_->group_caps.push_back(std::move(gc));
  }
}

void Compiler::compile_total(const JsonNode& n) {
  if (!expect_kind(n, JsonNode::Kind::object, "/total", "\"total\"")) return;
  check_keys(n, "/total", {"floor", "cap"}, "\"total\"");
  p_->total_floor = get_decimal(n.find("floor"), "/total/floor", "\"floor\"");
  p_->total_cap = get_decimal(n.find("cap"), "/total/cap", "\"cap\"");
}

void Compiler::compile_outputs(const JsonNode& n) {
  if (!expect_kind(n, JsonNode::Kind::object, "/outputs", "\"outputs\"")) return;
  for (const auto& [name, o] : n.members) {
    const std::string pointer = ptr("/outputs", name);
    detail::OutputInfo oi;
    oi.name = name;
    const JsonNode* expr = &o;
    std::string epointer = pointer;
    if (o.is_object()) {
      check_keys(o, pointer, {"expr", "label", "example", "note"}, "an output");
      expr = require_key(o, "expr", pointer, "an output");
      epointer = ptr(pointer, "expr");
      oi.label = get_text(o.find("label"), ptr(pointer, "label"), "a label");
      oi.example = get_bool(o.find("example"), ptr(pointer, "example"), "\"example\"");
      oi.note = get_string(o.find("note"), ptr(pointer, "note"), "\"note\"");
    }
    if (!expr) continue;
    Lowered l = compile_expr(*expr, epointer, TKind::null, "an output");
    if (l.ok() && kind(l.type) == TKind::record) rep_.at_node("E1206", *expr, epointer, "an output cannot be a whole record");
    oi.node = l.node;
    if (l.ok()) oi.pii = pii_of(l.node);
    p_->outputs.push_back(std::move(oi));
  }
}

std::shared_ptr<Program> Compiler::run() {
  const JsonNode& root = lp_.json.root;
  // Fixed type ids used throughout: null, bool, number, string, date, date?.
  p_->types = {TypeInfo{TKind::null}, TypeInfo{TKind::boolean}, TypeInfo{TKind::number}, TypeInfo{TKind::string},
               TypeInfo{TKind::date}, TypeInfo{TKind::date, true}, TypeInfo{TKind::string, true},
               TypeInfo{TKind::number, true}};
  p_->file = lp_.file;
  if (!expect_kind(root, JsonNode::Kind::object, "", "a rule pack")) return nullptr;
  check_keys(root, "",
             {"$schema", "pack", "version", "title", "source", "effective", "rounding", "mode", "inputs", "lists", "let",
              "checks", "scores", "groups", "total", "outputs", "tests", "notes"},
             "a rule pack");
  compile_header(root);
  if (const JsonNode* in = require_key(root, "inputs", "", "a rule pack")) compile_inputs(*in);
  if (const JsonNode* l = root.find("lists")) compile_lists(*l);
  if (const JsonNode* l = root.find("let")) compile_lets(*l);
  if (const JsonNode* c = root.find("checks")) compile_checks(*c);
  if (const JsonNode* g = root.find("groups")) compile_groups(*g);
  if (const JsonNode* s = root.find("scores")) compile_scores(*s);
  if (const JsonNode* t = root.find("total")) compile_total(*t);
  if (const JsonNode* o = root.find("outputs")) compile_outputs(*o);
  for (auto& ind : p_->indicators) {
    if (ind.group.empty()) continue;
    bool known = false;
    for (auto& g : p_->group_caps) known |= g.name == ind.group;
    if (!known) p_->group_caps.push_back({ind.group, {}, std::nullopt});
  }
  if (rep_.failed()) return nullptr;
  std::string canon;
  load::write_canonical(root, &canon);
  p_->hash = sha256_hex(canon + hash_input_);
  return p_;
}

}  // namespace

std::shared_ptr<Program> compile_pack(const load::LoadedPack& loaded, const CompileOptions& options,
                                      Diagnostics* diagnostics) {
  if (!loaded.json.ok) return nullptr;
  Compiler c(loaded, options, diagnostics);
  auto p = c.run();
  if (diagnostics->has_errors()) return nullptr;
  return p;
}

}  // namespace eligo::compile
