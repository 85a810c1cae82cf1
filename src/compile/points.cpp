// Scores: each indicator with its points, per-count points or table; indicator groups with caps; the
// total's floor and cap.
#include "compile/compiler_impl.hpp"

namespace eligo::compile {

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
                 forms == 0 ? tr("indicator '" + ind.id + "' needs one of \"points\", \"per\" or \"table\"",
                                 "指标 '" + ind.id + "' 需要 \"points\"、\"per\" 或 \"table\" 之一")
                            : tr("indicator '" + ind.id + "' has more than one of \"points\", \"per\" and \"table\"",
                                 "指标 '" + ind.id + "' 同时写了 \"points\"、\"per\"、\"table\" 中的多个，只能写一个"));
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

}  // namespace eligo::compile
