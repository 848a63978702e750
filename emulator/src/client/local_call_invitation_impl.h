// LocalCallInvitationImpl: ILocalCallInvitation, the caller's side of a call invitation. The
// application owns it (release()); InvitationClient drives its state and response. Reference
// counted so that a callback in progress keeps it alive even when the application releases it
// from another thread (or from inside that callback).
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

class LocalCallInvitationImpl final : public agora::rtm::ILocalCallInvitation {
 public:
  LocalCallInvitationImpl(std::shared_ptr<InvitationClient> owner, std::uint64_t serial, std::string calleeId);

  const char* getCalleeId() const override { return calleeId_.c_str(); }
  void setContent(const char* content) override;
  const char* getContent() const override;
  void setChannelId(const char* channelId) override;
  const char* getChannelId() const override;
  const char* getResponse() const override;
  agora::rtm::LOCAL_INVITATION_STATE getState() const override;
  // Drops the application's reference; no callback names this invitation afterwards.
  void release() override;

  // --- for InvitationClient ---
  std::uint64_t serial() const { return serial_; }
  void addRef() { refs_.fetch_add(1, std::memory_order_relaxed); }
  void unref();
  void setState(agora::rtm::LOCAL_INVITATION_STATE state);
  void setResponse(std::string response);
  void snapshot(std::string* content, std::string* channelId) const;

 private:
  ~LocalCallInvitationImpl() override = default;

  LiveObject live_;
  const std::shared_ptr<InvitationClient> owner_;
  const std::uint64_t serial_;
  const std::string calleeId_;
  std::atomic<int> refs_{1};  // the application's
  // The service's thread updates state and response while the application reads them. The
  // strings the getters return stay valid until the application itself calls the matching
  // setter (content, channel id) or releases the invitation (the response is set once).
  mutable std::mutex mu_;
  std::string content_;
  std::string channelId_;
  std::string response_;
  agora::rtm::LOCAL_INVITATION_STATE state_ = agora::rtm::LOCAL_INVITATION_STATE_IDLE;
};

}  // namespace rtm_emulator
