#include <algorithm>
#include <fstream>
#include <istream>
#include <iterator>
#include <sstream>

#include "cli/commands.hpp"

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

}  // namespace eligo::cli
