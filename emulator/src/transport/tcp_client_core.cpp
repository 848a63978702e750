#include "transport/tcp_client_core.h"

namespace rtm_emulator {
namespace tcp_client {

using namespace agora::rtm;
using wire::Kind;
using wire::Reader;
using wire::Writer;

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
}  // namespace tcp_client
}  // namespace rtm_emulator
