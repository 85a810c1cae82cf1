// Status names, version, eligo_free.
#include "capi/handles.hpp"

extern "C" {

ELIGO_API const char* eligo_status_name(eligo_status status) {
  switch (status) {
    case ELIGO_OK: return "ok";
    case ELIGO_ERROR_INVALID_ARGUMENT: return "invalid_argument";
    case ELIGO_ERROR_COMPILE: return "compile";
    case ELIGO_ERROR_EVALUATION: return "evaluation";
    case ELIGO_ERROR_OUT_OF_MEMORY: return "out_of_memory";
    case ELIGO_ERROR_INTERNAL: return "internal";
    case ELIGO_ERROR_NOT_FOUND: return "not_found";
  }
  return "unknown";
}

ELIGO_API const char* eligo_version(void) { return ELIGO_VERSION_STRING; }

ELIGO_API void eligo_free(void* pointer) { std::free(pointer); }

}  // extern "C"
