// The I/O side of the TCP transport's client (tcp_connection.h): one socket to a TcpServer, its
// own I/O thread, request ids and answers, pushes to the client's links, reconnect / resume /
// re-login. TcpConnection (tcp_connection.cpp) is the ServiceConnection facade over it.
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "transport/channel_link.h"
#include "transport/invitation_link.h"
#include "transport/session_link.h"
#include "transport/socket_io.h"
#include "transport/wire.h"

namespace rtm_emulator {
namespace tcp_client {

using wire::Kind;
using wire::Reader;
using wire::Writer;

inline constexpr std::size_t kSendLimitBytes = 64u << 20;
inline constexpr int kRetryMs = 500;
inline constexpr int kConnectTimeoutMs = 1000;
inline constexpr int kResumeTimeoutMs = 5000;
inline constexpr int kFlushOnStopMs = 200;
inline constexpr int kLogoutWaitMs = 1000;

// Applies a user-attribute write to the mirror the client replays after a service restart.
void applyWrite(AttributeList* mirror, AttributeWrite op, const AttributeList& attributes);

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

}  // namespace tcp_client
}  // namespace rtm_emulator
