#include "server/api_keys.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace eligo::server {

namespace {

std::string sha256_raw(std::string_view text) {
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), d);
  return std::string(reinterpret_cast<const char*>(d), sizeof d);
}

bool from_hex(const std::string& hex, std::string* out) {
  if (hex.size() != 64) return false;
  out->clear();
  for (std::size_t i = 0; i < 64; i += 2) {
    int v = 0;
    for (int k = 0; k < 2; ++k) {
      const char c = hex[i + k];
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return false;
      v = v * 16 + d;
    }
    out->push_back(static_cast<char>(v));
  }
  return true;
}

}  // namespace

std::string sha256_hex(std::string_view text) {
  static const char* digits = "0123456789abcdef";
  std::string raw = sha256_raw(text), hex;
  for (unsigned char c : raw) {
    hex.push_back(digits[c >> 4]);
    hex.push_back(digits[c & 15]);
  }
  return hex;
}

bool ApiKey::allows(std::string_view pack_id) const {
  return std::any_of(packs.begin(), packs.end(), [&](const std::string& p) { return p == "*" || p == pack_id; });
}

bool ApiKeys::load(const std::string& path, std::string* error) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    *error = path + ": cannot open the keys file";
    return false;
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  return parse(ss.str(), path, error);
}

bool ApiKeys::parse(const std::string& text, const std::string& name, std::string* error) {
  using nlohmann::json;
  const json j = json::parse(text, nullptr, false);
  auto fail = [&](const std::string& pointer, const std::string& m) {
    *error = name + ": " + pointer + ": " + m;
    return false;
  };
  if (j.is_discarded() || !j.is_object()) return fail("/", "expected a JSON object {\"keys\": [...]}");
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.key() != "keys") return fail("/" + it.key(), "unknown key");
  if (!j.contains("keys") || !j["keys"].is_array()) return fail("/keys", "expected a list of keys");
  std::vector<ApiKey> keys;
  for (std::size_t i = 0; i < j["keys"].size(); ++i) {
    const json& k = j["keys"][i];
    const std::string p = "/keys/" + std::to_string(i);
    if (!k.is_object()) return fail(p, "expected an object");
    for (auto it = k.begin(); it != k.end(); ++it)
      if (it.key() != "id" && it.key() != "sha256" && it.key() != "packs" && it.key() != "clear_pii" &&
          it.key() != "dashboard" && it.key() != "reconcile")
        return fail(p + "/" + it.key(), "unknown key");
    ApiKey key;
    if (!k.contains("id") || !k["id"].is_string() || k["id"].get<std::string>().empty())
      return fail(p + "/id", "expected a name");
    key.id = k["id"].get<std::string>();
    if (!k.contains("sha256") || !k["sha256"].is_string() || !from_hex(k["sha256"].get<std::string>(), &key.sha256))
      return fail(p + "/sha256", "expected 64 hex digits (eligo-server --hash-key prints them)");
    if (!k.contains("packs") || !k["packs"].is_array()) return fail(p + "/packs", "expected a list of pack ids or [\"*\"]");
    for (const auto& pk : k["packs"]) {
      if (!pk.is_string()) return fail(p + "/packs", "expected pack ids");
      key.packs.push_back(pk.get<std::string>());
    }
    if (k.contains("reconcile")) {
      if (!k["reconcile"].is_boolean()) return fail(p + "/reconcile", "expected true or false");
      key.reconcile = k["reconcile"].get<bool>();
    }
    if (k.contains("dashboard")) {
      if (!k["dashboard"].is_boolean()) return fail(p + "/dashboard", "expected true or false");
      key.dashboard = k["dashboard"].get<bool>();
    }
    if (k.contains("clear_pii")) {
      if (!k["clear_pii"].is_boolean()) return fail(p + "/clear_pii", "expected true or false");
      key.clear_pii = k["clear_pii"].get<bool>();
    }
    for (const auto& other : keys)
      if (other.id == key.id) return fail(p + "/id", "duplicate id '" + key.id + "'");
    keys.push_back(std::move(key));
  }
  keys_ = std::move(keys);
  return true;
}

const ApiKey* ApiKeys::find(std::string_view presented) const {
  const std::string h = sha256_raw(presented);
  const ApiKey* found = nullptr;
  for (const auto& k : keys_) {
    const bool same = CRYPTO_memcmp(h.data(), k.sha256.data(), h.size()) == 0;
    if (same && !found) found = &k;
  }
  return found;
}

}  // namespace eligo::server
