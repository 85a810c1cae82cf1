// The decision log's writer and verifier (include/eligo/audit.hpp explains the format and its limits).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/json_dump.hpp"
#include "eligo/audit.hpp"
#include "core/utc_clock.hpp"

namespace eligo::audit {

namespace {

using ordered = nlohmann::ordered_json;
const std::string kZeros(64, '0');

std::string hex(const unsigned char* d, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  s.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    s.push_back(digits[d[i] >> 4]);
    s.push_back(digits[d[i] & 15]);
  }
  return s;
}

std::string hmac_hex(std::string_view key, std::string_view text) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(text.data()),
       text.size(), out, &len);
  return hex(out, len);
}

// The last non-empty line of a file ("" when none), read from the end in growing windows.
bool last_line(const std::string& path, std::string* out, std::string* error) {
  out->clear();
  std::ifstream f(path, std::ios::binary);
  if (!f) return true;  // absent: no line
  f.seekg(0, std::ios::end);
  const std::streamoff size = f.tellg();
  std::streamoff window = 4096;
  while (true) {
    const std::streamoff from = size > window ? size - window : 0;
    std::string buf(static_cast<std::size_t>(size - from), '\0');
    f.seekg(from);
    f.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (!f) {
      *error = path + ": cannot read its last line";
      return false;
    }
    std::size_t end = buf.size();
    while (end > 0 && (buf[end - 1] == '\n' || buf[end - 1] == '\r')) --end;
    const std::size_t nl = buf.rfind('\n', end == 0 ? 0 : end - 1);
    if (nl != std::string::npos || from == 0) {
      *out = buf.substr(nl == std::string::npos ? 0 : nl + 1, end - (nl == std::string::npos ? 0 : nl + 1));
      if (end == 0) out->clear();
      return true;
    }
    window *= 4;
  }
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), d);
  return hex(d, sizeof d);
}

std::vector<std::string> chain_files(const std::string& path) {
  std::vector<std::string> files;
  for (int i = 1;; ++i) {
    const std::string rotated = path + "." + std::to_string(i);
    std::error_code ec;
    if (!std::filesystem::exists(rotated, ec)) break;
    files.push_back(rotated);
  }
  files.push_back(path);
  return files;
}

std::string decision_record(const Decision& d, std::string_view input, std::string_view request_id,
                            bool clear_pii, std::string_view hmac_key) {
  ordered o;
  o["time"] = eligo::detail::utc_now_text(true);
  o["request_id"] = std::string(request_id);
  o["pack"] = {{"id", std::string(d.pack_id)}, {"version", std::string(d.version)}, {"sha256", std::string(d.pack_hash)}};
  o["as_of"] = d.as_of.to_string();
  o["input_hmac"] = hmac_hex(hmac_key, input);
  o["verdict"] = verdict_name(d.verdict);
  // A decision made with clear_pii may hold unmasked PII in its reasons and outputs: they stay out of the log.
  if (clear_pii) {
    o["clear_pii"] = true;
  } else {
    ordered reasons = ordered::array();
    for (const auto& c : d.checks)
      if (c.status == CheckStatus::failed || c.status == CheckStatus::needs_evidence) {
        ordered r = {{"check", std::string(c.id)}, {"status", check_status_name(c.status)}};
        if (!c.reason.empty()) r["reason"] = c.reason;
        if (!c.missing.empty()) r["missing"] = c.missing;
        reasons.push_back(std::move(r));
      }
    o["reasons"] = std::move(reasons);
    if (d.scored) o["total"] = d.total.to_string();
    ordered outputs = ordered::object();
    for (const auto& out : d.outputs) outputs[std::string(out.name)] = out.value;
    o["outputs"] = std::move(outputs);
  }
  if (!d.data_errors.empty()) {
    ordered codes = ordered::array();
    for (const auto& e : d.data_errors) codes.push_back(e.code);
    o["data_errors"] = std::move(codes);
  }
  if (d.error) o["error"] = d.error->code;
  return eligo::json_dump(o);
}

std::unique_ptr<Writer> Writer::open(const WriterOptions& options, std::string* error) {
  if (options.hmac_key.empty()) {
    *error = "the decision log needs a key for the input hash (an unkeyed hash of an ID number is guessable)";
    return nullptr;
  }
  std::unique_ptr<Writer> w(new Writer());
  w->options_ = options;
  // Continue the chain: the last line of PATH, or of the newest rotated file when PATH is empty or absent.
  const std::vector<std::string> files = chain_files(options.path);
  for (auto it = files.rbegin(); it != files.rend(); ++it) {
    std::string line;
    if (!last_line(*it, &line, error)) return nullptr;
    if (line.empty()) continue;
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("seq") || !j["seq"].is_number_unsigned()) {
      *error = *it + ": its last line is not a decision-log line; not appending to it";
      return nullptr;
    }
    w->head_.seq = j["seq"].get<std::uint64_t>();
    w->head_.sha256 = sha256_hex(line);
    break;
  }
  if (w->head_.sha256.empty()) w->head_.sha256 = kZeros;
  w->fd_ = ::open(options.path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (w->fd_ < 0) {
    *error = options.path + ": cannot open for appending: " + std::strerror(errno);
    return nullptr;
  }
  struct stat st {};
  if (::fstat(w->fd_, &st) == 0) w->size_ = static_cast<std::uint64_t>(st.st_size);
  return w;
}

Writer::~Writer() {
  if (fd_ >= 0) ::close(fd_);
}

bool Writer::rotate(std::string* error) {
  int n = 1;
  while (std::filesystem::exists(options_.path + "." + std::to_string(n))) ++n;
  const std::string target = options_.path + "." + std::to_string(n);
  ::close(fd_);
  fd_ = -1;
  if (std::rename(options_.path.c_str(), target.c_str()) != 0) {
    if (error) *error = options_.path + ": cannot rotate to " + target + ": " + std::strerror(errno);
  }
  fd_ = ::open(options_.path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd_ < 0) {
    if (error) *error = options_.path + ": cannot reopen after rotation: " + std::strerror(errno);
    return false;
  }
  size_ = 0;
  return true;
}

bool Writer::append(const Decision& decision, std::string_view input, std::string_view request_id, bool clear_pii,
                    std::string* error) {
  const std::string record = decision_record(decision, input, request_id, clear_pii, options_.hmac_key);
  std::lock_guard<std::mutex> lock(mu_);
  if (options_.rotate_bytes && size_ >= options_.rotate_bytes && !rotate(error)) {
    ++failures_;
    return false;
  }
  // {"prev":…,"seq":…, then the record's own keys.
  std::string line = "{\"prev\":\"" + head_.sha256 + "\",\"seq\":" + std::to_string(head_.seq + 1) + "," +
                     record.substr(1);
  const std::string hash = sha256_hex(line);
  line.push_back('\n');
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (error) *error = options_.path + ": write failed: " + std::strerror(errno);
      ++failures_;
      // A partial line would break the chain for every later line: cut it off again.
      if (done) (void)::ftruncate(fd_, static_cast<off_t>(size_));
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  if (options_.fsync) ::fsync(fd_);
  size_ += line.size();
  head_.seq += 1;
  head_.sha256 = hash;
  return true;
}

Head Writer::head() const {
  std::lock_guard<std::mutex> lock(mu_);
  return head_;
}

std::uint64_t Writer::failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_;
}

VerifyResult verify(const std::vector<std::string>& files, std::string_view expected_head) {
  VerifyResult r;
  std::string prev_hash = kZeros;
  std::uint64_t prev_seq = 0;
  std::string prev_where = "the start of the chain";
  for (const auto& file : files) {
    std::ifstream f(file, std::ios::binary);
    if (!f) {
      r.problem = file + ": cannot open the file";
      return r;
    }
    std::string line;
    std::uint64_t number = 0;
    while (std::getline(f, line)) {
      ++number;
      const std::string where = file + ":" + std::to_string(number);
      if (line.empty()) {
        r.problem = where + ": an empty line (a decision log has none)";
        return r;
      }
      const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object()) {
        r.problem = where + ": not a JSON object (the line was altered or cut)";
        return r;
      }
      if (!j.contains("prev") || !j["prev"].is_string() || !j.contains("seq") || !j["seq"].is_number_unsigned()) {
        r.problem = where + ": no \"prev\" and \"seq\" (not a decision-log line)";
        return r;
      }
      const std::uint64_t seq = j["seq"].get<std::uint64_t>();
      if (j["prev"].get<std::string>() != prev_hash) {
        r.problem = where + ": prev is not the SHA-256 of " + prev_where +
                    " (a line before it was edited, deleted or moved, or this line was moved)";
        return r;
      }
      if (seq != prev_seq + 1) {
        r.problem = where + ": seq " + std::to_string(seq) + " follows seq " + std::to_string(prev_seq) +
                    " (lines deleted or reordered)";
        return r;
      }
      prev_hash = sha256_hex(line);
      prev_seq = seq;
      prev_where = where;
      ++r.lines;
    }
  }
  r.head.seq = prev_seq;
  r.head.sha256 = prev_hash;
  if (!expected_head.empty() && expected_head != prev_hash) {
    r.problem = prev_where + ": the last line's SHA-256 is " + prev_hash + ", not the expected head " +
                std::string(expected_head) + " (lines cut off the end, or the last line edited)";
    return r;
  }
  r.ok = true;
  return r;
}

}  // namespace eligo::audit
