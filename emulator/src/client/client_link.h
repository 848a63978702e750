// ClientLink: the SessionLink a client hands to the service for one login attempt. It forwards
// what the service says to its RtmServiceImpl until detach(); afterwards it drops everything, so
// the service (or a transport thread) may outlive the client safely. Each link carries the
// client's login epoch, so answers meant for an earlier attempt are recognised as stale.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "common/adaptive_mutex.h"
#include "transport/session_link.h"

namespace rtm_emulator {

class RtmServiceImpl;

class ClientLink final : public SessionLink {
 public:
  ClientLink(RtmServiceImpl* client, std::uint64_t epoch) : client_(client), owner_(client), epoch_(epoch) {}

  // The client this link was made for (even once detached: compare it, never call it) and its
  // login epoch: how a pump recognises answers for itself (RtmServiceImpl::completeOnOwnPump).
  const RtmServiceImpl* owner() const { return owner_; }
  std::uint64_t epoch() const { return epoch_; }

  void onKicked(agora::rtm::CONNECTION_CHANGE_REASON reason) override;
  void onTokenExpired() override;
  bool onPeerMessage(const std::string& senderId, const std::shared_ptr<const PeerMessageData>& message,
                     bool offline) override;
  void onPeerMessages(const PeerMessageRef* messages, std::size_t n, bool* taken) override;
  bool answersAtOnce() const override { return true; }  // in process: deliverPeerMessage not overridden
  void onPeersOnlineStatusChanged(const std::vector<PeerStatusData>& changes) override;
  void onConnectionLost() override;
  void onConnectionRestored(std::uint64_t sessionId) override;

  // The service's answer to this attempt's login. False when nobody took it (detached or stale):
  // the service then ends the session it opened.
  bool deliverLoginAnswer(const LoginAnswer& answer);
  void deliverRenewTokenResult(const std::string& token, agora::rtm::RENEW_TOKEN_ERR_CODE code);

  // Runs f(client, epoch) unless detached: how request answers reach the client. (Defined where
  // RtmServiceImpl is complete.)
  template <typename F>
  void forward(F&& f) {
    std::lock_guard<AdaptiveMutex> lock(mu_);
    if (client_ != nullptr) f(*client_, epoch_);
  }

  bool attached() const;
  // Waits for a forward in progress to finish; then no call reaches the client again.
  // Must not be called while holding the client's mutex.
  void detach();

 private:
  mutable AdaptiveMutex mu_;  // held while forwarding; the client's mutex nests inside it
  RtmServiceImpl* client_;
  const RtmServiceImpl* const owner_;
  const std::uint64_t epoch_;
};

}  // namespace rtm_emulator
