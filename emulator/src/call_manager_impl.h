// CallManagerImpl: IRtmCallManager, one per service (getRtmCallManager returns the same object
// until it is released). This slice creates invitations; sending and answering them is a later
// slice (see the .cpp for the placeholder return values).
#pragma once

#include <atomic>
#include <memory>

#include "agora_rtm.h"
#include "live_objects.h"

namespace rtm_emulator {

class ServiceAnchor;

class CallManagerImpl final : public agora::rtm::IRtmCallManager {
 public:
  CallManagerImpl(std::shared_ptr<ServiceAnchor> service, agora::rtm::IRtmCallEventHandler* handler);

  int sendLocalInvitation(agora::rtm::ILocalCallInvitation* invitation) override;
  int acceptRemoteInvitation(agora::rtm::IRemoteCallInvitation* invitation) override;
  int refuseRemoteInvitation(agora::rtm::IRemoteCallInvitation* invitation) override;
  int cancelLocalInvitation(agora::rtm::ILocalCallInvitation* invitation) override;
  agora::rtm::ILocalCallInvitation* createLocalCallInvitation(const char* calleeId) override;
  void release() override;

  void setEventHandler(agora::rtm::IRtmCallEventHandler* handler) { handler_.store(handler); }

 private:
  ~CallManagerImpl() override = default;

  LiveObject live_;
  const std::shared_ptr<ServiceAnchor> service_;
  std::atomic<agora::rtm::IRtmCallEventHandler*> handler_;
};

}  // namespace rtm_emulator
