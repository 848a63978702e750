#include "transport/tcp_server.h"

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

namespace rtm_emulator {

using namespace agora::rtm;
using wire::Kind;
using wire::Reader;
using wire::Writer;

namespace {

// Per connection; a slow client is cut off beyond this (the real service drops it too).
constexpr std::size_t kSendLimitBytes = 16u << 20;

struct Conn;
class SessionProxy;

}  // namespace

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

namespace {

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

Writer response(std::uint32_t id) { return std::move(Writer(Kind::Response).u32(id)); }

}  // namespace

bool TcpServer::Impl::send(const std::shared_ptr<Conn>& conn, const std::string& frame) {
  if (conn->closed) return false;
  bool wasEmpty = false;
  if (!conn->out.push(frame, &wasEmpty)) {
    waker_.wake();  // the I/O thread sees the overflow at its next flush and drops the client
    return false;
  }
  framesOut_.fetch_add(1, std::memory_order_relaxed);
  bytesOut_.fetch_add(frame.size(), std::memory_order_relaxed);
  if (wasEmpty) waker_.wake();
  return true;
}

TcpServer::Stats TcpServer::Impl::stats() const {
  TcpServer::Stats st;
  st.connections = connections_.load(std::memory_order_relaxed);
  st.framesIn = framesIn_.load(std::memory_order_relaxed);
  st.framesOut = framesOut_.load(std::memory_order_relaxed);
  st.bytesIn = bytesIn_.load(std::memory_order_relaxed);
  st.bytesOut = bytesOut_.load(std::memory_order_relaxed);
  return st;
}

void TcpServer::Impl::run() {
  std::vector<pollfd> fds;
  std::vector<std::shared_ptr<Conn>> order;
  while (!stopping_) {
    fds.clear();
    order.clear();
    fds.push_back({waker_.fd(), POLLIN, 0});
    fds.push_back({listenFd, POLLIN, 0});
    for (auto& entry : conns_) {
      short events = POLLIN;
      if (!entry.second->out.empty()) events |= POLLOUT;
      fds.push_back({entry.first, events, 0});
      order.push_back(entry.second);
    }
    const int n = ::poll(fds.data(), fds.size(), wire::kHeartbeatMs / 2);
    if (n < 0 && errno != EINTR) break;
    if (fds[0].revents != 0) waker_.drain();
    if (fds[1].revents & POLLIN) accept();
    const long long now = monotonicMs();
    for (std::size_t i = 0; i < order.size(); ++i) {
      const std::shared_ptr<Conn>& conn = order[i];
      const short ev = fds[i + 2].revents;
      if (conn->closed) continue;
      if (ev & (POLLIN | POLLHUP | POLLERR)) readFrom(conn);
      if (conn->closed) continue;
      if (!conn->out.flush(conn->fd)) {
        close(conn);
        continue;
      }
      if (conn->out.overflowed() || now - conn->lastHeardMs > wire::kSilenceMs) close(conn);
    }
  }
  // Best effort: what the core said last (e.g. the kicks of a closing service) goes out first.
  std::map<int, std::shared_ptr<Conn>> last;
  last.swap(conns_);
  for (auto& entry : last) {
    entry.second->out.flush(entry.first);
    close(entry.second);
  }
}

void TcpServer::Impl::accept() {
  for (;;) {
    const int fd = ::accept4(listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    setNoDelay(fd);
    conns_[fd] = std::make_shared<Conn>(fd);
    connections_.fetch_add(1, std::memory_order_relaxed);
  }
}

void TcpServer::Impl::readFrom(const std::shared_ptr<Conn>& conn) {
  char buf[64 * 1024];
  for (;;) {
    const ssize_t n = ::recv(conn->fd, buf, sizeof buf, 0);
    if (n > 0) {
      conn->lastHeardMs = monotonicMs();
      conn->in.feed(buf, static_cast<std::size_t>(n));
      bytesIn_.fetch_add(static_cast<std::uint64_t>(n), std::memory_order_relaxed);
      std::string body;
      while (!conn->closed && conn->in.next(&body)) handle(conn, body);
      if (conn->in.broken()) close(conn);
      if (conn->closed || static_cast<std::size_t>(n) < sizeof buf) return;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    close(conn);  // EOF or error
    return;
  }
}

void TcpServer::Impl::close(const std::shared_ptr<Conn>& conn) {
  if (conn->closed.exchange(true)) return;
  ::close(conn->fd);
  conns_.erase(conn->fd);
  connections_.fetch_sub(1, std::memory_order_relaxed);
  // The session this connection carried loses its link, as on a network failure.
  std::shared_ptr<SessionProxy> session = std::move(conn->session);
  if (session && session->conn() == conn) {
    session->rebind(nullptr);
    session->failDeliveries();
    if (session->sessionId() != 0 && core_->sessionIdOf(session->userId()) == session->sessionId()) {
      core_->dropConnection(session->userId());
    }
  }
}

void TcpServer::Impl::handle(const std::shared_ptr<Conn>& conn, const std::string& body) {
  framesIn_.fetch_add(1, std::memory_order_relaxed);
  Reader r(body.data() + 1, body.size() - 1);
  const Kind kind = static_cast<Kind>(static_cast<std::uint8_t>(body[0]));
  if (!conn->hello) {
    const std::uint32_t magic = r.u32();
    const std::uint16_t version = r.u16();
    const std::uint8_t role = r.u8();
    if (kind != Kind::Hello || !r.done() || magic != wire::kMagic || role > 1) {
      close(conn);
      return;
    }
    if (version != wire::kVersion) {
      send(conn, Writer(Kind::Error).str("unsupported protocol version").finish());
      conn->out.flush(conn->fd);
      close(conn);
      return;
    }
    conn->hello = true;
    conn->role = static_cast<wire::Role>(role);
    send(conn, Writer(Kind::Welcome).u16(wire::kVersion).str(limitsToJson(core_->limits())).finish());
    return;
  }
  if (kind == Kind::Ping) {
    send(conn, Writer(Kind::Pong).finish());
    return;
  }
  if (kind == Kind::Pong) return;
  if (kind == Kind::Control) {
    const std::uint32_t id = r.u32();
    const std::string command = r.str();
    const std::string args = r.str();
    if (!r.done() || conn->role != wire::Role::Control) {
      close(conn);
      return;
    }
    std::string result;
    const bool ok = runControlCommand(core_, command, args, &result);
    send(conn, response(id).u8(ok ? 1 : 0).str(result).finish());
    return;
  }
  if (conn->role != wire::Role::Client) {
    close(conn);
    return;
  }
  handleRequest(conn, kind, r);
}

void TcpServer::Impl::handleRequest(const std::shared_ptr<Conn>& conn, Kind kind, Reader& r) {
  std::weak_ptr<Impl> weakSelf = weak_from_this();
  std::weak_ptr<Conn> weakConn = conn;
  // Answers go back on the connection the request came on, if it is still open.
  auto reply = [weakSelf, weakConn](const std::string& frame) {
    std::shared_ptr<Impl> self = weakSelf.lock();
    std::shared_ptr<Conn> c = weakConn.lock();
    return self && c && self->send(c, frame);
  };
  // The answer of a request whose result is one code.
  auto codeTo = [reply](std::uint32_t id) {
    return [reply, id](auto code) { reply(response(id).i32(static_cast<std::int32_t>(code)).finish()); };
  };
  // After a request's fields: a malformed frame closes the connection; a connection acts only for
  // the session it carries, so a request naming another one is ignored, as a stale one is.
  auto accept = [&](const std::string& userId, std::uint64_t sessionId) {
    if (!r.done()) {
      close(conn);
      return false;
    }
    return conn->session && conn->session->userId() == userId && conn->session->sessionId() == sessionId &&
           sessionId != 0;
  };

  if (kind == Kind::Login) {
    const std::uint32_t id = r.u32();
    const std::string appId = r.str();
    const std::string userId = r.str();
    const std::string token = r.str();
    if (!r.done()) return close(conn);
    auto proxy = std::make_shared<SessionProxy>(weakSelf, conn, userId);
    conn->session = proxy;
    {
      std::lock_guard<std::mutex> lock(sessionsMu_);
      sessions_[userId] = proxy;
    }
    local_->login(appId, userId, token, proxy, [reply, id, proxy](const LoginAnswer& answer) {
      if (answer.code == LOGIN_ERR_OK) proxy->setSessionId(answer.sessionId);
      return reply(response(id).i32(answer.code).u64(answer.sessionId).finish());
    });
    return;
  }
  if (kind == Kind::Resume) return handleResume(conn, r.u32(), r);
  if (kind == Kind::PeerMessageAck) {
    const std::uint32_t delivery = r.u32();
    const bool taken = r.u8() != 0;
    if (!r.done()) return close(conn);
    if (conn->session) conn->session->acked(delivery, taken);
    return;
  }
  if (kind >= Kind::InvitationAttach && kind <= Kind::InvitationCancel) return handleInvitation(conn, kind, r);

  // Every other request names its session first: id userId sessionId.
  const std::uint32_t id = r.u32();
  const std::string userId = r.str();
  const std::uint64_t sessionId = r.u64();
  ChannelConnection* channels = local_->channels();
  switch (kind) {
    case Kind::Logout:
      // Answered once done (or refused as another session's), so that a client can tell its
      // logout is known to the service before it reports it.
      if (accept(userId, sessionId)) local_->logout(userId, sessionId);
      if (conn->hello && !conn->closed) send(conn, response(id).finish());
      return;
    case Kind::RenewToken: {
      const std::string token = r.str();
      if (accept(userId, sessionId)) local_->renewToken(userId, sessionId, token, codeTo(id));
      return;
    }
    case Kind::PeerMessage: {
      const std::string peerId = r.str();
      auto message = std::make_shared<PeerMessageData>(r.message());
      const bool offline = r.u8() != 0;
      if (accept(userId, sessionId)) {
        local_->sendPeerMessage(userId, sessionId, peerId, std::move(message), offline, codeTo(id));
      }
      return;
    }
    case Kind::QueryPeers: {
      std::vector<std::string> peers = r.strings();
      if (!accept(userId, sessionId)) return;
      local_->queryPeersOnlineStatus(userId, sessionId, std::move(peers), [reply, id](const std::vector<PeerStatusData>& s) {
        reply(response(id).statuses(s).finish());
      });
      return;
    }
    case Kind::SubscribePeers: {
      std::vector<std::string> peers = r.strings();
      const bool subscribe = r.u8() != 0;
      if (!accept(userId, sessionId)) return;
      local_->subscribePeers(userId, sessionId, std::move(peers), subscribe,
                             [reply, id](PEER_SUBSCRIPTION_STATUS_ERR code, const std::vector<PeerStatusData>& s) {
                               reply(response(id).i32(code).statuses(s).finish());
                             });
      return;
    }
    case Kind::QuerySubscribed:
      if (!accept(userId, sessionId)) return;
      local_->querySubscribedPeers(userId, sessionId, [reply, id](const std::vector<std::string>& peers) {
        reply(response(id).strings(peers).finish());
      });
      return;
    case Kind::WriteUserAttributes: {
      const std::uint8_t op = r.u8();
      AttributeList attributes = r.pairs();
      if (op > static_cast<std::uint8_t>(AttributeWrite::Clear)) return close(conn);
      if (!accept(userId, sessionId)) return;
      local_->writeUserAttributes(userId, sessionId, static_cast<AttributeWrite>(op), std::move(attributes), codeTo(id));
      return;
    }
    case Kind::GetUserAttributes: {
      const std::string target = r.str();
      const bool all = r.u8() != 0;
      std::vector<std::string> keys = r.strings();
      if (!accept(userId, sessionId)) return;
      local_->getUserAttributes(userId, sessionId, target, all, std::move(keys),
                                [reply, id](ATTRIBUTE_OPERATION_ERR code, const AttributeList& attributes) {
                                  reply(response(id).i32(code).pairs(attributes).finish());
                                });
      return;
    }
    case Kind::Join: {
      const std::string channelId = r.str();
      if (!accept(userId, sessionId)) return;
      auto link = std::make_shared<ChannelProxy>(conn->session, channelId);
      channels->joinChannel(userId, sessionId, channelId, link, [reply, id](JOIN_CHANNEL_ERR code, int count) {
        reply(response(id).i32(code).i32(count).finish());
      });
      return;
    }
    case Kind::Leave: {
      const std::string channelId = r.str();
      if (accept(userId, sessionId)) channels->leaveChannel(userId, sessionId, channelId, codeTo(id));
      return;
    }
    case Kind::ChannelMessage: {
      const std::string channelId = r.str();
      auto message = std::make_shared<PeerMessageData>(r.message());
      if (accept(userId, sessionId)) channels->sendChannelMessage(userId, sessionId, channelId, std::move(message), codeTo(id));
      return;
    }
    case Kind::GetMembers: {
      const std::string channelId = r.str();
      if (!accept(userId, sessionId)) return;
      channels->getChannelMembers(userId, sessionId, channelId,
                                  [reply, id](GET_MEMBERS_ERR code, const std::vector<std::string>& members) {
                                    reply(response(id).i32(code).strings(members).finish());
                                  });
      return;
    }
    case Kind::WriteChannelAttributes: {
      const std::string channelId = r.str();
      const std::uint8_t op = r.u8();
      AttributeList attributes = r.pairs();
      const bool notify = r.u8() != 0;
      if (op > static_cast<std::uint8_t>(AttributeWrite::Clear)) return close(conn);
      if (!accept(userId, sessionId)) return;
      channels->writeChannelAttributes(userId, sessionId, channelId, static_cast<AttributeWrite>(op), std::move(attributes),
                                       notify, codeTo(id));
      return;
    }
    case Kind::GetChannelAttributes: {
      const std::string channelId = r.str();
      const bool all = r.u8() != 0;
      std::vector<std::string> keys = r.strings();
      if (!accept(userId, sessionId)) return;
      channels->getChannelAttributes(userId, sessionId, channelId, all, std::move(keys),
                                     [reply, id](ATTRIBUTE_OPERATION_ERR code, const ChannelAttributeList& list) {
                                       reply(response(id).i32(code).channelAttributes(list).finish());
                                     });
      return;
    }
    case Kind::GetMemberCounts: {
      std::vector<std::string> channelIds = r.strings();
      if (!accept(userId, sessionId)) return;
      channels->getChannelMemberCounts(userId, sessionId, std::move(channelIds), [reply, id](const std::vector<int>& counts) {
        Writer w = response(id);
        w.u32(static_cast<std::uint32_t>(counts.size()));
        for (int c : counts) w.i32(c);
        reply(w.finish());
      });
      return;
    }
    default:
      return close(conn);  // not a request a client sends
  }
}

void TcpServer::Impl::handleInvitation(const std::shared_ptr<Conn>& conn, Kind kind, Reader& r) {
  // As in handleRequest: malformed closes; only the connection's own session may speak.
  auto valid = [&](const std::string& userId, std::uint64_t sessionId, bool anySession) {
    if (!r.done()) {
      close(conn);
      return false;
    }
    return conn->session && conn->session->userId() == userId &&
           (anySession || (conn->session->sessionId() == sessionId && sessionId != 0));
  };
  InvitationCore& invitations = core_->invitations();
  switch (kind) {
    case Kind::InvitationAttach:
    case Kind::InvitationDetach: {
      const std::string userId = r.str();
      const std::uint64_t sessionId = r.u64();
      if (!valid(userId, sessionId, false)) return;
      if (kind == Kind::InvitationAttach) {
        invitations.attach(userId, sessionId, std::weak_ptr<InvitationLink>(conn->session));
      } else {
        invitations.detach(userId, sessionId);
      }
      return;
    }
    case Kind::InvitationOffer: {
      const std::uint32_t id = r.u32();
      const InvitationOffer offer = r.offer();
      if (!valid(offer.callerId, offer.callerSessionId, false)) return;
      std::uint64_t calleeSessionId = 0;
      const bool taken = invitations.offer(offer, &calleeSessionId);
      send(conn, response(id).u8(taken ? 1 : 0).u64(calleeSessionId).finish());
      return;
    }
    case Kind::InvitationAck:
    case Kind::InvitationAnswer: {
      const std::string calleeId = r.str();
      const std::uint64_t calleeSessionId = r.u64();
      const std::string callerId = r.str();
      const std::uint64_t callerSessionId = r.u64();
      const std::uint64_t invitationId = r.u64();
      const bool answer = kind == Kind::InvitationAnswer;
      const bool accepted = answer && r.u8() != 0;
      const std::string responseText = answer ? r.str() : std::string();
      if (!valid(calleeId, calleeSessionId, false)) return;
      if (answer) {
        invitations.answer(calleeId, calleeSessionId, callerId, callerSessionId, invitationId, accepted, responseText);
      } else {
        invitations.acknowledge(calleeId, calleeSessionId, callerId, callerSessionId, invitationId);
      }
      return;
    }
    case Kind::InvitationAckAnswer:
    case Kind::InvitationCancel: {
      const std::string callerId = r.str();
      const std::string calleeId = r.str();
      const std::uint64_t calleeSessionId = r.u64();
      const std::uint64_t invitationId = r.u64();
      if (!valid(callerId, 0, true)) return;
      if (kind == Kind::InvitationCancel) {
        invitations.cancel(callerId, calleeId, calleeSessionId, invitationId);
      } else {
        invitations.acknowledgeAnswer(callerId, calleeId, calleeSessionId, invitationId);
      }
      return;
    }
    default:
      return close(conn);
  }
}

void TcpServer::Impl::handleResume(const std::shared_ptr<Conn>& conn, std::uint32_t id, Reader& r) {
  const std::string appId = r.str();
  const std::string userId = r.str();
  const std::uint64_t sessionId = r.u64();
  const std::string token = r.str();
  if (!r.done()) return close(conn);
  std::shared_ptr<SessionProxy> proxy;
  {
    std::lock_guard<std::mutex> lock(sessionsMu_);
    auto it = sessions_.find(userId);
    if (it != sessions_.end()) proxy = it->second.lock();
  }
  bool linkUp = false;
  const std::uint64_t current = core_->sessionIdOf(userId, &linkUp);
  // The core still holds the session (or keeps it in limbo after a long loss): take it over.
  const bool known = proxy && proxy->sessionId() == sessionId && (current == sessionId || current == 0);
  if (!known) {
    send(conn, response(id).u8(0).finish());  // unknown here (e.g. the service restarted): log in again
    return;
  }
  std::shared_ptr<Conn> old = proxy->conn();
  if (old && old != conn) {
    old->session.reset();  // its close must not drop the session we take over
    close(old);
  }
  proxy->failDeliveries();  // sent on the lost socket, never acknowledged
  if (current == sessionId && linkUp) core_->dropConnection(userId);  // the loss, seen late
  proxy->rebind(conn);
  conn->session = proxy;
  send(conn, response(id).u8(1).finish());
  if (!core_->restoreConnection(userId)) send(conn, Writer(Kind::ConnectionLost).finish());
}

// ---------------------------------------------------------------------------------------------

std::shared_ptr<TcpServer> TcpServer::start(std::shared_ptr<ServiceCore> core, const std::string& host, int port,
                                            std::string* error) {
  auto fail = [error](const std::string& what) -> std::shared_ptr<TcpServer> {
    if (error != nullptr) *error = what;
    return nullptr;
  };
  if (port < 0 || port > 65535) return fail("port out of range");
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (::getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0 || found == nullptr) {
    return fail("cannot resolve host '" + host + "'");
  }
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    ::freeaddrinfo(found);
    return fail(std::string("socket: ") + std::strerror(errno));
  }
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const int bound = ::bind(fd, found->ai_addr, found->ai_addrlen);
  ::freeaddrinfo(found);
  if (bound != 0 || ::listen(fd, 128) != 0) {
    const std::string what = std::string("cannot listen on ") + host + ":" + service + ": " + std::strerror(errno);
    ::close(fd);
    return fail(what);
  }
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::shared_ptr<TcpServer> server(new TcpServer());
  server->impl_ = std::make_shared<Impl>(std::move(core));
  server->impl_->listenFd = fd;
  server->host_ = host;
  server->port_ = ntohs(addr.sin_port);
  try {
    server->thread_ = std::thread([impl = server->impl_] { impl->run(); });
  } catch (const std::system_error& e) {
    ::close(fd);
    return fail(std::string("cannot start the server thread: ") + e.what());
  }
  return server;
}

void TcpServer::stop() {
  if (!impl_) return;
  impl_->stop();
  if (thread_.joinable()) {
    if (thread_.get_id() == std::this_thread::get_id()) {
      thread_.detach();
    } else {
      thread_.join();
    }
  }
  if (impl_->listenFd >= 0) {
    ::close(impl_->listenFd);
    impl_->listenFd = -1;
  }
}

TcpServer::~TcpServer() { stop(); }

TcpServer::Stats TcpServer::stats() const { return impl_ ? impl_->stats() : Stats(); }

}  // namespace rtm_emulator
