#include "client/channel_impl.h"

#include <utility>

#include "client/rtm_service_impl.h"
#include "client/service_anchor.h"

namespace rtm_emulator {

using namespace agora::rtm;

void ChannelState::deliver(const std::function<void(IChannelEventHandler*)>& call) {
  std::lock_guard<std::recursive_mutex> lock(callMu_);
  if (released_ || handler == nullptr) return;
  call(handler);
}

void ChannelState::markReleased() {
  std::lock_guard<std::recursive_mutex> lock(callMu_);
  released_ = true;
}

ChannelImpl::ChannelImpl(std::shared_ptr<ServiceAnchor> service, std::shared_ptr<ChannelState> state)
    : service_(std::move(service)), state_(std::move(state)) {}

int ChannelImpl::join() {
  return service_->withService([this](RtmServiceImpl& s) { return s.joinChannel(state_); },
                               JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN);
}

int ChannelImpl::leave() {
  return service_->withService([this](RtmServiceImpl& s) { return s.leaveChannel(state_); },
                               LEAVE_CHANNEL_ERR_USER_NOT_LOGGED_IN);
}

int ChannelImpl::sendMessage(const IMessage* message) { return sendMessage(message, SendMessageOptions()); }

int ChannelImpl::sendMessage(const IMessage* message, const SendMessageOptions& /*options*/) {
  // The options concern peer messages (offline) and an undocumented history flag: ignored.
  return service_->withService([&](RtmServiceImpl& s) { return s.sendChannelMessage(state_, message); },
                               CHANNEL_MESSAGE_ERR_USER_NOT_LOGGED_IN);
}

int ChannelImpl::getMembers() {
  return service_->withService([this](RtmServiceImpl& s) { return s.getChannelMembers(state_); },
                               GET_MEMBERS_ERR_USER_NOT_LOGGED_IN);
}

void ChannelImpl::release() {
  state_->markReleased();  // first, holding no other lock: waits for a callback in progress
  service_->withService(
      [this](RtmServiceImpl& s) {
        s.channelReleased(state_);
        return 0;
      },
      0);
  delete this;
}

}  // namespace rtm_emulator
