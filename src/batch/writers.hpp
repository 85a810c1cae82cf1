// The files a batch writes: result, rejected and order lines (CSV or JSON Lines), and the last step that
// settles held-back rows and renames everything into place (docs/batch.md, "Outputs").
#pragma once

#include <string>
#include <unordered_map>
#include <string_view>
#include <vector>

#include "eligo/batch.hpp"
#include "payout/atomic_file.hpp"

namespace eligo::batch {

enum class OutputFormat : std::uint8_t { csv, jsonl, xlsx };

struct OutputPlan {
  OutputFormat format = OutputFormat::csv;      // of the results
  OutputFormat row_format = OutputFormat::csv;  // of the spooled lines (csv for an xlsx result)
  std::string results_path, rejected_path;      // final; rejected_path "" for xlsx (a sheet)
  std::string results_spool, rejected_spool;    // where the lines are written first
  std::string summary_json, summary_txt;        // "" for none
};

bool plan_outputs(const Options& options, OutputPlan* plan, std::string* error);

struct ResultLine {
  std::uint64_t line = 0;
  std::string key;
  std::string_view verdict, failed_check;
  std::string reason;
  std::vector<std::string> missing, points, outputs;
  std::string total;
};

struct OrderLine {
  std::string order_no, policy, period, payee_id, payee_name, account, amount, created, community;
};

class RowWriter {
 public:
  RowWriter(OutputFormat format, bool with_file, std::vector<std::string> indicators, std::vector<std::string> outputs,
            bool scored)
      : jsonl_(format == OutputFormat::jsonl), with_file_(with_file), indicators_(std::move(indicators)),
        outputs_(std::move(outputs)), scored_(scored) {}
  // The result columns, in order (the CSV header; the workbook's results sheet).
  std::vector<std::string> result_columns() const;
  // Columns written as numbers in the workbook: total, points, numeric outputs.
  void result_header(std::string* out) const;
  void result(std::string* out, const std::string& file, const ResultLine& r) const;
  std::vector<std::string> rejected_columns() const;
  void rejected_header(std::string* out) const;
  void rejected(std::string* out, const std::string& file, std::uint64_t line, std::string_view field,
                std::string_view code, const std::string& reason) const;
  // Orders are always CSV: the order file `eligo reconcile` reads (docs/payout.md).
  static std::vector<std::string> order_columns();
  void order_header(std::string* out) const;
  void order(std::string* out, const OrderLine& o) const;
  bool jsonl() const { return jsonl_; }

 private:
  void cell(std::string* out, std::string_view text, bool first = false) const;
  bool jsonl_, with_file_;
  std::vector<std::string> indicators_, outputs_;
  bool scored_ = false;
};

// One CSV line of cells (line breaks inside a cell become spaces: one line is one row).
void csv_line(std::string* out, const std::vector<std::string>& cells);

// Renames the finished files into place (after filling in held-back reasons and dropping held-back orders),
// writes the summary files and the workbook; fills summary.files.
bool finish_outputs(const OutputPlan& plan, payout::detail::AtomicFile& results, payout::detail::AtomicFile& rejected,
                    const std::unordered_map<std::uint64_t, std::string>& held_reason, bool any_held, payout::detail::AtomicFile& orders,
                    const std::vector<bool>& order_held, Summary& summary, bool with_file, const std::string& lang,
                    std::string* error);

}  // namespace eligo::batch
