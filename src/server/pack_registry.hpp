// The packs being served: an immutable snapshot (a PackSet plus what GET /v1/packs shows) swapped whole on
// reload. A request holds the shared_ptr it started with, so it finishes on that set even while a reload
// installs the next one. A reload whose packs do not all compile leaves the current snapshot in place and
// records the diagnostics for /v1/status.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "eligo/pack.hpp"

namespace eligo::server {

struct PackInfo {
  const Pack* pack = nullptr;       // points into the snapshot's set
  nlohmann::json title;             // {"zh-CN": ..., "en": ...} as written in the pack
  nlohmann::json inputs;            // the pack's declared inputs, for form builders
  std::vector<std::string> sources; // source names its groups are fetched from
};

struct PackSnapshot {
  PackSet set;
  std::vector<PackInfo> info;       // one per set.packs(), same order
  std::uint64_t generation = 0;     // 1 for the first set, +1 per successful reload
  std::string loaded_at;            // UTC, ISO 8601
  std::vector<std::string> files;   // the pack files compiled
  const PackInfo* info_of(const Pack* pack) const;
};

struct ReloadStatus {
  bool ok = true;
  std::string at;                   // when the last attempt ran
  std::string trigger;              // "start", "watch", "SIGHUP"
  Diagnostics diagnostics;          // of the last attempt (warnings too)
  std::uint64_t attempts = 0, failures = 0;
};

class PackRegistry {
 public:
  explicit PackRegistry(std::vector<std::string> roots) : roots_(std::move(roots)) {}

  // Compiles every pack under the roots; installs the new snapshot only if all compile. Thread-safe.
  bool reload(const std::string& trigger);
  std::shared_ptr<const PackSnapshot> current() const;
  ReloadStatus status() const;
  // A fingerprint of the pack files (names, sizes, modification times): it changes when one is changed,
  // added or removed. Cheap enough to poll.
  std::string fingerprint() const;

 private:
  std::vector<std::string> roots_;
  mutable std::mutex mu_;
  std::shared_ptr<const PackSnapshot> current_;
  ReloadStatus status_;
  std::mutex reload_mu_;  // one reload at a time
};


}  // namespace eligo::server
