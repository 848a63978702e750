// InvitationCore: the cloud's part of call invitations, one per ServiceCore. It routes the
// messages of invitation_link.h between the sessions of one service and holds the fault hook
// setInvitationAutoAck. It keeps no invitation state and runs no timer (the clients do, as the
// SDK does). Thread-safe; it never calls an InvitationLink or the ServiceCore while holding its
// lock. A message from or to a user whose link is down (dropConnection) is lost, as it would be
// on a dead network.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "transport/invitation_link.h"

namespace rtm_emulator {

class ServiceCore;

class InvitationCore final : public InvitationConnection {
 public:
  // `sessions` is the owning service: a registration counts only while its session is the
  // user's current session there (a kick, a remote login or the service closing ends it).
  explicit InvitationCore(const ServiceCore* sessions) : sessions_(sessions) {}
  InvitationCore(const InvitationCore&) = delete;
  InvitationCore& operator=(const InvitationCore&) = delete;

  // A client takes invitations for its session (after login) / stops (logout, kick, release).
  void attach(const std::string& userId, std::uint64_t sessionId, std::weak_ptr<InvitationLink> link) override;
  void detach(const std::string& userId, std::uint64_t sessionId) override;

  // Hands the offer to the callee's current session. Returns false when the callee has no
  // session taking invitations (offline): the caller retries until its acknowledgement timeout.
  bool offer(const InvitationOffer& offer, std::uint64_t* calleeSessionId);
  // The same, answered at once: how an in-process client reaches it.
  void offer(const InvitationOffer& offer, std::function<void(bool, std::uint64_t)> done) override {
    std::uint64_t calleeSessionId = 0;
    const bool taken = this->offer(offer, &calleeSessionId);
    done(taken, calleeSessionId);
  }
  void acknowledge(const std::string& calleeId, std::uint64_t calleeSessionId, const std::string& callerId,
                   std::uint64_t callerSessionId, std::uint64_t invitationId) override;
  void answer(const std::string& calleeId, std::uint64_t calleeSessionId, const std::string& callerId,
              std::uint64_t callerSessionId, std::uint64_t invitationId, bool accepted,
              const std::string& response) override;
  void acknowledgeAnswer(const std::string& callerId, const std::string& calleeId, std::uint64_t calleeSessionId,
                         std::uint64_t invitationId) override;
  void cancel(const std::string& callerId, const std::string& calleeId, std::uint64_t calleeSessionId,
              std::uint64_t invitationId) override;

  // Fault injection: while disabled, the acknowledgements that user's client sends (receipt of
  // an invitation; receipt of an accept) are lost on the way.
  void setAutoAck(const std::string& userId, bool enabled);

 private:
  struct Registration {
    std::uint64_t sessionId = 0;
    std::weak_ptr<InvitationLink> link;
  };

  // The link of that user's session; sessionId 0 means "the current one". Null when none.
  std::shared_ptr<InvitationLink> find(const std::string& userId, std::uint64_t sessionId,
                                       std::uint64_t* foundSessionId = nullptr) const;
  bool acksDropped(const std::string& userId) const;
  // The user has a session whose link is up (dropConnection silences it both ways).
  bool linkUp(const std::string& userId) const;

  const ServiceCore* const sessions_;
  mutable std::mutex mu_;
  std::map<std::string, Registration> registrations_;
  std::set<std::string> noAck_;
};

}  // namespace rtm_emulator
