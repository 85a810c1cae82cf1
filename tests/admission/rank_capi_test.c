/* eligo_rank from a real C99 file: placements, reasons, the exact points text, a rejected row, a wrong spec. */
#include <stdio.h>
#include <string.h>

#include "eligo/eligo.h"

static int failures = 0;
#define EXPECT(cond)                                                     \
  do {                                                                   \
    if (!(cond)) {                                                       \
      fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                        \
    }                                                                    \
  } while (0)

int main(void) {
  const char* spec =
      "{\"seed\": \"2021-yuexiu-g1\", \"order\": [{\"by\": \"total\", \"desc\": true}], \"preferences\": \"preferences\","
      " \"schools\": [{\"id\": \"S01\", \"places\": 1}, {\"id\": \"S02\", \"places\": 1}]}";
  const char* rows =
      "[{\"key\": \"A1\", \"total\": 100, \"preferences\": \"S01;S02\"},\n"
      " {\"key\": \"A2\", \"total\": 90, \"preferences\": \"S01;S02\"},\n"
      " {\"key\": \"A3\", \"total\": 80.50, \"preferences\": \"S01\"},\n"
      " {\"key\": \"A4\", \"preferences\": \"S01\"}]";
  char* out = NULL;
  eligo_status st = eligo_rank(spec, rows, &out);
  EXPECT(st == ELIGO_OK);
  EXPECT(out != NULL);
  if (out) {
    EXPECT(strstr(out, "{\"placed\":2,") == out);
    EXPECT(strstr(out, "{\"rank\":1,\"key\":\"A1\",\"points\":\"100\",\"school\":\"S01\",\"preference\":1,") != NULL);
    EXPECT(strstr(out, "{\"rank\":2,\"key\":\"A2\",\"points\":\"90\",\"school\":\"S02\",\"preference\":2,") != NULL);
    EXPECT(strstr(out, "{\"rank\":3,\"key\":\"A3\",\"points\":\"80.50\",\"school\":\"\",\"preference\":0,") != NULL);
    EXPECT(strstr(out, "\"reason_zh\":\"第 2 志愿录取（S02）；第 1 志愿 S01 未录取：积分低于该校录取线 100 分\"") != NULL);
    EXPECT(strstr(out, "{\"school\":\"S01\",\"name\":\"\",\"places\":1,\"admitted\":1,\"full\":true,\"cutoff\":\"100\"") != NULL);
    EXPECT(strstr(out, "\"rejected\":[{\"row\":4,\"column\":\"total\",") != NULL);
  }
  eligo_free(out);
  out = NULL;
  st = eligo_rank("{\"order\": []}", rows, &out);
  EXPECT(st == ELIGO_ERROR_INVALID_ARGUMENT);
  EXPECT(out != NULL && strstr(out, "{\"error\":\"spec:1:1: /: 'seed' is required") == out);
  eligo_free(out);
  /* A key that is an ID number is refused (the lottery value would give it away), masked in the message. */
  out = NULL;
  st = eligo_rank(spec, "[{\"key\": \"110105199001010010\", \"total\": 1, \"preferences\": \"S01\"}]", &out);
  EXPECT(st == ELIGO_ERROR_INVALID_ARGUMENT);
  EXPECT(out != NULL && strstr(out, "{\"error\":\"column 'key' holds ID numbers (1 row: 1; row 1: 110105********0010)") == out);
  EXPECT(out != NULL && strstr(out, "110105199001010010") == NULL);
  eligo_free(out);
  out = NULL;
  EXPECT(eligo_rank(NULL, rows, &out) == ELIGO_ERROR_INVALID_ARGUMENT);
  if (failures == 0) printf("eligo_rank: all checks passed\n");
  return failures ? 1 : 0;
}
