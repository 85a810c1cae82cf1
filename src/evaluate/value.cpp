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
    // Only heap blocks move: inline storage stays with its owner (which never moves an arena that has it).
    head_ = std::exchange(o.head_, nullptr);
    cur_ = std::exchange(o.cur_, nullptr);
    end_ = std::exchange(o.end_, nullptr);
    if (std::exchange(o.in_inline_, false)) cur_ = end_ = nullptr;
    inline_ = nullptr;
    inline_bytes_ = 0;
    in_inline_ = false;
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

void Arena::set_inline(char* storage, std::size_t bytes) {
  inline_ = storage;
  inline_bytes_ = bytes;
  reset();
}

void* Arena::allocate(std::size_t bytes, std::size_t align) {
  std::uintptr_t p = (reinterpret_cast<std::uintptr_t>(cur_) + align - 1) & ~(align - 1);
  if (!cur_ || p + bytes > reinterpret_cast<std::uintptr_t>(end_)) {
    if (in_inline_ && head_ && bytes + align + sizeof(Block) <= head_->size) {
      // Inline storage is full: continue in the spare block reset() kept.
      cur_ = reinterpret_cast<char*>(head_) + sizeof(Block);
      end_ = reinterpret_cast<char*>(head_) + head_->size;
    } else {
      std::size_t size = head_ ? head_->size * 2 : 1024;  // small first: one bound input per applicant
      while (size < bytes + align + sizeof(Block)) size *= 2;
      auto* b = static_cast<Block*>(std::malloc(size));
      if (!b) throw std::bad_alloc();
      b->next = head_;
      b->size = size;
      head_ = b;
      cur_ = reinterpret_cast<char*>(b) + sizeof(Block);
      end_ = reinterpret_cast<char*>(b) + size;
    }
    in_inline_ = false;
    p = (reinterpret_cast<std::uintptr_t>(cur_) + align - 1) & ~(align - 1);
  }
  cur_ = reinterpret_cast<char*>(p + bytes);
  return reinterpret_cast<void*>(p);
}

void Arena::reset() {
  // Keep only the newest (largest) heap block; start over in the inline storage when there is one.
  if (head_) {
    Block* b = head_->next;
    while (b) {
      Block* next = b->next;
      std::free(b);
      b = next;
    }
    head_->next = nullptr;
  }
  if (inline_) {
    cur_ = inline_;
    end_ = inline_ + inline_bytes_;
    in_inline_ = true;
    return;
  }
  if (!head_) return;
  cur_ = reinterpret_cast<char*>(head_) + sizeof(Block);
  end_ = reinterpret_cast<char*>(head_) + head_->size;
}

std::size_t Arena::capacity() const {
  std::size_t n = inline_bytes_;
  for (Block* b = head_; b; b = b->next) n += b->size;
  return n;
}

}  // namespace eligo::detail
