// A mutex that spins for a moment before it sleeps (glibc's adaptive kind, and longer). A client's
// locks are held for well under a microsecond, but the caller's thread and the callback pool take
// them at the same moment all the time (a call, its request running, its answer): with a plain
// mutex the loser sleeps in the kernel and the holder pays a futex wake on unlock — in a
// sendMessageToPeer flood that was a quarter of the calling thread's time.
#pragma once

#include <pthread.h>

namespace rtm_emulator {

class AdaptiveMutex {
 public:
  AdaptiveMutex() {
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
    pthread_mutex_init(&mutex_, &attr);
    pthread_mutexattr_destroy(&attr);
  }
  ~AdaptiveMutex() { pthread_mutex_destroy(&mutex_); }
  AdaptiveMutex(const AdaptiveMutex&) = delete;
  AdaptiveMutex& operator=(const AdaptiveMutex&) = delete;

  void lock() {
    if (pthread_mutex_trylock(&mutex_) == 0) return;
    // glibc's own spin gives up after ~100 pauses (~2 µs here), often while the holder, running on
    // the other core, is about to let go: spin up to ~20 µs first, looking before trying (no
    // write to the lock's line while it is held). Sleeping costs far more than that: the loser's
    // futex wait and the holder's futex wake (~10 µs each on this VM). In the outbound flood
    // (the JS thread against its pump) the JS thread's futex calls went from ~11 000 to ~3 000
    // a second, its context switches from ~6 000 to ~200 a second.
    for (int check = 0; check < kSpinChecks; ++check) {
      for (int k = 0; k < kPausesPerCheck; ++k) relax();
      if (looksFree() && pthread_mutex_trylock(&mutex_) == 0) return;
    }
    pthread_mutex_lock(&mutex_);
  }
  bool try_lock() { return pthread_mutex_trylock(&mutex_) == 0; }
  void unlock() { pthread_mutex_unlock(&mutex_); }

 private:
  static constexpr int kSpinChecks = 128;
  static constexpr int kPausesPerCheck = 8;  // a pause is ~18 ns on this machine's EPYC

  static void relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield" ::: "memory");
#endif
  }
  bool looksFree() const {
#if defined(__GLIBC__)
    return __atomic_load_n(&mutex_.__data.__lock, __ATOMIC_RELAXED) == 0;
#else
    return true;
#endif
  }

  pthread_mutex_t mutex_;
};

}  // namespace rtm_emulator
