// CallManagerImpl: IRtmCallManager, one per service (getRtmCallManager returns the same object
// until it is released). A thin front: the argument checks of the API, then the service's
// InvitationClient, which owns the invitations and their state machines.
#pragma once

#include <memory>

#include "agora_rtm.h"
#include "client/live_objects.h"

namespace rtm_emulator {

class InvitationClient;
class ServiceAnchor;

class CallManagerImpl final : public agora::rtm::IRtmCallManager {
 public:
  CallManagerImpl(std::shared_ptr<ServiceAnchor> service, agora::rtm::IRtmCallEventHandler* handler);

  int sendLocalInvitation(agora::rtm::ILocalCallInvitation* invitation) override;
  int acceptRemoteInvitation(agora::rtm::IRemoteCallInvitation* invitation) override;
  int refuseRemoteInvitation(agora::rtm::IRemoteCallInvitation* invitation) override;
  int cancelLocalInvitation(agora::rtm::ILocalCallInvitation* invitation) override;
  agora::rtm::ILocalCallInvitation* createLocalCallInvitation(const char* calleeId) override;
  // Callbacks stop; invitations in flight carry on without them and stay valid.
  void release() override;

  void setEventHandler(agora::rtm::IRtmCallEventHandler* handler);

 private:
  ~CallManagerImpl() override = default;

  LiveObject live_;
  const std::shared_ptr<ServiceAnchor> service_;
  const std::shared_ptr<InvitationClient> invitations_;
};

}  // namespace rtm_emulator
