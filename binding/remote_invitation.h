// RemoteInvitation (lib/native.ts): an IRemoteCallInvitation handed to
// onRemoteInvitationReceived, kept by the binding after the callback (accept/refuse need it).
//
// Like LocalInvitation, the wrapper holds the registry and the id, never the SDK pointer: after
// release() (its own or the client's) every method throws Error{code:'ERR_RTM_RELEASED'}.
#pragma once

#include <napi.h>

#include <memory>

#include "agora_rtm.h"
#include "invitation_registry.h"

namespace rtm_binding {

class RemoteInvitation : public Napi::ObjectWrap<RemoteInvitation> {
 public:
  static Napi::Function Define(Napi::Env env);

  // A new wrapper for a registered id (CallCore::RemoteWrapper keeps one per id).
  static Napi::Object New(Napi::Env env, const std::shared_ptr<InvitationRegistry>& registry, int id);

  // RtmClient.remoteInvitation(remoteId): the wrapper of a RemoteInvitationReceived id, or null.
  static Napi::Value ForId(Napi::Env env, CallCore& calls, const Napi::Value& remoteId);

  // Only through New (the first argument is the binding's InvitationInit).
  explicit RemoteInvitation(const Napi::CallbackInfo& info);

 private:
  Napi::Value Id(const Napi::CallbackInfo& info);
  Napi::Value CallerId(const Napi::CallbackInfo& info);
  Napi::Value Content(const Napi::CallbackInfo& info);
  Napi::Value ChannelId(const Napi::CallbackInfo& info);
  Napi::Value Response(const Napi::CallbackInfo& info);
  void SetResponse(const Napi::CallbackInfo& info);
  Napi::Value State(const Napi::CallbackInfo& info);
  Napi::Value Accept(const Napi::CallbackInfo& info);
  Napi::Value Refuse(const Napi::CallbackInfo& info);
  void Release(const Napi::CallbackInfo& info);

  agora::rtm::IRemoteCallInvitation& Live(Napi::Env env) const;

  std::shared_ptr<InvitationRegistry> registry_;
  int id_ = 0;
};

}  // namespace rtm_binding
