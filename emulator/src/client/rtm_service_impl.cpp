#include "client/rtm_service_impl.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <unordered_set>
#include <utility>

#include "client/call_manager_impl.h"
#include "client/channel_attribute_impl.h"
#include "client/channel_impl.h"
#include "client/client_link.h"
#include "client/identifiers.h"
#include "transport/inproc_connection.h"
#include "client/invitation_client.h"
#include "common/json.h"
#include "client/message_impl.h"
#include "common/rules.h"
#include "client/service_anchor.h"
#include "cloud/service_registry.h"

namespace rtm_emulator {

using namespace agora::rtm;

namespace {

constexpr std::size_t kAppIdLength = 32;
constexpr int kMinLogFileSizeKb = 512;
constexpr int kMaxLogFileSizeKb = 10 * 1024;
constexpr int kSetParametersInvalid = -2;
constexpr int kSetParametersNotInitialized = -7;
constexpr int kLogSettingRefused = -1;
constexpr const char kUrlParameter[] = "rtm.emulator.url";

std::string orEmpty(const char* s) { return s == nullptr ? std::string() : std::string(s); }

}  // namespace

RtmServiceImpl::RtmServiceImpl()
    : anchor_(std::make_shared<ServiceAnchor>(this)), serviceName_(ServiceRegistry::kDefaultName) {
  std::shared_ptr<ServiceCore> core = ServiceRegistry::instance().find(serviceName_);
  limits_ = core ? core->limits() : defaultLimits();
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
  std::lock_guard<std::mutex> lock(mu_);
  // The SDK checks the length only: any 32 characters pass. Observed: this check comes first,
  // also on a service already initialized.
  if (appId == nullptr || std::strlen(appId) != kAppIdLength) return INIT_ERR_INVALID_APP_ID;
  if (initialized_) return INIT_ERR_ALREADY_INITIALIZED;
  if (eventHandler == nullptr) return INIT_ERR_INVALID_ARGUMENT;
  // Without its callback thread the service could answer nothing: fail as a service that cannot
  // start does, and stay uninitialized, so a later initialize may succeed.
  if (!thread_.start()) return INIT_ERR_FAILURE;
  appId_ = appId;
  if (std::find(handlers_.begin(), handlers_.end(), eventHandler) == handlers_.end()) {
    handlers_.push_back(eventHandler);
  }
  initialized_ = true;
  return INIT_ERR_OK;
}

void RtmServiceImpl::addEventHandler(IRtmServiceEventHandler* eventHandler) {
  if (eventHandler == nullptr) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (std::find(handlers_.begin(), handlers_.end(), eventHandler) == handlers_.end()) {
    handlers_.push_back(eventHandler);
  }
}

void RtmServiceImpl::removeEventHandler(IRtmServiceEventHandler* eventHandler) {
  // The real SDK crashes when this is called on a service whose initialize failed or was never
  // called (rtm-abi.md §8.2); the emulator stays safe: there is no handler, so nothing happens.
  std::lock_guard<std::mutex> lock(mu_);
  handlers_.erase(std::remove(handlers_.begin(), handlers_.end(), eventHandler), handlers_.end());
}

void RtmServiceImpl::release(bool /*sync*/) {
  // sync is not documented; both forms detach from the service and stop the callback thread
  // before returning, so no callback is made afterwards.
  std::shared_ptr<ClientLink> link;
  std::shared_ptr<ServiceConnection> connection;
  std::uint64_t sessionId = 0;
  std::string userId;
  {
    std::lock_guard<std::mutex> lock(mu_);
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
    handlers_.clear();
  }
  if (link) link->detach();                          // nothing from the service reaches us now
  if (sessionId != 0 && connection) connection->logout(userId, sessionId);  // the user goes offline
  anchor_->detach();                                 // channels / call manager stop reaching us
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

void RtmServiceImpl::deliver(const HandlerCall& call) {
  std::vector<IRtmServiceEventHandler*> handlers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    handlers = handlers_;
  }
  for (IRtmServiceEventHandler* h : handlers) {
    // A handler may have released this service (then `this` is gone: test before touching it)
    // or removed a handler that comes later in the list.
    if (CallbackThread::stopRequestedOnCurrentThread()) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (std::find(handlers_.begin(), handlers_.end(), h) == handlers_.end()) continue;
    }
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
  std::lock_guard<std::mutex> lock(mu_);
  return loginGateLocked();
}

int RtmServiceImpl::login(const char* token, const char* userId) {
  std::shared_ptr<ClientLink> oldLink;
  {
    std::lock_guard<std::mutex> lock(mu_);
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
    connection_ = makeInProcessConnection(ServiceRegistry::instance().find(serviceName_));
    emitStateLocked(CONNECTION_STATE_CONNECTING, CONNECTION_CHANGE_REASON_LOGIN);

    // Talk to the service from the callback thread, after login() has returned. The task holds
    // only the link and the connection, never `this`.
    thread_.post([link = link_, connection = connection_, uid = userId_, tok = token_] {
      if (!link->attached()) return;  // logged out or released before the request went out
      // When nobody takes the answer any more (logout or release came first), the service
      // ends the session it opened.
      connection->login(uid, tok, link, [link](const LoginAnswer& answer) { return link->deliverLoginAnswer(answer); });
    });
    thread_.postAfter(std::chrono::milliseconds(limits_.loginTimeoutMs), [this, epoch] { handleLoginTimeout(epoch); });
  }
  if (oldLink) oldLink->detach();
  return LOGIN_ERR_OK;
}

bool RtmServiceImpl::handleLoginAnswer(std::uint64_t epoch, const LoginAnswer& answer) {
  std::lock_guard<std::mutex> lock(mu_);
  if (released_ || epoch != epoch_ || state_ != CONNECTION_STATE_CONNECTING) return false;
  if (answer.code == LOGIN_ERR_OK) {
    state_ = CONNECTION_STATE_CONNECTED;
    sessionId_ = answer.sessionId;
    // Success: the state change first, then the result.
    emitStateLocked(CONNECTION_STATE_CONNECTED, CONNECTION_CHANGE_REASON_LOGIN_SUCCESS);
    emitLocked([](IRtmServiceEventHandler* h) { h->onLoginSuccess(); });
    flushDeferredLocked();  // requests made while CONNECTING go out now
    anchor_->invitations()->sessionStarted(serviceName_, userId_, sessionId_);
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
  std::lock_guard<std::mutex> lock(mu_);
  if (released_ || epoch != epoch_ || state_ != CONNECTION_STATE_CONNECTING) return;
  state_ = CONNECTION_STATE_DISCONNECTED;
  ++epoch_;  // a late answer is now stale and its session gets closed by the service
  dropRequestsLocked();
  emitLocked([](IRtmServiceEventHandler* h) { h->onLoginFailure(LOGIN_ERR_TIMEOUT); });
  emitStateLocked(CONNECTION_STATE_DISCONNECTED, CONNECTION_CHANGE_REASON_LOGIN_TIMEOUT);
}

void RtmServiceImpl::handleKicked(std::uint64_t epoch, CONNECTION_CHANGE_REASON reason) {
  std::lock_guard<std::mutex> lock(mu_);
  if (released_ || epoch != epoch_ || !loggedInLocked()) return;
  // The service has already dropped the session; the app must logout() before login() again.
  state_ = CONNECTION_STATE_ABORTED;
  sessionId_ = 0;
  ++epoch_;
  linkDown_ = false;
  // Nothing more goes out; what is pending times out (SENT_TIMEOUT etc.), as the SDK reports
  // requests that the service never answered.
  deferred_.clear();
  for (auto& entry : pending_) {
    if (!entry.second.armed) armLocked(entry.first, &entry.second);
  }
  resetChannelsLocked();  // the service removed the user from its channels
  emitStateLocked(CONNECTION_STATE_ABORTED, reason);
  anchor_->invitations()->sessionEnded();  // invitations in flight fail (after the state change)
}

void RtmServiceImpl::handleTokenExpired(std::uint64_t epoch) {
  std::lock_guard<std::mutex> lock(mu_);
  if (released_ || epoch != epoch_ || state_ != CONNECTION_STATE_CONNECTED) return;
  emitLocked([](IRtmServiceEventHandler* h) { h->onTokenExpired(); });
}

int RtmServiceImpl::logout() {
  std::shared_ptr<ClientLink> link;
  std::shared_ptr<ServiceConnection> connection;
  std::uint64_t sessionId = 0;
  std::string userId;
  {
    std::lock_guard<std::mutex> lock(mu_);
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
  std::lock_guard<std::mutex> lock(mu_);
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
    std::lock_guard<std::mutex> lock(mu_);
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
  std::lock_guard<std::mutex> lock(mu_);
  if (released_ || epoch != epoch_) return;
  if (code == RENEW_TOKEN_ERR_OK) token_ = token;
  emitLocked([token, code](IRtmServiceEventHandler* h) { h->onRenewTokenResult(token.c_str(), code); });
}

// ---------------------------------------------------------------------------------------------
// Local objects


IRtmCallManager* RtmServiceImpl::getRtmCallManager(IRtmCallEventHandler* eventHandler) {
  std::lock_guard<std::mutex> lock(mu_);
  if (callManager_ == nullptr) {
    callManager_ = new CallManagerImpl(anchor_, eventHandler);
  } else if (eventHandler != nullptr) {
    callManager_->setEventHandler(eventHandler);
  }
  return callManager_;
}

void RtmServiceImpl::forgetCallManager(CallManagerImpl* manager) {
  std::lock_guard<std::mutex> lock(mu_);
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
// Parameters and logging

int RtmServiceImpl::setParameters(const char* parameters) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!initialized_) return kSetParametersNotInitialized;  // observed
  }
  JsonValue root;
  if (parameters == nullptr || !parseJson(parameters, &root, nullptr) || !root.isObject()) return kSetParametersInvalid;

  std::shared_ptr<ServiceCore> chosen;
  for (const auto& m : root.members()) {
    if (m.first != kUrlParameter) continue;  // other (private) options: accepted and ignored
    std::string name;
    if (!m.second.isString() || !parseInProcessUrl(m.second.asString(), &name)) return kSetParametersInvalid;
    chosen = ServiceRegistry::instance().find(name);
    if (!chosen) return kSetParametersInvalid;
  }
  if (chosen) {
    std::lock_guard<std::mutex> lock(mu_);
    if (state_ != CONNECTION_STATE_DISCONNECTED) return kSetParametersInvalid;  // only before login
    serviceName_ = chosen->name();
    limits_ = chosen->limits();
    resetLimitersLocked();
  }
  return 0;
}

int RtmServiceImpl::setLogFile(const char* logfile) {
  // Observed: NULL, "" and a directory are refused; a path in a missing directory is accepted.
  // (The emulator writes no log; it only remembers the path.)
  if (logfile == nullptr || logfile[0] == '\0') return kLogSettingRefused;
  struct stat st;
  if (::stat(logfile, &st) == 0 && S_ISDIR(st.st_mode)) return kLogSettingRefused;
  std::lock_guard<std::mutex> lock(mu_);
  logFile_ = logfile;
  return 0;
}

int RtmServiceImpl::setLogFilter(LOG_FILTER_TYPE filter) {
  std::lock_guard<std::mutex> lock(mu_);
  logFilter_ = filter;
  return 0;
}

int RtmServiceImpl::setLogFileSize(int fileSizeInKBytes) {
  if (fileSizeInKBytes <= 0) return kLogSettingRefused;  // observed: 0 and -1 are refused
  std::lock_guard<std::mutex> lock(mu_);
  // Observed: other out-of-range sizes are raised to the 512 KB minimum rather than refused.
  logFileSizeKb_ = std::min(std::max(fileSizeInKBytes, kMinLogFileSizeKb), kMaxLogFileSizeKb);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Requests that need a session: queueing, timeouts, answers

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
    std::lock_guard<std::mutex> lock(mu_);
    if (released_ || epoch != epoch_) return;
    if (state_ != CONNECTION_STATE_CONNECTED && state_ != CONNECTION_STATE_RECONNECTING) return;
    if (pending_.count(key) == 0) return;  // timed out while waiting
    context.link = link_;
    context.connection = connection_;
    context.userId = userId_;
    context.sessionId = sessionId_;
  }
  run(context, key);  // in-process, the answer usually comes back before this returns
  std::lock_guard<std::mutex> lock(mu_);
  auto it = pending_.find(key);
  if (it != pending_.end() && !it->second.armed) armLocked(key, &it->second);
}

void RtmServiceImpl::armLocked(std::uint64_t key, Pending* pending) {
  pending->armed = true;
  thread_.postAfter(std::chrono::milliseconds(pending->timeoutMs), [this, key] { handleRequestTimeout(key); });
}

void RtmServiceImpl::handleRequestTimeout(std::uint64_t key) {
  std::lock_guard<std::mutex> lock(mu_);
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
  std::lock_guard<std::mutex> lock(mu_);
  if (released_ || epoch != epoch_) return;
  if (pending_.erase(key) == 0) return;  // timed out already
  emitLocked(std::move(result));
}

namespace {

// Builds the function that delivers a service answer to the client as the result of `key`.
template <typename MakeCall>
auto answerTo(const std::shared_ptr<ClientLink>& link, std::uint64_t key, MakeCall makeCall) {
  return [link, key, makeCall](auto&&... args) {
    RtmServiceImpl::HandlerCall call = makeCall(args...);
    link->forward([&](RtmServiceImpl& client, std::uint64_t epoch) { client.completeRequest(epoch, key, std::move(call)); });
  };
}

// Peer ids of a presence call: 1..maxCount ids, each a valid user id; duplicates dropped.
// Returns 0, or the failing check: 1 = bad count or id (INVALID_ARGUMENT), 2 = too many.
int collectPeerIds(const char* peerIds[], int peerCount, int maxCount, std::vector<std::string>* out) {
  if (peerCount <= 0 || peerIds == nullptr) return 1;
  for (int i = 0; i < peerCount; ++i) {
    if (!isValidUserId(peerIds[i])) return 1;
  }
  std::unordered_set<std::string> seen;
  for (int i = 0; i < peerCount; ++i) {
    if (seen.insert(peerIds[i]).second) out->emplace_back(peerIds[i]);
  }
  return out->size() > static_cast<std::size_t>(maxCount) ? 2 : 0;
}

std::vector<PeerOnlineStatus> toStatusArray(const std::vector<PeerStatusData>& statuses) {
  std::vector<PeerOnlineStatus> out(statuses.size());
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    out[i].peerId = statuses[i].peerId.c_str();
    out[i].onlineState = statuses[i].state;
    out[i].isOnline = statuses[i].state == PEER_ONLINE_STATE_ONLINE;
  }
  return out;
}

// Attributes of a local-user write: what the arguments alone show (see AttributeCheck). The
// call's own pairs are also checked against the per-user totals (a set replaces everything; an
// addOrUpdate that alone exceeds them cannot succeed).
AttributeCheck collectAttributes(const RtmAttribute* attributes, int count, AttributeList* out) {
  if (count <= 0 || attributes == nullptr) return AttributeCheck::kBadList;
  for (int i = 0; i < count; ++i) {
    if (!isValidAttributeKey(attributes[i].key)) return AttributeCheck::kBadItem;
    if (attributes[i].value == nullptr || attributes[i].value[0] == '\0') return AttributeCheck::kBadItem;
  }
  AttributeList merged;
  for (int i = 0; i < count; ++i) {
    if (std::strlen(attributes[i].value) > kMaxAttributeValueBytes) return AttributeCheck::kOverflow;
    bool replaced = false;
    for (auto& kv : merged) {
      if (kv.first == attributes[i].key) {
        kv.second = attributes[i].value;  // a repeated key: the last value wins
        replaced = true;
        break;
      }
    }
    if (!replaced) merged.emplace_back(attributes[i].key, attributes[i].value);
  }
  std::size_t bytes = 0;
  for (const auto& kv : merged) bytes += kv.first.size() + kv.second.size();
  if (merged.size() > kMaxUserAttributes || bytes > kMaxUserAttributeBytes) return AttributeCheck::kOverflow;
  *out = std::move(merged);
  return AttributeCheck::kOk;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Peer messages

int RtmServiceImpl::sendMessageToPeer(const char* peerId, const IMessage* message) {
  return sendMessageToPeer(peerId, message, SendMessageOptions());
}

int RtmServiceImpl::sendMessageToPeer(const char* peerId, const IMessage* message, const SendMessageOptions& options) {
  std::lock_guard<std::mutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  // The caller may release its message as soon as this returns: copy it now.
  auto data = std::make_shared<PeerMessageData>();
  if (!copyOutgoingMessage(message, data.get())) return PEER_MESSAGE_ERR_INVALID_MESSAGE;
  if (!isValidUserId(peerId)) return PEER_MESSAGE_ERR_INVALID_USERID;
  if (!sendMessageLimiter_.tryAcquire()) return PEER_MESSAGE_ERR_TOO_OFTEN;

  const long long id = data->messageId;
  const bool offline = options.enableOfflineMessaging;
  submitLocked(
      limits_.peerMessageTimeoutMs,
      [id](IRtmServiceEventHandler* h) { h->onSendMessageResult(id, PEER_MESSAGE_ERR_SENT_TIMEOUT); },
      [id, offline, peer = std::string(peerId), data](const SessionContext& c, std::uint64_t key) {
        c.connection->sendPeerMessage(c.userId, c.sessionId, peer, data, offline,
                                      answerTo(c.link, key, [id](PEER_MESSAGE_ERR_CODE code) {
                                        return RtmServiceImpl::HandlerCall(
                                            [id, code](IRtmServiceEventHandler* h) { h->onSendMessageResult(id, code); });
                                      }));
      });
  return PEER_MESSAGE_ERR_OK;
}

bool RtmServiceImpl::handlePeerMessage(std::uint64_t epoch, const std::string& senderId,
                                       const std::shared_ptr<const PeerMessageData>& message, bool offline) {
  std::lock_guard<std::mutex> lock(mu_);
  if (released_ || epoch != epoch_) return false;
  if (state_ != CONNECTION_STATE_CONNECTED && state_ != CONNECTION_STATE_RECONNECTING) return false;
  emitLocked([senderId, message, offline](IRtmServiceEventHandler* h) {
    // The received IMessage lives for the duration of the callback only.
    MessageImpl* m = MessageImpl::makeReceived(*message, offline);
    h->onMessageReceivedFromPeer(senderId.c_str(), m);
    m->release();
  });
  return true;
}

// ---------------------------------------------------------------------------------------------
// Presence

int RtmServiceImpl::queryPeersOnlineStatus(const char* peerIds[], int peerCount, long long& requestId) {
  std::lock_guard<std::mutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  std::vector<std::string> peers;
  if (peerCount > kMaxPeersPerQuery || collectPeerIds(peerIds, peerCount, kMaxPeersPerQuery, &peers) != 0) {
    return QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT;
  }
  if (!queryPeersLimiter_.tryAcquire()) return QUERY_PEERS_ONLINE_STATUS_ERR_TOO_OFTEN;
  const long long id = nextId();
  requestId = id;
  submitLocked(
      limits_.queryPeersOnlineStatusTimeoutMs,
      [id](IRtmServiceEventHandler* h) {
        h->onQueryPeersOnlineStatusResult(id, nullptr, 0, QUERY_PEERS_ONLINE_STATUS_ERR_TIMEOUT);
      },
      [id, peers = std::move(peers)](const SessionContext& c, std::uint64_t key) {
        c.connection->queryPeersOnlineStatus(
            c.userId, c.sessionId, peers, answerTo(c.link, key, [id](const std::vector<PeerStatusData>& statuses) {
              return RtmServiceImpl::HandlerCall([id, statuses](IRtmServiceEventHandler* h) {
                const std::vector<PeerOnlineStatus> array = toStatusArray(statuses);
                h->onQueryPeersOnlineStatusResult(id, array.data(), static_cast<int>(array.size()),
                                                  QUERY_PEERS_ONLINE_STATUS_ERR_OK);
              });
            }));
      });
  return QUERY_PEERS_ONLINE_STATUS_ERR_OK;
}

int RtmServiceImpl::subscribePeersOnlineStatus(const char* peerIds[], int peerCount, long long& requestId) {
  std::lock_guard<std::mutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  std::vector<std::string> peers;
  switch (collectPeerIds(peerIds, peerCount, static_cast<int>(kMaxSubscribedPeers), &peers)) {
    case 0:
      break;
    case 2:
      return PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW;  // more than 512 in this call alone
    default:
      return PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT;
  }
  if (!subscribeLimiter_.tryAcquire()) return PEER_SUBSCRIPTION_STATUS_ERR_TOO_OFTEN;
  const long long id = nextId();
  requestId = id;
  submitLocked(
      limits_.subscribeTimeoutMs,
      [id](IRtmServiceEventHandler* h) { h->onSubscriptionRequestResult(id, PEER_SUBSCRIPTION_STATUS_ERR_TIMEOUT); },
      [id, peers = std::move(peers)](const SessionContext& c, std::uint64_t key) {
        c.connection->subscribePeers(
            c.userId, c.sessionId, peers, true,
            answerTo(c.link, key, [id](PEER_SUBSCRIPTION_STATUS_ERR code, const std::vector<PeerStatusData>& snapshot) {
              // The result, then at once the current state of the newly subscribed peers.
              return RtmServiceImpl::HandlerCall([id, code, snapshot](IRtmServiceEventHandler* h) {
                h->onSubscriptionRequestResult(id, code);
                if (snapshot.empty()) return;
                const std::vector<PeerOnlineStatus> array = toStatusArray(snapshot);
                h->onPeersOnlineStatusChanged(array.data(), static_cast<int>(array.size()));
              });
            }));
      });
  return PEER_SUBSCRIPTION_STATUS_ERR_OK;
}

int RtmServiceImpl::unsubscribePeersOnlineStatus(const char* peerIds[], int peerCount, long long& requestId) {
  std::lock_guard<std::mutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  std::vector<std::string> peers;
  if (collectPeerIds(peerIds, peerCount, peerCount, &peers) != 0) return PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT;
  if (!unsubscribeLimiter_.tryAcquire()) return PEER_SUBSCRIPTION_STATUS_ERR_TOO_OFTEN;
  const long long id = nextId();
  requestId = id;
  submitLocked(
      limits_.subscribeTimeoutMs,
      [id](IRtmServiceEventHandler* h) { h->onSubscriptionRequestResult(id, PEER_SUBSCRIPTION_STATUS_ERR_TIMEOUT); },
      [id, peers = std::move(peers)](const SessionContext& c, std::uint64_t key) {
        c.connection->subscribePeers(
            c.userId, c.sessionId, peers, false,
            answerTo(c.link, key, [id](PEER_SUBSCRIPTION_STATUS_ERR code, const std::vector<PeerStatusData>&) {
              return RtmServiceImpl::HandlerCall(
                  [id, code](IRtmServiceEventHandler* h) { h->onSubscriptionRequestResult(id, code); });
            }));
      });
  return PEER_SUBSCRIPTION_STATUS_ERR_OK;
}

int RtmServiceImpl::queryPeersBySubscriptionOption(PEER_SUBSCRIPTION_OPTION option, long long& requestId) {
  std::lock_guard<std::mutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  // The enum has no INVALID_ARGUMENT: an unknown option fails with FAILURE.
  if (option != PEER_SUBSCRIPTION_OPTION_ONLINE_STATUS) return QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE;
  if (!querySubscriptionLimiter_.tryAcquire()) return QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TOO_OFTEN;
  const long long id = nextId();
  requestId = id;
  submitLocked(
      limits_.queryPeersBySubscriptionOptionTimeoutMs,
      [id](IRtmServiceEventHandler* h) {
        h->onQueryPeersBySubscriptionOptionResult(id, nullptr, 0, QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TIMEOUT);
      },
      [id](const SessionContext& c, std::uint64_t key) {
        c.connection->querySubscribedPeers(
            c.userId, c.sessionId, answerTo(c.link, key, [id](const std::vector<std::string>& peers) {
              return RtmServiceImpl::HandlerCall([id, peers](IRtmServiceEventHandler* h) {
                std::vector<const char*> array;
                array.reserve(peers.size());
                for (const std::string& p : peers) array.push_back(p.c_str());
                h->onQueryPeersBySubscriptionOptionResult(id, array.data(), static_cast<int>(array.size()),
                                                          QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_OK);
              });
            }));
      });
  return QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_OK;
}

void RtmServiceImpl::handlePeersOnlineStatusChanged(std::uint64_t epoch, const std::vector<PeerStatusData>& changes) {
  std::lock_guard<std::mutex> lock(mu_);
  if (released_ || epoch != epoch_) return;
  if (state_ != CONNECTION_STATE_CONNECTED && state_ != CONNECTION_STATE_RECONNECTING) return;
  emitLocked([changes](IRtmServiceEventHandler* h) {
    const std::vector<PeerOnlineStatus> array = toStatusArray(changes);
    h->onPeersOnlineStatusChanged(array.data(), static_cast<int>(array.size()));
  });
}

// ---------------------------------------------------------------------------------------------
// User attributes

int RtmServiceImpl::writeLocalUserAttributes(AttributeWrite op, const RtmAttribute* attributes,
                                             int numberOfAttributes, long long& requestId) {
  AttributeList list;
  std::lock_guard<std::mutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  const AttributeCheck check = collectAttributes(attributes, numberOfAttributes, &list);
  if (check != AttributeCheck::kOk) return refuseAttributeWriteLocked(check, userAttributeResult(op), requestId);
  if (!userAttributeWriteLimiter_.tryAcquire()) return ATTRIBUTE_OPERATION_ERR_TOO_OFTEN;
  requestId = submitUserAttributeWriteLocked(op, std::move(list));
  return ATTRIBUTE_OPERATION_ERR_OK;
}

int RtmServiceImpl::setLocalUserAttributes(const RtmAttribute* attributes, int numberOfAttributes,
                                           long long& requestId) {
  return writeLocalUserAttributes(AttributeWrite::Set, attributes, numberOfAttributes, requestId);
}

int RtmServiceImpl::addOrUpdateLocalUserAttributes(const RtmAttribute* attributes, int numberOfAttributes,
                                                   long long& requestId) {
  return writeLocalUserAttributes(AttributeWrite::AddOrUpdate, attributes, numberOfAttributes, requestId);
}

int RtmServiceImpl::deleteLocalUserAttributesByKeys(const char* attributeKeys[], int numberOfKeys,
                                                    long long& requestId) {
  std::vector<std::string> keys;
  std::lock_guard<std::mutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  if (!collectKeys(attributeKeys, numberOfKeys, &keys)) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
  if (!userAttributeWriteLimiter_.tryAcquire()) return ATTRIBUTE_OPERATION_ERR_TOO_OFTEN;
  AttributeList list;
  for (std::string& k : keys) list.emplace_back(std::move(k), std::string());
  requestId = submitUserAttributeWriteLocked(AttributeWrite::Delete, std::move(list));
  return ATTRIBUTE_OPERATION_ERR_OK;
}

int RtmServiceImpl::clearLocalUserAttributes(long long& requestId) {
  std::lock_guard<std::mutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  if (!userAttributeWriteLimiter_.tryAcquire()) return ATTRIBUTE_OPERATION_ERR_TOO_OFTEN;
  requestId = submitUserAttributeWriteLocked(AttributeWrite::Clear, AttributeList());
  return ATTRIBUTE_OPERATION_ERR_OK;
}

RtmServiceImpl::AttributeResult RtmServiceImpl::userAttributeResult(AttributeWrite op) {
  switch (op) {
    case AttributeWrite::AddOrUpdate:
      return &IRtmServiceEventHandler::onAddOrUpdateLocalUserAttributesResult;
    case AttributeWrite::Delete:
      return &IRtmServiceEventHandler::onDeleteLocalUserAttributesResult;
    case AttributeWrite::Clear:
      return &IRtmServiceEventHandler::onClearLocalUserAttributesResult;
    case AttributeWrite::Set:
      break;
  }
  return &IRtmServiceEventHandler::onSetLocalUserAttributesResult;
}

int RtmServiceImpl::refuseAttributeWriteLocked(AttributeCheck check, AttributeResult result, long long& requestId) {
  switch (check) {
    case AttributeCheck::kOk:
      return ATTRIBUTE_OPERATION_ERR_OK;
    case AttributeCheck::kBadList:
      return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
    case AttributeCheck::kBadItem:
      requestId = nextId();  // observed: written although the call is refused
      return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
    case AttributeCheck::kOverflow:
      break;
  }
  // Observed: accepted, then the result callback with SIZE_OVERFLOW.
  const long long id = nextId();
  requestId = id;
  emitLocked([id, result](IRtmServiceEventHandler* h) { (h->*result)(id, ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW); });
  return ATTRIBUTE_OPERATION_ERR_OK;
}

long long RtmServiceImpl::submitUserAttributeWriteLocked(AttributeWrite op, AttributeList list) {
  const AttributeResult result = userAttributeResult(op);
  const long long id = nextId();
  submitLocked(
      limits_.attributeTimeoutMs,
      [id, result](IRtmServiceEventHandler* h) { (h->*result)(id, ATTRIBUTE_OPERATION_ERR_TIMEOUT); },
      [id, op, result, list = std::move(list)](const SessionContext& c, std::uint64_t key) {
        c.connection->writeUserAttributes(c.userId, c.sessionId, op, list,
                                          answerTo(c.link, key, [id, result](ATTRIBUTE_OPERATION_ERR code) {
                                            return RtmServiceImpl::HandlerCall(
                                                [id, result, code](IRtmServiceEventHandler* h) { (h->*result)(id, code); });
                                          }));
      });
  return id;
}

int RtmServiceImpl::readAttributes(const char* target, bool (*isValidTarget)(const char*), bool byKeys,
                                   const char* attributeKeys[], int numberOfKeys, RateLimiter* limiter,
                                   SubmitRead submit, long long& requestId) {
  std::vector<std::string> keys;
  std::lock_guard<std::mutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  if (!isValidTarget(target)) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
  if (byKeys && !collectKeys(attributeKeys, numberOfKeys, &keys)) return ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
  if (!limiter->tryAcquire()) return ATTRIBUTE_OPERATION_ERR_TOO_OFTEN;
  requestId = (this->*submit)(target, !byKeys, std::move(keys));
  return ATTRIBUTE_OPERATION_ERR_OK;
}

int RtmServiceImpl::getUserAttributes(const char* userId, long long& requestId) {
  return readAttributes(userId, isValidUserId, false, nullptr, 0, &userAttributeReadLimiter_,
                        &RtmServiceImpl::submitGetUserAttributesLocked, requestId);
}

int RtmServiceImpl::getUserAttributesByKeys(const char* userId, const char* attributeKeys[], int numberOfKeys,
                                            long long& requestId) {
  return readAttributes(userId, isValidUserId, true, attributeKeys, numberOfKeys, &userAttributeReadLimiter_,
                        &RtmServiceImpl::submitGetUserAttributesLocked, requestId);
}

long long RtmServiceImpl::submitGetUserAttributesLocked(const std::string& target, bool all,
                                                         std::vector<std::string> keys) {
  const long long id = nextId();
  submitLocked(
      limits_.attributeTimeoutMs,
      [id, target](IRtmServiceEventHandler* h) {
        h->onGetUserAttributesResult(id, target.c_str(), nullptr, 0, ATTRIBUTE_OPERATION_ERR_TIMEOUT);
      },
      [id, target, all, keys = std::move(keys)](const SessionContext& c, std::uint64_t key) {
        c.connection->getUserAttributes(
            c.userId, c.sessionId, target, all, keys,
            answerTo(c.link, key, [id, target](ATTRIBUTE_OPERATION_ERR code, const AttributeList& attributes) {
              return RtmServiceImpl::HandlerCall([id, target, code, attributes](IRtmServiceEventHandler* h) {
                std::vector<RtmAttribute> array(attributes.size());
                for (std::size_t i = 0; i < attributes.size(); ++i) {
                  array[i].key = attributes[i].first.c_str();
                  array[i].value = attributes[i].second.c_str();
                }
                h->onGetUserAttributesResult(id, target.c_str(), array.empty() ? nullptr : array.data(),
                                             static_cast<int>(array.size()), code);
              });
            }));
      });
  return id;
}

// ---------------------------------------------------------------------------------------------
// The link going silent and coming back (fault injection)

void RtmServiceImpl::handleConnectionLost(std::uint64_t epoch) {
  std::lock_guard<std::mutex> lock(mu_);
  if (released_ || epoch != epoch_ || linkDown_) return;
  if (state_ != CONNECTION_STATE_CONNECTED && state_ != CONNECTION_STATE_RECONNECTING) return;
  linkDown_ = true;
  const std::uint64_t seq = ++dropSeq_;
  thread_.postAfter(std::chrono::milliseconds(limits_.interruptedAfterMs),
                    [this, epoch, seq] { handleInterrupted(epoch, seq); });
}

void RtmServiceImpl::handleInterrupted(std::uint64_t epoch, std::uint64_t dropSeq) {
  std::lock_guard<std::mutex> lock(mu_);
  if (released_ || epoch != epoch_ || dropSeq != dropSeq_ || !linkDown_) return;
  if (state_ != CONNECTION_STATE_CONNECTED) return;
  state_ = CONNECTION_STATE_RECONNECTING;
  emitStateLocked(CONNECTION_STATE_RECONNECTING, CONNECTION_CHANGE_REASON_INTERRUPTED);
}

void RtmServiceImpl::handleConnectionRestored(std::uint64_t epoch, std::uint64_t sessionId) {
  std::lock_guard<std::mutex> lock(mu_);
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
  anchor_->invitations()->sessionStarted(serviceName_, userId_, sessionId_);  // maybe a new session
}

}  // namespace rtm_emulator
