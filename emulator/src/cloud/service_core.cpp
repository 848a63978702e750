// ServiceCore, core part: the sessions (login, logout, token renewal, the one-session-per-user
// rule), peer messages and the offline cache, fault injection (kick, token expiry, a silenced link
// and its presence timers, close) and what the rest of the cloud asks of it (withSession). Beside
// it: service_core_presence.cpp, service_core_attributes.cpp, and outbox.cpp (the Outbox class).
#include "cloud/service_core.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <utility>

#include "cloud/channel_core.h"
#include "cloud/invitation_core.h"
#include "cloud/token/rtm_token.h"
#include "common/block_cache.h"
#include "common/deferred_batch.h"
#include "common/rules.h"

namespace rtm_emulator {

using namespace agora::rtm;

long long nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

long long batchNowMs() {
  if (!DeferredBatch::active()) return nowMs();
  thread_local std::uint64_t batch = 0;
  thread_local long long cached = 0;
  if (batch != DeferredBatch::current() || cached == 0) {
    batch = DeferredBatch::current();
    cached = nowMs();
  }
  return cached;
}

// ---------------------------------------------------------------------------------------------
// Helpers

namespace {
// A vector of one move-only item (an initializer list would copy it).
template <typename F>
std::vector<Outbox::Item> oneItem(F&& f) {
  std::vector<Outbox::Item> items;
  items.emplace_back(std::forward<F>(f));
  return items;
}
}  // namespace

void ServiceCore::After::run() {
  for (auto& k : kicks) k.first->onKicked(k.second);
  for (auto& link : lost) link->onConnectionLost();
  for (auto& out : drains) out->drain();
  dropped.clear();
}

ServiceCore::ServiceCore(std::string name, Limits limits, std::string appCertificate)
    : name_(std::move(name)),
      limits_(limits),
      appCertificate_(std::move(appCertificate)),
      invitations_(std::make_shared<InvitationCore>(this)),
      channels_(std::make_shared<ChannelCore>(limits)) {}

ServiceCore::~ServiceCore() = default;

ServiceCore::Session* ServiceCore::findLocked(const std::string& userId, std::uint64_t sessionId) {
  auto it = sessions_.find(userId);
  if (it == sessions_.end() || it->second.id != sessionId) return nullptr;
  return &it->second;
}

void ServiceCore::addSessionLocked(const std::string& userId, Session session, After* after) {
  for (const auto& sub : session.subscriptions) watchers_[sub.first].insert(userId);
  sessions_[userId] = std::move(session);
  notifyPresenceLocked(userId, after);
}

ServiceCore::Session ServiceCore::removeSessionLocked(const std::string& userId, bool notify, After* after) {
  auto it = sessions_.find(userId);
  Session session = std::move(it->second);
  sessions_.erase(it);
  for (const auto& sub : session.subscriptions) {
    auto w = watchers_.find(sub.first);
    if (w == watchers_.end()) continue;
    w->second.erase(userId);
    if (w->second.empty()) watchers_.erase(w);
  }
  if (notify) notifyPresenceLocked(userId, after);
  return session;
}

std::vector<Outbox::Item> ServiceCore::takeOfflineLocked(const std::string& userId,
                                                         const std::shared_ptr<SessionLink>& link) {
  std::vector<Outbox::Item> items;
  auto it = offline_.find(userId);
  if (it == offline_.end()) return items;
  items.reserve(it->second.size());
  std::weak_ptr<ServiceCore> self = weak_from_this();
  for (CachedMessage& m : it->second) {
    items.push_back([link, self, userId, sender = std::move(m.senderId), msg = std::move(m.message)] {
      link->deliverPeerMessage(sender, msg, true, [self, userId, sender, msg](bool taken) {
        if (taken) return;
        // Logged out again before it arrived: kept for the next login.
        if (std::shared_ptr<ServiceCore> core = self.lock()) core->cacheOffline(userId, sender, msg);
      });
    });
  }
  offline_.erase(it);
  return items;
}

void ServiceCore::startTimerLocked(int delayMs, std::function<void(ServiceCore*)> task) {
  timers_.start();
  std::weak_ptr<ServiceCore> weak = weak_from_this();
  timers_.postAfter(std::chrono::milliseconds(delayMs), [weak, task = std::move(task)] {
    if (std::shared_ptr<ServiceCore> core = weak.lock()) task(core.get());
  });
}

// ---------------------------------------------------------------------------------------------
// Sessions

void ServiceCore::login(const std::string& appId, const std::string& userId, const std::string& token,
                        std::shared_ptr<SessionLink> link, const std::function<bool(const LoginAnswer&)>& done) {
  // The token first: a refused one touches no session (an existing one of the user stays).
  token::TokenCheck check;
  if (!appCertificate_.empty()) {
    check = token::verifyRtmToken(token, appId, appCertificate_, userId, nowMs() / 1000);
    if (check.status != token::TokenStatus::Ok) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (closed_) return;
      }
      LoginAnswer refused;
      // Another App ID inside the token is a token not for this project: INVALID_TOKEN.
      refused.code = check.status == token::TokenStatus::Expired ? LOGIN_ERR_TOKEN_EXPIRED : LOGIN_ERR_INVALID_TOKEN;
      done(refused);
      return;
    }
  }
  After after;
  LoginAnswer answer;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    // Only one live session per user id: the earlier one is kicked before the new one is answered.
    // Presence is not reported in between (the user stays online).
    if (sessions_.count(userId) != 0) {
      Session old = removeSessionLocked(userId, false, &after);
      after.kicks.emplace_back(old.link, CONNECTION_CHANGE_REASON_REMOTE_LOGIN);
      after.dropped.push_back(std::move(old));
    }
    channels_->leaveAll(userId, &after.drains);  // the earlier session (live or in limbo) leaves its channels
    auto lim = limbo_.find(userId);
    if (lim != limbo_.end()) {
      after.kicks.emplace_back(lim->second.link, CONNECTION_CHANGE_REASON_REMOTE_LOGIN);
      after.dropped.push_back(std::move(lim->second));
      limbo_.erase(lim);
    }
    Session s;
    s.id = nextSessionId_++;
    s.appId = appId;
    s.token = token;
    s.link = std::move(link);
    s.out = std::make_shared<Outbox>();  // held until the client takes the answer
    applyLatencyLocked(userId, s.out.get());
    s.tokenVersion = check.version;
    if (check.version != 0) armTokenExpiryLocked(userId, &s, check.expiresAt);
    answer.code = LOGIN_ERR_OK;
    answer.sessionId = s.id;
    addSessionLocked(userId, std::move(s), &after);
  }
  after.run();
  if (done(answer)) {
    confirmLogin(userId, answer.sessionId);
  } else {
    logout(userId, answer.sessionId);  // nobody wants this session any more
  }
}

void ServiceCore::confirmLogin(const std::string& userId, std::uint64_t sessionId) {
  std::shared_ptr<Outbox> out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Session* s = findLocked(userId, sessionId);
    if (s == nullptr) return;
    s->confirmed = true;
    // Offline messages are older than anything that reached the session since the login.
    s->out->pushFront(takeOfflineLocked(userId, s->link));
    if (!s->linkDown) s->out->setUp(true);
    out = s->out;
  }
  out->drain();
}

void ServiceCore::logout(const std::string& userId, std::uint64_t sessionId) {
  After after;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (findLocked(userId, sessionId) != nullptr) {
      after.dropped.push_back(removeSessionLocked(userId, true, &after));
      channels_->leaveAll(userId, &after.drains);
    } else {
      auto lim = limbo_.find(userId);
      if (lim != limbo_.end() && lim->second.id == sessionId) {
        after.dropped.push_back(std::move(lim->second));
        limbo_.erase(lim);
        channels_->leaveAll(userId, &after.drains);
      }
    }
  }
  after.run();
}

bool ServiceCore::renewToken(const std::string& userId, std::uint64_t sessionId, const std::string& token,
                             RENEW_TOKEN_ERR_CODE* result) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return false;
  Session* s = findLocked(userId, sessionId);
  if (s == nullptr) {
    *result = RENEW_TOKEN_ERR_FAILURE;
    return true;
  }
  if (!appCertificate_.empty()) {
    const token::TokenCheck check = token::verifyRtmToken(token, s->appId, appCertificate_, userId, nowMs() / 1000);
    if (check.status != token::TokenStatus::Ok) {
      *result = check.status == token::TokenStatus::Expired ? RENEW_TOKEN_ERR_TOKEN_EXPIRED : RENEW_TOKEN_ERR_INVALID_TOKEN;
      return true;
    }
    s->tokenVersion = check.version;
    armTokenExpiryLocked(userId, s, check.expiresAt);
  }
  s->token = token;
  *result = RENEW_TOKEN_ERR_OK;
  return true;
}

void ServiceCore::armTokenExpiryLocked(const std::string& userId, Session* session, long long expiresAt) {
  const std::uint64_t gen = nextTokenGen_++;
  session->tokenGen = gen;
  session->tokenExpiresAt = expiresAt;
  // Expired from the second after expiresAt on (the verifier's `now > expiresAt`).
  const long long delayMs = std::max(0LL, (expiresAt + 1) * 1000 - nowMs());
  const int delay = static_cast<int>(std::min<long long>(delayMs, INT_MAX));  // ~24.8 days; tokens live ≤ 24 h
  startTimerLocked(delay, [userId, sessionId = session->id, gen](ServiceCore* core) {
    core->onTokenExpiryTimer(userId, sessionId, gen);
  });
}

void ServiceCore::onTokenExpiryTimer(const std::string& userId, std::uint64_t sessionId, std::uint64_t tokenGen) {
  After after;
  std::shared_ptr<SessionLink> link;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    Session* s = findLocked(userId, sessionId);
    if (s == nullptr || s->tokenGen != tokenGen) return;  // ended, renewed, or already expired
    link = tokenExpiredLocked(userId, &after);
  }
  if (link) link->onTokenExpired();
  after.run();
}

std::shared_ptr<SessionLink> ServiceCore::tokenExpiredLocked(const std::string& userId, After* after) {
  auto it = sessions_.find(userId);
  std::shared_ptr<SessionLink> link = it->second.link;
  it->second.tokenGen = nextTokenGen_++;  // disarms the timer: one expiry per token
  if (it->second.tokenVersion == 7) {
    // AccessToken2: the service ends the session; the client must log in again.
    channels_->leaveAll(userId, &after->drains);
    Session s = removeSessionLocked(userId, true, after);
    after->kicks.emplace_back(s.link, CONNECTION_CHANGE_REASON_BANNED_BY_SERVER);
    after->dropped.push_back(std::move(s));
  }
  return link;
}

// ---------------------------------------------------------------------------------------------
// Peer messages

void ServiceCore::sendPeerMessage(const std::string& userId, std::uint64_t sessionId, const std::string& peerId,
                                  std::shared_ptr<PeerMessageData> message, bool enableOfflineMessaging,
                                  ServiceConnection::PeerMessageAnswer done) {
  std::shared_ptr<Outbox> drain;  // the one outbox to empty afterwards
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    Session* sender = findLocked(userId, sessionId);
    if (sender == nullptr) return;
    message->serverReceivedTs = batchNowMs();
    peerMessages_.fetch_add(1, std::memory_order_relaxed);
    peerBytes_.fetch_add(message->text.size() + message->raw.size(), std::memory_order_relaxed);
    std::shared_ptr<const PeerMessageData> msg = std::move(message);

    auto receiver = sessions_.find(peerId);
    if (receiver != sessions_.end()) {
      // Online (or unreachable: then held until its link is back). The sender hears RECEIVED
      // once the receiver's link took the message.
      // (A weak reference: held items of two silenced sessions must not keep each other alive.)
      // A receiver that logged out while the message was on its way did not take it: the sender
      // hears what it would have for a user who is not online (found by the soak).
      // Everything the delivery needs lives in one PeerDelivery; the outbox items and the
      // `taken` answer hold it by one pointer (each fits std::function's own buffer).
      auto d = std::allocate_shared<PeerDelivery>(PooledAllocator<PeerDelivery>());  // (no malloc per message)
      d->link = receiver->second.link;
      d->senderId = userId;
      d->peerId = peerId;
      d->message = std::move(msg);
      d->senderBox = sender->out;
      if (enableOfflineMessaging) d->core = weak_from_this();  // (only to cache it if not taken)
      d->enableOfflineMessaging = enableOfflineMessaging;
      d->done = std::move(done);
      // Run by runPeerDeliveries. Inside a pump run the drain is queued for the run's end by the
      // push itself (one lock of the outbox, no reference to it taken here).
      if (receiver->second.out->pushPeer(std::move(d))) drain = receiver->second.out;
    } else {
      std::shared_ptr<Outbox> senderOut = sender->out;
      PEER_MESSAGE_ERR_CODE code = PEER_MESSAGE_ERR_PEER_UNREACHABLE;
      if (enableOfflineMessaging) {
        cacheOfflineLocked(peerId, userId, msg);
        code = PEER_MESSAGE_ERR_CACHED_BY_SERVER;
      }
      senderOut->push([done = std::move(done), code]() mutable { done(code); });
      drain = std::move(senderOut);
    }
  }
  if (drain) drain->drain();
}

PEER_MESSAGE_ERR_CODE ServiceCore::answerCode(const PeerDelivery& d, bool taken) {
  if (taken) return PEER_MESSAGE_ERR_OK;
  std::shared_ptr<ServiceCore> core = d.core.lock();
  return d.enableOfflineMessaging && core && core->cacheOffline(d.peerId, d.senderId, d.message)
             ? PEER_MESSAGE_ERR_CACHED_BY_SERVER
             : PEER_MESSAGE_ERR_PEER_UNREACHABLE;
}

void ServiceCore::peerMessageTaken(const std::shared_ptr<PeerDelivery>& d, bool taken) {
  d->code = answerCode(*d, taken);
  if (std::shared_ptr<Outbox> box = d->senderBox.lock()) {
    std::shared_ptr<PeerDelivery> answer = d;
    box->pushPeerAnswers(&answer, 1);
  }
}

void ServiceCore::cacheOfflineLocked(const std::string& peerId, const std::string& senderId,
                                     std::shared_ptr<const PeerMessageData> message) {
  std::deque<CachedMessage>& cache = offline_[peerId];
  cache.push_back(CachedMessage{senderId, std::move(message)});
  if (cache.size() > kOfflineCachePerUser) cache.pop_front();  // newest overwrites oldest
}

bool ServiceCore::cacheOffline(const std::string& peerId, const std::string& senderId,
                               std::shared_ptr<const PeerMessageData> message) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return false;
  cacheOfflineLocked(peerId, senderId, std::move(message));
  return true;
}

// ---------------------------------------------------------------------------------------------
// Fault injection

bool ServiceCore::kick(const std::string& userId, CONNECTION_CHANGE_REASON reason) {
  After after;
  {
    std::lock_guard<std::mutex> lock(mu_);
    channels_->leaveAll(userId, &after.drains);
    if (sessions_.count(userId) != 0) {
      Session s = removeSessionLocked(userId, true, &after);
      after.kicks.emplace_back(s.link, reason);
      after.dropped.push_back(std::move(s));
    } else {
      auto lim = limbo_.find(userId);
      if (lim == limbo_.end()) return false;
      after.kicks.emplace_back(lim->second.link, reason);
      after.dropped.push_back(std::move(lim->second));
      limbo_.erase(lim);
    }
  }
  after.run();
  return true;
}

bool ServiceCore::expireToken(const std::string& userId) {
  After after;
  std::shared_ptr<SessionLink> link;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (sessions_.count(userId) == 0) return false;
    link = tokenExpiredLocked(userId, &after);
  }
  if (link) link->onTokenExpired();  // before the kick of a 007 session
  after.run();
  return true;
}

bool ServiceCore::dropConnection(const std::string& userId) {
  After after;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return false;
    auto it = sessions_.find(userId);
    if (it == sessions_.end()) return limbo_.count(userId) != 0;  // already down and removed
    Session& s = it->second;
    if (s.linkDown) return true;
    s.linkDown = true;
    s.out->setUp(false);
    const std::uint64_t gen = nextDropGen_++;
    s.dropGen = gen;
    after.lost.push_back(s.link);
    if (limits_.unreachableAfterMs < limits_.offlineAfterMs) {
      startTimerLocked(limits_.unreachableAfterMs,
                       [userId, gen](ServiceCore* core) { core->onUnreachableTimer(userId, gen); });
    }
    startTimerLocked(limits_.offlineAfterMs, [userId, gen](ServiceCore* core) { core->onOfflineTimer(userId, gen); });
  }
  after.run();
  return true;
}

void ServiceCore::onUnreachableTimer(const std::string& userId, std::uint64_t dropGen) {
  After after;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    auto it = sessions_.find(userId);
    if (it == sessions_.end() || it->second.dropGen != dropGen || !it->second.linkDown) return;
    it->second.unreachable = true;
    notifyPresenceLocked(userId, &after);
  }
  after.run();
}

void ServiceCore::onOfflineTimer(const std::string& userId, std::uint64_t dropGen) {
  After after;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    auto it = sessions_.find(userId);
    if (it == sessions_.end() || it->second.dropGen != dropGen || !it->second.linkDown) return;
    // The session goes: OFFLINE for subscribers, attributes unreachable for others. It waits in
    // limbo (with what it held) until its link comes back.
    limbo_[userId] = removeSessionLocked(userId, true, &after);
    channels_->suspend(userId, &after.drains);  // others see it leave; it rejoins on restore
  }
  after.run();
}

bool ServiceCore::restoreConnection(const std::string& userId) {
  After after;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return false;
    auto it = sessions_.find(userId);
    if (it != sessions_.end()) {
      Session& s = it->second;
      if (!s.linkDown) return true;
      s.linkDown = false;
      s.dropGen = nextDropGen_++;  // the pending timers are stale now
      const bool wasUnreachable = s.unreachable;
      s.unreachable = false;
      s.out->pushFront(oneItem([link = s.link, id = s.id] { link->onConnectionRestored(id); }));
      catchUpPresenceLocked(&s, &after);
      if (s.confirmed) s.out->setUp(true);
      after.drains.push_back(s.out);
      if (wasUnreachable) notifyPresenceLocked(userId, &after);
    } else {
      auto lim = limbo_.find(userId);
      if (lim == limbo_.end()) return false;
      // The session had been removed: the client logs in again (a new session, no
      // onLoginSuccess), and restores its attributes and subscriptions, as the SDK does.
      Session s = std::move(lim->second);
      limbo_.erase(lim);
      s.id = nextSessionId_++;
      s.linkDown = false;
      s.unreachable = false;
      s.dropGen = nextDropGen_++;
      // The expiry timer named the old session id. Re-armed with the same token: one that ran
      // out while the session was away expires as soon as it is back.
      if (s.tokenVersion != 0) armTokenExpiryLocked(userId, &s, s.tokenExpiresAt);
      s.out->pushFront(oneItem([link = s.link, id = s.id] { link->onConnectionRestored(id); }));
      // Messages cached while it was offline come after the ones it held.
      for (Outbox::Item& item : takeOfflineLocked(userId, s.link)) s.out->push(std::move(item));
      std::shared_ptr<Outbox> out = s.out;
      addSessionLocked(userId, std::move(s), &after);
      catchUpPresenceLocked(&sessions_[userId], &after);
      channels_->resume(userId, out, &after.drains);
      out->setUp(true);
      after.drains.push_back(out);
    }
  }
  after.run();
  return true;
}

void ServiceCore::close(CONNECTION_CHANGE_REASON reason) {
  After after;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    for (auto& entry : sessions_) {
      after.kicks.emplace_back(entry.second.link, reason);
      after.dropped.push_back(std::move(entry.second));
    }
    for (auto& entry : limbo_) {
      after.kicks.emplace_back(entry.second.link, reason);
      after.dropped.push_back(std::move(entry.second));
    }
    sessions_.clear();
    limbo_.clear();
    watchers_.clear();
    offline_.clear();
    channels_->clear();
  }
  after.run();
}

bool ServiceCore::withSession(
    const std::string& userId, std::uint64_t sessionId,
    const std::function<void(const std::shared_ptr<Outbox>&, std::vector<std::shared_ptr<Outbox>>*)>& f) {
  After after;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return false;
    Session* s = findLocked(userId, sessionId);
    if (s == nullptr) return false;
    f(s->out, &after.drains);
  }
  after.run();
  return true;
}

std::uint64_t ServiceCore::sessionIdOf(const std::string& userId, bool* linkUp) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(userId);
  if (linkUp != nullptr) *linkUp = it != sessions_.end() && !it->second.linkDown;
  return it == sessions_.end() ? 0 : it->second.id;
}

ServiceCore::Latency ServiceCore::latencyFor(const std::string& userId) const {
  auto it = latencies_.find(userId);
  if (it == latencies_.end()) it = latencies_.find("*");
  return it == latencies_.end() ? Latency() : it->second;
}

void ServiceCore::applyLatencyLocked(const std::string& userId, Outbox* out) {
  const Latency l = latencyFor(userId);
  std::weak_ptr<ServiceCore> weak = weak_from_this();
  // Held items are released on the core's timer thread.
  out->setLatency(l.ms, l.jitterMs, [weak](int delayMs, std::function<void()> fn) {
    if (std::shared_ptr<ServiceCore> core = weak.lock()) {
      std::lock_guard<std::mutex> lock(core->mu_);
      core->startTimerLocked(delayMs, [fn = std::move(fn)](ServiceCore*) { fn(); });
    }
  });
}

void ServiceCore::setLatency(const std::string& userId, int latencyMs, int jitterMs) {
  std::vector<std::shared_ptr<Outbox>> changed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (userId == "*") latencies_.clear();  // '*' sets everyone's, overriding per-user settings
    latencies_[userId] = Latency{latencyMs, jitterMs};
    for (auto& entry : sessions_) {
      if (userId != "*" && entry.first != userId) continue;
      applyLatencyLocked(entry.first, entry.second.out.get());
      changed.push_back(entry.second.out);
    }
  }
  for (const auto& out : changed) out->drain();  // what is due under the new setting goes now
}

ServiceCore::Stats ServiceCore::stats() const {
  Stats st;
  {
    std::lock_guard<std::mutex> lock(mu_);
    st.sessions = sessions_.size();
  }
  st.channels = channels_->activeChannels();
  st.messages = peerMessages_.load(std::memory_order_relaxed) + channels_->messagesAccepted();
  st.bytes = peerBytes_.load(std::memory_order_relaxed) + channels_->bytesAccepted();
  return st;
}

std::vector<std::string> ServiceCore::users() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  out.reserve(sessions_.size());
  for (const auto& entry : sessions_) out.push_back(entry.first);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace rtm_emulator
