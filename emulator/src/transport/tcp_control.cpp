#include "transport/tcp_control.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/json.h"
#include "transport/socket_io.h"
#include "transport/wire.h"

namespace rtm_emulator {

using wire::Kind;
using wire::Reader;
using wire::Writer;

namespace {

// A control connection: connected and welcomed, or fd < 0.
struct ControlSocket {
  int fd = -1;
  long long deadline = 0;
  wire::FrameBuffer in;
  std::string welcome;  // the Welcome frame's body

  ControlSocket(const std::string& host, int port, int timeoutMs) : deadline(monotonicMs() + timeoutMs) {
    fd = connectTcp(host, port, timeoutMs);
    if (fd < 0) return;
    if (!write(wire::helloFrame(wire::Role::Control)) || !read(&welcome) ||
        static_cast<Kind>(static_cast<std::uint8_t>(welcome[0])) != Kind::Welcome) {
      ::close(fd);
      fd = -1;
    }
  }
  ~ControlSocket() {
    if (fd >= 0) ::close(fd);
  }
  bool write(const std::string& frame) {
    std::size_t sent = 0;
    while (sent < frame.size()) {
      const long long left = deadline - monotonicMs();
      pollfd p{fd, POLLOUT, 0};
      if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) != 1) return false;
      const ssize_t n = ::send(fd, frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }
  // The next frame's body that is not a heartbeat.
  bool read(std::string* body) {
    for (;;) {
      while (in.next(body)) {
        const Kind kind = static_cast<Kind>(static_cast<std::uint8_t>((*body)[0]));
        if (kind != Kind::Ping && kind != Kind::Pong) return true;
      }
      const long long left = deadline - monotonicMs();
      pollfd p{fd, POLLIN, 0};
      char buf[16 * 1024];
      if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) != 1) return false;
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return false;
      in.feed(buf, static_cast<std::size_t>(n));
      if (in.broken()) return false;
    }
  }
};

}  // namespace

bool fetchServiceLimits(const std::string& host, int port, int timeoutMs, Limits* limits) {
  ControlSocket s(host, port, timeoutMs);
  if (s.fd < 0) return false;
  Reader r(s.welcome.data() + 1, s.welcome.size() - 1);
  r.u16();
  const std::string json = r.str();
  Limits result = defaultLimits();
  if (!r.done() || !applyLimitsOverrides(json, &result, nullptr)) return false;
  *limits = result;
  return true;
}

bool runRemoteControl(const std::string& url, const std::string& command, const std::string& argsJson, int timeoutMs,
                      std::string* result) {
  std::string host;
  int port = 0;
  if (!wire::parseTcpUrl(url, &host, &port)) {
    *result = jsonQuote("not an emulator TCP URL (rtm://HOST:PORT): " + url);
    return false;
  }
  ControlSocket s(host, port, timeoutMs);
  std::string body;
  if (s.fd < 0 || !s.write(Writer(Kind::Control).u32(1).str(command).str(argsJson).finish()) || !s.read(&body)) {
    *result = jsonQuote("no emulator answered at " + url);
    return false;
  }
  Reader r(body.data() + 1, body.size() - 1);
  const bool isResponse = static_cast<Kind>(static_cast<std::uint8_t>(body[0])) == Kind::Response;
  const std::uint32_t id = r.u32();
  const bool ok = r.u8() != 0;
  *result = r.str();
  if (!isResponse || id != 1 || !r.done()) {
    *result = jsonQuote("malformed answer from " + url);
    return false;
  }
  return ok;
}

}  // namespace rtm_emulator
