#include "client/service_anchor.h"

#include "client/invitation_client.h"
#include "client/rtm_service_impl.h"

namespace rtm_emulator {

ServiceAnchor::ServiceAnchor(RtmServiceImpl* service)
    : service_(service), invitations_(std::make_shared<InvitationClient>()) {}

int ServiceAnchor::loginGate() const {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (service_ == nullptr) return RtmServiceImpl::kNotLoggedIn;
  return service_->loginGate();
}

int ServiceAnchor::withService(const std::function<int(RtmServiceImpl&)>& f, int detached) const {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (service_ == nullptr) return detached;
  return f(*service_);
}

void ServiceAnchor::callManagerReleased(CallManagerImpl* manager) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (service_ != nullptr) service_->forgetCallManager(manager);
}

void ServiceAnchor::detach() {
  {
    std::lock_guard<AdaptiveMutex> lock(mu_);
    service_ = nullptr;
  }
  invitations_->detach();
}

}  // namespace rtm_emulator
