// LocalInvitation (lib/native.ts): an ILocalCallInvitation of one client.
//
// The wrapper holds the client's InvitationRegistry and the invitation's id, never the SDK
// pointer: once the invitation is released (release(), or the client's release()) every method
// throws Error{code:'ERR_RTM_RELEASED'}. A wrapper collected by GC does nothing in its
// destructor; the native object stays registered until release() or the client's release.
#pragma once

#include <napi.h>

#include <memory>

#include "agora_rtm.h"
#include "invitation_registry.h"

namespace rtm_binding {

class LocalInvitation : public Napi::ObjectWrap<LocalInvitation> {
 public:
  static Napi::Function Define(Napi::Env env);

  // RtmClient.createLocalInvitation(calleeId): createLocalCallInvitation on the client's call
  // manager; null when there is none or it returns NULL.
  static Napi::Value Create(Napi::Env env, const std::shared_ptr<InvitationRegistry>& registry,
                            const Napi::Value& calleeId);

  // Only through Create (the first argument is the binding's InvitationInit).
  explicit LocalInvitation(const Napi::CallbackInfo& info);

 private:
  Napi::Value Id(const Napi::CallbackInfo& info);
  Napi::Value CalleeId(const Napi::CallbackInfo& info);
  Napi::Value Content(const Napi::CallbackInfo& info);
  void SetContent(const Napi::CallbackInfo& info);
  Napi::Value ChannelId(const Napi::CallbackInfo& info);
  void SetChannelId(const Napi::CallbackInfo& info);
  Napi::Value Response(const Napi::CallbackInfo& info);
  Napi::Value State(const Napi::CallbackInfo& info);
  Napi::Value Send(const Napi::CallbackInfo& info);
  Napi::Value Cancel(const Napi::CallbackInfo& info);
  void Release(const Napi::CallbackInfo& info);

  // The live SDK object, or throws Error{code:'ERR_RTM_RELEASED'}.
  agora::rtm::ILocalCallInvitation& Live(Napi::Env env) const;
  // The client's call manager, or throws Error{code:'ERR_RTM_RELEASED'}.

  std::shared_ptr<InvitationRegistry> registry_;
  int id_ = 0;
};

}  // namespace rtm_binding
