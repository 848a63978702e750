#include "local_invitation.h"

#include <string>

#include "addon.h"
#include "args.h"

namespace rtm_binding {

Napi::Function LocalInvitation::Define(Napi::Env env) {
  return DefineClass(env, "LocalInvitation",
                     {
                         InstanceAccessor<&LocalInvitation::Id>("id", napi_enumerable),
                         InstanceMethod<&LocalInvitation::CalleeId>("calleeId", napi_default_method),
                         InstanceMethod<&LocalInvitation::Content>("content", napi_default_method),
                         InstanceMethod<&LocalInvitation::SetContent>("setContent", napi_default_method),
                         InstanceMethod<&LocalInvitation::ChannelId>("channelId", napi_default_method),
                         InstanceMethod<&LocalInvitation::SetChannelId>("setChannelId", napi_default_method),
                         InstanceMethod<&LocalInvitation::Response>("response", napi_default_method),
                         InstanceMethod<&LocalInvitation::State>("state", napi_default_method),
                         InstanceMethod<&LocalInvitation::Send>("send", napi_default_method),
                         InstanceMethod<&LocalInvitation::Cancel>("cancel", napi_default_method),
                         InstanceMethod<&LocalInvitation::Release>("release", napi_default_method),
                     });
}

Napi::Value LocalInvitation::Create(Napi::Env env, const std::shared_ptr<InvitationRegistry>& registry,
                                    const Napi::Value& calleeId) {
  const std::string callee = StringArg(calleeId, "calleeId");
  agora::rtm::IRtmCallManager* manager = registry->CallManager();
  if (manager == nullptr) return env.Null();
  agora::rtm::ILocalCallInvitation* invitation = manager->createLocalCallInvitation(callee.c_str());
  if (invitation == nullptr) return env.Null();
  InvitationInit init{registry, registry->AddLocal(invitation)};
  if (init.id == 0) {  // the registry is closed (cannot happen on a live client)
    invitation->release();
    return env.Null();
  }
  try {
    return Addon::Of(env).LocalInvitationClass().New({WrapInvitationInit(env, &init)});
  } catch (...) {
    registry->ReleaseLocal(init.id);
    throw;
  }
}

LocalInvitation::LocalInvitation(const Napi::CallbackInfo& info) : Napi::ObjectWrap<LocalInvitation>(info) {
  InvitationInit& init = UnwrapInvitationInit(info, "LocalInvitation");
  registry_ = init.registry;
  id_ = init.id;
}

agora::rtm::ILocalCallInvitation& LocalInvitation::Live(Napi::Env env) const {
  return LiveInvitation(env, registry_ ? registry_->Local(id_) : nullptr, "LocalInvitation");
}

Napi::Value LocalInvitation::Id(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), id_); }

Napi::Value LocalInvitation::CalleeId(const Napi::CallbackInfo& info) {
  return InvitationText(info.Env(), Live(info.Env()).getCalleeId());
}

Napi::Value LocalInvitation::Content(const Napi::CallbackInfo& info) {
  return InvitationText(info.Env(), Live(info.Env()).getContent());
}

void LocalInvitation::SetContent(const Napi::CallbackInfo& info) {
  agora::rtm::ILocalCallInvitation& invitation = Live(info.Env());
  const std::string content = StringArg(info[0], "content");
  invitation.setContent(content.c_str());
}

Napi::Value LocalInvitation::ChannelId(const Napi::CallbackInfo& info) {
  return InvitationText(info.Env(), Live(info.Env()).getChannelId());
}

void LocalInvitation::SetChannelId(const Napi::CallbackInfo& info) {
  agora::rtm::ILocalCallInvitation& invitation = Live(info.Env());
  const std::string channel_id = StringArg(info[0], "channelId");
  invitation.setChannelId(channel_id.c_str());
}

Napi::Value LocalInvitation::Response(const Napi::CallbackInfo& info) {
  return InvitationText(info.Env(), Live(info.Env()).getResponse());
}

Napi::Value LocalInvitation::State(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), Live(info.Env()).getState());
}

Napi::Value LocalInvitation::Send(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  agora::rtm::ILocalCallInvitation& invitation = Live(env);
  return Napi::Number::New(env, LiveCallManager(env, registry_).sendLocalInvitation(&invitation));
}

Napi::Value LocalInvitation::Cancel(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  agora::rtm::ILocalCallInvitation& invitation = Live(env);
  return Napi::Number::New(env, LiveCallManager(env, registry_).cancelLocalInvitation(&invitation));
}

void LocalInvitation::Release(const Napi::CallbackInfo& /*info*/) {
  if (registry_) registry_->ReleaseLocal(id_);  // idempotent
}

}  // namespace rtm_binding
