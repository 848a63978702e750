#include "client/call_manager_impl.h"

#include <utility>

#include "client/invitation_client.h"
#include "client/service_anchor.h"

namespace rtm_emulator {

using namespace agora::rtm;

CallManagerImpl::CallManagerImpl(std::shared_ptr<ServiceAnchor> service, IRtmCallEventHandler* handler)
    : service_(std::move(service)), invitations_(service_->invitations()) {
  invitations_->attachManager(this, handler);
}

void CallManagerImpl::setEventHandler(IRtmCallEventHandler* handler) { invitations_->setHandler(this, handler); }

int CallManagerImpl::sendLocalInvitation(ILocalCallInvitation* invitation) {
  if (invitation == nullptr) return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
  // Not logged in: observed to be accepted, then failed asynchronously with NOT_LOGGEDIN.
  return invitations_->send(invitation, service_->loginGate() == 0);
}

// Observed: acceptRemoteInvitation(nullptr) returns ALREADY_END; refuse is assumed to match.
int CallManagerImpl::acceptRemoteInvitation(IRemoteCallInvitation* invitation) {
  if (invitation == nullptr) return INVITATION_API_CALL_ERR_ALREADY_END;
  return invitations_->accept(invitation);
}

int CallManagerImpl::refuseRemoteInvitation(IRemoteCallInvitation* invitation) {
  if (invitation == nullptr) return INVITATION_API_CALL_ERR_ALREADY_END;
  return invitations_->refuse(invitation);
}

int CallManagerImpl::cancelLocalInvitation(ILocalCallInvitation* invitation) {
  if (invitation == nullptr) return INVITATION_API_CALL_ERR_INVALID_ARGUMENT;
  return invitations_->cancel(invitation);
}

ILocalCallInvitation* CallManagerImpl::createLocalCallInvitation(const char* calleeId) {
  // Observed: no validation of the callee id here (a 65-byte id is accepted); send checks it.
  return invitations_->createLocal(calleeId);
}

void CallManagerImpl::release() {
  invitations_->detachManager(this);
  service_->callManagerReleased(this);
  delete this;
}

}  // namespace rtm_emulator
