// The TCP functions of rtm_emulator/emulator.h: serving an in-process service on a port, and
// controlling a service that runs in another process.
#include <map>
#include <memory>
#include <mutex>

#include "cloud/service_registry.h"
#include "rtm_emulator/emulator.h"
#include "transport/tcp_control.h"
#include "transport/tcp_server.h"

namespace rtm_emulator {

namespace {

// Servers by service name. Never destroyed (see ServiceRegistry).
struct Servers {
  std::mutex mu;
  std::map<std::string, std::shared_ptr<TcpServer>> byName;
};

Servers& servers() {
  static Servers* s = new Servers();
  return *s;
}

}  // namespace

bool listenTcp(const std::string& serviceName, const std::string& host, int port, int* boundPort, std::string* error) {
  std::shared_ptr<ServiceCore> core = ServiceRegistry::instance().find(serviceName);
  if (!core) {
    if (error != nullptr) *error = "no in-process service named '" + serviceName + "'";
    return false;
  }
  Servers& s = servers();
  std::lock_guard<std::mutex> lock(s.mu);
  if (s.byName.count(serviceName) != 0) {
    if (error != nullptr) *error = "service '" + serviceName + "' is already served on a port";
    return false;
  }
  std::shared_ptr<TcpServer> server = TcpServer::start(core, host, port, error);
  if (!server) return false;
  if (boundPort != nullptr) *boundPort = server->port();
  s.byName[serviceName] = server;
  return true;
}

bool stopTcp(const std::string& serviceName) {
  std::shared_ptr<TcpServer> server;
  {
    Servers& s = servers();
    std::lock_guard<std::mutex> lock(s.mu);
    auto it = s.byName.find(serviceName);
    if (it == s.byName.end()) return false;
    server = std::move(it->second);
    s.byName.erase(it);
  }
  server->stop();
  return true;
}

std::string tcpStats(const std::string& serviceName) {
  std::shared_ptr<TcpServer> server;
  {
    Servers& s = servers();
    std::lock_guard<std::mutex> lock(s.mu);
    auto it = s.byName.find(serviceName);
    if (it != s.byName.end()) server = it->second;
  }
  if (!server) return "null";
  const TcpServer::Stats st = server->stats();
  return "{\"connections\":" + std::to_string(st.connections) + ",\"framesIn\":" + std::to_string(st.framesIn) +
         ",\"framesOut\":" + std::to_string(st.framesOut) + ",\"bytesIn\":" + std::to_string(st.bytesIn) +
         ",\"bytesOut\":" + std::to_string(st.bytesOut) + "}";
}

bool controlRemote(const std::string& url, const std::string& command, const std::string& argsJson, int timeoutMs,
                   std::string* result) {
  return runRemoteControl(url, command, argsJson, timeoutMs, result);
}

}  // namespace rtm_emulator
