/* The C API tested from C (C99), as an integrator's program would use it. Also run under valgrind by CTest.
 * Usage: capi_test SOURCE_DIR [ELIGO_CLI] (the CLI makes the SQLite store eligo_blacklist_open_db reads) */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eligo/eligo.h"

static int passed = 0, failed = 0;
#define CHECK(cond)                                                        \
  do {                                                                     \
    if (cond) {                                                            \
      ++passed;                                                            \
    } else {                                                               \
      ++failed;                                                            \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                      \
  } while (0)

/* Compares a returned string with the exact expected text, and prints both when they differ. */
#define CHECK_STR(actual, expected)                                                                   \
  do {                                                                                                \
    const char* a_ = (actual);                                                                        \
    const char* e_ = (expected);                                                                      \
    if (a_ && strcmp(a_, e_) == 0) {                                                                  \
      ++passed;                                                                                       \
    } else {                                                                                          \
      ++failed;                                                                                       \
      fprintf(stderr, "%s:%d: CHECK_STR failed:\n  got      %s\n  expected %s\n", __FILE__, __LINE__, \
              a_ ? a_ : "(null)", e_);                                                                \
    }                                                                                                 \
  } while (0)

static const char* kPack =
    "{\"pack\": \"c.test\", \"version\": \"1\","
    " \"inputs\": {\"applicant\": {\"fields\": {\"id_number\": \"cn_id\", \"birth_date\": \"date\"}},"
    "              \"police\": {\"source\": \"public_security\", \"fields\": {\"hukou_district\": \"string\"}}},"
    " \"checks\": ["
    "  {\"id\": \"adult\", \"require\": \"years_between(applicant.birth_date, as_of) >= 18\", \"reason\": {\"zh-CN\": \"未满18周岁\", \"en\": \"under 18\"}},"
    "  {\"id\": \"household\", \"require\": \"police.hukou_district == '330106'\", \"reason\": {\"en\": \"registered in {police.hukou_district}\"}}]}";

struct calls {
  int count;
  char last_source[64];
};

static int fake_police(void* user, const char* source, const char* group, const char* input_json,
                       eligo_source_reply* reply) {
  struct calls* c = (struct calls*)user;
  const char* record = "{\"hukou_district\": \"330102\"}";
  (void)group;
  c->count++;
  strncpy(c->last_source, source, sizeof c->last_source - 1);
  if (strstr(input_json, "330106195804120220") == NULL) return 0; /* no record for anyone else */
  return eligo_source_reply_set(reply, record, strlen(record)) == ELIGO_OK ? 0 : 1;
}

static void test_compile_errors(void) {
  eligo_pack* pack = (eligo_pack*)1;
  eligo_diagnostics* diags = NULL;
  const char* bad = "{\"pack\": \"c.bad\", \"version\": \"1\", \"inputs\": {\"a\": {\"fields\": {\"x\": \"number\"}}},"
                    " \"checks\": [{\"id\": \"c\", \"require\": \"a.y > 1\"}]}";
  eligo_status st = eligo_pack_compile_text_lang(bad, strlen(bad), "bad.pack.json", "en", &pack, &diags);
  eligo_diagnostic d;
  CHECK(st == ELIGO_ERROR_COMPILE);
  CHECK(pack == NULL);
  CHECK(diags != NULL);
  CHECK(eligo_diagnostics_count(diags) == 2);
  CHECK(eligo_diagnostics_error_count(diags) == 2);
  CHECK(eligo_diagnostics_get(diags, 0, &d) == ELIGO_OK);
  CHECK(strcmp(d.code, "E1203") == 0);
  CHECK(strcmp(d.severity, "error") == 0);
  CHECK(strcmp(d.file, "bad.pack.json") == 0);
  CHECK(d.line == 1);
  CHECK(strcmp(d.pointer, "/checks/0/require") == 0);
  CHECK(strcmp(d.message, "unknown field 'a.y' (did you mean 'a.x'?)") == 0);
  CHECK(eligo_diagnostics_get(diags, 1, &d) == ELIGO_OK);
  CHECK(strcmp(d.code, "E1108") == 0);
  CHECK(eligo_diagnostics_get(diags, 2, &d) == ELIGO_ERROR_INVALID_ARGUMENT);
  CHECK(strstr(eligo_diagnostics_text(diags), "2 errors") != NULL);
  eligo_diagnostics_destroy(diags);
  /* The same mistakes in Chinese: same codes. */
  st = eligo_pack_compile_text_lang(bad, strlen(bad), "bad.pack.json", "zh-CN", &pack, &diags);
  CHECK(st == ELIGO_ERROR_COMPILE);
  CHECK(eligo_diagnostics_get(diags, 0, &d) == ELIGO_OK);
  CHECK(strcmp(d.code, "E1203") == 0);
  CHECK(strcmp(d.message, "未知的字段 'a.y'（是否想写 'a.x'？）") == 0);
  CHECK(strstr(eligo_diagnostics_text(diags), "2 个错误") != NULL);
  eligo_diagnostics_destroy(diags);
}

static void test_evaluate_with_source(void) {
  eligo_pack* pack = NULL;
  eligo_diagnostics* diags = NULL;
  eligo_options* opt = NULL;
  struct calls calls = {0, ""};
  char* result = NULL;
  const char* young = "{\"applicant\": {\"id_number\": \"330106195804120220\", \"birth_date\": \"2010-01-01\"}}";
  const char* adult = "{\"applicant\": {\"id_number\": \"330106195804120220\", \"birth_date\": \"1958-04-12\"}}";
  CHECK(eligo_pack_compile_text(kPack, strlen(kPack), NULL, &pack, &diags) == ELIGO_OK);
  CHECK(eligo_diagnostics_count(diags) == 0);
  eligo_diagnostics_destroy(diags);
  CHECK(strcmp(eligo_pack_id(pack), "c.test") == 0);
  CHECK(strlen(eligo_pack_hash(pack)) == 64);

  CHECK(eligo_options_create(&opt) == ELIGO_OK);
  CHECK(eligo_options_set_as_of(opt, "2024-05-01") == ELIGO_OK);
  CHECK(eligo_options_set_as_of(opt, "2024-02-30") == ELIGO_ERROR_INVALID_ARGUMENT);
  CHECK(eligo_options_set_lang(opt, "en") == ELIGO_OK);
  CHECK(eligo_options_set_lang(opt, "fr") == ELIGO_ERROR_INVALID_ARGUMENT);
  CHECK(eligo_options_set_mode(opt, "sometimes") == ELIGO_ERROR_INVALID_ARGUMENT);
  CHECK(eligo_options_set_source(opt, fake_police, &calls) == ELIGO_OK);

  /* The first check fails: the source of the second is never called. */
  CHECK(eligo_pack_evaluate(pack, young, strlen(young), opt, &result) == ELIGO_OK);
  CHECK(result && strstr(result, "\"verdict\":\"ineligible\"") != NULL);
  CHECK(result && strstr(result, "\"reason\":\"under 18\"") != NULL);
  CHECK(calls.count == 0);
  eligo_free(result);

  CHECK(eligo_pack_evaluate(pack, adult, strlen(adult), opt, &result) == ELIGO_OK);
  CHECK(calls.count == 1);
  CHECK(strcmp(calls.last_source, "public_security") == 0);
  CHECK(result && strstr(result, "\"reason\":\"registered in 330102\"") != NULL);
  CHECK(result && strstr(result, "330106195804120220") == NULL); /* PII masked */
  eligo_free(result);

  /* A broken input is rejected whole (verdict "error", E3000 with the column), never a crash and never a
   * quiet verdict. */
  CHECK(eligo_pack_evaluate(pack, "{not json", 9, opt, &result) == ELIGO_ERROR_EVALUATION);
  CHECK(result && strstr(result, "\"verdict\":\"error\"") != NULL);
  CHECK(result && strstr(result, "\"message\":\"the input is not valid JSON: column 2: expected a member name in double quotes\"") != NULL);
  eligo_free(result);

  eligo_options_destroy(opt);
  eligo_pack_destroy(pack);
}

static void test_batch(void) {
  eligo_pack* pack = NULL;
  eligo_options* opt = NULL;
  char* out = NULL;
  const char* lines =
      "{\"applicant\": {\"birth_date\": \"2010-01-01\"}}\n"
      "\n"
      "{broken\n"
      "{\"applicant\": {\"birth_date\": \"1990-01-01\"}, \"police\": {\"hukou_district\": \"330106\"}}\n";
  int n = 0;
  const char* p;
  CHECK(eligo_pack_compile_text(kPack, strlen(kPack), NULL, &pack, NULL) == ELIGO_OK);
  eligo_options_create(&opt);
  eligo_options_set_as_of(opt, "2024-05-01");
  eligo_options_set_threads(opt, 2);
  CHECK(eligo_pack_evaluate_batch(pack, lines, strlen(lines), opt, &out) == ELIGO_OK);
  for (p = out; p && *p; ++p) n += *p == '\n';
  CHECK(n == 3); /* every applicant gets exactly one line; blank lines are skipped */
  CHECK(out && strstr(out, "{\"line\":1,") == out);
  CHECK(out && strstr(out, "{\"line\":3,") != NULL && strstr(out, "\"E3000\"") != NULL);
  CHECK(out && strstr(out, "{\"line\":4,") != NULL && strstr(out, "\"verdict\":\"eligible\"") != NULL);
  eligo_free(out);
  eligo_options_destroy(opt);
  eligo_pack_destroy(pack);
}

static void test_compile_file(const char* root) {
  char path[4096];
  eligo_pack* pack = NULL;
  eligo_diagnostics* diags = NULL;
  snprintf(path, sizeof path, "%s/rules/major-illness/major-illness.pack.json", root);
  CHECK(eligo_pack_compile_file(path, &pack, &diags) == ELIGO_OK);
  CHECK(pack != NULL && strcmp(eligo_pack_id(pack), "cn.minsheng.major-illness") == 0);
  eligo_diagnostics_destroy(diags);
  eligo_pack_destroy(pack);
  CHECK(eligo_pack_compile_file("/no/such/file.pack.json", &pack, &diags) == ELIGO_ERROR_COMPILE);
  CHECK(pack == NULL && eligo_diagnostics_count(diags) == 1);
  eligo_diagnostics_destroy(diags);
}

static void test_misuse_and_identity(void) {
  char* s = NULL;
  int match = 0;
  eligo_pack* pack = NULL;
  CHECK(eligo_pack_compile_text(NULL, 0, NULL, &pack, NULL) == ELIGO_ERROR_INVALID_ARGUMENT);
  CHECK(eligo_pack_evaluate(NULL, "{}", 2, NULL, &s) == ELIGO_ERROR_INVALID_ARGUMENT && s == NULL);
  CHECK(eligo_options_set_as_of(NULL, "2024-01-01") == ELIGO_ERROR_INVALID_ARGUMENT);
  eligo_pack_destroy(NULL);
  eligo_options_destroy(NULL);
  eligo_diagnostics_destroy(NULL);
  eligo_free(NULL);
  CHECK(strcmp(eligo_status_name(ELIGO_ERROR_COMPILE), "compile") == 0);
  CHECK(strcmp(eligo_version(), "0.1.0") == 0);

  CHECK(eligo_id_check("610104620927690", "2024-05-01", &s) == ELIGO_OK);
  CHECK(s && strstr(s, "\"kind\":\"resident_legacy\"") != NULL && strstr(s, "\"canonical\":\"610104196209276908\"") != NULL);
  eligo_free(s);
  CHECK(eligo_id_check("110105194912310029", NULL, &s) == ELIGO_OK);
  CHECK(s && strstr(s, "\"valid\":false") != NULL && strstr(s, "110105194912310029") == NULL);
  eligo_free(s);
  CHECK(eligo_mask("mobile", "18012341999", &s) == ELIGO_OK && strcmp(s, "180****1999") == 0);
  eligo_free(s);
  CHECK(eligo_mask("passport", "x", &s) == ELIGO_ERROR_INVALID_ARGUMENT && s == NULL);
  CHECK(eligo_names_match("阿依古丽·买买提", "阿依古丽•买买提", &match) == ELIGO_OK && match == 1);
}

static void test_blacklist(void) {
  const char* path = "capi_test_blacklist.csv";
  const char* rule =
      "{\"pack\": \"c.bl\", \"version\": \"1\", \"inputs\": {\"a\": {\"fields\": {\"id\": \"cn_id\"}}},"
      " \"checks\": [{\"id\": \"integrity\", \"require\": \"not blacklisted(a.id, 'points')\","
      " \"reason\": \"{blacklist_reasons(a.id, 'points')}\"}]}";
  const char* applicant = "{\"a\": {\"id\": \"610104620927690\"}}";
  eligo_blacklist* bl = NULL;
  eligo_pack* pack = NULL;
  eligo_options* opt = NULL;
  char* report = NULL;
  char* out = NULL;
  FILE* f = fopen(path, "w");
  fputs("id_number,scopes,reason_code,reason_text,source,listed_on,from,until\n"
        "610104196209276908,points,SX01,失信被执行人,市中级人民法院,2024-03-01,,\n"
        "not-an-id,points,SX01,x,y,2024-03-01,,\n", f);
  fclose(f);
  CHECK(eligo_blacklist_load_file(path, NULL, &bl, &report) == ELIGO_OK);
  CHECK(report && strstr(report, "\"accepted\":1") != NULL && strstr(report, "\"rejected\":1") != NULL);
  CHECK(eligo_blacklist_size(bl) == 1);
  CHECK(strlen(eligo_blacklist_hash(bl)) == 64);
  eligo_free(report);
  CHECK(eligo_blacklist_check(bl, "610104620927690", "points", "2024-05-01", &out) == ELIGO_OK);
  CHECK(out && strstr(out, "\"listed\":true") != NULL && strstr(out, "610104196209276908") == NULL);
  eligo_free(out);
  CHECK(eligo_pack_compile_text(rule, strlen(rule), NULL, &pack, NULL) == ELIGO_OK);
  eligo_options_create(&opt);
  eligo_options_set_as_of(opt, "2024-05-01");
  CHECK(eligo_pack_evaluate(pack, applicant, strlen(applicant), opt, &out) == ELIGO_ERROR_EVALUATION);
  CHECK(out && strstr(out, "\"E2009\"") != NULL);
  eligo_free(out);
  CHECK(eligo_options_set_blacklist(opt, bl) == ELIGO_OK);
  CHECK(eligo_pack_evaluate(pack, applicant, strlen(applicant), opt, &out) == ELIGO_OK);
  CHECK(out && strstr(out, "\"verdict\":\"ineligible\"") != NULL && strstr(out, "\"reason_code\":\"SX01\"") != NULL);
  eligo_free(out);
  eligo_options_destroy(opt);
  eligo_pack_destroy(pack);
  eligo_blacklist_destroy(bl);
  eligo_blacklist_destroy(NULL);
  remove(path);
}

static void test_reconcile_errors(void) {
  char* out = NULL;
  CHECK(eligo_reconcile("not json", &out) == ELIGO_ERROR_INVALID_ARGUMENT);
  CHECK(out && strstr(out, "\"error\"") != NULL);
  eligo_free(out);
  CHECK(eligo_reconcile("{\"orders\": \"/no/such/orders.csv\", \"bank\": \"/no/such/bank.csv\", \"out\": \"/tmp/x\"}",
                        &out) == ELIGO_ERROR_INVALID_ARGUMENT);
  CHECK(out && strstr(out, "\"error\"") != NULL);
  eligo_free(out);
  CHECK(eligo_reconcile("{\"orders\": \"a\", \"bank\": \"b\", \"out\": \"c\", \"cutoff\": \"2024-13-01\"}", &out) ==
        ELIGO_ERROR_INVALID_ARGUMENT);
  CHECK(out && strstr(out, "cutoff") != NULL);
  eligo_free(out);
  CHECK(eligo_reconcile(NULL, &out) == ELIGO_ERROR_INVALID_ARGUMENT && out == NULL);
}

static void write_file(const char* path, const char* text) {
  FILE* f = fopen(path, "wb");
  if (f) {
    fputs(text, f);
    fclose(f);
  }
}

static char* read_file(const char* path) {
  FILE* f = fopen(path, "rb");
  char* text;
  long n;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  text = (char*)calloc((size_t)n + 1, 1);
  if (text && fread(text, 1, (size_t)n, f) != (size_t)n) text[0] = 0;
  fclose(f);
  return text;
}

/* eligo_reconcile's success path: counts and classes in the result, personal data masked by default in the
 * result and in the files, in clear only on request. */
static void test_reconcile_masks_by_default(void) {
  char dir[] = "/tmp/eligo-capi-reconcile-XXXXXX";
  char orders[128], bank[128], out_dir[128], orders_csv[160], request[1024];
  char *out = NULL, *file = NULL;
  if (!mkdtemp(dir)) {
    CHECK(!"mkdtemp");
    return;
  }
  snprintf(orders, sizeof orders, "%s/orders.csv", dir);
  snprintf(bank, sizeof bank, "%s/bank.csv", dir);
  snprintf(out_dir, sizeof out_dir, "%s/out", dir);
  snprintf(orders_csv, sizeof orders_csv, "%s/orders.csv", out_dir);
  write_file(orders, "order_no,policy,period,payee_id,payee_name,account,amount,created\n"
                     "PO1,major-illness,2024-03,11010519491231002X,\xe6\xae\xb5\xe6\xad\xa3\xe6\xb7\xb3,6214832018989180,5000.00,2024-03-01\n"
                     "PO2,major-illness,2024-03,610104196209276908,,6214832018989181,300.00,2024-03-01\n");
  write_file(bank, "serial_no,order_no,account,name,amount,status,value_date\n"
                   "B1,PO1,6222020000000001,,5000.00,success,2024-03-05\n"
                   "B2,PO2,6214832018989181,,300.00,success,2024-03-31\n"
                   "B3,PO2,6214832018989181,,300.00,success,2024-04-01\n");
  snprintf(request, sizeof request,
           "{\"orders\": \"%s\", \"bank\": \"%s\", \"out\": \"%s\", \"cutoff\": \"2024-03-31\", \"workbook\": false}",
           orders, bank, out_dir);
  CHECK(eligo_reconcile(request, &out) == ELIGO_OK);
  CHECK(out && strstr(out, "\"payee_mismatch\":{\"count\":1,\"amount\":\"5000.00\"}") != NULL);
  CHECK(out && strstr(out, "\"paid\":{\"count\":1,\"amount\":\"300.00\"}") != NULL);
  CHECK(out && strstr(out, "\"after_cutoff\":{\"count\":1,\"amount\":\"300.00\"}") != NULL);
  CHECK(out && strstr(out, "110105********002X") != NULL);
  CHECK(out && strstr(out, "11010519491231002X") == NULL);
  eligo_free(out);
  file = read_file(orders_csv);
  CHECK(file && strstr(file, "110105********002X") != NULL && strstr(file, "622202******0001") != NULL);
  CHECK(file && strstr(file, "11010519491231002X") == NULL && strstr(file, "6222020000000001") == NULL &&
        strstr(file, "6214832018989180") == NULL && strstr(file, "\xe6\xad\xa3\xe6\xb7\xb3") == NULL);
  free(file);
  snprintf(request, sizeof request,
           "{\"orders\": \"%s\", \"bank\": \"%s\", \"out\": \"%s\", \"clear_pii\": true, \"workbook\": false}",
           orders, bank, out_dir);
  CHECK(eligo_reconcile(request, &out) == ELIGO_OK);
  CHECK(out && strstr(out, "11010519491231002X") != NULL);
  eligo_free(out);
  file = read_file(orders_csv);
  CHECK(file && strstr(file, "11010519491231002X") != NULL && strstr(file, "6222020000000001") != NULL);
  free(file);
  {
    const char* names[] = {"orders.csv", "orders.jsonl", "records.csv", "records.jsonl", "rejected.csv",
                           "summary.json", "summary.txt", "unclaimed.csv"};
    char path[256];
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; ++i) {
      snprintf(path, sizeof path, "%s/%s", out_dir, names[i]);
      remove(path);
    }
    remove(out_dir);
    remove(orders);
    remove(bank);
    remove(dir);
  }
}

/* Pack sets: the version in force on a date; a reload that fails keeps the set in use, one that works
 * replaces it, and a pack selected before a reload stays as it was. */
static void test_packset(const char* root) {
  char dir[] = "/tmp/eligo-capi-packset-XXXXXX";
  char path[512], rules[512];
  const char* paths[1];
  eligo_packset* set = NULL;
  eligo_diagnostics* diags = NULL;
  eligo_pack* pack = NULL;
  eligo_pack* old = NULL;
  char* why = NULL;
  const char* v1 = "{\"pack\": \"c.set\", \"version\": \"1\", \"effective\": {\"from\": \"2024-01-01\"},"
                   " \"inputs\": {\"a\": {\"fields\": {\"x\": \"number\"}}}, \"checks\": ["
                   "  {\"id\": \"x\", \"require\": \"a.x > 1\", \"reason\": {\"en\": \"x\"}}]}";
  const char* v2 = "{\"pack\": \"c.set\", \"version\": \"2\", \"effective\": {\"from\": \"2025-01-01\"},"
                   " \"inputs\": {\"a\": {\"fields\": {\"x\": \"number\"}}}, \"checks\": ["
                   "  {\"id\": \"x\", \"require\": \"a.x > 2\", \"reason\": {\"en\": \"x\"}}]}";
  if (!mkdtemp(dir)) {
    CHECK(!"mkdtemp");
    return;
  }
  snprintf(path, sizeof path, "%s/c-set-1.pack.json", dir);
  write_file(path, v1);
  paths[0] = dir;
  CHECK(eligo_packset_open(paths, 1, "en", &set, &diags) == ELIGO_OK);
  eligo_diagnostics_destroy(diags);
  CHECK(set != NULL);
  CHECK(eligo_packset_generation(set) == 1);
  CHECK(eligo_packset_select(set, "c.set", "2024-06-01", &old, NULL) == ELIGO_OK);
  CHECK(old != NULL && strcmp(eligo_pack_version(old), "1") == 0);
  CHECK(eligo_packset_select(set, "c.set", "2023-06-01", &pack, &why) == ELIGO_ERROR_NOT_FOUND);
  CHECK(pack == NULL);
  CHECK(why != NULL && strstr(why, "no version of c.set is in force on 2023-06-01") != NULL);
  eligo_free(why);
  why = NULL;
  CHECK(eligo_packset_select(set, "c.nothing", NULL, &pack, NULL) == ELIGO_ERROR_NOT_FOUND);
  CHECK(eligo_packset_select(set, "c.set", "2024-13-01", &pack, NULL) == ELIGO_ERROR_INVALID_ARGUMENT);

  /* A broken second version: the reload fails, the set in use stays. */
  snprintf(path, sizeof path, "%s/c-set-2.pack.json", dir);
  write_file(path, "{\"pack\": \"c.set\", \"version\": \"2\", \"checks\": [{\"id\": \"x\", \"require\": \"a.y > 2\"}]}");
  CHECK(eligo_packset_reload(set, &diags) == ELIGO_ERROR_COMPILE);
  CHECK(diags != NULL && eligo_diagnostics_error_count(diags) >= 1);
  eligo_diagnostics_destroy(diags);
  CHECK(eligo_packset_generation(set) == 1);
  CHECK(eligo_packset_select(set, "c.set", "2025-06-01", &pack, NULL) == ELIGO_OK);
  CHECK(pack != NULL && strcmp(eligo_pack_version(pack), "1") == 0);
  eligo_pack_destroy(pack);
  pack = NULL;

  /* Fixed: version 2 is in force from 2025; the pack selected before is still version 1. */
  write_file(path, v2);
  CHECK(eligo_packset_reload(set, &diags) == ELIGO_OK);
  eligo_diagnostics_destroy(diags);
  CHECK(eligo_packset_generation(set) == 2);
  CHECK(eligo_packset_select(set, "c.set", "2025-06-01", &pack, NULL) == ELIGO_OK);
  CHECK(pack != NULL && strcmp(eligo_pack_version(pack), "2") == 0);
  CHECK(strcmp(eligo_pack_version(old), "1") == 0);
  eligo_pack_destroy(pack);
  eligo_pack_destroy(old);

  /* The same id and version twice is an error (E1005), not a silent choice. */
  snprintf(path, sizeof path, "%s/c-set-2-copy.pack.json", dir);
  write_file(path, v2);
  CHECK(eligo_packset_reload(set, &diags) == ELIGO_ERROR_COMPILE);
  CHECK(diags != NULL && strstr(eligo_diagnostics_text(diags), "E1005") != NULL);
  eligo_diagnostics_destroy(diags);
  remove(path);
  snprintf(path, sizeof path, "%s/c-set-2.pack.json", dir);
  remove(path);
  snprintf(path, sizeof path, "%s/c-set-1.pack.json", dir);
  remove(path);
  rmdir(dir);
  eligo_packset_destroy(set);

  /* The bundled rules folder: both Guangzhou points versions, chosen by date. */
  snprintf(rules, sizeof rules, "%s/rules", root);
  paths[0] = rules;
  set = NULL;
  CHECK(eligo_packset_open(paths, 1, NULL, &set, &diags) == ELIGO_OK);
  eligo_diagnostics_destroy(diags);
  CHECK(eligo_packset_select(set, "cn.gz.points", "2021-11-15", &pack, NULL) == ELIGO_OK);
  CHECK(pack != NULL && strcmp(eligo_pack_version(pack), "2018.1") == 0);
  eligo_pack_destroy(pack);
  CHECK(eligo_packset_select(set, "cn.gz.points", "2021-11-16", &pack, NULL) == ELIGO_OK);
  CHECK(pack != NULL && strcmp(eligo_pack_version(pack), "2021.1") == 0);
  eligo_pack_destroy(pack);
  eligo_packset_destroy(set);
  CHECK(eligo_packset_open(NULL, 1, NULL, &set, NULL) == ELIGO_ERROR_INVALID_ARGUMENT);
}

/* eligo_id_check: the result holds the caller's own number only as its canonical form when it is valid (the
 * 15-digit legacy number converted to 18, docs/identity.md); the reason never repeats the number, and an
 * invalid number is not echoed at all. */
static void test_id_check_values_and_masking(void) {
  char* s = NULL;
  CHECK(eligo_id_check("610104620927690", "2024-05-01", &s) == ELIGO_OK);
  CHECK_STR(s, "{\"kind\":\"resident_legacy\",\"valid\":true,\"problem\":\"none\",\"reason\":\"valid\","
               "\"canonical\":\"610104196209276908\",\"birth_date\":\"1962-09-27\",\"sex\":\"female\","
               "\"region\":610104,\"region_name\":\"\xe9\x99\x95\xe8\xa5\xbf\xe7\x9c\x81 \xe8\xa5\xbf\xe5\xae\x89\xe5\xb8\x82 \xe8\x8e\xb2\xe6\xb9\x96\xe5\x8c\xba\"}");
  eligo_free(s);
  CHECK(eligo_id_check("110105194912310021", "2024-05-01", &s) == ELIGO_OK);
  CHECK_STR(s, "{\"kind\":\"resident\",\"valid\":false,\"problem\":\"check_character\","
               "\"reason\":\"check character is 1, expected X\",\"canonical\":\"\",\"birth_date\":\"1949-12-31\","
               "\"sex\":\"female\",\"region\":110105,\"region_name\":\"\xe5\x8c\x97\xe4\xba\xac\xe5\xb8\x82 \xe6\x9c\x9d\xe9\x98\xb3\xe5\x8c\xba\"}");
  eligo_free(s);
  /* A birth date after as_of: invalid on that day, valid the day of birth. */
  CHECK(eligo_id_check("11010520240502001X", "2024-05-01", &s) == ELIGO_OK);
  CHECK(s && strstr(s, "\"valid\":false") != NULL && strstr(s, "11010520240502001X") == NULL);
  eligo_free(s);
  CHECK(eligo_id_check("110105194912310021", "2024-02-30", &s) == ELIGO_ERROR_INVALID_ARGUMENT && s == NULL);
  CHECK(eligo_id_check(NULL, NULL, &s) == ELIGO_ERROR_INVALID_ARGUMENT && s == NULL);
}

/* eligo_blacklist_check: the whole answer, key masked (6 + 4), every field of the entry; listed on its first
 * and last day (both inclusive, docs/blacklist.md), not the day before or after, nor in another scope; and
 * the version of a list loaded from a file is "sha256:" and the first 12 hex digits of its hash. There is
 * no clear-text form: the caller asked with the number, the answer never repeats it. */
static void test_blacklist_check_values_and_masking(void) {
  char dir[] = "/tmp/eligo-capi-blcheck-XXXXXX"; /* not the working directory: capi.valgrind runs beside */
  char path[128];
  eligo_blacklist* bl = NULL;
  char* report = NULL;
  char* out = NULL;
  char version[32];
  FILE* f;
  if (!mkdtemp(dir)) {
    CHECK(!"mkdtemp");
    return;
  }
  snprintf(path, sizeof path, "%s/list.csv", dir);
  f = fopen(path, "w");
  fputs("id_number,scopes,reason_code,reason_text,source,listed_on,from,until\n"
        "11010519491231002X,points;school_admission,SX01,\xe5\xa4\xb1\xe4\xbf\xa1\xe8\xa2\xab\xe6\x89\xa7\xe8\xa1\x8c\xe4\xba\xba,court,2024-03-01,2024-03-05,2024-12-31\n", f);
  fclose(f);
  CHECK(eligo_blacklist_load_file(path, NULL, &bl, &report) == ELIGO_OK);
  CHECK_STR(report, "{\"rows\":1,\"accepted\":1,\"rejected\":0,\"entries\":1,\"errors\":[],\"error\":\"\"}");
  eligo_free(report);
  CHECK(eligo_blacklist_check(bl, "11010519491231002x", "points", "2024-03-05", &out) == ELIGO_OK);
  CHECK_STR(out, "{\"listed\":true,\"entries\":[{\"key\":\"110105********002X\",\"scopes\":[\"points\",\"school_admission\"],"
                 "\"reason_code\":\"SX01\",\"reason_text\":\"\xe5\xa4\xb1\xe4\xbf\xa1\xe8\xa2\xab\xe6\x89\xa7\xe8\xa1\x8c\xe4\xba\xba\",\"source\":\"court\","
                 "\"listed_on\":\"2024-03-01\",\"from\":\"2024-03-05\",\"until\":\"2024-12-31\"}]}");
  eligo_free(out);
  CHECK(eligo_blacklist_check(bl, "11010519491231002X", "points", "2024-03-04", &out) == ELIGO_OK);
  CHECK_STR(out, "{\"listed\":false,\"entries\":[]}");
  eligo_free(out);
  CHECK(eligo_blacklist_check(bl, "11010519491231002X", "points", "2024-12-31", &out) == ELIGO_OK);
  CHECK(out && strstr(out, "\"listed\":true") == out + 1);
  eligo_free(out);
  CHECK(eligo_blacklist_check(bl, "11010519491231002X", "points", "2025-01-01", &out) == ELIGO_OK);
  CHECK_STR(out, "{\"listed\":false,\"entries\":[]}");
  eligo_free(out);
  CHECK(eligo_blacklist_check(bl, "11010519491231002X", "housing", "2024-06-01", &out) == ELIGO_OK);
  CHECK_STR(out, "{\"listed\":false,\"entries\":[]}");
  eligo_free(out);
  CHECK(eligo_blacklist_check(bl, "11010519491231002X", "points", "2024-02-30", &out) == ELIGO_ERROR_INVALID_ARGUMENT);
  CHECK(out == NULL);
  snprintf(version, sizeof version, "sha256:%.12s", eligo_blacklist_hash(bl));
  CHECK_STR(eligo_blacklist_version(bl), version);
  CHECK(eligo_blacklist_size(bl) == 1);
  eligo_blacklist_destroy(bl);
  CHECK_STR(eligo_blacklist_version(NULL), "");
  remove(path);
  rmdir(dir);
}

/* eligo_blacklist_open_db over a store made by `eligo blacklist import`: its size, its revision as the
 * version, the same answers as the CLI; a keyed store answers with its key and refuses a wrong one; a missing
 * store is an error (not a new empty store that lists no one). */
static void test_blacklist_open_db(const char* cli) {
  char dir[] = "/tmp/eligo-capi-bldb-XXXXXX";
  char csv[128], db[128], keyed[128], keyfile[128], cmd[1024];
  eligo_blacklist* bl = NULL;
  char* error = NULL;
  char* out = NULL;
  if (!cli) {
    fprintf(stderr, "test_blacklist_open_db: no eligo CLI given, skipped\n");
    ++failed;
    return;
  }
  if (!mkdtemp(dir)) {
    CHECK(!"mkdtemp");
    return;
  }
  snprintf(csv, sizeof csv, "%s/list.csv", dir);
  snprintf(db, sizeof db, "%s/list.sqlite", dir);
  snprintf(keyed, sizeof keyed, "%s/keyed.sqlite", dir);
  snprintf(keyfile, sizeof keyfile, "%s/key", dir);
  write_file(csv, "id_number,scopes,reason_code,reason_text,source,listed_on\n"
                  "11010519491231002X,points,SX01,x,court,2024-01-01\n"
                  "610104620927690,housing,SX02,y,court,2024-02-01\n");
  write_file(keyfile, "0123456789abcdef-capi\n");
  snprintf(cmd, sizeof cmd, "'%s' blacklist import '%s' --db '%s' >/dev/null 2>&1", cli, csv, db);
  CHECK(system(cmd) == 0);
  snprintf(cmd, sizeof cmd, "'%s' blacklist import '%s' --db '%s' --hash-key-file '%s' >/dev/null 2>&1", cli, csv,
           keyed, keyfile);
  CHECK(system(cmd) == 0);

  CHECK(eligo_blacklist_open_db(db, NULL, &bl, &error) == ELIGO_OK);
  CHECK(error == NULL);
  CHECK(eligo_blacklist_size(bl) == 2);
  CHECK_STR(eligo_blacklist_version(bl), "1");
  CHECK(strlen(eligo_blacklist_hash(bl)) == 64);
  CHECK(eligo_blacklist_check(bl, "610104196209276908", "housing", "2024-02-01", &out) == ELIGO_OK);
  CHECK(out && strstr(out, "\"listed\":true") != NULL && strstr(out, "\"key\":\"610104********6908\"") != NULL &&
        strstr(out, "\"reason_code\":\"SX02\"") != NULL);
  eligo_free(out);
  CHECK(eligo_blacklist_check(bl, "610104196209276908", "housing", "2024-01-31", &out) == ELIGO_OK);
  CHECK_STR(out, "{\"listed\":false,\"entries\":[]}");
  eligo_free(out);
  eligo_blacklist_destroy(bl);
  bl = NULL;

  /* The keyed store: answers with its key, refuses an ID query without it. */
  CHECK(eligo_blacklist_open_db(keyed, "0123456789abcdef-capi", &bl, &error) == ELIGO_OK);
  CHECK(eligo_blacklist_size(bl) == 2);
  CHECK(eligo_blacklist_check(bl, "11010519491231002X", "points", "2024-06-01", &out) == ELIGO_OK);
  CHECK(out && strstr(out, "\"listed\":true") != NULL && strstr(out, "11010519491231002X") == NULL);
  eligo_free(out);
  eligo_blacklist_destroy(bl);
  bl = NULL;
  CHECK(eligo_blacklist_open_db(keyed, "another-key-0123456789", &bl, &error) == ELIGO_ERROR_INVALID_ARGUMENT);
  CHECK(bl == NULL);
  CHECK_STR(error && strstr(error, ": ") ? strstr(error, ": ") : error, ": the hash key is not the one this store was made with");
  eligo_free(error);
  error = NULL;

  snprintf(cmd, sizeof cmd, "%s/none.sqlite", dir);
  CHECK(eligo_blacklist_open_db(cmd, NULL, &bl, &error) == ELIGO_ERROR_INVALID_ARGUMENT);
  CHECK(bl == NULL && error != NULL && strstr(error, "none.sqlite: no such store") != NULL);
  CHECK(access(cmd, F_OK) != 0); /* and it was not created */
  eligo_free(error);
  remove(csv);
  remove(db);
  remove(keyed);
  remove(keyfile);
  rmdir(dir);
}

/* Every eligo_options_set_* changes the decision it is meant to change. */
static void test_options_change_the_decision(void) {
  const char* flat_pack =
      "{\"pack\": \"c.opt\", \"version\": \"1\", \"inputs\": {\"a\": {\"fields\": {\"x\": \"number\", \"xs\": {\"list\": \"number\"}}}},"
      " \"checks\": [{\"id\": \"big\", \"require\": \"a.x > 1\", \"reason\": {\"en\": \"x is {a.x}\", \"zh-CN\": \"x \xe4\xb8\xba {a.x}\"}},"
      "              {\"id\": \"odd\", \"require\": \"a.x % 2 == 1\", \"reason\": {\"en\": \"x is even\"}},"
      "              {\"id\": \"sum\", \"require\": \"all(a.xs, p -> all(a.xs, q -> p + q >= 0))\", \"reason\": {\"en\": \"negative\"}}]}";
  eligo_pack* pack = NULL;
  eligo_options* opt = NULL;
  char* out = NULL;
  CHECK(eligo_pack_compile_text(flat_pack, strlen(flat_pack), NULL, &pack, NULL) == ELIGO_OK);
  CHECK(eligo_options_create(&opt) == ELIGO_OK);
  eligo_options_set_as_of(opt, "2024-05-01");
  eligo_options_set_lang(opt, "en");

  /* group: a flat object fills that group; without it the same object is an unknown group (E3004). */
  CHECK(eligo_pack_evaluate(pack, "{\"x\": 0}", 8, opt, &out) == ELIGO_ERROR_EVALUATION);
  CHECK(out && strstr(out, "\"E3004\"") != NULL);
  eligo_free(out);
  CHECK(eligo_options_set_group(opt, "a") == ELIGO_OK);
  CHECK(eligo_pack_evaluate(pack, "{\"x\": 0}", 8, opt, &out) == ELIGO_OK);
  CHECK(out && strstr(out, "\"verdict\":\"ineligible\"") != NULL && strstr(out, "\"reason\":\"x is 0\"") != NULL);
  CHECK(out && strstr(out, "x is even") == NULL); /* first_failure: the second check did not run */
  eligo_free(out);

  /* mode "all": both failures. */
  CHECK(eligo_options_set_mode(opt, "all") == ELIGO_OK);
  CHECK(eligo_pack_evaluate(pack, "{\"x\": 0}", 8, opt, &out) == ELIGO_OK);
  CHECK(out && strstr(out, "\"reason\":\"x is 0\"") != NULL && strstr(out, "\"reason\":\"x is even\"") != NULL);
  eligo_free(out);
  CHECK(eligo_options_set_mode(opt, "first_failure") == ELIGO_OK);

  /* unknown_fields: error (the pack's default), warn (eligible, a warning), ignore (eligible, no warning). */
  CHECK(eligo_pack_evaluate(pack, "{\"x\": 3, \"xs\": [], \"y\": 1}", 26, opt, &out) == ELIGO_ERROR_EVALUATION);
  CHECK(out && strstr(out, "\"E3004\"") != NULL && strstr(out, "a.y") != NULL);
  eligo_free(out);
  CHECK(eligo_options_set_unknown_fields(opt, "warn") == ELIGO_OK);
  CHECK(eligo_pack_evaluate(pack, "{\"x\": 3, \"xs\": [], \"y\": 1}", 26, opt, &out) == ELIGO_OK);
  CHECK(out && strstr(out, "\"verdict\":\"eligible\"") != NULL &&
        strstr(out, "\"data_warnings\":[{\"code\":\"E3004\",\"path\":\"a.y\",\"message\":\"'y' is not a field of the "
                    "record or an input group (did you mean 'x'?)\"}]") != NULL);
  eligo_free(out);
  CHECK(eligo_options_set_unknown_fields(opt, "ignore") == ELIGO_OK);
  CHECK(eligo_pack_evaluate(pack, "{\"x\": 3, \"xs\": [], \"y\": 1}", 26, opt, &out) == ELIGO_OK);
  CHECK(out && strstr(out, "\"verdict\":\"eligible\"") != NULL && strstr(out, "data_warnings") == NULL);
  eligo_free(out);
  CHECK(eligo_options_set_unknown_fields(opt, "sometimes") == ELIGO_ERROR_INVALID_ARGUMENT);

  /* explain: the values each check read are there when asked for, and only then. */
  CHECK(eligo_options_set_explain(opt, 1) == ELIGO_OK);
  CHECK(eligo_pack_evaluate(pack, "{\"x\": 3, \"xs\": []}", 18, opt, &out) == ELIGO_OK);
  CHECK(out && strstr(out, "{\"id\":\"big\",\"status\":\"passed\",\"read\":[{\"path\":\"a.x\",\"value\":\"3\"}]}") != NULL);
  eligo_free(out);
  CHECK(eligo_options_set_explain(opt, 0) == ELIGO_OK);
  CHECK(eligo_pack_evaluate(pack, "{\"x\": 3, \"xs\": []}", 18, opt, &out) == ELIGO_OK);
  CHECK(out && strstr(out, "{\"id\":\"big\",\"status\":\"passed\"}") != NULL && strstr(out, "\"read\"") == NULL);
  eligo_free(out);

  /* step_budget: 30 x 30 pairs pass on the default budget and stop with E2001 on 100 steps; 0 is refused. */
  {
    char big[512] = "{\"x\": 3, \"xs\": [";
    int i;
    for (i = 0; i < 30; ++i) strcat(big, i ? ",1" : "1");
    strcat(big, "]}");
    CHECK(eligo_pack_evaluate(pack, big, strlen(big), opt, &out) == ELIGO_OK);
    CHECK(out && strstr(out, "\"verdict\":\"eligible\"") != NULL);
    eligo_free(out);
    CHECK(eligo_options_set_step_budget(opt, 0) == ELIGO_ERROR_INVALID_ARGUMENT);
    CHECK(eligo_options_set_step_budget(opt, 100) == ELIGO_OK);
    CHECK(eligo_pack_evaluate(pack, big, strlen(big), opt, &out) == ELIGO_ERROR_EVALUATION);
    CHECK(out && strstr(out, "\"verdict\":\"error\"") != NULL && strstr(out, "\"E2001\"") != NULL);
    eligo_free(out);
  }

  /* threads: a batch gives the same bytes on 1 and on 4 threads; a negative count is refused. */
  {
    char lines[4096] = "";
    char* one = NULL;
    int i;
    eligo_options_set_step_budget(opt, 1000000);
    for (i = 0; i < 40; ++i) {
      char line[64];
      snprintf(line, sizeof line, "{\"x\": %d, \"xs\": [%d]}\n", i, i);
      strcat(lines, line);
    }
    CHECK(eligo_options_set_threads(opt, -1) == ELIGO_ERROR_INVALID_ARGUMENT);
    CHECK(eligo_options_set_threads(opt, 1) == ELIGO_OK);
    CHECK(eligo_pack_evaluate_batch(pack, lines, strlen(lines), opt, &one) == ELIGO_OK);
    CHECK(eligo_options_set_threads(opt, 4) == ELIGO_OK);
    CHECK(eligo_pack_evaluate_batch(pack, lines, strlen(lines), opt, &out) == ELIGO_OK);
    CHECK(one && out && strcmp(one, out) == 0);
    CHECK(one && strstr(one, "{\"line\":40,") != NULL && strstr(one, "{\"line\":41,") == NULL);
    eligo_free(one);
    eligo_free(out);
  }
  eligo_options_destroy(opt);
  eligo_pack_destroy(pack);
}

/* eligo_pack_compile_file_lang: the language of the diagnostics, the same codes in both. */
static void test_compile_file_lang(void) {
  char dir[] = "/tmp/eligo-capi-lang-XXXXXX";
  char path[128];
  eligo_pack* pack = NULL;
  eligo_diagnostics* diags = NULL;
  eligo_diagnostic d;
  if (!mkdtemp(dir)) {
    CHECK(!"mkdtemp");
    return;
  }
  snprintf(path, sizeof path, "%s/lang.pack.json", dir);
  write_file(path, "{\"pack\": \"c.lang\", \"version\": \"1\", \"inputs\": {\"a\": {\"fields\": {\"x\": \"number\"}}},"
                   " \"checks\": [{\"id\": \"c\", \"require\": \"a.y > 1\", \"reason\": \"r\"}]}");
  CHECK(eligo_pack_compile_file_lang(path, "en", &pack, &diags) == ELIGO_ERROR_COMPILE);
  CHECK(pack == NULL && eligo_diagnostics_error_count(diags) == 1);
  CHECK(eligo_diagnostics_get(diags, 0, &d) == ELIGO_OK);
  CHECK_STR(d.code, "E1203");
  CHECK_STR(d.message, "unknown field 'a.y' (did you mean 'a.x'?)");
  CHECK_STR(d.file, path);
  eligo_diagnostics_destroy(diags);
  CHECK(eligo_pack_compile_file_lang(path, "zh-CN", &pack, &diags) == ELIGO_ERROR_COMPILE);
  CHECK(eligo_diagnostics_get(diags, 0, &d) == ELIGO_OK);
  CHECK_STR(d.code, "E1203");
  CHECK_STR(d.message, "\xe6\x9c\xaa\xe7\x9f\xa5\xe7\x9a\x84\xe5\xad\x97\xe6\xae\xb5 'a.y'\xef\xbc\x88\xe6\x98\xaf\xe5\x90\xa6\xe6\x83\xb3\xe5\x86\x99 'a.x'\xef\xbc\x9f\xef\xbc\x89");
  eligo_diagnostics_destroy(diags);
  write_file(path, "{\"pack\": \"c.lang\", \"version\": \"3.1\", \"inputs\": {\"a\": {\"fields\": {\"x\": \"number\"}}},"
                   " \"checks\": [{\"id\": \"c\", \"require\": \"a.x > 1\", \"reason\": \"r\"}]}");
  CHECK(eligo_pack_compile_file_lang(path, "en", &pack, &diags) == ELIGO_OK);
  CHECK(eligo_diagnostics_count(diags) == 0);
  CHECK_STR(eligo_pack_id(pack), "c.lang");
  CHECK_STR(eligo_pack_version(pack), "3.1");
  eligo_diagnostics_destroy(diags);
  eligo_pack_destroy(pack);
  remove(path);
  rmdir(dir);
}

/* Personal data through the C entry points that return it (docs/identity.md, "Personal data in the C API"):
 * eligo_pack_evaluate and eligo_pack_evaluate_batch mask an ID number by default (6 + 4) and show it in clear
 * only after eligo_options_set_clear_pii(opt, 1), masked again after 0; the report of
 * eligo_blacklist_load_file names a rejected row's mistyped ID masked and has no clear-text form.
 * (eligo_reconcile: test_reconcile_masks_by_default; eligo_id_check, eligo_blacklist_check: their tests.) */
static void test_clear_pii_on_request(void) {
  static const char* pack_text =
      "{\"pack\": \"c.pii\", \"version\": \"1\","
      " \"inputs\": {\"applicant\": {\"fields\": {\"id_number\": \"cn_id\", \"birth_date\": \"date\"}}},"
      " \"checks\": [{\"id\": \"adult\", \"require\": \"years_between(applicant.birth_date, as_of) >= 18\","
      "              \"reason\": {\"en\": \"{applicant.id_number} is under 18\"}}]}";
  const char* applicant = "{\"applicant\": {\"id_number\": \"330106195804120220\", \"birth_date\": \"2010-01-01\"}}";
  const char* lines = "{\"applicant\": {\"id_number\": \"330106195804120220\", \"birth_date\": \"2010-01-01\"}}\n";
  char dir[] = "/tmp/eligo-capi-pii-XXXXXX"; /* not the working directory: capi.valgrind runs beside */
  char path[128];
  FILE* f;
  eligo_pack* pack = NULL;
  eligo_options* opt = NULL;
  eligo_blacklist* bl = NULL;
  char* out = NULL;
  CHECK(eligo_pack_compile_text(pack_text, strlen(pack_text), NULL, &pack, NULL) == ELIGO_OK);
  eligo_options_create(&opt);
  eligo_options_set_as_of(opt, "2024-05-01");
  eligo_options_set_lang(opt, "en");

  CHECK(eligo_pack_evaluate(pack, applicant, strlen(applicant), opt, &out) == ELIGO_OK);
  CHECK(out && strstr(out, "\"reason\":\"330106********0220 is under 18\"") != NULL);
  CHECK(out && strstr(out, "330106195804120220") == NULL);
  eligo_free(out);
  CHECK(eligo_pack_evaluate_batch(pack, lines, strlen(lines), opt, &out) == ELIGO_OK);
  CHECK(out && strstr(out, "\"reason\":\"330106********0220 is under 18\"") != NULL);
  CHECK(out && strstr(out, "330106195804120220") == NULL);
  eligo_free(out);

  CHECK(eligo_options_set_clear_pii(opt, 1) == ELIGO_OK);
  CHECK(eligo_pack_evaluate(pack, applicant, strlen(applicant), opt, &out) == ELIGO_OK);
  CHECK(out && strstr(out, "\"reason\":\"330106195804120220 is under 18\"") != NULL);
  eligo_free(out);
  CHECK(eligo_pack_evaluate_batch(pack, lines, strlen(lines), opt, &out) == ELIGO_OK);
  CHECK(out && strstr(out, "\"reason\":\"330106195804120220 is under 18\"") != NULL);
  eligo_free(out);

  CHECK(eligo_options_set_clear_pii(opt, 0) == ELIGO_OK);
  CHECK(eligo_pack_evaluate(pack, applicant, strlen(applicant), opt, &out) == ELIGO_OK);
  CHECK(out && strstr(out, "\"reason\":\"330106********0220 is under 18\"") != NULL);
  eligo_free(out);
  eligo_options_destroy(opt);
  eligo_pack_destroy(pack);

  /* Three rejected rows: the one whose ID is mistyped names it masked, the others name row and column only. */
  CHECK(mkdtemp(dir) != NULL);
  snprintf(path, sizeof path, "%s/list.csv", dir);
  f = fopen(path, "w");
  fputs("id_number,scopes,reason_code,reason_text,source,listed_on,from,until\n"
        "610104196209276908,points,SX01,x,y,2024-13-01,,\n"
        "610104196209276907,points,SX01,x,y,2024-03-01,,\n"
        "610104196209276908,,SX01,x,y,2024-03-01,,\n", f);
  fclose(f);
  eligo_blacklist_load_file(path, NULL, &bl, &out);
  CHECK_STR(out, "{\"rows\":3,\"accepted\":0,\"rejected\":3,\"entries\":0,\"errors\":["
                 "\"row 2, listed_on: '2024-13-01' is not a date (YYYY-MM-DD)\","
                 "\"row 3, id_number: check character is 7, expected 8 (610104********6907)\","
                 "\"row 4, scopes: no scope\"],\"error\":\"\"}");
  eligo_free(out);
  eligo_blacklist_destroy(bl);
  remove(path);
  rmdir(dir);
}

int main(int argc, char** argv) {
  test_compile_errors();
  test_evaluate_with_source();
  test_batch();
  test_compile_file(argc > 1 ? argv[1] : ".");
  test_misuse_and_identity();
  test_blacklist();
  test_reconcile_errors();
  test_reconcile_masks_by_default();
  test_packset(argc > 1 ? argv[1] : ".");
  test_id_check_values_and_masking();
  test_blacklist_check_values_and_masking();
  test_blacklist_open_db(argc > 2 ? argv[2] : NULL);
  test_options_change_the_decision();
  test_compile_file_lang();
  test_clear_pii_on_request();
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
