// The compile stage's driver: the pack header, the order in which sections compile, and the pack hash.
// The stages themselves live beside this file (see compiler_impl.hpp for the map).
#include "compile/compiler.hpp"

#include <openssl/evp.h>

#include "compile/compiler_impl.hpp"
#include "evaluate/fast_plan.hpp"

namespace eligo::compile {
namespace {

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

}  // namespace

void Compiler::compile_header(const JsonNode& root) {
  const JsonNode* id = require_key(root, "pack", "", "a rule pack");
  p_->pack_id = get_string(id, "/pack", "\"pack\"");
  if (id && id->is_string()) {
    bool good = !p_->pack_id.empty();
    for (char c : p_->pack_id) good &= std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
    if (!good) rep_.at_node("E1102", *id, "/pack", 
                            tr("a pack id uses letters, digits, '.', '-' and '_' only",
                               "规则包 id 只能用字母、数字、'.'、'-' 和 '_'"));
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
                     tr("the pack stops (" + p_->effective_until->to_string() + ") before it starts (" +
                            p_->effective_from->to_string() + ")",
                        "规则包的失效日期（" + p_->effective_until->to_string() + "）早于生效日期（" +
                            p_->effective_from->to_string() + "）"));
    }
  }
  if (const JsonNode* f = root.find("date_format")) {
    const std::string s = get_string(f, "/date_format", "\"date_format\"");
    if (s == "chinese") chinese_dates_ = true;
    else if (f->is_string() && s != "iso")
      rep_.at_node("E1102", *f, "/date_format",
                   tr("unknown date format '" + s + "': 'iso' (2024-04-01, the default) or 'chinese' (2024年4月1日 in zh-CN reasons)",
                      "未知的日期格式 '" + s + "'：可用 'iso'（2024-04-01，默认）或 'chinese'（中文理由写作 2024年4月1日）"));
  }
  if (const JsonNode* r = root.find("rounding")) {
    const std::string s = get_string(r, "/rounding", "\"rounding\"");
    if (auto m = rounding_from_name(s)) p_->rounding = *m;
    else if (r->is_string())
      rep_.at_node("E1102", *r, "/rounding", 
                   tr("unknown rounding mode '" + s + "' (half_up, half_even, half_down, up, down, ceiling, floor)",
                      "未知的舍入方式 '" + s + "'（可用：half_up、half_even、half_down、up、down、ceiling、floor）"));
  }
  if (const JsonNode* m = root.find("mode")) {
    const std::string s = get_string(m, "/mode", "\"mode\"");
    if (s == "all") p_->mode = detail::CheckMode::all;
    else if (s != "first_failure" && m->is_string())
      rep_.at_node("E1102", *m, "/mode", 
                   tr("unknown mode '" + s + "' (first_failure, all)", "未知的模式 '" + s + "'（可用：first_failure、all）"));
  }
  if (const JsonNode* t = root.find("tests")) {
    // Test files stay inside the pack's folder too (E1110).
    auto add_test = [&](const JsonNode& node, const std::string& pointer, const std::string& s) {
      if (!opt_.allow_outside_paths && !load::inside_pack_folder(lp_.dir, s))
        rep_.at_node("E1110", node, pointer, outside_message("test file", s));
      else
        p_->tests.push_back(load::resolve_relative(lp_.dir, s));
    };
    if (t->is_string()) {
      add_test(*t, "/tests", t->text);
    } else if (expect_kind(*t, JsonNode::Kind::array, "/tests", "\"tests\"")) {
      for (std::size_t i = 0; i < t->items.size(); ++i) {
        const std::string s = get_string(&t->items[i], ptr("/tests", i), "a test file");
        if (!s.empty()) add_test(t->items[i], ptr("/tests", i), s);
      }
    }
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
             {"$schema", "pack", "version", "title", "source", "effective", "rounding", "mode", "inputs", "record",
              "unknown_fields", "lists", "parameters", "tables", "let", "checks", "scores", "groups", "total", "outputs", "tests",
              "notes", "lint", "compare", "date_format"},  // compare: read by src/admission/compare_spec.cpp (eligo compare)
             "a rule pack");
  compile_header(root);
  if (const JsonNode* in = require_key(root, "inputs", "", "a rule pack")) compile_inputs(*in);
  compile_binding(root);
  if (const JsonNode* l = root.find("lists")) compile_lists(*l);
  if (const JsonNode* pm = root.find("parameters")) compile_parameters(*pm);
  if (const JsonNode* tb = root.find("tables")) compile_tables(*tb);
  if (const JsonNode* li = root.find("lint")) compile_lint(*li);
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
  if (!diags_->has_errors()) lint();
  std::string canon;
  load::write_canonical(root, &canon);
  p_->hash = sha256_hex(canon + hash_input_);
  return p_;
}

std::shared_ptr<Program> compile_pack(const load::LoadedPack& loaded, const CompileOptions& options,
                                      Diagnostics* diagnostics) {
  if (!loaded.json.ok) return nullptr;
  Compiler c(loaded, options, diagnostics);
  auto p = c.run();
  if (diagnostics->has_errors()) return nullptr;
  if (p) p->fast_plan = detail::make_fast_plan(*p);
  return p;
}

}  // namespace eligo::compile
