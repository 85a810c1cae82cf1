// The eligo command-line tool: one function per subcommand, each in src/cli/cmd_<name>.cpp.
// Arguments exclude the program and subcommand names. Exit codes: 0 ok, 1 the input was judged and
// failed (diagnostics, failing cases), 2 usage or I/O errors.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "eligo/pack.hpp"
#include "eligo/records.hpp"

namespace eligo::cli {

struct Io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  bool out_is_terminal = false;
  bool err_is_terminal = false;
};

using Args = std::vector<std::string>;

int cmd_check(const Args& args, Io& io);  // cmd_check.cpp — compile packs, print diagnostics
int cmd_eval(const Args& args, Io& io);   // cmd_eval.cpp — evaluate applicants
int cmd_test(const Args& args, Io& io);   // cmd_test.cpp — run a pack's test cases
int cmd_id(const Args& args, Io& io);     // cmd_id.cpp — identity checks and masking
int cmd_blacklist(const Args& args, Io& io);  // cmd_blacklist.cpp — import, check, stats of credit blacklists
int cmd_reconcile(const Args& args, Io& io);  // cmd_reconcile.cpp — payout orders against bank records
int cmd_rank(const Args& args, Io& io);       // cmd_rank.cpp — school places by points (admission)
int cmd_diff(const Args& args, Io& io);       // cmd_diff.cpp — two packs over one population
int cmd_compare(const Args& args, Io& io);    // cmd_compare.cpp — declared against source data (admission)
int cmd_review(const Args& args, Io& io);     // cmd_review.cpp — review workbooks out and back in (admission)
int cmd_audit(const Args& args, Io& io);      // cmd_audit.cpp — verify a decision log's hash chain
int cmd_batch(const Args& args, Io& io);      // cmd_batch.cpp — a population: results, summary, payout orders

// Shared by the commands (common.cpp).
// Reads a whole file, or standard input for "-". false and *error when it cannot.
bool read_text(const std::string& path, Io& io, std::string* out, std::string* error);
// "--name value" / "--name=value" options; flags take no value. Unknown options are an error.
struct Options {
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> values;
  bool has(const std::string& name) const;
  std::string get(const std::string& name, const std::string& fallback = "") const;
  std::vector<std::string> all(const std::string& name) const;  // every value of a repeated option
};
bool parse_options(const Args& args, const std::vector<std::string>& with_value, const std::vector<std::string>& flags,
                   Options* out, std::string* error);

// The options eval and batch share, read the same way: --as-of --lang --mode (EvalOptions), --group
// --unknown-fields (BindOptions), --input-format --encoding --sheet (ReadOptions). false after printing
// "eligo <command>: why" on io.err.
bool parse_applicant_options(const Options& opt, const char* command, Io& io, EvalOptions* eval, BindOptions* bind,
                             records::ReadOptions* read);
inline const std::vector<std::string> kApplicantOptions = {"as-of", "lang", "mode", "group", "unknown-fields",
                                                           "input-format", "encoding", "sheet"};
// PACK: a file or a folder of versions of one pack; the version in force on as_of. nullptr after printing why.
const Pack* load_one_pack(const std::string& path, Date as_of, const char* command, Io& io, PackSet* set);
// --blacklist FILE or --blacklist-db DB into *snapshot (left empty when neither is given).
bool load_blacklist_option(const Options& opt, const char* command, Io& io,
                           std::shared_ptr<const blacklist::Snapshot>* snapshot);

}  // namespace eligo::cli
