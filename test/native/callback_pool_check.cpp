// The callback pool (emulator/src/client/callback_thread.*): each client's CallbackThread is a
// strand, a serial FIFO queue run by a shared, fixed set of threads. Checks per-strand order
// with many producers (nothing lost, nothing duplicated, never two tasks of a strand at once),
// delayed tasks, stop() from inside a task (the owner deleted there) and from another thread while
// tasks are queued or one runs, isCurrent / stopRequestedOnCurrentThread, a callback that blocks
// every pool thread, InlineTask's ownership of its captures, and the hand-off to a pool thread that
// stays awake a moment after work (posts while it spins, just after it fell asleep, producers with
// pauses between posts; an idle pool uses no CPU), and claimed runs (claimIdle / ClaimedRun: work
// run on the caller's thread as the strand's next task). No Node.
#include <time.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "check.h"
#include "client/callback_thread.h"
#include "common/inline_task.h"

using rtm_emulator::CallbackThread;
using rtm_emulator::InlineTask;

namespace {


// A latch the tests open once.
class Gate {
 public:
  void open() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }
  bool wait(std::chrono::milliseconds limit = std::chrono::milliseconds(10000)) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, limit, [this] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// A strand that checks what producers post to it: each producer's tasks in order, one task of the
// strand at a time.
struct OrderTarget {
  explicit OrderTarget(int producers) : next(static_cast<std::size_t>(producers), 0) {}
  CallbackThread strand;
  std::vector<int> next;  // touched by the strand's tasks only
  std::atomic<int> inside{0};
  std::atomic<long long> ran{0};
  std::atomic<bool> disorder{false}, overlap{false};
  // Task k of producer p; `all`: every task of p comes here (else a subsequence of them does).
  void run(int p, int k, bool all) {
    if (inside.fetch_add(1) != 0) overlap = true;
    if (all ? next[p] != k : next[p] > k) disorder = true;
    next[p] = k + 1;
    ran.fetch_add(1);
    inside.fetch_sub(1);
  }
};

std::vector<std::unique_ptr<OrderTarget>> startTargets(int strands, int producers) {
  std::vector<std::unique_ptr<OrderTarget>> targets;
  for (int i = 0; i < strands; ++i) {
    targets.push_back(std::make_unique<OrderTarget>(producers));
    CHECK(targets.back()->strand.start());
  }
  return targets;
}

void testOrderManyProducers() {
  constexpr int kStrands = 8, kProducers = 4, kPerProducer = 20000;
  std::vector<std::unique_ptr<OrderTarget>> targets = startTargets(kStrands, kProducers);
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (int k = 0; k < kPerProducer; ++k) {
        for (auto& t : targets) {
          OrderTarget* target = t.get();
          target->strand.post([target, p, k] { target->run(p, k, true); });
        }
      }
    });
  }
  for (auto& t : producers) t.join();
  const long long expected = static_cast<long long>(kProducers) * kPerProducer;
  CHECK(eventually([&] {
    for (auto& t : targets) {
      if (t->ran.load() < expected) return false;
    }
    return true;
  }));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a duplicate would show up now
  for (auto& t : targets) {
    CHECK_EQ(t->ran.load(), expected);  // nothing lost, nothing run twice
    CHECK(!t->disorder.load());         // each producer's tasks in the order posted
    CHECK(!t->overlap.load());          // one task of a strand at a time
    t->strand.stop();
  }
  // A fixed number of pool threads, whatever the number of strands.
  CHECK(rtm_emulator::callbackPoolThreads() >= 2);
  CHECK(rtm_emulator::callbackPoolThreads() <= 64);
}

// Busy-waits ns (a producer doing its own work between posts, without sleeping).
void busyFor(long long ns) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::nanoseconds(ns);
  while (std::chrono::steady_clock::now() < end) {
  }
}

double processCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// A pool thread that just ran a task stays awake a short while (callback_thread.cpp; main() turns
// the opt-in spin on for this program), then
// sleeps. Posts land at every point of that: at once, while it spins, around the moment it gives
// up, long after it slept. Each one must run (a post that a spinning thread was counted on for,
// and that it missed, would never run).
void testPostsAroundTheSpin() {
  CallbackThread strand;
  CHECK(strand.start());
  const long long gapsNs[] = {0, 1000, 10000, 25000, 30000, 35000, 60000, 200000, 2000000};
  std::atomic<int> ran{0};
  int posted = 0;
  bool allRan = true;
  for (int round = 0; round < 40 && allRan; ++round) {
    for (long long gap : gapsNs) {
      // Sleep for the long gaps (the pool thread is asleep by then), busy-wait for the short ones.
      if (gap >= 200000) {
        std::this_thread::sleep_for(std::chrono::nanoseconds(gap));
      } else {
        busyFor(gap);
      }
      strand.post([&ran] { ran.fetch_add(1); });
      ++posted;
      const int want = posted;
      if (!eventually([&] { return ran.load() == want; })) {
        allRan = false;
        break;
      }
    }
  }
  CHECK(allRan);
  CHECK_EQ(ran.load(), posted);
  strand.stop();
}

// Several producers pausing between posts (so the pool's threads keep passing between working,
// spinning and sleeping): per producer order, nothing lost, nothing run twice, one task of a
// strand at a time.
void testOrderProducersWithPauses() {
  constexpr int kStrands = 4, kProducers = 3, kPerProducer = 3000;
  std::vector<std::unique_ptr<OrderTarget>> targets = startTargets(kStrands, kProducers);
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      unsigned seed = 12345u + static_cast<unsigned>(p);
      for (int k = 0; k < kPerProducer; ++k) {
        seed = seed * 1103515245u + 12345u;
        const long long gap = static_cast<long long>((seed >> 8) % 60000);  // 0 to 60 us
        busyFor(gap);
        OrderTarget* target = targets[(seed >> 4) % kStrands].get();
        target->strand.post([target, p, k] { target->run(p, k, false); });
      }
    });
  }
  for (auto& t : producers) t.join();
  const long long expected = static_cast<long long>(kProducers) * kPerProducer;
  auto total = [&] {
    long long sum = 0;
    for (auto& t : targets) sum += t->ran.load();
    return sum;
  };
  CHECK(eventually([&] { return total() >= expected; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a duplicate would show up now
  CHECK_EQ(total(), expected);
  for (auto& t : targets) {
    CHECK(!t->disorder.load());
    CHECK(!t->overlap.load());
    t->strand.stop();
  }
}

// Staying awake is bounded: a pool with strands but nothing to do sleeps. (A thread spinning
// without end would use about the whole second.)
void testIdlePoolUsesNoCpu() {
  CallbackThread strand;
  CHECK(strand.start());
  std::atomic<int> ran{0};
  for (int i = 0; i < 1000; ++i) strand.post([&ran] { ran.fetch_add(1); });
  CHECK(eventually([&] { return ran.load() == 1000; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const double cpu0 = processCpuSeconds();
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  const double idleCpu = processCpuSeconds() - cpu0;
  std::printf("idle pool: %.1f ms of CPU in 1 s\n", idleCpu * 1000);
  CHECK(idleCpu < 0.25);
  strand.stop();
}

void testDelayedTasksJoinTheEnd() {
  CallbackThread strand;
  CHECK(strand.start());
  std::mutex mu;
  std::vector<std::string> order;
  auto note = [&](const char* what) {
    return [&, what] {
      std::lock_guard<std::mutex> lock(mu);
      order.push_back(what);
    };
  };
  Gate gate;
  strand.post([&] { gate.wait(); });  // holds the strand while the timers fall due
  strand.post(note("a"));
  strand.postAfter(std::chrono::milliseconds(5), note("t1"));
  strand.postAfter(std::chrono::milliseconds(5), note("t2"));  // same delay: posting order
  // Queued when due even while the strand is busy: a task posted well after that comes later.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  strand.post(note("b"));
  gate.open();
  CHECK(eventually([&] {
    std::lock_guard<std::mutex> lock(mu);
    return order.size() == 4;
  }));
  {
    std::lock_guard<std::mutex> lock(mu);
    Events got(order.begin(), order.end());
    CHECK_STR(join(got), "[a, t1, t2, b]");
  }
  // A delayed task dropped by stop() never runs, and its captures are freed by stop().
  auto owned = std::make_shared<int>(1);
  std::atomic<bool> ran{false};
  strand.postAfter(std::chrono::milliseconds(30), [owned, &ran] { ran = true; });
  CHECK_EQ(owned.use_count(), 2);
  strand.stop();
  CHECK_EQ(owned.use_count(), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  CHECK(!ran.load());
}

// What RtmServiceImpl::release does from a callback: stop its strand, then delete itself.
struct Owner {
  CallbackThread strand;
  std::atomic<int>* after = nullptr;
  int value = 42;
};

void testStopFromInsideATask() {
  std::atomic<int> after{0};
  std::atomic<bool> stoppedSeen{false}, currentSeen{false}, done{false};
  auto* owner = new Owner();
  owner->after = &after;
  CHECK(owner->strand.start());
  Gate gate;
  owner->strand.post([&] { gate.wait(); });
  owner->strand.post([owner, &stoppedSeen, &currentSeen, &done] {
    currentSeen = owner->strand.isCurrent();
    owner->strand.stop();  // must not wait for itself
    stoppedSeen = CallbackThread::stopRequestedOnCurrentThread();
    delete owner;  // nothing of it may be touched after this task returns
    done = true;
  });
  for (int i = 0; i < 100; ++i) {
    owner->strand.post([owner] { owner->after->fetch_add(owner->value); });  // queued behind: dropped
  }
  CHECK(!owner->strand.isCurrent());
  gate.open();
  CHECK(eventually([&] { return done.load(); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  CHECK(currentSeen.load());
  CHECK(stoppedSeen.load());
  CHECK_EQ(after.load(), 0);
  CHECK(!CallbackThread::stopRequestedOnCurrentThread());  // not on a strand here
}

void testStopFromAnotherThreadWhileQueued() {
  CallbackThread strand;
  CHECK(strand.start());
  Gate entered, release;
  std::atomic<bool> inProgressDone{false};
  std::atomic<int> queuedRan{0};
  strand.post([&] {
    entered.open();
    release.wait();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    inProgressDone = true;
  });
  auto owned = std::make_shared<int>(7);
  for (int i = 0; i < 1000; ++i) strand.post([&queuedRan, owned] { queuedRan.fetch_add(1); });
  CHECK(entered.wait());
  std::atomic<bool> stopReturned{false};
  bool doneWhenStopReturned = false;
  std::thread stopper([&] {
    strand.stop();  // waits for the task in progress
    doneWhenStopReturned = inProgressDone.load();
    stopReturned = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(!stopReturned.load());  // the task in progress still runs: stop() cannot have returned
  release.open();
  stopper.join();
  CHECK(doneWhenStopReturned);  // returned only after the task in progress did
  CHECK_EQ(queuedRan.load(), 0);  // queued tasks dropped
  CHECK_EQ(owned.use_count(), 1);  // and their captures freed
  strand.post([&queuedRan] { queuedRan.fetch_add(1); });  // after stop: dropped
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK_EQ(queuedRan.load(), 0);
}

// claimIdle / ClaimedRun: work run on the calling thread as the strand's next task.
void testClaimedRuns() {
  CallbackThread strand;
  CHECK(strand.start());
  // An idle strand is claimed; a post meanwhile (another thread) waits for the run, then runs.
  CHECK(strand.claimIdle());
  std::atomic<bool> postedRan{false};
  bool postedRanDuringRun = true;
  {
    const CallbackThread::ClaimedRun run(strand);
    CHECK(strand.isCurrent());
    std::thread([&] { strand.post([&] { postedRan = true; }); }).join();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    postedRanDuringRun = postedRan.load();
  }
  CHECK(!postedRanDuringRun);
  CHECK(!strand.isCurrent());
  CHECK(eventually([&] { return postedRan.load(); }));  // scheduled when the run ended

  // Not while a task runs or is queued.
  Gate entered, release;
  strand.post([&] {
    entered.open();
    release.wait();
  });
  CHECK(entered.wait());
  CHECK(!strand.claimIdle());
  strand.post([] {});
  release.open();
  CHECK(eventually([&] { return strand.claimIdle(); }));  // idle again once both ran
  { const CallbackThread::ClaimedRun run(strand); }

  // Inside another strand's task: that strand is current again after the run.
  CallbackThread outer;
  CHECK(outer.start());
  std::atomic<bool> done{false};
  bool innerCurrent = false, outerDuring = true, outerAfter = false, claimed = false;
  outer.post([&] {
    claimed = strand.claimIdle();
    if (claimed) {
      const CallbackThread::ClaimedRun run(strand);
      innerCurrent = strand.isCurrent();
      outerDuring = outer.isCurrent();
    }
    outerAfter = outer.isCurrent();
    done = true;
  });
  CHECK(eventually([&] { return done.load(); }));
  CHECK(claimed);
  CHECK(innerCurrent);
  CHECK(!outerDuring);
  CHECK(outerAfter);

  // stop() from another thread waits for the run; nothing is claimed after stop.
  CHECK(strand.claimIdle());
  std::atomic<bool> stopReturned{false};
  bool stopReturnedDuringRun = true;
  std::thread stopper;
  {
    const CallbackThread::ClaimedRun run(strand);
    stopper = std::thread([&] {
      strand.stop();
      stopReturned = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    stopReturnedDuringRun = stopReturned.load();
  }
  stopper.join();
  CHECK(!stopReturnedDuringRun);
  CHECK(!strand.claimIdle());
  outer.stop();
}

// stop() from inside a ClaimedRun returns at once; the owner may be deleted there, and what was
// posted meanwhile is dropped.
void testStopInsideAClaimedRun() {
  std::atomic<int> after{0};
  auto* owner = new Owner();
  owner->after = &after;
  CHECK(owner->strand.start());
  CHECK(owner->strand.claimIdle());
  bool stoppedSeen = false;
  {
    const CallbackThread::ClaimedRun run(owner->strand);
    for (int i = 0; i < 10; ++i) owner->strand.post([owner] { owner->after->fetch_add(owner->value); });
    owner->strand.stop();  // must not wait for itself
    stoppedSeen = CallbackThread::stopRequestedOnCurrentThread();
    delete owner;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(stoppedSeen);
  CHECK_EQ(after.load(), 0);
  CHECK(!CallbackThread::stopRequestedOnCurrentThread());
}

// Producers that post or, when the strand is idle, run their task themselves: each producer's
// tasks still in order, one at a time, nothing lost.
void testClaimsAndPostsKeepOrder() {
  constexpr int kProducers = 3;
  constexpr int kTasks = 20000;
  auto targets = startTargets(2, kProducers);
  std::atomic<long long> claims{0};
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (int k = 0; k < kTasks; ++k) {
        OrderTarget* t = targets[static_cast<std::size_t>(k % 2)].get();
        if (k % 3 == 0 && t->strand.claimIdle()) {
          const CallbackThread::ClaimedRun run(t->strand);
          t->run(p, k, false);
          claims.fetch_add(1);
        } else {
          t->strand.post([t, p, k] { t->run(p, k, false); });
        }
      }
    });
  }
  for (auto& th : producers) th.join();
  CHECK(eventually([&] { return targets[0]->ran.load() + targets[1]->ran.load() == kProducers * kTasks; }));
  CHECK_EQ(targets[0]->ran.load() + targets[1]->ran.load(), static_cast<long long>(kProducers) * kTasks);
  CHECK(claims.load() > 0);
  for (auto& t : targets) {
    CHECK(!t->disorder.load());
    CHECK(!t->overlap.load());
  }
}

void testBlockedPoolThreadsDoNotStarveOthers() {
  // Every pool thread (and more) blocks in a callback until another strand's task has run: a
  // fixed pool would deadlock; the pool adds a thread when it sees no progress.
  const int blockers = rtm_emulator::callbackPoolThreads() + 2;
  std::vector<std::unique_ptr<CallbackThread>> strands;
  Gate released;
  std::atomic<int> unblocked{0};
  for (int i = 0; i < blockers; ++i) {
    strands.push_back(std::make_unique<CallbackThread>());
    CHECK(strands.back()->start());
    strands.back()->post([&] {
      if (released.wait(std::chrono::milliseconds(20000))) unblocked.fetch_add(1);
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CallbackThread opener;
  CHECK(opener.start());
  opener.post([&] { released.open(); });
  CHECK(eventually([&] { return unblocked.load() == blockers; }, std::chrono::milliseconds(15000)));
  for (auto& s : strands) s->stop();
  opener.stop();
}

void testInlineTaskOwnership() {
  auto token = std::make_shared<int>(3);
  int calls = 0;
  {
    InlineTask small([token, &calls] { calls += *token; });
    struct Big {
      char pad[200];
    } big{};
    InlineTask large([token, big, &calls] { calls += *token + big.pad[0]; });  // on the heap
    CHECK_EQ(token.use_count(), 3);
    InlineTask moved(std::move(large));
    CHECK(!large);
    CHECK(static_cast<bool>(moved));
    small();
    moved();
    InlineTask assigned;
    assigned = std::move(small);
    assigned();
    CHECK_EQ(token.use_count(), 3);
    assigned = nullptr;
    CHECK_EQ(token.use_count(), 2);
  }
  CHECK_EQ(token.use_count(), 1);
  CHECK_EQ(calls, 9);
}

}  // namespace

int main() {
  // The spin is off by default; on here so its hand-offs are exercised (read once, before the
  // pool's first thread starts).
  setenv("RTM_EMULATOR_POOL_SPIN_US", "20", 1);
  testInlineTaskOwnership();
  testOrderManyProducers();
  testDelayedTasksJoinTheEnd();
  testStopFromInsideATask();
  testStopFromAnotherThreadWhileQueued();
  testClaimedRuns();
  testStopInsideAClaimedRun();
  testClaimsAndPostsKeepOrder();
  testBlockedPoolThreadsDoNotStarveOthers();
  testPostsAroundTheSpin();
  testOrderProducersWithPauses();
  testIdlePoolUsesNoCpu();
  return finish("callback_pool_check");
}
