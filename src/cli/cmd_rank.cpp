// eligo rank — school places by points: rank, allocate over preferences, say why (docs/admission.md).
#include <algorithm>
#include <ostream>
#include <set>
#include <string>

#include "admission/table_in.hpp"
#include "cli/commands.hpp"
#include "eligo/admission.hpp"

namespace eligo::cli {
namespace {

constexpr const char* kHelp =
    "usage: eligo rank --spec SPEC.json --input APPLICANTS --out PLACEMENTS [options]\n"
    "\n"
    "Ranks applicants by the spec's order (points, then tie-breaks, then the lottery: SHA-256 of\n"
    "seed|key, ascending), gives each the highest preference (志愿) with a place left, and writes for each\n"
    "applicant the place or none, rank, points and the deciding reason; per school the cut-off, the ties at\n"
    "the line and how they were settled. The same input and seed give byte-identical files.\n"
    "Input: CSV, JSON Lines or xlsx (by extension, or --input-format). Output: CSV, JSON Lines or xlsx (by the\n"
    "extension of --out, or --format); an xlsx holds placements, schools and rejected rows.\n"
    "\n"
    "options:\n"
    "  --spec FILE            allocation spec (JSON, version 1; docs/admission.md)\n"
    "  --input FILE           applicants with the key, points, tie-break and preferences columns\n"
    "  --out FILE             placements (.csv, .jsonl or .xlsx; replaced atomically)\n"
    "  --schools FILE         per-school results (.csv, .jsonl or .xlsx); printed as text when not given\n"
    "  --rejected FILE        rows that could not be ranked (.csv or .jsonl); always listed on stderr too\n"
    "  --format F             csv | jsonl | xlsx for --out (default: its extension)\n"
    "  --input-format F       auto | csv | jsonl | xlsx (default auto)\n"
    "  --encoding E           of CSV / JSON Lines input: utf-8 (default) or gb18030\n"
    "  --sheet NAME           xlsx input: the sheet (default the first)\n"
    "  --clear-pii            rank keys that are ID numbers (refused by default: the placements are published,\n"
    "                         and each key's lottery value would give its number away)\n"
    "\n"
    "exit status: 0 ranked (rejected rows are listed), 2 unusable input (keys that are ID numbers included) or\n"
    "usage error\n";

std::string pad(const std::string& s, std::size_t width) {
  std::size_t cols = 0;
  for (unsigned char c : s) cols += (c & 0xC0) != 0x80 ? 1 : 0;
  return s + std::string(cols < width ? width - cols : 1, ' ');
}

}  // namespace

int cmd_rank(const Args& args, Io& io) {
  Options opts;
  std::string error;
  if (!parse_options(args, {"spec", "input", "out", "schools", "rejected", "format", "input-format", "encoding", "sheet"},
                     {"help", "clear-pii"}, &opts, &error)) {
    io.err << "eligo rank: " << error << "\n\n" << kHelp;
    return 2;
  }
  if (opts.has("help")) {
    io.out << kHelp;
    return 0;
  }
  if (!opts.positional.empty() || !opts.has("spec") || !opts.has("input") || !opts.has("out")) {
    io.err << "eligo rank: --spec, --input and --out are required\n\n" << kHelp;
    return 2;
  }
  std::string spec_text;
  if (!read_text(opts.get("spec"), io, &spec_text, &error)) {
    io.err << "eligo rank: " << error << "\n";
    return 2;
  }
  admission::RankSpec spec;
  if (!admission::parse_rank_spec(spec_text, opts.get("spec"), &spec, &error)) {
    io.err << "eligo rank: " << error << "\n";
    return 2;
  }
  const std::string out = opts.get("out");
  const std::string format = opts.get("format", admission::detail::format_of(out));
  if (format != "csv" && format != "jsonl" && format != "xlsx") {
    io.err << "eligo rank: cannot tell the output format of '" << out << "' (use .csv, .jsonl or .xlsx, or --format)\n";
    return 2;
  }
  const std::vector<std::string> columns = admission::rank_columns(spec);
  admission::detail::ReadOptions read;
  read.format = opts.get("input-format", "auto");
  read.encoding = opts.get("encoding", "utf-8");
  read.sheet = opts.get("sheet");
  admission::Table table;
  std::vector<admission::Rejection> unreadable;
  if (!admission::detail::read_table(opts.get("input"), read, columns, &table, &unreadable, &error)) {
    io.err << "eligo rank: " << error << "\n";
    return 2;
  }
  admission::RankOptions rank_options;
  rank_options.allow_id_number_keys = opts.has("clear-pii");
  admission::RankResult result = admission::rank(spec, table, rank_options);
  if (!result.ok) {
    io.err << "eligo rank: " << opts.get("input") << ": " << result.error << "\n";
    return 2;
  }
  result.rejections.insert(result.rejections.end(), unreadable.begin(), unreadable.end());
  std::stable_sort(result.rejections.begin(), result.rejections.end(),
                   [](const admission::Rejection& a, const admission::Rejection& b) { return a.row < b.row; });
  if (!admission::write_placements(result, format, out, &error)) {
    io.err << "eligo rank: " << error << "\n";
    return 2;
  }
  if (opts.has("schools")) {
    const std::string path = opts.get("schools");
    const std::string f = admission::detail::format_of(path);
    if (f.empty() || !admission::write_schools(result, f, path, &error)) {
      io.err << "eligo rank: " << (f.empty() ? "cannot tell the format of '" + path + "'" : error) << "\n";
      return 2;
    }
  }
  if (opts.has("rejected")) {
    const std::string path = opts.get("rejected");
    if (!admission::write_rejections(result, admission::detail::format_of(path), path, &error)) {
      io.err << "eligo rank: " << error << "\n";
      return 2;
    }
  }
  const std::uint64_t rows = result.placements.size() + result.rejections.size();
  std::int64_t places = 0;
  for (const auto& s : result.schools) places += s.places;
  io.out << "eligo rank: " << rows << " rows: " << result.placements.size() << " ranked, " << result.rejections.size()
         << " rejected; " << result.placed << " placed (" << places << " places); seed " << spec.seed << "\n";
  if (!opts.has("schools")) {
    io.out << pad("school", 10) << pad("places", 8) << pad("admitted", 10) << pad("cut-off", 9)
           << pad("tied at line (in/out)", 23) << "settled\n";
    for (const auto& s : result.schools)
      io.out << pad(s.id, 10) << pad(std::to_string(s.places), 8) << pad(std::to_string(s.admitted), 10)
             << pad(s.cutoff.empty() ? "-" : s.cutoff, 9)
             << pad(std::to_string(s.tied_admitted) + "/" + std::to_string(s.tied_refused), 23) << s.settled_en << "\n";
  }
  for (const auto& r : result.rejections)
    io.err << "eligo rank: rejected row " << r.row << (r.column.empty() ? "" : " (" + r.column + ")") << ": " << r.reason << "\n";
  return 0;
}

}  // namespace eligo::cli
