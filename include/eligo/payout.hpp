// eligo/payout.hpp — payout orders against bank payment records: paid, double-paid (多发), missed (漏发),
// failed, re-paid after an account correction, paid to the wrong payee, and auto-claim by community.
//
// Worked example (everything is a value; nothing here throws):
//
//   using namespace eligo;
//   payout::Reconciliation rec;                              // default Options: see the table below
//   payout::Order o;
//   o.order_no = "PO-0001"; o.policy = "major-illness"; o.period = "2024-03";
//   o.payee_id = "11010519491231002X"; o.payee_name = "段正淳"; o.account = "6214832018989180";
//   o.amount = *Decimal::parse("5000.00"); o.created = *Date::parse("2024-03-01");
//   rec.add_order(o);                                        // false → rejected, see rec.rejections()
//
//   payout::BankRecord r;                                    // the seed's 修改收款信息 → 二次支付:
//   r.serial_no = "B1"; r.order_no = "PO-0001"; r.account = "6222020000000001"; r.name = "段正淳";
//   r.amount = *Decimal::parse("5000.00"); r.status = payout::Status::failed;
//   r.value_date = *Date::parse("2024-03-02"); r.failure_reason = "账户不存在";
//   rec.add_record(r);                                       // failed to the old account …
//   r.serial_no = "B2"; r.account = "6214832018989180"; r.status = payout::Status::success;
//   r.value_date = *Date::parse("2024-03-09"); r.failure_reason = "";
//   rec.add_record(r);                                       // … then paid to the corrected one
//
//   payout::Report report = rec.run();                       // run() consumes the inputs
//   report.order(0).cls        == payout::Class::repaid      // NOT a duplicate
//   report.record(0).cls       == payout::Class::failed      // B1 (records are sorted by serial no)
//   report.record(1).cls       == payout::Class::repaid      // B2
//   report.order_evidence(0)   == "failed B1 on 2024-03-02 to 622202******0001 (账户不存在); "
//                                 "repaid by B2 on 2024-03-09 to 621483******9180"
//   report.summary().orders[payout::Class::repaid].count == 1
//
// Files and the command line (`eligo reconcile`, docs/payout.md):
//
//   payout::Mapping m = payout::default_mapping();          // or parse_mapping(json_text, &m, &error)
//   payout::load_orders("orders.csv", m.orders, rec, nullptr, &error);    // CSV or JSON Lines,
//   payout::load_records("bank.csv", m.bank, rec, nullptr, &error);       // UTF-8 or GB18030
//   payout::write_report(rec.run(), "out/", {}, &error);    // summary, CSV, JSONL, xlsx, JSON
//
// Options at a glance
//   | option                        | default | meaning                                                     |
//   |-------------------------------|---------|-------------------------------------------------------------|
//   | Options::cutoff               | none    | records dated later are `after_cutoff`; orders with no      |
//   |                               |         | record by then are `missing`                                |
//   | Options::fallback             | true    | match records that lack an order number by payee + amount + |
//   |                               |         | value-date window                                           |
//   | Options::fallback_window_days | 7       | value date within [created, created + N days]               |
//   | Options::id_hash_key          | ""      | HMAC key when banks send keyed_id_hash(key, id), not the ID |
//   | Options::clear_pii            | false   | evidence text with IDs, cards and names in clear            |
//   | WriteOptions::workbook        | true    | also write reconciliation.xlsx                              |
//   | WriteOptions::items           | both    | per-item files: CSV and JSON Lines, or only one of them     |
//
// Classes (each order and each bank record lands in exactly one; docs/payout.md gives the full rules):
//   | class             | 中文            | orders                                   | records                          |
//   |-------------------|-----------------|------------------------------------------|----------------------------------|
//   | paid              | 正常发放        | one success, right payee and amount      | that success                     |
//   | repaid            | 二次支付成功    | failed, then paid after an account change | the success after the failure   |
//   | amount_mismatch   | 金额不符        | one success of another amount            | that success                     |
//   | payee_mismatch    | 错发            | success to another account, name or ID   | that success                     |
//   | duplicate_payment | 重复发放(多发)  | two successes, or the payee already paid | each success after the first     |
//   |                   |                 | for the same policy + period             |                                  |
//   | payee_ineligible  | 不应发放对象    | payee on the exclusion list              | its successes                    |
//   | failed            | 发放失败        | only failed / returned records           | every failed / returned record   |
//   | missing           | 漏发            | no record by the cut-off                 | —                                |
//   | orphan_record     | 无对应兑付单    | —                                        | no order matches                 |
//   | after_cutoff      | 截止日后        | —                                        | value date after the cut-off     |
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eligo/date.hpp"
#include "eligo/decimal.hpp"

namespace eligo::payout {

// ─── Inputs ─────────────────────────────────────────────────────────────────────────────────────────────

enum class Status : std::uint8_t {
  success,   // money left the account
  failed,    // the bank refused it (wrong account, closed card, …)
  returned,  // 退票: sent, then returned by the receiving bank; cancels an earlier success of the same
             // amount to the same account
};
const char* to_string(Status status);  // "success", "failed", "returned"

// A payout order (兑付单) as the platform issued it. The views need only live for the add_order call: the
// Reconciliation copies what it keeps. In a Report the views point into the report's own storage.
struct Order {
  std::string_view order_no;    // 兑付单号, unique; required
  std::string_view policy;      // policy id, e.g. "major-illness"; required
  std::string_view period;      // "2024", "2024-03", "202403", "2024-Q1", "2024-03-15" or free text; required
  std::string_view payee_id;    // payee ID number as written (15-digit numbers are converted to 18); required
  std::string_view payee_name;  // payee name; optional (not compared when empty)
  std::string_view account;     // the account the order is payable to now, after any correction; optional
  Decimal amount;               // > 0; required
  Date created;                 // the day the order was issued (the start of the fallback window)
  std::string_view community;   // 社区 code when the platform already knows it; optional
};

// A line of the bank's payment file (支付流水).
struct BankRecord {
  std::string_view serial_no;      // bank serial number (流水号), unique; required
  std::string_view order_no;       // the order number when the bank echoes it; empty otherwise
  std::string_view payee_id;       // payee ID number when the bank file has it; optional
  std::string_view payee_id_hash;  // or keyed_id_hash(Options::id_hash_key, id) (64 hex); optional
  std::string_view account;        // account credited; optional (not compared when empty)
  std::string_view name;           // account holder name; optional (not compared when empty)
  Decimal amount;                  // > 0; required
  Status status = Status::success;
  Date value_date;                 // 交易日期
  std::string_view failure_reason; // the bank's text for failed / returned records
};

// Exclusion list entry (e.g. deceased, moved out of the district): the payee must not be paid.
struct Exclusion {
  std::string_view payee_id;     // required
  std::optional<Date> from;      // excluded for orders whose reference date is on or after it; none: always
  std::string_view policy;       // only this policy; empty: every policy
  std::string_view reason;       // shown in the evidence, e.g. "deceased (火化记录)"
};

// ─── Options ────────────────────────────────────────────────────────────────────────────────────────────

struct Options {
  // The reconciliation date. Records with a later value date are classed `after_cutoff` and match nothing;
  // an order with no record on or before it is `missing`. None: every record counts.
  std::optional<Date> cutoff;
  // Match records that carry no order number by payee (ID or keyed ID hash) + equal amount + value date
  // within [order created, created + fallback_window_days]. Ties: docs/payout.md, "Tie-breaking".
  bool fallback = true;
  // Width of the fallback window in days (0: the value date must be the created date). Negative counts as 0.
  int fallback_window_days = 7;
  // HMAC key for bank records that carry payee_id_hash instead of the ID (identity::keyed_id_hash).
  std::string id_hash_key;
  // Evidence texts (and written reports) show ID numbers, cards and names in clear. Off: masked as
  // identity::mask does (110105********002X, 621483******9180, 段**).
  bool clear_pii = false;
};

// ─── Results ────────────────────────────────────────────────────────────────────────────────────────────

enum class Class : std::uint8_t {
  paid,
  repaid,
  amount_mismatch,
  payee_mismatch,
  duplicate_payment,
  payee_ineligible,
  failed,
  missing,
  orphan_record,
  after_cutoff,
};
inline constexpr int kClassCount = 10;
const char* to_string(Class c);  // the enumerator's name, e.g. "duplicate_payment"
const char* label_zh(Class c);   // the Chinese label of the table above, e.g. "重复发放(多发)"
std::optional<Class> class_from_name(std::string_view name);

enum class MatchedBy : std::uint8_t { none, order_no, fallback };
const char* to_string(MatchedBy m);  // "none", "order_no", "fallback"

enum class Side : std::uint8_t { orders, bank, registry, exclusions };
const char* to_string(Side side);  // "orders", "bank", "registry", "exclusions"

// A row that was not classified, and why. Texts never hold a full ID number, card or name (masked).
struct Rejection {
  Side side = Side::orders;
  std::uint64_t row = 0;  // the caller's row number (files: the line where the row starts; header = 1)
  std::string field;      // the field at fault ("amount", "payee_id", …), "" for the whole row
  std::string reason;     // e.g. "not an amount: \"12,34.5\""
};

// Where an order's community came from (兑付单自动认领).
enum class ClaimSource : std::uint8_t {
  registry,   // the registry lists the payee
  order,      // no registry was given; the order named its community
  unclaimed,  // nobody could be assigned: see OrderResult::claim_note
};
const char* to_string(ClaimSource s);  // "registry", "order", "unclaimed"

struct OrderResult {
  Order order;                         // views into the Report
  std::string_view payee_id;           // canonical 18-character form
  Class cls = Class::missing;
  MatchedBy matched_by = MatchedBy::none;
  std::vector<std::uint32_t> records;  // indices into Report::record(), by value date then serial no
  std::optional<std::uint32_t> duplicate_of;  // cross-order duplicate: the order (index) paid first
  Decimal paid;                        // money that reached an account for this order (effective successes)
  std::string_view community;          // the claimed community ("" when unclaimed)
  ClaimSource claim = ClaimSource::unclaimed;
  std::string_view claim_note;         // why unclaimed, or a conflict between the order and the registry
  std::string_view exclusion_reason;   // payee_ineligible: the exclusion's reason
};

struct RecordResult {
  BankRecord record;                   // views into the Report
  Class cls = Class::orphan_record;
  MatchedBy matched_by = MatchedBy::none;
  std::optional<std::uint32_t> order;  // index into Report::order()
  bool cancelled = false;              // a success later returned (退票) — classed failed
};

struct Tally {
  std::uint64_t count = 0;
  Decimal amount;  // exact sum of the items' amounts (orders: order amount; records: record amount)
};

struct ClassTally {
  std::array<Tally, kClassCount> by_class{};
  Tally total;
  Tally& operator[](Class c) { return by_class[static_cast<int>(c)]; }
  const Tally& operator[](Class c) const { return by_class[static_cast<int>(c)]; }
};

struct Summary {
  ClassTally orders;    // every order once
  ClassTally records;   // every bank record once
  std::vector<std::pair<std::string, ClassTally>> orders_by_policy;     // sorted by policy
  std::vector<std::pair<std::string, ClassTally>> orders_by_community;  // sorted; "" = unclaimed first
  std::uint64_t unclaimed = 0;
  std::array<std::uint64_t, 4> rejected{};  // by Side
};

namespace detail {
struct ReportAccess;  // the report writer's direct access (src/payout/store.hpp)
}

class Report {
 public:
  Report();
  ~Report();
  Report(Report&&) noexcept;
  Report& operator=(Report&&) noexcept;

  // Orders sorted by order number (byte order), records by serial number: the same for any input order.
  std::size_t order_count() const;
  std::size_t record_count() const;
  OrderResult order(std::size_t i) const;
  RecordResult record(std::size_t i) const;
  Class order_class(std::size_t i) const;
  Class record_class(std::size_t i) const;
  // One line saying why the item is in its class (masked unless Options::clear_pii).
  std::string order_evidence(std::size_t i) const;
  std::string record_evidence(std::size_t i) const;
  // Index of an order / record by its number; nullopt when absent (or rejected).
  std::optional<std::size_t> find_order(std::string_view order_no) const;
  std::optional<std::size_t> find_record(std::string_view serial_no) const;

  const Summary& summary() const;
  // Rejected rows of every side, sorted by side then row.
  const std::vector<Rejection>& rejections() const;
  const Options& options() const;
  // Masks (or not, with clear_pii) a value for display.
  std::string show_id(std::string_view id) const;
  std::string show_card(std::string_view card) const;
  std::string show_name(std::string_view name) const;

  struct Data;  // private storage, defined in src/payout

 private:
  friend class Reconciliation;
  friend struct detail::ReportAccess;
  std::unique_ptr<Data> data_;
};

// ─── Reconciliation ─────────────────────────────────────────────────────────────────────────────────────

class Reconciliation {
 public:
  explicit Reconciliation(Options options = {});
  ~Reconciliation();
  Reconciliation(Reconciliation&&) noexcept;
  Reconciliation& operator=(Reconciliation&&) noexcept;

  // Each returns false when the row is rejected (reason in rejections()); `row` only labels the rejection.
  // Checks: required fields present, payee ID valid, amount > 0. Duplicate order / serial numbers are found
  // by run(): rows identical in every field are kept once (the others rejected as repeats); rows sharing a
  // number but differing are all rejected, so the result never depends on which came first.
  bool add_order(const Order& order, std::uint64_t row = 0);
  bool add_record(const BankRecord& record, std::uint64_t row = 0);
  // Registry of communities (ID number → community code). Two different communities for one ID: the ID is
  // ambiguous and its orders stay unclaimed. Returns false for an invalid ID or an empty community.
  bool add_registry_entry(std::string_view payee_id, std::string_view community, std::uint64_t row = 0);
  bool add_exclusion(const Exclusion& exclusion, std::uint64_t row = 0);
  // A rejection found outside the add_* checks (file readers: unparsable fields).
  void reject(Side side, std::uint64_t row, std::string field, std::string reason);

  bool has_registry() const;
  const std::vector<Rejection>& rejections() const;
  const Options& options() const;

  // Classifies everything and hands the storage to the Report; the Reconciliation is empty afterwards.
  Report run();

  struct Data;

 private:
  std::unique_ptr<Data> data_;
};

// ─── Files ──────────────────────────────────────────────────────────────────────────────────────────────
// Column mapping JSON (docs/payout.md, "Column mapping"): for each side, the file format, encoding and the
// column (CSV header or JSON key) that holds each field.

struct SourceMapping {
  std::string format;    // "auto" (by extension: .jsonl/.ndjson/.json → jsonl, else csv), "csv", "jsonl"
  std::string encoding;  // "utf-8" or "gb18030" (any ICU converter name works)
  char delimiter = ',';  // CSV only
  // field name → column name; fields not listed use their own name as the column name.
  std::vector<std::pair<std::string, std::string>> columns;
  // bank only: extra status texts, e.g. {"交易成功", "success"}; built-ins are in docs/payout.md.
  std::vector<std::pair<std::string, Status>> status_values;
  // The column name for `field` (the field name itself when unmapped).
  std::string column(std::string_view field) const;
};

struct Mapping {
  SourceMapping orders, bank, registry, exclusions;
  std::string registry_table = "registry";  // SQLite registries: table with columns payee_id, community
};

Mapping default_mapping();
// Parses a mapping JSON over the defaults. false and *error ("bank.columns.amount: …") on a bad file.
bool parse_mapping(std::string_view json, Mapping* out, std::string* error);

// Called while loading: bytes read so far and the file size.
using Progress = std::function<void(std::uint64_t done, std::uint64_t total)>;

struct LoadStats {
  std::uint64_t rows = 0;      // data rows read
  std::uint64_t accepted = 0;  // rows added
  std::uint64_t rejected = 0;  // rows rejected (each one in rejections())
};

// Stream a file into the reconciliation. false and *error only when the file is unusable (cannot be read,
// undecodable, a required column is missing from the header); bad rows are rejections, not errors.
bool load_orders(const std::string& path, const SourceMapping& mapping, Reconciliation& rec, LoadStats* stats,
                 std::string* error, const Progress& progress = {});
bool load_records(const std::string& path, const SourceMapping& mapping, Reconciliation& rec, LoadStats* stats,
                  std::string* error, const Progress& progress = {});
// CSV / JSON Lines with payee_id, community; or an SQLite database (detected by its header) with
// Mapping::registry_table.
bool load_registry(const std::string& path, const Mapping& mapping, Reconciliation& rec, LoadStats* stats,
                   std::string* error);
// CSV / JSON Lines with payee_id, from (optional), policy (optional), reason (optional).
bool load_exclusions(const std::string& path, const SourceMapping& mapping, Reconciliation& rec,
                     LoadStats* stats, std::string* error);

// Parsers used by the loaders, exposed for tests and bindings.
// "1,234.50", "¥1234.5", " 12.00 " → Decimal; nullopt for anything else (grouping must be by threes).
std::optional<Decimal> parse_amount(std::string_view text);
// "2024-03-05", "2024/03/05", "20240305", each optionally followed by a time ("2024-03-05 10:11:12",
// "2024-03-05T10:11:12"); nullopt otherwise.
std::optional<Date> parse_date_prefix(std::string_view text);
// Built-in and mapped status texts (ASCII case-insensitive); nullopt when unknown.
std::optional<Status> parse_status(std::string_view text, const SourceMapping& mapping);

// Which per-item files (orders.*, records.*) write_report writes. Both by default; at 1 M orders the CSV pair
// is 0.46 GB and the JSON Lines pair 0.92 GB of text (docs/payout.md gives the time saved).
enum class ItemFiles { csv_and_jsonl, csv, jsonl };

struct WriteOptions {
  bool workbook = true;  // write reconciliation.xlsx (a summary sheet and one sheet per class)
  // orders.csv + records.csv, orders.jsonl + records.jsonl, or both. The pair not written is removed from
  // the folder if an earlier report left it there, so the folder never mixes two runs.
  ItemFiles items = ItemFiles::csv_and_jsonl;
};

// Writes into `dir` (created if needed), each file through a temporary name and a rename:
//   summary.txt     human-readable counts and money per class, policy and community
//   summary.json    the same, machine-readable, plus rejections and unclaimed orders
//   orders.csv / orders.jsonl     one line per order; records.csv / records.jsonl  one per bank record
//                   (both formats, or the one WriteOptions::items names)
//   rejected.csv    every rejected row;   unclaimed.csv   orders no community could claim
//   reconciliation.xlsx
// Masking follows the report's Options::clear_pii. Byte-identical for identical inputs.
bool write_report(const Report& report, const std::string& dir, const WriteOptions& options, std::string* error);

// ─── One call from files to a written report (what `eligo reconcile`, the C API and Python run) ──────────

struct FilesRequest {
  std::string orders, bank;          // required: payout orders and bank records (CSV or JSON Lines)
  std::string registry, exclusions;  // optional ("" = none): ID → community; payees to flag
  Mapping mapping = default_mapping();
  Options options;
  std::string out_dir;               // required: where write_report puts the report
  WriteOptions write;
  // Called while each input is read (bytes done, total): for a progress bar. May be empty.
  std::function<void(std::uint64_t, std::uint64_t)> orders_progress, bank_progress;
  // Called with the finished report once out_dir is written, for more views of it (the CLI writes the
  // dashboard's dashboard.json and --html page this way). false and *error fail reconcile_files. May be empty.
  std::function<bool(const Report&, std::string* error)> on_report;
};

struct FilesResult {
  LoadStats orders, bank, registry, exclusions;
  std::string summary_text;  // summary_text(report)
  std::string summary_json;  // the summary.json written to out_dir
};

// Loads, reconciles and writes. false and *error only for unusable input or an unwritable report; bad rows
// are rejections in the report.
bool reconcile_files(const FilesRequest& request, FilesResult* result, std::string* error);
// The text of summary.txt.
std::string summary_text(const Report& report);

}  // namespace eligo::payout
