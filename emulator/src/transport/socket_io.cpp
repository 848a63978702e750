#include "transport/socket_io.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>

namespace rtm_emulator {

Waker::Waker() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

Waker::~Waker() {
  if (fd_ >= 0) ::close(fd_);
}

void Waker::wake() {
  const std::uint64_t one = 1;
  ssize_t ignored = ::write(fd_, &one, sizeof one);
  (void)ignored;  // EAGAIN: the counter is already non-zero, the thread will wake anyway
}

void Waker::drain() {
  std::uint64_t value = 0;
  ssize_t ignored = ::read(fd_, &value, sizeof value);
  (void)ignored;
}

bool SendBuffer::push(const std::string& frame, bool* wasEmpty) {
  std::lock_guard<std::mutex> lock(mu_);
  *wasEmpty = bytes_.size() == sent_;
  if (overflowed_ || bytes_.size() - sent_ + frame.size() > limit_) {
    overflowed_ = true;
    return false;
  }
  if (sent_ > 0 && sent_ == bytes_.size()) {
    bytes_.clear();
    sent_ = 0;
  }
  bytes_.append(frame);
  return true;
}

bool SendBuffer::flush(int fd) {
  std::lock_guard<std::mutex> lock(mu_);
  while (sent_ < bytes_.size()) {
    const ssize_t n = ::send(fd, bytes_.data() + sent_, bytes_.size() - sent_, MSG_NOSIGNAL);
    if (n > 0) {
      sent_ += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    return false;
  }
  if (sent_ == bytes_.size()) {
    bytes_.clear();
    sent_ = 0;
  } else if (sent_ > (1u << 20)) {
    bytes_.erase(0, sent_);
    sent_ = 0;
  }
  return true;
}

bool SendBuffer::empty() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sent_ == bytes_.size();
}

bool SendBuffer::overflowed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return overflowed_;
}

void SendBuffer::clear() {
  std::lock_guard<std::mutex> lock(mu_);
  bytes_.clear();
  sent_ = 0;
  overflowed_ = false;
}

int connectTcp(const std::string& host, int port, int timeoutMs) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 || found == nullptr) return -1;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int rc = fd < 0 ? -1 : ::connect(fd, found->ai_addr, found->ai_addrlen);
  ::freeaddrinfo(found);
  if (fd < 0) return -1;
  if (rc != 0 && errno == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    int err = 0;
    socklen_t len = sizeof err;
    if (::poll(&p, 1, timeoutMs) == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) rc = 0;
  }
  if (rc != 0) {
    ::close(fd);
    return -1;
  }
  setNoDelay(fd);
  return fd;
}

void setNonBlocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL, 0) | O_NONBLOCK); }

void setNoDelay(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

long long monotonicMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace rtm_emulator
