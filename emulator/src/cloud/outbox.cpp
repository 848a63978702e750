// Outbox: the per-session FIFO through which the core sends everything for one session, so that
// answers and pushes keep the order of the core's decisions while no lock of the core is held when
// a link runs them. Its own file because channel_core.cpp fills outboxes too.
#include <algorithm>
#include <new>
#include <utility>

#include "cloud/service_core.h"
#include "common/deferred_batch.h"

namespace rtm_emulator {

void Outbox::push(Item item) {
  std::lock_guard<std::mutex> lock(mu_);
  pushLocked(std::move(item));
}

bool Outbox::pushQueuingDrain(Item item) {
  std::lock_guard<std::mutex> lock(mu_);
  pushLocked(std::move(item));
  return !deferDrainLocked();
}

bool Outbox::pushPeer(std::shared_ptr<PeerDelivery> delivery) {
  std::lock_guard<std::mutex> lock(mu_);
  pushLocked(nullptr, std::move(delivery), Kind::kPeer);
  return !deferDrainLocked();
}

void Outbox::pushPeerAnswers(std::shared_ptr<PeerDelivery>* deliveries, std::size_t n) {
  std::unique_lock<std::mutex> lock(mu_);
  for (std::size_t i = 0; i < n; ++i) pushLocked(nullptr, std::move(deliveries[i]), Kind::kAnswer);
  if (deferDrainLocked()) return;
  drainLocked(lock);
}

bool Outbox::deferDrainLocked() {
  if (!DeferredBatch::active()) return false;
  if (!drainDeferred_) {
    drainDeferred_ = true;
    DeferredBatch::defer([self = shared_from_this()] {
      std::unique_lock<std::mutex> lock(self->mu_);
      self->drainDeferred_ = false;
      self->drainLocked(lock);
    });
  }
  return true;
}

void Outbox::pushLocked(Item&& item, std::shared_ptr<PeerDelivery>&& peer, Kind kind) {
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
  Entry& e = items_.pushDefault();  // (filled in place, no temporary Entry)
  e.item = std::move(item);
  e.peer = std::move(peer);
  e.due = due;
  e.kind = kind;
}

void Outbox::pushFront(std::vector<Item> items) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = items.rbegin(); it != items.rend(); ++it) items_.pushFront(Entry{std::move(*it), nullptr, {}, Kind::kItem});
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
  if (deferDrainLocked()) return;
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
    // Every due item at the front (up to kTake) with one lock; run with none held.
    // (Raw slots, constructed only for the items taken: a drain of one item, the most common
    // inside a burst, does not construct and destroy 32 of each.)
    constexpr std::size_t kTake = 32;
    using PeerRef = std::shared_ptr<PeerDelivery>;
    alignas(Item) unsigned char itemSlots[kTake * sizeof(Item)];
    alignas(PeerRef) unsigned char peerSlots[kTake * sizeof(PeerRef)];
    Item* take = reinterpret_cast<Item*>(itemSlots);
    PeerRef* peers = reinterpret_cast<PeerRef*>(peerSlots);  // kinds[i] kPeer / kAnswer: the delivery
    Kind kinds[kTake];
    std::size_t n = 0;
    while (n < kTake && !items_.empty()) {
      Entry& e = items_.front();
      if (e.due != std::chrono::steady_clock::time_point{} && e.due > now) break;
      new (take + n) Item(std::move(e.item));
      new (peers + n) PeerRef(std::move(e.peer));
      kinds[n] = e.kind;
      ++n;
      items_.dropFront();
    }
    lock.unlock();
    std::size_t i = 0;
    while (i < n && up_.load(std::memory_order_relaxed)) {
      if (kinds[i] == Kind::kPeer) {
        // A run of peer messages: one hand-over per receiving client, not one per message.
        std::size_t end = i + 1;
        while (end < n && kinds[end] == Kind::kPeer) ++end;
        ServiceCore::runPeerDeliveries(peers + i, end - i);
        for (std::size_t k = i; k < end; ++k) peers[k] = nullptr;
        i = end;
        continue;
      }
      if (kinds[i] == Kind::kAnswer) {
        PeerDelivery& d = *peers[i];
        d.done(d.code);
        peers[i] = nullptr;  // (the delivery, and what it holds, released outside the lock)
        ++i;
        continue;
      }
      take[i]();
      take[i] = nullptr;  // captures (links, completion functions) are released outside the lock
      ++i;
    }
    lock.lock();
    // The link went down (dropConnection) meanwhile: what was not run goes back, in order.
    for (std::size_t k = n; k > i; --k) {
      items_.pushFront(Entry{std::move(take[k - 1]), std::move(peers[k - 1]), {}, kinds[k - 1]});
    }
    for (std::size_t k = 0; k < n; ++k) {  // all empty by now (run and reset, or moved back)
      take[k].~Item();
      peers[k].~PeerRef();
    }
  }
  draining_ = false;
  if (items_.empty()) items_.release();
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

// A run of peer-message entries (drainLocked): here because it is part of emptying an outbox.
void ServiceCore::runPeerDeliveries(std::shared_ptr<PeerDelivery>* ds, std::size_t n) {
  constexpr std::size_t kRun = 32;
  std::size_t i = 0;
  while (i < n) {
    SessionLink* link = ds[i]->link.get();
    if (!link->answersAtOnce()) {
      std::shared_ptr<PeerDelivery> d = ds[i++];
      d->link->deliverPeerMessage(d->senderId, d->message, false, [d](bool taken) { peerMessageTaken(d, taken); });
      continue;
    }
    // In process: taken or not is known when onPeerMessages returns (no completion function).
    SessionLink::PeerMessageRef refs[kRun];
    bool taken[kRun];
    std::size_t m = 0;
    while (i + m < n && m < kRun && ds[i + m]->link.get() == link) {
      const PeerDelivery& d = *ds[i + m];
      refs[m] = SessionLink::PeerMessageRef{&d.senderId, &d.message, false};
      ++m;
    }
    link->onPeerMessages(refs, m, taken);
    // The answers: each sender's consecutive ones with one lock of its outbox.
    std::size_t k = 0;
    while (k < m) {
      std::size_t end = k + 1;
      const std::weak_ptr<Outbox>& box = ds[i + k]->senderBox;
      while (end < m && !box.owner_before(ds[i + end]->senderBox) && !ds[i + end]->senderBox.owner_before(box)) ++end;
      for (std::size_t j = k; j < end; ++j) ds[i + j]->code = answerCode(*ds[i + j], taken[j]);
      if (std::shared_ptr<Outbox> sender = box.lock()) sender->pushPeerAnswers(ds + i + k, end - k);
      k = end;
    }
    i += m;
  }
}

}  // namespace rtm_emulator
