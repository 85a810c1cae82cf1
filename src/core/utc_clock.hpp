// The current UTC time as ISO 8601 text, one way for every log and stamp eligo writes: the blacklist
// store's import log, the decision log, the server's reload status and access log, review imports.
//   utc_now_text()       == "2026-11-29T12:21:59Z"
//   utc_now_text(true)   == "2026-11-29T12:21:59.123Z"
#pragma once

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace eligo::detail {

inline std::string utc_now_text(bool millis = false) {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  if (millis) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
  } else {
    std::snprintf(out, sizeof out, "%sZ", buf);
  }
  return out;
}

}  // namespace eligo::detail
