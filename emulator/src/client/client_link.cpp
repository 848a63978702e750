#include "client/client_link.h"

#include "client/rtm_service_impl.h"

namespace rtm_emulator {

void ClientLink::onKicked(agora::rtm::CONNECTION_CHANGE_REASON reason) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (client_ != nullptr) client_->handleKicked(epoch_, reason);
}

void ClientLink::onTokenExpired() {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (client_ != nullptr) client_->handleTokenExpired(epoch_);
}

bool ClientLink::onPeerMessage(const std::string& senderId, const std::shared_ptr<const PeerMessageData>& message,
                               bool offline) {
  const PeerMessageRef ref{&senderId, &message, offline};
  bool taken = false;
  onPeerMessages(&ref, 1, &taken);
  return taken;
}

void ClientLink::onPeerMessages(const PeerMessageRef* messages, std::size_t n, bool* taken) {
  RtmServiceImpl* claimed = nullptr;
  {
    std::lock_guard<AdaptiveMutex> lock(mu_);
    if (client_ != nullptr) {
      if (client_->handlePeerMessages(epoch_, messages, n, taken)) claimed = client_;
    } else {
      for (std::size_t i = 0; i < n; ++i) taken[i] = false;
    }
  }
  // Outside every lock (no emulator lock is held while a handler runs); the claimed strand keeps
  // the client alive meanwhile.
  if (claimed != nullptr) claimed->deliverClaimedPeerMessages(messages, n);
}

void ClientLink::onPeersOnlineStatusChanged(const std::vector<PeerStatusData>& changes) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (client_ != nullptr) client_->handlePeersOnlineStatusChanged(epoch_, changes);
}

void ClientLink::onConnectionLost() {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (client_ != nullptr) client_->handleConnectionLost(epoch_);
}

void ClientLink::onConnectionRestored(std::uint64_t sessionId) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (client_ != nullptr) client_->handleConnectionRestored(epoch_, sessionId);
}

bool ClientLink::deliverLoginAnswer(const LoginAnswer& answer) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  return client_ != nullptr && client_->handleLoginAnswer(epoch_, answer);
}

void ClientLink::deliverRenewTokenResult(const std::string& token, agora::rtm::RENEW_TOKEN_ERR_CODE code) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (client_ != nullptr) client_->handleRenewTokenResult(epoch_, token, code);
}

bool ClientLink::attached() const {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  return client_ != nullptr;
}

void ClientLink::detach() {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  client_ = nullptr;
}

}  // namespace rtm_emulator
