#include "client/rate_limiter.h"

namespace rtm_emulator {

bool RateLimiter::tryAcquire(Clock::time_point now) {
  if (!limit_.enabled()) return true;
  const auto window = std::chrono::milliseconds(limit_.windowMs);
  while (!calls_.empty() && now - calls_.front() >= window) calls_.pop_front();
  if (calls_.size() >= static_cast<std::size_t>(limit_.count)) return false;
  calls_.push_back(now);
  return true;
}

bool RateLimiter::available(Clock::time_point now) {
  if (!limit_.enabled()) return true;
  const auto window = std::chrono::milliseconds(limit_.windowMs);
  while (!calls_.empty() && now - calls_.front() >= window) calls_.pop_front();
  return calls_.size() < static_cast<std::size_t>(limit_.count);
}

}  // namespace rtm_emulator
