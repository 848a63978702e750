// Private to tcp_server*.cpp: TcpServer's implementation class, the per-connection state, and
// the proxies that stand in for a remote client's links (SessionLink / InvitationLink /
// ChannelLink) inside the core. tcp_server.cpp runs the I/O (accept, read, close, resume);
// tcp_server_requests.cpp decodes the requests a client sends and calls the core.
#pragma once

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <vector>

#include "cloud/invitation_core.h"
#include "cloud/service_core.h"
#include "common/json.h"
#include "common/limits.h"
#include "transport/control_commands.h"
#include "transport/inproc_connection.h"
#include "transport/socket_io.h"
#include "transport/wire.h"
#include "transport/tcp_server.h"

namespace rtm_emulator {

using namespace agora::rtm;
using wire::Kind;
using wire::Reader;
using wire::Writer;

namespace tcp_server_detail {

// Per connection; a slow client is cut off beyond this (the real service drops it too).
inline constexpr std::size_t kSendLimitBytes = 16u << 20;

struct Conn;
class SessionProxy;

}  // namespace tcp_server_detail

using tcp_server_detail::Conn;
using tcp_server_detail::SessionProxy;

class TcpServer::Impl : public std::enable_shared_from_this<TcpServer::Impl> {
 public:
  explicit Impl(std::shared_ptr<ServiceCore> core)
      : core_(std::move(core)), local_(makeInProcessConnection(core_)) {}

  void run();
  void stop() {
    stopping_ = true;
    waker_.wake();
  }
  // Queues a frame on a connection from any thread; false when the connection is gone.
  bool send(const std::shared_ptr<Conn>& conn, const std::string& frame);
  TcpServer::Stats stats() const;

  int listenFd = -1;

 private:
  void accept();
  void readFrom(const std::shared_ptr<Conn>& conn);
  void handle(const std::shared_ptr<Conn>& conn, const std::string& body);
  void handleRequest(const std::shared_ptr<Conn>& conn, Kind kind, Reader& r);
  void handleResume(const std::shared_ptr<Conn>& conn, std::uint32_t id, Reader& r);
  void handleInvitation(const std::shared_ptr<Conn>& conn, Kind kind, Reader& r);
  void close(const std::shared_ptr<Conn>& conn);

  const std::shared_ptr<ServiceCore> core_;
  const std::shared_ptr<ServiceConnection> local_;
  Waker waker_;
  std::atomic<bool> stopping_{false};
  std::map<int, std::shared_ptr<Conn>> conns_;  // I/O thread only
  // The last session each user logged in through this server (for Resume).
  std::mutex sessionsMu_;
  std::map<std::string, std::weak_ptr<SessionProxy>> sessions_;
  // Counted on every frame, from the I/O thread and every thread that sends: atomics, no lock.
  std::atomic<std::uint64_t> connections_{0}, framesIn_{0}, framesOut_{0}, bytesIn_{0}, bytesOut_{0};
};

namespace tcp_server_detail {

struct Conn {
  explicit Conn(int f) : fd(f), out(kSendLimitBytes) {}
  const int fd;
  wire::FrameBuffer in;
  SendBuffer out;
  bool hello = false;
  wire::Role role = wire::Role::Client;
  std::atomic<bool> closed{false};
  long long lastHeardMs = monotonicMs();
  std::shared_ptr<SessionProxy> session;  // the session this connection carries (I/O thread)
};

// The remote client's links as the core sees them: one per login, re-bound to a new connection
// by Resume. Pushes go to whichever connection carries the session now; none while it has none.
class SessionProxy final : public SessionLink, public InvitationLink, public std::enable_shared_from_this<SessionProxy> {
 public:
  SessionProxy(std::weak_ptr<TcpServer::Impl> server, std::shared_ptr<Conn> conn, std::string userId)
      : server_(std::move(server)), conn_(std::move(conn)), userId_(std::move(userId)) {}

  const std::string& userId() const { return userId_; }
  std::uint64_t sessionId() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sessionId_;
  }
  void setSessionId(std::uint64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    sessionId_ = id;
  }
  std::shared_ptr<Conn> conn() const {
    std::lock_guard<std::mutex> lock(mu_);
    return conn_.lock();
  }
  void rebind(const std::shared_ptr<Conn>& conn) {
    std::lock_guard<std::mutex> lock(mu_);
    conn_ = conn;
  }
  bool send(const std::string& frame) {
    std::shared_ptr<Conn> c = conn();
    std::shared_ptr<TcpServer::Impl> server = server_.lock();
    return c && server && server->send(c, frame);
  }

  void onKicked(CONNECTION_CHANGE_REASON reason) override {
    send(Writer(Kind::Kicked).i32(reason).finish());
  }
  void onTokenExpired() override { send(Writer(Kind::TokenExpired).finish()); }
  // Not used: the core delivers through deliverPeerMessage, answered by the client's ack.
  bool onPeerMessage(const std::string&, const std::shared_ptr<const PeerMessageData>&, bool) override { return false; }
  // RECEIVED only once the client took it (PeerMessageAck): a client that logged out or dropped
  // its link meanwhile did not, and the sender hears what it would for a user not online.
  void deliverPeerMessage(const std::string& senderId, const std::shared_ptr<const PeerMessageData>& message,
                          bool offline, std::function<void(bool)> taken) override {
    std::uint32_t id = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      id = ++lastDelivery_;
      deliveries_[id] = taken;
    }
    if (!send(Writer(Kind::PushPeerMessage).u32(id).str(senderId).message(*message).u8(offline ? 1 : 0).finish())) {
      acked(id, false);
    }
  }
  // The client's answer to delivery `id` (unknown ids: ignored).
  void acked(std::uint32_t id, bool taken) {
    std::function<void(bool)> done;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = deliveries_.find(id);
      if (it == deliveries_.end()) return;
      done = std::move(it->second);
      deliveries_.erase(it);
    }
    done(taken);
  }
  // The connection carrying them went away: whatever was not acknowledged was not taken.
  void failDeliveries() {
    std::map<std::uint32_t, std::function<void(bool)>> pending;
    {
      std::lock_guard<std::mutex> lock(mu_);
      pending.swap(deliveries_);
    }
    for (auto& entry : pending) entry.second(false);
  }
  void onPeersOnlineStatusChanged(const std::vector<PeerStatusData>& changes) override {
    send(Writer(Kind::PushPresence).statuses(changes).finish());
  }
  void onConnectionLost() override { send(Writer(Kind::ConnectionLost).finish()); }
  void onConnectionRestored(std::uint64_t sessionId) override {
    setSessionId(sessionId);
    send(Writer(Kind::ConnectionRestored).u64(sessionId).finish());
  }

  void invitationOffered(std::uint64_t sessionId, const InvitationOffer& offer) override {
    send(Writer(Kind::InvitationOffered).u64(sessionId).offer(offer).finish());
  }
  void invitationAcknowledged(std::uint64_t sessionId, std::uint64_t invitationId,
                              std::uint64_t calleeSessionId) override {
    send(Writer(Kind::InvitationAcknowledged).u64(sessionId).u64(invitationId).u64(calleeSessionId).finish());
  }
  void invitationAnswered(std::uint64_t sessionId, std::uint64_t invitationId, bool accepted,
                          const std::string& response, std::uint64_t calleeSessionId) override {
    send(Writer(Kind::InvitationAnswered)
             .u64(sessionId)
             .u64(invitationId)
             .u8(accepted ? 1 : 0)
             .str(response)
             .u64(calleeSessionId)
             .finish());
  }
  void invitationCanceled(std::uint64_t sessionId, const std::string& callerId, std::uint64_t invitationId) override {
    send(Writer(Kind::InvitationCanceled).u64(sessionId).str(callerId).u64(invitationId).finish());
  }
  void acceptAcknowledged(std::uint64_t sessionId, const std::string& callerId, std::uint64_t invitationId) override {
    send(Writer(Kind::AcceptAcknowledged).u64(sessionId).str(callerId).u64(invitationId).finish());
  }

 private:
  const std::weak_ptr<TcpServer::Impl> server_;
  mutable std::mutex mu_;
  std::weak_ptr<Conn> conn_;
  const std::string userId_;
  std::uint64_t sessionId_ = 0;
  std::uint32_t lastDelivery_ = 0;
  std::map<std::uint32_t, std::function<void(bool)>> deliveries_;
};

class ChannelProxy final : public ChannelLink {
 public:
  ChannelProxy(std::shared_ptr<SessionProxy> session, std::string channelId)
      : session_(std::move(session)), channelId_(std::move(channelId)) {}
  void onMemberJoined(const std::string& userId) override {
    session_->send(Writer(Kind::MemberJoined).str(channelId_).str(userId).finish());
  }
  void onMemberLeft(const std::string& userId) override {
    session_->send(Writer(Kind::MemberLeft).str(channelId_).str(userId).finish());
  }
  void onChannelMessage(const std::string& senderId, const std::shared_ptr<const PeerMessageData>& message) override {
    session_->send(Writer(Kind::PushChannelMessage).str(channelId_).str(senderId).message(*message).finish());
  }
  void onAttributesUpdated(const std::shared_ptr<const ChannelAttributeList>& attributes) override {
    session_->send(Writer(Kind::AttributesUpdated).str(channelId_).channelAttributes(*attributes).finish());
  }
  void onMemberCountUpdated(int memberCount) override {
    session_->send(Writer(Kind::MemberCountUpdated).str(channelId_).i32(memberCount).finish());
  }

 private:
  const std::shared_ptr<SessionProxy> session_;
  const std::string channelId_;
};

inline Writer response(std::uint32_t id) { return std::move(Writer(Kind::Response).u32(id)); }

}  // namespace tcp_server_detail
}  // namespace rtm_emulator
