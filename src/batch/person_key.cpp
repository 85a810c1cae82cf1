#include "batch/person_key.hpp"

#include <openssl/evp.h>

#include "eligo/batch.hpp"
#include "eligo/identity.hpp"

namespace eligo::batch::detail {
namespace {

bool digits(std::string_view s) {
  for (const char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// 18 ASCII characters, 17 digits and the right check character (x accepted): the 17 digits, else 0.
std::uint64_t exact(std::string_view s) {
  if (s.size() != 18 || !digits(s.substr(0, 17))) return 0;
  const char last = s[17] == 'x' ? 'X' : s[17];
  if (identity::id_check_character(s.substr(0, 17)) != last) return 0;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 17; ++i) v = v * 10 + static_cast<std::uint64_t>(s[i] - '0');
  return v;
}

}  // namespace

std::uint64_t person_key(std::string_view text) {
  if (text.empty()) return 0;
  if (const std::uint64_t v = exact(text)) return v;
  const std::string n = canonical_id(text);
  if (n.empty()) return 0;
  if (const std::uint64_t v = exact(n)) return v;
  std::uint64_t h = 1469598103934665603ull;
  for (const char c : n) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h | kHashedKey;
}

std::string person_id(std::uint64_t key) {
  if (key == 0 || (key & kHashedKey)) return "";
  std::string s(17, '0');
  for (int i = 16; i >= 0; --i, key /= 10) s[static_cast<std::size_t>(i)] = static_cast<char>('0' + key % 10);
  s.push_back(identity::id_check_character(s));
  return s;
}

std::string canonical_id(std::string_view text) {
  if (exact(text)) {
    std::string s(text);
    if (s[17] == 'x') s[17] = 'X';
    return s;
  }
  std::string n = identity::normalize_id(text);
  if (n.size() == 15 && digits(n))
    if (auto full = identity::id_15_to_18(n)) return *full;
  return n;
}

}  // namespace eligo::batch::detail

namespace eligo::batch {

std::string order_number(std::string_view policy, std::string_view period, std::string_view id) {
  std::string text(policy);
  text.push_back('\x1f');
  text.append(period);
  text.push_back('\x1f');
  text += detail::canonical_id(id);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), md, &len, EVP_sha256(), nullptr);
  std::string out;
  for (const char c : period)
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-') out.push_back(c);
  if (!out.empty()) out.push_back('-');
  static const char* hex = "0123456789abcdef";
  for (unsigned i = 0; i < 8 && i < len; ++i) {
    out.push_back(hex[md[i] >> 4]);
    out.push_back(hex[md[i] & 15]);
  }
  return out;
}

}  // namespace eligo::batch
