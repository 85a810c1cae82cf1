// eligo diff — the same population through two packs: who changes verdict, points or outputs (docs/admission.md).
#include <ostream>
#include <string>
#include <tuple>

#include "admission/table_out.hpp"
#include "cli/commands.hpp"
#include "eligo/admission.hpp"
#include "eligo/blacklist.hpp"
#include "eligo/pack.hpp"

namespace eligo::cli {
namespace {

constexpr const char* kHelp =
    "usage: eligo diff OLD_PACK NEW_PACK --input POPULATION.jsonl (--as-of D | --old-as-of D --new-as-of D) [options]\n"
    "\n"
    "Evaluates every applicant with both packs (e.g. the 2018 and 2021 Guangzhou points tables: the last day\n"
    "of the old rules and the first of the new, --old-as-of 2021-11-15 --new-as-of 2021-11-16) and reports: how many change verdict (and from what to what), whose points go up or down, whose\n"
    "outputs change, the change per indicator, and the top movers. Each pack is a .pack.json file.\n"
    "\n"
    "options:\n"
    "  --input FILE        applicants, one JSON object per line (the packs' input groups)\n"
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
    "exit status: 0 compared, 2 unusable packs or input, usage error\n";

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
  if (!parse_options(args, {"input", "as-of", "old-as-of", "new-as-of", "top", "key", "json", "xlsx", "blacklist"}, {"clear-pii", "help"}, &opts,
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
  const auto old_as_of = Date::parse(opts.get("old-as-of", opts.get("as-of")));
  const auto new_as_of = Date::parse(opts.get("new-as-of", opts.get("as-of")));
  if (!old_as_of || !new_as_of) {
    io.err << "eligo diff: the dates must be YYYY-MM-DD\n";
    return 2;
  }
  options.old_as_of = *old_as_of;
  options.new_as_of = *new_as_of;
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
  // JSON Lines, as eligo eval reads them (moves to the common record reader of src/records/ with eval).
  std::string text;
  if (!read_text(opts.get("input"), io, &text, &error)) {
    io.err << "eligo diff: " << error << "\n";
    return 2;
  }
  admission::Differ differ(*old_pack, *new_pack, options);
  std::size_t pos = 0;
  std::uint64_t line = 1;
  while (pos < text.size()) {
    std::size_t e = text.find('\n', pos);
    if (e == std::string::npos) e = text.size();
    const std::string_view l(text.data() + pos, e - pos);
    if (l.find_first_not_of(" \t\r") != std::string_view::npos) differ.add(line, l);
    pos = e + 1;
    ++line;
  }
  const admission::DiffResult result = differ.finish();
  io.out << admission::diff_text(result);
  if (opts.has("json") && !admission::detail::write_text_file(opts.get("json"), admission::diff_json(result), &error)) {
    io.err << "eligo diff: " << error << "\n";
    return 2;
  }
  if (opts.has("xlsx") && !admission::write_diff_workbook(result, opts.get("xlsx"), &error)) {
    io.err << "eligo diff: " << error << "\n";
    return 2;
  }
  return 0;
}

}  // namespace eligo::cli
