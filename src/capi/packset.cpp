// eligo_packset_*: eligo::LivePackSet behind the C API — the version in force on a date, reloaded in use.
#include <string>
#include <vector>

#include "capi/handles.hpp"

struct eligo_packset {
  explicit eligo_packset(std::vector<std::string> paths, eligo::CompileOptions options)
      : live(std::move(paths), std::move(options)) {}
  eligo::LivePackSet live;
};

namespace {

using eligo::capi::guard;

eligo_diagnostics* hand_out(eligo::Diagnostics d) {
  auto* out = new eligo_diagnostics();
  out->diagnostics = std::move(d);
  out->text = out->diagnostics.to_string();
  return out;
}

}  // namespace

extern "C" {

ELIGO_API eligo_status eligo_packset_open(const char* const* paths, size_t count, const char* lang,
                                         eligo_packset** out_set, eligo_diagnostics** out_diagnostics) {
  if (out_set) *out_set = nullptr;
  if (out_diagnostics) *out_diagnostics = nullptr;
  if (!out_set || (!paths && count)) return ELIGO_ERROR_INVALID_ARGUMENT;
  for (size_t i = 0; i < count; ++i)
    if (!paths[i]) return ELIGO_ERROR_INVALID_ARGUMENT;
  return guard([&] {
    eligo::CompileOptions options;
    options.lang = lang ? lang : "";
    auto set = std::make_unique<eligo_packset>(std::vector<std::string>(paths, paths + count), options);
    eligo::Diagnostics d;
    const bool ok = set->live.reload(&d);
    if (out_diagnostics) *out_diagnostics = hand_out(std::move(d));
    if (!ok) return ELIGO_ERROR_COMPILE;
    *out_set = set.release();
    return ELIGO_OK;
  });
}

ELIGO_API eligo_status eligo_packset_reload(eligo_packset* set, eligo_diagnostics** out_diagnostics) {
  if (out_diagnostics) *out_diagnostics = nullptr;
  if (!set) return ELIGO_ERROR_INVALID_ARGUMENT;
  return guard([&] {
    eligo::Diagnostics d;
    const bool ok = set->live.reload(&d);
    if (out_diagnostics) *out_diagnostics = hand_out(std::move(d));
    return ok ? ELIGO_OK : ELIGO_ERROR_COMPILE;
  });
}

ELIGO_API eligo_status eligo_packset_select(const eligo_packset* set, const char* id, const char* as_of,
                                           eligo_pack** out_pack, char** out_why) {
  if (out_pack) *out_pack = nullptr;
  if (out_why) *out_why = nullptr;
  if (!set || !id || !out_pack) return ELIGO_ERROR_INVALID_ARGUMENT;
  return guard([&] {
    eligo::Date day = eligo::today_cst();
    if (as_of) {
      auto parsed = eligo::Date::parse(as_of);
      if (!parsed) return ELIGO_ERROR_INVALID_ARGUMENT;
      day = *parsed;
    }
    const auto current = set->live.current();
    std::string why;
    const eligo::Pack* p = current ? current->select(id, day, &why) : nullptr;
    if (!p) {
      if (out_why) *out_why = eligo::capi::copy_out(why);
      return ELIGO_ERROR_NOT_FOUND;
    }
    *out_pack = new eligo_pack{*p};
    return ELIGO_OK;
  });
}

ELIGO_API unsigned long long eligo_packset_generation(const eligo_packset* set) {
  return set ? set->live.generation() : 0;
}

ELIGO_API void eligo_packset_destroy(eligo_packset* set) { delete set; }

}  // extern "C"
