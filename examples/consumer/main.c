/* The same check through the installed C API (eligo::eligo_c). */
#include <eligo/eligo.h>

#include <stdio.h>
#include <string.h>

int main(void) {
  const char* pack_json =
      "{\"pack\": \"demo.age\", \"version\": \"1\", \"inputs\": {\"applicant\": {\"fields\": {\"birth_date\": \"date\"}}},"
      " \"checks\": [{\"id\": \"adult\", \"require\": \"years_between(applicant.birth_date, as_of) >= 18\","
      " \"reason\": {\"zh-CN\": \"未满18周岁\", \"en\": \"under 18\"}}]}";
  const char* applicant = "{\"applicant\": {\"birth_date\": \"2010-01-01\"}}";
  eligo_pack* pack = NULL;
  eligo_diagnostics* diags = NULL;
  eligo_options* opt = NULL;
  char* result = NULL;
  int ok;
  if (eligo_pack_compile_text(pack_json, strlen(pack_json), "demo.pack.json", &pack, &diags) != ELIGO_OK) {
    fputs(eligo_diagnostics_text(diags), stderr);
    eligo_diagnostics_destroy(diags);
    return 1;
  }
  eligo_diagnostics_destroy(diags);
  eligo_options_create(&opt);
  eligo_options_set_as_of(opt, "2024-05-01");
  eligo_options_set_lang(opt, "en");
  eligo_pack_evaluate(pack, applicant, strlen(applicant), opt, &result);
  puts(result);
  ok = strstr(result, "\"verdict\":\"ineligible\"") != NULL && strstr(result, "under 18") != NULL;
  eligo_free(result);
  eligo_options_destroy(opt);
  eligo_pack_destroy(pack);
  return ok ? 0 : 1;
}
