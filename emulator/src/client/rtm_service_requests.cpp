// RtmServiceImpl, the pipeline of the requests that need a session (peer messages, presence, user
// attributes, channel requests): one place decides when a request goes out (now, after the login,
// after the link is back), when its timeout starts, and whether an answer still counts, so that
// every kind of request keeps the same order and the same cut-offs.
#include <algorithm>
#include <chrono>
#include <functional>
#include <utility>

#include "client/client_link.h"
#include "client/rtm_service_impl.h"
#include "common/deferred_batch.h"

namespace rtm_emulator {

using namespace agora::rtm;

namespace {
// The client whose pump runs on this thread, if any: its answers wait for the batch's end.
thread_local RtmServiceImpl* t_pumping = nullptr;
}  // namespace

std::uint64_t RtmServiceImpl::submitLocked(int timeoutMs, HandlerCall onTimeout, RequestFn run, bool batchable,
                                          Caller caller) {
  const std::uint64_t key = nextRequestKey_++;
  Pending& pending = pending_.add(key);
  pending.timeoutMs = timeoutMs;
  pending.onTimeout = std::move(onTimeout);
  if (state_ == CONNECTION_STATE_CONNECTING) {
    // Sent once the login succeeds (its timeout starts then); dropped unanswered if it fails.
    deferred_.push_back(Deferred{key, std::move(run), batchable});
  } else if (linkDown_) {
    // Sent when the link is back, unless it timed out first (counted from now).
    armLocked(key, &pending);
    deferred_.push_back(Deferred{key, std::move(run), batchable});
  } else {
    queueOutgoingLocked(key, std::move(run), batchable, caller);
  }
  return key;
}

void RtmServiceImpl::queueOutgoingLocked(std::uint64_t key, RequestFn run, bool batchable, Caller caller) {
  Outgoing& o = outgoing_.pushDefault();  // (filled in place: one move of the request, not two)
  o.epoch = epoch_;
  o.key = key;
  o.run = std::move(run);
  o.batchable = batchable;
  if (pumpScheduled_) {
    // The pump is queued or running: it takes this one too. Held, it goes now for anything but
    // another message, or once kMaxHeld wait (a long synchronous burst is then routed while it
    // is still being sent, as without holding).
    if (pumpHeld_ && (caller == Caller::kOther || outgoing_.size() >= kMaxHeld)) flushRequestsLocked();
    return;
  }
  pumpScheduled_ = true;
  pumpOn_ = inlineRequests_ ? &pumpThread_ : &thread_;
  // Inline requests: the caller runs the pump once it lets go of mu_ (sendMessageToPeer).
  if (caller == Caller::kAppSendInline && inlineRequests_ && pumpThread_.claimIdle()) {
    pumpClaimed_ = true;
    return;
  }
  if (caller != Caller::kOther && holdRequests_) {
    pumpHeld_ = true;
    return;
  }
  postPumpLocked();
}

void RtmServiceImpl::flushRequestsLocked() {
  if (!pumpHeld_) return;
  pumpHeld_ = false;
  postPumpLocked();
}

void RtmServiceImpl::postPumpLocked() { pumpOn_->post([this] { pumpRequests(); }); }

void RtmServiceImpl::runClaimedPump() {
  const CallbackThread::ClaimedRun run(pumpThread_);
  pumpRequests();
}

void RtmServiceImpl::flushDeferredLocked() {
  for (Deferred& d : deferred_) queueOutgoingLocked(d.key, std::move(d.run), d.batchable);
  deferred_.clear();
}

void RtmServiceImpl::dropRequestsLocked() {
  deferred_.clear();
  pending_.clear();  // what is still in outgoing_ is skipped by the pump: not pending any more
  linkDown_ = false;
  ++dropSeq_;
  resetChannelsLocked();  // the session is gone: so are its channel memberships
}

void RtmServiceImpl::pumpRequests() {
  bool send[kPumpBatch];
  std::uint64_t keys[kPumpBatch];
  std::size_t n = 0;
  SessionContext context;
  bool idle = false;
  {
    // One short hold of the lock the callers take for every request: the whole queue changes
    // hands (a swap of two rings, no item moved under the lock) only when the pump's own share is
    // used up; the items of this run are only checked under it, and moved out after.
    std::lock_guard<AdaptiveMutex> lock(mu_);
    if (released_) return;
    if (pumpQueue_.empty()) pumpQueue_.swap(outgoing_);
    const bool sending = state_ == CONNECTION_STATE_CONNECTED || state_ == CONNECTION_STATE_RECONNECTING;
    n = std::min(kPumpBatch, pumpQueue_.size());
    for (std::size_t i = 0; i < n; ++i) {
      const Outgoing& o = pumpQueue_[i];
      // Not sent: made for an earlier login, or no longer pending (timed out while waiting, or
      // dropped by a logout), or nothing to send it on. (Destroyed after the lock is released.)
      send[i] = sending && o.epoch == epoch_ && pending_.find(o.key) != nullptr;
      keys[i] = o.key;
    }
    idle = pumpQueue_.size() == n && outgoing_.empty();
    if (idle) {
      pumpScheduled_ = false;
      outgoing_.release();  // (pumpQueue_ is given back below, once its last items are out)
    } else {
      postPumpLocked();  // the rest after what is queued meanwhile
    }
    context.link = link_;
    context.connection = connection_;
    context.userId = userId_;
    context.sessionId = sessionId_;
  }
  // pumpQueue_ is the pump's alone (only this strand touches it, and only here): its requests
  // run where they are, each dropped once sent (no move out of the ring).
  pumpCompletions_.reserve(n);
  {
    // The receivers' strands the batch makes runnable are woken once, at its end (HandOffBatch);
    // the outboxes it fills are emptied once per run of peer messages (DeferredBatch); the answers
    // that come back meanwhile (in process, nearly all) wait in pumpCompletions_. Sending runs no
    // application callback: the service and the links only queue tasks.
    t_pumping = this;
    HandOffBatch handOffs;
    DeferredBatch followUps;
    for (std::size_t i = 0; i < n; ++i) {
      // release() from another thread waits for this task: what is left is not sent (released,
      // nothing would be answered anyway).
      if (CallbackThread::stopRequestedOnCurrentThread()) break;
      Outgoing& o = pumpQueue_.front();
      if (send[i]) {
        if (!o.batchable) settlePumpAnswers();  // everything before it is answered first
        o.run(context, o.key);
      }
      pumpQueue_.dropFront();
    }
    // The last answers, and the timeouts of what is still unanswered, with one lock.
    settlePumpAnswers([&] {
      for (std::size_t i = 0; i < n; ++i) {
        if (send[i]) armIfWaitingLocked(keys[i]);
      }
    });
    t_pumping = nullptr;
  }
  // While busy it keeps its buffer: swapped back to the callers, who then need not grow theirs.
  // (The next run, if any, is a task after this one: on this strand, never at the same time.)
  if (idle) pumpQueue_.release();
}

void RtmServiceImpl::settlePumpAnswers(InlineFunction<void()> thenLocked) {
  DeferredBatch::runQueued();
  if (pumpCompletions_.empty() && !thenLocked) return;
  std::vector<Completion> answered;
  answered.swap(pumpCompletions_);
  // Outboxes were emptied one after the other: their answers come back in call order again.
  // (Most often they are in order already: no sort, which would allocate a buffer.)
  const auto byKey = [](const Completion& a, const Completion& b) { return a.key < b.key; };
  if (!std::is_sorted(answered.begin(), answered.end(), byKey)) std::stable_sort(answered.begin(), answered.end(), byKey);
  std::lock_guard<AdaptiveMutex> lock(mu_);
  // The answers that still count, delivered by one task (one post, in the place of the first).
  std::size_t kept = 0;
  for (Completion& c : answered) {
    if (!released_ && c.epoch == epoch_ && pending_.erase(c.key)) answered[kept++] = std::move(c);
  }
  answered.resize(kept);
  // A channel message's answer runs here (it posts its own task); the peer answers between two of
  // them go as one task each run, so every callback keeps its place.
  bool bufferGone = false;
  std::size_t i = 0;
  while (i < kept) {
    if (answered[i].locked) {
      answered[i++].locked(*this);
      continue;
    }
    std::size_t end = i + 1;
    while (end < kept && !answered[end].locked) ++end;
    if (i == 0 && end == kept && kept > 1) {
      pumpCompletions_.reserve(kept);  // the buffer goes with the task: a new one for the rest of the run
      thread_.post([this, results = std::move(answered)] {
        for (const Completion& c : results) {
          if (CallbackThread::stopRequestedOnCurrentThread()) return;  // released by a handler: `this` is gone
          deliver(c.result);
        }
      });
      bufferGone = true;
      break;
    }
    if (end - i == 1) {
      emitLocked(std::move(answered[i].result));
    } else {
      std::vector<HandlerCall> run;
      run.reserve(end - i);
      for (std::size_t k = i; k < end; ++k) run.push_back(std::move(answered[k].result));
      thread_.post([this, run = std::move(run)] {
        for (const HandlerCall& call : run) {
          if (CallbackThread::stopRequestedOnCurrentThread()) return;  // released by a handler: `this` is gone
          deliver(call);
        }
      });
    }
    i = end;
  }
  if (!bufferGone) {
    // The buffer goes back to the pump (only this thread touches it): no allocation next time.
    answered.clear();
    pumpCompletions_.swap(answered);
  }
  if (thenLocked) thenLocked();
}

void RtmServiceImpl::armIfWaitingLocked(std::uint64_t key) {
  Pending* pending = pending_.find(key);
  if (pending != nullptr && !pending->armed) armLocked(key, pending);
}

void RtmServiceImpl::armLocked(std::uint64_t key, Pending* pending) {
  pending->armed = true;
  thread_.postAfter(std::chrono::milliseconds(pending->timeoutMs), [this, key] { handleRequestTimeout(key); });
}

void RtmServiceImpl::handleRequestTimeout(std::uint64_t key) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (released_) return;
  Pending* pending = pending_.find(key);
  if (pending == nullptr) return;
  HandlerCall call = std::move(pending->onTimeout);
  std::function<void()> hook = std::move(pending->onTimeoutLocked);
  pending_.erase(key);
  if (hook) {
    hook();
    return;
  }
  emitLocked(std::move(call));
}

bool RtmServiceImpl::completeOnOwnPump(const ClientLink& link, std::uint64_t key, HandlerCall& result) {
  RtmServiceImpl* self = t_pumping;
  if (self == nullptr || link.owner() != self) return false;
  self->pumpCompletions_.push_back(Completion{link.epoch(), key, std::move(result), nullptr});
  return true;
}

bool RtmServiceImpl::completeChannelOnOwnPump(const ClientLink& link, std::uint64_t key,
                                              const std::function<void(RtmServiceImpl&)>& result) {
  RtmServiceImpl* self = t_pumping;
  if (self == nullptr || link.owner() != self) return false;
  self->pumpCompletions_.push_back(Completion{link.epoch(), key, nullptr, result});
  return true;
}

void RtmServiceImpl::completeRequest(std::uint64_t epoch, std::uint64_t key, HandlerCall result) {
  if (t_pumping == this) {  // our own pump's thread, inside its batch
    pumpCompletions_.push_back(Completion{epoch, key, std::move(result), nullptr});
    return;
  }
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (released_ || epoch != epoch_) return;
  if (!pending_.erase(key)) return;  // timed out already
  emitLocked(std::move(result));
}
}  // namespace rtm_emulator
