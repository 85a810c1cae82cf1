// eligo reconcile — payout orders against the bank's payment records (docs/payout.md).
#include <cstdlib>
#include <ostream>
#include <string>

#include "cli/commands.hpp"
#include "dashboard/page.hpp"
#include "dashboard/payout_view.hpp"
#include "eligo/payout.hpp"

namespace eligo::cli {
namespace {

constexpr const char* kHelp =
    "usage: eligo reconcile --orders O.csv --bank B.csv --out DIR [options]\n"
    "\n"
    "Classifies every payout order and every bank record exactly once (paid, repaid, amount_mismatch,\n"
    "payee_mismatch, duplicate_payment, payee_ineligible, failed, missing, orphan_record, after_cutoff),\n"
    "assigns orders to communities, and writes the report into DIR: summary.txt, summary.json, orders.csv,\n"
    "orders.jsonl, records.csv, records.jsonl, rejected.csv, unclaimed.csv, reconciliation.xlsx, and\n"
    "dashboard.json (the dashboard's view of it, read by eligo-server --reports; docs/dashboard.md).\n"
    "Input files are CSV or JSON Lines (by extension, or the mapping's \"format\"), UTF-8 or GB18030.\n"
    "\n"
    "options:\n"
    "  --orders FILE         payout orders (兑付单)\n"
    "  --bank FILE           the bank's payment records (支付流水)\n"
    "  --out DIR             where the report goes (created if needed; files replaced atomically)\n"
    "  --mapping FILE        column mapping JSON: formats, encodings, column names, status texts\n"
    "  --cutoff YYYY-MM-DD   records after it are after_cutoff; orders without a record by then are missing\n"
    "  --registry FILE       ID number → community (CSV, JSON Lines or SQLite) for auto-claim\n"
    "  --exclude FILE        exclusion list (payee_id, from, policy, reason), e.g. deceased payees\n"
    "  --window DAYS         fallback matching window after the order's creation; default 7\n"
    "  --no-fallback         match by echoed order number only\n"
    "  --id-hash-key-env VAR  HMAC key (from environment variable VAR) for banks that send keyed ID hashes\n"
    "  --clear-pii           write ID numbers, cards and names in clear (default: masked)\n"
    "  --no-workbook         skip reconciliation.xlsx (at 1 M orders it costs more than all the rest)\n"
    "  --items FORMAT        per-item files: both (default: orders/records .csv and .jsonl), csv or jsonl;\n"
    "                        at 1 M orders the CSV pair is 0.46 GB and the JSON Lines pair 0.92 GB, and\n"
    "                        --items csv saves ~15% of the run; the other pair is removed from DIR if present\n"
    "  --html FILE           also write the payout dashboard as one self-contained HTML page (Chinese, with an\n"
    "                        English toggle; Apache ECharts inlined from the installed package, payees masked)\n"
    "\n"
    "exit status: 0 reconciled (bad rows are reported in rejected.csv), 2 unusable input or usage error\n";

std::string base_name(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

class ProgressBar {
 public:
  ProgressBar(Io& io, std::string label) : io_(io), label_(std::move(label)) {}
  void operator()(std::uint64_t done, std::uint64_t total) {
    if (!io_.out_is_terminal || total == 0) return;
    const int percent = static_cast<int>(done * 100 / total);
    if (percent == last_) return;
    last_ = percent;
    const int filled = percent * 30 / 100;
    io_.err << '\r' << label_ << " [" << std::string(filled, '#') << std::string(30 - filled, ' ') << "] " << percent
            << '%' << (percent >= 100 ? "\n" : "") << std::flush;
  }

 private:
  Io& io_;
  std::string label_;
  int last_ = -1;
};

}  // namespace

int cmd_reconcile(const Args& args, Io& io) {
  Options opts;
  std::string error;
  if (!parse_options(args,
                     {"orders", "bank", "out", "mapping", "cutoff", "registry", "exclude", "window", "id-hash-key-env", "html",
                      "items"},
                     {"clear-pii", "no-fallback", "no-workbook", "help"}, &opts, &error)) {
    io.err << "eligo reconcile: " << error << "\n\n" << kHelp;
    return 2;
  }
  if (opts.has("help")) {
    io.out << kHelp;
    return 0;
  }
  if (!opts.positional.empty() || !opts.has("orders") || !opts.has("bank") || !opts.has("out")) {
    io.err << "eligo reconcile: --orders, --bank and --out are required\n\n" << kHelp;
    return 2;
  }
  payout::Options options;
  if (opts.has("cutoff")) {
    options.cutoff = Date::parse(opts.get("cutoff"));
    if (!options.cutoff) {
      io.err << "eligo reconcile: --cutoff must be a date YYYY-MM-DD\n";
      return 2;
    }
  }
  if (opts.has("window")) {
    const std::string w = opts.get("window");
    char* end = nullptr;
    const long days = std::strtol(w.c_str(), &end, 10);
    if (w.empty() || *end != '\0' || days < 0 || days > 3660) {
      io.err << "eligo reconcile: --window must be a number of days from 0 to 3660\n";
      return 2;
    }
    options.fallback_window_days = static_cast<int>(days);
  }
  options.fallback = !opts.has("no-fallback");
  options.clear_pii = opts.has("clear-pii");
  if (opts.has("id-hash-key-env")) {
    const char* key = std::getenv(opts.get("id-hash-key-env").c_str());
    if (!key) {
      io.err << "eligo reconcile: the environment variable " << opts.get("id-hash-key-env") << " is not set\n";
      return 2;
    }
    options.id_hash_key = key;
  }
  payout::Mapping mapping = payout::default_mapping();
  if (opts.has("mapping")) {
    std::string text;
    if (!read_text(opts.get("mapping"), io, &text, &error) || !payout::parse_mapping(text, &mapping, &error)) {
      io.err << "eligo reconcile: " << opts.get("mapping") << ": " << error << "\n";
      return 2;
    }
  }

  // ECharts is read before any work, so a missing install is said at once, not after a long run.
  dashboard::Echarts echarts;
  if (opts.has("html")) {
    if (opts.get("html").empty()) {
      io.err << "eligo reconcile: --html needs a file name\n";
      return 2;
    }
    if (!dashboard::load_echarts(&echarts, &error)) {
      io.err << "eligo reconcile: --html: " << error << "\n";
      return 2;
    }
  }

  payout::FilesRequest request;
  request.orders = opts.get("orders");
  request.bank = opts.get("bank");
  request.registry = opts.get("registry");
  request.exclusions = opts.get("exclude");
  request.mapping = mapping;
  request.options = options;
  request.out_dir = opts.get("out");
  request.write.workbook = !opts.has("no-workbook");
  if (opts.has("items")) {
    const std::string items = opts.get("items");
    if (items == "both") request.write.items = payout::ItemFiles::csv_and_jsonl;
    else if (items == "csv") request.write.items = payout::ItemFiles::csv;
    else if (items == "jsonl") request.write.items = payout::ItemFiles::jsonl;
    else {
      io.err << "eligo reconcile: --items must be both, csv or jsonl\n";
      return 2;
    }
  }
  ProgressBar orders_bar(io, "orders"), bank_bar(io, "bank  ");
  request.orders_progress = std::ref(orders_bar);
  request.bank_progress = std::ref(bank_bar);
  const std::string out_dir = opts.get("out"), html_path = opts.get("html");
  request.on_report = [&](const payout::Report& report, std::string* err) {
    dashboard::PayoutViewOptions view_options;
    view_options.source = base_name(request.orders) + " + " + base_name(request.bank);
    nlohmann::ordered_json view;
    if (!dashboard::write_dashboard_json(report, out_dir, view_options, &view, err)) return false;
    if (html_path.empty()) return true;
    if (!dashboard::write_file_atomically(html_path, dashboard::offline_page(view, echarts), err)) {
      *err = "--html: " + *err;
      return false;
    }
    return true;
  };
  payout::FilesResult result;
  if (!payout::reconcile_files(request, &result, &error)) {
    io.err << "eligo reconcile: " << error << "\n";
    return 2;
  }
  const payout::LoadStats &orders = result.orders, &bank = result.bank, &registry = result.registry,
                          &exclusions = result.exclusions;
  io.out << result.summary_text;
  io.out << "rows read: orders " << orders.rows << ", bank " << bank.rows;
  if (opts.has("registry")) io.out << ", registry " << registry.rows;
  if (opts.has("exclude")) io.out << ", exclusions " << exclusions.rows;
  io.out << "\nreport written to " << opts.get("out") << "\n";
  if (opts.has("html")) io.out << "dashboard page written to " << html_path << " (ECharts from " << echarts.path << ")\n";
  return 0;
}

}  // namespace eligo::cli
