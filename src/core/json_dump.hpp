// The JSON text of a nlohmann value. A value may carry bytes eligo did not validate — a file or folder name, a
// request's path, a message quoting input — and nlohmann's dump() throws on invalid UTF-8: in a C entry point
// that loses the report, on a server I/O thread it would end the process. Here invalid UTF-8 becomes U+FFFD.
// Every JSON eligo writes from a nlohmann value goes through it (grep for `.dump(` finds the exceptions).
#pragma once

#include <string>

namespace eligo {

template <class Json>
std::string json_dump(const Json& j, int indent = -1) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace eligo
