#include "local_call_invitation_impl.h"

#include <utility>

namespace rtm_emulator {

LocalCallInvitationImpl::LocalCallInvitationImpl(std::string calleeId) : calleeId_(std::move(calleeId)) {}

// The getters return pointers into members that only the application itself changes (content,
// channel id) or that change only while the invitation is in flight (response).
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

void LocalCallInvitationImpl::setState(agora::rtm::LOCAL_INVITATION_STATE state) {
  std::lock_guard<std::mutex> lock(mu_);
  state_ = state;
}

void LocalCallInvitationImpl::setResponse(std::string response) {
  std::lock_guard<std::mutex> lock(mu_);
  response_ = std::move(response);
}

}  // namespace rtm_emulator
