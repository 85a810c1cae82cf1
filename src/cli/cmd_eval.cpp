// eligo eval PACK --input FILE — evaluates each applicant (a JSON object, or one per line) and prints the
// decisions as text for people or as JSON Lines for programs.
#include <ostream>

#include "cli/commands.hpp"
#include "eligo/blacklist.hpp"
#include "eligo/pack.hpp"

namespace eligo::cli {

namespace {
constexpr const char* kUsage =
    "usage: eligo eval PACK --input FILE [options]\n"
    "  PACK             a .pack.json file or a folder of versions of one pack (as_of chooses)\n"
    "  --input FILE     one applicant as a JSON object, or JSON Lines (one per line); - for stdin\n"
    "  --as-of DATE     the date the policy is applied on (YYYY-MM-DD; default today, UTC+8)\n"
    "  --explain        show the values each check and indicator read, and how points were reached\n"
    "  --lang L         zh-CN (default) or en, for reasons and labels\n"
    "  --format F       text (default) or json (one decision per line)\n"
    "  --mode M         first_failure or all (default: the pack's)\n"
    "  --clear-pii      show ID numbers, names, cards and mobiles unmasked\n"
    "  --allow-outside-paths  let the pack name tables outside its folder\n"
    "  --blacklist FILE a credit blacklist (CSV or JSON Lines, docs/blacklist.md) for blacklisted()\n"
    "  --blacklist-db DB  the same from an SQLite store made by 'eligo blacklist import'\n";
}  // namespace

int cmd_eval(const Args& args, Io& io) {
  Options opt;
  std::string error;
  if (!parse_options(args, {"input", "as-of", "lang", "format", "mode", "blacklist", "blacklist-db"},
                     {"explain", "clear-pii", "help", "allow-outside-paths"}, &opt, &error) ||
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
  if (opt.has("as-of")) {
    eo.as_of = Date::parse(opt.get("as-of"));
    if (!eo.as_of) {
      io.err << "eligo eval: --as-of '" << opt.get("as-of") << "' is not a date (YYYY-MM-DD)\n";
      return 2;
    }
  }
  const Date as_of = eo.as_of ? *eo.as_of : today_cst();
  eo.as_of = as_of;
  eo.explain = opt.has("explain");
  eo.clear_pii = opt.has("clear-pii");
  eo.lang = opt.get("lang", "zh-CN");
  if (eo.lang != "zh-CN" && eo.lang != "en") {
    io.err << "eligo eval: --lang is zh-CN or en\n";
    return 2;
  }
  const std::string format = opt.get("format", "text");
  if (format != "text" && format != "json") {
    io.err << "eligo eval: --format is text or json\n";
    return 2;
  }
  if (opt.has("mode")) {
    const std::string m = opt.get("mode");
    if (m == "all") eo.mode = CheckMode::all;
    else if (m == "first_failure") eo.mode = CheckMode::first_failure;
    else {
      io.err << "eligo eval: --mode is first_failure or all\n";
      return 2;
    }
  }
  std::shared_ptr<const blacklist::Snapshot> snapshot;
  if (opt.has("blacklist") || opt.has("blacklist-db")) {
    if (opt.has("blacklist")) {
      blacklist::Builder builder;
      const blacklist::LoadReport report = blacklist::load_file(opt.get("blacklist"), builder);
      if (!report.ok()) {
        io.err << "eligo eval: " << opt.get("blacklist") << ": " << report.error << "\n";
        return 2;
      }
      for (const auto& e : report.errors) io.err << "eligo eval: " << opt.get("blacklist") << ": " << blacklist::format(e) << "\n";
      snapshot = builder.build();
    } else {
      auto store = blacklist::Store::open(opt.get("blacklist-db"), &error);
      if (store) snapshot = store->snapshot(std::nullopt, &error);
      if (!snapshot) {
        io.err << "eligo eval: " << opt.get("blacklist-db") << ": " << error << "\n";
        return 2;
      }
    }
    eo.blacklist = snapshot.get();
  }
  PackSet set;
  Diagnostics diags;
  if (!set.load(opt.positional[0], &diags, [&] { CompileOptions c; c.allow_outside_paths = opt.has("allow-outside-paths"); return c; }())) {
    io.err << diags.to_string();
    return 2;
  }
  if (set.ids().size() != 1) {
    io.err << "eligo eval: " << opt.positional[0] << " holds more than one pack id; name one pack\n";
    return 2;
  }
  std::string why;
  const Pack* pack = set.select(set.ids()[0], as_of, &why);
  if (!pack) {
    io.err << "eligo eval: " << why << "\n";
    return 2;
  }
  std::string text;
  if (!read_text(opt.get("input"), io, &text, &error)) {
    io.err << "eligo eval: " << error << "\n";
    return 2;
  }
  // One JSON object, or JSON Lines: a document whose first non-blank line is a whole object.
  std::vector<std::pair<std::size_t, std::string>> docs;
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  const std::size_t nl = text.find('\n', first == std::string::npos ? 0 : first);
  bool lines = false;
  if (first != std::string::npos && nl != std::string::npos) {
    const std::string head = text.substr(first, nl - first);
    lines = !head.empty() && head.front() == '{' && head.find_last_not_of(" \t\r") != std::string::npos &&
            head[head.find_last_not_of(" \t\r")] == '}';
  }
  if (lines) {
    std::size_t pos = 0, line = 1;
    while (pos <= text.size()) {
      std::size_t e = text.find('\n', pos);
      if (e == std::string::npos) e = text.size();
      std::string l = text.substr(pos, e - pos);
      if (l.find_first_not_of(" \t\r") != std::string::npos) docs.emplace_back(line, std::move(l));
      pos = e + 1;
      ++line;
    }
  } else {
    docs.emplace_back(1, text);
  }
  Decision d;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    Input in = pack->bind(docs[i].second);
    pack->evaluate(in, eo, &d);
    if (format == "json") {
      io.out << d.to_json() << "\n";
    } else {
      if (docs.size() > 1) io.out << (i ? "\n" : "") << "# applicant " << (i + 1) << " (line " << docs[i].first << ")\n";
      io.out << d.to_text(eo.explain);
    }
  }
  return 0;
}

}  // namespace eligo::cli
