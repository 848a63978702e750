// Per-environment state of the addon (one instance per main thread / worker / Electron
// context): the class constructors and the live clients that environment teardown closes.
// Nothing here holds a static JS reference.
#pragma once

#include <napi.h>

#include <cstddef>
#include <memory>
#include <unordered_map>

namespace rtm_binding {

class ClientCore;
class EventHub;

class Addon : public Napi::Addon<Addon> {
 public:
  Addon(Napi::Env env, Napi::Object exports);
  Addon(const Addon&) = delete;
  Addon& operator=(const Addon&) = delete;
  // Environment teardown: closes every live client (ClientCore::Close), without calling JS.
  ~Addon();

  static Addon& Of(Napi::Env env) { return *env.GetInstanceData<Addon>(); }

  // Takes ownership of a client until CloseClient or teardown.
  ClientCore* Adopt(std::unique_ptr<ClientCore> core);
  // release(): closes the client (events still queued are dropped) and frees it; releases the
  // event hub when it was the last.
  void CloseClient(ClientCore* core);

  // JS thread: the environment's event hub (binding/event_hub.h: the one thread-safe function of
  // every client), made if there is none.
  std::shared_ptr<EventHub> Hub(Napi::Env env);
  // Releases the hub when no client is left (also after a client failed to be made).
  void ReleaseIdleHub();

  // The LocalInvitation / RemoteInvitation classes (not exported: RtmClient makes the objects).
  Napi::Function LocalInvitationClass() const { return local_invitation_.Value(); }
  Napi::Function RemoteInvitationClass() const { return remote_invitation_.Value(); }
  // The RtmChannel class (not exported: RtmClient.createChannel makes the objects).
  Napi::Function RtmChannelClass() const { return rtm_channel_.Value(); }

  // JS thread: the ArrayBuffer an event slice of `bytes` bytes is copied into (event_queue.cpp).
  // Slices up to kSharedSliceBytes share one buffer per environment, allocated once: every
  // client's dispatcher decodes its slice to the end before any other slice can be written, and
  // keeps nothing of it (lib/event-decoder.ts copies out strings and bytes). A larger slice gets
  // a buffer of its own. False (exception cleared) when out of memory.
  bool SliceBuffer(napi_env env, std::size_t bytes, void** data, napi_value* buffer);
  static constexpr std::size_t kSharedSliceBytes = 256 * 1024;

 private:
  Napi::Value GetSdkVersion(const Napi::CallbackInfo& info);
  void EmulatorCreate(const Napi::CallbackInfo& info);
  Napi::Value EmulatorDestroy(const Napi::CallbackInfo& info);
  Napi::Value EmulatorKick(const Napi::CallbackInfo& info);
  Napi::Value EmulatorExpireToken(const Napi::CallbackInfo& info);
  Napi::Value EmulatorDropConnection(const Napi::CallbackInfo& info);
  Napi::Value EmulatorRestoreConnection(const Napi::CallbackInfo& info);
  Napi::Value EmulatorSetInvitationAutoAck(const Napi::CallbackInfo& info);
  Napi::Value EmulatorUsers(const Napi::CallbackInfo& info);
  Napi::Value EmulatorLiveObjects(const Napi::CallbackInfo& info);
  Napi::Value EmulatorListen(const Napi::CallbackInfo& info);
  Napi::Value EmulatorStopListening(const Napi::CallbackInfo& info);
  Napi::Value EmulatorTcpStats(const Napi::CallbackInfo& info);
  Napi::Value EmulatorStats(const Napi::CallbackInfo& info);
  Napi::Value EmulatorSetLatency(const Napi::CallbackInfo& info);
  Napi::Value EmulatorControl(const Napi::CallbackInfo& info);

  Napi::FunctionReference rtm_client_;
  Napi::FunctionReference local_invitation_;
  Napi::FunctionReference remote_invitation_;
  Napi::FunctionReference rtm_channel_;
  Napi::Reference<Napi::ArrayBuffer> slice_buffer_;
  void* slice_data_ = nullptr;
  std::unordered_map<ClientCore*, std::unique_ptr<ClientCore>> live_;
  std::shared_ptr<EventHub> hub_;
};

}  // namespace rtm_binding
