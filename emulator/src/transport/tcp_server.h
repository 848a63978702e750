// TcpServer: serves one ServiceCore on a TCP port (docs/PROTOCOL.md). One I/O thread polls the
// listening socket and every connection; it decodes frames and calls the core through the same
// in-process connection a local client uses, with proxies standing in for the remote client's
// links. Whatever the core sends goes into the connection's bounded send buffer; the I/O thread
// writes it, so the core's threads never block on a slow client. A client that lets its buffer
// overflow, goes silent for wire::kSilenceMs or breaks the protocol is disconnected: for the core
// that is a dropped connection (dropConnection), which a later Resume on a new socket restores.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

namespace rtm_emulator {

class ServiceCore;

class TcpServer {
 public:
  // Listens on host:port (port 0: any free port). Null on failure, with *error set.
  static std::shared_ptr<TcpServer> start(std::shared_ptr<ServiceCore> core, const std::string& host, int port,
                                          std::string* error);
  ~TcpServer();
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;

  int port() const { return port_; }
  const std::string& host() const { return host_; }
  // Closes the listening socket and every connection, and joins the I/O thread. Idempotent.
  void stop();

  struct Stats {
    std::uint64_t connections = 0;  // open now
    std::uint64_t framesIn = 0, framesOut = 0, bytesIn = 0, bytesOut = 0;
  };
  Stats stats() const;

  class Impl;

 private:
  TcpServer() = default;
  std::shared_ptr<Impl> impl_;
  std::thread thread_;
  std::string host_;
  int port_ = 0;
};

}  // namespace rtm_emulator
