#include "rtm_service_impl.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <utility>

#include "call_manager_impl.h"
#include "channel_attribute_impl.h"
#include "channel_impl.h"
#include "client_link.h"
#include "identifiers.h"
#include "inproc_connection.h"
#include "json.h"
#include "message_impl.h"
#include "service_anchor.h"
#include "service_registry.h"

namespace rtm_emulator {

using namespace agora::rtm;

namespace {

constexpr std::size_t kAppIdLength = 32;
constexpr int kMinLogFileSizeKb = 512;
constexpr int kMaxLogFileSizeKb = 10 * 1024;
constexpr int kSetParametersInvalid = -2;
constexpr const char kUrlParameter[] = "rtm.emulator.url";

std::string orEmpty(const char* s) { return s == nullptr ? std::string() : std::string(s); }

}  // namespace

RtmServiceImpl::RtmServiceImpl()
    : anchor_(std::make_shared<ServiceAnchor>(this)), serviceName_(ServiceRegistry::kDefaultName) {
  std::shared_ptr<ServiceCore> core = ServiceRegistry::instance().find(serviceName_);
  limits_ = core ? core->limits() : defaultLimits();
  loginLimiter_.reset(limits_.login);
  renewTokenLimiter_.reset(limits_.renewToken);
}

RtmServiceImpl::~RtmServiceImpl() = default;

// ---------------------------------------------------------------------------------------------
// Setup and teardown

int RtmServiceImpl::initialize(const char* appId, IRtmServiceEventHandler* eventHandler) {
  std::lock_guard<std::mutex> lock(mu_);
  if (initialized_) return INIT_ERR_ALREADY_INITIALIZED;
  // The SDK checks the length only: any 32 characters pass.
  if (appId == nullptr || std::strlen(appId) != kAppIdLength) return INIT_ERR_INVALID_APP_ID;
  if (eventHandler == nullptr) return INIT_ERR_INVALID_ARGUMENT;
  appId_ = appId;
  if (std::find(handlers_.begin(), handlers_.end(), eventHandler) == handlers_.end()) {
    handlers_.push_back(eventHandler);
  }
  initialized_ = true;
  thread_.start();
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
      connection->login(uid, tok, link, [link, connection, uid](const LoginAnswer& answer) {
        if (!link->deliverLoginAnswer(answer) && answer.code == LOGIN_ERR_OK) {
          connection->logout(uid, answer.sessionId);  // nobody wants this session any more
        }
      });
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
  } else {
    state_ = CONNECTION_STATE_DISCONNECTED;
    ++epoch_;
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
  ++epoch_;  // a late answer is now stale and its session gets closed by the login task
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
  emitStateLocked(CONNECTION_STATE_ABORTED, reason);
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
    state_ = CONNECTION_STATE_DISCONNECTED;
    ++epoch_;
    link = std::move(link_);
    connection = connection_;
    sessionId = sessionId_;
    sessionId_ = 0;
    userId = userId_;
    emitStateLocked(CONNECTION_STATE_DISCONNECTED, CONNECTION_CHANGE_REASON_LOGOUT);
    emitLocked([](IRtmServiceEventHandler* h) { h->onLogout(LOGOUT_ERR_OK); });
  }
  if (link) link->detach();
  if (sessionId != 0 && connection) connection->logout(userId, sessionId);
  return LOGOUT_ERR_OK;
}

int RtmServiceImpl::renewToken(const char* token) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!initialized_) return RENEW_TOKEN_ERR_NOT_INITIALIZED;
  if (!loggedInLocked()) return RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN;
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

IChannel* RtmServiceImpl::createChannel(const char* channelId, IChannelEventHandler* eventHandler) {
  // Observed: v1.2.2 validates nothing here (bad ids, duplicates, a NULL handler all succeed).
  return new ChannelImpl(anchor_, orEmpty(channelId), eventHandler);
}

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
    loginLimiter_.reset(limits_.login);
    renewTokenLimiter_.reset(limits_.renewToken);
  }
  return 0;
}

int RtmServiceImpl::setLogFile(const char* logfile) {
  std::lock_guard<std::mutex> lock(mu_);
  logFile_ = orEmpty(logfile);
  return 0;
}

int RtmServiceImpl::setLogFilter(LOG_FILTER_TYPE filter) {
  std::lock_guard<std::mutex> lock(mu_);
  logFilter_ = filter;
  return 0;
}

int RtmServiceImpl::setLogFileSize(int fileSizeInKBytes) {
  std::lock_guard<std::mutex> lock(mu_);
  // Observed: out-of-range sizes are raised to the 512 KB minimum rather than refused.
  logFileSizeKb_ = std::min(std::max(fileSizeInKBytes, kMinLogFileSizeKb), kMaxLogFileSizeKb);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Requests of later slices: the login check is real, the rest is a placeholder.

int RtmServiceImpl::notYetImplemented(int failure) const {
  const int gate = loginGate();
  return gate != 0 ? gate : failure;
}

int RtmServiceImpl::sendMessageToPeer(const char*, const IMessage*) {
  return notYetImplemented(PEER_MESSAGE_ERR_FAILURE);
}

int RtmServiceImpl::sendMessageToPeer(const char*, const IMessage*, const SendMessageOptions&) {
  return notYetImplemented(PEER_MESSAGE_ERR_FAILURE);
}

int RtmServiceImpl::queryPeersOnlineStatus(const char*[], int, long long&) {
  return notYetImplemented(QUERY_PEERS_ONLINE_STATUS_ERR_FAILURE);
}

int RtmServiceImpl::subscribePeersOnlineStatus(const char*[], int, long long&) {
  return notYetImplemented(PEER_SUBSCRIPTION_STATUS_ERR_FAILURE);
}

int RtmServiceImpl::unsubscribePeersOnlineStatus(const char*[], int, long long&) {
  return notYetImplemented(PEER_SUBSCRIPTION_STATUS_ERR_FAILURE);
}

int RtmServiceImpl::queryPeersBySubscriptionOption(PEER_SUBSCRIPTION_OPTION, long long&) {
  return notYetImplemented(QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE);
}

int RtmServiceImpl::setLocalUserAttributes(const RtmAttribute*, int, long long&) {
  return notYetImplemented(ATTRIBUTE_OPERATION_ERR_FAILURE);
}

int RtmServiceImpl::addOrUpdateLocalUserAttributes(const RtmAttribute*, int, long long&) {
  return notYetImplemented(ATTRIBUTE_OPERATION_ERR_FAILURE);
}

int RtmServiceImpl::deleteLocalUserAttributesByKeys(const char*[], int, long long&) {
  return notYetImplemented(ATTRIBUTE_OPERATION_ERR_FAILURE);
}

int RtmServiceImpl::clearLocalUserAttributes(long long&) { return notYetImplemented(ATTRIBUTE_OPERATION_ERR_FAILURE); }

int RtmServiceImpl::getUserAttributes(const char*, long long&) {
  return notYetImplemented(ATTRIBUTE_OPERATION_ERR_FAILURE);
}

int RtmServiceImpl::getUserAttributesByKeys(const char*, const char*[], int, long long&) {
  return notYetImplemented(ATTRIBUTE_OPERATION_ERR_FAILURE);
}

int RtmServiceImpl::setChannelAttributes(const char*, const IRtmChannelAttribute*[], int,
                                         const ChannelAttributeOptions&, long long&) {
  return notYetImplemented(ATTRIBUTE_OPERATION_ERR_FAILURE);
}

int RtmServiceImpl::addOrUpdateChannelAttributes(const char*, const IRtmChannelAttribute*[], int,
                                                 const ChannelAttributeOptions&, long long&) {
  return notYetImplemented(ATTRIBUTE_OPERATION_ERR_FAILURE);
}

int RtmServiceImpl::deleteChannelAttributesByKeys(const char*, const char*[], int, const ChannelAttributeOptions&,
                                                  long long&) {
  return notYetImplemented(ATTRIBUTE_OPERATION_ERR_FAILURE);
}

int RtmServiceImpl::clearChannelAttributes(const char*, const ChannelAttributeOptions&, long long&) {
  return notYetImplemented(ATTRIBUTE_OPERATION_ERR_FAILURE);
}

int RtmServiceImpl::getChannelAttributes(const char*, long long&) {
  return notYetImplemented(ATTRIBUTE_OPERATION_ERR_FAILURE);
}

int RtmServiceImpl::getChannelAttributesByKeys(const char*, const char*[], int, long long&) {
  return notYetImplemented(ATTRIBUTE_OPERATION_ERR_FAILURE);
}

int RtmServiceImpl::getChannelMemberCount(const char*[], int, long long&) {
  return notYetImplemented(GET_CHANNEL_MEMBER_COUNT_ERR_FAILURE);
}

}  // namespace rtm_emulator
