// eligo/pack.hpp — compile a rule pack once, evaluate applicants against it many times.
//
//   eligo::CompileResult r = eligo::compile_file("rules/major-illness/major-illness.pack.json");
//   if (!r.pack) { std::cerr << r.diagnostics.to_string(); return 1; }   // every problem, file:line:col
//   eligo::EvalOptions opt;
//   opt.as_of = eligo::Date::parse("2024-05-01");
//   eligo::Decision d = r.pack->evaluate(R"({"applicant": {"name": "张三", ...}})", opt);
//   d.verdict                  // Verdict::eligible / ineligible / needs_evidence / error
//   d.checks[i].reason         // "患病人非本区户籍（户籍地：330102）", values filled in, PII masked
//   d.total, d.items[i].points // exact decimals, with the row or formula that gave them
//   d.to_json()                // stamped with pack id, version and the SHA-256 of the canonical pack
//
// A Pack is immutable and cheap to copy (it shares its compiled Program); evaluate() may be called from
// any number of threads at once. Nothing here throws: rule problems are Diagnostics, applicant-data
// problems and evaluation failures are part of the Decision.
//
// Options and their defaults:
//   EvalOptions::as_of        today (UTC+8)           the date the policy is applied on
//   EvalOptions::mode         the pack's "mode"       first_failure | all
//   EvalOptions::explain      false                   record the values each check and indicator read
//   EvalOptions::lang         "zh-CN"                 language of reasons and labels ("en" too)
//   EvalOptions::clear_pii    false                   show ID numbers, names… unmasked
//   EvalOptions::sources      nullptr                 the host's lazy data sources
//   EvalOptions::step_budget  1,000,000               node visits per evaluation before E2001
//   EvalOptions::blacklist    nullptr                 the snapshot blacklisted() consults
//   EvalOptions::coverage     nullptr                 counts what the evaluation reached (eligo/coverage.hpp)
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "eligo/date.hpp"
#include "eligo/decimal.hpp"
#include "eligo/diagnostic.hpp"

namespace eligo {

namespace detail {
struct Program;
class BoundInput;
struct RowLayoutData;
}  // namespace detail
namespace blacklist {
class Snapshot;
}  // namespace blacklist

enum class Verdict { eligible, ineligible, needs_evidence, error };
enum class CheckMode { first_failure, all };
enum class CheckStatus { passed, failed, needs_evidence, skipped, not_run };
enum class ItemStatus { scored, not_applicable, needs_evidence, no_row };

const char* verdict_name(Verdict v);
const char* check_status_name(CheckStatus s);
const char* item_status_name(ItemStatus s);

class Input;
class Coverage;

// What a data source is asked: which source, for which group, and the input given up front (to read the
// applicant's key, e.g. input.text("applicant.id_number")).
struct SourceRequest {
  std::string_view source;
  std::string_view group;
  const Input* input = nullptr;
};

// The host's lazy data sources. fetch() is called on the evaluating thread the first time an expression
// reads a group declared with "source", at most once per group and evaluation. Return the group's JSON
// object, or nullopt when the source holds no record for this applicant (its facts are then missing). An
// exception thrown here is caught and reported in the decision as a failed source: a SourceError's message
// is shown ("failed: timed out after 2000 ms"), any other exception's is not (it may quote a lookup key).
class SourceError : public std::runtime_error {
 public:
  // `why` must not hold personal data: it goes into decisions, logs and metrics as it is.
  explicit SourceError(const std::string& why) : std::runtime_error(why) {}
};

class DataSource {
 public:
  virtual ~DataSource() = default;
  virtual std::optional<std::string> fetch(const SourceRequest& request) = 0;
};

// What a key that the pack's inputs do not declare is: a data error (the decision is `error`), a warning in
// the decision (the key is ignored), or ignored silently. The pack's "unknown_fields" sets the default.
enum class UnknownFields { error, warn, ignore };

// How applicant data is bound to the pack's inputs (docs/data-in.md).
struct BindOptions {
  // "": the JSON object's keys are input groups ({"applicant": {...}, "hrss": {...}}). A group name: the
  // object (or row) is a flat record of that group ({"id_number": ..., "age": ...}); other groups may
  // still be given in it by their names. For rows (CSV, DataFrames) "" means the pack's "record" group.
  std::string group;
  std::optional<UnknownFields> unknown_fields;  // default: the pack's "unknown_fields", else error
};

// One cell of a row given by a host that has typed values (Python columns); text cells go through the
// documented text coercions (docs/data-in.md), typed cells are taken as they are where the type fits.
struct Cell {
  enum class Kind : std::uint8_t { missing, text, number, boolean, date };
  Kind kind = Kind::missing;
  std::string_view text;
  Decimal number;
  bool boolean = false;
  Date date;
};

// A row layout: a header (column names) resolved once against a pack's inputs. A column names a field of
// the record group ("age"), a field of any group ("hrss.name"), or a whole group given as JSON
// ("medical_insurance"); a field of list or record type is given as JSON text. Cheap to copy.
class RowLayout {
 public:
  std::size_t columns() const;
  // Columns not bound because the pack does not declare them (unknown_fields warn/ignore).
  const std::vector<std::string>& ignored() const;
  // The column that names `path` ("applicant.id_number"), or -1.
  int column_of(std::string_view path) const;

 private:
  friend class Pack;
  std::shared_ptr<const detail::RowLayoutData> impl_;
};

struct EvalOptions {
  std::optional<Date> as_of;          // default: today in China Standard Time (UTC+8)
  std::optional<CheckMode> mode;      // default: the pack's mode
  bool explain = false;               // record values read by each check and indicator (masked PII)
  std::string lang = "zh-CN";         // "zh-CN" or "en"
  bool clear_pii = false;             // show PII unmasked in reasons and traces
  DataSource* sources = nullptr;      // not owned; may be null when every group is given up front
  std::uint64_t step_budget = 1'000'000;
  // The credit blacklist that blacklisted() / blacklist_reasons() consult (eligo/blacklist.hpp); not
  // owned: keep the snapshot alive during the call. A pack that uses them without one is error E2009.
  const blacklist::Snapshot* blacklist = nullptr;
  // Counts the checks, table rows, `if` branches and caps this evaluation reached (eligo/coverage.hpp); not
  // owned, not thread-safe: one Coverage per thread. Left untouched when it was made for another pack.
  Coverage* coverage = nullptr;
};

// A blacklist entry that matched during evaluation, cited so the applicant is told why.
struct BlacklistHit {
  std::string key;       // masked (ID 6+4) or a shortened HMAC pseudonym
  std::string scope;     // the scope asked about
  std::string reason_code, reason_text, source;
  std::string listed_on, from, until;  // YYYY-MM-DD; until "" when open-ended
};

// One value read during evaluation, for the explanation trace.
struct TraceValue {
  std::string path;   // "applicant.birth_date", "medical.stays"
  std::string value;  // rendered; PII masked unless clear_pii
  // Read only by the check's reason text, not by its condition: the reason quotes a value the decision
  // did not turn on (JSON "by": "reason").
  bool reason_only = false;
};

struct CheckResult {
  std::string_view id;
  std::string_view label;
  CheckStatus status = CheckStatus::not_run;
  std::string reason;                 // filled in when failed
  std::string_view cite;
  std::string_view department;
  std::vector<std::string> missing;   // paths, when needs_evidence
  std::vector<TraceValue> read;       // when explain
};

struct ItemResult {
  std::string_view id;
  std::string_view label;
  std::string_view department;
  std::string_view group;
  Decimal points;                     // as counted in the total (before group caps); deductions positive
  ItemStatus status = ItemStatus::scored;
  bool deduct = false;
  bool example = false;               // the figure is an example, not an official value
  std::string how;                    // "row 2: 'associate'", "3 × 8 = 24, cap 20 → 20"
  std::vector<std::string> missing;
  std::vector<TraceValue> read;
};

struct OutputResult {
  std::string_view name;
  std::string_view label;
  std::string value;                  // rendered (numbers exact, dates YYYY-MM-DD); "" when missing
  std::string json;                   // the value as JSON
  bool example = false;
  std::string_view note;
  std::vector<std::string> missing;
  std::vector<TraceValue> read;       // when explain: the values the output read
};

struct DataError {
  std::string code;                   // E3001 …
  std::string path;                   // "applicant.birth_date"; "" for the input as a whole
  std::string message;
};

struct EvalError {
  std::string code;                   // E2001 …
  std::string message;
  std::string pointer;                // where in the pack, when known
};

struct SourceCall {
  std::string source;
  std::string outcome;                // "ok", "no record", "failed: …"
};

struct Decision {
  std::string_view pack_id, version, pack_hash;
  Date as_of;
  Verdict verdict = Verdict::error;
  CheckMode mode = CheckMode::first_failure;
  std::vector<CheckResult> checks;
  bool scored = false;                // the pack has points indicators
  Decimal total;
  std::vector<ItemResult> items;
  std::vector<OutputResult> outputs;
  std::vector<SourceCall> sources_called;
  std::vector<DataError> data_errors;   // the input given up front has errors: the verdict is `error`
  std::vector<DataError> data_warnings; // keys ignored under unknown_fields "warn"
  std::vector<BlacklistHit> blacklist_hits;   // entries that matched, with the snapshot they came from
  std::string blacklist_version, blacklist_hash;
  std::optional<EvalError> error;
  std::string lang;

  std::string to_json() const;                    // stable key order, byte-identical for equal decisions
  std::string to_text(bool explain = false) const;  // for people: verdict, reasons, points breakdown

  // The input itself was rejected (an E3xxx error: not a JSON object, a value of the wrong shape, a key the
  // pack does not declare under "error"): the row is not decided. eval, batch and diff count it as rejected.
  bool input_rejected() const { return verdict == Verdict::error && error && error->code.rfind("E3", 0) == 0; }
  // Why the input was rejected: the data error carrying the error's code, as "path: message" (or the error's
  // message when no data error carries it); "" when the input was not rejected.
  std::string rejection() const {
    if (!input_rejected()) return {};
    for (const DataError& e : data_errors)
      if (e.code == error->code) return (e.path.empty() ? "" : e.path + ": ") + e.message;
    return error->message;
  }

  // Keeps the Program alive for the string_views above.
  std::shared_ptr<const detail::Program> program;

  // Bookkeeping for deciding into a reused Decision (Pack::evaluate(input, options, &d)): the pack (its
  // compiled Program) and language whose fixed fields — each check's id, label, cite and department; each
  // item's id, label, department, group and deduct; pack_id, version, pack_hash, lang and scored — this
  // Decision holds from its last evaluation, which left every check's missing and read and every item's
  // how, missing and read empty. Evaluating the same pack in the same language into it again then writes
  // only what an applicant changes, and the result is the same, field for field, as evaluating into a
  // fresh Decision. Pack::evaluate sets and clears it; it is copied with the Decision. A
  // program needs no action; code that changes a Decision's checks or items by hand and then evaluates into
  // it again must first set `reuse = {}` (all fields are then written afresh).
  struct Reuse {
    const void* program = nullptr;  // null: nothing to rely on
    bool en = false;
  } reuse;
};

// Applicant data bound to a pack's declared inputs (field paths resolved to slots). Bind once and evaluate
// many times, or let Pack::evaluate(json) bind on the fly. Not thread-safe: one Input per thread.
class Input {
 public:
  Input();
  ~Input();
  Input(Input&&) noexcept;
  Input& operator=(Input&&) noexcept;

  const std::vector<DataError>& errors() const;
  const std::vector<DataError>& warnings() const;
  // A scalar value given up front, as text ("" when absent): for data sources that need a key.
  std::string text(std::string_view path) const;

 private:
  friend class Pack;
  std::unique_ptr<detail::BoundInput> impl_;
};

class Pack {
 public:
  const std::string& id() const;
  const std::string& version() const;
  const std::string& hash() const;        // SHA-256 (hex) of the canonical pack and its tables
  const std::string& file() const;
  std::optional<Date> effective_from() const;
  std::optional<Date> effective_until() const;
  bool in_force(Date as_of) const;
  std::vector<std::string> test_files() const;
  // The ids of the points indicators and the names of the outputs, in the order decisions list them.
  std::vector<std::string> indicator_ids() const;
  std::vector<std::string> output_names() const;

  // Binds applicant JSON: an object of groups, or with options.group a flat record. Strict: malformed JSON,
  // a key the inputs do not declare, a key given twice, a value of the wrong type are data errors in
  // input.errors() (each with its path), and evaluating such an input gives the verdict `error`.
  Input bind(std::string_view json, const BindOptions& options = {}) const;
  // Rebinds `input` in place, reusing its storage (the allocation-free path for hot loops).
  void bind(std::string_view json, Input* input, const BindOptions& options = {}) const;

  // Rows: resolve a header once, then bind each row's cells (CSV cells, DataFrame values). nullopt and
  // *error ("column 'birthdate' is not an input of the pack (did you mean 'birth_date'?)") when a column
  // names nothing the pack declares (unless unknown_fields allows it), or two columns give one field.
  std::optional<RowLayout> layout(const std::vector<std::string>& columns, const BindOptions& options,
                                  std::string* error) const;
  // `cells` in the layout's column order; an empty text cell is a missing value.
  void bind_row(const RowLayout& layout, const std::vector<std::string_view>& cells, Input* input) const;
  void bind_row(const RowLayout& layout, const Cell* cells, std::size_t count, Input* input) const;
  Decision evaluate(std::string_view json, const EvalOptions& options = {}, const BindOptions& bind = {}) const;
  Decision evaluate(Input& input, const EvalOptions& options = {}) const;
  // Reuses `out`'s storage: the allocation-free path for hot loops.
  void evaluate(Input& input, const EvalOptions& options, Decision* out) const;
  // Decides inputs[0..count) in order into *out (its storage reused, as above) and calls each(i, *out) after
  // inputs[i]: exactly the decisions of `count` calls of the one above, but while one applicant is decided
  // the next ones' bound data is already being fetched from memory, so for a population bound up front the
  // cache misses of walking to each input overlap the work on the one before.
  void evaluate_many(Input* inputs, std::size_t count, const EvalOptions& options, Decision* out,
                     const std::function<void(std::size_t, const Decision&)>& each) const;

  const detail::Program& program() const { return *program_; }

 private:
  friend struct PackAccess;
  std::shared_ptr<const detail::Program> program_;
};

struct CompileOptions {
  std::uint32_t max_json_depth = 256;          // nesting of the pack's JSON
  std::uint32_t max_expression_depth = 128;    // nesting inside one expression
  std::size_t max_file_bytes = 64u << 20;      // a pack file or table
  // Table, list and test paths must stay inside the pack's folder once "..", "." and symbolic links are
  // resolved (E1110); true lets a pack name files anywhere (`--allow-outside-paths` on the CLI).
  bool allow_outside_paths = false;
  // Language of the diagnostics: "zh-CN" or "en"; "" takes the locale (LC_ALL, LC_MESSAGES, LANG: "en…" is
  // English, anything else Chinese) and is zh-CN when none is set. Codes are the same in both.
  std::string lang;
};

struct CompileResult {
  std::optional<Pack> pack;                    // set when there are no errors
  Diagnostics diagnostics;                     // errors and warnings, in file order
};

CompileResult compile_file(const std::string& path, const CompileOptions& options = {});
// `virtual_path` names the text in diagnostics; tables are read relative to its folder.
CompileResult compile_text(std::string_view json, const std::string& virtual_path = "<memory>",
                           const CompileOptions& options = {});

// The pack files under `roots`: a file as it is; a folder's *.pack.json files and those of its subfolders one
// level down (rules/ → rules/gz-points/gz-points.pack.json), each folder's sorted by name.
std::vector<std::string> pack_files(const std::vector<std::string>& roots);

// Several packs, and several versions of one pack: select() returns the version in force on a date.
class PackSet {
 public:
  // Files and folders (pack_files above), every file compiled; diagnostics of every file are appended.
  // false when a file does not compile, none is found (E1002), or two files hold the same id and version
  // (E1005: select() could not choose); the packs that compiled are added all the same.
  bool load(const std::string& path, Diagnostics* diagnostics, const CompileOptions& options = {});
  bool load(const std::vector<std::string>& paths, Diagnostics* diagnostics, const CompileOptions& options = {});
  void add(Pack pack);
  const std::vector<Pack>& packs() const { return packs_; }
  std::vector<std::string> ids() const;
  // The version of `id` in force on `as_of` (the latest effective_from wins); nullptr and *why otherwise.
  const Pack* select(std::string_view id, Date as_of, std::string* why = nullptr) const;

 private:
  std::vector<Pack> packs_;
};

// A PackSet read from files and folders that can be reloaded while it is in use — what eligo-server does on
// SIGHUP, for hosts without the server. current() is an immutable snapshot: a caller holding it (or a Pack
// copied from it) keeps evaluating on it while a reload installs the next one. Thread-safe.
class LivePackSet {
 public:
  explicit LivePackSet(std::vector<std::string> paths, CompileOptions options = {});
  // Compiles every pack again. Only when all compile (PackSet::load is true) does the new set replace the
  // current one; otherwise the current one stays and *diagnostics says why. One reload runs at a time.
  bool reload(Diagnostics* diagnostics);
  std::shared_ptr<const PackSet> current() const;  // null until a reload has succeeded
  std::uint64_t generation() const;                // 0 before the first success, +1 per successful reload
  const std::vector<std::string>& paths() const { return paths_; }

 private:
  std::vector<std::string> paths_;
  CompileOptions options_;
  struct State;
  std::shared_ptr<State> state_;
};

// Today in China Standard Time (UTC+8), the default as_of.
Date today_cst();

}  // namespace eligo
