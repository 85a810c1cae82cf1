#include "blacklist/key.hpp"

#include "eligo/identity.hpp"
#include "identity/plain_id.hpp"

namespace eligo::blacklist::detail {
namespace {

constexpr std::uint64_t kShapeB = 1'100'000'000'000'000'000ull;  // 10^17 × 11
constexpr std::uint64_t kTen12 = 1'000'000'000'000ull;

bool digit(char c) { return c >= '0' && c <= '9'; }

// Multiplicative inverse modulo 2^64 of an odd number (Newton's iteration doubles the correct bits).
constexpr std::uint64_t inverse(std::uint64_t a) {
  std::uint64_t x = a;
  for (int i = 0; i < 6; ++i) x *= 2 - a * x;
  return x;
}
constexpr std::uint64_t kMul1 = 0xbf58476d1ce4e5b9ull;
constexpr std::uint64_t kMul2 = 0x94d049bb133111ebull;
static_assert(kMul1 * inverse(kMul1) == 1 && kMul2 * inverse(kMul2) == 1);

const identity::IdOptions& list_options() {
  static const identity::IdOptions options = [] {
    identity::IdOptions o;
    o.as_of = Date::from_ymd(9999, 12, 31);
    o.region_check = identity::RegionCheck::none;
    return o;
  }();
  return options;
}

struct HexTable {
  std::int8_t value[256];
  constexpr HexTable() : value() {
    for (int c = 0; c < 256; ++c) value[c] = -1;
    for (int c = '0'; c <= '9'; ++c) value[c] = static_cast<std::int8_t>(c - '0');
    for (int c = 'a'; c <= 'f'; ++c) value[c] = static_cast<std::int8_t>(c - 'a' + 10);
    for (int c = 'A'; c <= 'F'; ++c) value[c] = static_cast<std::int8_t>(c - 'A' + 10);
  }
};
constexpr HexTable kHexTable;

int hex_value(char c) { return kHexTable.value[static_cast<unsigned char>(c)]; }

}  // namespace

std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool encode_id(std::string_view s, std::uint64_t* code) {
  if (s.size() == 18) {
    std::uint64_t v = 0;
    for (int i = 0; i < 17; ++i) {
      if (!digit(s[i])) return false;
      v = v * 10 + static_cast<unsigned>(s[i] - '0');
    }
    const char c = s[17];
    unsigned check;
    if (digit(c)) {
      check = static_cast<unsigned>(c - '0');
    } else if (c == 'X') {
      check = 10;
    } else {
      return false;
    }
    *code = v * 11 + check;
    return true;
  }
  if (s.size() == 15) {
    std::uint64_t letters = 0;
    for (int i = 0; i < 3; ++i) {
      if (s[i] < 'A' || s[i] > 'Z') return false;
      letters = letters * 26 + static_cast<unsigned>(s[i] - 'A');
    }
    std::uint64_t v = 0;
    for (int i = 3; i < 15; ++i) {
      if (!digit(s[i])) return false;
      v = v * 10 + static_cast<unsigned>(s[i] - '0');
    }
    *code = kShapeB + letters * kTen12 + v;
    return true;
  }
  return false;
}

std::size_t decode_id(std::uint64_t code, char* s) {
  if (code < kShapeB) {
    const unsigned check = static_cast<unsigned>(code % 11);
    s[17] = check == 10 ? 'X' : static_cast<char>('0' + check);
    const std::uint64_t v = code / 11;
    // 17 digits as 8 + 9 in 32-bit arithmetic (cheaper divisions than 17 in 64 bits).
    std::uint32_t hi = static_cast<std::uint32_t>(v / 1'000'000'000u), lo = static_cast<std::uint32_t>(v % 1'000'000'000u);
    for (int i = 16; i >= 8; --i, lo /= 10) s[i] = static_cast<char>('0' + lo % 10);
    for (int i = 7; i >= 0; --i, hi /= 10) s[i] = static_cast<char>('0' + hi % 10);
    return 18;
  }
  code -= kShapeB;
  std::uint64_t letters = code / kTen12, v = code % kTen12;
  for (int i = 14; i >= 3; --i, v /= 10) s[i] = static_cast<char>('0' + v % 10);
  for (int i = 2; i >= 0; --i, letters /= 26) s[i] = static_cast<char>('A' + letters % 26);
  return 15;
}

std::string decode_id(std::uint64_t code) {
  char s[18];
  return std::string(s, decode_id(code, s));
}

bool query_code(std::string_view text, std::uint64_t* code) {
  // The common case (18 ASCII characters, digits and a check character) needs no normalisation: NFKC and
  // trimming leave it as it is, and only a lower-case x changes.
  if (text.size() == 18) {
    std::uint64_t v = 0;
    bool plain = true;
    for (int i = 0; i < 17 && plain; ++i) {
      plain = digit(text[i]);
      v = v * 10 + static_cast<unsigned>(text[i] - '0');
    }
    const char c = text[17];
    if (plain && (digit(c) || c == 'X' || c == 'x')) {
      *code = v * 11 + (digit(c) ? static_cast<unsigned>(c - '0') : 10u);
      return true;
    }
  }
  // Anything else goes through the identity module, as keyed_id_hash does: a 15-digit number with a real
  // date becomes its 18-digit form; otherwise the normalised text is the key.
  const identity::IdCheck check = identity::check_id(text, list_options());
  const std::string_view key = check.kind == identity::IdKind::resident_legacy && check.canonical().size() == 18
                                   ? check.canonical()
                                   : check.normalized();
  return encode_id(key, code);
}

namespace {

// The common case of canonical_id: 18 ASCII characters that the identity module's shortcut finds a valid
// resident number (for such text identity::check_id with list_options() finds it valid with the text itself,
// x upper-cased, as its canonical form), encoded as encode_id would. false for anything else: the caller
// then asks identity::check_id for the kind or the reason.
bool plain_resident_code(std::string_view s, std::uint64_t* code) {
  if (!identity::detail::plain_resident_id(s)) return false;
  std::uint64_t v = 0;
  for (int i = 0; i < 17; ++i) v = v * 10 + static_cast<unsigned>(s[static_cast<std::size_t>(i)] - '0');
  const char c = s[17];
  *code = v * 11 + (digit(c) ? static_cast<unsigned>(c - '0') : 10u);
  return true;
}

}  // namespace

std::optional<Problem> canonical_id(std::string_view text, std::uint64_t* code) {
  if (plain_resident_code(text, code)) return std::nullopt;  // most list entries (Builder::add's hot path)
  if (trim(text).empty()) return Problem{Field::key, "empty"};
  const identity::IdCheck check = identity::check_id(text, list_options());
  if (!check.valid()) {
    return Problem{Field::key, identity::describe(check) + " (" + identity::mask(identity::PiiKind::id_number, text) + ")"};
  }
  if (!encode_id(check.canonical(), code)) {
    return Problem{Field::key, std::string("a ") + identity::to_string(check.kind) + " number of a form lists cannot hold (" +
                                   identity::mask(identity::PiiKind::id_number, text) + ")"};
  }
  return std::nullopt;
}

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= kMul1;
  x ^= x >> 27;
  x *= kMul2;
  x ^= x >> 31;
  return x;
}

std::uint64_t unmix(std::uint64_t x) {
  x ^= (x >> 31) ^ (x >> 62);
  x *= inverse(kMul2);
  x ^= (x >> 27) ^ (x >> 54);
  x *= inverse(kMul1);
  x ^= (x >> 30) ^ (x >> 60);
  return x;
}

bool parse_hex_key(std::string_view text, Digest* out) {
  text = trim(text);
  if (text.size() != 64) return false;
  int bad = 0;
  for (std::size_t i = 0; i < 32; ++i) {
    const int hi = hex_value(text[2 * i]), lo = hex_value(text[2 * i + 1]);
    bad |= hi | lo;  // negative when either is not a hex digit
    (*out)[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return bad >= 0;
}

std::string to_hex(const std::uint8_t* bytes, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    s[2 * i] = kHex[bytes[i] >> 4];
    s[2 * i + 1] = kHex[bytes[i] & 15];
  }
  return s;
}

std::uint64_t digest_prefix(const Digest& d) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | d[i];
  return v;
}

std::uint32_t digest_confirm(const Digest& d) {
  return static_cast<std::uint32_t>(d[8]) << 24 | static_cast<std::uint32_t>(d[9]) << 16 |
         static_cast<std::uint32_t>(d[10]) << 8 | d[11];
}

}  // namespace eligo::blacklist::detail
