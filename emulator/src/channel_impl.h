// ChannelImpl: IChannel. This slice has the object and its id; join / leave / sendMessage /
// getMembers check the login (102 before login) and otherwise fail with their FAILURE code
// without a callback (channels are a later slice).
#pragma once

#include <memory>
#include <string>

#include "agora_rtm.h"
#include "live_objects.h"

namespace rtm_emulator {

class ServiceAnchor;

class ChannelImpl final : public agora::rtm::IChannel {
 public:
  ChannelImpl(std::shared_ptr<ServiceAnchor> service, std::string id, agora::rtm::IChannelEventHandler* handler);

  int join() override;
  int leave() override;
  int sendMessage(const agora::rtm::IMessage* message) override;
  int sendMessage(const agora::rtm::IMessage* message, const agora::rtm::SendMessageOptions& options) override;
  const char* getId() const override { return id_.c_str(); }
  int getMembers() override;
  void release() override { delete this; }

  agora::rtm::IChannelEventHandler* eventHandler() const { return handler_; }

 private:
  ~ChannelImpl() override = default;
  int notYetImplemented(int failure) const;

  LiveObject live_;
  const std::shared_ptr<ServiceAnchor> service_;
  const std::string id_;
  agora::rtm::IChannelEventHandler* handler_;
};

}  // namespace rtm_emulator
