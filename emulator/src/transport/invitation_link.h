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

}  // namespace rtm_emulator
