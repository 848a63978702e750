#include "remote_invitation.h"

#include <string>

#include "addon.h"
#include "args.h"

namespace rtm_binding {

Napi::Function RemoteInvitation::Define(Napi::Env env) {
  return DefineClass(env, "RemoteInvitation",
                     {
                         InstanceAccessor<&RemoteInvitation::Id>("id", napi_enumerable),
                         InstanceMethod<&RemoteInvitation::CallerId>("callerId", napi_default_method),
                         InstanceMethod<&RemoteInvitation::Content>("content", napi_default_method),
                         InstanceMethod<&RemoteInvitation::ChannelId>("channelId", napi_default_method),
                         InstanceMethod<&RemoteInvitation::Response>("response", napi_default_method),
                         InstanceMethod<&RemoteInvitation::SetResponse>("setResponse", napi_default_method),
                         InstanceMethod<&RemoteInvitation::State>("state", napi_default_method),
                         InstanceMethod<&RemoteInvitation::Accept>("accept", napi_default_method),
                         InstanceMethod<&RemoteInvitation::Refuse>("refuse", napi_default_method),
                         InstanceMethod<&RemoteInvitation::Release>("release", napi_default_method),
                     });
}

Napi::Object RemoteInvitation::New(Napi::Env env, const std::shared_ptr<InvitationRegistry>& registry, int id) {
  InvitationInit init{registry, id};
  return Addon::Of(env).RemoteInvitationClass().New({WrapInvitationInit(env, &init)});
}

Napi::Value RemoteInvitation::ForId(Napi::Env env, CallCore& calls, const Napi::Value& remoteId) {
  const int id = Int32Arg(remoteId, "remoteId");
  Napi::Value wrapper = calls.RemoteWrapper(env, id);
  return wrapper.IsEmpty() ? env.Null() : wrapper;
}

RemoteInvitation::RemoteInvitation(const Napi::CallbackInfo& info) : Napi::ObjectWrap<RemoteInvitation>(info) {
  InvitationInit& init = UnwrapInvitationInit(info, "RemoteInvitation");
  registry_ = init.registry;
  id_ = init.id;
}

agora::rtm::IRemoteCallInvitation& RemoteInvitation::Live(Napi::Env env) const {
  return LiveInvitation(env, registry_ ? registry_->Remote(id_) : nullptr, "RemoteInvitation");
}

Napi::Value RemoteInvitation::Id(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), id_); }

Napi::Value RemoteInvitation::CallerId(const Napi::CallbackInfo& info) {
  return InvitationText(info.Env(), Live(info.Env()).getCallerId());
}

Napi::Value RemoteInvitation::Content(const Napi::CallbackInfo& info) {
  return InvitationText(info.Env(), Live(info.Env()).getContent());
}

Napi::Value RemoteInvitation::ChannelId(const Napi::CallbackInfo& info) {
  return InvitationText(info.Env(), Live(info.Env()).getChannelId());
}

Napi::Value RemoteInvitation::Response(const Napi::CallbackInfo& info) {
  return InvitationText(info.Env(), Live(info.Env()).getResponse());
}

void RemoteInvitation::SetResponse(const Napi::CallbackInfo& info) {
  agora::rtm::IRemoteCallInvitation& invitation = Live(info.Env());
  const std::string response = StringArg(info[0], "response");
  invitation.setResponse(response.c_str());
}

Napi::Value RemoteInvitation::State(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), Live(info.Env()).getState());
}

Napi::Value RemoteInvitation::Accept(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  agora::rtm::IRemoteCallInvitation& invitation = Live(env);
  return Napi::Number::New(env, LiveCallManager(env, registry_).acceptRemoteInvitation(&invitation));
}

Napi::Value RemoteInvitation::Refuse(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  agora::rtm::IRemoteCallInvitation& invitation = Live(env);
  return Napi::Number::New(env, LiveCallManager(env, registry_).refuseRemoteInvitation(&invitation));
}

void RemoteInvitation::Release(const Napi::CallbackInfo& /*info*/) {
  if (registry_) registry_->ReleaseRemote(id_);  // idempotent
}

}  // namespace rtm_binding
