#include "transport/tcp_connection.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "transport/channel_link.h"
#include "transport/invitation_link.h"
#include "transport/socket_io.h"
#include "transport/wire.h"

namespace rtm_emulator {

using namespace agora::rtm;
using wire::Kind;
using wire::Reader;
using wire::Writer;

namespace {

constexpr std::size_t kSendLimitBytes = 64u << 20;
constexpr int kRetryMs = 500;
constexpr int kConnectTimeoutMs = 1000;
constexpr int kResumeTimeoutMs = 5000;
constexpr int kFlushOnStopMs = 200;
constexpr int kLogoutWaitMs = 1000;

void applyWrite(AttributeList* mirror, AttributeWrite op, const AttributeList& attributes) {
  switch (op) {
    case AttributeWrite::Set:
      *mirror = attributes;
      return;
    case AttributeWrite::Clear:
      mirror->clear();
      return;
    case AttributeWrite::AddOrUpdate:
      for (const auto& kv : attributes) {
        auto it = std::find_if(mirror->begin(), mirror->end(), [&](const auto& e) { return e.first == kv.first; });
        if (it == mirror->end()) {
          mirror->push_back(kv);
        } else {
          it->second = kv.second;
        }
      }
      return;
    case AttributeWrite::Delete:
      for (const auto& kv : attributes) {
        mirror->erase(std::remove_if(mirror->begin(), mirror->end(), [&](const auto& e) { return e.first == kv.first; }),
                      mirror->end());
      }
      return;
  }
}

// Everything the I/O thread and the callers share. The public handle owns one and stops it.
class ClientCore : public std::enable_shared_from_this<ClientCore> {
 public:
  using Handler = std::function<void(Reader&)>;

  ClientCore(std::string host, int port, std::string appId)
      : host_(std::move(host)), port_(port), appId_(std::move(appId)), out_(kSendLimitBytes) {}

  void run();
  void stop() {
    stopping_ = true;
    waker_.wake();
  }

  std::uint32_t nextId() {
    std::lock_guard<std::mutex> lock(mu_);
    return ++lastId_;
  }
  // Sends a request frame whose answer goes to handler (on the I/O thread), once its fields are
  // seen to match `layout` (wire::matches): a malformed answer is a broken link, never data.
  void request(std::uint32_t id, const char* layout, const std::string& frame, Handler handler) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      pending_[id] = Pending{layout, std::move(handler)};
    }
    send(frame);
  }
  void send(const std::string& frame) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (socketLost_) {  // sent once the session is back, in order
        held_.push_back(frame);
        return;
      }
    }
    bool wasEmpty = false;
    if (out_.push(frame, &wasEmpty) && wasEmpty) waker_.wake();
  }

  // Session bookkeeping, to resume or replay after a reconnect.
  void startLogin(const std::string& userId, const std::string& token, std::shared_ptr<SessionLink> link) {
    std::lock_guard<std::mutex> lock(mu_);
    userId_ = userId;
    token_ = token;
    link_ = std::move(link);
  }
  void setSession(std::uint64_t sessionId) {
    std::lock_guard<std::mutex> lock(mu_);
    sessionId_ = sessionId;
  }
  void endSession() {
    std::lock_guard<std::mutex> lock(mu_);
    sessionId_ = 0;
    link_.reset();
    channels_.clear();
    subscribed_.clear();
    attributes_.clear();
  }
  void joined(const std::string& channelId, std::shared_ptr<ChannelLink> link) {
    std::lock_guard<std::mutex> lock(mu_);
    channels_[channelId] = std::move(link);
  }
  void left(const std::string& channelId) {
    std::lock_guard<std::mutex> lock(mu_);
    channels_.erase(channelId);
  }
  void subscribed(const std::vector<std::string>& peers, bool subscribe) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const std::string& p : peers) {
      if (subscribe) {
        subscribed_.insert(p);
      } else {
        subscribed_.erase(p);
      }
    }
  }
  void wroteAttributes(AttributeWrite op, const AttributeList& attributes) {
    std::lock_guard<std::mutex> lock(mu_);
    applyWrite(&attributes_, op, attributes);
  }
  // Welcomed on a live socket now (a wait for an answer can only succeed then).
  bool linkUp() const { return up_.load(std::memory_order_relaxed); }
  bool onIoThread() const { return std::this_thread::get_id() == ioThread_.load(); }
  void attachInvitations(std::weak_ptr<InvitationLink> link) {
    std::lock_guard<std::mutex> lock(mu_);
    invitationLink_ = std::move(link);
  }

 private:
  bool connect();
  void closeGracefully();
  void lose();
  void readFrames();
  void handle(const std::string& body);
  void handlePush(Kind kind, Reader& r);
  void resumeAnswered(bool known);
  void relogin();
  void restored(std::uint64_t sessionId);
  std::shared_ptr<ChannelLink> channel(const std::string& channelId) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = channels_.find(channelId);
    return it == channels_.end() ? nullptr : it->second;
  }

  const std::string host_;
  const int port_;
  const std::string appId_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> up_{false};
  std::atomic<std::thread::id> ioThread_{};
  Waker waker_;
  SendBuffer out_;
  // I/O thread only
  int fd_ = -1;
  bool welcomed_ = false;
  wire::FrameBuffer in_;
  long long lastHeardMs_ = 0;
  long long lastPingMs_ = 0;
  long long nextConnectMs_ = 0;
  // When the pending Resume went out (0: none). A session not back within kResumeTimeoutMs is
  // taken as lost again, so a service that never finishes a resume cannot wedge the client.
  long long resumeSentMs_ = 0;

  std::mutex mu_;
  std::uint32_t lastId_ = 0;
  struct Pending {
    const char* layout = "";
    Handler handler;
  };
  std::map<std::uint32_t, Pending> pending_;
  std::vector<std::string> held_;
  bool socketLost_ = false;  // the session's socket went away; resuming when reconnected
  bool faultLost_ = false;   // the service said the link is down (dropConnection)
  std::string userId_;
  std::string token_;
  std::uint64_t sessionId_ = 0;
  std::shared_ptr<SessionLink> link_;
  std::map<std::string, std::shared_ptr<ChannelLink>> channels_;
  std::set<std::string> subscribed_;
  AttributeList attributes_;
  std::weak_ptr<InvitationLink> invitationLink_;
};

void ClientCore::run() {
  ioThread_ = std::this_thread::get_id();
  while (!stopping_) {
    const long long now = monotonicMs();
    if (fd_ < 0 && now >= nextConnectMs_ && !connect()) nextConnectMs_ = monotonicMs() + kRetryMs;
    pollfd fds[2] = {{waker_.fd(), POLLIN, 0}, {fd_, static_cast<short>(fd_ >= 0 && welcomed_ && !out_.empty() ? POLLIN | POLLOUT : POLLIN), 0}};
    const int n = ::poll(fds, fd_ >= 0 ? 2 : 1, fd_ >= 0 ? wire::kHeartbeatMs / 2 : kRetryMs / 2);
    if (n < 0 && errno != EINTR) break;
    if (fds[0].revents != 0) waker_.drain();
    if (stopping_) break;
    if (fd_ < 0) continue;
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) readFrames();
    if (fd_ < 0) continue;
    const long long t = monotonicMs();
    if (welcomed_ && t - lastPingMs_ >= wire::kHeartbeatMs) {
      lastPingMs_ = t;
      bool wasEmpty = false;
      out_.push(Writer(Kind::Ping).finish(), &wasEmpty);
    }
    const bool resumeStuck = resumeSentMs_ != 0 && t - resumeSentMs_ > kResumeTimeoutMs;
    if ((welcomed_ && !out_.flush(fd_)) || out_.overflowed() || t - lastHeardMs_ > wire::kSilenceMs || resumeStuck) lose();
  }
  if (fd_ >= 0) closeGracefully();
}

// Stopping (release, a new login, logout): what is queued — a Logout above all — still reaches
// the service, and the socket ends with a FIN, not a reset that could discard it. Bounded, so a
// release never waits long for a service that does not read.
void ClientCore::closeGracefully() {
  const long long deadline = monotonicMs() + kFlushOnStopMs;
  if (welcomed_) {
    while (!out_.empty() && out_.flush(fd_) && !out_.empty() && monotonicMs() < deadline) {
      pollfd p{fd_, POLLOUT, 0};
      ::poll(&p, 1, 10);
    }
  }
  ::shutdown(fd_, SHUT_WR);
  char buf[4096];
  for (;;) {  // until the service closes its side (it does on our FIN)
    const long long left = deadline - monotonicMs();
    pollfd p{fd_, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) != 1 || ::recv(fd_, buf, sizeof buf, 0) <= 0) break;
  }
  ::close(fd_);
  fd_ = -1;
}

bool ClientCore::connect() {
  const int fd = connectTcp(host_, port_, kConnectTimeoutMs);
  if (fd < 0) return false;
  const std::string hello = wire::helloFrame(wire::Role::Client);
  if (::send(fd, hello.data(), hello.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(hello.size())) {
    ::close(fd);
    return false;
  }
  fd_ = fd;
  welcomed_ = false;
  in_ = wire::FrameBuffer();
  lastHeardMs_ = lastPingMs_ = monotonicMs();
  return true;
}

// The socket is gone (error, EOF, silence): requests in flight on it are lost, as on a network.
void ClientCore::lose() {
  ::close(fd_);
  fd_ = -1;
  welcomed_ = false;
  up_ = false;
  resumeSentMs_ = 0;
  nextConnectMs_ = monotonicMs() + kRetryMs;
  std::shared_ptr<SessionLink> tell;
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.clear();
    if (sessionId_ != 0 && !socketLost_) {
      socketLost_ = true;
      if (!faultLost_) tell = link_;
    }
    out_.clear();
  }
  if (tell) tell->onConnectionLost();
}

void ClientCore::readFrames() {
  char buf[64 * 1024];
  for (;;) {
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n > 0) {
      lastHeardMs_ = monotonicMs();
      in_.feed(buf, static_cast<std::size_t>(n));
      std::string body;
      while (fd_ >= 0 && in_.next(&body)) handle(body);
      if (fd_ >= 0 && in_.broken()) lose();
      if (fd_ < 0 || static_cast<std::size_t>(n) < sizeof buf) return;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    lose();
    return;
  }
}

void ClientCore::handle(const std::string& body) {
  Reader r(body.data() + 1, body.size() - 1);
  const Kind kind = static_cast<Kind>(static_cast<std::uint8_t>(body[0]));
  if (!welcomed_) {
    if (kind != Kind::Welcome) return lose();  // an Error frame, or not our protocol
    welcomed_ = true;
    up_ = true;
    bool resume = false;
    std::uint32_t id = 0;
    std::string frame;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (socketLost_ && sessionId_ != 0) {
        resume = true;
        id = ++lastId_;
        frame = Writer(Kind::Resume).u32(id).str(appId_).str(userId_).u64(sessionId_).str(token_).finish();
        pending_[id] = Pending{"1", [this](Reader& answer) { resumeAnswered(answer.u8() != 0); }};
      }
    }
    if (resume) {
      bool wasEmpty = false;
      out_.push(frame, &wasEmpty);
      resumeSentMs_ = monotonicMs();
    }
    return;
  }
  switch (kind) {
    case Kind::Pong:
    case Kind::Ping:
      return;
    case Kind::Response: {
      const std::uint32_t id = r.u32();
      Pending pending;
      {
        std::lock_guard<std::mutex> lock(mu_);
        auto it = pending_.find(id);
        if (it == pending_.end()) return;
        pending = std::move(it->second);
        pending_.erase(it);
      }
      if (!r.ok() || !wire::matches(body.data() + 5, body.size() - 5, pending.layout)) return lose();
      pending.handler(r);
      return;
    }
    default:
      handlePush(kind, r);
  }
}

void ClientCore::handlePush(Kind kind, Reader& r) {
  std::shared_ptr<SessionLink> link;
  {
    std::lock_guard<std::mutex> lock(mu_);
    link = link_;
  }
  switch (kind) {
    case Kind::Kicked: {
      const std::int32_t reason = r.i32();
      // Only values CONNECTION_CHANGE_REASON can hold (0..15) are cast to it.
      if (r.done() && reason >= 0 && reason <= 15 && link) link->onKicked(static_cast<CONNECTION_CHANGE_REASON>(reason));
      return;
    }
    case Kind::TokenExpired:
      if (link) link->onTokenExpired();
      return;
    case Kind::PushPeerMessage: {
      const std::uint32_t delivery = r.u32();
      const std::string sender = r.str();
      auto message = std::make_shared<const PeerMessageData>(r.message());
      const bool offline = r.u8() != 0;
      if (!r.done()) return;
      // The service answers the sender by what the client did with it.
      const bool taken = link && link->onPeerMessage(sender, message, offline);
      bool wasEmpty = false;
      out_.push(Writer(Kind::PeerMessageAck).u32(delivery).u8(taken ? 1 : 0).finish(), &wasEmpty);
      return;
    }
    case Kind::PushPresence: {
      const std::vector<PeerStatusData> changes = r.statuses();
      if (r.done() && link) link->onPeersOnlineStatusChanged(changes);
      return;
    }
    case Kind::ConnectionLost: {
      bool tell = false;
      {
        std::lock_guard<std::mutex> lock(mu_);
        tell = !faultLost_ && !socketLost_;
        faultLost_ = true;
      }
      if (tell && link) link->onConnectionLost();
      return;
    }
    case Kind::ConnectionRestored: {
      const std::uint64_t sessionId = r.u64();
      if (r.done()) restored(sessionId);
      return;
    }
    case Kind::MemberJoined:
    case Kind::MemberLeft: {
      const std::string channelId = r.str();
      const std::string userId = r.str();
      std::shared_ptr<ChannelLink> ch = channel(channelId);
      if (!r.done() || !ch) return;
      if (kind == Kind::MemberJoined) {
        ch->onMemberJoined(userId);
      } else {
        ch->onMemberLeft(userId);
      }
      return;
    }
    case Kind::PushChannelMessage: {
      const std::string channelId = r.str();
      const std::string sender = r.str();
      auto message = std::make_shared<const PeerMessageData>(r.message());
      std::shared_ptr<ChannelLink> ch = channel(channelId);
      if (r.done() && ch) ch->onChannelMessage(sender, message);
      return;
    }
    case Kind::AttributesUpdated: {
      const std::string channelId = r.str();
      auto attributes = std::make_shared<const ChannelAttributeList>(r.channelAttributes());
      std::shared_ptr<ChannelLink> ch = channel(channelId);
      if (r.done() && ch) ch->onAttributesUpdated(attributes);
      return;
    }
    case Kind::MemberCountUpdated: {
      const std::string channelId = r.str();
      const int count = r.i32();
      std::shared_ptr<ChannelLink> ch = channel(channelId);
      if (r.done() && ch) ch->onMemberCountUpdated(count);
      return;
    }
    default:
      break;
  }
  std::shared_ptr<InvitationLink> inv;
  {
    std::lock_guard<std::mutex> lock(mu_);
    inv = invitationLink_.lock();
  }
  switch (kind) {
    case Kind::InvitationOffered: {
      const std::uint64_t sessionId = r.u64();
      const InvitationOffer offer = r.offer();
      if (r.done() && inv) inv->invitationOffered(sessionId, offer);
      return;
    }
    case Kind::InvitationAcknowledged: {
      const std::uint64_t sessionId = r.u64();
      const std::uint64_t invitationId = r.u64();
      const std::uint64_t calleeSessionId = r.u64();
      if (r.done() && inv) inv->invitationAcknowledged(sessionId, invitationId, calleeSessionId);
      return;
    }
    case Kind::InvitationAnswered: {
      const std::uint64_t sessionId = r.u64();
      const std::uint64_t invitationId = r.u64();
      const bool accepted = r.u8() != 0;
      const std::string response = r.str();
      const std::uint64_t calleeSessionId = r.u64();
      if (r.done() && inv) inv->invitationAnswered(sessionId, invitationId, accepted, response, calleeSessionId);
      return;
    }
    case Kind::InvitationCanceled:
    case Kind::AcceptAcknowledged: {
      const std::uint64_t sessionId = r.u64();
      const std::string callerId = r.str();
      const std::uint64_t invitationId = r.u64();
      if (!r.done() || !inv) return;
      if (kind == Kind::InvitationCanceled) {
        inv->invitationCanceled(sessionId, callerId, invitationId);
      } else {
        inv->acceptAcknowledged(sessionId, callerId, invitationId);
      }
      return;
    }
    default:
      return;  // a kind this version does not know: ignored
  }
}

void ClientCore::resumeAnswered(bool known) {
  if (!known) relogin();
  // Known: the service pushes ConnectionRestored next.
}

// The service does not know the session (it restarted): log in again and put back what the
// session had, as the SDK does after a long outage.
void ClientCore::relogin() {
  std::uint32_t id = 0;
  std::string frame;
  {
    std::lock_guard<std::mutex> lock(mu_);
    id = ++lastId_;
    frame = Writer(Kind::Login).u32(id).str(appId_).str(userId_).str(token_).finish();
    pending_[id] = Pending{"e8", [this](Reader& answer) {
      const auto code = static_cast<LOGIN_ERR_CODE>(answer.i32());
      const std::uint64_t sessionId = answer.u64();
      if (code != LOGIN_ERR_OK) {
        lose();  // try again later; the client stays RECONNECTING meanwhile
        return;
      }
      std::vector<std::string> frames;
      {
        std::lock_guard<std::mutex> lock(mu_);
        for (const auto& ch : channels_) {
          frames.push_back(Writer(Kind::Join).u32(++lastId_).str(userId_).u64(sessionId).str(ch.first).finish());
        }
        if (!subscribed_.empty()) {
          std::vector<std::string> peers(subscribed_.begin(), subscribed_.end());
          frames.push_back(
              Writer(Kind::SubscribePeers).u32(++lastId_).str(userId_).u64(sessionId).strings(peers).u8(1).finish());
        }
        if (!attributes_.empty()) {
          frames.push_back(Writer(Kind::WriteUserAttributes)
                               .u32(++lastId_)
                               .str(userId_)
                               .u64(sessionId)
                               .u8(static_cast<std::uint8_t>(AttributeWrite::Set))
                               .pairs(attributes_)
                               .finish());
        }
        if (!invitationLink_.expired()) {
          frames.push_back(Writer(Kind::InvitationAttach).str(userId_).u64(sessionId).finish());
        }
      }
      for (const std::string& f : frames) {
        bool wasEmpty = false;
        out_.push(f, &wasEmpty);
      }
      restored(sessionId);
    }};
  }
  bool wasEmpty = false;
  out_.push(frame, &wasEmpty);
}

void ClientCore::restored(std::uint64_t sessionId) {
  std::shared_ptr<SessionLink> link;
  std::vector<std::string> held;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Logged out meanwhile, or nothing was lost (a service only restores what it dropped).
    if (sessionId_ == 0 || sessionId == 0 || (!socketLost_ && !faultLost_)) return;
    resumeSentMs_ = 0;
    sessionId_ = sessionId;
    socketLost_ = false;
    faultLost_ = false;
    held.swap(held_);
    link = link_;
  }
  for (const std::string& f : held) {
    bool wasEmpty = false;
    out_.push(f, &wasEmpty);
  }
  if (link) link->onConnectionRestored(sessionId);
}

// The ServiceConnection the client holds. Destroying it stops the I/O thread (after the callback
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
                       std::function<void(PEER_MESSAGE_ERR_CODE)> done) override {
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
                   [done](Reader& r) { done(static_cast<PEER_MESSAGE_ERR_CODE>(r.i32())); });
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
