// InvitationClient, caller side: send and cancel of a local invitation, then its life on the
// wire (offers resent until the callee's session takes one, the acknowledgement and expiry
// timers, the callee's answer and its acknowledgement).
#include <memory>
#include <string>
#include <utility>

#include "client/identifiers.h"
#include "client/invitation_client.h"
#include "client/local_call_invitation_impl.h"
#include "client/local_invitation_states.h"
#include "transport/invitation_link.h"
#include "transport/session_link.h"

namespace rtm_emulator {

using namespace agora::rtm;

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

void InvitationClient::attemptOffer(std::uint64_t serial) {
  InvitationOffer offer;
  std::shared_ptr<ServiceConnection> connection;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = locals_.find(serial);
    if (detached_ || it == locals_.end()) return;
    Local& local = it->second;
    if (local.obj->getState() != LOCAL_INVITATION_STATE_SENT_TO_REMOTE || local.delivered) return;
    if (sessionId_ == 0 || !connection_ || connection_->invitations() == nullptr) {
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
    connection = connection_;
  }
  // The answer may come at once (in process) or later (TCP); the connection lives as long as it.
  auto self = shared_from_this();
  connection->invitations()->offer(offer, [self, serial, connection](bool delivered, std::uint64_t calleeSessionId) {
    self->offerAnswered(serial, delivered, calleeSessionId);
  });
}

void InvitationClient::offerAnswered(std::uint64_t serial, bool delivered, std::uint64_t calleeSessionId) {
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
  withSession(sessionId, [&](InvitationConnection& invitations, const std::string& userId) {
    invitations.cancel(userId, calleeId, calleeSessionId, serial);
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
      self->withSession(sessionId, [&](InvitationConnection& invitations, const std::string& userId) {
        invitations.acknowledgeAnswer(userId, calleeId, calleeSessionId, invitationId);
      });
    });
  } else {
    local.obj->setState(LOCAL_INVITATION_STATE_REFUSED_BY_REMOTE);
    emitLocalLocked(invitationId, [response](IRtmCallEventHandler* h, ILocalCallInvitation* inv) {
      h->onLocalInvitationRefused(inv, response.c_str());
    });
  }
}
}  // namespace rtm_emulator
