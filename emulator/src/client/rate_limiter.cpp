#include "client/rate_limiter.h"

namespace rtm_emulator {

void RateLimiter::expire(Clock::time_point now) {
  if (!calls_) return;
  const auto window = std::chrono::milliseconds(limit_.windowMs);
  while (!calls_->empty() && now - calls_->front() >= window) calls_->pop_front();
}

bool RateLimiter::tryAcquire(Clock::time_point now) {
  if (!limit_.enabled()) return true;
  expire(now);
  if (calls_ && calls_->size() >= static_cast<std::size_t>(limit_.count)) return false;
  if (!calls_) calls_ = std::make_unique<std::deque<Clock::time_point>>();
  calls_->push_back(now);
  return true;
}

bool RateLimiter::available(Clock::time_point now) {
  if (!limit_.enabled()) return true;
  expire(now);
  return !calls_ || calls_->size() < static_cast<std::size_t>(limit_.count);
}

}  // namespace rtm_emulator
