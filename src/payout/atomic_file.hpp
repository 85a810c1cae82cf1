// AtomicFile: written under a temporary name in the target directory, renamed over the target on commit,
// removed if never committed. Readers see the old file or the whole new one, never half of it.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace eligo::payout::detail {

class AtomicFile {
 public:
  AtomicFile() = default;
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  bool open(const std::string& path, std::string* error);
  void write(std::string_view bytes);
  // Flushes, syncs and renames; false and *error when any write failed.
  bool commit(std::string* error);
  // The temporary name (for writers such as libxlsxwriter that open the file themselves).
  const std::string& temp_path() const { return temp_; }
  // Flushes, syncs and closes without renaming, so the temporary file can be read back (temp_path());
  // commit_external() then renames it, or the destructor removes it.
  bool close(std::string* error);
  // Renames a file already written at temp_path() by someone else.
  bool commit_external(std::string* error);

 private:
  std::FILE* file_ = nullptr;
  std::string path_, temp_;
  bool failed_ = false;
  bool done_ = false;
};

}  // namespace eligo::payout::detail
