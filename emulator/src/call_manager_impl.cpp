#include "call_manager_impl.h"

#include <utility>

#include "local_call_invitation_impl.h"
#include "service_anchor.h"

namespace rtm_emulator {

using namespace agora::rtm;

CallManagerImpl::CallManagerImpl(std::shared_ptr<ServiceAnchor> service, IRtmCallEventHandler* handler)
    : service_(std::move(service)), handler_(handler) {}

// Placeholder (later slice): invitations are not sent yet.
int CallManagerImpl::sendLocalInvitation(ILocalCallInvitation*) { return INVITATION_API_CALL_ERR_INVALID_ARGUMENT; }

// Observed: acceptRemoteInvitation(nullptr) returns ALREADY_END; refuse is assumed to match.
int CallManagerImpl::acceptRemoteInvitation(IRemoteCallInvitation* invitation) {
  if (invitation == nullptr) return INVITATION_API_CALL_ERR_ALREADY_END;
  return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;  // placeholder (later slice)
}

int CallManagerImpl::refuseRemoteInvitation(IRemoteCallInvitation* invitation) {
  if (invitation == nullptr) return INVITATION_API_CALL_ERR_ALREADY_END;
  return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;  // placeholder (later slice)
}

int CallManagerImpl::cancelLocalInvitation(ILocalCallInvitation* invitation) {
  if (invitation == nullptr) return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
  // Observed: cancelling an invitation that was never sent.
  if (invitation->getState() == LOCAL_INVITATION_STATE_IDLE) return INVITATION_API_CALL_ERR_NOT_STARTED;
  return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;  // placeholder (later slice)
}

ILocalCallInvitation* CallManagerImpl::createLocalCallInvitation(const char* calleeId) {
  // Observed: no validation of the callee id here (a 65-byte id is accepted).
  return new LocalCallInvitationImpl(calleeId == nullptr ? std::string() : std::string(calleeId));
}

void CallManagerImpl::release() {
  service_->callManagerReleased(this);
  delete this;
}

}  // namespace rtm_emulator
