// write_report: summary, per-item CSV / JSON Lines, rejections, unclaimed orders and the workbook, each
// written to a temporary name and renamed, so a reader never sees half a file.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/text_out.hpp"
#include "payout/atomic_file.hpp"
#include "payout/store.hpp"
#include "payout/workbook.hpp"

namespace eligo::payout {
namespace {

using detail::AtomicFile;

using eligo::detail::csv_cell;

void csv_row(AtomicFile& f, const std::vector<std::string>& cells) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) line += ',';
    line += csv_cell(cells[i]);
  }
  line += '\n';
  f.write(line);
}

void json_string(std::string& out, std::string_view s) { eligo::detail::append_json_string(&out, s); }

// One JSON object per line, keys in the given order; values are strings.
void jsonl_row(AtomicFile& f, const std::vector<std::string>& keys, const std::vector<std::string>& values) {
  std::string line = "{";
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i) line += ',';
    json_string(line, keys[i]);
    line += ':';
    json_string(line, values[i]);
  }
  line += "}\n";
  f.write(line);
}

nlohmann::ordered_json tally_json(const Tally& t) {
  return nlohmann::ordered_json{{"count", t.count}, {"amount", t.amount.to_string()}};
}

nlohmann::ordered_json class_tally_json(const ClassTally& t, bool orders, bool records) {
  nlohmann::ordered_json j;
  j["total"] = tally_json(t.total);
  nlohmann::ordered_json by = nlohmann::ordered_json::object();
  for (int c = 0; c < kClassCount; ++c) {
    const Class cls = static_cast<Class>(c);
    const bool record_only = cls == Class::orphan_record || cls == Class::after_cutoff;
    if ((record_only && !records) || (cls == Class::missing && !orders)) continue;
    by[to_string(cls)] = tally_json(t[cls]);
  }
  j["by_class"] = by;
  return j;
}

bool ensure_dir(const std::string& dir, std::string* error) {
  std::string path;
  for (std::size_t i = 0; i <= dir.size(); ++i) {
    if (i == dir.size() || dir[i] == '/') {
      if (!path.empty() && ::mkdir(path.c_str(), 0777) != 0 && errno != EEXIST) {
        *error = path + ": cannot create the directory: " + std::strerror(errno);
        return false;
      }
    }
    if (i < dir.size()) path += dir[i];
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    *error = dir + ": not a directory";
    return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> detail::order_columns() {
  return {"order_no",  "class",  "class_zh",   "policy", "period",       "payee_id",  "payee_name",
          "account",   "amount", "paid",       "created", "records",     "matched_by", "duplicate_of",
          "community", "claim",  "claim_note", "evidence"};
}

std::vector<std::string> detail::order_cells(const Report& report, std::size_t i) {
  const OrderResult r = report.order(i);
  std::string records;
  for (std::uint32_t k : r.records) {
    if (!records.empty()) records += ';';
    records += report.record(k).record.serial_no;
  }
  return {std::string(r.order.order_no),
          to_string(r.cls),
          label_zh(r.cls),
          std::string(r.order.policy),
          std::string(r.order.period),
          report.show_id(r.order.payee_id),
          report.show_name(r.order.payee_name),
          report.show_card(r.order.account),
          r.order.amount.to_string(),
          r.paid.to_string(),
          r.order.created.to_string(),
          records,
          to_string(r.matched_by),
          r.duplicate_of ? std::string(report.order(*r.duplicate_of).order.order_no) : "",
          std::string(r.community),
          to_string(r.claim),
          std::string(r.claim_note),
          report.order_evidence(i)};
}

std::vector<std::string> detail::record_columns() {
  return {"serial_no", "class",  "class_zh",   "status",         "order_no",   "echoed_order_no",
          "payee_id",  "account", "name",      "amount",         "value_date", "failure_reason",
          "matched_by", "cancelled", "evidence"};
}

std::vector<std::string> detail::record_cells(const Report& report, std::size_t i) {
  const RecordResult r = report.record(i);
  std::string payee = r.record.payee_id.empty() ? std::string() : report.show_id(r.record.payee_id);
  if (payee.empty() && !r.record.payee_id_hash.empty()) payee = "hash:" + std::string(r.record.payee_id_hash.substr(0, 12));
  return {std::string(r.record.serial_no),
          to_string(r.cls),
          label_zh(r.cls),
          to_string(r.record.status),
          r.order ? std::string(report.order(*r.order).order.order_no) : "",
          std::string(r.record.order_no),
          payee,
          report.show_card(r.record.account),
          report.show_name(r.record.name),
          r.record.amount.to_string(),
          r.record.value_date.to_string(),
          std::string(r.record.failure_reason),
          to_string(r.matched_by),
          r.cancelled ? "true" : "false",
          report.record_evidence(i)};
}

std::string summary_text(const Report& report) {
  const Summary& s = report.summary();
  std::string out = "eligo reconcile — summary\n";
  const Options& o = report.options();
  out += "cut-off: " + (o.cutoff ? o.cutoff->to_string() : std::string("none")) +
         "; fallback matching: " + (o.fallback ? "on, " + std::to_string(std::max(o.fallback_window_days, 0)) + " days" : std::string("off")) +
         "\n\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-18s %10s %18s   %10s %18s\n", "class", "orders", "amount", "records", "amount");
  out += line;
  for (int c = 0; c < kClassCount; ++c) {
    const Class cls = static_cast<Class>(c);
    std::snprintf(line, sizeof line, "%-18s %10llu %18s   %10llu %18s\n", to_string(cls),
                  static_cast<unsigned long long>(s.orders[cls].count), s.orders[cls].amount.to_string().c_str(),
                  static_cast<unsigned long long>(s.records[cls].count), s.records[cls].amount.to_string().c_str());
    out += line;
  }
  std::snprintf(line, sizeof line, "%-18s %10llu %18s   %10llu %18s\n", "total",
                static_cast<unsigned long long>(s.orders.total.count), s.orders.total.amount.to_string().c_str(),
                static_cast<unsigned long long>(s.records.total.count), s.records.total.amount.to_string().c_str());
  out += line;
  const auto problems = [](const ClassTally& t) {
    return t.total.count - t[Class::paid].count - t[Class::repaid].count;
  };
  out += "\nby policy (orders, of which not paid cleanly):\n";
  for (const auto& [policy, t] : s.orders_by_policy)
    out += "  " + policy + ": " + std::to_string(t.total.count) + " orders, " + t.total.amount.to_string() + "; " +
           std::to_string(problems(t)) + " need attention\n";
  out += "by community:\n";
  for (const auto& [community, t] : s.orders_by_community)
    out += "  " + (community.empty() ? std::string("(unclaimed)") : community) + ": " +
           std::to_string(t.total.count) + " orders, " + t.total.amount.to_string() + "; " +
           std::to_string(problems(t)) + " need attention\n";
  out += "\nunclaimed orders: " + std::to_string(s.unclaimed) + "\n";
  out += "rejected rows: orders " + std::to_string(s.rejected[0]) + ", bank " + std::to_string(s.rejected[1]) +
         ", registry " + std::to_string(s.rejected[2]) + ", exclusions " + std::to_string(s.rejected[3]) + "\n";
  return out;
}

bool write_report(const Report& report, const std::string& dir, const WriteOptions& options, std::string* error) {
  if (!ensure_dir(dir, error)) return false;
  const std::string base = dir.empty() || dir.back() == '/' ? dir : dir + "/";
  const Summary& s = report.summary();

  {  // summary.txt
    AtomicFile f;
    if (!f.open(base + "summary.txt", error)) return false;
    f.write(summary_text(report));
    if (!f.commit(error)) return false;
  }
  {  // orders.csv + orders.jsonl
    AtomicFile csv, jsonl;
    if (!csv.open(base + "orders.csv", error) || !jsonl.open(base + "orders.jsonl", error)) return false;
    const std::vector<std::string> cols = detail::order_columns();
    csv_row(csv, cols);
    for (std::size_t i = 0; i < report.order_count(); ++i) {
      const std::vector<std::string> cells = detail::order_cells(report, i);
      csv_row(csv, cells);
      jsonl_row(jsonl, cols, cells);
    }
    if (!csv.commit(error) || !jsonl.commit(error)) return false;
  }
  {  // records.csv + records.jsonl
    AtomicFile csv, jsonl;
    if (!csv.open(base + "records.csv", error) || !jsonl.open(base + "records.jsonl", error)) return false;
    const std::vector<std::string> cols = detail::record_columns();
    csv_row(csv, cols);
    for (std::size_t i = 0; i < report.record_count(); ++i) {
      const std::vector<std::string> cells = detail::record_cells(report, i);
      csv_row(csv, cells);
      jsonl_row(jsonl, cols, cells);
    }
    if (!csv.commit(error) || !jsonl.commit(error)) return false;
  }
  {  // rejected.csv
    AtomicFile f;
    if (!f.open(base + "rejected.csv", error)) return false;
    csv_row(f, {"side", "row", "field", "reason"});
    for (const Rejection& r : report.rejections()) csv_row(f, {to_string(r.side), std::to_string(r.row), r.field, r.reason});
    if (!f.commit(error)) return false;
  }
  nlohmann::ordered_json unclaimed = nlohmann::ordered_json::array();
  {  // unclaimed.csv
    AtomicFile f;
    if (!f.open(base + "unclaimed.csv", error)) return false;
    csv_row(f, {"order_no", "policy", "period", "payee_id", "amount", "order_community", "reason"});
    for (std::size_t i = 0; i < report.order_count(); ++i) {
      const OrderResult r = report.order(i);
      if (r.claim != ClaimSource::unclaimed) continue;
      const std::vector<std::string> cells = {std::string(r.order.order_no), std::string(r.order.policy),
                                              std::string(r.order.period),   report.show_id(r.order.payee_id),
                                              r.order.amount.to_string(),    std::string(r.order.community),
                                              std::string(r.claim_note)};
      csv_row(f, cells);
      unclaimed.push_back({{"order_no", cells[0]}, {"payee_id", cells[3]}, {"reason", cells[6]}});
    }
    if (!f.commit(error)) return false;
  }
  {  // summary.json
    nlohmann::ordered_json j;
    const Options& o = report.options();
    j["format"] = "eligo.reconcile/1";
    j["options"] = {{"cutoff", o.cutoff ? nlohmann::ordered_json(o.cutoff->to_string()) : nlohmann::ordered_json()},
                    {"fallback", o.fallback},
                    {"fallback_window_days", std::max(o.fallback_window_days, 0)},
                    {"clear_pii", o.clear_pii}};
    j["orders"] = class_tally_json(s.orders, true, false);
    j["records"] = class_tally_json(s.records, false, true);
    nlohmann::ordered_json by_policy = nlohmann::ordered_json::object();
    for (const auto& [k, t] : s.orders_by_policy) by_policy[k] = class_tally_json(t, true, false);
    j["orders_by_policy"] = by_policy;
    nlohmann::ordered_json by_community = nlohmann::ordered_json::object();
    for (const auto& [k, t] : s.orders_by_community) by_community[k] = class_tally_json(t, true, false);
    j["orders_by_community"] = by_community;
    j["unclaimed"] = unclaimed;
    j["rejected"] = {{"orders", s.rejected[0]}, {"bank", s.rejected[1]}, {"registry", s.rejected[2]},
                     {"exclusions", s.rejected[3]}};
    nlohmann::ordered_json rejections = nlohmann::ordered_json::array();
    for (const Rejection& r : report.rejections())
      rejections.push_back({{"side", to_string(r.side)}, {"row", r.row}, {"field", r.field}, {"reason", r.reason}});
    j["rejections"] = rejections;
    AtomicFile f;
    if (!f.open(base + "summary.json", error)) return false;
    f.write(j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    f.write("\n");
    if (!f.commit(error)) return false;
  }
  if (options.workbook && !detail::write_workbook(report, base + "reconciliation.xlsx", error)) return false;
  return true;
}

}  // namespace eligo::payout
