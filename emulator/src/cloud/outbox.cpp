// Outbox: the per-session FIFO through which the core sends everything for one session, so that
// answers and pushes keep the order of the core's decisions while no lock of the core is held when
// a link runs them. Its own file because channel_core.cpp fills outboxes too.
#include <algorithm>
#include <utility>

#include "cloud/service_core.h"

namespace rtm_emulator {

void Outbox::push(Item item) {
  std::lock_guard<std::mutex> lock(mu_);
  pushLocked(std::move(item));
}

void Outbox::pushAndDrain(Item item) {
  std::unique_lock<std::mutex> lock(mu_);
  pushLocked(std::move(item));
  drainLocked(lock);
}

void Outbox::pushLocked(Item item) {
  auto due = std::chrono::steady_clock::time_point{};
  if (latencyMs_ > 0 || jitterMs_ > 0) {
    int ms = latencyMs_;
    if (jitterMs_ > 0) {
      jitterState_ = jitterState_ * 6364136223846793005ull + 1442695040888963407ull;  // an LCG is plenty here
      ms += static_cast<int>((jitterState_ >> 33) % static_cast<std::uint64_t>(jitterMs_ + 1));
    }
    due = std::max(std::chrono::steady_clock::now() + std::chrono::milliseconds(ms), lastDue_);
    lastDue_ = due;
  }
  items_.push_back({std::move(item), due});
}

void Outbox::pushFront(std::vector<Item> items) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = items.rbegin(); it != items.rend(); ++it) items_.push_front({std::move(*it), {}});
}

void Outbox::setLatency(int latencyMs, int jitterMs, Scheduler scheduler) {
  std::lock_guard<std::mutex> lock(mu_);
  latencyMs_ = latencyMs;
  jitterMs_ = jitterMs;
  scheduler_ = std::move(scheduler);
}

void Outbox::setUp(bool up) {
  std::lock_guard<std::mutex> lock(mu_);
  up_ = up;
}

void Outbox::drain() {
  std::unique_lock<std::mutex> lock(mu_);
  drainLocked(lock);
}

void Outbox::drainLocked(std::unique_lock<std::mutex>& lock) {
  if (draining_) return;
  draining_ = true;
  Scheduler schedule;
  int waitMs = 0;
  while (up_ && !items_.empty()) {
    // An item pushed without a latency has no due time: no clock read for it.
    const auto due = items_.front().due;
    const auto now = due == std::chrono::steady_clock::time_point{} ? due : std::chrono::steady_clock::now();
    if (due > now) {
      // Held by a latency: a timer drains again when the first one is due.
      if (!timerArmed_ && scheduler_) {
        timerArmed_ = true;
        schedule = scheduler_;
        waitMs = static_cast<int>(
            std::chrono::duration_cast<std::chrono::milliseconds>(items_.front().due - now).count() + 1);
      }
      break;
    }
    Item item = std::move(items_.front().item);
    items_.pop_front();
    lock.unlock();
    item();
    item = nullptr;  // captures (links, completion functions) are released outside the lock
    lock.lock();
  }
  draining_ = false;
  lock.unlock();
  // Outside our lock: the scheduler takes the core's, which is held while outboxes are filled.
  if (schedule) {
    std::weak_ptr<Outbox> weak = weak_from_this();
    schedule(waitMs, [weak] {
      std::shared_ptr<Outbox> out = weak.lock();
      if (!out) return;
      {
        std::lock_guard<std::mutex> relock(out->mu_);
        out->timerArmed_ = false;
      }
      out->drain();
    });
  }
}

}  // namespace rtm_emulator
