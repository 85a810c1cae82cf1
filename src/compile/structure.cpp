// Reading the JSON structure of a pack: unknown keys, kinds of values, required keys, strings, localized
// texts, decimals, dates and ids. Each mistake is a located diagnostic; reading goes on after it.
#include "compile/compiler_impl.hpp"

#include <algorithm>

namespace eligo::compile {

void Compiler::check_keys(const JsonNode& obj, const std::string& pointer, const std::vector<std::string>& allowed,
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

bool Compiler::expect_kind(const JsonNode& n, JsonNode::Kind kind, const std::string& pointer, const std::string& what) {
  if (n.kind == kind) return true;
  rep_.at_node("E1102", n, pointer,
               what + " must be " + (kind == JsonNode::Kind::object || kind == JsonNode::Kind::array ? "an " : "a ") + load::kind_name(kind) +
                   ", not " + (n.kind == JsonNode::Kind::array || n.kind == JsonNode::Kind::object ? "an " : "a ") +
                   load::kind_name(n.kind));
  return false;
}

const JsonNode* Compiler::require_key(const JsonNode& obj, const std::string& key, const std::string& pointer,
                            const std::string& what) {
  const JsonNode* n = obj.find(key);
  if (!n) rep_.at_node("E1103", obj, pointer, what + " needs \"" + key + "\"");
  return n;
}

std::string Compiler::get_string(const JsonNode* n, const std::string& pointer, const std::string& what) {
  if (!n) return "";
  if (!expect_kind(*n, JsonNode::Kind::string, pointer, what)) return "";
  return n->text;
}

Localized Compiler::get_text(const JsonNode* n, const std::string& pointer, const std::string& what) {
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

std::optional<Decimal> Compiler::get_decimal(const JsonNode* n, const std::string& pointer, const std::string& what) {
  if (!n) return std::nullopt;
  if (!expect_kind(*n, JsonNode::Kind::number, pointer, what)) return std::nullopt;
  auto d = Decimal::parse(n->text);
  if (!d) rep_.at_node("E1102", *n, pointer, what + " must be a plain decimal number (no exponent), not " + n->text);
  return d;
}

bool Compiler::get_bool(const JsonNode* n, const std::string& pointer, const std::string& what) {
  if (!n) return false;
  if (!expect_kind(*n, JsonNode::Kind::boolean, pointer, what)) return false;
  return n->boolean;
}

std::optional<Date> Compiler::get_date(const JsonNode* n, const std::string& pointer, const std::string& what) {
  if (!n) return std::nullopt;
  if (!expect_kind(*n, JsonNode::Kind::string, pointer, what)) return std::nullopt;
  auto d = Date::parse(n->text);
  if (!d) rep_.at_node("E1104", *n, pointer, "'" + n->text + "' is not a date: write YYYY-MM-DD with a real calendar day");
  return d;
}

Pii Compiler::get_pii(const JsonNode* n, const std::string& pointer) {
  if (!n) return Pii::none;
  const std::string s = get_string(n, pointer, "\"pii\"");
  if (s == "id_number") return Pii::id_number;
  if (s == "bank_card") return Pii::bank_card;
  if (s == "mobile") return Pii::mobile;
  if (s == "name") return Pii::name;
  if (!s.empty()) rep_.at_node("E1106", *n, pointer, "unknown pii kind '" + s + "' (id_number, bank_card, mobile, name)");
  return Pii::none;
}

std::string Compiler::unique_id(const JsonNode& obj, const std::string& pointer, std::set<std::string>* seen, const std::string& kind) {
  const JsonNode* id = require_key(obj, "id", pointer, (kind[0] == 'i' ? "an " : "a ") + kind);
  std::string s = get_string(id, ptr(pointer, "id"), "\"id\"");
  if (id && !s.empty() && !seen->insert(s).second)
    rep_.at_node("E1107", *id, ptr(pointer, "id"), "duplicate " + kind + " id '" + s + "'");
  return s;
}

std::int32_t Compiler::optional_condition(const JsonNode& obj, const char* key, const std::string& pointer) {
  const JsonNode* w = obj.find(key);
  if (!w) return -1;
  return static_cast<std::int32_t>(compile_expr(*w, ptr(pointer, key), TKind::boolean, std::string("\"") + key + "\"").node);
}

void Compiler::err(const ExprCtx& ctx, const Ast* a, const char* code, std::string msg) {
  const std::uint32_t b = ctx.base + (a ? a->begin : 0);
  const std::uint32_t e = ctx.base + (a ? a->end : 0);
  rep_.in_string(code, *ctx.node, ctx.pointer, b, e, std::move(msg));
}

std::uint32_t Compiler::add_expr_source(const JsonNode& n, const std::string& pointer) {
  detail::ExprSource es;
  es.text = n.is_string() ? n.text : "";
  es.pointer = pointer;
  es.line = n.pos.line;
  es.column = n.pos.column;
  p_->exprs.push_back(std::move(es));
  return static_cast<std::uint32_t>(p_->exprs.size() - 1);
}

}  // namespace eligo::compile
