// A mutex that spins for a moment before it sleeps (glibc's adaptive kind). A client's locks are
// held for well under a microsecond, but the caller's thread and the callback pool take them at
// the same moment all the time (a call, its request running, its answer): with a plain mutex the
// loser sleeps in the kernel and the holder pays a futex wake on unlock — in a sendMessageToPeer
// flood that was a quarter of the calling thread's time.
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

  void lock() { pthread_mutex_lock(&mutex_); }
  bool try_lock() { return pthread_mutex_trylock(&mutex_) == 0; }
  void unlock() { pthread_mutex_unlock(&mutex_); }

 private:
  pthread_mutex_t mutex_;
};

}  // namespace rtm_emulator
