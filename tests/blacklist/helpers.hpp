// Shared by the blacklist tests: valid ID numbers, entries, temporary directories.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "eligo/blacklist.hpp"
#include "eligo/identity.hpp"

namespace blacklist_test {

// 17 digits + their check character.
inline std::string id18(const std::string& first17) {
  return first17 + eligo::identity::id_check_character(first17);
}

inline eligo::Date day(const char* text) { return *eligo::Date::parse(text); }

inline eligo::blacklist::Entry entry(const std::string& key, std::vector<std::string> scopes, const char* listed,
                                     const char* from = nullptr, const char* until = nullptr) {
  eligo::blacklist::Entry e;
  e.key = key;
  e.scopes = std::move(scopes);
  e.reason_code = "SX01";
  e.reason_text = "失信被执行人";
  e.source = "市中级人民法院";
  e.listed_on = day(listed);
  if (from) e.from = day(from);
  if (until) e.until = day(until);
  return e;
}

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "eligo-blacklist-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace blacklist_test
