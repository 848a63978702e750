// Sliding-window rate limiter: allows at most RateLimit::count calls in any RateLimit::windowMs.
// Not thread-safe: the owner serialises calls (the client's mutex).
#pragma once

#include <chrono>
#include <deque>
#include <memory>

#include "common/limits.h"

namespace rtm_emulator {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  RateLimiter() = default;
  explicit RateLimiter(RateLimit limit) : limit_(limit) {}

  // Changes the limit; the calls already recorded keep counting against the new one.
  void reset(RateLimit limit) { limit_ = limit; }

  // Records a call at `now` and returns true, or returns false (recording nothing) when the
  // window is full.
  bool tryAcquire(Clock::time_point now);
  bool tryAcquire() { return !limit_.enabled() || tryAcquire(Clock::now()); }  // no clock read when off
  // Whether tryAcquire(now) would succeed; records nothing (for calls checked against two limits).
  bool available(Clock::time_point now);
  bool available() { return !limit_.enabled() || available(Clock::now()); }

 private:
  // Trims calls older than the window; the deque exists only once a call was recorded (an empty
  // std::deque already allocates ~600 bytes, and a client has fifteen limiters).
  void expire(Clock::time_point now);

  RateLimit limit_{};
  std::unique_ptr<std::deque<Clock::time_point>> calls_;
};

}  // namespace rtm_emulator
