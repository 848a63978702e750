#include "client/invitation_client.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <vector>

#include "client/callback_thread.h"
#include "client/identifiers.h"
#include "cloud/invitation_core.h"
#include "client/local_call_invitation_impl.h"
#include "client/remote_call_invitation_impl.h"
#include "cloud/service_core.h"
#include "cloud/service_registry.h"

namespace rtm_emulator {

using namespace agora::rtm;

namespace {

bool inFlight(LOCAL_INVITATION_STATE s) {
  return s == LOCAL_INVITATION_STATE_SENT_TO_REMOTE || s == LOCAL_INVITATION_STATE_RECEIVED_BY_REMOTE;
}

}  // namespace

std::uint64_t InvitationClient::nextSerial() {
  // Process-wide, so that an id names one invitation on every in-process service.
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1);
}

// ---------------------------------------------------------------------------------------------
// Service hooks

void InvitationClient::setCallbackThread(CallbackThread* thread) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!detached_) thread_ = thread;
}

void InvitationClient::sessionStarted(const std::string& serviceName, const std::string& userId,
                                      std::uint64_t sessionId) {
  std::shared_ptr<ServiceCore> core = ServiceRegistry::instance().find(serviceName);
  std::shared_ptr<ServiceCore> previous;
  std::string previousUser;
  std::uint64_t previousSession = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (detached_ || (core_ == core && sessionId_ == sessionId && userId_ == userId)) return;
    previous = core_;
    previousUser = userId_;
    previousSession = sessionId_;
    userId_ = userId;
    sessionId_ = sessionId;
    core_ = core;
    if (core) limits_ = core->limits();
  }
  if (previous && previousSession != 0) previous->invitations().detach(previousUser, previousSession);
  if (core) core->invitations().attach(userId, sessionId, weak_from_this());
}

void InvitationClient::sessionEnded() {
  std::shared_ptr<ServiceCore> core;
  std::string userId;
  std::uint64_t sessionId = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (detached_) return;
    core = std::move(core_);
    userId = userId_;
    sessionId = sessionId_;
    sessionId_ = 0;
    for (auto& entry : locals_) {
      if (inFlight(entry.second.obj->getState())) failLocalLocked(entry.first, &entry.second, LOCAL_INVITATION_ERR_NOT_LOGGEDIN);
    }
    for (auto& entry : remotes_) {
      const REMOTE_INVITATION_STATE s = entry.second.obj->getState();
      if (s == REMOTE_INVITATION_STATE_INVITATION_RECEIVED) {
        failRemoteLocked(entry.first, &entry.second, REMOTE_INVITATION_ERR_PEER_OFFLINE);
      } else if (s == REMOTE_INVITATION_STATE_ACCEPT_SENT_TO_LOCAL) {
        failRemoteLocked(entry.first, &entry.second, REMOTE_INVITATION_ERR_ACCEPT_FAILURE);
      }
    }
  }
  if (core && sessionId != 0) core->invitations().detach(userId, sessionId);
}

void InvitationClient::detach() {
  std::shared_ptr<ServiceCore> core;
  std::string userId;
  std::uint64_t sessionId = 0;
  std::vector<RemoteCallInvitationImpl*> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (detached_) return;
    detached_ = true;
    thread_ = nullptr;
    manager_ = nullptr;
    handler_ = nullptr;
    core = std::move(core_);
    userId = userId_;
    sessionId = sessionId_;
    sessionId_ = 0;
    for (auto& entry : remotes_) dropped.push_back(entry.second.obj);
    remotes_.clear();
    remoteByObject_.clear();
    remoteByWire_.clear();
    locals_.clear();  // the application's references keep those objects alive
    localByObject_.clear();
  }
  if (core && sessionId != 0) core->invitations().detach(userId, sessionId);
  for (RemoteCallInvitationImpl* obj : dropped) obj->unref();
}

// ---------------------------------------------------------------------------------------------
// Call manager

void InvitationClient::attachManager(const void* manager, IRtmCallEventHandler* handler) {
  std::lock_guard<std::mutex> lock(mu_);
  if (detached_) return;
  manager_ = manager;
  handler_ = handler;
}

void InvitationClient::setHandler(const void* manager, IRtmCallEventHandler* handler) {
  std::lock_guard<std::mutex> lock(mu_);
  if (manager_ == manager) handler_ = handler;
}

void InvitationClient::detachManager(const void* manager) {
  std::lock_guard<std::mutex> lock(mu_);
  if (manager_ != manager) return;
  manager_ = nullptr;
  handler_ = nullptr;
}

ILocalCallInvitation* InvitationClient::createLocal(const char* calleeId) {
  const std::uint64_t serial = nextSerial();
  auto* obj = new LocalCallInvitationImpl(shared_from_this(), serial, calleeId == nullptr ? std::string() : calleeId);
  std::lock_guard<std::mutex> lock(mu_);
  if (!detached_) {
    Local& local = locals_[serial];
    local.obj = obj;
    local.calleeId = obj->getCalleeId();
    localByObject_[obj] = serial;
  }
  return obj;
}

int InvitationClient::send(ILocalCallInvitation* invitation, bool loggedIn) {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = localByObject_.find(invitation);
  if (found == localByObject_.end()) return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
  const std::uint64_t serial = found->second;
  Local& local = locals_[serial];
  const LOCAL_INVITATION_STATE state = local.obj->getState();
  if (inFlight(state)) return INVITATION_API_CALL_ERR_ALREADY_SENT;
  if (state != LOCAL_INVITATION_STATE_IDLE) return INVITATION_API_CALL_ERR_ALREADY_END;
  std::string content, channelId;
  local.obj->snapshot(&content, &channelId);
  if (content.size() > kMaxTextBytes || channelId.size() > kMaxTextBytes || !isValidUserId(local.calleeId.c_str())) {
    return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
  }
  if (!loggedIn) {
    // Observed: accepted; the state stays IDLE (cancel answers NOT_STARTED) until, a few ms
    // later on the callback thread, onLocalInvitationFailure(NOT_LOGGEDIN) with the state FAILURE.
    // (The real SDK sometimes frees the invitation instead and never calls back; not emulated.)
    auto self = shared_from_this();
    postAfterLocked(kNotLoggedInFailureMs, [self, serial] { self->failNotLoggedIn(serial); });
    return INVITATION_API_CALL_ERR_OK;
  }
  local.content = std::move(content);
  local.channelId = std::move(channelId);
  local.obj->setState(LOCAL_INVITATION_STATE_SENT_TO_REMOTE);
  auto self = shared_from_this();
  postLocked([self, serial] { self->attemptOffer(serial); });
  postAfterLocked(limits_.invitationAckTimeoutMs, [self, serial] { self->onLocalAckTimeout(serial); });
  return INVITATION_API_CALL_ERR_OK;
}

void InvitationClient::failNotLoggedIn(std::uint64_t serial) {
  std::lock_guard<std::mutex> lock(mu_);
  if (detached_) return;
  auto found = locals_.find(serial);
  if (found == locals_.end()) return;  // released meanwhile
  // Still IDLE: not sent again (successfully) in between. Two sends fail it once.
  if (found->second.obj->getState() != LOCAL_INVITATION_STATE_IDLE) return;
  failLocalLocked(serial, &found->second, LOCAL_INVITATION_ERR_NOT_LOGGEDIN);
}

int InvitationClient::cancel(ILocalCallInvitation* invitation) {
  std::lock_guard<std::mutex> lock(mu_);
  auto found = localByObject_.find(invitation);
  if (found == localByObject_.end()) return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
  const std::uint64_t serial = found->second;
  Local& local = locals_[serial];
  const LOCAL_INVITATION_STATE state = local.obj->getState();
  if (state == LOCAL_INVITATION_STATE_IDLE) return INVITATION_API_CALL_ERR_NOT_STARTED;  // observed
  if (!inFlight(state)) return INVITATION_API_CALL_ERR_ALREADY_END;
  local.obj->setState(LOCAL_INVITATION_STATE_CANCELED);
  pendingCancels_[serial] = PendingCancel{local.calleeId, local.delivered, local.calleeSessionId};
  emitLocalLocked(serial, [](IRtmCallEventHandler* h, ILocalCallInvitation* inv) { h->onLocalInvitationCanceled(inv); });
  auto self = shared_from_this();
  postLocked([self, serial] { self->sendCancel(serial); });
  return INVITATION_API_CALL_ERR_OK;
}

// accept() and refuse() make the same checks, in the same order; on success *serial and
// *response are set and the invitation may be answered.
int InvitationClient::checkAnswerLocked(IRemoteCallInvitation* invitation, std::uint64_t* serial,
                                        std::string* response) {
  auto found = remoteByObject_.find(invitation);
  if (found == remoteByObject_.end()) return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
  *serial = found->second;
  const Remote& remote = remotes_[*serial];
  const REMOTE_INVITATION_STATE state = remote.obj->getState();
  if (state == REMOTE_INVITATION_STATE_ACCEPT_SENT_TO_LOCAL || state == REMOTE_INVITATION_STATE_ACCEPTED) {
    return INVITATION_API_CALL_ERR_ALREADY_ACCEPT;
  }
  if (state != REMOTE_INVITATION_STATE_INVITATION_RECEIVED) return INVITATION_API_CALL_ERR_ALREADY_END;
  *response = remote.obj->response();
  if (response->size() > kMaxTextBytes) return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
  return INVITATION_API_CALL_ERR_OK;
}

void InvitationClient::postAnswerLocked(const Remote& remote, bool accepted, std::string response) {
  auto self = shared_from_this();
  postLocked([self, r = remote, accepted, response = std::move(response)] {
    self->withSession(r.sessionId, [&](ServiceCore& core, const std::string& userId) {
      core.invitations().answer(userId, r.sessionId, r.callerId, r.callerSessionId, r.invitationId, accepted, response);
    });
  });
}

int InvitationClient::accept(IRemoteCallInvitation* invitation) {
  std::lock_guard<std::mutex> lock(mu_);
  std::uint64_t serial = 0;
  std::string response;
  const int check = checkAnswerLocked(invitation, &serial, &response);
  if (check != INVITATION_API_CALL_ERR_OK) return check;
  Remote& remote = remotes_[serial];
  remote.obj->setState(REMOTE_INVITATION_STATE_ACCEPT_SENT_TO_LOCAL);
  postAnswerLocked(remote, true, std::move(response));
  auto self = shared_from_this();
  postAfterLocked(limits_.invitationAcceptAckTimeoutMs, [self, serial] { self->onAcceptAckTimeout(serial); });
  return INVITATION_API_CALL_ERR_OK;
}

int InvitationClient::refuse(IRemoteCallInvitation* invitation) {
  std::lock_guard<std::mutex> lock(mu_);
  std::uint64_t serial = 0;
  std::string response;
  const int check = checkAnswerLocked(invitation, &serial, &response);
  if (check != INVITATION_API_CALL_ERR_OK) return check;
  Remote& remote = remotes_[serial];
  remote.obj->setState(REMOTE_INVITATION_STATE_REFUSED);
  emitRemoteLocked(serial, RemoteEvent::kFinal,
                   [](IRtmCallEventHandler* h, IRemoteCallInvitation* inv) { h->onRemoteInvitationRefused(inv); });
  postAnswerLocked(remote, false, std::move(response));
  return INVITATION_API_CALL_ERR_OK;
}

// ---------------------------------------------------------------------------------------------
// Objects

void InvitationClient::localReleased(std::uint64_t serial) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = locals_.find(serial);
  if (it == locals_.end()) return;
  localByObject_.erase(it->second.obj);
  locals_.erase(it);
}

void InvitationClient::remoteReleased(std::uint64_t serial) {
  RemoteCallInvitationImpl* ours = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = remotes_.find(serial);
    if (it == remotes_.end()) return;
    ours = eraseRemoteLocked(it);
  }
  ours->unref();  // the caller (release()) still holds the application's reference
}

RemoteCallInvitationImpl* InvitationClient::eraseRemoteLocked(std::map<std::uint64_t, Remote>::iterator it) {
  RemoteCallInvitationImpl* obj = it->second.obj;
  remoteByObject_.erase(obj);
  remoteByWire_.erase(std::make_pair(it->second.callerId, it->second.invitationId));
  remotes_.erase(it);
  return obj;
}

// ---------------------------------------------------------------------------------------------
// Callback delivery

void InvitationClient::postLocked(Task task) {
  if (thread_ != nullptr) thread_->post(std::move(task));
}

void InvitationClient::postAfterLocked(int delayMs, Task task) {
  if (thread_ != nullptr) thread_->postAfter(std::chrono::milliseconds(delayMs), std::move(task));
}

void InvitationClient::emitLocalLocked(std::uint64_t serial, LocalCall call) {
  postLocked([self = shared_from_this(), serial, call = std::move(call)] { self->runLocal(serial, call); });
}

void InvitationClient::emitRemoteLocked(std::uint64_t serial, RemoteEvent event, RemoteCall call) {
  postLocked([self = shared_from_this(), serial, event, call = std::move(call)] { self->runRemote(serial, event, call); });
}

void InvitationClient::runLocal(std::uint64_t serial, const LocalCall& call) {
  IRtmCallEventHandler* handler = nullptr;
  LocalCallInvitationImpl* obj = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = locals_.find(serial);
    if (detached_ || it == locals_.end() || handler_ == nullptr) return;
    handler = handler_;
    obj = it->second.obj;
    obj->addRef();  // alive for the whole callback, even if released meanwhile
  }
  call(handler, obj);
  obj->unref();
}

void InvitationClient::runRemote(std::uint64_t serial, RemoteEvent event, const RemoteCall& call) {
  IRtmCallEventHandler* handler = nullptr;
  RemoteCallInvitationImpl* obj = nullptr;
  RemoteCallInvitationImpl* drop = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = remotes_.find(serial);
    if (detached_ || it == remotes_.end()) return;
    Remote& remote = it->second;
    if (event == RemoteEvent::kReceived && handler_ != nullptr) {
      remote.handedOut = true;
      remote.obj->addRef();  // the application's, dropped by its release()
    }
    if (!remote.handedOut) {
      // Nobody ever got this invitation: it ends with its final event, silently.
      if (event == RemoteEvent::kFinal) drop = eraseRemoteLocked(it);
    } else if (handler_ != nullptr) {
      handler = handler_;
      obj = remote.obj;
      obj->addRef();
    }
  }
  if (drop != nullptr) drop->unref();
  if (obj == nullptr) return;
  call(handler, obj);
  obj->unref();
}

void InvitationClient::failLocalLocked(std::uint64_t serial, Local* local, LOCAL_INVITATION_ERR_CODE code) {
  local->obj->setState(LOCAL_INVITATION_STATE_FAILURE);
  emitLocalLocked(serial, [code](IRtmCallEventHandler* h, ILocalCallInvitation* inv) {
    h->onLocalInvitationFailure(inv, code);
  });
}

void InvitationClient::failRemoteLocked(std::uint64_t serial, Remote* remote, REMOTE_INVITATION_ERR_CODE code) {
  remote->obj->setState(REMOTE_INVITATION_STATE_FAILURE);
  emitRemoteLocked(serial, RemoteEvent::kFinal, [code](IRtmCallEventHandler* h, IRemoteCallInvitation* inv) {
    h->onRemoteInvitationFailure(inv, code);
  });
}

int InvitationClient::resendIntervalMsLocked() const {
  // The SDK keeps resending to an offline callee until the acknowledgement timeout.
  return std::min(1000, std::max(10, limits_.invitationAckTimeoutMs / 30));
}

void InvitationClient::withSession(std::uint64_t sessionId,
                                   const std::function<void(ServiceCore&, const std::string&)>& f) {
  std::shared_ptr<ServiceCore> core;
  std::string userId;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (detached_ || sessionId == 0 || sessionId != sessionId_ || !core_) return;
    core = core_;
    userId = userId_;
  }
  f(*core, userId);
}

// ---------------------------------------------------------------------------------------------
// Caller side

void InvitationClient::attemptOffer(std::uint64_t serial) {
  InvitationOffer offer;
  std::shared_ptr<ServiceCore> core;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = locals_.find(serial);
    if (detached_ || it == locals_.end()) return;
    Local& local = it->second;
    if (local.obj->getState() != LOCAL_INVITATION_STATE_SENT_TO_REMOTE || local.delivered) return;
    if (sessionId_ == 0 || !core_) {
      // Still CONNECTING: try again once the session exists.
      auto self = shared_from_this();
      postAfterLocked(resendIntervalMsLocked(), [self, serial] { self->attemptOffer(serial); });
      return;
    }
    offer.invitationId = serial;
    offer.callerId = userId_;
    offer.callerSessionId = sessionId_;
    offer.calleeId = local.calleeId;
    offer.content = local.content;
    offer.channelId = local.channelId;
    core = core_;
  }
  std::uint64_t calleeSessionId = 0;
  const bool delivered = core->invitations().offer(offer, &calleeSessionId);
  std::lock_guard<std::mutex> lock(mu_);
  auto cancel = pendingCancels_.find(serial);
  if (delivered && cancel != pendingCancels_.end()) {
    // Cancelled while this offer was on its way: the queued cancel must reach the callee.
    cancel->second.delivered = true;
    cancel->second.calleeSessionId = calleeSessionId;
  }
  auto it = locals_.find(serial);
  if (detached_ || it == locals_.end()) return;
  Local& local = it->second;
  if (delivered) {
    // Recorded whatever the state now is: a cancel queued meanwhile needs to know.
    local.delivered = true;
    local.calleeSessionId = calleeSessionId;
  } else if (local.obj->getState() == LOCAL_INVITATION_STATE_SENT_TO_REMOTE) {
    auto self = shared_from_this();
    postAfterLocked(resendIntervalMsLocked(), [self, serial] { self->attemptOffer(serial); });
  }
}

void InvitationClient::sendCancel(std::uint64_t serial) {
  PendingCancel pending;
  std::uint64_t sessionId = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = pendingCancels_.find(serial);
    if (it == pendingCancels_.end()) return;
    pending = std::move(it->second);
    pendingCancels_.erase(it);
    if (detached_ || !pending.delivered) return;  // never reached anyone
    sessionId = sessionId_;
  }
  const std::string& calleeId = pending.calleeId;
  const std::uint64_t calleeSessionId = pending.calleeSessionId;
  withSession(sessionId, [&](ServiceCore& core, const std::string& userId) {
    core.invitations().cancel(userId, calleeId, calleeSessionId, serial);
  });
}

void InvitationClient::onLocalAckTimeout(std::uint64_t serial) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = locals_.find(serial);
  if (detached_ || it == locals_.end()) return;
  Local& local = it->second;
  if (local.obj->getState() != LOCAL_INVITATION_STATE_SENT_TO_REMOTE) return;
  LOCAL_INVITATION_ERR_CODE code = LOCAL_INVITATION_ERR_PEER_OFFLINE;
  if (local.delivered) {
    code = LOCAL_INVITATION_ERR_PEER_NO_RESPONSE;
  } else if (sessionId_ == 0) {
    code = LOCAL_INVITATION_ERR_NOT_LOGGEDIN;  // the login never succeeded
  }
  failLocalLocked(serial, &local, code);
}

void InvitationClient::onLocalExpired(std::uint64_t serial) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = locals_.find(serial);
  if (detached_ || it == locals_.end()) return;
  if (it->second.obj->getState() != LOCAL_INVITATION_STATE_RECEIVED_BY_REMOTE) return;
  failLocalLocked(serial, &it->second, LOCAL_INVITATION_ERR_INVITATION_EXPIRE);
}

void InvitationClient::invitationAcknowledged(std::uint64_t sessionId, std::uint64_t invitationId,
                                              std::uint64_t calleeSessionId) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = locals_.find(invitationId);
  if (detached_ || sessionId != sessionId_ || it == locals_.end()) return;
  Local& local = it->second;
  local.delivered = true;
  local.calleeSessionId = calleeSessionId;
  if (local.obj->getState() != LOCAL_INVITATION_STATE_SENT_TO_REMOTE) return;
  local.obj->setState(LOCAL_INVITATION_STATE_RECEIVED_BY_REMOTE);
  emitLocalLocked(invitationId,
                  [](IRtmCallEventHandler* h, ILocalCallInvitation* inv) { h->onLocalInvitationReceivedByPeer(inv); });
  auto self = shared_from_this();
  postAfterLocked(limits_.invitationExpireMs, [self, invitationId] { self->onLocalExpired(invitationId); });
}

void InvitationClient::invitationAnswered(std::uint64_t sessionId, std::uint64_t invitationId, bool accepted,
                                          const std::string& response, std::uint64_t calleeSessionId) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = locals_.find(invitationId);
  if (detached_ || sessionId != sessionId_ || it == locals_.end()) return;
  Local& local = it->second;
  // Too late (cancelled, failed): no callback, and an accept is not acknowledged.
  if (!inFlight(local.obj->getState())) return;
  local.delivered = true;
  local.calleeSessionId = calleeSessionId;
  local.obj->setResponse(response);
  if (accepted) {
    local.obj->setState(LOCAL_INVITATION_STATE_ACCEPTED_BY_REMOTE);
    emitLocalLocked(invitationId, [response](IRtmCallEventHandler* h, ILocalCallInvitation* inv) {
      h->onLocalInvitationAccepted(inv, response.c_str());
    });
    auto self = shared_from_this();
    postLocked([self, sessionId, calleeId = local.calleeId, calleeSessionId, invitationId] {
      self->withSession(sessionId, [&](ServiceCore& core, const std::string& userId) {
        core.invitations().acknowledgeAnswer(userId, calleeId, calleeSessionId, invitationId);
      });
    });
  } else {
    local.obj->setState(LOCAL_INVITATION_STATE_REFUSED_BY_REMOTE);
    emitLocalLocked(invitationId, [response](IRtmCallEventHandler* h, ILocalCallInvitation* inv) {
      h->onLocalInvitationRefused(inv, response.c_str());
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Callee side

void InvitationClient::invitationOffered(std::uint64_t sessionId, const InvitationOffer& offer) {
  std::lock_guard<std::mutex> lock(mu_);
  if (detached_ || sessionId == 0 || sessionId != sessionId_) return;
  // Without a call manager nobody takes invitations: no acknowledgement (PEER_NO_RESPONSE).
  if (manager_ == nullptr) return;
  const auto wire = std::make_pair(offer.callerId, offer.invitationId);
  if (remoteByWire_.count(wire) != 0) return;  // a resend of one we have
  const std::uint64_t serial = nextSerial();
  auto* obj = new RemoteCallInvitationImpl(shared_from_this(), serial, offer.callerId, offer.content, offer.channelId);
  Remote& remote = remotes_[serial];
  remote.obj = obj;
  remote.callerId = offer.callerId;
  remote.callerSessionId = offer.callerSessionId;
  remote.invitationId = offer.invitationId;
  remote.sessionId = sessionId;
  remoteByObject_[obj] = serial;
  remoteByWire_[wire] = serial;

  emitRemoteLocked(serial, RemoteEvent::kReceived,
                   [](IRtmCallEventHandler* h, IRemoteCallInvitation* inv) { h->onRemoteInvitationReceived(inv); });
  auto self = shared_from_this();
  // The SDK acknowledges by itself, from its own thread.
  postLocked([self, r = remote] {
    self->withSession(r.sessionId, [&](ServiceCore& core, const std::string& userId) {
      core.invitations().acknowledge(userId, r.sessionId, r.callerId, r.callerSessionId, r.invitationId);
    });
  });
  postAfterLocked(limits_.invitationExpireMs, [self, serial] { self->onRemoteExpired(serial); });
}

void InvitationClient::invitationCanceled(std::uint64_t sessionId, const std::string& callerId,
                                          std::uint64_t invitationId) {
  std::lock_guard<std::mutex> lock(mu_);
  if (detached_ || sessionId != sessionId_) return;
  auto wire = remoteByWire_.find(std::make_pair(callerId, invitationId));
  if (wire == remoteByWire_.end()) return;
  const std::uint64_t serial = wire->second;
  Remote& remote = remotes_[serial];
  const REMOTE_INVITATION_STATE state = remote.obj->getState();
  // A cancel that crosses our accept wins: the caller has ended it already.
  if (state != REMOTE_INVITATION_STATE_INVITATION_RECEIVED && state != REMOTE_INVITATION_STATE_ACCEPT_SENT_TO_LOCAL) {
    return;
  }
  remote.obj->setState(REMOTE_INVITATION_STATE_CANCELED);
  emitRemoteLocked(serial, RemoteEvent::kFinal,
                   [](IRtmCallEventHandler* h, IRemoteCallInvitation* inv) { h->onRemoteInvitationCanceled(inv); });
}

void InvitationClient::acceptAcknowledged(std::uint64_t sessionId, const std::string& callerId,
                                          std::uint64_t invitationId) {
  std::lock_guard<std::mutex> lock(mu_);
  if (detached_ || sessionId != sessionId_) return;
  auto wire = remoteByWire_.find(std::make_pair(callerId, invitationId));
  if (wire == remoteByWire_.end()) return;
  const std::uint64_t serial = wire->second;
  Remote& remote = remotes_[serial];
  if (remote.obj->getState() != REMOTE_INVITATION_STATE_ACCEPT_SENT_TO_LOCAL) return;
  remote.obj->setState(REMOTE_INVITATION_STATE_ACCEPTED);
  emitRemoteLocked(serial, RemoteEvent::kFinal,
                   [](IRtmCallEventHandler* h, IRemoteCallInvitation* inv) { h->onRemoteInvitationAccepted(inv); });
}

void InvitationClient::onRemoteExpired(std::uint64_t serial) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = remotes_.find(serial);
  if (detached_ || it == remotes_.end()) return;
  if (it->second.obj->getState() != REMOTE_INVITATION_STATE_INVITATION_RECEIVED) return;
  failRemoteLocked(serial, &it->second, REMOTE_INVITATION_ERR_INVITATION_EXPIRE);
}

void InvitationClient::onAcceptAckTimeout(std::uint64_t serial) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = remotes_.find(serial);
  if (detached_ || it == remotes_.end()) return;
  if (it->second.obj->getState() != REMOTE_INVITATION_STATE_ACCEPT_SENT_TO_LOCAL) return;
  failRemoteLocked(serial, &it->second, REMOTE_INVITATION_ERR_ACCEPT_FAILURE);
}

}  // namespace rtm_emulator
