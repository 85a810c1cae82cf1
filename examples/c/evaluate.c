/* Evaluates one applicant with the C API: evaluate PACK APPLICANT.json [AS_OF]
 * Prints the decision JSON; exit 0 when evaluated, 1 for a broken pack, 2 for usage or I/O problems. */
#include <eligo/eligo.h>

#include <stdio.h>
#include <stdlib.h>

static char* read_file(const char* path, size_t* out_length) {
  FILE* f = fopen(path, "rb");
  char* text;
  long size;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  fseek(f, 0, SEEK_SET);
  text = malloc((size_t)size + 1);
  if (text && fread(text, 1, (size_t)size, f) != (size_t)size) {
    free(text);
    text = NULL;
  }
  fclose(f);
  if (text) text[size] = '\0';
  *out_length = (size_t)size;
  return text;
}

int main(int argc, char** argv) {
  eligo_pack* pack = NULL;
  eligo_diagnostics* diags = NULL;
  eligo_options* opt = NULL;
  char* applicant = NULL;
  char* result = NULL;
  size_t length = 0;
  eligo_status st;
  int rc = 2;
  if (argc < 3) {
    fprintf(stderr, "usage: %s PACK.pack.json APPLICANT.json [YYYY-MM-DD]\n", argv[0]);
    return 2;
  }
  /* One exit at the end: everything made so far is freed on every path (the destroy calls accept NULL). */
  if (eligo_pack_compile_file(argv[1], &pack, &diags) != ELIGO_OK) {
    fputs(eligo_diagnostics_text(diags), stderr);
    rc = 1;
    goto done;
  }
  applicant = read_file(argv[2], &length);
  if (!applicant) {
    fprintf(stderr, "cannot read %s\n", argv[2]);
    goto done;
  }
  if (eligo_options_create(&opt) != ELIGO_OK) goto done;
  if (argc > 3 && eligo_options_set_as_of(opt, argv[3]) != ELIGO_OK) {
    fprintf(stderr, "not a date: %s\n", argv[3]);
    goto done;
  }
  st = eligo_pack_evaluate(pack, applicant, length, opt, &result);
  if (result) puts(result);
  rc = st == ELIGO_OK || st == ELIGO_ERROR_EVALUATION ? 0 : 2;
done:
  eligo_free(result);
  free(applicant);
  eligo_options_destroy(opt);
  eligo_diagnostics_destroy(diags);
  eligo_pack_destroy(pack);
  return rc;
}
