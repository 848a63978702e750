// ObjectPool<T>: objects kept for reuse instead of destroyed, so that what they own (a string's
// buffer) is reused too: a peer message's PeerMessageData keeps its text's heap buffer, and the
// next message copied into it needs no malloc. make(reset) returns a shared_ptr whose deleter
// gives the object back (reset(obj) runs first, on the releasing thread; false: delete it), and
// whose control block comes from the BlockCache.
// As in BlockCache: per-thread lists, batches of kBatch objects through a process-wide depot (an
// object made by a sender's thread is released by a receiver's strand), bounded at every level.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "common/block_cache.h"

namespace rtm_emulator {

template <typename T>
class ObjectPool {
 public:
  static constexpr std::size_t kBatch = 128;
  static constexpr std::size_t kMaxCached = 2 * kBatch;  // per thread
  static constexpr std::size_t kDepotBatches = 64;

  // An object from the pool (as it was left by `Recycle`), or a new one.
  template <typename Recycle>
  static std::shared_ptr<T> make(Recycle recycle) {
    Cache& c = cache();
    if (c.objects.empty() && !c.closed) takeBatch(c);
    T* obj = nullptr;
    if (!c.objects.empty()) {
      obj = c.objects.back();
      c.objects.pop_back();
    } else {
      obj = new T();
    }
    return std::shared_ptr<T>(obj, Deleter<Recycle>{recycle}, PooledAllocator<T>());
  }
  // Objects cached by this thread, and in the depot (for tests).
  static std::size_t cachedOnThisThread() { return cache().objects.size(); }
  static std::size_t inDepot() {
    Depot& d = depot();
    std::lock_guard<std::mutex> lock(d.mu);
    return d.batches.size() * kBatch;
  }

 private:
  template <typename Recycle>
  struct Deleter {
    Recycle recycle;
    void operator()(T* obj) const noexcept {
      if (!recycle(*obj)) {
        delete obj;
        return;
      }
      give(obj);
    }
  };
  struct Cache {
    std::vector<T*> objects;
    bool closed = false;
    Cache() { objects.reserve(kMaxCached); }
    ~Cache() {  // the thread ends: its objects are deleted, later releases delete theirs
      closed = true;
      for (T* obj : objects) delete obj;
      objects.clear();
    }
  };
  struct Depot {
    Depot() { batches.reserve(kDepotBatches); }
    std::mutex mu;
    std::vector<std::vector<T*>> batches;
  };
  static Cache& cache() {
    static thread_local Cache c;
    return c;
  }
  static Depot& depot() {
    static Depot* d = new Depot();  // never destroyed: threads may release objects during exit
    return *d;
  }
  static void give(T* obj) noexcept {
    Cache& c = cache();
    if (c.closed) {
      delete obj;
      return;
    }
    c.objects.push_back(obj);  // (reserved: no allocation)
    if (c.objects.size() < kMaxCached) return;
    std::vector<T*> batch(c.objects.end() - kBatch, c.objects.end());
    c.objects.resize(c.objects.size() - kBatch);
    {
      Depot& d = depot();
      std::lock_guard<std::mutex> lock(d.mu);
      if (d.batches.size() < kDepotBatches) {
        d.batches.push_back(std::move(batch));
        return;
      }
    }
    for (T* o : batch) delete o;
  }
  static void takeBatch(Cache& c) {
    std::vector<T*> batch;
    {
      Depot& d = depot();
      std::lock_guard<std::mutex> lock(d.mu);
      if (d.batches.empty()) return;
      batch = std::move(d.batches.back());
      d.batches.pop_back();
    }
    c.objects.insert(c.objects.end(), batch.begin(), batch.end());
  }
};

}  // namespace rtm_emulator
