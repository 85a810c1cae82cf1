// eligo check PACK... — compiles each pack (a file, or a folder of *.pack.json) and prints every problem.
#include <ostream>

#include "cli/commands.hpp"
#include "eligo/pack.hpp"

namespace eligo::cli {

int cmd_check(const Args& args, Io& io) {
  Options opt;
  std::string error;
  if (parse_options(args, {"lang"}, {"help", "allow-outside-paths"}, &opt, &error) && opt.has("lang") &&
      opt.get("lang", "") != "zh-CN" && opt.get("lang", "") != "en")
    error = "--lang takes zh-CN or en";
  if (!error.empty() || opt.has("help") || opt.positional.empty()) {
    (error.empty() ? io.out : io.err) << (error.empty() ? "" : "eligo check: " + error + "\n")
                                      << "usage: eligo check [--lang zh-CN|en] [--allow-outside-paths] PACK...\n"
                                         "  PACK is a .pack.json file or a folder of them. Prints every problem with\n"
                                         "  file:line:column, JSON pointer and a caret line; exit 1 when any is an error.\n"
                                         "  --lang L  language of the messages (default: from LC_ALL, LC_MESSAGES or LANG;\n"
                                         "            zh-CN when none is set); the codes are the same in both.\n"
                                         "  --allow-outside-paths  let packs name tables and tests outside their folder\n";
    return opt.has("help") ? 0 : 2;
  }
  CompileOptions copt;
  copt.allow_outside_paths = opt.has("allow-outside-paths");
  copt.lang = opt.get("lang", "");
  bool failed = false;
  for (const auto& path : opt.positional) {
    PackSet set;
    Diagnostics diags;
    const bool ok = set.load(path, &diags, copt);
    if (!diags.items.empty()) io.out << diags.to_string();
    for (const auto& p : set.packs())
      io.out << "ok: " << p.file() << ": " << p.id() << " " << p.version() << " sha256:" << p.hash() << "\n";
    failed |= !ok || diags.has_errors();
  }
  return failed ? 1 : 0;
}

}  // namespace eligo::cli
