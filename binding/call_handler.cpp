#include "call_handler.h"

#include <string>
#include <utility>
#include <vector>

namespace rtm_binding {

namespace {

Value Code(int value) { return Value::Number(value); }

}  // namespace

void CallHandler::Push(CallEventKind kind, int id, const Value* extra) noexcept {
  if (id == 0 || Closing()) return;
  try {
    Event event;
    event.kind = kind;
    event.args.reserve(extra != nullptr ? 2 : 1);
    event.args.push_back(Value::Number(id));
    if (extra != nullptr) event.args.push_back(*extra);
    queue_->Push(std::move(event));
  } catch (...) {
    // Out of memory: lose the event rather than throw into the SDK's thread.
  }
}

void CallHandler::EmitLocal(CallEventKind kind, const agora::rtm::ILocalCallInvitation* invitation,
                            const Value* extra) noexcept {
  if (Closing() || invitation == nullptr) return;
  int id = 0;
  try {
    id = registry_->LocalId(invitation);
  } catch (...) {
    return;  // std::mutex::lock failing: nothing sensible to report
  }
  Push(kind, id, extra);
}

void CallHandler::EmitRemote(CallEventKind kind, const agora::rtm::IRemoteCallInvitation* invitation,
                             const Value* extra) noexcept {
  if (Closing() || invitation == nullptr) return;
  int id = 0;
  try {
    id = registry_->RemoteId(invitation);
  } catch (...) {
    return;
  }
  Push(kind, id, extra);
}

// --- Caller side ------------------------------------------------------------------------------

void CallHandler::onLocalInvitationReceivedByPeer(agora::rtm::ILocalCallInvitation* localInvitation) {
  EmitLocal(kLocalInvitationReceivedByPeer, localInvitation, nullptr);
}

void CallHandler::onLocalInvitationCanceled(agora::rtm::ILocalCallInvitation* localInvitation) {
  EmitLocal(kLocalInvitationCanceled, localInvitation, nullptr);
}

void CallHandler::onLocalInvitationFailure(agora::rtm::ILocalCallInvitation* localInvitation,
                                           agora::rtm::LOCAL_INVITATION_ERR_CODE errorCode) {
  const Value code = Code(errorCode);
  EmitLocal(kLocalInvitationFailure, localInvitation, &code);
}

void CallHandler::onLocalInvitationAccepted(agora::rtm::ILocalCallInvitation* localInvitation,
                                            const char* response) {
  if (Closing()) return;
  try {
    const Value text = Value::String(response);
    EmitLocal(kLocalInvitationAccepted, localInvitation, &text);
  } catch (...) {
  }
}

void CallHandler::onLocalInvitationRefused(agora::rtm::ILocalCallInvitation* localInvitation, const char* response) {
  if (Closing()) return;
  try {
    const Value text = Value::String(response);
    EmitLocal(kLocalInvitationRefused, localInvitation, &text);
  } catch (...) {
  }
}

// --- Callee side ------------------------------------------------------------------------------

void CallHandler::onRemoteInvitationRefused(agora::rtm::IRemoteCallInvitation* remoteInvitation) {
  EmitRemote(kRemoteInvitationRefused, remoteInvitation, nullptr);
}

void CallHandler::onRemoteInvitationAccepted(agora::rtm::IRemoteCallInvitation* remoteInvitation) {
  EmitRemote(kRemoteInvitationAccepted, remoteInvitation, nullptr);
}

void CallHandler::onRemoteInvitationReceived(agora::rtm::IRemoteCallInvitation* remoteInvitation) {
  if (remoteInvitation == nullptr) return;
  try {
    // Copied before the invitation is registered: from then on the JS thread may release it
    // (client release), so this thread must not read it any more.
    Event event;
    event.kind = kRemoteInvitationReceived;
    event.args.reserve(5);
    event.args.push_back(Value::Number(0));  // the id, below
    event.args.push_back(Value::String(remoteInvitation->getCallerId()));
    event.args.push_back(Value::String(remoteInvitation->getContent()));
    event.args.push_back(Value::String(remoteInvitation->getChannelId()));
    event.args.push_back(Code(remoteInvitation->getState()));
    // Registered even while closing, so that teardown (which releases every registered
    // invitation) also releases this one; only the event is dropped then.
    const int id = registry_->AddRemote(remoteInvitation);
    if (id == 0 || Closing()) return;
    event.args[0] = Value::Number(id);
    queue_->Push(std::move(event));
  } catch (...) {
    // Out of memory: lose the event rather than throw into the SDK's thread.
  }
}

void CallHandler::onRemoteInvitationFailure(agora::rtm::IRemoteCallInvitation* remoteInvitation,
                                            agora::rtm::REMOTE_INVITATION_ERR_CODE errorCode) {
  const Value code = Code(errorCode);
  EmitRemote(kRemoteInvitationFailure, remoteInvitation, &code);
}

void CallHandler::onRemoteInvitationCanceled(agora::rtm::IRemoteCallInvitation* remoteInvitation) {
  // api.md: RemoteInvitationCanceled(content). The content is read under the registry's mutex,
  // only while the invitation is registered (so not released by the JS thread).
  if (Closing() || remoteInvitation == nullptr) return;
  try {
    std::string content;
    const int id = registry_->RemoteIdAndContent(remoteInvitation, &content);
    const Value text = Value::String(std::move(content));
    Push(kRemoteInvitationCanceled, id, &text);
  } catch (...) {
  }
}

}  // namespace rtm_binding
