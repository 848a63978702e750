// Why the lead's first TSan build reported races in callback_pool_check and pipeline_check: that
// build linked libtsan but compiled no code with -fsanitize=thread (cmake-js appends its own
// -DCMAKE_CXX_FLAGS=-DBUILDING_NODE_EXTENSION after --CDCMAKE_CXX_FLAGS=..., which then wins). TSan
// then sees only its interceptors (malloc/free, pthread mutexes and condition variables, memcpy),
// not the atomic reference counts of std::shared_ptr: an object whose last owner lets go on another
// thread than its last user looks freed with no happens-before, although the refcount orders it.
//
// This program does exactly that, ordered beyond doubt: a waiter (as CallbackThread::stop()) sleeps
// on the object's condition variable, is woken, lets go of the mutex and then of its reference; the
// other thread waits until the waiter's reference is gone (use_count() == 1), and only then drops
// the last one, which deletes the object, its mutex and its condition variable. The waiter has
// left pthread_cond_wait before its decrement (acq_rel), and the deleting decrement reads it. A
// second part does the same with a string read by one thread (as an inline delivery reads a
// PeerDelivery's sender id) and freed by another after the refcount handed it over.
//
//   g++ -O2 -g -pthread test/tsan/refcount_handoff.cpp -fsanitize=thread -o /tmp/handoff-ok
//       (instrumented: no report, however many rounds)
//   g++ -O2 -g -pthread -c test/tsan/refcount_handoff.cpp -o /tmp/handoff.o
//   g++ /tmp/handoff.o -fsanitize=thread -o /tmp/handoff-artifact
//       (linked with libtsan only, as that build: "data race" reports on the deletes)
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace {

struct State {
  std::mutex mu;
  bool running = true;
  bool waiting = false;
  std::condition_variable idle;
};

// One round of CallbackThread::stop() from another thread against the pool thread's last
// reference: the deleting thread is provably after the waiter's return from wait().
void condvarRound() {
  auto owner = std::shared_ptr<State>(new State());
  std::thread waiter([s = owner]() mutable {
    std::unique_lock<std::mutex> lock(s->mu);
    s->waiting = true;
    s->idle.wait(lock, [&] { return !s->running; });
    lock.unlock();
    s.reset();  // after wait() returned and the mutex was let go
  });
  for (;;) {  // (until the waiter sleeps in wait())
    std::lock_guard<std::mutex> lock(owner->mu);
    if (owner->waiting) break;
  }
  {
    std::lock_guard<std::mutex> lock(owner->mu);
    owner->running = false;
    owner->idle.notify_all();
  }
  while (owner.use_count() != 1) std::this_thread::yield();  // the waiter's reference is gone
  owner.reset();  // the last reference: deletes the mutex and the condition variable here
  waiter.join();
}

// A string read on one thread, then freed on another once the reference count says the reader
// is done (the pattern of a PeerDelivery read by an inline delivery and freed by its sender).
void stringRound() {
  auto owner = std::make_shared<std::string>("a sender id too long for the small buffer");
  std::atomic<bool> started{false};
  std::thread reader([s = owner, &started]() mutable {
    started = true;
    std::string copy = "recv " + *s;  // reads the string's heap buffer (memcpy)
    if (copy.size() < 5) std::puts("?");
    s.reset();
  });
  while (!started.load()) std::this_thread::yield();
  while (owner.use_count() != 1) std::this_thread::yield();
  owner.reset();  // frees the buffer the reader read
  reader.join();
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 200;
  for (int i = 0; i < rounds; ++i) {
    condvarRound();
    stringRound();
  }
  std::printf("%d rounds\n", rounds);
  return 0;
}
