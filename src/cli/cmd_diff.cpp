// eligo diff — the same population through two packs: who changes verdict, points or outputs (docs/admission.md).
#include <ostream>
#include <string>
#include <tuple>

#include "admission/table_out.hpp"
#include "cli/commands.hpp"
#include "eligo/admission.hpp"
#include "eligo/blacklist.hpp"
#include "eligo/pack.hpp"
#include "eligo/records.hpp"

namespace eligo::cli {
namespace {

constexpr const char* kHelp =
    "usage: eligo diff OLD_PACK NEW_PACK --input POPULATION (--as-of D | --old-as-of D --new-as-of D) [options]\n"
    "\n"
    "Evaluates every applicant with both packs (e.g. the 2018 and 2021 Guangzhou points tables: the last day\n"
    "of the old rules and the first of the new, --old-as-of 2021-11-15 --new-as-of 2021-11-16) and reports: how many change verdict (and from what to what), whose points go up or down, whose\n"
    "outputs change, the change per indicator, and the top movers. Each pack is a .pack.json file.\n"
    "\n"
    "options:\n"
    "  --input FILE        applicants: JSON Lines (one per line), a JSON array, CSV, xlsx, or an SQLite table as\n"
    "                      DB.sqlite:TABLE, read as eligo eval reads them (docs/data-in.md)\n"
    "  --input-format F    jsonl, json, csv, xlsx or sqlite (default: by the file's extension)\n"
    "  --encoding E        utf-8 (default) or gb18030 / gbk\n"
    "  --sheet NAME        xlsx: the sheet (default the first)\n"
    "  --group NAME        each row is a flat record of this input group (CSV rows default to the pack's record)\n"
    "  --unknown-fields P  error (default: the pack's), warn or ignore: keys a pack does not declare\n"
    "  --as-of DATE        evaluation date for both packs\n"
    "  --old-as-of DATE    for the old pack (default --as-of); each pack must be in force on its date\n"
    "  --new-as-of DATE    for the new pack (default --as-of)\n"
    "  --top N             movers listed (default 10)\n"
    "  --key PATH          input path naming each mover, e.g. applicant.id_number (masked 6+4 unless --clear-pii)\n"
    "  --json FILE         the diff as JSON\n"
    "  --xlsx FILE         the diff as a workbook: summary, indicators, movers\n"
    "  --blacklist FILE    credit blacklist for packs that check one\n"
    "  --clear-pii         show movers' keys in clear\n"
    "\n"
    "Rows read = applicants compared + rows rejected (unreadable, or an input a pack rejects as eligo eval\n"
    "does), printed on stderr at the end.\n"
    "exit status: 0 every row compared, 1 some rows rejected or with evaluation errors, 2 unusable packs or input,\n"
    "usage\n";

std::optional<Pack> load_pack(const std::string& path, Io& io) {
  CompileResult r = compile_file(path);
  if (!r.pack) {
    io.err << r.diagnostics.to_string();
    return std::nullopt;
  }
  return std::move(r.pack);
}

}  // namespace

int cmd_diff(const Args& args, Io& io) {
  Options opts;
  std::string error;
  if (!parse_options(args, {"input", "as-of", "old-as-of", "new-as-of", "top", "key", "json", "xlsx", "blacklist", "input-format",
                                 "encoding", "sheet", "group", "unknown-fields"}, {"clear-pii", "help"}, &opts,
                     &error)) {
    io.err << "eligo diff: " << error << "\n\n" << kHelp;
    return 2;
  }
  if (opts.has("help")) {
    io.out << kHelp;
    return 0;
  }
  if (opts.positional.size() != 2 || !opts.has("input") ||
      !(opts.has("as-of") || (opts.has("old-as-of") && opts.has("new-as-of")))) {
    io.err << "eligo diff: two packs, --input and --as-of (or --old-as-of and --new-as-of) are required\n\n" << kHelp;
    return 2;
  }
  admission::DiffOptions options;
  records::ReadOptions read_options;
  const auto old_as_of = Date::parse(opts.get("old-as-of", opts.get("as-of")));
  const auto new_as_of = Date::parse(opts.get("new-as-of", opts.get("as-of")));
  if (!old_as_of || !new_as_of) {
    io.err << "eligo diff: the dates must be YYYY-MM-DD\n";
    return 2;
  }
  options.old_as_of = *old_as_of;
  options.new_as_of = *new_as_of;
  {
    EvalOptions unused;  // --as-of is read below (each pack may have its own date)
    if (!parse_applicant_options(opts, "diff", io, &unused, &options.bind, &read_options)) return 2;
  }
  options.key = opts.get("key");
  options.clear_pii = opts.has("clear-pii");
  try {
    const long top = std::stol(opts.get("top", "10"));
    if (top < 0) throw std::invalid_argument("negative");
    options.top = static_cast<std::size_t>(top);
  } catch (const std::exception&) {
    io.err << "eligo diff: --top must be a whole number\n";
    return 2;
  }
  std::shared_ptr<const blacklist::Snapshot> snapshot;
  if (opts.has("blacklist")) {
    blacklist::Builder builder;
    const blacklist::LoadReport report = blacklist::load_file(opts.get("blacklist"), builder);
    if (!report.ok()) {
      io.err << "eligo diff: " << opts.get("blacklist") << ": " << report.error << "\n";
      return 2;
    }
    snapshot = builder.build();
    options.blacklist = snapshot.get();
  }
  const std::optional<Pack> old_pack = load_pack(opts.positional[0], io);
  const std::optional<Pack> new_pack = old_pack ? load_pack(opts.positional[1], io) : std::nullopt;
  if (!old_pack || !new_pack) return 2;
  for (const auto& [pack, day, which] : {std::tuple{&*old_pack, *old_as_of, "old"}, std::tuple{&*new_pack, *new_as_of, "new"}}) {
    if (!pack->in_force(day)) {
      io.err << "eligo diff: the " << which << " pack " << pack->id() << " " << pack->version() << " is not in force on "
             << day.to_string() << " (" << (pack->effective_from() ? pack->effective_from()->to_string() : "…") << ".."
             << (pack->effective_until() ? pack->effective_until()->to_string() : "…")
             << "); give each pack its own date with --old-as-of / --new-as-of\n";
      return 2;
    }
  }
  // Read as eligo eval reads (the one record reader), row by row: memory stays flat in the population.
  records::RecordReader reader;
  if (!reader.open(opts.get("input"), read_options, &error)) {
    io.err << "eligo diff: " << error << "\n";
    return 2;
  }
  std::optional<RowLayout> old_layout, new_layout;
  if (reader.tabular()) {
    for (auto [pack, layout] : {std::pair{&*old_pack, &old_layout}, std::pair{&*new_pack, &new_layout}}) {
      *layout = pack->layout(reader.header(), options.bind, &error);
      if (!*layout) {
        io.err << "eligo diff: " << reader.name() << " (" << pack->id() << " " << pack->version() << "): " << error << "\n";
        return 2;
      }
    }
    for (const auto& c : old_layout->ignored())
      io.err << "eligo diff: " << reader.name() << ": column '" << c << "' is not an input of the packs: ignored\n";
  }
  admission::Differ differ(*old_pack, *new_pack, options);
  Input old_in, new_in;
  std::uint64_t rows = 0, listed = 0;
  for (;;) {
    const records::Next n = reader.next();
    if (n == records::Next::end) break;
    if (n == records::Next::error) {
      io.err << "eligo diff: " << reader.error() << "\n";
      io.err << "eligo diff: stopped after " << rows << " rows; nothing written\n";
      return 2;
    }
    ++rows;
    if (n == records::Next::bad_row) {
      const std::string column =
          reader.problem_column() >= 0 ? "column '" + reader.header()[static_cast<std::size_t>(reader.problem_column())] + "': " : "";
      differ.reject(reader.line(), column + reader.problem());
      if (++listed <= 20)
        io.err << "eligo diff: " << reader.name() << ": line " << reader.line() << ": rejected: " << column << reader.problem() << "\n";
      continue;
    }
    std::string why;
    bool compared;
    if (old_layout) {
      old_pack->bind_row(*old_layout, reader.cells(), &old_in);
      new_pack->bind_row(*new_layout, reader.cells(), &new_in);
      compared = differ.add(reader.line(), old_in, new_in, &why);
    } else {
      compared = differ.add(reader.line(), reader.json(), &why);
    }
    if (!compared && ++listed <= 20)
      io.err << "eligo diff: " << reader.name() << ": line " << reader.line() << ": rejected: " << why << "\n";
  }
  const admission::DiffResult result = differ.finish();
  if (listed > 20) io.err << "eligo diff: … and " << (listed - 20) << " more rejected rows\n";
  io.err << "eligo diff: " << rows << (rows == 1 ? " row" : " rows") << " read: " << result.applicants << " compared, "
         << result.rejected << " rejected";
  if (reader.blank_lines()) io.err << "; " << reader.blank_lines() << " blank lines skipped";
  io.err << "\n";
  io.out << admission::diff_text(result);
  if (opts.has("json") && !admission::detail::write_text_file(opts.get("json"), admission::diff_json(result), &error)) {
    io.err << "eligo diff: " << error << "\n";
    return 2;
  }
  if (opts.has("xlsx") && !admission::write_diff_workbook(result, opts.get("xlsx"), &error)) {
    io.err << "eligo diff: " << error << "\n";
    return 2;
  }
  return result.rejected || result.old_errors || result.new_errors ? 1 : 0;
}

}  // namespace eligo::cli
