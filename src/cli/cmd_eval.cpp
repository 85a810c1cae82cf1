// eligo eval PACK --input FILE — evaluates each applicant of a file (JSON Lines, a JSON array or object, CSV,
// xlsx), streamed row by row through the common reader, and prints the decisions as text for people or as
// JSON Lines for programs. Every row gets one result; rows in = decided + rejected, printed at the end.
#include <cstdlib>
#include <memory>
#include <ostream>

#include "cli/commands.hpp"
#include "core/text_out.hpp"
#include "eligo/audit.hpp"
#include "eligo/blacklist.hpp"
#include "eligo/identity.hpp"
#include "eligo/pack.hpp"
#include "eligo/records.hpp"

namespace eligo::cli {

namespace {
constexpr const char* kUsage =
    "usage: eligo eval PACK --input FILE [options]\n"
    "  PACK               a .pack.json file or a folder of versions of one pack (as_of chooses)\n"
    "  --input FILE       applicants: JSON Lines (one per line), a JSON array or object, CSV, xlsx, or an SQLite\n"
    "                     table as DB.sqlite:TABLE; - for stdin\n"
    "                     (docs/data-in.md)\n"
    "  --input-format F   jsonl, json, csv, xlsx or sqlite (default: by the file's extension; stdin is JSON Lines)\n"
    "  --encoding E       utf-8 (default) or gb18030 / gbk\n"
    "  --sheet NAME       xlsx: the sheet (default the first)\n"
    "  --group NAME       each row is a flat record of this input group (CSV rows default to the pack's record)\n"
    "  --unknown-fields P error (default: the pack's), warn or ignore: keys the pack does not declare\n"
    "  --key PATH         show this field with each result (e.g. applicant.id_number; masked unless --clear-pii)\n"
    "  --as-of DATE       the date the policy is applied on (YYYY-MM-DD; default today, UTC+8)\n"
    "  --explain          show the values each check, indicator and output read (and those only a\n"
    "                     failed check's reason read, marked), and how points were reached\n"
    "  --lang L           zh-CN (default) or en, for reasons and labels\n"
    "  --format F         text (default) or json (one decision per line, with \"line\" and \"key\")\n"
    "  --mode M           first_failure or all (default: the pack's)\n"
    "  --clear-pii        show ID numbers, names, cards and mobiles unmasked\n"
    "  --blacklist FILE   a credit blacklist (CSV or JSON Lines, docs/blacklist.md) for blacklisted()\n"
    "  --blacklist-db DB  the same from an SQLite store made by 'eligo blacklist import'\n"
    "  --audit-log FILE   append each decision to a hash-chained decision log (eligo-server's format; check it\n"
    "                     with 'eligo audit verify FILE'); the input-hash key is read from ELIGO_AUDIT_KEY\n"
    "  --audit-key-env V  the environment variable holding that key instead\n"
    "exit: 0 every row decided, 1 some rows rejected, not decided (verdict error) or with data errors (listed on\n"
    "stderr), 2 usage or I/O\n";

using eligo::detail::json_string;

struct Tally {
  std::uint64_t rows = 0, rejected = 0, with_errors = 0;
  std::uint64_t by_verdict[4] = {0, 0, 0, 0};
  std::uint64_t listed = 0;
};

}  // namespace

int cmd_eval(const Args& args, Io& io) {
  Options opt;
  std::string error;
  if (!parse_options(args,
                     {"input", "as-of", "lang", "format", "mode", "blacklist", "blacklist-db", "input-format", "encoding",
                      "sheet", "group", "unknown-fields", "key", "audit-log", "audit-key-env"},
                     {"explain", "clear-pii", "help"}, &opt, &error) ||
      opt.has("help")) {
    if (!error.empty()) io.err << "eligo eval: " << error << "\n";
    (opt.has("help") ? io.out : io.err) << kUsage;
    return opt.has("help") ? 0 : 2;
  }
  if (opt.positional.size() != 1 || !opt.has("input")) {
    io.err << "eligo eval: give one PACK and --input FILE\n" << kUsage;
    return 2;
  }
  EvalOptions eo;
  BindOptions bo;
  records::ReadOptions ro;
  if (!parse_applicant_options(opt, "eval", io, &eo, &bo, &ro)) return 2;
  const Date as_of = eo.as_of ? *eo.as_of : today_cst();
  eo.as_of = as_of;
  eo.explain = opt.has("explain");
  eo.clear_pii = opt.has("clear-pii");
  const std::string format = opt.get("format", "text");
  if (format != "text" && format != "json") {
    io.err << "eligo eval: --format is text or json (the input's format is --input-format)\n";
    return 2;
  }
  std::shared_ptr<const blacklist::Snapshot> snapshot;
  if (!load_blacklist_option(opt, "eval", io, &snapshot)) return 2;
  eo.blacklist = snapshot.get();
  PackSet set;
  const Pack* pack = load_one_pack(opt.positional[0], as_of, "eval", io, &set);
  if (!pack) return 2;
  std::unique_ptr<audit::Writer> audit_log;
  if (opt.has("audit-log")) {
    const std::string var = opt.get("audit-key-env", "ELIGO_AUDIT_KEY");
    const char* key = std::getenv(var.c_str());
    if (!key || !*key) {
      io.err << "eligo eval: --audit-log needs the input-hash key in the environment variable " << var << "\n";
      return 2;
    }
    audit::WriterOptions wo;
    wo.path = opt.get("audit-log");
    wo.hmac_key = key;
    audit_log = audit::Writer::open(wo, &error);
    if (!audit_log) {
      io.err << "eligo eval: " << error << "\n";
      return 2;
    }
  }

  records::RecordReader reader;
  if (!reader.open(opt.get("input"), ro, &error)) {
    io.err << "eligo eval: " << error << "\n";
    return 2;
  }
  std::optional<RowLayout> layout;
  if (reader.tabular()) {
    layout = pack->layout(reader.header(), bo, &error);
    if (!layout) {
      io.err << "eligo eval: " << reader.name() << ": " << error << "\n";
      return 2;
    }
    for (const auto& c : layout->ignored())
      io.err << "eligo eval: " << reader.name() << ": column '" << c << "' is not an input of the pack: ignored\n";
  }
  const std::string key_path = opt.get("key");
  const bool clear = eo.clear_pii;

  Tally tally;
  Input in;
  Decision d;
  // Problems go to stderr as they happen (the first 20), so a long run shows them without waiting.
  const auto note = [&](std::uint64_t line, const std::string& what) {
    if (++tally.listed <= 20) io.err << "eligo eval: " << reader.name() << ": line " << line << ": " << what << "\n";
  };
  const auto key_of = [&]() -> std::string {
    if (key_path.empty()) return "";
    const std::string k = in.text(key_path);
    return clear ? k : identity::mask_pii_runs(k);
  };
  for (;;) {
    const records::Next n = reader.next();
    if (n == records::Next::end) break;
    if (n == records::Next::error) {
      io.out.flush();
      io.err << "eligo eval: " << reader.error() << "\n";
      io.err << "eligo eval: stopped after " << tally.rows << " rows; " << tally.rejected << " rejected\n";
      return 2;
    }
    ++tally.rows;
    const std::uint64_t line = reader.line();
    if (n == records::Next::bad_row) {
      ++tally.rejected;
      const std::string column =
          reader.problem_column() >= 0 ? "column '" + reader.header()[static_cast<std::size_t>(reader.problem_column())] + "': " : "";
      note(line, "rejected: " + column + reader.problem());
      if (format == "json") {
        io.out << "{\"line\":" << line << ",\"verdict\":\"error\",\"error\":{\"code\":\"E3000\",\"message\":"
               << json_string(column + reader.problem()) << "}}\n";
      } else {
        io.out << (tally.rows > 1 ? "\n" : "") << "# row " << tally.rows << " (line " << line << ")\nverdict: error\n"
               << "error[E3000] " << column << reader.problem() << "\n";
      }
      continue;
    }
    if (layout) pack->bind_row(*layout, reader.cells(), &in);
    else pack->bind(reader.json(), &in, bo);
    pack->evaluate(in, eo, &d);
    if (audit_log) {
      // The input the decision was made on, as text for its keyed hash: the JSON row as given, or a CSV/xlsx
      // row as a JSON object of its columns in header order.
      std::string input_text;
      if (layout) {
        input_text = "{";
        for (std::size_t c = 0; c < reader.header().size(); ++c)
          input_text += (c ? "," : "") + json_string(reader.header()[c]) + ":" + json_string(reader.cells()[c]);
        input_text += "}";
      }
      const std::string id = reader.name() + ":" + std::to_string(line);
      if (!audit_log->append(d, layout ? std::string_view(input_text) : reader.json(), id, clear, &error)) {
        io.out.flush();
        io.err << "eligo eval: the decision of line " << line << " could not be written to the decision log: " << error
               << "\n";
        io.err << "eligo eval: stopped after " << tally.rows << " rows: a decision that cannot be logged is not given\n";
        return 2;
      }
    }
    const std::string key = key_of();
    if (d.input_rejected()) {
      ++tally.rejected;
      note(line, "rejected: " + d.rejection());
    } else {
      ++tally.by_verdict[static_cast<int>(d.verdict)];
      if (d.verdict == Verdict::error && d.error)
        note(line, "not decided: error[" + d.error->code + "] " + d.error->message);
      if (!d.data_errors.empty()) {
        ++tally.with_errors;
        const DataError& e = d.data_errors.front();
        note(line, "data error: " + (e.path.empty() ? "" : e.path + ": ") + e.message +
                       (d.data_errors.size() > 1 ? " (and " + std::to_string(d.data_errors.size() - 1) + " more)" : ""));
      }
    }
    if (format == "json") {
      const std::string j = d.to_json();
      io.out << "{\"line\":" << line;
      if (!key_path.empty()) io.out << ",\"key\":" << json_string(key);
      io.out << "," << std::string_view(j).substr(1) << "\n";
    } else {
      io.out << (tally.rows > 1 ? "\n" : "") << "# row " << tally.rows << " (line " << line << ")";
      if (!key_path.empty()) io.out << "  " << key;
      io.out << "\n" << d.to_text(eo.explain);
    }
  }
  io.out.flush();
  if (tally.listed > 20) io.err << "eligo eval: … and " << (tally.listed - 20) << " more problems\n";
  const std::uint64_t decided = tally.rows - tally.rejected;
  io.err << "eligo eval: " << tally.rows << (tally.rows == 1 ? " row" : " rows") << " read: " << decided << " decided (eligible "
         << tally.by_verdict[0] << ", ineligible " << tally.by_verdict[1] << ", needs_evidence " << tally.by_verdict[2]
         << ", error " << tally.by_verdict[3] << "), " << tally.rejected << " rejected";
  if (tally.with_errors) io.err << "; " << tally.with_errors << " decided with data errors";
  if (reader.blank_lines()) io.err << "; " << reader.blank_lines() << " blank lines skipped";
  io.err << "\n";
  return tally.rejected || tally.with_errors || tally.by_verdict[static_cast<int>(Verdict::error)] ? 1 : 0;
}

}  // namespace eligo::cli
