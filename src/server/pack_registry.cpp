#include "server/pack_registry.hpp"
#include "core/utc_clock.hpp"

#include "compile/program.hpp"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace eligo::server {

namespace fs = std::filesystem;

const PackInfo* PackSnapshot::info_of(const Pack* pack) const {
  for (const auto& i : info)
    if (i.pack == pack) return &i;
  return nullptr;
}

// A root that is a file is that pack; a folder contributes its *.pack.json files and those of its
// subfolders one level down (so `--packs rules` serves rules/<pack>/*.pack.json).
std::string PackRegistry::fingerprint() const {
  std::string fp;
  for (const auto& root : roots_) {
    std::error_code ec;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    std::vector<std::string> parts;
    if (ec) {  // a file root
      const auto t = fs::last_write_time(root, ec);
      parts.push_back(root + "|" + std::to_string(ec ? -1 : static_cast<long long>(t.time_since_epoch().count())) +
                      "|" + std::to_string(ec ? 0 : fs::file_size(root, ec)));
    }
    for (; !ec && it != end; it.increment(ec)) {
      if (it.depth() > 2) {
        it.disable_recursion_pending();
        continue;
      }
      std::error_code e2;
      if (!it->is_regular_file(e2)) continue;
      const auto t = it->last_write_time(e2);
      parts.push_back(it->path().string() + "|" + std::to_string(static_cast<long long>(t.time_since_epoch().count())) +
                      "|" + std::to_string(it->file_size(e2)));
    }
    std::sort(parts.begin(), parts.end());
    for (const auto& p : parts) fp += p + "\n";
  }
  return fp;
}

bool PackRegistry::reload(const std::string& trigger) {
  std::lock_guard<std::mutex> one(reload_mu_);
  auto next = std::make_shared<PackSnapshot>();
  Diagnostics diags;
  next->files = pack_files(roots_);
  bool ok = next->set.load(roots_, &diags);  // E1002 none found, E1005 one id and version twice
  if (ok) {
    for (const auto& p : next->set.packs()) {
      PackInfo info;
      info.pack = &p;
      std::ifstream f(p.file(), std::ios::binary);
      std::ostringstream ss;
      ss << f.rdbuf();
      const nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
      if (j.is_object()) {
        if (j.contains("title")) info.title = j["title"];
        if (j.contains("inputs")) info.inputs = j["inputs"];
      }
      for (const auto& g : p.program().groups)  // in the pack's order
        if (!g.source.empty() && std::find(info.sources.begin(), info.sources.end(), g.source) == info.sources.end())
          info.sources.push_back(g.source);
      next->info.push_back(std::move(info));
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  status_.at = eligo::detail::utc_now_text(true);
  status_.trigger = trigger;
  status_.diagnostics = diags;
  status_.ok = ok;
  ++status_.attempts;
  if (!ok) {
    ++status_.failures;
    return false;
  }
  next->generation = current_ ? current_->generation + 1 : 1;
  next->loaded_at = status_.at;
  current_ = std::move(next);
  return true;
}

std::shared_ptr<const PackSnapshot> PackRegistry::current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

ReloadStatus PackRegistry::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

}  // namespace eligo::server
