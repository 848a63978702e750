// The free functions of rtm_emulator/emulator.h.
#include "rtm_emulator/emulator.h"

#include "common/json.h"
#include "client/live_objects.h"
#include "client/rtm_service_impl.h"
#include "cloud/service_registry.h"

namespace rtm_emulator {

agora::rtm::IRtmService* createRtmService() { return new RtmServiceImpl(); }

const char* getRtmSdkVersion() { return "1.2.2-emulator"; }

long long liveObjectCount() { return currentLiveObjects(); }

bool createInProcess(const std::string& name, const std::string& limitsJson, std::string* error) {
  return ServiceRegistry::instance().create(name, limitsJson, error);
}

bool destroyInProcess(const std::string& name) { return ServiceRegistry::instance().destroy(name); }

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

std::string listUsers(const std::string& serviceName) {
  std::shared_ptr<ServiceCore> core = ServiceRegistry::instance().find(serviceName);
  std::string out = "[";
  if (core) {
    bool first = true;
    for (const std::string& user : core->users()) {
      if (!first) out += ",";
      first = false;
      out += jsonQuote(user);
    }
  }
  out += "]";
  return out;
}

}  // namespace rtm_emulator
