// Fuzz target: eligo-server's request path without the socket. The bytes are one raw HTTP/1.1 request: they go
// through Beast's request parser with the server's header limit, then Service::admit (route, method, keys,
// Content-Length limits) and Service::handle (query options, the JSON body, evaluation, the batch stream)
// exactly as a session drives them (src/server/http_server.cpp), over the bundled packs. A request must be
// answered with a status, never crash, and its in-flight slot must be given back.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "server/api_keys.hpp"
#include "server/config.hpp"
#include "server/pack_registry.hpp"
#include "server/service.hpp"

namespace http = boost::beast::http;
using eligo::server::Service;

namespace {

Service& service() {
  static Service* s = [] {
    eligo::server::Config config;
    config.packs = {ELIGO_FUZZ_RULES_DIR};
    auto registry = std::make_shared<eligo::server::PackRegistry>(config.packs);
    if (!registry->reload("start")) std::abort();  // the bundled packs compile
    auto* svc = new Service(config, eligo::server::ApiKeys{}, registry);
    svc->ready = true;
    return svc;
  }();
  return *s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Service& svc = service();
  http::request_parser<http::string_body> parser;
  parser.eager(true);
  parser.header_limit(static_cast<std::uint32_t>(svc.config().limits.header_bytes));
  parser.body_limit(svc.config().limits.batch_body_bytes);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (used < size && !parser.is_done()) {
    const std::size_t n = parser.put(boost::asio::buffer(data + used, size - used), ec);
    if (ec == http::error::need_more) break;
    if (ec) return 0;  // the session answers 400 or 431 before admit()
    if (n == 0) break;
    used += n;
  }
  if (!parser.is_header_done()) return 0;
  auto& req = parser.get();
  std::optional<std::uint64_t> length;
  if (auto cl = parser.content_length()) length = *cl;
  eligo::server::RequestContext ctx;
  std::optional<eligo::server::Reply> refused =
      svc.admit(std::string_view(req.method_string().data(), req.method_string().size()),
                std::string_view(req.target().data(), req.target().size()),
                std::string_view(req[http::field::authorization].data(), req[http::field::authorization].size()),
                std::string_view(req["X-API-Key"].data(), req["X-API-Key"].size()),
                std::string_view(req["X-Request-Id"].data(), req["X-Request-Id"].size()), length, &ctx);
  if (refused) {
    if (refused->status < 400) std::abort();  // a refusal is an error status
    svc.finish(ctx, refused->status, false);
    return 0;
  }
  if (!parser.is_done() || req.body().size() > ctx.body_limit) {  // the session answers 413 or times out
    if (ctx.admitted) svc.release();
    svc.finish(ctx, 413, false);
    return 0;
  }
  std::unique_ptr<eligo::server::BatchStream> batch;
  eligo::server::Reply reply = svc.handle(ctx, std::move(req.body()), &batch);
  if (reply.status < 200 || reply.status > 599) std::abort();
  if (batch && reply.status == 200) {
    std::string chunk;
    while (batch->next(&chunk)) chunk.clear();
  }
  if (ctx.admitted) svc.release();
  svc.finish(ctx, reply.status, false);
  if (svc.metrics().in_flight.load() != 0) std::abort();  // every admitted request gave its slot back
  return 0;
}
