// The call-invitation half of the boundary between a client and the emulated cloud
// (session_link.h has the session half). The cloud (InvitationCore) reaches a client's
// invitation machinery (InvitationClient) only through InvitationLink; the client reaches the
// cloud only through InvitationCore's public methods, so a transport can later carry exactly
// these messages.
//
// Wire protocol of one invitation (ids are unique in the process; every message names the
// session it is meant for, so a message for an ended session is recognised and dropped):
//   caller  --offer------------------> cloud --invitationOffered-----> callee
//   callee  --acknowledge------------> cloud --invitationAcknowledged-> caller   (automatic)
//   callee  --answer(accept|refuse)--> cloud --invitationAnswered----> caller
//   caller  --acknowledgeAnswer------> cloud --acceptAcknowledged----> callee   (accepts only)
//   caller  --cancel-----------------> cloud --invitationCanceled----> callee
// Every timeout (acknowledgement, expiry, accept acknowledgement) runs on the client, as in the
// SDK; the cloud only routes.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace rtm_emulator {

struct InvitationOffer {
  std::uint64_t invitationId = 0;
  std::string callerId;
  std::uint64_t callerSessionId = 0;
  std::string calleeId;
  std::string content;
  std::string channelId;
};

// Cloud -> client. Called on any thread (in process: the sender's callback thread); must not
// block and must not call back into the cloud synchronously.
class InvitationLink {
 public:
  virtual ~InvitationLink() = default;
  // To the callee. `sessionId` is the callee's session the cloud handed it to.
  virtual void invitationOffered(std::uint64_t sessionId, const InvitationOffer& offer) = 0;
  // To the caller: the callee's client has it.
  virtual void invitationAcknowledged(std::uint64_t sessionId, std::uint64_t invitationId,
                                      std::uint64_t calleeSessionId) = 0;
  // To the caller: the callee accepted (accepted = true) or refused, with its response.
  virtual void invitationAnswered(std::uint64_t sessionId, std::uint64_t invitationId, bool accepted,
                                  const std::string& response, std::uint64_t calleeSessionId) = 0;
  // To the callee: the caller cancelled.
  virtual void invitationCanceled(std::uint64_t sessionId, const std::string& callerId,
                                  std::uint64_t invitationId) = 0;
  // To the callee: the caller's client got the accept.
  virtual void acceptAcknowledged(std::uint64_t sessionId, const std::string& callerId,
                                  std::uint64_t invitationId) = 0;
};

// Client -> cloud: the client's half of the protocol above (in process: InvitationCore itself;
// over TCP: frames). Calls never block; a message to a user whose link is down is lost.
class InvitationConnection {
 public:
  virtual ~InvitationConnection() = default;
  // The client takes invitations for its session (after login) / stops (logout, kick, release).
  virtual void attach(const std::string& userId, std::uint64_t sessionId, std::weak_ptr<InvitationLink> link) = 0;
  virtual void detach(const std::string& userId, std::uint64_t sessionId) = 0;
  // done(true, calleeSessionId) when the callee's session took the offer; done(false, 0) when the
  // callee has no session taking invitations (the caller retries until its ack timeout).
  virtual void offer(const InvitationOffer& offer, std::function<void(bool taken, std::uint64_t calleeSessionId)> done) = 0;
  virtual void acknowledge(const std::string& calleeId, std::uint64_t calleeSessionId, const std::string& callerId,
                           std::uint64_t callerSessionId, std::uint64_t invitationId) = 0;
  virtual void answer(const std::string& calleeId, std::uint64_t calleeSessionId, const std::string& callerId,
                      std::uint64_t callerSessionId, std::uint64_t invitationId, bool accepted,
                      const std::string& response) = 0;
  virtual void acknowledgeAnswer(const std::string& callerId, const std::string& calleeId,
                                 std::uint64_t calleeSessionId, std::uint64_t invitationId) = 0;
  virtual void cancel(const std::string& callerId, const std::string& calleeId, std::uint64_t calleeSessionId,
                      std::uint64_t invitationId) = 0;
};

}  // namespace rtm_emulator
