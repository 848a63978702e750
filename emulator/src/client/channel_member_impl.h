// ChannelMemberImpl: IChannelMember, handed to onMemberJoined / onMemberLeft / onGetMembers.
// The emulator owns it: it is valid during the callback and freed when the callback returns;
// release() by the application does nothing (the SDK does not say whether it should be called).
#pragma once

#include <string>

#include "agora_rtm.h"
#include "client/live_objects.h"

namespace rtm_emulator {

class ChannelMemberImpl final : public agora::rtm::IChannelMember {
 public:
  ChannelMemberImpl(std::string userId, std::string channelId)
      : userId_(std::move(userId)), channelId_(std::move(channelId)) {}

  const char* getUserId() const override { return userId_.c_str(); }
  const char* getChannelId() const override { return channelId_.c_str(); }
  void release() override {}
  // The emulator's own release, after the callback.
  void destroy() { delete this; }

 private:
  ~ChannelMemberImpl() override = default;

  LiveObject live_;
  const std::string userId_;
  const std::string channelId_;
};

}  // namespace rtm_emulator
