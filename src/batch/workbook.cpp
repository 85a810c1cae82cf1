#include "batch/workbook.hpp"

#include "core/xlsx_book.hpp"
#include "eligo/records.hpp"

namespace eligo::batch {
namespace {

using eligo::detail::SheetWriter;
using eligo::detail::XlsxBook;

bool starts_with(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

// Copies a spooled CSV into a sheet; `edit` may change a row's cells (held_back).
template <typename Edit>
bool copy_rows(const std::string& csv, SheetWriter& sheet, const std::vector<std::string>& numeric_outputs,
               Edit edit, std::string* error) {
  records::RecordReader reader;
  records::ReadOptions ro;
  ro.format = records::Format::csv;
  if (!reader.open(csv, ro, error)) return false;
  const auto& head = reader.header();
  std::vector<int> numeric, money;
  for (std::size_t c = 0; c < head.size(); ++c) {
    const std::string& h = head[c];
    bool is_money = false;
    for (const auto& o : numeric_outputs) is_money |= h == "output." + o;
    if (h == "line" || h == "total" || starts_with(h, "points.") || is_money) numeric.push_back(static_cast<int>(c));
    if (is_money) money.push_back(static_cast<int>(c));
  }
  sheet.money_columns(money);
  sheet.header(head);
  std::vector<std::string> cells;
  for (std::uint64_t n = 0;; ++n) {
    const records::Next next = reader.next();
    if (next == records::Next::end) break;
    if (next != records::Next::row) {
      *error = csv + ": the spooled rows cannot be read back: " + (next == records::Next::error ? reader.error() : reader.problem());
      return false;
    }
    cells.assign(reader.cells().begin(), reader.cells().end());
    edit(n, &cells);
    sheet.row(cells, nullptr, numeric);
  }
  return true;
}

}  // namespace

bool write_workbook(const OutputPlan& plan, const std::string& results_csv, const std::string& rejected_csv,
                    const std::unordered_map<std::uint64_t, std::string>& held_reason, const Summary& s, const std::string& lang,
                    bool with_file, std::string* error) {
  (void)with_file;
  XlsxBook book;
  if (!book.open(plan.results_path, "eligo batch", error)) return false;
  {
    SheetWriter sheet(book, "results 结果");
    const auto held = [&](std::uint64_t n, std::vector<std::string>* cells) {
      const auto it = held_reason.find(n);
      if (it != held_reason.end() && !cells->empty()) cells->back() = it->second;
    };
    if (!copy_rows(results_csv, sheet, s.numeric_outputs, held, error)) return false;
  }
  {
    SheetWriter sheet(book, "rejected 被拒行");
    if (!copy_rows(rejected_csv, sheet, {}, [](std::uint64_t, std::vector<std::string>*) {}, error)) return false;
  }
  {
    const bool zh = lang != "en";
    SheetWriter sheet(book, "summary 汇总");
    sheet.money_columns({});
    sheet.header({zh ? "项目" : "item", zh ? "数值" : "value"});
    sheet.row({"pack", s.pack_id + " " + s.pack_version});
    sheet.row({"sha256", s.pack_hash});
    sheet.row({"as_of", s.as_of.to_string()});
    sheet.row({zh ? "读入行数 rows" : "rows read", std::to_string(s.rows)}, nullptr, {1});
    sheet.row({zh ? "结果 results" : "results", std::to_string(s.results)}, nullptr, {1});
    sheet.row({zh ? "被拒行 rejected" : "rejected", std::to_string(s.rejected)}, nullptr, {1});
    sheet.blank();
    sheet.header({"verdict", "rows"});
    for (int v = 0; v < 4; ++v)
      sheet.row({verdict_name(static_cast<Verdict>(v)), std::to_string(s.all.verdicts[v])}, nullptr, {1});
    if (!s.all.failed.empty()) {
      sheet.blank();
      sheet.header({"failed_check", "rows"});
      for (const auto& [id, n] : s.all.failed) sheet.row({id, std::to_string(n)}, nullptr, {1});
    }
    if (!s.all.sums.empty()) {
      sheet.blank();
      sheet.header({"output (eligible rows)", "sum"});
      sheet.money_columns({1});
      for (const auto& [name, sum] : s.all.sums) sheet.row({name, sum.to_string()}, nullptr, {1});
      sheet.money_columns({});
    }
    if (!s.by.empty()) {
      sheet.blank();
      std::vector<std::string> head = {s.by, "results"};
      for (int v = 0; v < 4; ++v) head.push_back(verdict_name(static_cast<Verdict>(v)));
      for (const auto& name : s.numeric_outputs) head.push_back(name);
      std::vector<int> numeric, money;
      for (std::size_t c = 1; c < head.size(); ++c) numeric.push_back(static_cast<int>(c));
      for (std::size_t c = 6; c < head.size(); ++c) money.push_back(static_cast<int>(c));
      sheet.header(head);
      sheet.money_columns(money);
      for (const auto& [value, t] : s.groups) {
        std::vector<std::string> cells = {value, std::to_string(t.results)};
        for (int v = 0; v < 4; ++v) cells.push_back(std::to_string(t.verdicts[v]));
        for (const auto& name : s.numeric_outputs) {
          const auto it = t.sums.find(name);
          cells.push_back(it == t.sums.end() ? "0" : it->second.to_string());
        }
        sheet.row(cells, nullptr, numeric);
      }
      sheet.money_columns({});
    }
    if (!s.duplicates.empty()) {
      sheet.blank();
      sheet.header({zh ? "重复证件号 duplicate ID" : "duplicate ID", "lines"});
      for (const auto& d : s.duplicates) {
        std::string lines;
        for (const auto& [f, l] : d.rows)
          lines += (lines.empty() ? "" : ", ") + (s.inputs.size() > 1 ? s.inputs[f].path + ":" : std::string()) + std::to_string(l);
        sheet.row({d.key, lines});
      }
    }
    if (!s.orders_path.empty()) {
      sheet.blank();
      sheet.header({"payout orders", "value"});
      sheet.row({"orders", std::to_string(s.orders)}, nullptr, {1});
      sheet.money_columns({1});
      sheet.row({"amount", s.orders_amount.to_string()}, nullptr, {1});
      sheet.money_columns({});
      sheet.row({"held back (duplicates)", std::to_string(s.orders_held_back)}, nullptr, {1});
      sheet.row({"eligible without an amount", std::to_string(s.orders_without_amount)}, nullptr, {1});
    }
  }
  return book.commit(error);
}

}  // namespace eligo::batch
