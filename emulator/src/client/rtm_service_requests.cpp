// RtmServiceImpl, the pipeline of the requests that need a session (peer messages, presence, user
// attributes, channel requests): one place decides when a request goes out (now, after the login,
// after the link is back), when its timeout starts, and whether an answer still counts, so that
// every kind of request keeps the same order and the same cut-offs.
#include <chrono>
#include <functional>
#include <utility>

#include "client/rtm_service_impl.h"

namespace rtm_emulator {

using namespace agora::rtm;

std::uint64_t RtmServiceImpl::submitLocked(int timeoutMs, HandlerCall onTimeout, RequestFn run) {
  const std::uint64_t key = nextRequestKey_++;
  Pending& pending = pending_[key];
  pending.timeoutMs = timeoutMs;
  pending.onTimeout = std::move(onTimeout);
  if (state_ == CONNECTION_STATE_CONNECTING) {
    // Sent once the login succeeds (its timeout starts then); dropped unanswered if it fails.
    deferred_.push_back(Deferred{key, std::move(run)});
  } else if (linkDown_) {
    // Sent when the link is back, unless it timed out first (counted from now).
    armLocked(key, &pending);
    deferred_.push_back(Deferred{key, std::move(run)});
  } else {
    thread_.post([this, epoch = epoch_, key, run = std::move(run)] { runRequest(epoch, key, run); });
  }
  return key;
}

void RtmServiceImpl::flushDeferredLocked() {
  for (Deferred& d : deferred_) {
    thread_.post([this, epoch = epoch_, key = d.key, run = std::move(d.run)] { runRequest(epoch, key, run); });
  }
  deferred_.clear();
}

void RtmServiceImpl::dropRequestsLocked() {
  deferred_.clear();
  pending_.clear();
  linkDown_ = false;
  ++dropSeq_;
  resetChannelsLocked();  // the session is gone: so are its channel memberships
}

void RtmServiceImpl::runRequest(std::uint64_t epoch, std::uint64_t key, const RequestFn& run) {
  SessionContext context;
  {
    std::lock_guard<AdaptiveMutex> lock(mu_);
    if (released_ || epoch != epoch_) return;
    if (state_ != CONNECTION_STATE_CONNECTED && state_ != CONNECTION_STATE_RECONNECTING) return;
    if (pending_.count(key) == 0) return;  // timed out while waiting
    context.link = link_;
    context.connection = connection_;
    context.userId = userId_;
    context.sessionId = sessionId_;
  }
  run(context, key);  // in-process, the answer usually comes back before this returns
  std::lock_guard<AdaptiveMutex> lock(mu_);
  auto it = pending_.find(key);
  if (it != pending_.end() && !it->second.armed) armLocked(key, &it->second);
}

void RtmServiceImpl::armLocked(std::uint64_t key, Pending* pending) {
  pending->armed = true;
  thread_.postAfter(std::chrono::milliseconds(pending->timeoutMs), [this, key] { handleRequestTimeout(key); });
}

void RtmServiceImpl::handleRequestTimeout(std::uint64_t key) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (released_) return;
  auto it = pending_.find(key);
  if (it == pending_.end()) return;
  HandlerCall call = std::move(it->second.onTimeout);
  std::function<void()> hook = std::move(it->second.onTimeoutLocked);
  pending_.erase(it);
  if (hook) {
    hook();
    return;
  }
  emitLocked(std::move(call));
}

void RtmServiceImpl::completeRequest(std::uint64_t epoch, std::uint64_t key, HandlerCall result) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (released_ || epoch != epoch_) return;
  if (pending_.erase(key) == 0) return;  // timed out already
  emitLocked(std::move(result));
}
}  // namespace rtm_emulator
