// Version and build facts. ELIGO_VERSION_STRING and ELIGO_BUILD_TYPE come from the generated
// core/build_config.h (src/core/CMakeLists.txt), read by this file only. Dependency versions are
// asked of the libraries actually loaded, not of the headers, so a mismatched install shows.
#include "eligo/version.hpp"

#include "core/build_config.h"

#include <openssl/crypto.h>
#include <sqlite3.h>
#include <unicode/uversion.h>

namespace eligo {

const char* version() { return ELIGO_VERSION_STRING; }

BuildInfo build_info() {
  BuildInfo b;
  b.version = ELIGO_VERSION_STRING;
  b.build_type = ELIGO_BUILD_TYPE;
#if defined(__clang__)
  b.compiler = "clang " __clang_version__;
#elif defined(__GNUC__)
  b.compiler = "gcc " __VERSION__;
#endif
  UVersionInfo icu;
  u_getVersion(icu);
  char text[U_MAX_VERSION_STRING_LENGTH];
  u_versionToString(icu, text);
  b.icu = text;
  b.sqlite = sqlite3_libversion();
  b.openssl = OpenSSL_version(OPENSSL_VERSION);
  return b;
}

}  // namespace eligo
