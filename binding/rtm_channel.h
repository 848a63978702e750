// RtmChannel (lib/native.ts): an IChannel of one client, with its IChannelEventHandler.
//
// The wrapper holds the client's ChannelRegistry and the channel's ref, never the SDK pointer:
// once the channel is released (release(), or the client's release()) every method throws
// Error{code:'ERR_RTM_RELEASED'}. A wrapper collected by GC does nothing in its destructor; the
// channel stays registered until release() or the client's release. Only the binding constructs
// these objects (a type-tagged External); `new` from JS throws a TypeError.
#pragma once

#include <napi.h>

#include <memory>

#include "agora_rtm.h"
#include "channel_registry.h"

namespace rtm_binding {

class RtmChannel : public Napi::ObjectWrap<RtmChannel> {
 public:
  static Napi::Function Define(Napi::Env env);

  // RtmClient.createChannel(channelId): IRtmService::createChannel with a new handler, registered
  // in `registry`; null when the SDK returns NULL.
  static Napi::Value Create(Napi::Env env, const std::shared_ptr<ChannelRegistry>& registry,
                            const Napi::Value& channelId);

  // Only through Create (the first argument is the binding's tagged External).
  explicit RtmChannel(const Napi::CallbackInfo& info);

 private:
  Napi::Value Ref(const Napi::CallbackInfo& info);
  Napi::Value ChannelId(const Napi::CallbackInfo& info);
  Napi::Value Join(const Napi::CallbackInfo& info);
  Napi::Value Leave(const Napi::CallbackInfo& info);
  // createMessage → IChannel::sendMessage (the 2-argument overload when options are given) →
  // IMessage::release. Returns Accepted = [result, the message's id].
  Napi::Value SendMessage(const Napi::CallbackInfo& info);
  Napi::Value GetMembers(const Napi::CallbackInfo& info);
  void Release(const Napi::CallbackInfo& info);

  // The live SDK object, or throws Error{code:'ERR_RTM_RELEASED'}.
  agora::rtm::IChannel& Live(Napi::Env env) const;

  std::shared_ptr<ChannelRegistry> registry_;
  int ref_ = 0;
};

}  // namespace rtm_binding
