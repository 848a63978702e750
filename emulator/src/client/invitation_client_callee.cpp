// InvitationClient, callee side: accept and refuse of a remote invitation, and what reaches it
// from the caller through the cloud (the offer, which the client acknowledges by itself; a cancel;
// the acknowledgement of an accept), with the expiry and accept-acknowledgement timers.
#include <memory>
#include <string>
#include <utility>

#include "client/invitation_client.h"
#include "client/remote_call_invitation_impl.h"
#include "transport/invitation_link.h"

namespace rtm_emulator {

using namespace agora::rtm;

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
    self->withSession(r.sessionId, [&](InvitationConnection& invitations, const std::string& userId) {
      invitations.answer(userId, r.sessionId, r.callerId, r.callerSessionId, r.invitationId, accepted, response);
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
    self->withSession(r.sessionId, [&](InvitationConnection& invitations, const std::string& userId) {
      invitations.acknowledge(userId, r.sessionId, r.callerId, r.callerSessionId, r.invitationId);
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
