// eligo/coverage.hpp — what a set of evaluations reached in one pack (CEL's coverage, for `eligo test`).
//
//   eligo::Coverage cov(pack);
//   eligo::EvalOptions opt;
//   opt.coverage = &cov;                  // every evaluation with these options is counted
//   for (const auto& c : cases) pack.evaluate(c, opt);
//   std::cout << cov.to_text();           // each check, table row, `if` branch and cap, and what was not reached
//   cov.full();                           // every check seen passed and failed, every table row reached
//
// Counted per pack (one compiled Program): a Coverage given to another pack's evaluate() is left untouched.
// An evaluation that stops before its checks run (pack not in force, input of the wrong shape) counts
// nothing. Not thread-safe: one Coverage per thread, then merge().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "eligo/pack.hpp"

namespace eligo {

class Coverage {
 public:
  struct CheckCount {
    std::string id;
    std::uint32_t passed = 0, failed = 0, needs_evidence = 0, skipped = 0;
    bool covered() const { return passed > 0 && failed > 0; }
  };
  struct RowCount {
    std::string indicator;  // the indicator whose table it is; "" for an output's table
    std::string output;     // the output whose table it is (docs/rule-language.md §7); "" for an indicator's
    std::uint32_t row = 0;  // 1-based, as in decisions ("row 2: …")
    std::string when;       // the row's test as written; "otherwise"
    std::uint32_t hits = 0; // evaluations in which the row gave the points (every matching row for collect_sum),
                            // or gave the output its value
  };
  struct BranchCount {
    std::string pointer;    // JSON pointer of the expression string holding the `if`
    std::string text;       // the `if … then … else …` as written (shortened)
    std::uint32_t then_hits = 0, else_hits = 0;
  };
  struct CapCount {
    std::string indicator;
    std::string kind;       // "per", "points" or "table"
    Decimal cap;
    std::uint32_t reached = 0, below = 0;  // the points were cut to the cap / stayed at or under it
  };

  explicit Coverage(const Pack& pack);

  const Pack& pack() const { return pack_; }
  std::uint32_t evaluations() const { return evaluations_; }
  std::vector<CheckCount> checks() const;
  std::vector<RowCount> rows() const;          // every row of every table indicator, then of every output's table
  std::vector<BranchCount> branches() const;   // every `if` left after constant folding, in node order (an
                                               // output table's rows are rows, not branches)
  std::vector<CapCount> caps() const;          // every indicator with a "cap"
  // Every check seen both passed and failed, and every table row (of indicators and outputs) reached (what
  // the bundled packs keep).
  bool full() const;
  // For people: a summary line per kind and each thing not fully reached.
  std::string to_text() const;
  // {"pack", "version", "file", "evaluations", "full", "checks": [...], "rows": [...], "branches": [...],
  //  "caps": [...]}: every item with its counts (docs/rule-language.md §8).
  std::string to_json() const;
  // Adds the counts of another Coverage of the same pack; false (nothing added) for another pack.
  bool merge(const Coverage& other);

 private:
  friend class Pack;  // evaluate() counts into the vectors below
  Pack pack_;
  std::uint32_t evaluations_ = 0;
  std::vector<std::uint32_t> checks_;     // 4 per check: passed, failed, needs_evidence, skipped
  std::vector<std::uint32_t> row_base_;   // per indicator: its first entry in rows_
  std::vector<std::uint32_t> rows_;
  std::vector<std::uint32_t> caps_;       // 2 per indicator: reached, below
  std::vector<std::uint32_t> ifs_;        // 2 per IR node: then, else (only If nodes move)
};

}  // namespace eligo
