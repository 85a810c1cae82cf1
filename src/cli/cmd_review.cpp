// eligo review — the review round-trip (批量审核): department workbooks out, edited workbooks back in
// (docs/review.md).
#include <ctime>
#include <ostream>
#include <string>

#include "admission/table_in.hpp"
#include "cli/commands.hpp"
#include "core/utc_clock.hpp"
#include "eligo/admission.hpp"

namespace eligo::cli {
namespace {

constexpr const char* kHelp =
    "usage: eligo review export --items ITEMS --out DIR [options]\n"
    "       eligo review import --export DIR --scores SCORES --reviewer NAME --out FINAL --log LOG WORKBOOK...\n"
    "\n"
    "export: writes DIR/review-<n>.xlsx per department (key and item columns locked; the decision column takes\n"
    "通过 / 不通过 / 退回; a comment column; the export id in a hidden sheet) and DIR/review-export.json.\n"
    "ITEMS (CSV, JSON Lines, xlsx; e.g. the to-do lists of eligo compare) has the columns key, item,\n"
    "department, points and optionally label, declared, source.\n"
    "import: reads the edited workbooks back (all or nothing: every problem is listed with its workbook, row\n"
    "and column, and nothing is written when there is one), removes the points of items a department refused\n"
    "(不通过) from each applicant's total in SCORES, and writes the final scores and the import log.\n"
    "\n"
    "options:\n"
    "  --items FILE          export: the items to review\n"
    "  --out DIR|FILE        export: the folder; import: the final scores (.csv, .jsonl or .xlsx)\n"
    "  --export DIR          import: the folder of the export the workbooks answer (its review-export.json)\n"
    "  --scores FILE         import: scored applicants (eligo batch results) with the key and total columns\n"
    "  --key-column NAME     import: the key column of SCORES (default key)\n"
    "  --total-column NAME   import: the total column of SCORES (default total)\n"
    "  --reviewer NAME       import: who imports (written in the log)\n"
    "  --at TIME             import: when, for the log (default now, UTC, ISO 8601)\n"
    "  --log FILE            import: the import log (.csv, .jsonl or .xlsx)\n"
    "  --input-format F      of ITEMS / SCORES: auto | csv | jsonl | json | xlsx | sqlite (default auto)\n"
    "  --encoding E          of CSV / JSON Lines input: utf-8 (default) or gb18030\n"
    "  --sheet NAME          xlsx ITEMS / SCORES: the sheet (default the first)\n"
    "  --clear-pii           keys in clear in messages, the log and the final scores (masked 6+4 by default)\n"
    "\n"
    "exit status: 0 done, 1 rows rejected or workbooks refused (nothing written), 2 unusable input or usage\n";

admission::detail::ReadOptions read_options(const Options& opts) {
  admission::detail::ReadOptions read;
  read.format = opts.get("input-format", "auto");
  read.encoding = opts.get("encoding", "utf-8");
  read.sheet = opts.get("sheet");
  return read;
}

int review_export(const Options& opts, Io& io, std::ostream& err) {
  if (!opts.has("items") || !opts.has("out") || !opts.positional.empty()) {
    err << "eligo review export: --items and --out are required\n\n" << kHelp;
    return 2;
  }
  const std::vector<std::string> columns = {"key", "item", "department", "points", "label", "declared", "source"};
  admission::Table table;
  std::vector<admission::Rejection> bad;
  std::string error;
  if (!admission::detail::read_table(opts.get("items"), read_options(opts), columns, &table, &bad, &error,
                                     {false, false, false, false, true, true, true})) {
    err << "eligo review export: " << error << "\n";
    return 2;
  }
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    for (std::size_t c = 0; c < 4; ++c)
      if (row[c].empty()) bad.push_back({table.row_numbers[r], columns[c], "empty"});
    if (!row[3].empty() && !Decimal::parse(row[3]))
      bad.push_back({table.row_numbers[r], "points", "'" + row[3] + "' is not a decimal number"});
  }
  const std::size_t rows = table.rows.size();
  if (!bad.empty()) {
    for (const auto& b : bad)
      err << "eligo review export: " << opts.get("items") << ", row " << b.row
          << (b.column.empty() ? "" : ", column " + b.column) << ": " << b.reason << "\n";
    err << "eligo review export: " << bad.size() << " problem(s) in " << opts.get("items")
        << "; nothing written (a review export holds every item or none)\n";
    return 1;
  }
  std::vector<admission::ReviewItem> items;
  for (const auto& row : table.rows) items.push_back({row[0], row[1], row[4], row[2], row[3], row[5], row[6]});
  std::vector<admission::ReviewExport> files;
  if (!admission::export_review(items, opts.get("out"), &files, &error)) {
    err << "eligo review export: " << opts.get("items") << ": " << error << "\n";
    return 2;
  }
  io.out << "eligo review export: " << rows << " rows: " << items.size() << " items, 0 rejected; " << files.size()
         << " workbook(s) in " << opts.get("out") << "\n";
  for (const auto& f : files)
    io.out << "  " << f.file << "  " << f.department << "  " << f.items << " items  export " << f.export_id << "\n";
  return 0;
}

int review_import(const Options& opts, Io& io, std::ostream& err) {
  for (const char* o : {"export", "scores", "reviewer", "out", "log"})
    if (!opts.has(o)) {
      err << "eligo review import: --" << o << " is required\n\n" << kHelp;
      return 2;
    }
  if (opts.positional.empty()) {
    err << "eligo review import: name at least one edited workbook\n\n" << kHelp;
    return 2;
  }
  const std::string out = opts.get("out"), log = opts.get("log");
  const std::string out_format = admission::detail::format_of(out), log_format = admission::detail::format_of(log);
  if (out_format.empty() || log_format.empty()) {
    err << "eligo review import: cannot tell the format of '" << (out_format.empty() ? out : log)
        << "' (use .csv, .jsonl or .xlsx)\n";
    return 2;
  }
  const bool clear = opts.has("clear-pii");
  admission::ReviewImport imported = admission::import_review(opts.get("export"), opts.positional, {clear});
  const std::string key_column = opts.get("key-column", "key"), total_column = opts.get("total-column", "total");
  admission::Table scores;
  std::vector<admission::Rejection> bad;
  std::string error;
  if (!admission::detail::read_table(opts.get("scores"), read_options(opts), {key_column, total_column}, &scores, &bad,
                                     &error)) {
    err << "eligo review import: " << error << "\n";
    return 2;
  }
  admission::ReviewApplied applied =
      admission::apply_review(imported, scores, key_column, total_column, {opts.get("reviewer"), opts.get("at", eligo::detail::utc_now_text()), clear});
  std::vector<admission::ReviewProblem> problems = applied.problems;
  for (auto& p : problems)
    if (p.workbook == "scores") p.workbook = opts.get("scores");
  for (const auto& b : bad) problems.push_back({opts.get("scores"), b.row, b.column, b.reason});
  if (!problems.empty()) {
    for (const auto& p : problems) err << "eligo review import: " << admission::to_string(p) << "\n";
    err << "eligo review import: " << problems.size()
        << " problem(s); nothing applied, nothing written (fix the workbooks and import them all again)\n";
    return 1;
  }
  // The log accumulates: the entries of earlier imports in --log are read back (before anything is written)
  // and kept before this import's.
  std::vector<admission::ReviewLogEntry> earlier;
  if (!admission::read_review_log(log, &earlier, &error)) {
    err << "eligo review import: " << error << "\nnothing applied, nothing written\n";
    return 2;
  }
  std::size_t pass = 0, refuse = 0, back = 0, changed = 0;
  for (const auto& e : applied.log)
    (e.decision == admission::kDecisionPass ? pass : e.decision == admission::kDecisionRefuse ? refuse : back) += 1;
  const std::size_t logged = applied.log.size();
  applied.log.insert(applied.log.begin(), earlier.begin(), earlier.end());
  if (!admission::write_review_scores(applied, clear, out_format, out, &error) ||
      !admission::write_review_log(applied, log_format, log, &error)) {
    err << "eligo review import: " << error << "\n";
    return 2;
  }
  for (const auto& s : applied.scores) changed += s.removed.is_zero() ? 0 : 1;
  io.out << "eligo review import: " << opts.positional.size() << " workbook(s), "
         << imported.decided + imported.pending << " rows: " << imported.decided << " decided (" << pass << " 通过, "
         << refuse << " 不通过, " << back << " 退回), " << imported.pending << " pending; " << scores.rows.size()
         << " scores, " << changed << " lowered; by " << opts.get("reviewer") << " at " << opts.get("at", "now")
         << "\n  final scores → " << out << "\n  import log → " << log << " (" << logged << " entries added"
         << (earlier.empty() ? "" : " to the " + std::to_string(earlier.size()) + " of earlier imports") << ")\n";
  return 0;
}

}  // namespace

int cmd_review(const Args& args, Io& io) {
  Options opts;
  std::string error;
  if (!parse_options(args,
                     {"items", "out", "export", "scores", "key-column", "total-column", "reviewer", "at", "log",
                      "input-format", "encoding", "sheet"},
                     {"clear-pii", "help"}, &opts, &error)) {
    io.err << "eligo review: " << error << "\n\n" << kHelp;
    return 2;
  }
  if (opts.has("help")) {
    io.out << kHelp;
    return 0;
  }
  std::ostream& err = io.err;  // masked by main unless --clear-pii
  const std::string sub = opts.positional.empty() ? "" : opts.positional.front();
  if (!opts.positional.empty()) opts.positional.erase(opts.positional.begin());
  if (sub == "export") return review_export(opts, io, err);
  if (sub == "import") return review_import(opts, io, err);
  io.err << "eligo review: say export or import\n\n" << kHelp;
  return 2;
}

}  // namespace eligo::cli
