// The IRtmServiceEventHandler of one client: each callback copies its arguments into an Event
// and pushes it onto the client's EventQueue. Runs on SDK threads, so it never blocks, never
// calls into the SDK and never touches V8.
#pragma once

#include <atomic>
#include <memory>

#include "agora_rtm.h"
#include "event_queue.h"

namespace rtm_binding {

// Event kinds: the numbers of EventKind in lib/native.ts.
enum EventKind : int {
  kLoginSuccess = 1,
  kLoginFailure = 2,
  kRenewTokenResult = 3,
  kTokenExpired = 4,
  kLogout = 5,
  kConnectionStateChanged = 6,
};

class ServiceHandler final : public agora::rtm::IRtmServiceEventHandler {
 public:
  explicit ServiceHandler(std::shared_ptr<EventQueue> queue) : queue_(std::move(queue)) {}
  ServiceHandler(const ServiceHandler&) = delete;
  ServiceHandler& operator=(const ServiceHandler&) = delete;

  // First step of teardown: every callback after this drops its event.
  void SetClosing() { closing_.store(true, std::memory_order_release); }

  void onLoginSuccess() override;
  void onLoginFailure(agora::rtm::LOGIN_ERR_CODE errorCode) override;
  void onRenewTokenResult(const char* token, agora::rtm::RENEW_TOKEN_ERR_CODE errorCode) override;
  void onTokenExpired() override;
  void onLogout(agora::rtm::LOGOUT_ERR_CODE errorCode) override;
  void onConnectionStateChanged(agora::rtm::CONNECTION_STATE state,
                                agora::rtm::CONNECTION_CHANGE_REASON reason) override;

 private:
  void Emit(EventKind kind, std::vector<Value> args = {});

  std::atomic<bool> closing_{false};
  const std::shared_ptr<EventQueue> queue_;
};

}  // namespace rtm_binding
