// eligo compare — automatic comparison (自动比对审核): declared values against source data, per applicant and
// per department, with the departments' to-do lists (docs/admission.md#compare).
#include <ostream>
#include <set>
#include <string>

#include "admission/table_in.hpp"
#include "cli/commands.hpp"
#include "eligo/admission.hpp"

namespace eligo::cli {
namespace {

constexpr const char* kHelp =
    "usage: eligo compare PACK --declared APPLICANTS --source SOURCE --as-of DATE --out DIR [options]\n"
    "\n"
    "Compares what each applicant declared (JSON Lines or JSON, the groups eligo eval reads) with the source\n"
    "data (CSV, JSON Lines, xlsx or SQLite: one row per applicant) as the pack's `compare` section says:\n"
    "equal, name (after normalisation), date (within N days), number (within a tolerance), period (covered).\n"
    "Writes DIR/compare.csv (applicant × item: verdict, both values masked where PII, the points from the\n"
    "declared and from the source value), DIR/applicants.csv, DIR/departments.csv, DIR/rejected.csv and the\n"
    "to-do list (待办) of each department, DIR/todo/<department>.csv, which eligo review export reads.\n"
    "\n"
    "options:\n"
    "  --declared FILE       the applicants as declared (JSON Lines / JSON)\n"
    "  --source FILE         the source data, with the compare section's source_key and source columns\n"
    "  --as-of DATE          evaluation date of the pack, and the end of open periods (YYYY-MM-DD)\n"
    "  --out DIR             the reports (files replaced atomically)\n"
    "  --input-format F      of SOURCE: auto | csv | jsonl | json | xlsx | sqlite (default auto)\n"
    "  --encoding E          of a CSV / JSON Lines SOURCE: utf-8 (default) or gb18030\n"
    "  --sheet NAME          xlsx SOURCE: the sheet (default the first)\n"
    "  --clear-pii           keys and PII values in clear in the reports (the to-do lists keep keys in clear)\n"
    "\n"
    "exit status: 0 compared (rejected rows are listed), 2 unusable pack, input or usage\n";

}  // namespace

int cmd_compare(const Args& args, Io& io) {
  Options opts;
  std::string error;
  if (!parse_options(args, {"declared", "source", "as-of", "out", "input-format", "encoding", "sheet"},
                     {"clear-pii", "help"}, &opts, &error)) {
    io.err << "eligo compare: " << error << "\n\n" << kHelp;
    return 2;
  }
  if (opts.has("help")) {
    io.out << kHelp;
    return 0;
  }
  if (opts.positional.size() != 1 || !opts.has("declared") || !opts.has("source") || !opts.has("as-of") ||
      !opts.has("out")) {
    io.err << "eligo compare: PACK, --declared, --source, --as-of and --out are required\n\n" << kHelp;
    return 2;
  }
  const auto as_of = Date::parse(opts.get("as-of"));
  if (!as_of) {
    io.err << "eligo compare: --as-of must be a date YYYY-MM-DD\n";
    return 2;
  }
  PackSet set;
  const Pack* pack = load_one_pack(opts.positional[0], *as_of, "compare", io, &set);
  if (!pack) return 2;
  std::string pack_text;
  if (!read_text(pack->file(), io, &pack_text, &error)) {
    io.err << "eligo compare: " << error << "\n";
    return 2;
  }
  admission::CompareSpec spec;
  if (!admission::parse_compare_spec(pack_text, pack->file(), &spec, &error, pack)) {
    io.err << "eligo compare: " << error << "\n";
    return 2;
  }
  std::vector<std::string> columns = {spec.source_key};
  std::set<std::string> seen = {spec.source_key};
  for (const auto& item : spec.items)
    for (const auto& c : item.source)
      if (seen.insert(c).second) columns.push_back(c);
  admission::detail::ReadOptions read;
  read.format = opts.get("input-format", "auto");
  read.encoding = opts.get("encoding", "utf-8");
  read.sheet = opts.get("sheet");
  admission::Table source;
  std::vector<admission::Rejection> source_bad;
  // Source columns may be absent from a row's record (JSON) or empty: that is "missing in source".
  if (!admission::detail::read_table(opts.get("source"), read, columns, &source, &source_bad, &error,
                                     std::vector<bool>(columns.size(), true))) {
    io.err << "eligo compare: " << error << "\n";
    return 2;
  }
  const std::size_t source_rows = source.rows.size();
  // Rows are written as they come (compare.csv holds applicants × items): only the source table is held.
  admission::CompareOptions co;
  co.as_of = *as_of;
  co.clear_pii = opts.has("clear-pii");
  co.keep_rows = false;
  admission::Comparer comparer(spec, pack, std::move(source), co);
  records::RecordReader reader;
  if (!reader.open(opts.get("declared"), {}, &error)) {
    io.err << "eligo compare: " << error << "\n";
    return 2;
  }
  if (reader.tabular()) {
    io.err << "eligo compare: " << opts.get("declared")
           << ": the declared applicants must be JSON Lines or JSON (the groups of the pack's inputs, as eligo eval reads)\n";
    return 2;
  }
  admission::CompareWriter writer;
  if (!writer.open(opts.get("out"), comparer.departments(), opts.has("clear-pii"), &error)) {
    io.err << "eligo compare: " << error << "\n";
    return 2;
  }
  std::uint64_t rows = 0;
  for (;;) {
    const records::Next next = reader.next();
    if (next == records::Next::end) break;
    if (next == records::Next::error) {
      io.err << "eligo compare: " << reader.error() << "\n";
      return 2;
    }
    ++rows;
    if (next == records::Next::bad_row) {
      comparer.reject({reader.line(), "", reader.problem()});
      continue;
    }
    comparer.add(reader.line(), reader.json());
    writer.add(comparer.last_rows());
  }
  admission::CompareResult result = comparer.finish();
  result.source_rejected.insert(result.source_rejected.end(), source_bad.begin(), source_bad.end());
  if (!writer.finish(result, &error)) {
    io.err << "eligo compare: " << error << "\n";
    return 2;
  }
  admission::CompareCounts total;
  for (const auto& [name, c] : result.departments) {
    total.items += c.items, total.matched += c.matched, total.mismatched += c.mismatched;
    total.missing_source += c.missing_source, total.missing_declared += c.missing_declared;
  }
  io.out << "eligo compare: " << rows << " rows: " << result.applicants << " compared, " << result.rejected.size()
         << " rejected; source " << source_rows + source_bad.size() << " rows, " << result.source_rejected.size()
         << " not used\n"
         << "  " << total.items << " items: " << total.matched << " matched, " << total.mismatched << " mismatched, "
         << total.missing_source << " missing in source, " << total.missing_declared << " missing declared\n";
  for (const auto& [name, c] : result.departments)
    io.out << "  " << name << ": " << c.items << " items, " << c.matched << " matched, " << c.mismatched
           << " mismatched, " << c.missing_source << " missing in source, " << c.missing_declared
           << " missing declared → 待办 " << c.mismatched + c.missing_source + c.missing_declared << "\n";
  io.out << "  reports in " << opts.get("out") << " (compare.csv, applicants.csv, departments.csv, todo/)\n";
  for (const auto& r : result.rejected)
    io.err << "eligo compare: " << opts.get("declared") << ", rejected row " << r.row
           << (r.column.empty() ? "" : " (" + r.column + ")") << ": " << r.reason << "\n";
  for (const auto& r : result.source_rejected)
    io.err << "eligo compare: " << opts.get("source") << ", row " << r.row
           << (r.column.empty() ? "" : " (" + r.column + ")") << ": " << r.reason << "\n";
  return 0;
}

}  // namespace eligo::cli
