// ChannelImpl: IChannel, and ChannelState, what a channel object shares with its service.
//
// The object is a thin front: join / leave / sendMessage / getMembers go to the service
// (RtmServiceImpl, rtm_service_channels.cpp) through the ServiceAnchor, so a channel that
// outlives its service answers 102 and can still be released. Callbacks run on the service's
// callback thread through ChannelState::deliver.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "agora_rtm.h"
#include "client/live_objects.h"

namespace rtm_emulator {

class ServiceAnchor;

struct ChannelState {
  enum class Status { kIdle, kJoining, kJoined };

  ChannelState(std::string channelId, agora::rtm::IChannelEventHandler* eventHandler)
      : id(std::move(channelId)), handler(eventHandler) {}

  const std::string id;
  agora::rtm::IChannelEventHandler* const handler;

  // Guarded by the owning service's mutex.
  Status status = Status::kIdle;
  std::uint64_t attempt = 0;  // bumped by every join, leave and reset; pushes carry the join's

  // Runs call(handler) unless the object was released (or has no handler). Called on the
  // service's callback thread; holds callMu_ for the duration of the handler.
  void deliver(const std::function<void(agora::rtm::IChannelEventHandler*)>& call);
  // After this returns no callback starts, and none is in progress on another thread (a call
  // from inside this channel's own callback returns at once: that callback is its caller).
  void markReleased();

 private:
  std::recursive_mutex callMu_;
  bool released_ = false;
};

class ChannelImpl final : public agora::rtm::IChannel {
 public:
  ChannelImpl(std::shared_ptr<ServiceAnchor> service, std::shared_ptr<ChannelState> state);

  int join() override;
  int leave() override;
  int sendMessage(const agora::rtm::IMessage* message) override;
  int sendMessage(const agora::rtm::IMessage* message, const agora::rtm::SendMessageOptions& options) override;
  const char* getId() const override { return state_->id.c_str(); }
  int getMembers() override;
  // Leaves the channel if joined (the others see onMemberLeft), then frees the object; no
  // callback reaches its handler once this returns.
  void release() override;

 private:
  ~ChannelImpl() override = default;

  LiveObject live_;
  const std::shared_ptr<ServiceAnchor> service_;
  const std::shared_ptr<ChannelState> state_;
};

}  // namespace rtm_emulator
