// Outbox: the per-session FIFO through which the core sends everything for one session, so that
// answers and pushes keep the order of the core's decisions while no lock of the core is held when
// a link runs them. Its own file because channel_core.cpp fills outboxes too.
#include <utility>

#include "cloud/service_core.h"

namespace rtm_emulator {

void Outbox::push(Item item) {
  std::lock_guard<std::mutex> lock(mu_);
  items_.push_back(std::move(item));
}

void Outbox::pushFront(std::vector<Item> items) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = items.rbegin(); it != items.rend(); ++it) items_.push_front(std::move(*it));
}

void Outbox::setUp(bool up) {
  std::lock_guard<std::mutex> lock(mu_);
  up_ = up;
}

void Outbox::drain() {
  std::unique_lock<std::mutex> lock(mu_);
  if (draining_) return;
  draining_ = true;
  while (up_ && !items_.empty()) {
    Item item = std::move(items_.front());
    items_.pop_front();
    lock.unlock();
    item();
    item = nullptr;  // captures (links, completion functions) are released outside the lock
    lock.lock();
  }
  draining_ = false;
}
}  // namespace rtm_emulator
