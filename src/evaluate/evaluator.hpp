// The evaluate stage: runs a Program's nodes over one bound input. Pure and deterministic; bounded by a
// step budget (TARGETS R2); allocates only from arenas that are reused across evaluations.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compile/program.hpp"
#include "eligo/pack.hpp"
#include "evaluate/fast_value.hpp"
#include "evaluate/value.hpp"

namespace eligo::detail {

// A fixed-size array placed in an arena: a bound input's per-group slots sit in the same block as the
// values bound after them, so evaluating one applicant touches one block, not one heap block per vector
// (issue 11: the scattered inputs cost P1 several cache misses per applicant).
template <typename T>
class ArenaArray {
 public:
  // New storage for n copies of v; what was placed before stays in the arena until it is reset. Call it
  // again after every Arena::reset().
  void place(Arena& arena, std::size_t n, const T& v, std::size_t align = alignof(T)) {
    p_ = static_cast<T*>(arena.allocate(sizeof(T) * (n ? n : 1), align));
    n_ = static_cast<std::uint32_t>(n);
    for (std::size_t i = 0; i < n; ++i) p_[i] = v;
  }
  void fill(const T& v) {
    for (std::uint32_t i = 0; i < n_; ++i) p_[i] = v;
  }
  std::size_t size() const { return n_; }
  bool empty() const { return n_ == 0; }
  T& operator[](std::size_t i) { return p_[i]; }
  const T& operator[](std::size_t i) const { return p_[i]; }
  T* begin() { return p_; }
  T* end() { return p_ + n_; }
  const T* begin() const { return p_; }
  const T* end() const { return p_ + n_; }

 private:
  T* p_ = nullptr;
  std::uint32_t n_ = 0;
};

// Applicant data bound to a Program's groups (see bind.cpp). Groups declared with a source start unbound
// and are fetched on first read. The per-group slots come first in the arena, the bound values after them.
//
// `row` is the fast path's copy of every field given up front, as 16-byte fast values, all groups' fields
// one after the other (FastPlan::field_base): placed first in the arena on a cache-line boundary and filled
// when binding finishes, so the fast path reads six fields from two lines rather than from six 48-byte
// values behind the group records. A field of a group that was not bound when binding finished (absent,
// or fetched later from a source) stays `bail` there, so the fast path never sees a stale or fetched value.
//
// The arena starts in storage inline in the object (`inline_block`), so the row sits at a fixed offset from
// the BoundInput itself: Pack::evaluate asks for the object's lines and the row's at once, without first
// waiting for the object to learn where its row is (one memory round trip instead of two), and then for the
// rest of what binding placed (strings, list items) as soon as the object's lines arrive. An applicant
// larger than the inline storage continues in heap blocks as before. Not copyable or movable: the arena
// points into the object (Input holds it by pointer).
class BoundInput {
 public:
  enum class State : std::uint8_t { unbound, bound, absent };
  static constexpr std::size_t inline_bytes = 1536;

  BoundInput() { arena.set_inline(inline_block, inline_bytes); }
  BoundInput(const BoundInput&) = delete;
  BoundInput& operator=(const BoundInput&) = delete;

  const Program* program = nullptr;
  ArenaArray<Fast> row;              // see above; empty for a Program without a fast plan
  ArenaArray<Value> groups;          // record values, one per group
  ArenaArray<State> state;
  ArenaArray<std::uint8_t> given;    // 1 when the group was given up front (kept across evaluations)
  Arena arena;
  std::vector<DataError> errors;         // from binding what was given up front: the decision is `error`
  std::vector<DataError> warnings;       // keys ignored under unknown_fields "warn"
  std::vector<DataError> source_errors;  // from data fetched during the last evaluation

  // Forgets what sources returned, so the input can be evaluated again.
  void reset_fetched();

  alignas(64) char inline_block[inline_bytes];  // the arena's first storage; the row first in it
};

// Binding (bind.cpp) fills a BoundInput: see evaluate/bind.hpp.
bool bind_group_json(const Program& program, std::uint32_t group, std::string_view json, BoundInput* in,
                     std::vector<DataError>* errors);

// An evaluation failure: thrown inside the evaluator, caught at the evaluate() boundary.
struct EvalFailure {
  std::string code;
  std::string message;
  std::uint32_t node = 0;
};

// One evaluation's working state. Reusable: start() resets it while keeping its buffers, so a thread that
// keeps one Evaluator evaluates without allocating once the buffers have grown.
class Evaluator {
 public:
  void start(const Program& program, BoundInput* input, Date as_of, std::uint64_t step_budget, DataSource* sources,
             const Input* public_input, const blacklist::Snapshot* blacklist = nullptr);
  Arena& scratch() { return scratch_; }

  Value eval(std::uint32_t node);
  Date as_of() const { return as_of_; }
  std::uint64_t steps_left() const { return steps_left_; }
  // Failures raised since start(), caught or not (fill_template catches them): the fast path uses this
  // to know that a reason it had filled might differ from the full path's.
  std::uint64_t failures() const { return failures_; }

  // What the current check or indicator touched: missing paths (deduplicated), and values read when tracing.
  std::vector<std::uint32_t> missing;
  bool tracing = false;
  std::vector<std::pair<std::uint32_t, Value>> reads;  // path id, value
  // When tracing: the any/all nodes settled by one item (any: the first match; all: the first miss), the
  // item's index and value.
  struct Decider {
    std::uint32_t node, index;
    Value item;
  };
  std::vector<Decider> deciders;
  std::vector<SourceCall> calls;
  std::vector<BlacklistHit> blacklist_hits;  // entries that matched, cited in the decision
  // Set by explain::fill_template while it fills a zh-CN reason of a pack with "date_format": "chinese":
  // blacklist_reasons() then writes each listing date as 2023年11月20日, as every date in such a reason.
  bool reason_dates_chinese = false;
  // Coverage (eligo/coverage.hpp): 2 counters per node, the then and else of each If taken; null when not
  // counting. start() clears it.
  std::uint32_t* if_hits = nullptr;

  void set_local(std::uint32_t slot, const Value& v) { locals_[slot] = v; }
  void begin_item() {
    missing.clear();
    reads.clear();
    deciders.clear();
  }

 private:
  Value field(std::uint32_t group, std::uint32_t slot);
  void fetch(std::uint32_t group);
  Value call(const Node& n);
  Value quant(const Node& n);
  Value arith(const Node& n, const Value& a, const Value& b);
  void note_missing(std::uint32_t path);
  void note_read(std::uint32_t path, const Value& v);
  [[noreturn]] void fail(const char* code, std::string message, std::uint32_t node);

  const Program* p_ = nullptr;
  BoundInput* in_ = nullptr;
  Arena scratch_;
  Date as_of_;
  std::uint64_t steps_left_ = 0;
  DataSource* sources_ = nullptr;
  const Input* public_input_ = nullptr;
  const blacklist::Snapshot* blacklist_ = nullptr;
  std::vector<Value> locals_;
  std::vector<Value> let_values_;
  std::vector<std::uint8_t> let_state_;  // 0 not computed, 1 computing, 2 done
  // What computing each let touched, replayed on a cache hit so every check that reads it names the same
  // missing facts (and, when tracing, the same values read).
  std::vector<std::vector<std::uint32_t>> let_missing_;
  std::vector<std::vector<std::pair<std::uint32_t, Value>>> let_reads_;
  std::uint32_t current_ = 0;
  std::uint64_t failures_ = 0;
};

// Evaluates a node with no inputs (constant folding). false and *error on failure.
bool fold_constant(const Program& program, std::uint32_t node, Value* out, std::string* error);

}  // namespace eligo::detail
