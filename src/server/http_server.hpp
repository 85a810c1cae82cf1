// The HTTP/1.1 side of eligo-server (Boost.Beast, after its advanced_server example): a listener, and one
// session per connection that reads a request's headers under the header timeout, lets the Service admit
// or refuse it before a byte of the body is read, then reads the body under the body timeout and the
// route's body limit. Keep-alive; a client too slow at any step is dropped.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "server/service.hpp"

namespace eligo::server {

class HttpServer {
 public:
  explicit HttpServer(Service& service);
  ~HttpServer();
  // Binds and listens; false and *error when it cannot. port() then tells the port (for --listen HOST:0).
  bool listen(const std::string& host, std::uint16_t port, std::string* error);
  std::uint16_t port() const;
  // Runs the I/O threads until stop(); `on_signal` is called (on an I/O thread) for SIGHUP.
  void run(unsigned threads, std::function<void()> on_sighup);
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace eligo::server
