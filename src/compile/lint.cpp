// Lint warnings (W13xx): things that compile but are probably mistakes — a `let`, input group or named list
// nothing reads, an ordering comparison with an optional field that may be null, and (found in tables.cpp)
// numeric ranges of a table with gaps between them or a 'first' row that earlier rows shadow entirely. They are reported only for
// a pack without errors (an error often causes them), never stop compilation, and a pack silences the ones
// it means with "lint": {"ignore": ["W1301", …]}.
#include "compile/compiler_impl.hpp"

#include <algorithm>

namespace eligo::compile {
namespace {

// W1307 is given by `eligo test` (a check or indicator no case reaches); it is silenced here like the rest.
const char* const kLintCodes[] = {"W1301", "W1302", "W1303", "W1304", "W1305", "W1306", "W1307"};

}  // namespace

void Compiler::compile_lint(const JsonNode& n) {
  if (!expect_kind(n, JsonNode::Kind::object, "/lint", "\"lint\"")) return;
  check_keys(n, "/lint", {"ignore"}, "\"lint\"");
  const JsonNode* ignore = n.find("ignore");
  if (!ignore || !expect_kind(*ignore, JsonNode::Kind::array, "/lint/ignore", "\"ignore\"")) return;
  std::vector<std::string> known(std::begin(kLintCodes), std::end(kLintCodes));
  for (std::size_t i = 0; i < ignore->items.size(); ++i) {
    const std::string code = get_string(&ignore->items[i], ptr("/lint/ignore", i), "\"ignore\"");
    if (code.empty()) continue;
    if (std::find(known.begin(), known.end(), code) == known.end()) {
      rep_.at_node("E1102", ignore->items[i], ptr("/lint/ignore", i),
                   tr("unknown warning code '" + code + "' (W1301 to W1307)",
                      "未知的警告代码 '" + code + "'（可用：W1301 至 W1307）") +
                       did_you_mean(load::closest(code, known)));
      continue;
    }
    lint_ignore_.insert(code);
    p_->lint_ignore.push_back(code);
  }
}

void Compiler::warn_in_expr(const char* code, const ExprCtx& ctx, const Ast* a, std::string en, std::string zh) {
  PendingWarning w{code, ctx.node, ctx.pointer, ctx.base + (a ? a->begin : 0), ctx.base + (a ? a->end : 0),
                   std::move(en), std::move(zh)};
  warnings_.push_back(std::move(w));
}

void Compiler::lint() {
  const JsonNode& root = lp_.json.root;
  // W1301: a let nothing reads.
  for (const LetDecl& let : lets_)
    if (!let.referenced)
      warnings_.push_back({"W1301", let.node, let.pointer, -1, -1,
                           "'" + let.name + "' is never used (remove it, or use it where it was meant)",
                           "let 值 '" + let.name + "' 没有被用到（删掉它，或在本该用它的地方用上）"});
  // W1302: an input group no expression reads (its data is asked for and ignored).
  std::vector<bool> read(p_->groups.size(), false);
  for (const Node& n : p_->nodes)
    if (n.op == Op::Field && n.a < read.size()) read[n.a] = true;
  const JsonNode* inputs = root.find("inputs");
  for (std::size_t g = 0; g < p_->groups.size(); ++g) {
    if (read[g] || static_cast<std::int32_t>(g) == p_->record_group || !inputs) continue;
    const JsonNode* decl = inputs->find(p_->groups[g].name);
    if (!decl) continue;
    const std::string& name = p_->groups[g].name;
    warnings_.push_back({"W1302", decl, ptr("/inputs", name), -1, -1,
                         "no rule reads the input group '" + name + "'" +
                             (p_->groups[g].source.empty() ? "" : " (its source '" + p_->groups[g].source + "' is never asked)"),
                         "没有规则读取输入分组 '" + name + "'" +
                             (p_->groups[g].source.empty() ? "" : "（不会向数据源 '" + p_->groups[g].source + "' 查询）")});
  }
  // W1303: a named list nothing tests against.
  for (const auto& [name, list] : named_lists_)
    if (!list.used && list.decl)
      warnings_.push_back({"W1303", list.decl, list.pointer, -1, -1, "the list '" + name + "' is never used after 'in'",
                           "列表 '" + name + "' 没有在任何 'in' 后面用到"});
  // In file order, so the output reads top to bottom.
  std::stable_sort(warnings_.begin(), warnings_.end(), [](const PendingWarning& a, const PendingWarning& b) {
    return a.node->pos.offset < b.node->pos.offset;
  });
  for (const PendingWarning& w : warnings_) {
    if (lint_ignore_.count(w.code)) continue;
    std::string msg = tr(w.en, w.zh) + tr(" [silence: \"lint\": {\"ignore\": [\"", "［如需关闭：\"lint\": {\"ignore\": [\"") + w.code +
                      tr("\"]}]", "\"]}］");
    if (w.begin >= 0 && w.node->is_string())
      rep_.in_string(w.code, *w.node, w.pointer, static_cast<std::size_t>(w.begin), static_cast<std::size_t>(w.end),
                     std::move(msg), Severity::warning);
    else
      rep_.at_node(w.code, *w.node, w.pointer, std::move(msg), Severity::warning);
  }
}

}  // namespace eligo::compile
