// Keyed hashing of ID numbers (HMAC-SHA-256, OpenSSL libcrypto) for joining lists without raw IDs.
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "eligo/identity.hpp"

namespace eligo::identity {
namespace {

// What gets hashed: the normalised text, with a 15-digit legacy number converted to 18 characters. Only the
// conversion is applied (it depends on nothing but the digits), so the hash never changes with the
// evaluation date or the region options.
std::string hash_input(std::string_view id_text) {
  IdOptions options;
  options.as_of = Date::from_ymd(9999, 12, 31);
  options.region_check = RegionCheck::none;
  const IdCheck check = check_id(id_text, options);
  if (check.kind == IdKind::resident_legacy && check.canonical().size() == 18) return std::string(check.canonical());
  return normalize_id(id_text);
}

}  // namespace

struct IdHasher::State {
  EVP_MAC* mac = nullptr;
  EVP_MAC_CTX* keyed = nullptr;  // initialised with the key; duplicated for each hash
  ~State() {
    EVP_MAC_CTX_free(keyed);
    EVP_MAC_free(mac);
  }
};

IdHasher::IdHasher(std::string_view key) : state_(std::make_unique<State>()) {
  state_->mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (state_->mac == nullptr) return;
  state_->keyed = EVP_MAC_CTX_new(state_->mac);
  if (state_->keyed == nullptr) return;
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  static const unsigned char kEmptyKey[1] = {0};
  const auto* key_bytes = key.empty() ? kEmptyKey : reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_MAC_init(state_->keyed, key_bytes, key.size(), params) != 1) {
    EVP_MAC_CTX_free(state_->keyed);
    state_->keyed = nullptr;
  }
}

IdHasher::~IdHasher() = default;
IdHasher::IdHasher(IdHasher&&) noexcept = default;
IdHasher& IdHasher::operator=(IdHasher&&) noexcept = default;

std::string IdHasher::hash(std::string_view id_text) const {
  if (!state_ || state_->keyed == nullptr) return "";
  const std::string message = hash_input(id_text);
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(state_->keyed);
  if (ctx == nullptr) return "";
  unsigned char digest[EVP_MAX_MD_SIZE];
  std::size_t digest_size = 0;
  const bool ok = EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1 &&
                  EVP_MAC_final(ctx, digest, &digest_size, sizeof digest) == 1;
  EVP_MAC_CTX_free(ctx);
  if (!ok) return "";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(digest_size * 2);
  for (std::size_t i = 0; i < digest_size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

std::string keyed_id_hash(std::string_view key, std::string_view id_text) { return IdHasher(key).hash(id_text); }

}  // namespace eligo::identity
