// CallbackThread strands and the CallbackPool that runs them (see callback_thread.h).
//
// Hand-off: a strand's queue is a ring of tasks under the strand's own mutex. post() takes that
// mutex once; only when the strand was idle (not queued in the pool, not running) does it also
// take the pool's mutex to queue the strand, and it notifies only when a pool thread sleeps. A
// pool thread takes up to kBatch tasks per lock, runs them with no lock held, and after kBudget
// tasks puts a still-busy strand at the back of the pool's queue, so one flooded client cannot
// keep others waiting.
//
// Starvation: a callback may block (a handler waiting for something). When strands wait while no
// pool thread has finished a task for kStallMs, the timer thread starts another pool thread, up
// to kMaxThreads; threads beyond the base count end after kIdleExitMs without work. So a blocked
// callback delays other clients by kStallMs at most, and a callback waiting for another client's
// callback (which a fixed pool could deadlock) gets a thread to run it.
//
// Staying awake (opt-in, RTM_EMULATOR_POOL_SPIN_US): a pool thread that has just run a strand and
// finds nothing to do may spin for a few µs (a pause instruction, a sched_yield now and then, no
// lock) before it sleeps, at most one such thread at a time. A strand made runnable meanwhile is
// taken by it, and the producer pays no futex wake-up: a C++ caller that sends every few µs pays
// 0.6 instead of 1.5 µs per call (core_bench outbound 200000 2000). Off by default because on a
// 2-core machine the spinner takes the core the JS thread needs: at a paced 100 k/s the latency to
// a JS listener went from ~110 µs to ~700 µs p50 with a 5 µs spin (npm run bench, A/B by this
// variable), and no JS figure improved. Bounded, and only after work: an idle process sleeps.
#include "client/callback_thread.h"

#include "common/ring.h"

#include <sched.h>
#include <cstdlib>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <queue>
#include <thread>
#include <utility>
#include <vector>

namespace rtm_emulator {

namespace {

using Clock = std::chrono::steady_clock;
using Task = CallbackThread::Task;

constexpr std::size_t kBatch = 64;     // tasks taken per lock of the strand
constexpr std::size_t kBudget = 1024;  // tasks run before a busy strand yields its pool thread
constexpr auto kStallMs = std::chrono::milliseconds(50);
constexpr auto kIdleExitMs = std::chrono::milliseconds(2000);
constexpr int kMaxThreads = 256;
// How long a thread that just worked stays awake: not at all unless asked (see above).
constexpr auto kSpinMax = std::chrono::microseconds(50);

// RTM_EMULATOR_POOL_SPIN_US (0 or unset: never spin; at most kSpinMax), read once.
std::chrono::microseconds spinTime() {
  const char* env = std::getenv("RTM_EMULATOR_POOL_SPIN_US");
  if (env == nullptr || *env == '\0') return std::chrono::microseconds(0);
  char* end = nullptr;
  const long us = std::strtol(env, &end, 10);
  if (*end != '\0' || us < 0) return std::chrono::microseconds(0);
  return std::min(std::chrono::microseconds(us), kSpinMax);
}

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

using TaskRing = Ring<Task>;

thread_local const CallbackThread::State* t_current = nullptr;
thread_local const std::atomic<bool>* t_currentStopping = nullptr;
// Inside a HandOffBatch: the strands this thread's posts made runnable, handed to the pool when
// the outermost batch ends.
thread_local int t_handOffDepth = 0;
thread_local std::vector<std::shared_ptr<CallbackThread::State>> t_handOffs;

}  // namespace

struct CallbackThread::State {
  std::mutex mu;
  TaskRing ready;
  std::map<std::uint64_t, Task> timers;  // delayed tasks by id, until due (the pool keeps the times)
  std::uint64_t nextTimer = 0;
  bool scheduled = false;  // queued in the pool or being run
  bool running = false;    // a pool thread is inside this strand's tasks
  int stopWaiters = 0;
  std::condition_variable idle;  // running became false (stop() from another thread waits)
  std::atomic<bool> stopping{false};

  // Under mu: the thread running the strand's tasks (a pool thread, or a ClaimedRun's) lets go of
  // it. True when tasks are left: it stays scheduled, and that thread is to queue it again.
  bool endRunLocked() {
    running = false;
    const bool more = !stopping.load() && !ready.empty();
    if (!more) {
      scheduled = false;
      ready.release();
    }
    if (stopWaiters > 0) idle.notify_all();
    return more;
  }
};

namespace {

class CallbackPool {
 public:
  static CallbackPool& instance() {
    static CallbackPool* const pool = new CallbackPool();  // never destroyed: threads may outlive main
    return *pool;
  }

  // Starts the base threads and the timer thread once; false when not even one could start.
  bool ensureStarted() {
    std::lock_guard<std::mutex> lock(mu_);
    if (started_) return true;
    const int base = std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
    while (threads_ < base) {
      if (!spawnLocked(false)) break;
    }
    if (threads_ == 0) return false;
    try {
      std::thread(&CallbackPool::timerLoop, this).detach();
    } catch (const std::exception&) {
      return false;  // workers exist but delayed tasks could not run: refuse, try again later
    }
    started_ = true;
    return true;
  }

  void schedule(std::shared_ptr<CallbackThread::State> strand) { schedule(&strand, 1); }

  // Queues n strands with one lock; wakes as many sleeping pool threads as there are strands
  // (none when every pool thread is busy: they get to the queue anyway). The wake-ups are made
  // after the lock is released, so a woken thread does not block on it at once.
  void schedule(std::shared_ptr<CallbackThread::State>* strands, std::size_t n) {
    std::size_t wake = 0;
    bool stallCheck = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (std::size_t i = 0; i < n; ++i) runQueue_.push_back(std::move(strands[i]));
      queued_.store(runQueue_.size(), std::memory_order_release);
      // A spinning thread takes one without a wake-up (it looks at queued_ until it sleeps, and
      // stops spinning under mu_ after a last look at the queue: nothing is missed) — one strand,
      // however many schedule() calls come while it spins.
      const std::size_t covered = spinAvailable_ && n > 0 ? 1 : 0;
      if (covered != 0) spinAvailable_ = false;
      // Threads notified already but not yet awake still count in idle_: not woken twice.
      const std::size_t sleeping = static_cast<std::size_t>(idle_ - wakesPending_);
      wake = std::min(n - covered, sleeping);
      wakesPending_ += static_cast<int>(wake);
      // Strands left for threads that are all busy: the stall check must run (a busy thread may
      // be blocked in a callback).
      stallCheck = covered + wake < n && !watching_;
    }
    if (wake == 1) {
      workCv_.notify_one();
    } else if (wake > 1) {
      workCv_.notify_all();
    }
    if (stallCheck) timerCv_.notify_one();
  }

  void addTimer(Clock::time_point due, const std::shared_ptr<CallbackThread::State>& strand, std::uint64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    const bool earliest = timers_.empty() || due < timers_.top().due;
    timers_.push(Timer{due, nextSeq_++, strand, id});
    if (earliest) timerCv_.notify_one();
  }

  int threads() {
    std::lock_guard<std::mutex> lock(mu_);
    return threads_;
  }

 private:
  struct Timer {
    Clock::time_point due;
    std::uint64_t seq;  // equal due times fire in posting order
    std::weak_ptr<CallbackThread::State> strand;
    std::uint64_t id;
    bool operator>(const Timer& o) const { return due != o.due ? due > o.due : seq > o.seq; }
  };
  // One per pool thread: bumped after every task, read by the stall check.
  struct Progress {
    std::atomic<std::uint64_t> tasks{0};
    std::atomic<bool> busy{false};
    std::uint64_t seen = 0;  // the timer thread's last reading
  };

  bool spawnLocked(bool extra) {
    auto progress = std::make_shared<Progress>();
    try {
      std::thread(&CallbackPool::workerLoop, this, progress, extra).detach();
    } catch (const std::exception&) {
      return false;
    }
    progress_.push_back(progress);
    ++threads_;
    return true;
  }

  void workerLoop(std::shared_ptr<Progress> progress, bool extra) {
    std::unique_lock<std::mutex> lock(mu_);
    bool worked = false;  // ran a strand since it last slept: may spin before sleeping
    for (;;) {
      if (runQueue_.empty() && worked && spinning_ == 0 && spinFor_.count() != 0) {
        worked = false;
        ++spinning_;
        spinAvailable_ = true;
        lock.unlock();
        spinForWork();
        lock.lock();
        --spinning_;  // then the usual test, under the lock a producer queues under
        spinAvailable_ = false;
      }
      while (runQueue_.empty()) {
        worked = false;
        ++idle_;
        if (extra) {
          // Not wait_for's predicate form: a wake-up it swallowed (the strand taken by a busy
          // thread meanwhile) would skip awake(), leaving a notification counted as pending for
          // good; schedule() then took a sleeping thread for notified and never woke it.
          const bool timedOut = workCv_.wait_for(lock, kIdleExitMs) == std::cv_status::timeout;
          awake();
          if (timedOut && runQueue_.empty()) {
            --threads_;
            progress_.erase(std::find(progress_.begin(), progress_.end(), progress));
            return;
          }
        } else {
          workCv_.wait(lock);
          awake();
        }
      }
      std::shared_ptr<CallbackThread::State> strand = std::move(runQueue_.front());
      runQueue_.pop_front();
      queued_.store(runQueue_.size(), std::memory_order_relaxed);
      worked = true;
      progress->busy.store(true, std::memory_order_relaxed);
      lock.unlock();
      const bool more = runStrand(strand.get(), progress.get());
      progress->busy.store(false, std::memory_order_relaxed);
      lock.lock();
      if (more) {
        runQueue_.push_back(std::move(strand));  // the back: others get their turn first
        queued_.store(runQueue_.size(), std::memory_order_relaxed);
      }
    }
  }

  // Under mu_: a thread that slept in workCv_ is awake (notified, or not).
  void awake() {
    --idle_;
    if (wakesPending_ > 0) --wakesPending_;
  }

  // Up to spinTime(), until a strand is queued; no lock held. Yields now and then so that on a busy
  // machine the thread it waits for (a caller, a pump) gets the core.
  void spinForWork() {
    const auto end = Clock::now() + spinFor_;
    for (unsigned i = 1;; ++i) {
      if (queued_.load(std::memory_order_acquire) != 0) return;
      if ((i & 7) == 0) {
        if (Clock::now() >= end) return;
        sched_yield();
      } else {
        for (int k = 0; k < 16; ++k) cpuRelax();
      }
    }
  }

  // Runs up to kBudget of the strand's tasks; true when it still has tasks (and stays scheduled).
  static bool runStrand(CallbackThread::State* s, Progress* progress) {
    t_current = s;
    t_currentStopping = &s->stopping;
    Task batch[kBatch];
    std::size_t done = 0;
    std::unique_lock<std::mutex> lock(s->mu);
    s->running = true;
    while (done < kBudget && !s->stopping.load() && !s->ready.empty()) {
      const std::size_t n = std::min(kBatch, s->ready.size());
      for (std::size_t i = 0; i < n; ++i) batch[i] = s->ready.pop();
      lock.unlock();
      for (std::size_t i = 0; i < n; ++i) {
        // stop() from a task (or from elsewhere meanwhile): the rest of the batch is dropped.
        if (!s->stopping.load()) batch[i]();
        batch[i] = nullptr;  // captures are destroyed outside the strand's lock
        // Only this thread writes it: a plain store, no locked instruction.
        progress->tasks.store(progress->tasks.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
      }
      done += n;
      lock.lock();
    }
    const bool more = s->endRunLocked();
    lock.unlock();
    t_current = nullptr;
    t_currentStopping = nullptr;
    return more;
  }

  void timerLoop() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      const auto now = Clock::now();
      std::vector<Timer> due;
      while (!timers_.empty() && timers_.top().due <= now) {
        due.push_back(timers_.top());
        timers_.pop();
      }
      if (!due.empty()) {
        lock.unlock();
        for (Timer& t : due) fire(t);
        due.clear();
        lock.lock();
        continue;
      }
      checkStallLocked();
      auto wake = timers_.empty() ? now + std::chrono::hours(1) : timers_.top().due;
      // While every pool thread is busy, or strands wait, look again after kStallMs. (Strands
      // waiting while idle_ > 0: threads notified but not yet awake are still counted idle; they
      // may all end up blocked in what they take, and no later schedule() may come to wake us.)
      watching_ = idle_ == 0 || !runQueue_.empty();
      if (watching_) wake = std::min(wake, now + kStallMs);
      timerCv_.wait_until(lock, wake);
    }
  }

  // Strands wait, and no pool thread finished a task since the last check: add a thread.
  void checkStallLocked() {
    bool stalled = !runQueue_.empty() && idle_ == 0;
    for (const auto& p : progress_) {
      const std::uint64_t tasks = p->tasks.load(std::memory_order_relaxed);
      if (tasks != p->seen || !p->busy.load(std::memory_order_relaxed)) stalled = false;
      p->seen = tasks;
    }
    if (stalled && threads_ < kMaxThreads) spawnLocked(true);
  }

  static void fire(Timer& t) {
    std::shared_ptr<CallbackThread::State> s = t.strand.lock();
    if (!s) return;
    std::unique_lock<std::mutex> lock(s->mu);
    auto it = s->timers.find(t.id);
    if (it == s->timers.end() || s->stopping.load()) return;
    s->ready.push(std::move(it->second));
    s->timers.erase(it);
    const bool wasIdle = !s->scheduled;
    s->scheduled = true;
    lock.unlock();
    if (wasIdle) instance().schedule(std::move(s));
  }

  std::mutex mu_;
  std::condition_variable workCv_;
  std::condition_variable timerCv_;
  std::deque<std::shared_ptr<CallbackThread::State>> runQueue_;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> timers_;
  std::uint64_t nextSeq_ = 0;
  std::vector<std::shared_ptr<Progress>> progress_;
  int idle_ = 0;
  const std::chrono::microseconds spinFor_ = spinTime();
  int spinning_ = 0;  // threads in spinForWork (at most one)
  bool spinAvailable_ = false;  // the spinning thread has no strand promised to it yet
  int wakesPending_ = 0;  // notifications made to threads still counted in idle_
  std::atomic<std::size_t> queued_{0};  // runQueue_.size(), written under mu_, read by a spinner
  int threads_ = 0;
  bool watching_ = false;  // the timer thread runs the stall check every kStallMs
  bool started_ = false;
};

}  // namespace

int callbackPoolThreads() { return CallbackPool::instance().threads(); }

CallbackThread::~CallbackThread() { stop(); }

bool CallbackThread::start() {
  if (state_) return true;
  try {
    if (!CallbackPool::instance().ensureStarted()) return false;
    // Not make_shared: the pool's timers hold weak references, which must not keep the strand's
    // memory after it stopped.
    state_ = std::shared_ptr<State>(new State());
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

void CallbackThread::post(Task task) { post(&task, 1); }

void CallbackThread::post(Task* tasks, std::size_t n) {
  if (!state_ || n == 0) return;
  State* s = state_.get();
  std::unique_lock<std::mutex> lock(s->mu);
  if (s->stopping.load()) return;
  for (std::size_t i = 0; i < n; ++i) s->ready.push(std::move(tasks[i]));
  if (s->scheduled) return;  // a pool thread will get to it: no wake-up, no pool lock
  s->scheduled = true;
  lock.unlock();
  if (t_handOffDepth > 0) {
    t_handOffs.push_back(state_);  // scheduled when the batch ends
    return;
  }
  CallbackPool::instance().schedule(state_);
}

bool CallbackThread::claimIdle() {
  if (!state_) return false;
  State* s = state_.get();
  std::lock_guard<std::mutex> lock(s->mu);
  if (s->stopping.load() || s->scheduled || !s->ready.empty()) return false;
  // As a pool thread taking the strand: posts now queue without scheduling it, and stop() from
  // another thread waits for runClaimed to end.
  s->scheduled = true;
  s->running = true;
  return true;
}

CallbackThread::ClaimedRun::ClaimedRun(CallbackThread& strand)
    : strand_(strand.state_), outer_(t_current), outerStopping_(t_currentStopping) {
  t_current = strand_.get();
  t_currentStopping = &strand_->stopping;
}

CallbackThread::ClaimedRun::~ClaimedRun() {
  State* s = strand_.get();
  t_current = outer_;
  t_currentStopping = outerStopping_;
  std::unique_lock<std::mutex> lock(s->mu);
  const bool more = s->endRunLocked();
  lock.unlock();
  if (!more) return;
  // Posted while it ran: the posts left scheduling to us, as to a pool thread.
  if (t_handOffDepth > 0) {
    t_handOffs.push_back(std::move(strand_));
    return;
  }
  CallbackPool::instance().schedule(std::move(strand_));
}

HandOffBatch::HandOffBatch() { ++t_handOffDepth; }

HandOffBatch::~HandOffBatch() {
  if (--t_handOffDepth > 0 || t_handOffs.empty()) return;  // an inner batch: the outer one hands them over
  CallbackPool::instance().schedule(t_handOffs.data(), t_handOffs.size());
  t_handOffs.clear();
}

void CallbackThread::postAfter(std::chrono::milliseconds delay, Task task) {
  if (!state_) return;
  const auto due = Clock::now() + delay;
  std::uint64_t id = 0;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    if (state_->stopping.load()) return;
    id = ++state_->nextTimer;
    state_->timers.emplace(id, std::move(task));
  }
  CallbackPool::instance().addTimer(due, state_, id);
}

void CallbackThread::stop() {
  if (!state_) return;
  std::shared_ptr<State> s = state_;
  TaskRing dropped;
  std::map<std::uint64_t, Task> droppedTimers;
  {
    std::unique_lock<std::mutex> lock(s->mu);
    s->stopping.store(true);
    dropped.swap(s->ready);
    droppedTimers.swap(s->timers);
    if (t_current != s.get()) {
      // Another thread: wait for the task in progress. (From one of our own tasks: the pool
      // thread drops the rest of its batch after that task returns.)
      ++s->stopWaiters;
      s->idle.wait(lock, [&] { return !s->running; });
      --s->stopWaiters;
    }
  }
  // Destroyed here, outside the lock (their captures may own anything).
  while (!dropped.empty()) dropped.pop();
  droppedTimers.clear();
  state_.reset();
}

bool CallbackThread::stopRequestedOnCurrentThread() {
  return t_currentStopping != nullptr && t_currentStopping->load();
}

bool CallbackThread::isCurrent() const { return state_ && t_current == state_.get(); }

}  // namespace rtm_emulator
