// Blacklist: the holder whose snapshot is swapped atomically on reload. std::atomic_load / atomic_store on
// shared_ptr make the swap and every read a single atomic step: a reader gets the old or the new snapshot,
// never a torn one, and keeps it alive while it holds the pointer.
#include "eligo/blacklist.hpp"

namespace eligo::blacklist {

Blacklist::Blacklist() : current_(Snapshot::empty()) {}
Blacklist::Blacklist(std::shared_ptr<const Snapshot> snapshot)
    : current_(snapshot ? std::move(snapshot) : Snapshot::empty()) {}

std::shared_ptr<const Snapshot> Blacklist::current() const { return std::atomic_load(&current_); }

void Blacklist::replace(std::shared_ptr<const Snapshot> snapshot) {
  std::atomic_store(&current_, snapshot ? std::move(snapshot) : Snapshot::empty());
}

}  // namespace eligo::blacklist
