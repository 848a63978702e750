// The assertion harness shared by the native semantics programs (emulator_semantics,
// channel_semantics, invitation_semantics): pass/fail counters, the CHECK macros, and
// BasicEventLog, which records callbacks as short strings and waits for them.
// Each program includes this once, from its single translation unit.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "rtm_emulator/emulator.h"

// How much of each side CHECK_STR prints on failure; a program may define it before including.
#ifndef CHECK_STR_MAX
#define CHECK_STR_MAX std::string::npos
#endif

using Events = std::vector<std::string>;

namespace {

std::atomic<int> g_passed{0};  // checks may also run on callback and sender threads
std::atomic<int> g_failed{0};

const char kAppId[] = "0123456789abcdef0123456789abcdef";

inline void report(bool ok, const std::string& what, const char* file, int line) {
  if (ok) {
    ++g_passed;
  } else {
    ++g_failed;
    std::printf("FAIL %s:%d: %s\n", file, line, what.c_str());
    std::fflush(stdout);
  }
}

// Prints the summary line; returns the exit code.
inline int finish(const char* program) {
  std::printf("%s: %d passed, %d failed\n", program, g_passed.load(), g_failed.load());
  return g_failed == 0 ? 0 : 1;
}

// Polls pred every millisecond until it holds or `limit` passes (work runs on the pool's threads).
template <typename Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = std::chrono::milliseconds(10000)) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

inline std::string join(const Events& events) {
  std::string out = "[";
  for (std::size_t i = 0; i < events.size(); ++i) out += (i ? ", " : "") + events[i];
  return out + "]";
}

#define CHECK(cond) report((cond), #cond, __FILE__, __LINE__)
#define CHECK_EQ(actual, expected)                                                                  \
  do {                                                                                              \
    const long long a_ = static_cast<long long>(actual), e_ = static_cast<long long>(expected);     \
    report(a_ == e_, std::string(#actual) + " == " + std::to_string(a_) + ", expected " +           \
                         std::to_string(e_), __FILE__, __LINE__);                                   \
  } while (0)
#define CHECK_STR(actual, expected)                                                                 \
  do {                                                                                              \
    const std::string a_ = (actual), e_ = (expected);                                               \
    report(a_ == e_, std::string(#actual) + " == \"" + a_.substr(0, CHECK_STR_MAX) +                \
                         "\", expected \"" + e_.substr(0, CHECK_STR_MAX) + "\"", __FILE__, __LINE__); \
  } while (0)
#define CHECK_SEQ(actual, ...)                                                                      \
  do {                                                                                              \
    const Events a_ = (actual), e_ = Events{__VA_ARGS__};                                           \
    report(a_ == e_, std::string(#actual) + " == " + join(a_) + ", expected " + join(e_), __FILE__, \
           __LINE__);                                                                               \
  } while (0)

// Runs one test function; with EMU_TIMINGS set, prints how long it took.
#define RUN(f)                                                                                      \
  do {                                                                                              \
    const auto t0_ = std::chrono::steady_clock::now();                                              \
    f();                                                                                            \
    const long long ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(                    \
                              std::chrono::steady_clock::now() - t0_).count();                      \
    if (std::getenv("EMU_TIMINGS")) std::printf("%s: %lld ms\n", #f, ms_);                          \
  } while (0)

inline std::string ev(const char* name, long long id, int code) {
  return std::string(name) + " " + std::to_string(id) + " " + std::to_string(code);
}

inline void makeNamed(const std::string& name, const std::string& limits) {
  std::string error;
  const bool ok = rtm_emulator::createInProcess(name, limits, &error);
  report(ok, "createInProcess(" + name + "): " + error, __FILE__, __LINE__);
}

// Records events as short strings, with the threads they ran on; waits for them.
// Timing is a struct of static constexpr members, each program's own:
//   timeout           how long waitFor / waitCount wait by default;
//   settle            how long takeAfter lets stray callbacks arrive after the awaited event;
//   quiet             how long settleAndTake waits (absence checks);
//   countWaitAsCheck  whether takeAfter counts seeing the awaited event as a check.
template <class Timing>
class BasicEventLog {
 public:
  // Waits until `event` has been recorded (true) or the timeout passed (false).
  bool waitFor(const std::string& event, std::chrono::milliseconds timeout = Timing::timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return std::find(events_.begin(), events_.end(), event) != events_.end(); });
  }
  // Waits until `count` events have been recorded.
  bool waitCount(std::size_t count, std::chrono::milliseconds timeout = Timing::timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return events_.size() >= count; });
  }
  // Returns the events so far and forgets them.
  Events take() {
    std::lock_guard<std::mutex> lock(mu_);
    Events out;
    out.swap(events_);
    return out;
  }
  // Waits for `last`, lets stray callbacks arrive, then take()s.
  Events takeAfter(const std::string& last) {
    const bool seen = waitFor(last);
    if (Timing::countWaitAsCheck) report(seen, "waited for \"" + last + "\"", __FILE__, __LINE__);
    std::this_thread::sleep_for(Timing::settle);
    return take();
  }
  Events settleAndTake() {
    std::this_thread::sleep_for(Timing::quiet);
    return take();
  }
  std::set<std::thread::id> threads() {
    std::lock_guard<std::mutex> lock(mu_);
    return threads_;
  }
  // Runs on the callback thread after an event is recorded.
  void setHook(std::function<void(const std::string&)> hook) {
    std::lock_guard<std::mutex> lock(mu_);
    hook_ = std::move(hook);
  }

 protected:
  void add(const std::string& e) {
    std::function<void(const std::string&)> hook;
    {
      std::lock_guard<std::mutex> lock(mu_);
      events_.push_back(e);
      threads_.insert(std::this_thread::get_id());
      hook = hook_;
    }
    cv_.notify_all();
    if (hook) hook(e);
  }

  std::mutex mu_;  // also guards what derived recorders keep beside the events

 private:
  std::condition_variable cv_;
  Events events_;
  std::set<std::thread::id> threads_;
  std::function<void(const std::string&)> hook_;
};

}  // namespace
