#include "evaluate/value.hpp"

#include <cstdlib>
#include <new>
#include <utility>

namespace eligo::detail {

bool values_equal(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case VKind::missing:
    case VKind::null: return true;
    case VKind::boolean: return a.b == b.b;
    case VKind::number: return a.num == b.num;
    case VKind::date: return a.date == b.date;
    case VKind::string: return a.sv() == b.sv();
    case VKind::list:
      if (a.n != b.n) return false;
      for (std::uint32_t i = 0; i < a.n; ++i)
        if (!values_equal(a.items[i], b.items[i])) return false;
      return true;
    case VKind::record: return a.items == b.items;
  }
  return false;
}

int values_compare(const Value& a, const Value& b) {
  switch (a.kind) {
    case VKind::number: return Decimal::compare(a.num, b.num);
    case VKind::date: return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
    case VKind::string: {
      const int c = a.sv().compare(b.sv());
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    case VKind::boolean: return static_cast<int>(a.b) - static_cast<int>(b.b);
    default: return 0;
  }
}

Arena& Arena::operator=(Arena&& o) noexcept {
  if (this != &o) {
    this->~Arena();
    head_ = std::exchange(o.head_, nullptr);
    cur_ = std::exchange(o.cur_, nullptr);
    end_ = std::exchange(o.end_, nullptr);
  }
  return *this;
}

Arena::~Arena() {
  while (head_) {
    Block* next = head_->next;
    std::free(head_);
    head_ = next;
  }
  cur_ = end_ = nullptr;
}

void* Arena::allocate(std::size_t bytes, std::size_t align) {
  std::uintptr_t p = (reinterpret_cast<std::uintptr_t>(cur_) + align - 1) & ~(align - 1);
  if (!cur_ || p + bytes > reinterpret_cast<std::uintptr_t>(end_)) {
    std::size_t size = head_ ? head_->size * 2 : 1024;  // small first: one bound input per applicant
    while (size < bytes + align + sizeof(Block)) size *= 2;
    auto* b = static_cast<Block*>(std::malloc(size));
    if (!b) throw std::bad_alloc();
    b->next = head_;
    b->size = size;
    head_ = b;
    cur_ = reinterpret_cast<char*>(b) + sizeof(Block);
    end_ = reinterpret_cast<char*>(b) + size;
    p = (reinterpret_cast<std::uintptr_t>(cur_) + align - 1) & ~(align - 1);
  }
  cur_ = reinterpret_cast<char*>(p + bytes);
  return reinterpret_cast<void*>(p);
}

void Arena::reset() {
  // Keep only the newest (largest) block.
  if (!head_) return;
  Block* keep = head_;
  Block* b = head_->next;
  while (b) {
    Block* next = b->next;
    std::free(b);
    b = next;
  }
  keep->next = nullptr;
  cur_ = reinterpret_cast<char*>(keep) + sizeof(Block);
  end_ = reinterpret_cast<char*>(keep) + keep->size;
}

std::size_t Arena::capacity() const {
  std::size_t n = 0;
  for (Block* b = head_; b; b = b->next) n += b->size;
  return n;
}

}  // namespace eligo::detail
