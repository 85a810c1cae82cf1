// The run-time value of an expression. Trivially copyable: strings, lists and records point into storage
// owned by the bound input, the Program's constants or the evaluation's arena, never into the heap.
#pragma once

#include <cstdint>
#include <cstddef>
#include <cstring>
#include <utility>
#include <string_view>

#include "eligo/date.hpp"
#include "eligo/decimal.hpp"

namespace eligo::detail {

enum class VKind : std::uint8_t { missing, null, boolean, number, string, date, list, record };

struct Value {
  VKind kind = VKind::missing;
  bool b = false;
  // A string bound from an enum field: 1 + the member's symbol in the fast path's plan (see Fast::sym);
  // 0 otherwise. Only the fast path reads it; it sits in what was padding.
  std::uint16_t sym = 0;
  std::uint32_t n = 0;  // string length / list length; for missing, the path id of what was missing
  union {
    std::int32_t date;
    const char* str;
    const Value* items;  // list items, or record fields in slot order
  };
  Decimal num;

  Value() : items(nullptr) {}

  static Value missing(std::uint32_t path) { Value v; v.kind = VKind::missing; v.n = path; return v; }
  static Value null() { Value v; v.kind = VKind::null; return v; }
  static Value boolean(bool x) { Value v; v.kind = VKind::boolean; v.b = x; return v; }
  static Value number(const Decimal& d) { Value v; v.kind = VKind::number; v.num = d; return v; }
  static Value of_date(Date d) { Value v; v.kind = VKind::date; v.date = d.days(); return v; }
  static Value string(const char* p, std::uint32_t len) { Value v; v.kind = VKind::string; v.str = p; v.n = len; return v; }
  static Value list(const Value* items, std::uint32_t count) { Value v; v.kind = VKind::list; v.items = items; v.n = count; return v; }
  static Value record(const Value* fields) { Value v; v.kind = VKind::record; v.items = fields; return v; }

  bool is_missing() const { return kind == VKind::missing; }
  bool absent() const { return kind == VKind::missing || kind == VKind::null; }
  std::string_view sv() const { return std::string_view(str, n); }
  Date as_date() const { return Date::from_days(date); }
};

static_assert(sizeof(Value) == 48, "a bound value is 48 bytes: the symbol sits in padding");

// Equality of two present values of one static type (the type checker guarantees it).
bool values_equal(const Value& a, const Value& b);
// Order of two present values of one ordered type (number, date, string by bytes).
int values_compare(const Value& a, const Value& b);

// A bump allocator for what an evaluation or a bound input creates. reset() keeps the first block, so a
// reused arena stops allocating once it has grown to the largest applicant seen.
class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  Arena(Arena&& o) noexcept { *this = std::move(o); }
  Arena& operator=(Arena&& o) noexcept;
  ~Arena();

  void* allocate(std::size_t bytes, std::size_t align = alignof(std::max_align_t));
  template <typename T>
  T* make_array(std::size_t n) {
    return static_cast<T*>(allocate(sizeof(T) * (n ? n : 1), alignof(T)));
  }
  const char* copy(std::string_view s) {
    char* p = static_cast<char*>(allocate(s.size() + 1, 1));
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
  }
  void reset();
  std::size_t capacity() const;

  // Storage the owner keeps inline (BoundInput): allocation starts there, and again after every reset(),
  // before any heap block; it is never freed. An arena with inline storage must not be moved (its owner
  // deletes its own moves). Heap blocks still grow as before when it is full; reset() keeps the newest one
  // as a spare, so a large applicant does not allocate on every bind.
  void set_inline(char* storage, std::size_t bytes);
  // Where the next allocation would start: binding ends there, so [start of storage, cursor) is what a
  // bound input occupies (Pack::evaluate prefetches it).
  const char* cursor() const { return cur_; }
  bool in_inline() const { return in_inline_; }

 private:
  struct Block {
    Block* next;
    std::size_t size;
  };
  Block* head_ = nullptr;  // newest heap block; older ones follow
  char* cur_ = nullptr;
  char* end_ = nullptr;
  char* inline_ = nullptr;  // set_inline's storage, or null
  std::size_t inline_bytes_ = 0;
  bool in_inline_ = false;  // cur_ points into inline_
};

}  // namespace eligo::detail
