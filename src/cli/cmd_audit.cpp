// eligo audit verify LOG... — checks a decision log's hash chain (include/eligo/audit.hpp): any edited,
// deleted or reordered line is reported with its file and line number.
#include <ostream>

#include "cli/commands.hpp"
#include "eligo/audit.hpp"

namespace eligo::cli {

namespace {
constexpr const char* kUsage =
    "usage: eligo audit verify LOG [LOG...] [--head SHA256]\n"
    "  LOG            a decision log; its rotated pieces LOG.1, LOG.2, … are checked first, in order.\n"
    "                 Several LOGs are one chain in the order given (no rotated pieces are added then).\n"
    "  --head SHA256  the hash the last line must have (kept elsewhere, e.g. from eligo-server's /v1/status):\n"
    "                 without it, lines cut off the end of the log cannot be told from a shorter log\n"
    "exit 0 when the chain holds, 1 when it is broken, 2 on usage errors\n";
}  // namespace

int cmd_audit(const Args& args, Io& io) {
  Options opt;
  std::string error;
  if (!parse_options(args, {"head"}, {"help"}, &opt, &error) || opt.has("help")) {
    if (!error.empty()) io.err << "eligo audit: " << error << "\n";
    (opt.has("help") ? io.out : io.err) << kUsage;
    return opt.has("help") ? 0 : 2;
  }
  if (opt.positional.size() < 2 || opt.positional[0] != "verify") {
    io.err << kUsage;
    return 2;
  }
  std::vector<std::string> files;
  if (opt.positional.size() == 2) files = audit::chain_files(opt.positional[1]);
  else files.assign(opt.positional.begin() + 1, opt.positional.end());
  const audit::VerifyResult r = audit::verify(files, opt.get("head"));
  if (!r.ok) {
    io.err << "eligo audit: chain broken: " << r.problem << "\n"
           << "eligo audit: " << r.lines << " lines verified before it\n";
    return 1;
  }
  io.out << "ok: " << r.lines << " lines in " << files.size() << (files.size() == 1 ? " file" : " files")
         << ", head seq " << r.head.seq << " sha256 " << r.head.sha256 << "\n";
  return 0;
}

}  // namespace eligo::cli
