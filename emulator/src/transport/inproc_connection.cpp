#include "transport/inproc_connection.h"

#include <utility>

#include "cloud/channel_core.h"
#include "cloud/invitation_core.h"
#include "cloud/service_core.h"

namespace rtm_emulator {

namespace {

using namespace agora::rtm;

class InProcessConnection final : public ServiceConnection {
 public:
  explicit InProcessConnection(std::shared_ptr<ServiceCore> core)
      : core_(std::move(core)), channels_(makeInProcessChannelConnection(core_)) {}

  ChannelConnection* channels() override { return channels_.get(); }
  InvitationConnection* invitations() override { return core_ ? &core_->invitations() : nullptr; }

  void login(const std::string& appId, const std::string& userId, const std::string& token,
             std::shared_ptr<SessionLink> link, std::function<bool(const LoginAnswer&)> done) override {
    if (core_) core_->login(appId, userId, token, std::move(link), done);
  }

  void logout(const std::string& userId, std::uint64_t sessionId) override {
    if (core_) core_->logout(userId, sessionId);
  }

  void renewToken(const std::string& userId, std::uint64_t sessionId, const std::string& token,
                  std::function<void(RENEW_TOKEN_ERR_CODE)> done) override {
    if (!core_) return;
    RENEW_TOKEN_ERR_CODE result = RENEW_TOKEN_ERR_FAILURE;
    if (core_->renewToken(userId, sessionId, token, &result)) done(result);
  }

  void sendPeerMessage(const std::string& userId, std::uint64_t sessionId, const std::string& peerId,
                       std::shared_ptr<PeerMessageData> message, bool enableOfflineMessaging,
                       PeerMessageAnswer done) override {
    if (core_) core_->sendPeerMessage(userId, sessionId, peerId, std::move(message), enableOfflineMessaging, std::move(done));
  }

  void queryPeersOnlineStatus(const std::string& userId, std::uint64_t sessionId, std::vector<std::string> peerIds,
                              std::function<void(const std::vector<PeerStatusData>&)> done) override {
    if (core_) core_->queryPeersOnlineStatus(userId, sessionId, peerIds, std::move(done));
  }

  void subscribePeers(const std::string& userId, std::uint64_t sessionId, std::vector<std::string> peerIds,
                      bool subscribe,
                      std::function<void(PEER_SUBSCRIPTION_STATUS_ERR, const std::vector<PeerStatusData>&)> done) override {
    if (core_) core_->subscribePeers(userId, sessionId, peerIds, subscribe, std::move(done));
  }

  void querySubscribedPeers(const std::string& userId, std::uint64_t sessionId,
                            std::function<void(const std::vector<std::string>&)> done) override {
    if (core_) core_->querySubscribedPeers(userId, sessionId, std::move(done));
  }

  void writeUserAttributes(const std::string& userId, std::uint64_t sessionId, AttributeWrite op,
                           AttributeList attributes, std::function<void(ATTRIBUTE_OPERATION_ERR)> done) override {
    if (core_) core_->writeUserAttributes(userId, sessionId, op, attributes, std::move(done));
  }

  void getUserAttributes(const std::string& userId, std::uint64_t sessionId, const std::string& targetUserId, bool all,
                         std::vector<std::string> keys,
                         std::function<void(ATTRIBUTE_OPERATION_ERR, const AttributeList&)> done) override {
    if (core_) core_->getUserAttributes(userId, sessionId, targetUserId, all, keys, std::move(done));
  }

 private:
  std::shared_ptr<ServiceCore> core_;
  std::shared_ptr<ChannelConnection> channels_;
};

}  // namespace

std::shared_ptr<ServiceConnection> makeInProcessConnection(std::shared_ptr<ServiceCore> core) {
  return std::make_shared<InProcessConnection>(std::move(core));
}

}  // namespace rtm_emulator
