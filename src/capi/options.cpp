// Evaluation options and the data-source reply.
#include "capi/handles.hpp"

using eligo::capi::guard;

extern "C" {

ELIGO_API eligo_status eligo_options_create(eligo_options** out_options) {
  if (!out_options) return ELIGO_ERROR_INVALID_ARGUMENT;
  *out_options = nullptr;
  return guard([&] {
    *out_options = new eligo_options();
    return ELIGO_OK;
  });
}

ELIGO_API void eligo_options_destroy(eligo_options* options) { delete options; }

ELIGO_API eligo_status eligo_options_set_as_of(eligo_options* o, const char* yyyy_mm_dd) {
  if (!o || !yyyy_mm_dd) return ELIGO_ERROR_INVALID_ARGUMENT;
  auto d = eligo::Date::parse(yyyy_mm_dd);
  if (!d) return ELIGO_ERROR_INVALID_ARGUMENT;
  o->options.as_of = d;
  return ELIGO_OK;
}

ELIGO_API eligo_status eligo_options_set_lang(eligo_options* o, const char* lang) {
  if (!o || !lang) return ELIGO_ERROR_INVALID_ARGUMENT;
  if (std::strcmp(lang, "zh-CN") != 0 && std::strcmp(lang, "en") != 0) return ELIGO_ERROR_INVALID_ARGUMENT;
  return guard([&] {
    o->options.lang = lang;
    return ELIGO_OK;
  });
}

ELIGO_API eligo_status eligo_options_set_mode(eligo_options* o, const char* mode) {
  if (!o || !mode) return ELIGO_ERROR_INVALID_ARGUMENT;
  if (std::strcmp(mode, "first_failure") == 0) o->options.mode = eligo::CheckMode::first_failure;
  else if (std::strcmp(mode, "all") == 0) o->options.mode = eligo::CheckMode::all;
  else return ELIGO_ERROR_INVALID_ARGUMENT;
  return ELIGO_OK;
}

ELIGO_API eligo_status eligo_options_set_group(eligo_options* o, const char* group) {
  if (!o) return ELIGO_ERROR_INVALID_ARGUMENT;
  o->bind.group = group ? group : "";
  return ELIGO_OK;
}

ELIGO_API eligo_status eligo_options_set_unknown_fields(eligo_options* o, const char* policy) {
  if (!o || !policy) return ELIGO_ERROR_INVALID_ARGUMENT;
  if (std::strcmp(policy, "error") == 0) o->bind.unknown_fields = eligo::UnknownFields::error;
  else if (std::strcmp(policy, "warn") == 0) o->bind.unknown_fields = eligo::UnknownFields::warn;
  else if (std::strcmp(policy, "ignore") == 0) o->bind.unknown_fields = eligo::UnknownFields::ignore;
  else return ELIGO_ERROR_INVALID_ARGUMENT;
  return ELIGO_OK;
}

ELIGO_API eligo_status eligo_options_set_explain(eligo_options* o, int explain) {
  if (!o) return ELIGO_ERROR_INVALID_ARGUMENT;
  o->options.explain = explain != 0;
  return ELIGO_OK;
}

ELIGO_API eligo_status eligo_options_set_clear_pii(eligo_options* o, int clear_pii) {
  if (!o) return ELIGO_ERROR_INVALID_ARGUMENT;
  o->options.clear_pii = clear_pii != 0;
  return ELIGO_OK;
}

ELIGO_API eligo_status eligo_options_set_step_budget(eligo_options* o, unsigned long long steps) {
  if (!o || steps == 0) return ELIGO_ERROR_INVALID_ARGUMENT;
  o->options.step_budget = steps;
  return ELIGO_OK;
}

ELIGO_API eligo_status eligo_options_set_threads(eligo_options* o, int threads) {
  if (!o || threads < 0) return ELIGO_ERROR_INVALID_ARGUMENT;
  o->threads = threads;
  return ELIGO_OK;
}

ELIGO_API eligo_status eligo_options_set_source(eligo_options* o, eligo_source_fn fn, void* user_data) {
  if (!o) return ELIGO_ERROR_INVALID_ARGUMENT;
  o->source = fn;
  o->source_user_data = user_data;
  return ELIGO_OK;
}

ELIGO_API eligo_status eligo_source_reply_set(eligo_source_reply* reply, const char* json, size_t length) {
  if (!reply || !json) return ELIGO_ERROR_INVALID_ARGUMENT;
  return guard([&] {
    reply->json.assign(json, length);
    reply->set = true;
    return ELIGO_OK;
  });
}

}  // extern "C"
