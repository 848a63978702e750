// RemoteCallInvitationImpl: IRemoteCallInvitation, the callee's side of a call invitation.
// InvitationClient creates it when an invitation arrives and holds one reference while it
// tracks it; handing it to the application in onRemoteInvitationReceived adds the
// application's reference, which release() drops. It therefore stays valid after the callback,
// until the application releases it (accept / refuse take it later).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "agora_rtm.h"
#include "client/live_objects.h"

namespace rtm_emulator {

class InvitationClient;

class RemoteCallInvitationImpl final : public agora::rtm::IRemoteCallInvitation {
 public:
  RemoteCallInvitationImpl(std::shared_ptr<InvitationClient> owner, std::uint64_t serial, std::string callerId,
                           std::string content, std::string channelId);

  const char* getCallerId() const override { return callerId_.c_str(); }
  const char* getContent() const override { return content_.c_str(); }
  void setResponse(const char* response) override;
  const char* getResponse() const override;
  const char* getChannelId() const override { return channelId_.c_str(); }
  agora::rtm::REMOTE_INVITATION_STATE getState() const override;
  // Drops the application's reference; no callback names this invitation afterwards.
  void release() override;

  // --- for InvitationClient ---
  std::uint64_t serial() const { return serial_; }
  void addRef() { refs_.fetch_add(1, std::memory_order_relaxed); }
  void unref();
  void setState(agora::rtm::REMOTE_INVITATION_STATE state);
  std::string response() const;

 private:
  ~RemoteCallInvitationImpl() override = default;

  LiveObject live_;
  const std::shared_ptr<InvitationClient> owner_;
  const std::uint64_t serial_;
  const std::string callerId_;
  const std::string content_;
  const std::string channelId_;
  std::atomic<int> refs_{1};  // InvitationClient's
  mutable std::mutex mu_;
  std::string response_;  // getResponse's pointer stays valid until the next setResponse
  agora::rtm::REMOTE_INVITATION_STATE state_ = agora::rtm::REMOTE_INVITATION_STATE_INVITATION_RECEIVED;
};

}  // namespace rtm_emulator
