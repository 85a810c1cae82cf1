// The classification behind Reconciliation::run(), and the payee comparisons the evidence texts repeat.
#pragma once

#include <optional>
#include <string_view>

#include "payout/store.hpp"

namespace eligo::payout::detail {

// Moves the inputs of `in` into `out` and classifies every order and record.
void classify(Reconciliation::Data& in, Report::Data& out);

// Accounts compare equal ignoring spaces and hyphens ("6214 8320-1898" == "62148320 1898").
bool same_account(std::string_view a, std::string_view b);

// How a successful record differs from its order's payee. A field empty on either side is not compared.
struct PayeeCheck {
  bool id = false;       // the record names another ID number
  bool account = false;  // credited another account
  bool name = false;     // the account holder's name differs (after identity::normalize_name)
  bool any() const { return id || account || name; }
};
PayeeCheck check_payee(const Arena& arena, const OrderRow& order, const RecordRow& record);

// The first day of a period written as "2024", "2024-03", "202403", "2024/03", "2024-Q1", "2024Q1",
// "2024-H2" or "2024-03-15"; nullopt for anything else.
std::optional<Date> period_start(std::string_view period);

// Why an unmatched record is an orphan (RecordRow note codes, shown by Report::record_evidence).
enum class OrphanNote : std::uint8_t {
  none,
  unknown_order_no,      // echoed an order number no accepted order has
  nothing_to_match_by,   // no order number and no payee ID or hash
  fallback_disabled,     // no order number and Options::fallback is off
  unknown_payee,         // no order for that payee
  no_candidate,          // the payee has orders, none with this amount inside the window
};

// Why an order is (un)claimed (Report::Data::claim_note).
enum class ClaimNote : std::uint8_t {
  none,
  not_in_registry,
  registry_ambiguous,
  no_registry_no_community,
  registry_overrides_order,
};
std::string_view claim_note_text(ClaimNote note);

}  // namespace eligo::payout::detail
