// BlockCache<kSize>: per-thread free lists of fixed-size heap blocks, and PooledAllocator<T>, an
// allocator that takes single objects from them (for std::allocate_shared). For objects made and
// destroyed at a high rate (a peer message's PeerDelivery and PeerMessageData): a block freed goes
// to the freeing thread's list, and the next one is taken from it with no lock and no malloc.
// glibc's own per-thread cache keeps 7 blocks of a size; a pump run makes up to 128.
// Blocks made on one thread and freed on another (a message copied by the sender's thread,
// released by the receiver's strand) travel back in batches: a thread whose list holds
// 2 * kBatch blocks hands kBatch of them to a process-wide depot (one lock per kBatch), and a
// thread whose list is empty takes a batch from it before asking the heap. Each list is only
// ever touched by its own thread; the depot keeps at most kDepotBatches batches.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <new>
#include <vector>

namespace rtm_emulator {

template <std::size_t kSize>
class BlockCache {
 public:
  static constexpr std::size_t kBatch = 256;        // blocks moved to or from the depot at once
  static constexpr std::size_t kMaxCached = 2 * kBatch;  // per thread (then a batch goes to the depot)
  static constexpr std::size_t kDepotBatches = 64;   // process-wide (then blocks go to the heap)

  static void* allocate() {
    List& l = list();
    if (l.head == nullptr && !l.closed) {
      // Before the thread holds any block (a batch from the depot, or one it frees later): its
      // blocks go back to the heap when it ends. (A thread whose first blocks came from the depot
      // used to end with them: LeakSanitizer, pipeline_check's sender threads.)
      reaper();
      takeBatch(l);
    }
    if (Node* n = l.head) {
      l.head = n->next;
      --l.count;
      return n;
    }
    return ::operator new(kSize);
  }
  static void deallocate(void* p) noexcept {
    List& l = list();
    if (l.closed) {
      ::operator delete(p);
      return;
    }
    if (l.count == 0) reaper();  // (a thread that only frees keeps blocks too)
    Node* n = static_cast<Node*>(p);
    n->next = l.head;
    l.head = n;
    if (++l.count >= kMaxCached) giveBatch(l);
  }
  // Blocks cached by the calling thread, and in the depot (for tests).
  static std::size_t cachedOnThisThread() { return list().count; }
  static std::size_t inDepot() {
    Depot& d = depot();
    std::lock_guard<std::mutex> lock(d.mu);
    return d.batches.size() * kBatch;
  }

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
  struct Depot {
    Depot() { batches.reserve(kDepotBatches); }  // (giveBatch allocates nothing)
    std::mutex mu;
    std::vector<Node*> batches;  // each a list of kBatch blocks
  };
  static Depot& depot() {
    static Depot* d = new Depot();  // never destroyed: threads may free blocks during exit
    return *d;
  }
  // The kBatch blocks at the front of l (the most recently freed) go to the depot, or to the heap
  // when it is full.
  static void giveBatch(List& l) noexcept {
    Node* first = l.head;
    Node* last = first;
    for (std::size_t i = 1; i < kBatch; ++i) last = last->next;
    l.head = last->next;
    l.count -= kBatch;
    last->next = nullptr;
    {
      Depot& d = depot();
      std::lock_guard<std::mutex> lock(d.mu);
      if (d.batches.size() < kDepotBatches) {
        d.batches.push_back(first);
        return;
      }
    }
    while (first != nullptr) {
      Node* next = first->next;
      ::operator delete(first);
      first = next;
    }
  }
  static void takeBatch(List& l) {
    Depot& d = depot();
    std::lock_guard<std::mutex> lock(d.mu);
    if (d.batches.empty()) return;
    l.head = d.batches.back();
    l.count = kBatch;
    d.batches.pop_back();
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
