#include "service_handler.h"

#include <utility>

namespace rtm_binding {

namespace {
Value Code(int value) { return Value::Number(value); }
}  // namespace

void ServiceHandler::Emit(EventKind kind, std::vector<Value> args) {
  if (closing_.load(std::memory_order_acquire)) return;
  try {
    Event event;
    event.kind = kind;
    event.args = std::move(args);
    queue_->Push(std::move(event));
  } catch (...) {
    // Out of memory: lose the event rather than throw into the SDK's thread.
  }
}

void ServiceHandler::onLoginSuccess() { Emit(kLoginSuccess); }

void ServiceHandler::onLoginFailure(agora::rtm::LOGIN_ERR_CODE errorCode) {
  Emit(kLoginFailure, {Code(errorCode)});
}

void ServiceHandler::onRenewTokenResult(const char* token, agora::rtm::RENEW_TOKEN_ERR_CODE errorCode) {
  Emit(kRenewTokenResult, {Value::String(token), Code(errorCode)});
}

void ServiceHandler::onTokenExpired() { Emit(kTokenExpired); }

void ServiceHandler::onLogout(agora::rtm::LOGOUT_ERR_CODE errorCode) { Emit(kLogout, {Code(errorCode)}); }

void ServiceHandler::onConnectionStateChanged(agora::rtm::CONNECTION_STATE state,
                                              agora::rtm::CONNECTION_CHANGE_REASON reason) {
  Emit(kConnectionStateChanged, {Code(state), Code(reason)});
}

}  // namespace rtm_binding
