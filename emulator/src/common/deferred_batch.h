// DeferredBatch: lets code that runs many small operations in a row (a client's pump sending a
// batch of requests) have their follow-up work done once per batch instead of once per operation.
// While a batch is in scope on this thread, DeferredBatch::defer(fn) queues fn instead of running
// it; the outermost batch runs what was queued (and what that queues) in order when it ends.
// Used by Outbox::drain: an outbox that receives 100 items in a batch is emptied once, not 100
// times. Only for work that may run a little later on the same thread: never an application
// callback, never something another thread waits for.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/inline_task.h"

namespace rtm_emulator {

class DeferredBatch {
 public:
  DeferredBatch() {
    if (depth()++ == 0) ++generation();
  }
  ~DeferredBatch() {
    if (depth() > 1) {
      --depth();
      return;  // the outermost batch runs them
    }
    runQueued();
    --depth();
  }
  DeferredBatch(const DeferredBatch&) = delete;
  DeferredBatch& operator=(const DeferredBatch&) = delete;

  static bool active() { return depth() > 0; }
  // Which outermost batch this thread is in (or was in last): changes with each new one.
  static std::uint64_t current() { return generation(); }
  // Runs what was deferred so far (and what that defers), staying in scope.
  static void runQueued() {
    std::vector<InlineTask>& q = queue();
    for (std::size_t i = 0; i < q.size(); ++i) {  // (q may grow meanwhile: indexes, not iterators)
      InlineTask task = std::move(q[i]);
      task();
    }
    q.clear();
  }
  // Queues fn for the end of the batch in scope; runs it now when there is none.
  static void defer(InlineTask fn) {
    if (depth() == 0) {
      fn();
      return;
    }
    queue().push_back(std::move(fn));
  }

 private:
  static std::uint64_t& generation() {
    static thread_local std::uint64_t g = 0;
    return g;
  }
  static int& depth() {
    static thread_local int d = 0;
    return d;
  }
  static std::vector<InlineTask>& queue() {
    static thread_local std::vector<InlineTask> q;
    return q;
  }
};

}  // namespace rtm_emulator
