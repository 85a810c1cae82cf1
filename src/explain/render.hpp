// The explain stage: values as people read them (numbers grouped by ICU for the language, dates in the
// language's form, PII masked), reason templates filled in, and decisions as JSON or text.
#pragma once

#include <string>
#include <string_view>

#include "compile/program.hpp"
#include "evaluate/evaluator.hpp"
#include "evaluate/fast_value.hpp"

namespace eligo::explain {

// For reasons: "5,000.00", dates "2021-03-31" (or "2021年3月31日" in zh-CN with `chinese_dates`, the pack's
// "date_format": "chinese"), masked PII, "（缺失）" for missing.
std::string render_for_reason(const detail::Value& v, std::string_view lang, detail::Pii pii, bool clear_pii,
                              bool chinese_dates = false);
// A date in a reason: YYYY-MM-DD, or 2021年3月31日 when `chinese` (and the language is not en).
std::string reason_date(Date d, std::string_view lang, bool chinese);
// For traces and outputs: exact and language-neutral ("5000.00", "2021-03-31", "[3 items]"), masked PII.
std::string render_plain(const detail::Value& v, detail::Pii pii, bool clear_pii);
// As JSON: decimals as strings (exact), dates as strings, lists as arrays.
std::string render_json(const detail::Value& v);

std::string fill_template(detail::Evaluator& ev, const detail::Template& t, std::string_view lang, bool clear_pii);

// Appends to *out exactly what render_for_reason writes for the fast path's value `f` (a field of the bound
// input's row, evaluator.hpp): numbers and strings, the values reasons quote most, are written straight
// into *out (no Value, no ICU, no temporary string); anything else, and a number or string that may hold
// PII by shape, goes through render_for_reason itself. `f` must not be bail. Issue 11, session 9: the
// reasons of failing applicants were a fifth of the eligibility bench, mostly ICU and allocation.
void append_for_reason(const detail::Fast& f, std::string_view lang, detail::Pii pii, bool clear_pii,
                       bool chinese_dates, std::string* out);
// A fixed-point number as render_for_reason writes one that holds no PII by shape: '-' when negative, the
// integer digits grouped by three with ',' from 10,000 on, '.' and exactly `scale` (0–18) fraction digits —
// what ICU's zh-CN and en-US formatters with minimum grouping 2 write (tests compare the two).
void append_number_for_reason(std::int64_t coefficient, int scale, std::string* out);

// A list item for the trace: a record as "{kind: dibao, from: 2023-06-01, to: null}" (fields masked as
// declared), anything else as render_plain.
std::string render_item(const detail::Program& p, std::uint32_t type, const detail::Value& v, bool clear_pii);
// The text of the expression a node was lowered from, as written ("" when unknown).
std::string node_text(const detail::Program& p, std::uint32_t node);

// The PII kind of the field a path names ("applicant.id_number" → id_number).
detail::Pii pii_of_path(const detail::Program& p, std::uint32_t path);

}  // namespace eligo::explain
