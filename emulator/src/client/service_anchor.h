// ServiceAnchor: how objects created by a service (channels, the call manager) reach it. They
// may outlive the service (the application releases them in any order), so they hold this shared
// block instead of a raw pointer; RtmServiceImpl::release() detaches it.
#pragma once

#include <functional>
#include <memory>
#include <mutex>

#include "common/adaptive_mutex.h"

namespace rtm_emulator {

class RtmServiceImpl;
class CallManagerImpl;
class InvitationClient;

class ServiceAnchor {
 public:
  explicit ServiceAnchor(RtmServiceImpl* service);

  // 0 when the service is initialized and logged in (CONNECTING, CONNECTED, RECONNECTING);
  // otherwise the value of the *_NOT_INITIALIZED (101) or *_USER_NOT_LOGGED_IN (102) codes,
  // which every request enum shares. A released service counts as not logged in.
  int loginGate() const;
  // Runs f(service) while the service is attached (holding this anchor's lock, so release()
  // waits for it); returns `detached` without calling f once the service is released. How channel
  // objects reach their service.
  int withService(const std::function<int(RtmServiceImpl&)>& f, int detached) const;
  // The call manager tells its service that it is gone.
  void callManagerReleased(CallManagerImpl* manager);
  // The service's call-invitation machinery (invitation_client.h); lives as long as anything
  // that uses it. detach() detaches it too.
  const std::shared_ptr<InvitationClient>& invitations() const { return invitations_; }

  void detach();

 private:
  mutable AdaptiveMutex mu_;  // the service's own mutex nests inside this one
  RtmServiceImpl* service_;
  const std::shared_ptr<InvitationClient> invitations_;
};

}  // namespace rtm_emulator
