#include "cloud/invitation_core.h"

#include <utility>

#include "cloud/service_core.h"

namespace rtm_emulator {

void InvitationCore::attach(const std::string& userId, std::uint64_t sessionId, std::weak_ptr<InvitationLink> link) {
  std::lock_guard<std::mutex> lock(mu_);
  Registration& r = registrations_[userId];
  r.sessionId = sessionId;
  r.link = std::move(link);
}

void InvitationCore::detach(const std::string& userId, std::uint64_t sessionId) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = registrations_.find(userId);
  if (it != registrations_.end() && it->second.sessionId == sessionId) registrations_.erase(it);
}

std::shared_ptr<InvitationLink> InvitationCore::find(const std::string& userId, std::uint64_t sessionId,
                                                     std::uint64_t* foundSessionId) const {
  Registration r;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = registrations_.find(userId);
    if (it == registrations_.end()) return nullptr;
    r = it->second;
  }
  if (sessionId != 0 && r.sessionId != sessionId) return nullptr;
  // The service may have ended the session without the client knowing yet.
  if (sessions_->sessionIdOf(userId) != r.sessionId) return nullptr;
  if (foundSessionId != nullptr) *foundSessionId = r.sessionId;
  return r.link.lock();
}

bool InvitationCore::linkUp(const std::string& userId) const {
  bool up = false;
  return sessions_->sessionIdOf(userId, &up) != 0 && up;
}

bool InvitationCore::acksDropped(const std::string& userId) const {
  std::lock_guard<std::mutex> lock(mu_);
  return noAck_.count(userId) != 0;
}

bool InvitationCore::offer(const InvitationOffer& offer, std::uint64_t* calleeSessionId) {
  std::uint64_t sessionId = 0;
  if (!linkUp(offer.callerId)) return false;  // it never left the caller
  std::shared_ptr<InvitationLink> link = find(offer.calleeId, 0, &sessionId);
  if (!link) return false;
  *calleeSessionId = sessionId;
  // A callee whose link is down counts as online (the service holds its session) but the offer
  // is lost on the way: the caller waits for an acknowledgement that never comes.
  if (linkUp(offer.calleeId)) link->invitationOffered(sessionId, offer);
  return true;
}

void InvitationCore::acknowledge(const std::string& calleeId, std::uint64_t calleeSessionId,
                                 const std::string& callerId, std::uint64_t callerSessionId,
                                 std::uint64_t invitationId) {
  if (acksDropped(calleeId) || !linkUp(calleeId) || !linkUp(callerId)) return;
  if (auto link = find(callerId, callerSessionId)) {
    link->invitationAcknowledged(callerSessionId, invitationId, calleeSessionId);
  }
}

void InvitationCore::answer(const std::string& calleeId, std::uint64_t calleeSessionId, const std::string& callerId,
                            std::uint64_t callerSessionId, std::uint64_t invitationId, bool accepted,
                            const std::string& response) {
  if (!linkUp(calleeId) || !linkUp(callerId)) return;
  if (auto link = find(callerId, callerSessionId)) {
    link->invitationAnswered(callerSessionId, invitationId, accepted, response, calleeSessionId);
  }
}

void InvitationCore::acknowledgeAnswer(const std::string& callerId, const std::string& calleeId,
                                       std::uint64_t calleeSessionId, std::uint64_t invitationId) {
  if (acksDropped(callerId) || !linkUp(callerId) || !linkUp(calleeId)) return;
  if (auto link = find(calleeId, calleeSessionId)) link->acceptAcknowledged(calleeSessionId, callerId, invitationId);
}

void InvitationCore::cancel(const std::string& callerId, const std::string& calleeId, std::uint64_t calleeSessionId,
                            std::uint64_t invitationId) {
  if (!linkUp(callerId) || !linkUp(calleeId)) return;
  if (auto link = find(calleeId, calleeSessionId)) link->invitationCanceled(calleeSessionId, callerId, invitationId);
}

void InvitationCore::setAutoAck(const std::string& userId, bool enabled) {
  std::lock_guard<std::mutex> lock(mu_);
  if (enabled) {
    noAck_.erase(userId);
  } else {
    noAck_.insert(userId);
  }
}

}  // namespace rtm_emulator
