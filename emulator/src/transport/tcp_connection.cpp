#include "transport/tcp_connection.h"

#include <thread>

#include "transport/tcp_client_core.h"

namespace rtm_emulator {

using namespace agora::rtm;
using tcp_client::ClientCore;
using tcp_client::kLogoutWaitMs;
using wire::Kind;
using wire::Reader;
using wire::Writer;

namespace {

// in progress, when destroyed from that thread).
class TcpConnection final : public ServiceConnection, public ChannelConnection, public InvitationConnection {
 public:
  TcpConnection(std::shared_ptr<ClientCore> core) : core_(std::move(core)) {
    thread_ = std::thread([c = core_] { c->run(); });
  }
  ~TcpConnection() override {
    core_->stop();
    if (thread_.get_id() == std::this_thread::get_id()) {
      thread_.detach();
    } else {
      thread_.join();
    }
  }

  ChannelConnection* channels() override { return this; }
  InvitationConnection* invitations() override { return this; }

  void login(const std::string& appId, const std::string& userId, const std::string& token,
             std::shared_ptr<SessionLink> link, std::function<bool(const LoginAnswer&)> done) override {
    core_->startLogin(userId, token, std::move(link));
    const std::uint32_t id = core_->nextId();
    std::weak_ptr<ClientCore> weak = core_;
    core_->request(id, "e8", Writer(Kind::Login).u32(id).str(appId).str(userId).str(token).finish(),
                   [weak, userId, done](Reader& r) {
                     LoginAnswer answer;
                     answer.code = static_cast<LOGIN_ERR_CODE>(r.i32());
                     answer.sessionId = r.u64();
                     std::shared_ptr<ClientCore> core = weak.lock();
                     if (!core) return;
                     if (answer.code == LOGIN_ERR_OK) core->setSession(answer.sessionId);
                     if (!done(answer) && answer.code == LOGIN_ERR_OK) {
                       core->send(Writer(Kind::Logout).u32(0).str(userId).u64(answer.sessionId).finish());
                       core->endSession();
                     }
                   });
  }

  // Waits (boundedly) for the service to have ended the session, as an in-process logout has
  // when it returns: the client reports DISCONNECTED / onLogout next, and a peer asked right then
  // must already see the user offline.
  void logout(const std::string& userId, std::uint64_t sessionId) override {
    const std::uint32_t id = core_->nextId();
    auto acked = std::make_shared<std::promise<void>>();
    std::future<void> done = acked->get_future();
    core_->request(id, "", Writer(Kind::Logout).u32(id).str(userId).u64(sessionId).finish(),
                   [acked](Reader&) { acked->set_value(); });
    core_->endSession();
    if (core_->linkUp() && !core_->onIoThread()) done.wait_for(std::chrono::milliseconds(kLogoutWaitMs));
  }

  void renewToken(const std::string& userId, std::uint64_t sessionId, const std::string& token,
                  std::function<void(RENEW_TOKEN_ERR_CODE)> done) override {
    const std::uint32_t id = core_->nextId();
    core_->request(id, "e", Writer(Kind::RenewToken).u32(id).str(userId).u64(sessionId).str(token).finish(),
                   [done](Reader& r) { done(static_cast<RENEW_TOKEN_ERR_CODE>(r.i32())); });
  }

  void sendPeerMessage(const std::string& userId, std::uint64_t sessionId, const std::string& peerId,
                       std::shared_ptr<PeerMessageData> message, bool enableOfflineMessaging,
                       PeerMessageAnswer done) override {
    // The answer handler is copied around (std::function): it shares the move-only answer.
    auto answer = std::make_shared<PeerMessageAnswer>(std::move(done));
    const std::uint32_t id = core_->nextId();
    core_->request(id, "e",
                   Writer(Kind::PeerMessage)
                       .u32(id)
                       .str(userId)
                       .u64(sessionId)
                       .str(peerId)
                       .message(*message)
                       .u8(enableOfflineMessaging ? 1 : 0)
                       .finish(),
                   [answer](Reader& r) { (*answer)(static_cast<PEER_MESSAGE_ERR_CODE>(r.i32())); });
  }

  void queryPeersOnlineStatus(const std::string& userId, std::uint64_t sessionId, std::vector<std::string> peerIds,
                              std::function<void(const std::vector<PeerStatusData>&)> done) override {
    const std::uint32_t id = core_->nextId();
    core_->request(id, "t", Writer(Kind::QueryPeers).u32(id).str(userId).u64(sessionId).strings(peerIds).finish(),
                   [done](Reader& r) { done(r.statuses()); });
  }

  void subscribePeers(const std::string& userId, std::uint64_t sessionId, std::vector<std::string> peerIds,
                      bool subscribe,
                      std::function<void(PEER_SUBSCRIPTION_STATUS_ERR, const std::vector<PeerStatusData>&)> done) override {
    const std::uint32_t id = core_->nextId();
    std::weak_ptr<ClientCore> weak = core_;
    core_->request(id, "et",
                   Writer(Kind::SubscribePeers).u32(id).str(userId).u64(sessionId).strings(peerIds).u8(subscribe ? 1 : 0).finish(),
                   [weak, peerIds, subscribe, done](Reader& r) {
                     const auto code = static_cast<PEER_SUBSCRIPTION_STATUS_ERR>(r.i32());
                     const std::vector<PeerStatusData> snapshot = r.statuses();
                     std::shared_ptr<ClientCore> core = weak.lock();
                     if (core && code == PEER_SUBSCRIPTION_STATUS_ERR_OK) core->subscribed(peerIds, subscribe);
                     done(code, snapshot);
                   });
  }

  void querySubscribedPeers(const std::string& userId, std::uint64_t sessionId,
                            std::function<void(const std::vector<std::string>&)> done) override {
    const std::uint32_t id = core_->nextId();
    core_->request(id, "l", Writer(Kind::QuerySubscribed).u32(id).str(userId).u64(sessionId).finish(),
                   [done](Reader& r) { done(r.strings()); });
  }

  void writeUserAttributes(const std::string& userId, std::uint64_t sessionId, AttributeWrite op,
                           AttributeList attributes, std::function<void(ATTRIBUTE_OPERATION_ERR)> done) override {
    const std::uint32_t id = core_->nextId();
    std::weak_ptr<ClientCore> weak = core_;
    std::string frame = Writer(Kind::WriteUserAttributes)
                            .u32(id)
                            .str(userId)
                            .u64(sessionId)
                            .u8(static_cast<std::uint8_t>(op))
                            .pairs(attributes)
                            .finish();
    core_->request(id, "e", frame, [weak, op, attributes = std::move(attributes), done](Reader& r) {
      const auto code = static_cast<ATTRIBUTE_OPERATION_ERR>(r.i32());
      std::shared_ptr<ClientCore> core = weak.lock();
      if (core && code == ATTRIBUTE_OPERATION_ERR_OK) core->wroteAttributes(op, attributes);
      done(code);
    });
  }

  void getUserAttributes(const std::string& userId, std::uint64_t sessionId, const std::string& targetUserId, bool all,
                         std::vector<std::string> keys,
                         std::function<void(ATTRIBUTE_OPERATION_ERR, const AttributeList&)> done) override {
    const std::uint32_t id = core_->nextId();
    core_->request(
        id, "ep",
        Writer(Kind::GetUserAttributes).u32(id).str(userId).u64(sessionId).str(targetUserId).u8(all ? 1 : 0).strings(keys).finish(),
        [done](Reader& r) {
          const auto code = static_cast<ATTRIBUTE_OPERATION_ERR>(r.i32());
          const AttributeList attributes = r.pairs();
          done(code, attributes);
        });
  }

  // ChannelConnection
  void joinChannel(const std::string& userId, std::uint64_t sessionId, const std::string& channelId,
                   std::shared_ptr<ChannelLink> link, std::function<void(JOIN_CHANNEL_ERR, int)> done) override {
    const std::uint32_t id = core_->nextId();
    std::weak_ptr<ClientCore> weak = core_;
    // Registered before the answer: the join's pushes may follow it at once.
    core_->request(id, "e4", Writer(Kind::Join).u32(id).str(userId).u64(sessionId).str(channelId).finish(),
                   [weak, channelId, link, done](Reader& r) {
                     const auto code = static_cast<JOIN_CHANNEL_ERR>(r.i32());
                     const int count = r.i32();
                     std::shared_ptr<ClientCore> core = weak.lock();
                     if (core && code == JOIN_CHANNEL_ERR_OK) core->joined(channelId, link);
                     done(code, count);
                   });
  }

  void leaveChannel(const std::string& userId, std::uint64_t sessionId, const std::string& channelId,
                    std::function<void(LEAVE_CHANNEL_ERR)> done) override {
    const std::uint32_t id = core_->nextId();
    std::weak_ptr<ClientCore> weak = core_;
    core_->request(id, "e", Writer(Kind::Leave).u32(id).str(userId).u64(sessionId).str(channelId).finish(),
                   [weak, channelId, done](Reader& r) {
                     const auto code = static_cast<LEAVE_CHANNEL_ERR>(r.i32());
                     std::shared_ptr<ClientCore> core = weak.lock();
                     if (core && code == LEAVE_CHANNEL_ERR_OK) core->left(channelId);
                     done(code);
                   });
  }

  void sendChannelMessage(const std::string& userId, std::uint64_t sessionId, const std::string& channelId,
                          std::shared_ptr<PeerMessageData> message,
                          std::function<void(CHANNEL_MESSAGE_ERR_CODE)> done) override {
    const std::uint32_t id = core_->nextId();
    core_->request(id, "e", Writer(Kind::ChannelMessage).u32(id).str(userId).u64(sessionId).str(channelId).message(*message).finish(),
                   [done](Reader& r) { done(static_cast<CHANNEL_MESSAGE_ERR_CODE>(r.i32())); });
  }

  void getChannelMembers(const std::string& userId, std::uint64_t sessionId, const std::string& channelId,
                         std::function<void(GET_MEMBERS_ERR, const std::vector<std::string>&)> done) override {
    const std::uint32_t id = core_->nextId();
    core_->request(id, "el", Writer(Kind::GetMembers).u32(id).str(userId).u64(sessionId).str(channelId).finish(),
                   [done](Reader& r) {
                     const auto code = static_cast<GET_MEMBERS_ERR>(r.i32());
                     const std::vector<std::string> members = r.strings();
                     done(code, members);
                   });
  }

  void writeChannelAttributes(const std::string& userId, std::uint64_t sessionId, const std::string& channelId,
                              AttributeWrite op, AttributeList attributes, bool notifyMembers,
                              std::function<void(ATTRIBUTE_OPERATION_ERR)> done) override {
    const std::uint32_t id = core_->nextId();
    core_->request(id, "e",
                   Writer(Kind::WriteChannelAttributes)
                       .u32(id)
                       .str(userId)
                       .u64(sessionId)
                       .str(channelId)
                       .u8(static_cast<std::uint8_t>(op))
                       .pairs(attributes)
                       .u8(notifyMembers ? 1 : 0)
                       .finish(),
                   [done](Reader& r) { done(static_cast<ATTRIBUTE_OPERATION_ERR>(r.i32())); });
  }

  void getChannelAttributes(const std::string& userId, std::uint64_t sessionId, const std::string& channelId, bool all,
                            std::vector<std::string> keys,
                            std::function<void(ATTRIBUTE_OPERATION_ERR, const ChannelAttributeList&)> done) override {
    const std::uint32_t id = core_->nextId();
    core_->request(
        id, "ea",
        Writer(Kind::GetChannelAttributes).u32(id).str(userId).u64(sessionId).str(channelId).u8(all ? 1 : 0).strings(keys).finish(),
        [done](Reader& r) {
          const auto code = static_cast<ATTRIBUTE_OPERATION_ERR>(r.i32());
          const ChannelAttributeList list = r.channelAttributes();
          done(code, list);
        });
  }

  void getChannelMemberCounts(const std::string& userId, std::uint64_t sessionId, std::vector<std::string> channelIds,
                              std::function<void(const std::vector<int>&)> done) override {
    const std::uint32_t id = core_->nextId();
    core_->request(id, "n", Writer(Kind::GetMemberCounts).u32(id).str(userId).u64(sessionId).strings(channelIds).finish(),
                   [done](Reader& r) {
                     std::vector<int> counts;
                     const std::uint32_t n = r.u32();
                     for (std::uint32_t i = 0; i < n && r.ok(); ++i) counts.push_back(r.i32());
                     if (r.done()) done(counts);
                   });
  }

  // InvitationConnection
  void attach(const std::string& userId, std::uint64_t sessionId, std::weak_ptr<InvitationLink> link) override {
    core_->attachInvitations(std::move(link));
    core_->send(Writer(Kind::InvitationAttach).str(userId).u64(sessionId).finish());
  }
  void detach(const std::string& userId, std::uint64_t sessionId) override {
    core_->attachInvitations({});
    core_->send(Writer(Kind::InvitationDetach).str(userId).u64(sessionId).finish());
  }
  void offer(const InvitationOffer& offer, std::function<void(bool, std::uint64_t)> done) override {
    const std::uint32_t id = core_->nextId();
    core_->request(id, "18", Writer(Kind::InvitationOffer).u32(id).offer(offer).finish(), [done](Reader& r) {
      const bool taken = r.u8() != 0;
      const std::uint64_t calleeSessionId = r.u64();
      done(taken, calleeSessionId);
    });
  }
  void acknowledge(const std::string& calleeId, std::uint64_t calleeSessionId, const std::string& callerId,
                   std::uint64_t callerSessionId, std::uint64_t invitationId) override {
    core_->send(Writer(Kind::InvitationAck).str(calleeId).u64(calleeSessionId).str(callerId).u64(callerSessionId).u64(invitationId).finish());
  }
  void answer(const std::string& calleeId, std::uint64_t calleeSessionId, const std::string& callerId,
              std::uint64_t callerSessionId, std::uint64_t invitationId, bool accepted, const std::string& response) override {
    core_->send(Writer(Kind::InvitationAnswer)
                    .str(calleeId)
                    .u64(calleeSessionId)
                    .str(callerId)
                    .u64(callerSessionId)
                    .u64(invitationId)
                    .u8(accepted ? 1 : 0)
                    .str(response)
                    .finish());
  }
  void acknowledgeAnswer(const std::string& callerId, const std::string& calleeId, std::uint64_t calleeSessionId,
                         std::uint64_t invitationId) override {
    core_->send(Writer(Kind::InvitationAckAnswer).str(callerId).str(calleeId).u64(calleeSessionId).u64(invitationId).finish());
  }
  void cancel(const std::string& callerId, const std::string& calleeId, std::uint64_t calleeSessionId,
              std::uint64_t invitationId) override {
    core_->send(Writer(Kind::InvitationCancel).str(callerId).str(calleeId).u64(calleeSessionId).u64(invitationId).finish());
  }

 private:
  const std::shared_ptr<ClientCore> core_;
  std::thread thread_;
};

}  // namespace

std::shared_ptr<ServiceConnection> makeTcpConnection(const std::string& host, int port, const std::string& appId) {
  return std::make_shared<TcpConnection>(std::make_shared<ClientCore>(host, port, appId));
}

}  // namespace rtm_emulator
