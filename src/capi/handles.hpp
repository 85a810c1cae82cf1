// The C API's handles and the boundary guard. Every exported function runs its body through guard(), so
// no C++ exception crosses into C: bad_alloc becomes ELIGO_ERROR_OUT_OF_MEMORY, anything else INTERNAL.
#pragma once

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "eligo/blacklist.hpp"
#include "eligo/eligo.h"
#include "eligo/pack.hpp"

struct eligo_diagnostics {
  eligo::Diagnostics diagnostics;
  std::string text;
};

struct eligo_pack {
  eligo::Pack pack;
};

struct eligo_blacklist {
  std::shared_ptr<const eligo::blacklist::Snapshot> snapshot;
};

struct eligo_options {
  eligo::EvalOptions options;
  eligo::BindOptions bind;
  eligo_source_fn source = nullptr;
  void* source_user_data = nullptr;
  int threads = 0;
};

struct eligo_source_reply {
  bool set = false;
  std::string json;
};

namespace eligo::capi {

template <typename F>
eligo_status guard(F&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return ELIGO_ERROR_OUT_OF_MEMORY;
  } catch (...) {
    return ELIGO_ERROR_INTERNAL;
  }
}

// A malloc'd copy for the caller, released with eligo_free.
inline char* copy_out(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (!p) throw std::bad_alloc();
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

}  // namespace eligo::capi
