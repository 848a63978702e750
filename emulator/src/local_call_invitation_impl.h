// LocalCallInvitationImpl: ILocalCallInvitation, the caller's side of a call invitation. Its
// getters and setters work; the state stays IDLE until sending exists (a later slice).
#pragma once

#include <mutex>
#include <string>

#include "agora_rtm.h"
#include "live_objects.h"

namespace rtm_emulator {

class LocalCallInvitationImpl final : public agora::rtm::ILocalCallInvitation {
 public:
  explicit LocalCallInvitationImpl(std::string calleeId);

  const char* getCalleeId() const override { return calleeId_.c_str(); }
  void setContent(const char* content) override;
  const char* getContent() const override;
  void setChannelId(const char* channelId) override;
  const char* getChannelId() const override;
  const char* getResponse() const override;
  agora::rtm::LOCAL_INVITATION_STATE getState() const override;
  void release() override { delete this; }

  // For the call manager (later slices).
  void setState(agora::rtm::LOCAL_INVITATION_STATE state);
  void setResponse(std::string response);

 private:
  ~LocalCallInvitationImpl() override = default;

  LiveObject live_;
  const std::string calleeId_;
  // The service's thread updates state and response while the application reads them.
  mutable std::mutex mu_;
  std::string content_;
  std::string channelId_;
  std::string response_;
  agora::rtm::LOCAL_INVITATION_STATE state_ = agora::rtm::LOCAL_INVITATION_STATE_IDLE;
};

}  // namespace rtm_emulator
