// The fast path's value (issue 11): 16 bytes, a number as a 64-bit coefficient with a scale. Its own header
// because a bound input keeps a row of them (BoundInput::row), one per field given up front, so that the
// fast path reads an applicant's fields from one or two cache lines instead of the 48-byte bound values.
#pragma once

#include <cstdint>

#include "evaluate/value.hpp"

namespace eligo::detail {

enum class FKind : std::uint8_t { bail, null, boolean, number, string, date, list, record };

struct Fast {
  union {
    std::int64_t i;      // number coefficient, date days, boolean 0/1
    const char* s;       // string bytes
    const Value* items;  // list items, record fields (the bound input's own values)
  };
  std::uint32_t n = 0;     // string / list length
  std::int8_t scale = 0;   // number: digits after the point
  FKind kind = FKind::bail;
  // A string's symbol: 1 + its index in the plan's table of enum members (FastPlan::symbols), bound with
  // the value or set on a constant; 0 for any other string and every other kind. Two strings that both
  // have one are equal exactly when their symbols are (the table holds each text once), so an enum field
  // compares with a constant without reading its bytes. Also named so that a copy moves all 16 bytes as
  // two whole words: as 2 bytes of padding the compiler copied bytes 0–7 and 6–13 (overlapping stores),
  // and reading the value back as whole words then stalled on store forwarding.
  std::uint16_t sym = 0;

  Fast() : i(0) {}
  static Fast bail() { return Fast(); }
  static Fast null() { Fast f; f.kind = FKind::null; return f; }
  static Fast boolean(bool b) { Fast f; f.kind = FKind::boolean; f.i = b; return f; }
  static Fast number(std::int64_t c, int s) { Fast f; f.kind = FKind::number; f.i = c; f.scale = static_cast<std::int8_t>(s); return f; }
  static Fast date(std::int32_t d) { Fast f; f.kind = FKind::date; f.i = d; return f; }
  bool failed() const { return kind == FKind::bail; }
  bool truthy() const { return kind == FKind::boolean && i != 0; }
  Decimal decimal() const { return *Decimal::from_parts(i, scale); }
};
static_assert(sizeof(Fast) == 16, "a fast value is two words");

// A bound value as a fast one; bail for missing data or a number beyond 64 bits.
inline Fast to_fast(const Value& v) {
  Fast f;
  switch (v.kind) {
    case VKind::missing: return f;
    case VKind::null: f.kind = FKind::null; return f;
    case VKind::boolean: f.kind = FKind::boolean; f.i = v.b; return f;
    case VKind::number: {
      const __int128 c = v.num.coefficient();
      if (c > INT64_MAX || c < INT64_MIN) return f;
      f.kind = FKind::number;
      f.i = static_cast<std::int64_t>(c);
      f.scale = static_cast<std::int8_t>(v.num.scale());
      return f;
    }
    case VKind::string: f.kind = FKind::string; f.s = v.str; f.n = v.n; f.sym = v.sym; return f;
    case VKind::date: f.kind = FKind::date; f.i = v.date; return f;
    case VKind::list: f.kind = FKind::list; f.items = v.items; f.n = v.n; return f;
    case VKind::record: f.kind = FKind::record; f.items = v.items; return f;
  }
  return f;
}

}  // namespace eligo::detail
