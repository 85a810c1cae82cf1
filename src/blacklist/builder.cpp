// Builder: validates entries into a Table, then finishes it into a Snapshot.
#include "blacklist/index.hpp"
#include "blacklist/table.hpp"
#include "eligo/blacklist.hpp"

namespace eligo::blacklist {
namespace {

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
  table->finish();
  std::shared_ptr<Snapshot> snapshot(new Snapshot());
  snapshot->index_ = std::make_unique<detail::Index>(detail::Index::from_table(std::move(*table), options_.version));
  return snapshot;
}

}  // namespace eligo::blacklist
