// eligo blacklist — import credit blacklists into an SQLite store, check a subject, show statistics.
// Output formats are documented in docs/blacklist.md ("The eligo blacklist command"). ID numbers are
// always shown masked.
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <string>

#include "core/json_dump.hpp"
#include "cli/commands.hpp"
#include "eligo/blacklist.hpp"
#include "eligo/identity.hpp"

namespace eligo::cli {
namespace {

namespace bl = eligo::blacklist;

constexpr const char* kHelp =
    "usage: eligo blacklist import FILE --db DB [--mapping M.json] [--hash-key-file K] [--hashed] [--replace]\n"
    "                              [--format csv|jsonl] [--errors N]\n"
    "       eligo blacklist check ID --scope S [--as-of YYYY-MM-DD] --db DB [--hash-key-file K] [--format text|json]\n"
    "       eligo blacklist stats --db DB [--format text|json]\n"
    "\n"
    "import  reads a CSV or JSON Lines file (columns named by --mapping, see docs/blacklist.md) into the\n"
    "        SQLite store DB (created when missing), merged with what it holds (--replace: the file becomes\n"
    "        the whole list). Bad rows are reported (row, field, why; IDs masked) and skipped.\n"
    "        --hash-key-file K: store HMAC-SHA-256 keys of the IDs made with the key in file K (a trailing\n"
    "        line break is not part of the key; at least 16 bytes). --hashed: the file holds such keys already.\n"
    "        exit 0 every row stored, 1 some rows rejected (the rest stored), 2 nothing imported.\n"
    "check   prints 'not listed', or each entry that blocks scope S on the day (default today, UTC+8): masked\n"
    "        ID, reason, source, dates. ID may be a 64-hex hashed key. exit 0 either way, 2 unusable input.\n"
    "stats   entries, subjects, revision, content hash, last import, counts by scope and source.\n";

struct Settings {
  std::string command;
  std::vector<std::string> positional;
  std::string db, mapping, key_file, scope, as_of, format = "text";
  bool hashed = false, replace = false, scope_given = false;
  std::size_t errors_shown = 20;
};

// Parses the options; "" or the message for a usage error.
std::string parse(const Args& args, Settings& s) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i], value;
    const bool option = arg.size() > 2 && arg.compare(0, 2, "--") == 0;
    const std::size_t eq = arg.find('=');
    bool inline_value = false;
    if (option && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      inline_value = true;
    }
    auto take = [&](std::string& out) {
      if (!inline_value) {
        if (i + 1 >= args.size()) return false;
        value = args[++i];
      }
      out = value;
      return true;
    };
    if (!option) {
      if (s.command.empty()) {
        s.command = arg;
      } else {
        s.positional.push_back(arg);
      }
      continue;
    }
    std::string* target = nullptr;
    if (arg == "--db") target = &s.db;
    if (arg == "--mapping") target = &s.mapping;
    if (arg == "--hash-key-file") target = &s.key_file;
    if (arg == "--scope") {
      target = &s.scope;
      s.scope_given = true;
    }
    if (arg == "--as-of") target = &s.as_of;
    if (arg == "--format") target = &s.format;
    if (target) {
      if (!take(*target)) return arg + " needs a value";
      continue;
    }
    if (arg == "--errors") {
      std::string n;
      if (!take(n) || n.empty() || n.size() > 9 || n.find_first_not_of("0123456789") != std::string::npos)
        return "--errors needs a number";
      s.errors_shown = std::stoul(n);
    } else if (arg == "--hashed") {
      s.hashed = true;
    } else if (arg == "--replace") {
      s.replace = true;
    } else {
      return "unknown option " + arg;
    }
  }
  if (s.format != "text" && s.format != "json") return "--format must be text or json";
  return "";
}

// The key in file `path`, without one trailing line break. "" and *error when unusable.
std::string read_key(const std::string& path, std::string* error) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    *error = path + ": cannot open the key file";
    return "";
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  std::string key = ss.str();
  if (!key.empty() && key.back() == '\n') key.pop_back();
  if (!key.empty() && key.back() == '\r') key.pop_back();
  if (key.size() < 16) {
    *error = path + ": the key is shorter than 16 bytes";
    return "";
  }
  return key;
}

std::unique_ptr<bl::Store> open_store(const Settings& s, Io& io, bool must_exist) {
  if (s.db.empty()) {
    io.err << "eligo blacklist: --db is required\n";
    return nullptr;
  }
  if (must_exist && !std::ifstream(s.db)) {
    io.err << "eligo blacklist: " << s.db << ": no such store\n";
    return nullptr;
  }
  std::string error;
  auto store = bl::Store::open(s.db, &error);
  if (!store) io.err << "eligo blacklist: " << error << '\n';
  return store;
}

std::string short_hash(const std::string& hash) { return hash.substr(0, 16); }

int do_import(const Settings& s, Io& io) {
  if (s.positional.size() != 1) {
    io.err << "eligo blacklist import: give one FILE\n\n" << kHelp;
    return 2;
  }
  const std::string& file = s.positional[0];
  bl::ImportOptions options;
  options.hashed = s.hashed;
  options.replace = s.replace;
  if (s.format == "json") {
    io.err << "eligo blacklist import: --format names the file's format: csv or jsonl\n";
    return 2;
  }
  if (!s.mapping.empty()) {
    std::ifstream f(s.mapping, std::ios::binary);
    if (!f) {
      io.err << "eligo blacklist import: " << s.mapping << ": cannot open the mapping file\n";
      return 2;
    }
    std::ostringstream ss;
    ss << f.rdbuf();
    std::string error;
    auto mapping = bl::Mapping::from_json(ss.str(), &error);
    if (!mapping) {
      io.err << "eligo blacklist import: " << s.mapping << ": " << error << '\n';
      return 2;
    }
    options.load.mapping = std::move(*mapping);
  }
  if (!s.key_file.empty()) {
    std::string error;
    options.hash_key = read_key(s.key_file, &error);
    if (!error.empty()) {
      io.err << "eligo blacklist import: " << error << '\n';
      return 2;
    }
  }
  options.load.max_errors = s.errors_shown;
  if (io.out_is_terminal) {
    options.load.progress = [&io, &file](std::uint64_t done, std::uint64_t total) {
      const unsigned pct = total ? static_cast<unsigned>(done * 100 / total) : 100;
      io.err << "\rimporting " << file << ": " << pct << "% (" << done / 1048576 << " of " << total / 1048576
             << " MiB)" << std::flush;
    };
  }
  auto store = open_store(s, io, false);
  if (!store) return 2;
  const bl::ImportReport r = store->import_file(file, options);
  if (io.out_is_terminal) io.err << "\r\033[K" << std::flush;
  if (!r.ok()) {
    io.err << "eligo blacklist import: " << r.error << '\n';
    return 2;
  }
  io.out << file << " → " << s.db << ": " << r.rows << " rows: " << r.loaded << " loaded, " << r.rejected
         << " rejected, " << r.merged << " merged\n";
  io.out << "list: " << r.entries << " entries, revision " << r.revision << ", sha256 " << r.hash << '\n';
  for (const bl::RowError& e : r.errors) io.err << file << ": " << bl::format(e) << '\n';
  if (r.rejected > r.errors.size())
    io.err << file << ": " << r.rejected - r.errors.size() << " more rejected rows not shown (--errors N)\n";
  return r.rejected ? 1 : 0;
}

int do_check(const Settings& s, Io& io) {
  if (s.positional.size() != 1) {
    io.err << "eligo blacklist check: give one ID\n\n" << kHelp;
    return 2;
  }
  if (!s.scope_given || s.scope.empty()) {
    io.err << "eligo blacklist check: --scope is required (* for every scope)\n";
    return 2;
  }
  Date as_of = identity::today_in_china();
  if (!s.as_of.empty()) {
    const auto d = Date::parse(s.as_of);
    if (!d) {
      io.err << "eligo blacklist check: --as-of needs a date YYYY-MM-DD\n";
      return 2;
    }
    as_of = *d;
  }
  const std::string& subject = s.positional[0];
  std::string shown;  // the subject as printed: the normalised ID masked, or the key shortened
  if (subject.size() != 64 || subject.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
    identity::IdOptions id_options;  // as on import: no region or birth-date limit
    id_options.as_of = Date::from_ymd(9999, 12, 31);
    id_options.region_check = identity::RegionCheck::none;
    const identity::IdCheck id = identity::check_id(subject, id_options);
    if (!id.valid()) {
      io.err << "eligo blacklist check: " << identity::mask(identity::PiiKind::id_number, subject)
             << " is not an ID number: " << identity::describe(id) << '\n';
      return 2;
    }
    shown = bl::masked_key(id.canonical());
  }
  std::optional<std::string> key;
  if (!s.key_file.empty()) {
    std::string error;
    key = read_key(s.key_file, &error);
    if (!error.empty()) {
      io.err << "eligo blacklist check: " << error << '\n';
      return 2;
    }
  }
  auto store = open_store(s, io, true);
  if (!store) return 2;
  std::string error;
  const auto list = store->snapshot_for(subject, key, &error);
  if (!list) {
    io.err << "eligo blacklist check: " << error << '\n';
    return 2;
  }
  const std::int64_t revision = store->revision();
  const std::string list_hash = store->hash();
  const std::optional<std::string> stored_key = list->key_of(subject);
  if (!stored_key) {
    io.err << "eligo blacklist check: " << s.db << " holds hashed keys: give --hash-key-file, or the 64-hex key\n";
    return 2;
  }
  const std::vector<bl::Entry> hits = list->check(subject, s.scope, as_of);
  if (shown.empty()) shown = bl::masked_key(*stored_key);
  if (s.format == "json") {
    nlohmann::ordered_json j;
    j["subject"] = shown;
    j["scope"] = s.scope;
    j["as_of"] = as_of.to_string();
    j["listed"] = !hits.empty();
    j["entries"] = nlohmann::ordered_json::array();
    for (const bl::Entry& e : hits) j["entries"].push_back(nlohmann::ordered_json::parse(bl::entry_json(e)));
    j["list"] = {{"revision", revision}, {"hash", list_hash}};
    io.out << eligo::json_dump(j) << '\n';
    return 0;
  }
  const std::string list_ref = "list revision " + std::to_string(revision) + ", sha256 " + short_hash(list_hash);
  if (hits.empty()) {
    io.out << shown << ": not listed for scope " << s.scope << " on " << as_of.to_string() << " (" << list_ref << ")\n";
    return 0;
  }
  io.out << shown << ": listed for scope " << s.scope << " on " << as_of.to_string() << ", " << hits.size()
         << (hits.size() == 1 ? " entry" : " entries") << " (" << list_ref << ")\n";
  for (const bl::Entry& e : hits) {
    std::string reason = e.reason_code;
    if (!e.reason_text.empty()) reason += (reason.empty() ? "" : " ") + e.reason_text;
    io.out << "  " << bl::masked_key(e.key) << "  " << reason << "  source " << e.source << "  scopes ";
    for (std::size_t i = 0; i < e.scopes.size(); ++i) io.out << (i ? ";" : "") << e.scopes[i];
    io.out << "  listed " << e.listed_on.to_string() << "  in effect " << e.effective_from().to_string() << " to "
           << (e.until ? e.until->to_string() : "no end") << '\n';
  }
  return 0;
}

int do_stats(const Settings& s, Io& io) {
  if (!s.positional.empty()) {
    io.err << "eligo blacklist stats: takes no arguments but --db\n";
    return 2;
  }
  auto store = open_store(s, io, true);
  if (!store) return 2;
  const bl::StoreStats st = store->stats();
  if (s.format == "json") {
    nlohmann::ordered_json j;
    j["store"] = s.db;
    j["entries"] = st.entries;
    j["subjects"] = st.distinct_keys;
    j["keys"] = bl::to_string(st.key_kind);
    j["revision"] = st.revision;
    j["hash"] = st.hash;
    j["last_import"] = st.last_import;
    j["in_effect_today"] = st.in_effect_today;
    j["expired"] = st.expired;
    j["not_yet_in_effect"] = st.not_yet;
    j["by_scope"] = nlohmann::ordered_json::object();
    for (const auto& [k, n] : st.by_scope) j["by_scope"][k] = n;
    j["by_source"] = nlohmann::ordered_json::object();
    for (const auto& [k, n] : st.by_source) j["by_source"][k] = n;
    io.out << eligo::json_dump(j) << '\n';
    return 0;
  }
  io.out << s.db << ": " << st.entries << " entries, " << st.distinct_keys << " subjects, keys "
         << bl::to_string(st.key_kind) << ", revision " << st.revision << '\n';
  io.out << "sha256 " << st.hash << '\n';
  io.out << "last import " << (st.last_import.empty() ? "none" : st.last_import) << '\n';
  io.out << "today: " << st.in_effect_today << " in effect, " << st.expired << " expired, " << st.not_yet
         << " not yet in effect\n";
  io.out << "by scope:";
  for (const auto& [k, n] : st.by_scope) io.out << "  " << k << ' ' << n;
  io.out << "\nby source:";
  for (const auto& [k, n] : st.by_source) io.out << "  " << k << ' ' << n;
  io.out << '\n';
  return 0;
}

}  // namespace

int cmd_blacklist(const Args& args, Io& io) {
  for (const std::string& a : args)
    if (a == "--help" || a == "-h") {
      io.out << kHelp;
      return 0;
    }
  Settings s;
  const std::string error = parse(args, s);
  if (!error.empty()) {
    io.err << "eligo blacklist: " << error << "\n\n" << kHelp;
    return 2;
  }
  if (s.command == "import") return do_import(s, io);
  if (s.command == "check") return do_check(s, io);
  if (s.command == "stats") return do_stats(s, io);
  io.err << (s.command.empty() ? std::string("eligo blacklist: give a command")
                               : "eligo blacklist: unknown command '" + s.command + "'")
         << "\n\n"
         << kHelp;
  return 2;
}

}  // namespace eligo::cli
