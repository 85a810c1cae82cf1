#include <algorithm>
#include <fstream>
#include <istream>
#include <iterator>
#include <sstream>

#include "cli/commands.hpp"
#include "eligo/blacklist.hpp"

namespace eligo::cli {

bool read_text(const std::string& path, Io& io, std::string* out, std::string* error) {
  if (path == "-") {
    out->assign(std::istreambuf_iterator<char>(io.in), std::istreambuf_iterator<char>());
    return true;
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    *error = path + ": cannot open the file";
    return false;
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  *out = ss.str();
  return true;
}

bool Options::has(const std::string& name) const {
  return std::any_of(values.begin(), values.end(), [&](const auto& v) { return v.first == name; });
}

std::string Options::get(const std::string& name, const std::string& fallback) const {
  for (const auto& v : values)
    if (v.first == name) return v.second;
  return fallback;
}

std::vector<std::string> Options::all(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& v : values)
    if (v.first == name) out.push_back(v.second);
  return out;
}

bool parse_options(const Args& args, const std::vector<std::string>& with_value, const std::vector<std::string>& flags,
                   Options* out, std::string* error) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() < 2 || a.compare(0, 2, "--") != 0) {
      out->positional.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    const std::size_t eq = name.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (std::find(flags.begin(), flags.end(), name) != flags.end()) {
      out->values.emplace_back(name, "1");
      continue;
    }
    if (std::find(with_value.begin(), with_value.end(), name) == with_value.end()) {
      *error = "unknown option --" + name;
      return false;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) {
        *error = "--" + name + " needs a value";
        return false;
      }
      value = args[++i];
    }
    out->values.emplace_back(name, value);
  }
  return true;
}

bool parse_applicant_options(const Options& opt, const char* command, Io& io, EvalOptions* eo, BindOptions* bo,
                             records::ReadOptions* ro) {
  const std::string cmd = std::string("eligo ") + command + ": ";
  if (opt.has("as-of")) {
    eo->as_of = Date::parse(opt.get("as-of"));
    if (!eo->as_of) {
      io.err << cmd << "--as-of '" << opt.get("as-of") << "' is not a date (YYYY-MM-DD)\n";
      return false;
    }
  }
  eo->lang = opt.get("lang", "zh-CN");
  if (eo->lang != "zh-CN" && eo->lang != "en") {
    io.err << cmd << "--lang is zh-CN or en\n";
    return false;
  }
  if (opt.has("mode")) {
    const std::string m = opt.get("mode");
    if (m == "all") eo->mode = CheckMode::all;
    else if (m == "first_failure") eo->mode = CheckMode::first_failure;
    else {
      io.err << cmd << "--mode is first_failure or all\n";
      return false;
    }
  }
  bo->group = opt.get("group");
  if (opt.has("unknown-fields")) {
    const std::string u = opt.get("unknown-fields");
    if (u == "error") bo->unknown_fields = UnknownFields::error;
    else if (u == "warn") bo->unknown_fields = UnknownFields::warn;
    else if (u == "ignore") bo->unknown_fields = UnknownFields::ignore;
    else {
      io.err << cmd << "--unknown-fields is error, warn or ignore\n";
      return false;
    }
  }
  if (opt.has("input-format")) {
    const auto f = records::parse_format(opt.get("input-format"));
    if (!f) {
      io.err << cmd << "--input-format is jsonl, json, csv, xlsx or sqlite\n";
      return false;
    }
    ro->format = *f;
  }
  ro->encoding = opt.get("encoding", "utf-8");
  ro->sheet = opt.get("sheet");
  return true;
}

const Pack* load_one_pack(const std::string& path, Date as_of, const char* command, Io& io, PackSet* set) {
  Diagnostics diags;
  if (!set->load(path, &diags, {})) {
    io.err << diags.to_string();
    return nullptr;
  }
  if (set->ids().size() != 1) {
    io.err << "eligo " << command << ": " << path << " holds more than one pack id; name one pack\n";
    return nullptr;
  }
  std::string why;
  const Pack* pack = set->select(set->ids()[0], as_of, &why);
  if (!pack) io.err << "eligo " << command << ": " << why << "\n";
  return pack;
}

bool load_blacklist_option(const Options& opt, const char* command, Io& io,
                           std::shared_ptr<const blacklist::Snapshot>* snapshot) {
  const std::string cmd = std::string("eligo ") + command + ": ";
  std::string error;
  if (opt.has("blacklist")) {
    blacklist::Builder builder;
    const blacklist::LoadReport report = blacklist::load_file(opt.get("blacklist"), builder);
    if (!report.ok()) {
      io.err << cmd << opt.get("blacklist") << ": " << report.error << "\n";
      return false;
    }
    for (const auto& e : report.errors) io.err << cmd << opt.get("blacklist") << ": " << blacklist::format(e) << "\n";
    *snapshot = builder.build();
  } else if (opt.has("blacklist-db")) {
    if (!std::ifstream(opt.get("blacklist-db"))) {  // Store::open would create an empty store, listing no one
      io.err << cmd << opt.get("blacklist-db") << ": no such store\n";
      return false;
    }
    auto store = blacklist::Store::open(opt.get("blacklist-db"), &error);
    if (store && store->key_kind() == blacklist::KeyKind::hmac_sha256) {
      // Without its key no ID number can match a keyed store: every applicant would be "not listed".
      io.err << cmd << opt.get("blacklist-db") << ": holds hashed keys, and this command has no option for the key\n";
      return false;
    }
    if (store) *snapshot = store->snapshot(std::nullopt, &error);
    if (!*snapshot) {
      io.err << cmd << opt.get("blacklist-db") << ": " << error << "\n";
      return false;
    }
  }
  return true;
}

}  // namespace eligo::cli
