// AtomicFile: temporary file + fsync + rename(2).
#include "payout/atomic_file.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace eligo::payout::detail {

AtomicFile::~AtomicFile() {
  if (file_) std::fclose(file_);
  if (!done_ && !temp_.empty()) std::remove(temp_.c_str());
}

bool AtomicFile::open(const std::string& path, std::string* error) {
  path_ = path;
  const std::size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  // The counter keeps two files open on one target (a rewrite of a spooled file) apart.
  static std::atomic<unsigned> counter{0};
  temp_ = dir + "." + name + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  file_ = std::fopen(temp_.c_str(), "wb");
  if (!file_) {
    *error = temp_ + ": cannot create the file: " + std::strerror(errno);
    temp_.clear();
    return false;
  }
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  return true;
}

void AtomicFile::write(std::string_view bytes) {
  if (file_ && !failed_ && std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) failed_ = true;
}

bool AtomicFile::commit(std::string* error) {
  if (!file_) return commit_external(error);
  return close(error) && commit_external(error);
}

bool AtomicFile::close(std::string* error) {
  if (!file_) return !failed_;
  const bool flushed = std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (failed_ || !flushed || !closed) {
    *error = path_ + ": write failed: " + std::strerror(errno);
    failed_ = true;
    return false;
  }
  return true;
}

bool AtomicFile::commit_external(std::string* error) {
  if (file_) {
    std::fclose(file_);
    file_ = nullptr;
  }
  if (std::rename(temp_.c_str(), path_.c_str()) != 0) {
    *error = path_ + ": cannot rename the finished file into place: " + std::strerror(errno);
    return false;
  }
  done_ = true;
  return true;
}

}  // namespace eligo::payout::detail
