/* eligo.h — the C API of eligo (C99). Link eligo::eligo_c (libeligo_c.so).
 *
 * Worked example:
 *
 *   eligo_pack* pack = NULL;
 *   eligo_diagnostics* diags = NULL;
 *   if (eligo_pack_compile_file("rules/major-illness/major-illness.pack.json", &pack, &diags) != ELIGO_OK) {
 *     fputs(eligo_diagnostics_text(diags), stderr);      // every problem, file:line:col, pointer, caret
 *   }
 *   eligo_diagnostics_destroy(diags);                     // always: a diagnostics handle is returned even on success
 *
 *   eligo_options* opt = NULL;
 *   eligo_options_create(&opt);
 *   eligo_options_set_as_of(opt, "2024-05-01");
 *   char* result = NULL;
 *   eligo_status st = eligo_pack_evaluate(pack, applicant_json, strlen(applicant_json), opt, &result);
 *   puts(result);                                         // {"pack": {...}, "verdict": "eligible", "checks": [...], ...}
 *   eligo_free(result);
 *   eligo_options_destroy(opt);
 *   eligo_pack_destroy(pack);
 *
 * Conventions
 * - Every fallible call returns an eligo_status; out-parameters come last and are named out_*; on failure an
 *   out-parameter is set to NULL (or left as documented), never to a half-built object.
 * - Strings are UTF-8 and NUL-terminated unless a length is passed. JSON in, JSON out.
 * - What eligo allocates for the caller (char* results) is released with eligo_free(). Each handle has its own
 *   destroy function; destroying NULL is a no-op.
 * - No C++ exception ever crosses this API.
 * - Thread safety: an eligo_pack is immutable; evaluate it from any number of threads at once. An
 *   eligo_options may be shared by threads that only read it; do not change it while others evaluate with it.
 *   eligo_diagnostics is not thread-safe.
 *
 * Option defaults (eligo_options_create):
 *   as_of        today in China Standard Time (UTC+8)
 *   lang         "zh-CN"              reasons and labels ("en" too)
 *   mode         the pack's mode      "first_failure" or "all"
 *   explain      0                    1: record the values each check and indicator read
 *   clear_pii    0                    1: show ID numbers, names, cards and mobiles unmasked
 *   source       none                 the host's lazy data sources (eligo_source_fn)
 *   threads      0                    batch evaluation: 0 = one per core
 */
#ifndef ELIGO_ELIGO_H
#define ELIGO_ELIGO_H

#include <stddef.h>

#if defined(_WIN32)
#define ELIGO_API __declspec(dllexport)
#else
#define ELIGO_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status ------------------------------------------------------------------------------------------ */

typedef enum eligo_status {
  ELIGO_OK = 0,
  ELIGO_ERROR_INVALID_ARGUMENT = 1, /* a NULL where a value is needed, a malformed option value */
  ELIGO_ERROR_COMPILE = 2,          /* the rule pack has errors: read the diagnostics handle */
  ELIGO_ERROR_EVALUATION = 3,       /* the result JSON has verdict "error" and an "error" object: E2xxx, or an
                                       input rejected whole (E3000 malformed, E3004 unknown key, E3005 twice) */
  ELIGO_ERROR_OUT_OF_MEMORY = 4,
  ELIGO_ERROR_INTERNAL = 5,         /* a bug in eligo: please report it with the input */
  ELIGO_ERROR_NOT_FOUND = 6         /* eligo_packset_select: no version of that pack is in force on that date */
} eligo_status;

/* "ok", "invalid_argument", … ; never NULL. */
ELIGO_API const char* eligo_status_name(eligo_status status);
/* "0.1.0" */
ELIGO_API const char* eligo_version(void);
/* Releases a string eligo returned. NULL is a no-op. */
ELIGO_API void eligo_free(void* pointer);

/* ---- diagnostics: problems found in a rule pack -------------------------------------------------------- */

typedef struct eligo_diagnostics eligo_diagnostics;

typedef struct eligo_diagnostic {
  const char* code;     /* "E1203" (docs/errors.md) */
  const char* severity; /* "error", "warning", "note" */
  const char* file;
  int line;             /* 1-based; 0 when about the whole file */
  int column;           /* 1-based, in code points */
  const char* pointer;  /* JSON pointer of the value, "" for the document */
  const char* message;
} eligo_diagnostic;     /* the strings live as long as the eligo_diagnostics handle */

ELIGO_API size_t eligo_diagnostics_count(const eligo_diagnostics* diagnostics);
ELIGO_API size_t eligo_diagnostics_error_count(const eligo_diagnostics* diagnostics);
ELIGO_API eligo_status eligo_diagnostics_get(const eligo_diagnostics* diagnostics, size_t index,
                                             eligo_diagnostic* out_diagnostic);
/* All of them formatted with caret lines and a summary; "" when none. Lives as long as the handle. */
ELIGO_API const char* eligo_diagnostics_text(const eligo_diagnostics* diagnostics);
ELIGO_API void eligo_diagnostics_destroy(eligo_diagnostics* diagnostics);

/* ---- packs --------------------------------------------------------------------------------------------- */

typedef struct eligo_pack eligo_pack; /* immutable, thread-safe; destroy with eligo_pack_destroy */

/* Compiles a pack file. *out_diagnostics is always set (destroy it); *out_pack is NULL unless ELIGO_OK. */
ELIGO_API eligo_status eligo_pack_compile_file(const char* path, eligo_pack** out_pack,
                                               eligo_diagnostics** out_diagnostics);
/* Compiles pack JSON text. `virtual_path` names it in diagnostics and anchors relative table paths (may be
 * NULL: "<memory>"). */
ELIGO_API eligo_status eligo_pack_compile_text(const char* json, size_t length, const char* virtual_path,
                                               eligo_pack** out_pack, eligo_diagnostics** out_diagnostics);
/* The same, with the language of the diagnostics: "zh-CN" or "en"; NULL or "" takes the locale (LC_ALL,
 * LC_MESSAGES, LANG: "en…" is English, anything else Chinese), zh-CN when none is set — as the two above do.
 * The codes are the same in both languages. */
ELIGO_API eligo_status eligo_pack_compile_file_lang(const char* path, const char* lang, eligo_pack** out_pack,
                                                    eligo_diagnostics** out_diagnostics);
ELIGO_API eligo_status eligo_pack_compile_text_lang(const char* json, size_t length, const char* virtual_path,
                                                    const char* lang, eligo_pack** out_pack,
                                                    eligo_diagnostics** out_diagnostics);
ELIGO_API void eligo_pack_destroy(eligo_pack* pack);
/* The pack's id, version and SHA-256 (hex); they live as long as the pack. */
ELIGO_API const char* eligo_pack_id(const eligo_pack* pack);
ELIGO_API const char* eligo_pack_version(const eligo_pack* pack);
ELIGO_API const char* eligo_pack_hash(const eligo_pack* pack);

/* ---- pack sets: the version in force on a date, reloaded while in use ---------------------------------------- */

typedef struct eligo_packset eligo_packset; /* thread-safe, reloads included; destroy with eligo_packset_destroy */

/* Compiles `count` files and folders (a folder's *.pack.json files and those of its subfolders one level down,
 * e.g. "rules"). `lang` as eligo_pack_compile_file_lang. *out_diagnostics is always set (destroy it);
 * *out_set is NULL unless ELIGO_OK: ELIGO_ERROR_COMPILE when a file does not compile, none is found (E1002) or
 * two files hold the same id and version (E1005). */
ELIGO_API eligo_status eligo_packset_open(const char* const* paths, size_t count, const char* lang,
                                         eligo_packset** out_set, eligo_diagnostics** out_diagnostics);
/* Compiles the same paths again (a pack changed, was added or removed). Only when every pack compiles does the
 * new set replace the one in use; otherwise ELIGO_ERROR_COMPILE, the set in use stays, and the diagnostics say
 * why. Packs selected before stay valid and unchanged. Safe to call while other threads select and evaluate. */
ELIGO_API eligo_status eligo_packset_reload(eligo_packset* set, eligo_diagnostics** out_diagnostics);
/* The version of pack `id` in force on `as_of` ("YYYY-MM-DD"; NULL: today in China Standard Time), as a pack of
 * its own (destroy it with eligo_pack_destroy; a reload does not change it). ELIGO_ERROR_NOT_FOUND when no
 * version is in force: *out_why (may be NULL; release with eligo_free) names the versions there are. */
ELIGO_API eligo_status eligo_packset_select(const eligo_packset* set, const char* id, const char* as_of,
                                           eligo_pack** out_pack, char** out_why);
/* 1 after open, +1 per successful reload. */
ELIGO_API unsigned long long eligo_packset_generation(const eligo_packset* set);
ELIGO_API void eligo_packset_destroy(eligo_packset* set);

/* ---- evaluation options and data sources ----------------------------------------------------------------- */

typedef struct eligo_options eligo_options;
typedef struct eligo_source_reply eligo_source_reply;

/* A lazy data source, called on the evaluating thread the first time the rules read a group declared with
 * "source", at most once per group and evaluation. `input_json` is the applicant JSON given up front (to read
 * the applicant's key). Hand the group's JSON object to eligo with eligo_source_reply_set (it is copied);
 * leave the reply unset when the source has no record for the applicant. Return 0, or nonzero when the source
 * failed (its facts are then missing and the decision records the failure). */
typedef int (*eligo_source_fn)(void* user_data, const char* source, const char* group, const char* input_json,
                               eligo_source_reply* reply);
ELIGO_API eligo_status eligo_source_reply_set(eligo_source_reply* reply, const char* json, size_t length);

ELIGO_API eligo_status eligo_options_create(eligo_options** out_options);
ELIGO_API void eligo_options_destroy(eligo_options* options);
ELIGO_API eligo_status eligo_options_set_as_of(eligo_options* options, const char* yyyy_mm_dd);
ELIGO_API eligo_status eligo_options_set_lang(eligo_options* options, const char* lang);
ELIGO_API eligo_status eligo_options_set_mode(eligo_options* options, const char* mode);
ELIGO_API eligo_status eligo_options_set_explain(eligo_options* options, int explain);
/* Binding (docs/data-in.md): `group` names the input group a flat JSON object fills (NULL or "" for an
 * object of groups); `policy` is "error" (default: the pack's), "warn" or "ignore" for keys the pack does not
 * declare. */
ELIGO_API eligo_status eligo_options_set_group(eligo_options* options, const char* group);
ELIGO_API eligo_status eligo_options_set_unknown_fields(eligo_options* options, const char* policy);
ELIGO_API eligo_status eligo_options_set_clear_pii(eligo_options* options, int clear_pii);
ELIGO_API eligo_status eligo_options_set_step_budget(eligo_options* options, unsigned long long steps);
ELIGO_API eligo_status eligo_options_set_threads(eligo_options* options, int threads);
/* `fn` may be NULL to remove the source. */
ELIGO_API eligo_status eligo_options_set_source(eligo_options* options, eligo_source_fn fn, void* user_data);

/* Evaluates one applicant (a JSON object of input groups). *out_result_json (free with eligo_free) is set
 * whenever the status is ELIGO_OK or ELIGO_ERROR_EVALUATION: the decision as JSON, stamped with the pack's id,
 * version and hash. `options` may be NULL for the defaults. */
ELIGO_API eligo_status eligo_pack_evaluate(const eligo_pack* pack, const char* input_json, size_t length,
                                           const eligo_options* options, char** out_result_json);
/* JSON Lines in (one applicant per line; blank lines skipped), JSON Lines out: one decision per applicant,
 * in input order, evaluated on `threads` threads. A line that is not JSON gets its own result with its line
 * number in "data_errors"; every applicant gets exactly one result line. Data sources are not called. */
ELIGO_API eligo_status eligo_pack_evaluate_batch(const eligo_pack* pack, const char* input_jsonl, size_t length,
                                                 const eligo_options* options, char** out_results_jsonl);

/* ---- credit blacklists ------------------------------------------------------------------------------------- */

typedef struct eligo_blacklist eligo_blacklist; /* an immutable snapshot; thread-safe; eligo_blacklist_destroy */

/* Loads a CSV or JSON Lines list (docs/blacklist.md; `mapping_json` may be NULL for the default columns).
 * *out_report_json (free with eligo_free) is always set: {"rows", "accepted", "rejected", "entries" (after merging
 * duplicates), "errors": [...], "error"}; bad rows are reported (IDs masked) and the rest loaded. *out_blacklist is NULL unless ELIGO_OK. */
ELIGO_API eligo_status eligo_blacklist_load_file(const char* path, const char* mapping_json,
                                                 eligo_blacklist** out_blacklist, char** out_report_json);
/* A snapshot of an SQLite store made by `eligo blacklist import`; `hash_key` for a keyed store, else NULL.
 * On failure *out_error (free with eligo_free) says why; a path that does not exist is a failure ("no such
 * store"), never a new empty list. */
ELIGO_API eligo_status eligo_blacklist_open_db(const char* db_path, const char* hash_key,
                                               eligo_blacklist** out_blacklist, char** out_error);
/* Every entry for `id_or_key` in `scope` in effect on `as_of` (NULL: today), as JSON:
 * {"listed": bool, "entries": [{"key" (masked), "scopes", "reason_code", "reason_text", "source", "listed_on",
 * "from", "until" (null: no end)}]}. Free with eligo_free. */
ELIGO_API eligo_status eligo_blacklist_check(const eligo_blacklist* blacklist, const char* id_or_key,
                                             const char* scope, const char* as_of, char** out_json);
ELIGO_API const char* eligo_blacklist_version(const eligo_blacklist* blacklist);
ELIGO_API const char* eligo_blacklist_hash(const eligo_blacklist* blacklist);
ELIGO_API size_t eligo_blacklist_size(const eligo_blacklist* blacklist);
ELIGO_API void eligo_blacklist_destroy(eligo_blacklist* blacklist);
/* The list blacklisted() consults; NULL detaches it. The snapshot must outlive the evaluations using it. */
ELIGO_API eligo_status eligo_options_set_blacklist(eligo_options* options, const eligo_blacklist* blacklist);

/* ---- payout reconciliation ------------------------------------------------------------------------------------ */

/* Reconciles payout orders with bank payment records from files and writes the report (docs/payout.md).
 * `request_json`: {"orders": path, "bank": path, "out": folder, "registry"?: path, "exclude"?: path,
 * "mapping"?: {...column mapping...}, "cutoff"?: "YYYY-MM-DD", "window"?: days, "fallback"?: bool,
 * "clear_pii"?: bool, "workbook"?: bool}. *out_result_json (free with eligo_free) is always set:
 * {"rows": {"orders", "bank", "registry", "exclusions"}, "summary": {...summary.json...}} on success,
 * {"error": "..."} otherwise. ELIGO_ERROR_INVALID_ARGUMENT for a malformed request or unusable files. */
ELIGO_API eligo_status eligo_reconcile(const char* request_json, char** out_result_json);

/* ---- admission: school places by points ---------------------------------------------------------------------- */

/* Ranks applicants and allocates places (docs/admission.md; C++ eligo::admission::rank). `spec_json`: the
 * allocation spec (version 1). `rows_json`: the applicants as a JSON array of objects (or JSON Lines) with the
 * columns the spec names; numbers keep their exact text. *out_result_json (free with eligo_free) is always set:
 * {"placed", "placements": [{rank, key, points, school, preference, lottery_number, lottery, reason_zh,
 * reason_en}], "schools": [...], "rejected": [{row, column, reason}]} on success, {"error": "..."} otherwise
 * (ELIGO_ERROR_INVALID_ARGUMENT: a wrong spec, with file:line:col and the JSON pointer, unreadable rows, or a
 * key that is an ID number — refused, masked in the message, since the published lottery value would reveal it).
 * The same spec and rows give the same bytes. */
ELIGO_API eligo_status eligo_rank(const char* spec_json, const char* rows_json, char** out_result_json);

/* ---- identity ---------------------------------------------------------------------------------------------- */

/* Checks an ID number (resident, 15-digit legacy, 港澳台 permit, foreign permanent residence) as of
 * `as_of` (NULL: today). *out_json: {"kind", "valid", "problem", "reason" (never the number), "canonical",
 * "birth_date", "sex", "region", "region_name"}. Free with eligo_free. */
ELIGO_API eligo_status eligo_id_check(const char* text, const char* as_of, char** out_json);
/* Masks for display: kind "id_number", "bank_card", "mobile" or "name". Free with eligo_free. */
ELIGO_API eligo_status eligo_mask(const char* kind, const char* text, char** out_masked);
/* Equal after name normalisation (NFKC, look-alike middle dots unified, white space removed). */
ELIGO_API eligo_status eligo_names_match(const char* a, const char* b, int* out_match);

#ifdef __cplusplus
}
#endif

#endif /* ELIGO_ELIGO_H */
