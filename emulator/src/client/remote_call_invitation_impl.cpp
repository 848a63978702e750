#include "client/remote_call_invitation_impl.h"

#include <utility>

#include "client/invitation_client.h"

namespace rtm_emulator {

RemoteCallInvitationImpl::RemoteCallInvitationImpl(std::shared_ptr<InvitationClient> owner, std::uint64_t serial,
                                                   std::string callerId, std::string content, std::string channelId)
    : owner_(std::move(owner)),
      serial_(serial),
      callerId_(std::move(callerId)),
      content_(std::move(content)),
      channelId_(std::move(channelId)) {}

void RemoteCallInvitationImpl::setResponse(const char* response) {
  std::lock_guard<std::mutex> lock(mu_);
  response_ = response == nullptr ? std::string() : std::string(response);
}

const char* RemoteCallInvitationImpl::getResponse() const {
  std::lock_guard<std::mutex> lock(mu_);
  return response_.c_str();
}

agora::rtm::REMOTE_INVITATION_STATE RemoteCallInvitationImpl::getState() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_;
}

void RemoteCallInvitationImpl::release() {
  owner_->remoteReleased(serial_);
  unref();
}

void RemoteCallInvitationImpl::unref() {
  if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

void RemoteCallInvitationImpl::setState(agora::rtm::REMOTE_INVITATION_STATE state) {
  std::lock_guard<std::mutex> lock(mu_);
  state_ = state;
}

std::string RemoteCallInvitationImpl::response() const {
  std::lock_guard<std::mutex> lock(mu_);
  return response_;
}

}  // namespace rtm_emulator
