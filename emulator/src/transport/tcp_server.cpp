#include "transport/tcp_server_impl.h"

namespace rtm_emulator {

using tcp_server_detail::ChannelProxy;
using tcp_server_detail::response;

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
