// The call-invitation control functions of rtm_emulator/emulator.h.
#include "cloud/invitation_core.h"
#include "rtm_emulator/emulator.h"
#include "cloud/service_core.h"
#include "cloud/service_registry.h"

namespace rtm_emulator {

bool setInvitationAutoAck(const std::string& serviceName, const std::string& userId, bool enabled) {
  std::shared_ptr<ServiceCore> core = ServiceRegistry::instance().find(serviceName);
  if (!core) return false;
  core->invitations().setAutoAck(userId, enabled);
  return true;
}

}  // namespace rtm_emulator
