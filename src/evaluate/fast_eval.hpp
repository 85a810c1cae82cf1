// The fast path of evaluation (issue 11): the same nodes as Evaluator, over 16-byte values with a 64-bit
// fixed-point number (coefficient × 10^-scale), and none of the bookkeeping that only missing data or an
// explanation needs. Anything it is not sure to get exactly right — missing data, a group still to be
// fetched, a number or result beyond 64 bits that the wide Decimal cannot bring back, a run-time error, a
// builtin or quantifier it does not implement — makes it *bail*: the caller then evaluates the whole
// applicant again on the full path (Evaluator). So the fast path decides nothing on its own: whenever it
// finishes, it has visited exactly the nodes the full path would, in the same order, with the same step
// count, and computed the same values (tests/evaluate/fast_path_test.cpp compares decisions over generated
// populations of every bundled pack with the fast path on and off).
#pragma once

#include <cstdint>
#include <vector>

#include "compile/program.hpp"
#include "evaluate/evaluator.hpp"
#include "evaluate/fast_value.hpp"
#include "evaluate/value.hpp"

namespace eligo::detail {

struct FastPlan;  // fast_plan.hpp
struct FNode;

class FastEvaluator {
 public:
  // The program must have a plan (Program::fast_plan).
  void start(const Program& program, const BoundInput* input, Date as_of, std::uint64_t step_budget);
  // A node's value. When the steps left cover the most its subtree can spend (FNode::bound: no quantifier
  // in it), that bound is spent at once and the subtree runs without a step check per node; a bound that
  // overstates what the tree walk would spend can only make the fast path run short sooner, and running
  // short hands the applicant to the full path, which counts exactly. Otherwise node by node, as the tree
  // walk counts. Defined inline in fast_plan.hpp (it reads the plan's nodes): the leaves (a constant, a
  // field, a local — a third of what the reference packs evaluate) are answered without a call.
  inline Fast eval(std::uint32_t node);
  void set_local(std::uint32_t slot, const Fast& v) { locals_[slot] = v; }
  const Fast& local(std::uint32_t slot) const { return locals_[slot]; }
  std::uint64_t steps_left() const { return steps_left_; }
  void set_steps_left(std::uint64_t s) { steps_left_ = s; }
  // Spends k steps at once (what the tree walk spends on nodes a shortcut skips); false when fewer are left.
  bool take_steps(std::uint64_t k) {
    if (steps_left_ < k) return false;
    steps_left_ -= k;
    return true;
  }

 private:
  // kCount: spend a step per node (and per node a fused one stands for), as Evaluator::eval does.
  template <bool kCount> Fast walk(std::uint32_t idx);
  template <bool kCount> Fast walk_node(const Node& n);  // the tree walk, for the nodes the plan does not fuse
  // A child node: counted, it goes through eval() again (its own subtree may be bounded); uncounted, the
  // parent's bound already covers it.
  template <bool kCount> Fast child(std::uint32_t idx) {
    if constexpr (kCount) return eval(idx);
    else return walk<false>(idx);
  }
  // One step for a node a fused node stands for; false when none is left.
  template <bool kCount> bool step() {
    if constexpr (kCount) {
      if (steps_left_ == 0) return false;
      --steps_left_;
    }
    return true;
  }
  Fast field(std::uint32_t group, std::uint32_t slot) const;
  Fast arith(const Node& n, const Fast& a, const Fast& b);
  template <bool kCount> Fast call(const Node& n);
  Fast quant(const Node& n);  // never bounded: its steps depend on the lists
  void ymd(std::int32_t days, int* y, int* m, int* d) const;  // as_of's from the cache
  Fast between(Builtin b, std::int32_t from, std::int32_t to) const;  // years_between / months_between

  const Program* p_ = nullptr;
  const FastPlan* plan_ = nullptr;
  const BoundInput* in_ = nullptr;
  // From the plan and the input, set by start(): what every node reads, one load away.
  const FNode* nodes_ = nullptr;
  const Fast* consts_ = nullptr;
  const Fast* row_ = nullptr;
  Arena scratch_;  // lists made by filter and map; reset by start()
  std::int32_t as_of_ = 0;
  int as_of_y_ = 0, as_of_m_ = 0, as_of_d_ = 0;  // as_of_'s, worked out in start() when as_of_ changes
  bool as_of_ymd_ = false;
  std::uint64_t steps_left_ = 0;
  std::vector<Fast> locals_;
  std::vector<Fast> let_values_;
  std::vector<std::uint8_t> let_done_;
};

// A date's year, month and day, as Date::ymd gives them, inline and with no division (Neri & Schneider,
// "Euclidean affine functions and applications to calendar algorithms", 2021): Date::ymd was ~5 % of the
// points pack, called out of line for every years_between / months_between. The arithmetic holds from
// 32,800 years before 1970 to ~2.9 million years after; it is used for days in [-10^7, 10^8] (years
// ~-25400..275800) and asks Date::ymd outside (tests/evaluate/fast_eval_test.cpp compares the two day by
// day over that whole range).
inline void fast_ymd(std::int32_t days, int* y, int* m, int* d) {
  if (days < -10000000 || days > 100000000) {
    Date::from_days(days).ymd(y, m, d);
    return;
  }
  constexpr std::uint32_t s = 82, K = 719468 + 146097 * s, L = 400 * s;  // shift the epoch to 1 March -32800
  const std::uint32_t n = static_cast<std::uint32_t>(days) + K;
  const std::uint32_t n1 = 4 * n + 3;
  const std::uint32_t c = n1 / 146097;            // centuries
  const std::uint32_t n2 = (n1 % 146097) | 3;     // 4 × day of the century + 3
  const std::uint64_t p2 = std::uint64_t{2939745} * n2;
  const std::uint32_t z = static_cast<std::uint32_t>(p2 >> 32);                          // year of the century
  const std::uint32_t ny = static_cast<std::uint32_t>(p2 & 0xFFFFFFFFu) / 2939745 / 4;  // day of the year (from March)
  const std::uint32_t n3 = 2141 * ny + 197913;
  const std::uint32_t mm = n3 >> 16, dd = (n3 & 0xFFFFu) / 2141;
  const std::uint32_t j = ny >= 306;  // January or February: the next civil year
  *y = static_cast<int>(100 * c + z - L + j);
  *m = static_cast<int>(j ? mm - 12 : mm);
  *d = static_cast<int>(dd + 1);
}

// A fast value back as a bound one (what filter and map put in their lists).
Value to_value(const Fast& f);

// Equality and order with the full path's meaning (values_equal / values_compare): numbers by value
// (1.0 == 1.00), strings by bytes. Both operands present and of one static type.
bool fast_equal(const Fast& a, const Fast& b);
int fast_compare_any(const Fast& a, const Fast& b);
// Numbers of one scale and dates inline (what caps, ranges and most comparisons are); the rest out of line.
inline int fast_compare(const Fast& a, const Fast& b) {
  if ((a.kind == FKind::number && a.scale == b.scale) || a.kind == FKind::date) return (a.i > b.i) - (a.i < b.i);
  return fast_compare_any(a, b);
}

// Exact arithmetic: 64 bits when the result fits, else the wide Decimal; bail on overflow or zero division.
// The common case (one scale, no overflow) inline; the rest out of line.
Fast fast_add_wide(const Fast& a, const Fast& b);
Fast fast_mul_wide(const Fast& a, const Fast& b);
inline Fast fast_add(const Fast& a, const Fast& b) {
  std::int64_t r;
  if (a.scale == b.scale && !__builtin_add_overflow(a.i, b.i, &r)) return Fast::number(r, a.scale);
  return fast_add_wide(a, b);
}
inline Fast fast_mul(const Fast& a, const Fast& b) {
  // Decimal::mul keeps scale sa + sb up to 18 digits: the same product when it fits in 64 bits.
  std::int64_t r;
  if (a.scale + b.scale <= Decimal::max_scale && !__builtin_mul_overflow(a.i, b.i, &r))
    return Fast::number(r, a.scale + b.scale);
  return fast_mul_wide(a, b);
}

// On by default. Tests switch it off to compare decisions with and without it; nothing else should.
bool fast_path_enabled();
void set_fast_path_enabled(bool on);
// Evaluations the fast path finished on this thread (tests check that it is taken, not only correct).
std::uint64_t fast_path_completions();
void count_fast_path_completion();

}  // namespace eligo::detail
