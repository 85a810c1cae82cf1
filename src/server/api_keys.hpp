// API keys: the keys file holds the SHA-256 of each key (never the key), the packs it may use and whether it
// may ask for clear PII. A presented key is hashed and compared with every entry in constant time, so
// neither the time taken nor an early exit tells a caller how close a guess was.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace eligo::server {

struct ApiKey {
  std::string id;                   // a name for logs and metrics ("portal-a"); never the key
  std::string sha256;               // 32 bytes, raw
  std::vector<std::string> packs;   // pack ids this key may evaluate; "*" = all
  bool clear_pii = false;           // may ask for unmasked PII
  bool reconcile = false;           // may POST /v1/reconcile (writes a report into the reports folder)
  bool dashboard = false;           // may read /v1/dashboard/… (docs/dashboard.md); "packs": [] + this = dashboard only
  bool allows(std::string_view pack_id) const;
};

class ApiKeys {
 public:
  // {"keys": [{"id": "portal-a", "sha256": "<64 hex>", "packs": ["*"], "clear_pii": false}]}
  bool load(const std::string& path, std::string* error);
  bool parse(const std::string& text, const std::string& name, std::string* error);
  bool empty() const { return keys_.empty(); }
  std::size_t size() const { return keys_.size(); }
  // The entry whose hash matches SHA-256(presented), or nullptr. Every entry is compared.
  const ApiKey* find(std::string_view presented) const;

 private:
  std::vector<ApiKey> keys_;
};

// Lower-case hex SHA-256 of `text` (what the keys file stores; `eligo-server --hash-key` prints it).
std::string sha256_hex(std::string_view text);

}  // namespace eligo::server
