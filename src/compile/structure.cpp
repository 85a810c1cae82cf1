// Reading the JSON structure of a pack: unknown keys, kinds of values, required keys, strings, localized
// texts, decimals, dates and ids. Each mistake is a located diagnostic; reading goes on after it.
#include "compile/compiler_impl.hpp"

#include <algorithm>
#include <map>

namespace eligo::compile {
namespace {

const char* kind_name_zh(JsonNode::Kind kind) {
  switch (kind) {
    case JsonNode::Kind::null: return "null";
    case JsonNode::Kind::boolean: return "true/false";
    case JsonNode::Kind::number: return "数字";
    case JsonNode::Kind::string: return "字符串";
    case JsonNode::Kind::array: return "数组";
    case JsonNode::Kind::object: return "对象";
  }
  return "值";
}

}  // namespace

std::string Compiler::noun(const std::string& what) const {
  if (!rep_.zh()) return what;
  static const std::map<std::string, std::string> kZh = {
      {"a rule pack", "规则包"}, {"an input group", "输入分组"}, {"a group", "指标分组"}, {"a label", "标签"},
      {"a named list", "命名列表"}, {"a list value", "列表的值"}, {"a list from a file", "来自文件的列表"},
      {"a test file", "测试文件"}, {"an enum type", "枚举类型"}, {"a list type", "列表类型"},
      {"a record type", "记录类型"}, {"a field type", "字段类型"}, {"an enum value", "枚举值"},
      {"a check", "检查项"}, {"an indicator", "指标"}, {"a table", "决策表"}, {"a table row", "决策表的行"},
      {"an otherwise row", "otherwise 行"}, {"a row of a priority table", "priority 决策表的行"},
      {"a row of an output's table", "输出项决策表的行"},
      {"an output", "输出项"}, {"a let value", "let 值"}, {"a reason", "理由"}, {"\"reason\"", "\"reason\""},
  };
  auto it = kZh.find(what);
  if (it != kZh.end()) return it->second;
  return !what.empty() && what.back() == '"' ? what + " " : what;  // "\"checks\" 应为数组"
}

std::string Compiler::did_you_mean(const std::string& near) const {
  if (near.empty()) return "";
  return tr(" (did you mean '" + near + "'?)", "（是否想写 '" + near + "'？）");
}

void Compiler::check_keys(const JsonNode& obj, const std::string& pointer, const std::vector<std::string>& allowed,
                const std::string& what) {
  for (std::size_t i = 0; i < obj.members.size(); ++i) {
    const std::string& k = obj.members[i].first;
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    std::string msg = tr("unknown key '" + k + "' in " + what, noun(what) + "中有未知的键 '" + k + "'");
    msg += did_you_mean(load::closest(k, allowed));
    rep_.at_key("E1101", obj, i, ptr(pointer, k), msg);
  }
}

bool Compiler::expect_kind(const JsonNode& n, JsonNode::Kind kind, const std::string& pointer, const std::string& what) {
  if (n.kind == kind) return true;
  rep_.at_node("E1102", n, pointer,
               tr(what + " must be " + (kind == JsonNode::Kind::object || kind == JsonNode::Kind::array ? "an " : "a ") + load::kind_name(kind) +
                      ", not " + (n.kind == JsonNode::Kind::array || n.kind == JsonNode::Kind::object ? "an " : "a ") +
                      load::kind_name(n.kind),
                  noun(what) + "应为" + kind_name_zh(kind) + "，而不是" + kind_name_zh(n.kind)));
  return false;
}

const JsonNode* Compiler::require_key(const JsonNode& obj, const std::string& key, const std::string& pointer,
                            const std::string& what) {
  const JsonNode* n = obj.find(key);
  if (!n) rep_.at_node("E1103", obj, pointer, tr(what + " needs \"" + key + "\"", noun(what) + "缺少 \"" + key + "\""));
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
    rep_.at_node("E1102", *n, pointer, tr(what + " must be a string or an object of languages (\"zh-CN\", \"en\")",
                                          noun(what) + "应为字符串，或按语言给出的对象（\"zh-CN\"、\"en\"）"));
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
  if (!d)
    rep_.at_node("E1102", *n, pointer, tr(what + " must be a plain decimal number (no exponent), not " + n->text,
                                          noun(what) + "应为普通的十进制数（不用指数），而不是 " + n->text));
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
  if (!d)
    rep_.at_node("E1104", *n, pointer, tr("'" + n->text + "' is not a date: write YYYY-MM-DD with a real calendar day",
                                          "'" + n->text + "' 不是日期：请写成 YYYY-MM-DD，且是日历上真实的一天"));
  return d;
}

Pii Compiler::get_pii(const JsonNode* n, const std::string& pointer) {
  if (!n) return Pii::none;
  const std::string s = get_string(n, pointer, "\"pii\"");
  if (s == "id_number") return Pii::id_number;
  if (s == "bank_card") return Pii::bank_card;
  if (s == "mobile") return Pii::mobile;
  if (s == "name") return Pii::name;
  if (!s.empty())
    rep_.at_node("E1106", *n, pointer, tr("unknown pii kind '" + s + "' (id_number, bank_card, mobile, name)",
                                          "未知的 pii 类别 '" + s + "'（可用：id_number、bank_card、mobile、name）"));
  return Pii::none;
}

std::string Compiler::unique_id(const JsonNode& obj, const std::string& pointer, std::set<std::string>* seen, const std::string& kind) {
  const JsonNode* id = require_key(obj, "id", pointer, (kind[0] == 'i' ? "an " : "a ") + kind);
  std::string s = get_string(id, ptr(pointer, "id"), "\"id\"");
  if (id && !s.empty() && !seen->insert(s).second)
    rep_.at_node("E1107", *id, ptr(pointer, "id"),
                 tr("duplicate " + kind + " id '" + s + "'", (kind == "check" ? "检查项" : "指标") + std::string(" id '") + s + "' 重复"));
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
