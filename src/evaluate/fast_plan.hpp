// The fast path's plan (issue 11): what the fast evaluator and decide_fast would otherwise work out again for
// every applicant, worked out once when the pack is compiled and kept with the Program.
//   - constants as 64-bit fast values (no 128-bit range check per read);
//   - fused nodes for the common shapes: `field op const` / `local op const` (and any node op const),
//     `x in set` over strings as a hash table, `x in [lo .. hi]` with constant bounds, `local.field` —
//     each visits the same nodes as the tree walk and counts the same steps, it only skips the calls;
//   - per indicator, its cap and constant per-unit points as fixed-point numbers;
//   - per language, the labels and the reasons that are plain text (no value to fill in), so a decision
//     is filled without comparing language codes and a failing check's reason without evaluating anything.
// Nothing in it changes what is decided: tests/evaluate/fast_path_test.cpp compares decisions with the fast
// path on and off over generated populations of every bundled pack.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compile/program.hpp"
#include "evaluate/fast_eval.hpp"

namespace eligo::detail {

enum class FOp : std::uint8_t {
  generic,    // the tree walk's own case for the node
  constant,   // consts[k]
  field,      // the bound input's row[a] (FastPlan::field_base of the group + the slot)
  local,      // locals[a]
  get_local,  // locals[a] . slot b  (a Get over a Local: 2 steps)
  cmp_const,  // operand <cmp> consts[k]  (Eq, Ne, Lt, Le, Gt, Ge: 2 steps plus the operand's)
  in_set,     // operand in string set #k (c: "not in"; 1 step plus the operand's)
  in_range,   // operand in [consts[k] .. consts[k2]]  (3 steps plus the operand's)
  ymd_diff,   // years_between / months_between (sub) of the operand and as_of (2 steps plus the operand's)
  floor_div_const,  // floor(operand / consts[k]), a whole nonzero constant other than -1 (2 steps plus the operand's)
};

// How a fused node reads its operand: the tree walk's node a, or directly a field (row[a]) or a local
// (locals[a]), 1 step each.
enum class FArg : std::uint8_t { node, field, local };

struct FNode {
  FOp op = FOp::generic;
  Op cmp = Op::Eq;
  FArg arg = FArg::node;
  std::uint8_t negate = 0;      // in_set: "not in"
  std::uint8_t sub = 0;         // ymd_diff: the Builtin
  std::uint32_t a = 0, b = 0;   // operand: node a; field row[a]; local a
  std::uint32_t k = 0, k2 = 0;  // constant indices, or the set index
  // The most steps the tree walk can spend on this node's subtree: 1 per node, a let's body counted
  // wherever the let is read, both branches of an If. no_bound when it holds a quantifier (the steps
  // depend on list lengths) or a node whose children the plan cannot see to be earlier nodes.
  std::uint32_t bound = 0;
  static constexpr std::uint32_t no_bound = UINT32_MAX;
};

// A set of strings as an open-addressing hash table (power-of-two size, at most half full).
struct StringSet {
  struct Slot {
    const char* s = nullptr;  // null: empty
    std::uint32_t n = 0;
  };
  std::vector<Slot> slots;
  std::uint64_t mask = 0;
  std::vector<std::uint8_t> by_sym;  // [Fast::sym]: 1 when that enum member is in the set
  static std::uint64_t hash(const char* s, std::uint32_t n);
  bool contains(const char* s, std::uint32_t n) const;
};

struct IndicatorPlan {
  Fast cap;           // number, or bail when there is no cap or it is beyond 64 bits (the Decimal path)
  bool has_cap = false;
  // A `table on` an enum with hit "first" whose rows are `'member'` (and an otherwise): the row each
  // symbol hits (jump[Fast::sym], -1: none), and the steps the tree walk spends testing the rows up to
  // it (row_steps[r]; miss_steps when no row hits). Empty for any other table.
  std::vector<std::int16_t> jump;
  std::vector<std::uint32_t> row_steps;
  std::uint32_t miss_steps = 0;
};

struct FastPlan {
  std::vector<Fast> consts;        // Program::constants; bail for a number beyond 64 bits
  std::vector<FNode> nodes;        // one per Program node
  std::vector<StringSet> sets;     // one per Program::value_lists entry; empty when not all strings
  std::vector<IndicatorPlan> indicators;
  // The bound input's row (BoundInput::row): where each group's fields start, and how many in all.
  std::vector<std::uint32_t> field_base;
  std::uint32_t row_size = 0;
  // Every enum member's text once (Fast::sym - 1 indexes it), and per enum, its members' symbols.
  std::vector<std::string_view> symbols;
  std::vector<std::vector<std::uint16_t>> enum_syms;
  bool any_source = false;         // some group is fetched from a data source (BoundInput::reset_fetched)
  // [0] zh-CN, [1] en: Localized::text and LocalizedTemplate::get as they would choose.
  std::vector<std::string_view> check_labels[2], item_labels[2], output_labels[2];
  std::vector<std::uint8_t> reason_is_text[2];  // the check's reason has nothing to fill in
  std::vector<std::string> reason_text[2];      // … and this is it
};

std::shared_ptr<const FastPlan> make_fast_plan(const Program& program);

}  // namespace eligo::detail

namespace eligo::detail {

inline Fast FastEvaluator::eval(std::uint32_t idx) {
  const FNode& f = nodes_[idx];
  if (f.bound <= steps_left_ && f.bound != FNode::no_bound) {
    steps_left_ -= f.bound;
    switch (f.op) {  // a leaf: its 1 step spent above
      case FOp::constant: return consts_[f.k];
      case FOp::field: return row_[f.a];
      case FOp::local: return locals_[f.a];
      default: return walk<false>(idx);
    }
  }
  return walk<true>(idx);
}

}  // namespace eligo::detail
