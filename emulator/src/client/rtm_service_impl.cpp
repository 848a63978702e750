// RtmServiceImpl, core part: setup and teardown, callback delivery, the login state machine,
// the local objects (call manager, messages, channel attributes), peer messages, and the link
// going silent and coming back. The other IRtmService requests live beside it, one file per
// area: rtm_service_requests.cpp (the pipeline they share), rtm_service_presence.cpp,
// rtm_service_user_attributes.cpp, rtm_service_channels.cpp, rtm_service_parameters.cpp.
#include "client/rtm_service_impl.h"

#include <cstdlib>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <utility>

#include "client/call_manager_impl.h"
#include "client/channel_attribute_impl.h"
#include "client/client_link.h"
#include "client/identifiers.h"
#include "transport/inproc_connection.h"
#include "client/invitation_client.h"
#include "client/message_impl.h"
#include "client/request_answers.h"
#include "client/service_anchor.h"
#include "cloud/service_registry.h"

namespace rtm_emulator {

using namespace agora::rtm;

namespace {

constexpr std::size_t kAppIdLength = 32;

std::string orEmpty(const char* s) { return s == nullptr ? std::string() : std::string(s); }

}  // namespace

RtmServiceImpl::RtmServiceImpl()
    : anchor_(std::make_shared<ServiceAnchor>(this)), serviceName_(ServiceRegistry::kDefaultName) {
  std::shared_ptr<ServiceCore> core = ServiceRegistry::instance().find(serviceName_);
  limits_ = core ? core->limits() : defaultLimits();
  // A C++ program on the drop-in library picks its service as the addon's users do.
  ServiceChoice choice;
  const char* url = std::getenv("AGORA_RTM_EMULATOR");
  if (url != nullptr && url[0] != '\0' && resolveServiceUrl(url, &choice)) adoptServiceLocked(choice);
  resetLimitersLocked();
  anchor_->invitations()->setCallbackThread(&thread_);  // call invitations use our thread
}

void RtmServiceImpl::resetLimitersLocked() {
  loginLimiter_.reset(limits_.login);
  renewTokenLimiter_.reset(limits_.renewToken);
  sendMessageLimiter_.reset(limits_.sendMessage);
  queryPeersLimiter_.reset(limits_.queryPeersOnlineStatus);
  subscribeLimiter_.reset(limits_.subscribePeersOnlineStatus);
  unsubscribeLimiter_.reset(limits_.unsubscribePeersOnlineStatus);
  querySubscriptionLimiter_.reset(limits_.queryPeersBySubscriptionOption);
  userAttributeWriteLimiter_.reset(limits_.userAttributeWrites);
  userAttributeReadLimiter_.reset(limits_.userAttributeReads);
  joinLimiter_.reset(limits_.join);
  for (auto& entry : joinSameChannelLimiters_) entry.second.reset(limits_.joinSameChannel);
  getMembersLimiter_.reset(limits_.getMembers);
  channelAttributeWriteLimiter_.reset(limits_.channelAttributeWrites);
  channelAttributeReadLimiter_.reset(limits_.channelAttributeReads);
  memberCountLimiter_.reset(limits_.getChannelMemberCount);
}

RtmServiceImpl::~RtmServiceImpl() = default;

// ---------------------------------------------------------------------------------------------
// Setup and teardown

int RtmServiceImpl::initialize(const char* appId, IRtmServiceEventHandler* eventHandler) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  // The SDK checks the length only: any 32 characters pass. Observed: this check comes first,
  // also on a service already initialized.
  if (appId == nullptr || std::strlen(appId) != kAppIdLength) return INIT_ERR_INVALID_APP_ID;
  if (initialized_) return INIT_ERR_ALREADY_INITIALIZED;
  if (eventHandler == nullptr) return INIT_ERR_INVALID_ARGUMENT;
  // Without its callback thread the service could answer nothing: fail as a service that cannot
  // start does, and stay uninitialized, so a later initialize may succeed.
  if (!thread_.start()) return INIT_ERR_FAILURE;
  appId_ = appId;
  if (std::find(handlers_->begin(), handlers_->end(), eventHandler) == handlers_->end()) {
    HandlerList list = *handlers_;
    list.push_back(eventHandler);
    setHandlersLocked(std::move(list));
  }
  initialized_ = true;
  return INIT_ERR_OK;
}

void RtmServiceImpl::addEventHandler(IRtmServiceEventHandler* eventHandler) {
  if (eventHandler == nullptr) return;
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (std::find(handlers_->begin(), handlers_->end(), eventHandler) == handlers_->end()) {
    HandlerList list = *handlers_;
    list.push_back(eventHandler);
    setHandlersLocked(std::move(list));
  }
}

void RtmServiceImpl::removeEventHandler(IRtmServiceEventHandler* eventHandler) {
  // The real SDK crashes when this is called on a service whose initialize failed or was never
  // called (rtm-abi.md §8.2); the emulator stays safe: there is no handler, so nothing happens.
  std::lock_guard<AdaptiveMutex> lock(mu_);
  HandlerList list = *handlers_;
  list.erase(std::remove(list.begin(), list.end(), eventHandler), list.end());
  if (list.size() != handlers_->size()) setHandlersLocked(std::move(list));
}

void RtmServiceImpl::release(bool /*sync*/) {
  // sync is not documented; both forms detach from the service and stop the callback thread
  // before returning, so no callback is made afterwards.
  std::shared_ptr<ClientLink> link;
  std::shared_ptr<ServiceConnection> connection;
  std::uint64_t sessionId = 0;
  std::string userId;
  {
    std::lock_guard<AdaptiveMutex> lock(mu_);
    if (released_) return;
    released_ = true;
    ++epoch_;
    link = std::move(link_);
    connection = connection_;
    sessionId = sessionId_;
    sessionId_ = 0;
    userId = userId_;
    state_ = CONNECTION_STATE_DISCONNECTED;
    dropRequestsLocked();
    setHandlersLocked(HandlerList());
  }
  if (link) link->detach();                          // nothing from the service reaches us now
  if (sessionId != 0 && connection) connection->logout(userId, sessionId);  // the user goes offline
  anchor_->detach();                                 // channels / call manager stop reaching us
  pumpThread_.stop();                                // (inline requests) waits for a pump run
  thread_.stop();                                    // joins, or detaches when called from it
  delete this;
}

// ---------------------------------------------------------------------------------------------
// Callback delivery

void RtmServiceImpl::emitLocked(HandlerCall call) {
  thread_.post([this, call = std::move(call)] { deliver(call); });
}

void RtmServiceImpl::emitStateLocked(CONNECTION_STATE state, CONNECTION_CHANGE_REASON reason) {
  emitLocked([state, reason](IRtmServiceEventHandler* h) { h->onConnectionStateChanged(state, reason); });
}

void RtmServiceImpl::deliver(const HandlerCall& call) { deliverEach(call); }

template <typename Call>
void RtmServiceImpl::deliverEach(const Call& call) {
  const std::uint64_t version = handlersVersion_.load(std::memory_order_acquire);
  if (version != strandHandlersVersion_) {
    std::lock_guard<AdaptiveMutex> lock(mu_);
    strandHandlers_ = handlers_;
    strandHandlersVersion_ = handlersVersion_.load(std::memory_order_relaxed);
  }
  // Our own reference: a handler may release this service (then strandHandlers_ is gone too).
  const std::shared_ptr<const HandlerList> handlers = strandHandlers_;
  const std::uint64_t seen = strandHandlersVersion_;
  bool first = true;
  for (IRtmServiceEventHandler* h : *handlers) {
    // A handler may have released this service (then `this` is gone: test before touching it)
    // or removed a handler that comes later in the list. (The first one was in the list just now.)
    if (CallbackThread::stopRequestedOnCurrentThread()) return;
    if (!first && handlersVersion_.load(std::memory_order_acquire) != seen) {
      std::lock_guard<AdaptiveMutex> lock(mu_);
      if (std::find(handlers_->begin(), handlers_->end(), h) == handlers_->end()) continue;
    }
    first = false;
    call(h);
  }
}

// ---------------------------------------------------------------------------------------------
// Login state machine

bool RtmServiceImpl::loggedInLocked() const {
  return state_ == CONNECTION_STATE_CONNECTING || state_ == CONNECTION_STATE_CONNECTED ||
         state_ == CONNECTION_STATE_RECONNECTING;
}

int RtmServiceImpl::loginGateLocked() const {
  if (!initialized_) return kNotInitialized;
  if (!loggedInLocked()) return kNotLoggedIn;
  return 0;
}

int RtmServiceImpl::loginGate() const {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  return loginGateLocked();
}

int RtmServiceImpl::login(const char* token, const char* userId) {
  std::shared_ptr<ClientLink> oldLink;
  {
    std::lock_guard<AdaptiveMutex> lock(mu_);
    if (!initialized_) return LOGIN_ERR_NOT_INITIALIZED;
    if (!isValidUserId(userId)) return LOGIN_ERR_INVALID_ARGUMENT;
    if (!loginLimiter_.tryAcquire()) return LOGIN_ERR_TOO_OFTEN;
    if (state_ != CONNECTION_STATE_DISCONNECTED) {
      // CONNECTING, CONNECTED, RECONNECTING, ABORTED: accepted, then refused asynchronously.
      emitLocked([](IRtmServiceEventHandler* h) { h->onLoginFailure(LOGIN_ERR_ALREADY_LOGGED_IN); });
      return LOGIN_ERR_OK;
    }

    state_ = CONNECTION_STATE_CONNECTING;
    const std::uint64_t epoch = ++epoch_;
    userId_ = userId;
    token_ = orEmpty(token);
    sessionId_ = 0;
    oldLink = std::move(link_);
    link_ = std::make_shared<ClientLink>(this, epoch);
    connection_ = connectLocked();
    emitStateLocked(CONNECTION_STATE_CONNECTING, CONNECTION_CHANGE_REASON_LOGIN);

    // Talk to the service from the callback thread, after login() has returned. The task holds
    // only the link and the connection, never `this`.
    thread_.post([link = link_, connection = connection_, app = appId_, uid = userId_, tok = token_] {
      if (!link->attached()) return;  // logged out or released before the request went out
      // When nobody takes the answer any more (logout or release came first), the service
      // ends the session it opened.
      connection->login(app, uid, tok, link,
                        [link](const LoginAnswer& answer) { return link->deliverLoginAnswer(answer); });
    });
    thread_.postAfter(std::chrono::milliseconds(limits_.loginTimeoutMs), [this, epoch] { handleLoginTimeout(epoch); });
  }
  if (oldLink) oldLink->detach();
  return LOGIN_ERR_OK;
}

bool RtmServiceImpl::handleLoginAnswer(std::uint64_t epoch, const LoginAnswer& answer) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (released_ || epoch != epoch_ || state_ != CONNECTION_STATE_CONNECTING) return false;
  if (answer.code == LOGIN_ERR_OK) {
    state_ = CONNECTION_STATE_CONNECTED;
    sessionId_ = answer.sessionId;
    // Success: the state change first, then the result.
    emitStateLocked(CONNECTION_STATE_CONNECTED, CONNECTION_CHANGE_REASON_LOGIN_SUCCESS);
    emitLocked([](IRtmServiceEventHandler* h) { h->onLoginSuccess(); });
    flushDeferredLocked();  // requests made while CONNECTING go out now
    anchor_->invitations()->sessionStarted(connection_, limits_, userId_, sessionId_);
  } else {
    state_ = CONNECTION_STATE_DISCONNECTED;
    ++epoch_;
    dropRequestsLocked();
    const LOGIN_ERR_CODE code = answer.code;
    // Failure: the result first, then the state change (as observed for the timeout).
    emitLocked([code](IRtmServiceEventHandler* h) { h->onLoginFailure(code); });
    emitStateLocked(CONNECTION_STATE_DISCONNECTED, CONNECTION_CHANGE_REASON_LOGIN_FAILURE);
  }
  return true;
}

void RtmServiceImpl::handleLoginTimeout(std::uint64_t epoch) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (released_ || epoch != epoch_ || state_ != CONNECTION_STATE_CONNECTING) return;
  state_ = CONNECTION_STATE_DISCONNECTED;
  ++epoch_;  // a late answer is now stale and its session gets closed by the service
  dropRequestsLocked();
  emitLocked([](IRtmServiceEventHandler* h) { h->onLoginFailure(LOGIN_ERR_TIMEOUT); });
  emitStateLocked(CONNECTION_STATE_DISCONNECTED, CONNECTION_CHANGE_REASON_LOGIN_TIMEOUT);
}

void RtmServiceImpl::handleKicked(std::uint64_t epoch, CONNECTION_CHANGE_REASON reason) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (released_ || epoch != epoch_ || !loggedInLocked()) return;
  // The service has already dropped the session; the app must logout() before login() again.
  state_ = CONNECTION_STATE_ABORTED;
  sessionId_ = 0;
  ++epoch_;
  linkDown_ = false;
  // Nothing more goes out; what is pending times out (SENT_TIMEOUT etc.), as the SDK reports
  // requests that the service never answered.
  deferred_.clear();
  pending_.forEach([this](std::uint64_t key, Pending& pending) {
    if (!pending.armed) armLocked(key, &pending);
  });
  resetChannelsLocked();  // the service removed the user from its channels
  emitStateLocked(CONNECTION_STATE_ABORTED, reason);
  anchor_->invitations()->sessionEnded();  // invitations in flight fail (after the state change)
}

void RtmServiceImpl::handleTokenExpired(std::uint64_t epoch) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  // While RECONNECTING too (rtm-semantics.md §4: it fires once, the state stays).
  if (released_ || epoch != epoch_ ||
      (state_ != CONNECTION_STATE_CONNECTED && state_ != CONNECTION_STATE_RECONNECTING)) {
    return;
  }
  emitLocked([](IRtmServiceEventHandler* h) { h->onTokenExpired(); });
}

int RtmServiceImpl::logout() {
  std::shared_ptr<ClientLink> link;
  std::shared_ptr<ServiceConnection> connection;
  std::uint64_t sessionId = 0;
  std::string userId;
  {
    std::lock_guard<AdaptiveMutex> lock(mu_);
    if (!initialized_) return LOGOUT_ERR_NOT_INITIALIZED;
    if (state_ == CONNECTION_STATE_DISCONNECTED) {
      // Observed: accepted, then refused asynchronously.
      emitLocked([](IRtmServiceEventHandler* h) { h->onLogout(LOGOUT_ERR_USER_NOT_LOGGED_IN); });
      return LOGOUT_ERR_OK;
    }
    const bool connecting = state_ == CONNECTION_STATE_CONNECTING;
    state_ = CONNECTION_STATE_DISCONNECTED;
    ++epoch_;
    dropRequestsLocked();
    link = std::move(link_);
    connection = connection_;
    sessionId = sessionId_;
    sessionId_ = 0;
    userId = userId_;
    if (connecting) {
      // Observed while the login is pending: the result first, then the state change.
      emitLocked([](IRtmServiceEventHandler* h) { h->onLogout(LOGOUT_ERR_OK); });
      emitStateLocked(CONNECTION_STATE_DISCONNECTED, CONNECTION_CHANGE_REASON_LOGOUT);
    } else {
      emitStateLocked(CONNECTION_STATE_DISCONNECTED, CONNECTION_CHANGE_REASON_LOGOUT);
      emitLocked([](IRtmServiceEventHandler* h) { h->onLogout(LOGOUT_ERR_OK); });
    }
    anchor_->invitations()->sessionEnded();  // invitations in flight fail (after onLogout)
  }
  if (link) link->detach();
  if (sessionId != 0 && connection) connection->logout(userId, sessionId);
  return LOGOUT_ERR_OK;
}

int RtmServiceImpl::renewToken(const char* token) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (!initialized_) return RENEW_TOKEN_ERR_NOT_INITIALIZED;
  if (!loggedInLocked()) return RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN;
  if (token == nullptr || token[0] == '\0') return RENEW_TOKEN_ERR_INVALID_ARGUMENT;  // observed
  if (!renewTokenLimiter_.tryAcquire()) return RENEW_TOKEN_ERR_TOO_OFTEN;
  // Queued behind the login request: while CONNECTING it is processed once the login is
  // answered; if the login fails it is dropped without a callback, as observed.
  thread_.post([this, epoch = epoch_, tok = orEmpty(token)] { processRenewToken(epoch, tok); });
  return RENEW_TOKEN_ERR_OK;
}

void RtmServiceImpl::processRenewToken(std::uint64_t epoch, const std::string& token) {
  std::shared_ptr<ClientLink> link;
  std::shared_ptr<ServiceConnection> connection;
  std::string userId;
  std::uint64_t sessionId = 0;
  {
    std::lock_guard<AdaptiveMutex> lock(mu_);
    if (released_ || epoch != epoch_ || state_ != CONNECTION_STATE_CONNECTED) return;
    link = link_;
    connection = connection_;
    userId = userId_;
    sessionId = sessionId_;
  }
  connection->renewToken(userId, sessionId, token, [link, token](RENEW_TOKEN_ERR_CODE code) {
    link->deliverRenewTokenResult(token, code);
  });
}

void RtmServiceImpl::handleRenewTokenResult(std::uint64_t epoch, const std::string& token, RENEW_TOKEN_ERR_CODE code) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (released_ || epoch != epoch_) return;
  if (code == RENEW_TOKEN_ERR_OK) token_ = token;
  emitLocked([token, code](IRtmServiceEventHandler* h) { h->onRenewTokenResult(token.c_str(), code); });
}

// ---------------------------------------------------------------------------------------------
// Local objects


IRtmCallManager* RtmServiceImpl::getRtmCallManager(IRtmCallEventHandler* eventHandler) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (callManager_ == nullptr) {
    callManager_ = new CallManagerImpl(anchor_, eventHandler);
  } else if (eventHandler != nullptr) {
    callManager_->setEventHandler(eventHandler);
  }
  return callManager_;
}

void RtmServiceImpl::forgetCallManager(CallManagerImpl* manager) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (callManager_ == manager) callManager_ = nullptr;
}

IMessage* RtmServiceImpl::createMessage() { return MessageImpl::makeText(nextId(), std::string()); }

IMessage* RtmServiceImpl::createMessage(const char* message) { return MessageImpl::makeText(nextId(), orEmpty(message)); }

IMessage* RtmServiceImpl::createMessage(const uint8_t* rawData, int length) {
  return MessageImpl::makeRaw(nextId(), rawData, length, std::string());
}

IMessage* RtmServiceImpl::createMessage(const uint8_t* rawData, int length, const char* description) {
  return MessageImpl::makeRaw(nextId(), rawData, length, orEmpty(description));
}

IRtmChannelAttribute* RtmServiceImpl::createChannelAttribute() { return new ChannelAttributeImpl(); }


// ---------------------------------------------------------------------------------------------
// Peer messages

int RtmServiceImpl::sendMessageToPeer(const char* peerId, const IMessage* message) {
  return sendMessageToPeer(peerId, message, SendMessageOptions());
}

int RtmServiceImpl::sendMessageToPeer(const char* peerId, const IMessage* message, const SendMessageOptions& options) {
  // The caller may release its message as soon as this returns: copy it now, before taking the
  // lock (the longest part of the call; the callback strand wants the lock too). Its checks still
  // answer after the login state's, as the SDK's do.
  // (Pooled: made here, released on the receiver's strand, it comes back with its text's buffer
  // instead of two mallocs here and two cross-thread frees there per message.)
  std::shared_ptr<PeerMessageData> data = makeOutgoingMessageData();
  const bool validMessage = copyOutgoingMessage(message, data.get());
  const bool validPeer = isValidUserId(peerId);
  std::string peer = validPeer ? std::string(peerId) : std::string();
  std::unique_lock<AdaptiveMutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  if (!validMessage) return PEER_MESSAGE_ERR_INVALID_MESSAGE;
  if (!validPeer) return PEER_MESSAGE_ERR_INVALID_USERID;
  if (!sendMessageLimiter_.tryAcquire()) return PEER_MESSAGE_ERR_TOO_OFTEN;

  const long long id = data->messageId;
  const bool offline = options.enableOfflineMessaging;
  const bool batchable = peer != userId_;  // to oneself: the delivery is a callback of ours too
  submitLocked(
      limits_.peerMessageTimeoutMs,
      [id](IRtmServiceEventHandler* h) { h->onSendMessageResult(id, PEER_MESSAGE_ERR_SENT_TIMEOUT); },
      [id, offline, peer = std::move(peer), data](const SessionContext& c, std::uint64_t key) {
        c.connection->sendPeerMessage(c.userId, c.sessionId, peer, data, offline,
                                      answerTo(c.link, key, [id](PEER_MESSAGE_ERR_CODE code) {
                                        return RtmServiceImpl::HandlerCall(
                                            [id, code](IRtmServiceEventHandler* h) { h->onSendMessageResult(id, code); });
                                      }));
      },
      batchable, Caller::kAppSendInline);
  if (!pumpClaimed_) return PEER_MESSAGE_ERR_OK;
  pumpClaimed_ = false;
  lock.unlock();
  runClaimedPump();  // nothing of this object is touched after it (release() may be waiting)
  return PEER_MESSAGE_ERR_OK;
}

bool RtmServiceImpl::handlePeerMessages(std::uint64_t epoch, const SessionLink::PeerMessageRef* messages,
                                        std::size_t n, bool* taken) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  const bool take = !released_ && epoch == epoch_ &&
                    (state_ == CONNECTION_STATE_CONNECTED || state_ == CONNECTION_STATE_RECONNECTING);
  for (std::size_t i = 0; i < n; ++i) taken[i] = take;
  if (!take) return false;
  // Claimed under mu_: whatever this client posts after (a logout's state change) comes after them.
  if (inlineCallbacks_ && thread_.claimIdle()) return true;
  // One task per message (a handler may release us between two), handed over with one lock.
  constexpr std::size_t kChunk = 32;
  CallbackThread::Task tasks[kChunk];
  for (std::size_t i = 0; i < n; i += kChunk) {
    const std::size_t m = std::min(kChunk, n - i);
    for (std::size_t k = 0; k < m; ++k) {
      const SessionLink::PeerMessageRef& r = messages[i + k];
      tasks[k] = peerMessageTask(*r.senderId, *r.message, r.offline);
    }
    thread_.post(tasks, m);
  }
  return false;
}

void RtmServiceImpl::deliverClaimedPeerMessages(const SessionLink::PeerMessageRef* messages, std::size_t n) {
  const CallbackThread::ClaimedRun run(thread_);
  for (std::size_t i = 0; i < n; ++i) {
    // A handler released this service: `this` is gone.
    if (CallbackThread::stopRequestedOnCurrentThread()) return;
    deliverPeerMessage(*messages[i].senderId, **messages[i].message, messages[i].offline);
  }
}

CallbackThread::Task RtmServiceImpl::peerMessageTask(const std::string& senderId,
                                                     const std::shared_ptr<const PeerMessageData>& message,
                                                     bool offline) {
  // Straight onto the callback strand (no HandlerCall in between: the task fits InlineTask).
  // (Init-captures: a copy-captured const& would be a const member, which makes the task not
  // nothrow-movable, and InlineTask would put it on the heap.)
  return [this, senderId = std::string(senderId), message = message, offline] {
    deliverPeerMessage(senderId, *message, offline);
  };
}

void RtmServiceImpl::deliverPeerMessage(const std::string& senderId, const PeerMessageData& message, bool offline) {
  deliverEach([&](IRtmServiceEventHandler* h) {
    // The received IMessage lives for the duration of the callback only.
    const ReceivedMessage m(message, offline);
    h->onMessageReceivedFromPeer(senderId.c_str(), &m);
  });
}


// ---------------------------------------------------------------------------------------------
// The link going silent and coming back (fault injection)

void RtmServiceImpl::handleConnectionLost(std::uint64_t epoch) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (released_ || epoch != epoch_ || linkDown_) return;
  if (state_ != CONNECTION_STATE_CONNECTED && state_ != CONNECTION_STATE_RECONNECTING) return;
  linkDown_ = true;
  const std::uint64_t seq = ++dropSeq_;
  thread_.postAfter(std::chrono::milliseconds(limits_.interruptedAfterMs),
                    [this, epoch, seq] { handleInterrupted(epoch, seq); });
}

void RtmServiceImpl::handleInterrupted(std::uint64_t epoch, std::uint64_t dropSeq) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (released_ || epoch != epoch_ || dropSeq != dropSeq_ || !linkDown_) return;
  if (state_ != CONNECTION_STATE_CONNECTED) return;
  state_ = CONNECTION_STATE_RECONNECTING;
  emitStateLocked(CONNECTION_STATE_RECONNECTING, CONNECTION_CHANGE_REASON_INTERRUPTED);
}

void RtmServiceImpl::handleConnectionRestored(std::uint64_t epoch, std::uint64_t sessionId) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (released_ || epoch != epoch_) return;
  if (state_ != CONNECTION_STATE_CONNECTED && state_ != CONNECTION_STATE_RECONNECTING) return;
  sessionId_ = sessionId;  // a new one when the service had removed the session meanwhile
  linkDown_ = false;
  ++dropSeq_;
  if (state_ == CONNECTION_STATE_RECONNECTING) {
    // Reconnected: the state change only, no onLoginSuccess.
    state_ = CONNECTION_STATE_CONNECTED;
    emitStateLocked(CONNECTION_STATE_CONNECTED, CONNECTION_CHANGE_REASON_LOGIN_SUCCESS);
  }
  flushDeferredLocked();
  anchor_->invitations()->sessionStarted(connection_, limits_, userId_, sessionId_);  // maybe a new session
}

}  // namespace rtm_emulator
