// What runs one client's callbacks. The SDK calls handlers on a thread of its own, never on the
// caller's, in the order the events happened: tasks run one at a time, FIFO; a delayed task
// joins the end of the queue when it falls due.
//
// A CallbackThread is not an OS thread of its own (one per client stopped near 32 000 clients):
// it is a *strand*, a serial queue that the process-wide CallbackPool runs on a fixed set of
// threads (as many as cores, at least 2), one task at a time per strand, in order. Producers hand
// tasks over with one lock of the strand; a pool thread is woken only when the strand was idle
// and a pool thread sleeps; a busy strand is run in batches. Delayed tasks wait on the pool's one
// timer thread. A callback that blocks its pool thread does not starve the others: when every pool
// thread has made no progress for kStallMs while strands wait, the timer thread adds a thread
// (up to kMaxThreads; an added thread ends after being idle for a while) — see callback_thread.cpp.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

#include "common/inline_task.h"

namespace rtm_emulator {

class CallbackThread {
 public:
  using Task = InlineTask;  // a callable of up to 64 bytes is queued without a heap allocation

  CallbackThread() = default;
  CallbackThread(const CallbackThread&) = delete;
  CallbackThread& operator=(const CallbackThread&) = delete;
  ~CallbackThread();  // stop()s if still running

  // Makes the strand (once; later calls do nothing). False when the pool could not start any
  // thread (first use only).
  bool start();
  bool started() const { return state_ != nullptr; }

  // Queues a task; dropped when never started or stopped.
  void post(Task task);
  // Queues tasks[0..n) in that order with one lock (moved from).
  void post(Task* tasks, std::size_t n);
  // Queues a task when `delay` has passed.
  void postAfter(std::chrono::milliseconds delay, Task task);

  // Running tasks on the calling thread instead of a pool thread, which saves the hop (a futex
  // wake-up and a context switch: ~15 µs of latency per event on this VM). Only for tasks whose
  // handlers are known never to block nor call into the emulator (the Node binding's only copy
  // and queue; `rtm.emulator.inline_callbacks`, rtm_service_parameters.cpp): they run on a thread
  // of the emulator's, possibly inside another strand's task.
  //
  // claimIdle() takes the strand for the calling thread when it is idle (nothing queued, no task
  // running, not stopped), so that what then runs inside a ClaimedRun comes in the order it would
  // have had if posted at the claim: a caller claims under the lock that orders its posts, and
  // runs after letting go of every lock. Posts meanwhile queue behind; stop() from another thread
  // waits for the ClaimedRun to end, as for a pool thread's task; stop() from inside it returns at
  // once (stopRequestedOnCurrentThread() is then true: touch nothing of the owner). Each true
  // claimIdle() must be followed by exactly one ClaimedRun.
  bool claimIdle();
  class ClaimedRun;

  // Drops every queued task (delayed ones too) and ends the strand. Called from another thread:
  // waits for the task in progress (if any) to return. Called from one of this strand's own
  // tasks: returns at once; nothing of the strand's owner is touched after that task returns.
  void stop();

  // True inside a task of a strand whose stop() has been called: lets a task that runs several
  // handlers stop early when one of them released the owner.
  static bool stopRequestedOnCurrentThread();
  // True when called from one of this strand's tasks.
  bool isCurrent() const;

  struct State;  // the strand, shared with the pool (callback_thread.cpp)

 private:
  std::shared_ptr<State> state_;
};

// The scope in which a claimed strand's work runs on the calling thread (see claimIdle): inside
// it, this strand is the current one (isCurrent, stopRequestedOnCurrentThread); at its end the
// strand is let go, and scheduled on the pool when something was posted meanwhile.
class CallbackThread::ClaimedRun {
 public:
  explicit ClaimedRun(CallbackThread& strand);
  ~ClaimedRun();
  ClaimedRun(const ClaimedRun&) = delete;
  ClaimedRun& operator=(const ClaimedRun&) = delete;

 private:
  // Ours: stop() from inside resets the owner's, and the owner may be gone at the end.
  std::shared_ptr<State> strand_;
  // Possibly inside another strand's task on this thread (a pump): restored at the end.
  const State* outer_;
  const std::atomic<bool>* outerStopping_;
};

// Batches the wake-ups of the posts this thread makes while one is in scope: a post() that makes
// an idle strand runnable queues it in the pool only when the (outermost) batch ends, all such
// strands with one lock of the pool and one wake-up per sleeping thread needed, instead of one per
// post. For emulator code that fans out to other clients' strands (a client's outgoing requests,
// run in batches); it must run no application callback inside the scope: a callback that blocked
// there, waiting for another strand, would wait for a strand that is never scheduled.
class HandOffBatch {
 public:
  HandOffBatch();
  ~HandOffBatch();
  HandOffBatch(const HandOffBatch&) = delete;
  HandOffBatch& operator=(const HandOffBatch&) = delete;
};

// The pool's current size (for tests and the bench): threads running strands, not counting the
// timer thread. 0 before the first strand starts.
int callbackPoolThreads();

}  // namespace rtm_emulator
