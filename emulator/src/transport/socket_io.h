// What both ends of the TCP transport need from a socket: non-blocking loopback-friendly setup
// (Nagle off), a wake-up fd for the I/O thread, and a bounded outbox that any thread may fill
// while only the I/O thread writes to the socket, so no caller ever blocks on a slow peer.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>

namespace rtm_emulator {

// An eventfd: wake() from any thread makes the fd readable; drain() on the I/O thread clears it.
class Waker {
 public:
  Waker();
  ~Waker();
  Waker(const Waker&) = delete;
  Waker& operator=(const Waker&) = delete;
  int fd() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void wake();
  void drain();

 private:
  int fd_ = -1;
};

// Bytes waiting to be written to one socket. push() refuses (returns false) once more than
// `limit` bytes are waiting: the peer does not keep up and its connection is to be dropped.
class SendBuffer {
 public:
  explicit SendBuffer(std::size_t limit) : limit_(limit) {}
  // True when the frame was queued; *wasEmpty tells whether the I/O thread must be woken.
  bool push(const std::string& frame, bool* wasEmpty);
  // Writes what it can without blocking. False on a socket error.
  bool flush(int fd);
  bool empty() const;
  bool overflowed() const;
  void clear();

 private:
  const std::size_t limit_;
  mutable std::mutex mu_;
  std::string bytes_;
  std::size_t sent_ = 0;
  bool overflowed_ = false;
};

// A connected, non-blocking TCP socket to host:port (IPv4, Nagle off) within timeoutMs; -1 on
// failure.
int connectTcp(const std::string& host, int port, int timeoutMs);
void setNonBlocking(int fd);
void setNoDelay(int fd);
long long monotonicMs();

}  // namespace rtm_emulator
