// eligo/version.hpp — what this eligo is and what it was built with (`eligo --version` prints it).
//
//   eligo::version()          "0.1.0"
//   eligo::build_info().icu   "72.1" (the ICU loaded at run time)
#pragma once

#include <string>

namespace eligo {

// The library's version, MAJOR.MINOR.PATCH (the project version in CMakeLists.txt).
const char* version();

struct BuildInfo {
  std::string version;     // as version()
  std::string build_type;  // CMAKE_BUILD_TYPE of the library's build ("Release", "Debug", ...)
  std::string compiler;    // compiler and version the library was built with
  std::string icu;         // ICU version loaded at run time
  std::string sqlite;      // SQLite version loaded at run time
  std::string openssl;     // OpenSSL (libcrypto) version loaded at run time
};

BuildInfo build_info();

}  // namespace eligo
