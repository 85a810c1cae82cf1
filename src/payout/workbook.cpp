// The reconciliation workbook: libxlsxwriter in constant-memory mode (rows streamed to disk), a fixed
// creation time so the same report gives the same bytes, and continuation sheets past Excel's row limit.
#include "payout/workbook.hpp"

#include <xlsxwriter.h>

#include <cstdlib>

#include "core/xlsx_book.hpp"

namespace eligo::payout::detail {
namespace {

using eligo::detail::SheetWriter;

std::vector<int> columns_named(const std::vector<std::string>& columns, std::initializer_list<const char*> names) {
  std::vector<int> out;
  for (std::size_t i = 0; i < columns.size(); ++i)
    for (const char* n : names)
      if (columns[i] == n) out.push_back(static_cast<int>(i));
  return out;
}

}  // namespace

bool write_workbook(const Report& report, const std::string& path, std::string* error) {
  eligo::detail::XlsxBook book;
  if (!book.open(path, "eligo reconcile", error)) return false;
  lxw_format* bold = book.bold();

  const Summary& s = report.summary();
  {
    SheetWriter sheet(book, "summary 汇总");
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
    SheetWriter sheet(book, std::string(to_string(cls)) + " " + label_zh(cls));
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
    SheetWriter sheet(book, "rejected 被拒行");
    sheet.header({"side", "row", "field", "reason"});
    for (const Rejection& r : report.rejections())
      sheet.row({to_string(r.side), std::to_string(r.row), r.field, r.reason}, nullptr, {1});
  }
  return book.commit(error);
}

}  // namespace eligo::payout::detail
