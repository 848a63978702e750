// The free functions of rtm_emulator/emulator.h.
#include "rtm_emulator/emulator.h"

#include "transport/control_commands.h"
#include "client/live_objects.h"
#include "client/rtm_service_impl.h"
#include "cloud/service_registry.h"

namespace rtm_emulator {

agora::rtm::IRtmService* createRtmService() { return new RtmServiceImpl(); }

const char* getRtmSdkVersion() { return "1.2.2-emulator"; }

long long liveObjectCount() { return currentLiveObjects(); }

bool createInProcess(const std::string& name, const std::string& limitsJson, std::string* error) {
  return ServiceRegistry::instance().create(name, limitsJson, "", error);
}

bool createInProcess(const std::string& name, const std::string& limitsJson, const std::string& appCertificate,
                     std::string* error) {
  return ServiceRegistry::instance().create(name, limitsJson, appCertificate, error);
}

bool configureDefaultService(const std::string& limitsJson, std::string* error) {
  return ServiceRegistry::instance().replaceDefault(limitsJson, error);
}

bool destroyInProcess(const std::string& name) {
  // Sessions are kicked first, so that TCP clients hear it too before their sockets close.
  const bool destroyed = ServiceRegistry::instance().destroy(name);
  stopTcp(name);
  return destroyed;
}

bool kickUser(const std::string& serviceName, const std::string& userId) {
  std::shared_ptr<ServiceCore> core = ServiceRegistry::instance().find(serviceName);
  return core && core->kick(userId, agora::rtm::CONNECTION_CHANGE_REASON_REMOTE_LOGIN);
}

bool expireToken(const std::string& serviceName, const std::string& userId) {
  std::shared_ptr<ServiceCore> core = ServiceRegistry::instance().find(serviceName);
  return core && core->expireToken(userId);
}

bool dropConnection(const std::string& serviceName, const std::string& userId) {
  std::shared_ptr<ServiceCore> core = ServiceRegistry::instance().find(serviceName);
  return core && core->dropConnection(userId);
}

bool restoreConnection(const std::string& serviceName, const std::string& userId) {
  std::shared_ptr<ServiceCore> core = ServiceRegistry::instance().find(serviceName);
  return core && core->restoreConnection(userId);
}

bool setLatency(const std::string& serviceName, const std::string& userId, int latencyMs, int jitterMs) {
  std::shared_ptr<ServiceCore> core = ServiceRegistry::instance().find(serviceName);
  if (!core || latencyMs < 0 || jitterMs < 0) return false;
  core->setLatency(userId, latencyMs, jitterMs);
  return true;
}

std::string serviceStats(const std::string& serviceName) {
  std::shared_ptr<ServiceCore> core = ServiceRegistry::instance().find(serviceName);
  return core ? statsJson(*core) : "null";
}

std::string listUsers(const std::string& serviceName) {
  std::shared_ptr<ServiceCore> core = ServiceRegistry::instance().find(serviceName);
  return core ? usersJson(*core) : "[]";
}

}  // namespace rtm_emulator
