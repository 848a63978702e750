// Module entry point: per-environment Addon state and the module-level functions of
// lib/native.ts (getSdkVersion and the emulator controls).
#include "addon.h"

#include <string>
#include <utility>

#include "args.h"
#include "backend.h"
#include "event_encode.h"
#include "event_hub.h"
#include "load_generator.h"
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
                           InstanceMethod<&Addon::EmulatorListen>("emulatorListen", napi_default_jsproperty),
                           InstanceMethod<&Addon::EmulatorStopListening>("emulatorStopListening", napi_default_jsproperty),
                           InstanceMethod<&Addon::EmulatorTcpStats>("emulatorTcpStats", napi_default_jsproperty),
                           InstanceMethod<&Addon::EmulatorStats>("emulatorStats", napi_default_jsproperty),
                           InstanceMethod<&Addon::EmulatorSetLatency>("emulatorSetLatency", napi_default_jsproperty),
                           InstanceMethod<&Addon::EmulatorControl>("emulatorControl", napi_default_jsproperty),
                       });
  ExportLoadGenerator(env, exports);
  ExportEventEncoder(env, exports);
}

// Runs when Node frees the environment's instance data: after every JS wrapper has been
// finalized and after Node has finalized every thread-safe function of this environment, so
// ClientCore::Close only detaches and releases the SDK objects (the function is not touched).
Addon::~Addon() {
  for (auto& entry : live_) entry.second->Close();
  live_.clear();
  ReleaseIdleHub();  // a no-op on the finalized function
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
  ReleaseIdleHub();
}

std::shared_ptr<EventHub> Addon::Hub(Napi::Env env) {
  if (hub_ == nullptr) hub_ = EventHub::Create(env);
  return hub_;
}

void Addon::ReleaseIdleHub() {
  if (!live_.empty() || hub_ == nullptr) return;
  hub_->Release();
  hub_.reset();
}

bool Addon::SliceBuffer(napi_env env, std::size_t bytes, void** data, napi_value* buffer) {
  if (bytes <= kSharedSliceBytes && !slice_buffer_.IsEmpty()) {
    *buffer = slice_buffer_.Value();
    *data = slice_data_;
    return true;
  }
  const std::size_t size = bytes <= kSharedSliceBytes ? kSharedSliceBytes : bytes;
  if (napi_create_arraybuffer(env, size, data, buffer) != napi_ok) {
    bool pending = false;
    napi_value ignored = nullptr;
    if (napi_is_exception_pending(env, &pending) == napi_ok && pending) napi_get_and_clear_last_exception(env, &ignored);
    return false;
  }
  if (size == kSharedSliceBytes) {
    slice_buffer_ = Napi::Persistent(Napi::ArrayBuffer(env, *buffer));
    slice_data_ = *data;
  }
  return true;
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
  // Optional: the App Certificate whose tokens the service verifies ("" or absent: none).
  const std::string certificate = info[2].IsUndefined() ? std::string() : StringArg(info[2], "appCertificate");
  std::string error;
  if (!rtm_emulator::createInProcess(name, limits, certificate, &error)) {
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

Napi::Value Addon::EmulatorListen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string name = StringArg(info[0], "name");
  const std::string host = StringArg(info[1], "host");
  const int port = Int32Arg(info[2], "port");
  int bound = 0;
  std::string error;
  if (!rtm_emulator::listenTcp(name, host, port, &bound, &error)) throw Napi::Error::New(env, error);
  return Napi::Number::New(env, bound);
}

Napi::Value Addon::EmulatorStopListening(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), rtm_emulator::stopTcp(StringArg(info[0], "name")));
}

Napi::Value Addon::EmulatorTcpStats(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), rtm_emulator::tcpStats(StringArg(info[0], "name")));
}

Napi::Value Addon::EmulatorSetLatency(const Napi::CallbackInfo& info) {
  const std::string name = StringArg(info[0], "name");
  const std::string user_id = StringArg(info[1], "userId");
  const int latency_ms = Int32Arg(info[2], "latencyMs");
  const int jitter_ms = Int32Arg(info[3], "jitterMs");
  return Napi::Boolean::New(info.Env(), rtm_emulator::setLatency(name, user_id, latency_ms, jitter_ms));
}

Napi::Value Addon::EmulatorStats(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), rtm_emulator::serviceStats(StringArg(info[0], "name")));
}

namespace {

// A control command to a service in another process: a blocking round trip (bounded by its
// timeout) on a worker thread, settled as a Promise of the JSON answer.
class ControlWorker final : public Napi::AsyncWorker {
 public:
  ControlWorker(Napi::Env env, std::string url, std::string command, std::string args, int timeout_ms)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), url_(std::move(url)),
        command_(std::move(command)), args_(std::move(args)), timeout_ms_(timeout_ms) {}
  Napi::Promise Promise() const { return deferred_.Promise(); }
  void Execute() override { ok_ = rtm_emulator::controlRemote(url_, command_, args_, timeout_ms_, &result_); }
  void OnOK() override {
    Napi::Env env = Env();
    if (ok_) {
      deferred_.Resolve(Napi::String::New(env, result_));
    } else {
      deferred_.Reject(Napi::Error::New(env, result_).Value());
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  const std::string url_, command_, args_;
  const int timeout_ms_;
  bool ok_ = false;
  std::string result_;
};

}  // namespace

Napi::Value Addon::EmulatorControl(const Napi::CallbackInfo& info) {
  auto* worker = new ControlWorker(info.Env(), StringArg(info[0], "url"), StringArg(info[1], "command"),
                                   StringArg(info[2], "argsJson"), Int32Arg(info[3], "timeoutMs"));
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace rtm_binding

using AgoraRtmAddon = rtm_binding::Addon;
NODE_API_NAMED_ADDON(agora_rtm_node, AgoraRtmAddon)
