// BlockCache<kSize>: per-thread free lists of fixed-size heap blocks, and PooledAllocator<T>, an
// allocator that takes single objects from them (for std::allocate_shared). For objects made and
// destroyed at a high rate on the same few threads (a peer message's PeerDelivery: made by the
// sender's pump, released there when its answer has run): a block freed goes to the freeing
// thread's list (up to kMaxCached, beyond that back to the heap), and the next one is taken from
// it with no lock and no malloc. glibc's own per-thread cache keeps 7 blocks of a size; a pump
// run makes up to 128. Blocks may move between threads (freed on another thread than the one
// that made them): each list is only ever touched by its own thread.
#pragma once

#include <cstddef>
#include <memory>
#include <new>

namespace rtm_emulator {

template <std::size_t kSize>
class BlockCache {
 public:
  static constexpr std::size_t kMaxCached = 1024;  // per thread: at most ~kSize KB kept

  static void* allocate() {
    List& l = list();
    if (Node* n = l.head) {
      l.head = n->next;
      --l.count;
      return n;
    }
    reaper();  // (first use on this thread: its blocks go back to the heap when the thread ends)
    return ::operator new(kSize);
  }
  static void deallocate(void* p) noexcept {
    List& l = list();
    if (l.closed || l.count >= kMaxCached) {
      ::operator delete(p);
      return;
    }
    if (l.count == 0) reaper();  // (a thread that only frees keeps blocks too)
    Node* n = static_cast<Node*>(p);
    n->next = l.head;
    l.head = n;
    ++l.count;
  }
  // Blocks cached by the calling thread (for tests).
  static std::size_t cachedOnThisThread() { return list().count; }

 private:
  static_assert(kSize >= sizeof(void*), "a block holds the free list's link");
  struct Node {
    Node* next;
  };
  // Trivially destructible, so it stays usable for blocks freed late in the thread's exit.
  struct List {
    Node* head;
    std::size_t count;
    bool closed;
  };
  static List& list() {
    static thread_local List l{nullptr, 0, false};
    return l;
  }
  // Empties the thread's list when the thread ends; blocks freed after that go to the heap.
  struct Reaper {
    ~Reaper() {
      List& l = list();
      l.closed = true;
      while (Node* n = l.head) {
        l.head = n->next;
        ::operator delete(n);
      }
      l.count = 0;
    }
  };
  static void reaper() { static thread_local Reaper r; (void)r; }
};

template <typename T>
struct PooledAllocator {
  using value_type = T;
  PooledAllocator() noexcept = default;
  template <typename U>
  PooledAllocator(const PooledAllocator<U>&) noexcept {}  // NOLINT: rebinding, as std::allocator

  T* allocate(std::size_t n) {
    if (n == 1 && alignof(T) <= alignof(std::max_align_t)) return static_cast<T*>(BlockCache<sizeof(T)>::allocate());
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n == 1 && alignof(T) <= alignof(std::max_align_t)) {
      BlockCache<sizeof(T)>::deallocate(p);
      return;
    }
    std::allocator<T>().deallocate(p, n);
  }
  template <typename U>
  bool operator==(const PooledAllocator<U>&) const noexcept { return true; }
  template <typename U>
  bool operator!=(const PooledAllocator<U>&) const noexcept { return false; }
};

}  // namespace rtm_emulator
