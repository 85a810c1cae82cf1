// Diagnostics of a compiled pack.
#include "capi/handles.hpp"

extern "C" {

ELIGO_API size_t eligo_diagnostics_count(const eligo_diagnostics* d) { return d ? d->diagnostics.items.size() : 0; }

ELIGO_API size_t eligo_diagnostics_error_count(const eligo_diagnostics* d) {
  return d ? d->diagnostics.error_count() : 0;
}

ELIGO_API eligo_status eligo_diagnostics_get(const eligo_diagnostics* d, size_t index, eligo_diagnostic* out_diagnostic) {
  if (!d || !out_diagnostic || index >= d->diagnostics.items.size()) return ELIGO_ERROR_INVALID_ARGUMENT;
  const eligo::Diagnostic& x = d->diagnostics.items[index];
  out_diagnostic->code = x.code.c_str();
  out_diagnostic->severity = eligo::severity_name(x.severity);
  out_diagnostic->file = x.file.c_str();
  out_diagnostic->line = x.line;
  out_diagnostic->column = x.column;
  out_diagnostic->pointer = x.pointer.c_str();
  out_diagnostic->message = x.message.c_str();
  return ELIGO_OK;
}

ELIGO_API const char* eligo_diagnostics_text(const eligo_diagnostics* d) { return d ? d->text.c_str() : ""; }

ELIGO_API void eligo_diagnostics_destroy(eligo_diagnostics* d) { delete d; }

}  // extern "C"
