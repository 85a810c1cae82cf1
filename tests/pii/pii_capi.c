/* tests/pii: evaluates JSON Lines through the C API with explanations, one applicant at a time and as a
 * batch, and prints every decision JSON. pii_capi PACK APPLICANTS.jsonl CLEAR(0|1) */
#include <eligo/eligo.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char** argv) {
  eligo_pack* pack = NULL;
  eligo_diagnostics* diags = NULL;
  eligo_options* opt = NULL;
  char* text;
  char* out = NULL;
  char* line;
  long size;
  FILE* f;
  if (argc != 4) return 2;
  if (eligo_pack_compile_file(argv[1], &pack, &diags) != ELIGO_OK) {
    fputs(eligo_diagnostics_text(diags), stderr);
    return 1;
  }
  eligo_diagnostics_destroy(diags);
  f = fopen(argv[2], "rb");
  if (!f) return 2;
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  fseek(f, 0, SEEK_SET);
  text = calloc((size_t)size + 1, 1);
  if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) return 2;
  fclose(f);
  eligo_options_create(&opt);
  eligo_options_set_as_of(opt, "2024-05-01");
  eligo_options_set_explain(opt, 1);
  eligo_options_set_lang(opt, "en");
  eligo_options_set_clear_pii(opt, atoi(argv[3]));
  if (eligo_pack_evaluate_batch(pack, text, (size_t)size, opt, &out) != ELIGO_OK) return 2;
  fputs(out, stdout);
  eligo_free(out);
  for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    out = NULL;
    eligo_pack_evaluate(pack, line, strlen(line), opt, &out);
    if (out) puts(out);
    eligo_free(out);
  }
  free(text);
  eligo_options_destroy(opt);
  eligo_pack_destroy(pack);
  return 0;
}
