// eligo batch PACK --input FILE… --out FILE|DIR — a whole population through a pack (batch::run): results,
// rejected rows, a summary (text on stderr, JSON, a sheet) and payout orders; a progress bar on a terminal.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <ostream>

#include "cli/commands.hpp"
#include "eligo/batch.hpp"
#include "eligo/blacklist.hpp"

namespace eligo::cli {

namespace {
constexpr const char* kUsage =
    "usage: eligo batch PACK --input FILE [--input FILE…] --out FILE|DIR [options]\n"
    "  PACK                 a .pack.json file or a folder of versions of one pack (as_of chooses)\n"
    "  --input FILE         applicants: CSV, JSON Lines, a JSON array, xlsx, an SQLite table as DB.sqlite:TABLE\n"
    "                       (docs/data-in.md); repeat for more\n"
    "  --join NAME=FILE:KEY a related table (CSV, JSON Lines, xlsx, db.sqlite:table) whose rows with KEY equal to\n"
    "                       the record's key (IDs normalised) become the list NAME, e.g.\n"
    "                       --join medical_insurance.stays=stays.csv:id_number; repeat for more\n"
    "  --out FILE|DIR       a folder (results, rejected, summary.json, summary.txt) or a results file\n"
    "                       (.csv, .jsonl or .xlsx; rejected rows beside it, or a sheet of the workbook)\n"
    "  --format F           csv (default), jsonl or xlsx: the results in a folder\n"
    "  --input-format F     jsonl, json, csv, xlsx or sqlite (default: by the file's extension)\n"
    "  --encoding E         utf-8 (default) or gb18030 / gbk\n"
    "  --sheet NAME         xlsx input: the sheet (default the first)\n"
    "  --group NAME         each row is a flat record of this input group (default: the pack's record)\n"
    "  --unknown-fields P   error (default: the pack's), warn or ignore\n"
    "  --as-of DATE         the date the policy is applied on (default today, UTC+8)\n"
    "  --lang L             zh-CN (default) or en, for reasons and the summary\n"
    "  --mode M             first_failure or all (default: the pack's)\n"
    "  --key PATH           the field naming the person (default: the record's cn_id field)\n"
    "  --clear-pii          IDs, names, cards and mobiles unmasked in results, reasons and messages\n"
    "  --id-hash-key-env V  the key column is keyed_id_hash(key, ID) with the key in environment variable V\n"
    "  --only VERDICT       write only results of this verdict (eligible, ineligible, needs_evidence, error)\n"
    "  --by COLUMN          summary per value of this column (or field path), e.g. community\n"
    "  --duplicates P       hold (default: every row of an ID seen twice is held back from payout),\n"
    "                       first (the first row is paid) or off\n"
    "  --threads N          workers (default: all cores)\n"
    "  --summary FILE       also write the summary JSON here\n"
    "  --progress P         auto (default: a bar on a terminal, a line per 10% otherwise), bar, lines or off\n"
    "  --blacklist FILE     a credit blacklist for blacklisted(); --blacklist-db DB from an SQLite store\n"
    "payout orders (the file `eligo reconcile` reads; it holds IDs and names in clear, mode 0600):\n"
    "  --payout-orders FILE --amount OUTPUT --policy ID --period P [--created DATE]\n"
    "  [--payee-name PATH] [--account PATH] [--community COLUMN]\n"
    "exit: 0 every row decided, 1 some rows rejected, not decided (verdict error) or with data errors, 2 usage\n"
    "or I/O (nothing written)\n";

// A bar on a terminal; a line per 10 % otherwise (or per million rows when the size is unknown).
class ProgressView {
 public:
  ProgressView(std::string mode, std::ostream& lines) : mode_(std::move(mode)), lines_(lines) {}
  void operator()(const batch::Progress& p) {
    if (mode_ == "off") return;
    const double rate = p.seconds > 0 ? p.rows / p.seconds : 0;
    const double frac = p.total_bytes ? std::min(1.0, double(p.bytes) / double(p.total_bytes)) : 0;
    if (mode_ == "bar") {
      char buf[160];
      const int filled = static_cast<int>(frac * 30);
      std::string bar(static_cast<std::size_t>(filled), '#');
      bar.resize(30, '.');
      const double eta = frac > 0 && !p.done ? p.seconds * (1 - frac) / frac : 0;
      std::snprintf(buf, sizeof buf, "\r[%s] %3d%%  %llu rows  %.0f rows/s  ETA %d:%02d ", bar.c_str(),
                    static_cast<int>(frac * 100), static_cast<unsigned long long>(p.rows), rate,
                    static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
      std::cerr << buf;  // not through the masking line buffer: no PII here, and the bar has no newline
      if (p.done) std::cerr << "\n";
      std::cerr.flush();
      return;
    }
    // Steps 1..9 while running (the last chunk of a file may read to its end early), 10 once done.
    int step = p.total_bytes ? std::min(9, static_cast<int>(frac * 10)) : static_cast<int>(p.rows / 1000000);
    if (p.done) step = p.total_bytes ? 10 : step + 1;
    if (step <= last_) return;
    last_ = step;
    lines_ << "eligo batch: ";
    if (p.total_bytes) lines_ << step * 10 << "%, ";
    else if (p.done) lines_ << "done, ";
    lines_ << p.rows << " rows, " << static_cast<long long>(rate) << " rows/s\n";
    lines_.flush();
  }

 private:
  std::string mode_;
  std::ostream& lines_;
  int last_ = 0;
};

}  // namespace

int cmd_batch(const Args& args, Io& io) {
  Options opt;
  std::string error;
  std::vector<std::string> with_value = {"input", "join", "out", "format", "key", "id-hash-key-env", "only", "by", "duplicates",
                                         "threads", "summary", "progress", "blacklist", "blacklist-db", "payout-orders",
                                         "amount", "policy", "period", "created", "payee-name", "account", "community"};
  with_value.insert(with_value.end(), kApplicantOptions.begin(), kApplicantOptions.end());
  if (!parse_options(args, with_value, {"clear-pii", "help"}, &opt, &error) || opt.has("help")) {
    if (!error.empty()) io.err << "eligo batch: " << error << "\n";
    (opt.has("help") ? io.out : io.err) << kUsage;
    return opt.has("help") ? 0 : 2;
  }
  if (opt.positional.size() != 1 || !opt.has("input") || !opt.has("out")) {
    io.err << "eligo batch: give one PACK, --input FILE and --out FILE|DIR\n" << kUsage;
    return 2;
  }
  batch::Options bo;
  if (!parse_applicant_options(opt, "batch", io, &bo.eval, &bo.bind, &bo.read)) return 2;
  if (!bo.eval.as_of) bo.eval.as_of = today_cst();
  bo.inputs = opt.all("input");
  bo.joins = opt.all("join");
  bo.out = opt.get("out");
  bo.format = opt.get("format");
  bo.key = opt.get("key");
  bo.clear_pii = opt.has("clear-pii");
  bo.by = opt.get("by");
  bo.summary_json = opt.get("summary");
  if (opt.has("id-hash-key-env")) {
    const char* key = std::getenv(opt.get("id-hash-key-env").c_str());
    if (!key || !*key) {
      io.err << "eligo batch: environment variable " << opt.get("id-hash-key-env") << " is not set or empty\n";
      return 2;
    }
    bo.id_hash_key = key;
  }
  if (opt.has("only")) {
    const std::string v = opt.get("only");
    bool found = false;
    for (int i = 0; i < 4; ++i)
      if (v == verdict_name(static_cast<Verdict>(i))) {
        bo.only = static_cast<Verdict>(i);
        found = true;
      }
    if (!found) {
      io.err << "eligo batch: --only is eligible, ineligible, needs_evidence or error\n";
      return 2;
    }
  }
  const std::string dup = opt.get("duplicates", "hold");
  if (dup == "hold") bo.duplicates = batch::Duplicates::hold;
  else if (dup == "first") bo.duplicates = batch::Duplicates::first;
  else if (dup == "off") bo.duplicates = batch::Duplicates::off;
  else {
    io.err << "eligo batch: --duplicates is hold, first or off\n";
    return 2;
  }
  if (opt.has("threads")) {
    const int n = std::atoi(opt.get("threads").c_str());
    if (n < 1 || n > 256) {
      io.err << "eligo batch: --threads is a number from 1 to 256\n";
      return 2;
    }
    bo.threads = static_cast<unsigned>(n);
  }
  if (opt.has("payout-orders")) {
    bo.payout.path = opt.get("payout-orders");
    bo.payout.amount = opt.get("amount");
    bo.payout.policy = opt.get("policy");
    bo.payout.period = opt.get("period");
    bo.payout.name = opt.get("payee-name");
    bo.payout.account = opt.get("account");
    bo.payout.community = opt.get("community");
    if (opt.has("created")) {
      bo.payout.created = Date::parse(opt.get("created"));
      if (!bo.payout.created) {
        io.err << "eligo batch: --created '" << opt.get("created") << "' is not a date (YYYY-MM-DD)\n";
        return 2;
      }
    }
  } else {
    for (const char* o : {"amount", "policy", "period", "created", "payee-name", "account", "community"})
      if (opt.has(o)) {
        io.err << "eligo batch: --" << o << " belongs to --payout-orders\n";
        return 2;
      }
  }
  std::string progress = opt.get("progress", "auto");
  if (progress == "auto") progress = io.err_is_terminal ? "bar" : "lines";
  if (progress != "bar" && progress != "lines" && progress != "off") {
    io.err << "eligo batch: --progress is auto, bar, lines or off\n";
    return 2;
  }
  ProgressView view(progress, io.err);
  bo.progress = [&view](const batch::Progress& p) { view(p); };

  std::shared_ptr<const blacklist::Snapshot> snapshot;
  if (!load_blacklist_option(opt, "batch", io, &snapshot)) return 2;
  bo.eval.blacklist = snapshot.get();
  PackSet set;
  const Pack* pack = load_one_pack(opt.positional[0], *bo.eval.as_of, "batch", io, &set);
  if (!pack) return 2;

  batch::Summary s;
  if (!batch::run(*pack, bo, &s, &error)) {
    io.err << "eligo batch: " << error << "\n";
    io.err << "eligo batch: stopped; no output written\n";
    return 2;
  }
  io.err << s.to_text(bo.eval.lang);
  for (const auto& f : s.files) io.err << "eligo batch: wrote " << f << "\n";
  return s.rejected || s.with_data_errors || s.all.verdicts[static_cast<int>(Verdict::error)] ? 1 : 0;
}

}  // namespace eligo::cli
