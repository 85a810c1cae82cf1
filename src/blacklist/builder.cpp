// Builder: validates entries into a Table, then finishes it into a Snapshot.
#include "blacklist/index.hpp"
#include "blacklist/table.hpp"
#include "eligo/blacklist.hpp"

#include <atomic>
#include <exception>
#include <functional>
#include <system_error>
#include <thread>

namespace eligo::blacklist {
namespace {

// Lists at least this long are hashed on a second thread while they are indexed (below, a thread costs
// more than it saves).
constexpr std::size_t kHashBesideFrom = 1 << 16;

std::unique_ptr<detail::Table> new_table(const BuildOptions& options) {
  auto t = std::make_unique<detail::Table>();
  t->kind = options.hash_key || options.hashed ? KeyKind::hmac_sha256 : KeyKind::id_number;
  t->hash_key = options.hash_key;
  if (options.hash_key) t->hasher = std::make_shared<const identity::IdHasher>(*options.hash_key);
  return t;
}

}  // namespace

Builder::Builder(BuildOptions options) : options_(std::move(options)), table_(new_table(options_)) {}
Builder::~Builder() = default;
Builder::Builder(Builder&&) noexcept = default;
Builder& Builder::operator=(Builder&&) noexcept = default;

std::optional<Problem> Builder::add(const Entry& entry) { return table_->add(entry); }
std::size_t Builder::added() const { return table_->records.size(); }
void Builder::reserve(std::size_t n) {
  table_->records.reserve(table_->records.size() + n);
  if (table_->kind == KeyKind::hmac_sha256) table_->digests.reserve(table_->digests.size() + n);
}
KeyKind Builder::key_kind() const { return table_->kind; }

std::shared_ptr<const Snapshot> Builder::build() {
  std::unique_ptr<detail::Table> table = std::move(table_);
  table_ = new_table(options_);
  table->sort_and_merge(/*keep_scratch=*/true);
  auto index = std::make_unique<detail::Index>();
  // The content hash (SHA-256 over ~100 bytes of text per entry: a second per 10 M entries) only reads the
  // merged records, so a big list hashes them on a second thread while this one builds the index; whichever
  // finishes with the records last frees them. The hash is the same bytes either way.
  std::thread hasher;
  std::exception_ptr hash_failed;
  std::atomic<int> readers{2};
  auto done_reading = [&] {
    if (readers.fetch_sub(1, std::memory_order_acq_rel) == 1) table->release_records();
  };
  if (table->records.size() >= kHashBesideFrom) {
    try {
      hasher = std::thread([&] {
        try {
          table->hash = table->content_hash();
        } catch (...) {
          hash_failed = std::current_exception();
        }
        done_reading();
      });
    } catch (const std::system_error&) {
      // No thread to be had: hash here, below.
    }
  }
  try {
    *index = detail::Index::from_table(*table, hasher.joinable() ? std::function<void()>(done_reading) : nullptr);
  } catch (...) {
    if (hasher.joinable()) hasher.join();
    throw;
  }
  if (hasher.joinable()) {
    hasher.join();
    if (hash_failed) std::rethrow_exception(hash_failed);
  } else {
    table->hash = table->content_hash();
  }
  index->set_hash(table->hash, options_.version);
  std::shared_ptr<Snapshot> snapshot(new Snapshot());
  snapshot->index_ = std::move(index);
  return snapshot;
}

}  // namespace eligo::blacklist
