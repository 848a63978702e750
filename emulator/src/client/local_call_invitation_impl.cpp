#include "client/local_call_invitation_impl.h"

#include <utility>

#include "client/invitation_client.h"

namespace rtm_emulator {

LocalCallInvitationImpl::LocalCallInvitationImpl(std::shared_ptr<InvitationClient> owner, std::uint64_t serial,
                                                 std::string calleeId)
    : owner_(std::move(owner)), serial_(serial), calleeId_(std::move(calleeId)) {}

void LocalCallInvitationImpl::setContent(const char* content) {
  std::lock_guard<std::mutex> lock(mu_);
  content_ = content == nullptr ? std::string() : std::string(content);
}

const char* LocalCallInvitationImpl::getContent() const {
  std::lock_guard<std::mutex> lock(mu_);
  return content_.c_str();
}

void LocalCallInvitationImpl::setChannelId(const char* channelId) {
  std::lock_guard<std::mutex> lock(mu_);
  channelId_ = channelId == nullptr ? std::string() : std::string(channelId);
}

const char* LocalCallInvitationImpl::getChannelId() const {
  std::lock_guard<std::mutex> lock(mu_);
  return channelId_.c_str();
}

const char* LocalCallInvitationImpl::getResponse() const {
  std::lock_guard<std::mutex> lock(mu_);
  return response_.c_str();
}

agora::rtm::LOCAL_INVITATION_STATE LocalCallInvitationImpl::getState() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_;
}

void LocalCallInvitationImpl::release() {
  owner_->localReleased(serial_);
  unref();
}

void LocalCallInvitationImpl::unref() {
  if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

void LocalCallInvitationImpl::setState(agora::rtm::LOCAL_INVITATION_STATE state) {
  std::lock_guard<std::mutex> lock(mu_);
  state_ = state;
}

void LocalCallInvitationImpl::setResponse(std::string response) {
  std::lock_guard<std::mutex> lock(mu_);
  response_ = std::move(response);
}

void LocalCallInvitationImpl::snapshot(std::string* content, std::string* channelId) const {
  std::lock_guard<std::mutex> lock(mu_);
  *content = content_;
  *channelId = channelId_;
}

}  // namespace rtm_emulator
