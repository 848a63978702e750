#include "rtm_channel.h"

#include <cstdint>
#include <string>

#include "addon.h"
#include "args.h"
#include "message.h"

namespace rtm_binding {

namespace {

// What Create hands to the constructor.
struct ChannelInit {
  std::shared_ptr<ChannelRegistry> registry;
  int ref = 0;
};

// Marks the External made by Create, so no other External passes.
constexpr napi_type_tag kChannelInitTag = {0x3c5e7a91b2d4f608ULL, 0xe1f2a3b4c5d6e7f8ULL};

}  // namespace

Napi::Function RtmChannel::Define(Napi::Env env) {
  return DefineClass(env, "RtmChannel",
                     {
                         InstanceAccessor<&RtmChannel::Ref>("ref", napi_enumerable),
                         InstanceMethod<&RtmChannel::ChannelId>("channelId", napi_default_method),
                         InstanceMethod<&RtmChannel::Join>("join", napi_default_method),
                         InstanceMethod<&RtmChannel::Leave>("leave", napi_default_method),
                         InstanceMethod<&RtmChannel::SendMessage>("sendMessage", napi_default_method),
                         InstanceMethod<&RtmChannel::GetMembers>("getMembers", napi_default_method),
                         InstanceMethod<&RtmChannel::Release>("release", napi_default_method),
                     });
}

Napi::Value RtmChannel::Create(Napi::Env env, const std::shared_ptr<ChannelRegistry>& registry,
                               const Napi::Value& channelId) {
  const std::string id = StringArg(channelId, "channelId");  // a primitive: runs no JS
  ChannelInit init{registry, registry->Create(id)};
  if (init.ref == 0) return env.Null();
  try {
    Napi::External<ChannelInit> external = Napi::External<ChannelInit>::New(env, &init);
    external.TypeTag(&kChannelInitTag);
    return Addon::Of(env).RtmChannelClass().New({external});
  } catch (...) {
    registry->Release(init.ref);
    throw;
  }
}

RtmChannel::RtmChannel(const Napi::CallbackInfo& info) : Napi::ObjectWrap<RtmChannel>(info) {
  Napi::Value arg = info[0];
  if (!arg.IsExternal() || !arg.As<Napi::External<ChannelInit>>().CheckTypeTag(&kChannelInitTag)) {
    throw Napi::TypeError::New(info.Env(), "RtmChannel objects are made by RtmClient only");
  }
  const ChannelInit& init = *arg.As<Napi::External<ChannelInit>>().Data();
  registry_ = init.registry;
  ref_ = init.ref;
}

agora::rtm::IChannel& RtmChannel::Live(Napi::Env env) const {
  agora::rtm::IChannel* channel = registry_ ? registry_->Channel(ref_) : nullptr;
  if (channel == nullptr) {
    const bool client_gone = !registry_ || registry_->Closed();
    throw ErrorWithCode(env, client_gone ? "The RtmClient has been released" : "The RtmChannel has been released",
                        "ERR_RTM_RELEASED");
  }
  return *channel;
}

Napi::Value RtmChannel::Ref(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), ref_); }

Napi::Value RtmChannel::ChannelId(const Napi::CallbackInfo& info) {
  const char* id = Live(info.Env()).getId();
  return Napi::String::New(info.Env(), id != nullptr ? id : "");
}

Napi::Value RtmChannel::Join(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), Live(info.Env()).join());
}

Napi::Value RtmChannel::Leave(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), Live(info.Env()).leave());
}

Napi::Value RtmChannel::SendMessage(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Live(env);  // a released channel reports ERR_RTM_RELEASED whatever the arguments
  const OutgoingMessage outgoing = OutgoingMessageArg(info[0]);
  agora::rtm::SendMessageOptions options;
  const bool with_options = SendOptionsArg(info[1], &options);
  // Reading the arguments may have run JS (getters) that released the channel or the client.
  agora::rtm::IChannel& channel = Live(env);
  agora::rtm::IRtmService* service = registry_->Service();  // non-null: the channel is live

  agora::rtm::IMessage* message = CreateMessage(service, outgoing);
  if (message == nullptr) {
    throw ErrorWithCode(env, "IRtmService::createMessage() returned NULL", "ERR_RTM_NO_MESSAGE");
  }
  const long long message_id = message->getMessageId();
  const int result = with_options ? channel.sendMessage(message, options) : channel.sendMessage(message);
  // The SDK copies what it sends (as for peer messages).
  message->release();

  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::Number::New(env, result));
  out.Set(1u, Napi::BigInt::New(env, static_cast<std::int64_t>(message_id)));
  return out;
}

Napi::Value RtmChannel::GetMembers(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), Live(info.Env()).getMembers());
}

void RtmChannel::Release(const Napi::CallbackInfo& /*info*/) {
  if (registry_) registry_->Release(ref_);  // idempotent; a no-op after the client's release
}

}  // namespace rtm_binding
