// Module entry point: per-environment Addon state and the module-level functions of
// lib/native.ts (getSdkVersion and the emulator controls).
#include "addon.h"

#include <string>
#include <utility>

#include "args.h"
#include "backend.h"
#include "local_invitation.h"
#include "remote_invitation.h"
#include "rtm_channel.h"
#include "rtm_client.h"
#include "rtm_emulator/emulator.h"

namespace rtm_binding {

Addon::Addon(Napi::Env env, Napi::Object exports) {
  Napi::Function rtm_client = RtmClient::Define(env);
  rtm_client_ = Napi::Persistent(rtm_client);
  local_invitation_ = Napi::Persistent(LocalInvitation::Define(env));
  remote_invitation_ = Napi::Persistent(RemoteInvitation::Define(env));
  rtm_channel_ = Napi::Persistent(RtmChannel::Define(env));
  exports.Set("RtmClient", rtm_client);
  // Plain data properties, as `exports.x = …` would make them.
  DefineAddon(exports, {
                           InstanceMethod<&Addon::GetSdkVersion>("getSdkVersion", napi_default_jsproperty),
                           InstanceMethod<&Addon::EmulatorCreate>("emulatorCreate", napi_default_jsproperty),
                           InstanceMethod<&Addon::EmulatorDestroy>("emulatorDestroy", napi_default_jsproperty),
                           InstanceMethod<&Addon::EmulatorKick>("emulatorKick", napi_default_jsproperty),
                           InstanceMethod<&Addon::EmulatorExpireToken>("emulatorExpireToken", napi_default_jsproperty),
                           InstanceMethod<&Addon::EmulatorDropConnection>("emulatorDropConnection",
                                                                           napi_default_jsproperty),
                           InstanceMethod<&Addon::EmulatorRestoreConnection>("emulatorRestoreConnection",
                                                                              napi_default_jsproperty),
                           InstanceMethod<&Addon::EmulatorSetInvitationAutoAck>("emulatorSetInvitationAutoAck",
                                                                                 napi_default_jsproperty),
                           InstanceMethod<&Addon::EmulatorUsers>("emulatorUsers", napi_default_jsproperty),
                           InstanceMethod<&Addon::EmulatorLiveObjects>("emulatorLiveObjects", napi_default_jsproperty),
                       });
}

// Runs when Node frees the environment's instance data: after every JS wrapper has been
// finalized and after Node has finalized every thread-safe function of this environment, so
// ClientCore::Close only detaches and releases the SDK objects (the function is not touched).
Addon::~Addon() {
  for (auto& entry : live_) entry.second->Close();
  live_.clear();
}

ClientCore* Addon::Adopt(std::unique_ptr<ClientCore> core) {
  ClientCore* raw = core.get();
  live_.emplace(raw, std::move(core));
  return raw;
}

void Addon::CloseClient(ClientCore* core) {
  auto found = live_.find(core);
  if (found == live_.end()) return;
  std::unique_ptr<ClientCore> owned = std::move(found->second);
  live_.erase(found);
  owned->Close();
}

Napi::Value Addon::GetSdkVersion(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Backend backend = LoadBackend(env, info[0]);
  const char* version = backend.getRtmSdkVersion();
  return Napi::String::New(env, version != nullptr ? version : "");
}

void Addon::EmulatorCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string name = StringArg(info[0], "name");
  const std::string limits = StringArg(info[1], "limitsJson");
  std::string error;
  if (!rtm_emulator::createInProcess(name, limits, &error)) {
    throw Napi::Error::New(env, error.empty() ? "emulatorCreate failed for '" + name + "'" : error);
  }
}

Napi::Value Addon::EmulatorDestroy(const Napi::CallbackInfo& info) {
  const std::string name = StringArg(info[0], "name");
  return Napi::Boolean::New(info.Env(), rtm_emulator::destroyInProcess(name));
}

namespace {

// (name, userId) → boolean, for the emulator controls that act on one user.
Napi::Value UserCall(const Napi::CallbackInfo& info, bool (*call)(const std::string&, const std::string&)) {
  const std::string name = StringArg(info[0], "name");
  const std::string user_id = StringArg(info[1], "userId");
  return Napi::Boolean::New(info.Env(), call(name, user_id));
}

}  // namespace

Napi::Value Addon::EmulatorKick(const Napi::CallbackInfo& info) {
  return UserCall(info, rtm_emulator::kickUser);
}

Napi::Value Addon::EmulatorExpireToken(const Napi::CallbackInfo& info) {
  return UserCall(info, rtm_emulator::expireToken);
}

Napi::Value Addon::EmulatorDropConnection(const Napi::CallbackInfo& info) {
  return UserCall(info, rtm_emulator::dropConnection);
}

Napi::Value Addon::EmulatorRestoreConnection(const Napi::CallbackInfo& info) {
  return UserCall(info, rtm_emulator::restoreConnection);
}

Napi::Value Addon::EmulatorSetInvitationAutoAck(const Napi::CallbackInfo& info) {
  const std::string name = StringArg(info[0], "name");
  const std::string user_id = StringArg(info[1], "userId");
  const bool enabled = BoolArg(info[2], "enabled");
  return Napi::Boolean::New(info.Env(), rtm_emulator::setInvitationAutoAck(name, user_id, enabled));
}

Napi::Value Addon::EmulatorUsers(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string name = StringArg(info[0], "name");
  // listUsers answers a JSON array of strings; JSON.parse does the unescaping.
  const std::string json = rtm_emulator::listUsers(name);
  Napi::Object json_object = env.Global().Get("JSON").As<Napi::Object>();
  Napi::Function parse = json_object.Get("parse").As<Napi::Function>();
  Napi::Value users = parse.Call(json_object, {Napi::String::New(env, json.empty() ? "[]" : json)});
  if (!users.IsArray()) throw Napi::Error::New(env, "emulator listUsers() did not return a JSON array");
  return users;
}

Napi::Value Addon::EmulatorLiveObjects(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(rtm_emulator::liveObjectCount()));
}

}  // namespace rtm_binding

using AgoraRtmAddon = rtm_binding::Addon;
NODE_API_NAMED_ADDON(agora_rtm_node, AgoraRtmAddon)
