// The IRtmCallEventHandler of one client: each callback names its invitation by the id the
// InvitationRegistry gave it, copies the other arguments into an Event and pushes it onto the
// client's EventQueue (the service handler's queue, so call events keep their order relative to
// every other event of the client). Runs on SDK threads: it never blocks beyond a short mutex
// hold, never calls into the SDK (apart from reading the invitation handed to
// onRemoteInvitationReceived) and never touches V8. Events for invitations that are unknown or
// already released are dropped.
#pragma once

#include <atomic>
#include <memory>

#include "agora_rtm.h"
#include "event_queue.h"
#include "invitation_registry.h"

namespace rtm_binding {

// Event kinds: the numbers of EventKind in lib/native.ts (40–49).
enum CallEventKind : int {
  kLocalInvitationReceivedByPeer = 40,
  kLocalInvitationCanceled = 41,
  kLocalInvitationFailure = 42,
  kLocalInvitationAccepted = 43,
  kLocalInvitationRefused = 44,
  kRemoteInvitationRefused = 45,
  kRemoteInvitationAccepted = 46,
  kRemoteInvitationReceived = 47,
  kRemoteInvitationFailure = 48,
  kRemoteInvitationCanceled = 49,
};

class CallHandler final : public agora::rtm::IRtmCallEventHandler {
 public:
  CallHandler(std::shared_ptr<EventQueue> queue, std::shared_ptr<InvitationRegistry> registry)
      : queue_(std::move(queue)), registry_(std::move(registry)) {}
  CallHandler(const CallHandler&) = delete;
  CallHandler& operator=(const CallHandler&) = delete;

  // First step of teardown: every callback after this drops its event.
  void SetClosing() { closing_.store(true, std::memory_order_release); }

  // Caller side: the invitation is this client's own (registered by createLocalInvitation).
  void onLocalInvitationReceivedByPeer(agora::rtm::ILocalCallInvitation* localInvitation) override;
  void onLocalInvitationCanceled(agora::rtm::ILocalCallInvitation* localInvitation) override;
  void onLocalInvitationFailure(agora::rtm::ILocalCallInvitation* localInvitation,
                                agora::rtm::LOCAL_INVITATION_ERR_CODE errorCode) override;
  void onLocalInvitationAccepted(agora::rtm::ILocalCallInvitation* localInvitation, const char* response) override;
  void onLocalInvitationRefused(agora::rtm::ILocalCallInvitation* localInvitation, const char* response) override;

  // Callee side: onRemoteInvitationReceived registers the invitation (the binding keeps it after
  // the callback); the others name a registered one.
  void onRemoteInvitationRefused(agora::rtm::IRemoteCallInvitation* remoteInvitation) override;
  void onRemoteInvitationAccepted(agora::rtm::IRemoteCallInvitation* remoteInvitation) override;
  void onRemoteInvitationReceived(agora::rtm::IRemoteCallInvitation* remoteInvitation) override;
  void onRemoteInvitationFailure(agora::rtm::IRemoteCallInvitation* remoteInvitation,
                                 agora::rtm::REMOTE_INVITATION_ERR_CODE errorCode) override;
  void onRemoteInvitationCanceled(agora::rtm::IRemoteCallInvitation* remoteInvitation) override;

 private:
  // [kind, id, ...extra] for a registered invitation; nothing for id 0 or while closing. Nothing
  // escapes: an allocation failure loses the event rather than throw into the SDK's thread.
  void EmitLocal(CallEventKind kind, const agora::rtm::ILocalCallInvitation* invitation, const Value* extra) noexcept;
  void EmitRemote(CallEventKind kind, const agora::rtm::IRemoteCallInvitation* invitation,
                  const Value* extra) noexcept;
  void Push(CallEventKind kind, int id, const Value* extra) noexcept;
  bool Closing() const { return closing_.load(std::memory_order_acquire); }

  std::atomic<bool> closing_{false};
  const std::shared_ptr<EventQueue> queue_;
  const std::shared_ptr<InvitationRegistry> registry_;
};

}  // namespace rtm_binding
