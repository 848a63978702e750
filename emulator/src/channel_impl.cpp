#include "channel_impl.h"

#include <utility>

#include "service_anchor.h"

namespace rtm_emulator {

using namespace agora::rtm;

ChannelImpl::ChannelImpl(std::shared_ptr<ServiceAnchor> service, std::string id, IChannelEventHandler* handler)
    : service_(std::move(service)), id_(std::move(id)), handler_(handler) {}

int ChannelImpl::notYetImplemented(int failure) const {
  const int gate = service_->loginGate();
  return gate != 0 ? gate : failure;
}

int ChannelImpl::join() { return notYetImplemented(JOIN_CHANNEL_ERR_FAILURE); }

int ChannelImpl::leave() { return notYetImplemented(LEAVE_CHANNEL_ERR_FAILURE); }

int ChannelImpl::sendMessage(const IMessage*) { return notYetImplemented(CHANNEL_MESSAGE_ERR_FAILURE); }

int ChannelImpl::sendMessage(const IMessage*, const SendMessageOptions&) {
  return notYetImplemented(CHANNEL_MESSAGE_ERR_FAILURE);
}

int ChannelImpl::getMembers() { return notYetImplemented(GET_MEMBERS_ERR_FAILURE); }

}  // namespace rtm_emulator
