// InvitationClient, core part: the service hooks (a session starting or ending, release), the
// call manager's attachment, the invitation objects' records and the delivery of callbacks, which
// the caller side (invitation_client_caller.cpp) and the callee side
// (invitation_client_callee.cpp) share.
#include "client/invitation_client.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <vector>

#include "client/callback_thread.h"
#include "client/local_call_invitation_impl.h"
#include "client/local_invitation_states.h"
#include "client/remote_call_invitation_impl.h"
#include "transport/session_link.h"

namespace rtm_emulator {

using namespace agora::rtm;

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

void InvitationClient::sessionStarted(const std::shared_ptr<ServiceConnection>& connection, const Limits& limits,
                                      const std::string& userId, std::uint64_t sessionId) {
  std::shared_ptr<ServiceConnection> previous;
  std::string previousUser;
  std::uint64_t previousSession = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (detached_ || (connection_ == connection && sessionId_ == sessionId && userId_ == userId)) return;
    previous = connection_;
    previousUser = userId_;
    previousSession = sessionId_;
    userId_ = userId;
    sessionId_ = sessionId;
    connection_ = connection;
    limits_ = limits;
  }
  if (previous && previousSession != 0 && previous->invitations() != nullptr) {
    previous->invitations()->detach(previousUser, previousSession);
  }
  if (connection && connection->invitations() != nullptr) {
    connection->invitations()->attach(userId, sessionId, weak_from_this());
  }
}

void InvitationClient::sessionEnded() {
  std::shared_ptr<ServiceConnection> connection;
  std::string userId;
  std::uint64_t sessionId = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (detached_) return;
    connection = std::move(connection_);
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
  if (connection && sessionId != 0 && connection->invitations() != nullptr) {
    connection->invitations()->detach(userId, sessionId);
  }
}

void InvitationClient::detach() {
  std::shared_ptr<ServiceConnection> connection;
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
    connection = std::move(connection_);
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
  if (connection && sessionId != 0 && connection->invitations() != nullptr) {
    connection->invitations()->detach(userId, sessionId);
  }
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
                                   const std::function<void(InvitationConnection&, const std::string&)>& f) {
  std::shared_ptr<ServiceConnection> connection;
  std::string userId;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (detached_ || sessionId == 0 || sessionId != sessionId_ || !connection_) return;
    connection = connection_;
    userId = userId_;
  }
  if (connection->invitations() != nullptr) f(*connection->invitations(), userId);
}

}  // namespace rtm_emulator
