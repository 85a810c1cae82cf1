// The reconciliation workbook: libxlsxwriter in constant-memory mode (rows streamed to disk), a fixed
// creation time so the same report gives the same bytes, and continuation sheets past Excel's row limit.
#include "payout/workbook.hpp"

#include <xlsxwriter.h>

#include <cstdlib>

#include "payout/atomic_file.hpp"
#include "payout/sheet_writer.hpp"

namespace eligo::payout::detail {
namespace {

std::vector<int> columns_named(const std::vector<std::string>& columns, std::initializer_list<const char*> names) {
  std::vector<int> out;
  for (std::size_t i = 0; i < columns.size(); ++i)
    for (const char* n : names)
      if (columns[i] == n) out.push_back(static_cast<int>(i));
  return out;
}

}  // namespace

bool write_workbook(const Report& report, const std::string& path, std::string* error) {
  AtomicFile target;
  if (!target.open(path, error)) return false;
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* wb = workbook_new_opt(target.temp_path().c_str(), &options);
  if (!wb) {
    *error = path + ": cannot create the workbook";
    return false;
  }
  lxw_doc_properties properties = {};
  properties.title = const_cast<char*>("eligo reconcile");
  properties.created = 946684800;  // fixed (2000-01-01): identical reports give identical bytes
  workbook_set_properties(wb, &properties);
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* money = workbook_add_format(wb);
  format_set_num_format(money, "#,##0.00");

  const Summary& s = report.summary();
  {
    SheetWriter sheet(wb, "summary 汇总", bold, money);
    const Options& o = report.options();
    sheet.row({"eligo reconcile"}, bold);
    sheet.row({"cut-off", o.cutoff ? o.cutoff->to_string() : "none"});
    sheet.row({"fallback matching",
               o.fallback ? "on, " + std::to_string(std::max(o.fallback_window_days, 0)) + " days" : "off"});
    sheet.row({"PII", o.clear_pii ? "clear" : "masked"});
    sheet.blank();
    sheet.header({"class", "类别", "orders", "order amount", "records", "record amount"});
    for (int c = 0; c < kClassCount; ++c) {
      const Class cls = static_cast<Class>(c);
      sheet.row({to_string(cls), label_zh(cls), std::to_string(s.orders[cls].count), s.orders[cls].amount.to_string(),
                 std::to_string(s.records[cls].count), s.records[cls].amount.to_string()},
                nullptr, {2, 3, 4, 5});
    }
    sheet.row({"total", "合计", std::to_string(s.orders.total.count), s.orders.total.amount.to_string(),
               std::to_string(s.records.total.count), s.records.total.amount.to_string()},
              nullptr, {2, 3, 4, 5});
    for (int pass = 0; pass < 2; ++pass) {
      sheet.blank();
      std::vector<std::string> head = {pass == 0 ? "policy" : "community", "orders", "amount"};
      for (int c = 0; c < kClassCount; ++c)
        if (static_cast<Class>(c) != Class::orphan_record && static_cast<Class>(c) != Class::after_cutoff)
          head.push_back(to_string(static_cast<Class>(c)));
      sheet.header(head);
      for (const auto& [key, t] : pass == 0 ? s.orders_by_policy : s.orders_by_community) {
        std::vector<std::string> cells = {key.empty() && pass == 1 ? "(unclaimed)" : key, std::to_string(t.total.count),
                                          t.total.amount.to_string()};
        std::vector<int> numeric = {1, 2};
        for (int c = 0; c < kClassCount; ++c) {
          if (static_cast<Class>(c) == Class::orphan_record || static_cast<Class>(c) == Class::after_cutoff) continue;
          numeric.push_back(static_cast<int>(cells.size()));
          cells.push_back(std::to_string(t.by_class[c].count));
        }
        sheet.row(cells, nullptr, numeric);
      }
    }
    sheet.blank();
    sheet.header({"rejected rows", "orders", "bank", "registry", "exclusions", "unclaimed orders"});
    sheet.row({"", std::to_string(s.rejected[0]), std::to_string(s.rejected[1]), std::to_string(s.rejected[2]),
               std::to_string(s.rejected[3]), std::to_string(s.unclaimed)},
              nullptr, {1, 2, 3, 4, 5});
  }
  const std::vector<std::string> order_cols = order_columns(), record_cols = record_columns();
  const std::vector<int> order_money = columns_named(order_cols, {"amount", "paid"});
  const std::vector<int> record_money = columns_named(record_cols, {"amount"});
  for (int c = 0; c < kClassCount; ++c) {
    const Class cls = static_cast<Class>(c);
    SheetWriter sheet(wb, std::string(to_string(cls)) + " " + label_zh(cls), bold, money);
    if (s.orders[cls].count > 0) {
      sheet.row({"orders 兑付单"}, bold);
      sheet.header(order_cols);
      for (std::size_t i = 0; i < report.order_count(); ++i)
        if (report.order_class(i) == cls) sheet.row(order_cells(report, i), nullptr, order_money);
      sheet.blank();
    }
    if (s.records[cls].count > 0) {
      sheet.row({"bank records 银行流水"}, bold);
      sheet.header(record_cols);
      for (std::size_t i = 0; i < report.record_count(); ++i)
        if (report.record_class(i) == cls) sheet.row(record_cells(report, i), nullptr, record_money);
    }
    if (s.orders[cls].count == 0 && s.records[cls].count == 0) sheet.row({"none 无"});
  }
  {
    SheetWriter sheet(wb, "rejected 被拒行", bold, money);
    sheet.header({"side", "row", "field", "reason"});
    for (const Rejection& r : report.rejections())
      sheet.row({to_string(r.side), std::to_string(r.row), r.field, r.reason}, nullptr, {1});
  }
  const lxw_error rc = workbook_close(wb);
  if (rc != LXW_NO_ERROR) {
    *error = path + ": cannot write the workbook: " + lxw_strerror(rc);
    return false;
  }
  return target.commit_external(error);
}

}  // namespace eligo::payout::detail
