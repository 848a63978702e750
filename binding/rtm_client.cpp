#include "rtm_client.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "addon.h"
#include "args.h"
#include "backend.h"
#include "local_invitation.h"
#include "message.h"
#include "remote_invitation.h"
#include "rtm_channel.h"

namespace rtm_binding {

namespace {

// Accepted in lib/native.ts: [result, id]. `id` is what the SDK wrote into the out-parameter
// (callers start it at 0).
Napi::Value Accepted(Napi::Env env, int result, long long id) {
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, Napi::Number::New(env, result));
  out.Set(1u, Napi::BigInt::New(env, static_cast<std::int64_t>(id)));
  return out;
}

// Strings kept alive with a `const char*` array over them, for the SDK's `const char* x[]`
// parameters. The array has a NULL after the last item, so data() is never NULL, even when empty.
class CStringArray {
 public:
  explicit CStringArray(std::vector<std::string> strings) : strings_(std::move(strings)) {
    pointers_.reserve(strings_.size() + 1);
    for (const std::string& s : strings_) pointers_.push_back(s.c_str());
    pointers_.push_back(nullptr);
  }
  CStringArray(const CStringArray&) = delete;
  CStringArray& operator=(const CStringArray&) = delete;

  const char** data() { return pointers_.data(); }
  int count() const { return static_cast<int>(strings_.size()); }  // fits: StringArrayArg checks

 private:
  std::vector<std::string> strings_;
  std::vector<const char*> pointers_;
};

// RtmAttribute[] over [key, value] pairs; likewise never a NULL pointer.
class AttributeArray {
 public:
  explicit AttributeArray(std::vector<std::pair<std::string, std::string>> pairs) : pairs_(std::move(pairs)) {
    attributes_.reserve(pairs_.size() + 1);
    for (const auto& pair : pairs_) attributes_.push_back({pair.first.c_str(), pair.second.c_str()});
    attributes_.push_back({nullptr, nullptr});
  }
  AttributeArray(const AttributeArray&) = delete;
  AttributeArray& operator=(const AttributeArray&) = delete;

  const agora::rtm::RtmAttribute* data() const { return attributes_.data(); }
  int count() const { return static_cast<int>(pairs_.size()); }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
  std::vector<agora::rtm::RtmAttribute> attributes_;
};

// IRtmChannelAttribute[] over [key, value] pairs, made with createChannelAttribute + setKey /
// setValue and released when this goes out of scope (the SDK copies what it sends, as for
// messages). data() is never NULL, even when empty.
class ChannelAttributeArray {
 public:
  ChannelAttributeArray() = default;
  ChannelAttributeArray(const ChannelAttributeArray&) = delete;
  ChannelAttributeArray& operator=(const ChannelAttributeArray&) = delete;
  ~ChannelAttributeArray() {
    for (agora::rtm::IRtmChannelAttribute* attribute : owned_) attribute->release();
  }

  // False when createChannelAttribute returned NULL (those made so far are released later).
  bool Build(agora::rtm::IRtmService* service, const std::vector<std::pair<std::string, std::string>>& pairs) {
    owned_.reserve(pairs.size());
    views_.reserve(pairs.size() + 1);
    for (const auto& pair : pairs) {
      agora::rtm::IRtmChannelAttribute* attribute = service->createChannelAttribute();
      if (attribute == nullptr) return false;
      owned_.push_back(attribute);
      attribute->setKey(pair.first.c_str());
      attribute->setValue(pair.second.c_str());
      views_.push_back(attribute);
    }
    views_.push_back(nullptr);
    return true;
  }

  const agora::rtm::IRtmChannelAttribute** data() { return views_.data(); }
  int count() const { return static_cast<int>(owned_.size()); }  // fits: StringPairArrayArg checks

 private:
  std::vector<agora::rtm::IRtmChannelAttribute*> owned_;
  std::vector<const agora::rtm::IRtmChannelAttribute*> views_;
};

agora::rtm::ChannelAttributeOptions NotifyOptions(bool notifyMembers) {
  agora::rtm::ChannelAttributeOptions options;
  options.enableNotificationToChannelMembers = notifyMembers;
  return options;
}

}  // namespace

// --- ClientCore -------------------------------------------------------------------------------

ClientCore::ClientCore(agora::rtm::IRtmService* service, std::unique_ptr<ServiceHandler> handler,
                       std::shared_ptr<EventQueue> queue)
    : service_(service),
      handler_(std::move(handler)),
      queue_(std::move(queue)),
      calls_(std::make_unique<CallCore>(queue_)),
      channels_(std::make_shared<ChannelRegistry>(service_, queue_)) {}

ClientCore::~ClientCore() { Close(); }

void ClientCore::Close() {
  if (service_ == nullptr) return;
  std::lock_guard<std::recursive_mutex> lifecycle(ServiceLifecycleMutex());
  // 1. The handlers drop whatever the SDK still delivers from here on.
  handler_->SetClosing();
  calls_->SetClosing();
  channels_->SetClosing();
  // 2. Detach and release: every channel (IChannel::release, then its handler is deleted: no
  //    callback reaches a channel's handler once its release() returned), every invitation, then
  //    the call manager, before the service (the call manager has no way to detach its handler;
  //    the closing flag covers it). release(true) waits for the SDK's callback thread (the
  //    emulator joins it), so no callback can still be running on either handler when they are
  //    deleted below.
  if (initialized_) service_->removeEventHandler(handler_.get());
  channels_->ReleaseAll();  // each IChannel::release, then its handler deleted; closes the registry
  calls_->ReleaseSdkObjects();
  const auto earliest = std::max(last_lifecycle_call_, channels_->LastLifecycleCall()) + settle_time_;
  if (std::chrono::steady_clock::now() < earliest) std::this_thread::sleep_until(earliest);
  // release(true) returns only once a callback running on the SDK's dispatcher thread has
  // returned (observed on v1.2.2: it waited for a handler that slept 500 ms; release(false) did
  // not), so the handlers can be deleted right after it.
  service_->release(true);
  service_ = nullptr;
  // 3. Nothing can call the handlers any more: free what arrived during steps 1–2.
  calls_->ReleaseLate();
  handler_.reset();
  calls_.reset();
  // 4. The events still queued are dropped; the environment's thread-safe function is released
  //    by the Addon when this was its last client.
  queue_->Close();
}

// --- RtmClient --------------------------------------------------------------------------------

Napi::Function RtmClient::Define(Napi::Env env) {
  // napi_default_method: writable and configurable, not enumerable, like a JS class's methods.
  return DefineClass(env, "RtmClient",
                     {
                         InstanceMethod<&RtmClient::Login>("login", napi_default_method),
                         InstanceMethod<&RtmClient::Logout>("logout", napi_default_method),
                         InstanceMethod<&RtmClient::RenewToken>("renewToken", napi_default_method),
                         InstanceMethod<&RtmClient::SetParameters>("setParameters", napi_default_method),
                         InstanceMethod<&RtmClient::SendMessageToPeer>("sendMessageToPeer", napi_default_method),
                         InstanceMethod<&RtmClient::QueryPeersOnlineStatus>("queryPeersOnlineStatus",
                                                                            napi_default_method),
                         InstanceMethod<&RtmClient::SubscribePeersOnlineStatus>("subscribePeersOnlineStatus",
                                                                                napi_default_method),
                         InstanceMethod<&RtmClient::UnsubscribePeersOnlineStatus>("unsubscribePeersOnlineStatus",
                                                                                  napi_default_method),
                         InstanceMethod<&RtmClient::QueryPeersBySubscriptionOption>(
                             "queryPeersBySubscriptionOption", napi_default_method),
                         InstanceMethod<&RtmClient::SetLocalUserAttributes>("setLocalUserAttributes",
                                                                            napi_default_method),
                         InstanceMethod<&RtmClient::AddOrUpdateLocalUserAttributes>(
                             "addOrUpdateLocalUserAttributes", napi_default_method),
                         InstanceMethod<&RtmClient::DeleteLocalUserAttributesByKeys>(
                             "deleteLocalUserAttributesByKeys", napi_default_method),
                         InstanceMethod<&RtmClient::ClearLocalUserAttributes>("clearLocalUserAttributes",
                                                                              napi_default_method),
                         InstanceMethod<&RtmClient::GetUserAttributes>("getUserAttributes", napi_default_method),
                         InstanceMethod<&RtmClient::GetUserAttributesByKeys>("getUserAttributesByKeys",
                                                                             napi_default_method),
                         InstanceMethod<&RtmClient::CreateChannel>("createChannel", napi_default_method),
                         InstanceMethod<&RtmClient::SetChannelAttributes>("setChannelAttributes",
                                                                          napi_default_method),
                         InstanceMethod<&RtmClient::AddOrUpdateChannelAttributes>("addOrUpdateChannelAttributes",
                                                                                  napi_default_method),
                         InstanceMethod<&RtmClient::DeleteChannelAttributesByKeys>(
                             "deleteChannelAttributesByKeys", napi_default_method),
                         InstanceMethod<&RtmClient::ClearChannelAttributes>("clearChannelAttributes",
                                                                            napi_default_method),
                         InstanceMethod<&RtmClient::GetChannelAttributes>("getChannelAttributes",
                                                                          napi_default_method),
                         InstanceMethod<&RtmClient::GetChannelAttributesByKeys>("getChannelAttributesByKeys",
                                                                                napi_default_method),
                         InstanceMethod<&RtmClient::GetChannelMemberCount>("getChannelMemberCount",
                                                                           napi_default_method),
                         InstanceMethod<&RtmClient::CreateLocalInvitation>("createLocalInvitation",
                                                                           napi_default_method),
                         InstanceMethod<&RtmClient::RemoteInvitationFor>("remoteInvitation", napi_default_method),
                         InstanceMethod<&RtmClient::SetLogFile>("setLogFile", napi_default_method),
                         InstanceMethod<&RtmClient::SetLogFilter>("setLogFilter", napi_default_method),
                         InstanceMethod<&RtmClient::SetLogFileSize>("setLogFileSize", napi_default_method),
                         InstanceMethod<&RtmClient::FlushRequests>("flushRequests", napi_default_method),
                         InstanceMethod<&RtmClient::Ref>("ref", napi_default_method),
                         InstanceMethod<&RtmClient::Unref>("unref", napi_default_method),
                         InstanceMethod<&RtmClient::PendingEvents>("pendingEvents", napi_default_method),
                         InstanceMethod<&RtmClient::Release>("release", napi_default_method),
                     });
}

RtmClient::RtmClient(const Napi::CallbackInfo& info) : Napi::ObjectWrap<RtmClient>(info) {
  Napi::Env env = info.Env();
  const std::string app_id = StringArg(info[1], "appId");
  Napi::Function dispatch = FunctionArg(info[2], "dispatch");
  const Backend backend = LoadBackend(env, info[0]);

  std::shared_ptr<EventQueue> queue = EventQueue::Create(env, dispatch);  // starts unref'd
  std::unique_lock<std::recursive_mutex> lifecycle(ServiceLifecycleMutex());
  agora::rtm::IRtmService* service = backend.createRtmService();
  if (service == nullptr) {
    lifecycle.unlock();
    queue->Close();
    Addon::Of(env).ReleaseIdleHub();
    Napi::Error error = ErrorWithCode(env, "createRtmService() returned NULL", "ERR_RTM_INIT");
    error.Set("initCode", Napi::Number::New(env, -1));
    throw error;
  }
  auto handler = std::make_unique<ServiceHandler>(queue);
  ServiceHandler* raw_handler = handler.get();
  auto core = std::make_unique<ClientCore>(service, std::move(handler), std::move(queue));
  if (backend.loaded) core->SetSettleTime(ClientCore::kSettleTime);

  const int code = service->initialize(app_id.c_str(), raw_handler);
  core->NoteLifecycleCall();
  if (code != 0) {
    lifecycle.unlock();  // Close() takes it
    core->Close();
    Addon::Of(env).ReleaseIdleHub();
    Napi::Error error =
        ErrorWithCode(env, "IRtmService::initialize() returned " + std::to_string(code), "ERR_RTM_INIT");
    error.Set("initCode", Napi::Number::New(env, code));
    throw error;
  }
  // The compiled-in emulator may call our handlers on its routing threads (they only copy and
  // queue): a received message then skips the hop through its callback pool (~15 µs).
  // It may also hold the wake-up of the pool thread that routes what the application sends until
  // the end of the JS tick (flushRequests, called by lib/ once per tick that sent): one wake-up per
  // tick instead of one each time its pump drained between two calls.
  if (!backend.loaded) {
    service->setParameters("{\"rtm.emulator.inline_callbacks\":true,\"rtm.emulator.hold_requests\":true}");
  }
  core->MarkInitialized();
  core->calls().Start(service);  // getRtmCallManager, once: remote invitations can arrive after login
  lifecycle.unlock();
  core_ = Addon::Of(env).Adopt(std::move(core));
}

ClientCore& RtmClient::Live(Napi::Env env) const {
  if (core_ == nullptr) throw ErrorWithCode(env, "The RtmClient has been released", "ERR_RTM_RELEASED");
  return *core_;
}

Napi::Value RtmClient::Login(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ClientCore& core = Live(env);
  const bool no_token = info[0].IsNull() || info[0].IsUndefined();
  const std::string token = no_token ? std::string() : StringArg(info[0], "token");
  const std::string user_id = StringArg(info[1], "userId");
  const int result = core.service()->login(no_token ? nullptr : token.c_str(), user_id.c_str());
  if (result == 0) core.NoteLifecycleCall();
  return Napi::Number::New(env, result);
}

Napi::Value RtmClient::Logout(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Napi::Number::New(env, Live(env).service()->logout());
}

Napi::Value RtmClient::RenewToken(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ClientCore& core = Live(env);
  const std::string token = StringArg(info[0], "token");
  return Napi::Number::New(env, core.service()->renewToken(token.c_str()));
}

Napi::Value RtmClient::SetParameters(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ClientCore& core = Live(env);
  const std::string json = StringArg(info[0], "json");
  return Napi::Number::New(env, core.service()->setParameters(json.c_str()));
}

Napi::Value RtmClient::SendMessageToPeer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Live(env);
  // The hot path of outbound traffic: a text message given as a plain string, the peer id and the
  // text read with one Node-API call each into buffers that are not allocated per call, and the
  // answer a plain number. The peer id is on this call's stack: the message object or the options
  // (the other forms) may run JS getters, which may call this method again.
  char peer_buffer[128];
  std::string peer_spill;
  const char* peer_id = StringArgInto(info[0], "peerId", peer_buffer, sizeof peer_buffer, &peer_spill);
  const bool text_given = info[1].IsString();
  OutgoingMessage outgoing;
  if (!text_given) outgoing = OutgoingMessageArg(info[1]);
  agora::rtm::SendMessageOptions options;
  const bool with_options = SendOptionsArg(info[2], &options);
  agora::rtm::IRtmService* service = Live(env).service();

  agora::rtm::IMessage* message = nullptr;
  if (text_given) {
    // Read last, after everything that may run JS: this thread's buffer, reused from call to call.
    thread_local std::vector<char> text_buffer(4096);
    std::string text_spill;
    const char* text = StringArgInto(info[1], "message", text_buffer.data(), text_buffer.size(), &text_spill);
    // A long text grows the buffer for the next one (messages are at most 32 KB).
    if (!text_spill.empty() && text_spill.size() < 64 * 1024) {
      text_buffer.resize(text_spill.size() + 5);
    }
    message = service->createMessage(text);
  } else {
    message = CreateMessage(service, outgoing);
  }
  if (message == nullptr) {
    throw ErrorWithCode(env, "IRtmService::createMessage() returned NULL", "ERR_RTM_NO_MESSAGE");
  }

  const long long message_id = message->getMessageId();
  const int result = with_options ? service->sendMessageToPeer(peer_id, message, options)
                                  : service->sendMessageToPeer(peer_id, message);
  // The SDK copies what it sends (Agora's own samples release right after the call).
  message->release();
  // Accepted with an id a double holds exactly (every id in practice): that id, as a number.
  constexpr long long kMaxSafeInteger = (1LL << 53) - 1;
  if (result == 0 && message_id > 0 && message_id <= kMaxSafeInteger) {
    return Napi::Number::New(env, static_cast<double>(message_id));
  }
  return Accepted(env, result, message_id);
}

Napi::Value RtmClient::CallWithPeerList(const Napi::CallbackInfo& info, PeerListMethod method) {
  Napi::Env env = info.Env();
  Live(env);
  CStringArray peers(StringArrayArg(info[0], "peerIds"));
  agora::rtm::IRtmService* service = Live(env).service();
  long long request_id = 0;
  const int result = (service->*method)(peers.data(), peers.count(), request_id);
  return Accepted(env, result, request_id);
}

Napi::Value RtmClient::QueryPeersOnlineStatus(const Napi::CallbackInfo& info) {
  return CallWithPeerList(info, &agora::rtm::IRtmService::queryPeersOnlineStatus);
}

Napi::Value RtmClient::SubscribePeersOnlineStatus(const Napi::CallbackInfo& info) {
  return CallWithPeerList(info, &agora::rtm::IRtmService::subscribePeersOnlineStatus);
}

Napi::Value RtmClient::UnsubscribePeersOnlineStatus(const Napi::CallbackInfo& info) {
  return CallWithPeerList(info, &agora::rtm::IRtmService::unsubscribePeersOnlineStatus);
}

Napi::Value RtmClient::QueryPeersBySubscriptionOption(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ClientCore& core = Live(env);
  // Any int32 goes through unchanged, as for setLogFilter: the SDK answers for other values.
  const int option = Int32Arg(info[0], "option");
  long long request_id = 0;
  const int result = core.service()->queryPeersBySubscriptionOption(
      static_cast<agora::rtm::PEER_SUBSCRIPTION_OPTION>(option), request_id);
  return Accepted(env, result, request_id);
}

Napi::Value RtmClient::CallWithAttributes(const Napi::CallbackInfo& info, AttributesMethod method) {
  Napi::Env env = info.Env();
  Live(env);
  AttributeArray attributes(StringPairArrayArg(info[0], "attributes"));
  agora::rtm::IRtmService* service = Live(env).service();
  long long request_id = 0;
  const int result = (service->*method)(attributes.data(), attributes.count(), request_id);
  return Accepted(env, result, request_id);
}

Napi::Value RtmClient::SetLocalUserAttributes(const Napi::CallbackInfo& info) {
  return CallWithAttributes(info, &agora::rtm::IRtmService::setLocalUserAttributes);
}

Napi::Value RtmClient::AddOrUpdateLocalUserAttributes(const Napi::CallbackInfo& info) {
  return CallWithAttributes(info, &agora::rtm::IRtmService::addOrUpdateLocalUserAttributes);
}

Napi::Value RtmClient::DeleteLocalUserAttributesByKeys(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Live(env);
  CStringArray keys(StringArrayArg(info[0], "keys"));
  agora::rtm::IRtmService* service = Live(env).service();
  long long request_id = 0;
  const int result = service->deleteLocalUserAttributesByKeys(keys.data(), keys.count(), request_id);
  return Accepted(env, result, request_id);
}

Napi::Value RtmClient::ClearLocalUserAttributes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ClientCore& core = Live(env);
  long long request_id = 0;
  const int result = core.service()->clearLocalUserAttributes(request_id);
  return Accepted(env, result, request_id);
}

Napi::Value RtmClient::GetUserAttributes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ClientCore& core = Live(env);
  const std::string user_id = StringArg(info[0], "userId");  // a primitive: runs no JS
  long long request_id = 0;
  const int result = core.service()->getUserAttributes(user_id.c_str(), request_id);
  return Accepted(env, result, request_id);
}

Napi::Value RtmClient::GetUserAttributesByKeys(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Live(env);
  const std::string user_id = StringArg(info[0], "userId");
  CStringArray keys(StringArrayArg(info[1], "keys"));
  agora::rtm::IRtmService* service = Live(env).service();
  long long request_id = 0;
  const int result = service->getUserAttributesByKeys(user_id.c_str(), keys.data(), keys.count(), request_id);
  return Accepted(env, result, request_id);
}

// --- Channels, channel attributes, member counts ------------------------------------------------

Napi::Value RtmClient::CreateChannel(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return RtmChannel::Create(env, Live(env).channels(), info[0]);
}

Napi::Value RtmClient::CallWithChannelAttributes(const Napi::CallbackInfo& info, ChannelAttributesMethod method) {
  Napi::Env env = info.Env();
  Live(env);
  const std::string channel_id = StringArg(info[0], "channelId");
  const auto pairs = StringPairArrayArg(info[1], "attributes");
  const agora::rtm::ChannelAttributeOptions options = NotifyOptions(BoolArg(info[2], "notifyMembers"));
  agora::rtm::IRtmService* service = Live(env).service();
  ChannelAttributeArray attributes;
  if (!attributes.Build(service, pairs)) {
    throw ErrorWithCode(env, "IRtmService::createChannelAttribute() returned NULL", "ERR_RTM_NO_ATTRIBUTE");
  }
  long long request_id = 0;
  const int result = (service->*method)(channel_id.c_str(), attributes.data(), attributes.count(), options, request_id);
  return Accepted(env, result, request_id);
}

Napi::Value RtmClient::SetChannelAttributes(const Napi::CallbackInfo& info) {
  return CallWithChannelAttributes(info, &agora::rtm::IRtmService::setChannelAttributes);
}

Napi::Value RtmClient::AddOrUpdateChannelAttributes(const Napi::CallbackInfo& info) {
  return CallWithChannelAttributes(info, &agora::rtm::IRtmService::addOrUpdateChannelAttributes);
}

Napi::Value RtmClient::DeleteChannelAttributesByKeys(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Live(env);
  const std::string channel_id = StringArg(info[0], "channelId");
  CStringArray keys(StringArrayArg(info[1], "keys"));
  const agora::rtm::ChannelAttributeOptions options = NotifyOptions(BoolArg(info[2], "notifyMembers"));
  agora::rtm::IRtmService* service = Live(env).service();
  long long request_id = 0;
  const int result =
      service->deleteChannelAttributesByKeys(channel_id.c_str(), keys.data(), keys.count(), options, request_id);
  return Accepted(env, result, request_id);
}

Napi::Value RtmClient::ClearChannelAttributes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ClientCore& core = Live(env);
  const std::string channel_id = StringArg(info[0], "channelId");  // primitives: run no JS
  const agora::rtm::ChannelAttributeOptions options = NotifyOptions(BoolArg(info[1], "notifyMembers"));
  long long request_id = 0;
  const int result = core.service()->clearChannelAttributes(channel_id.c_str(), options, request_id);
  return Accepted(env, result, request_id);
}

Napi::Value RtmClient::GetChannelAttributes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ClientCore& core = Live(env);
  const std::string channel_id = StringArg(info[0], "channelId");
  long long request_id = 0;
  const int result = core.service()->getChannelAttributes(channel_id.c_str(), request_id);
  return Accepted(env, result, request_id);
}

Napi::Value RtmClient::GetChannelAttributesByKeys(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Live(env);
  const std::string channel_id = StringArg(info[0], "channelId");
  CStringArray keys(StringArrayArg(info[1], "keys"));
  agora::rtm::IRtmService* service = Live(env).service();
  long long request_id = 0;
  const int result = service->getChannelAttributesByKeys(channel_id.c_str(), keys.data(), keys.count(), request_id);
  return Accepted(env, result, request_id);
}

Napi::Value RtmClient::GetChannelMemberCount(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Live(env);
  CStringArray channel_ids(StringArrayArg(info[0], "channelIds"));
  agora::rtm::IRtmService* service = Live(env).service();
  long long request_id = 0;
  const int result = service->getChannelMemberCount(channel_ids.data(), channel_ids.count(), request_id);
  return Accepted(env, result, request_id);
}

Napi::Value RtmClient::CreateLocalInvitation(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return LocalInvitation::Create(env, Live(env).calls().registry(), info[0]);
}

Napi::Value RtmClient::RemoteInvitationFor(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return RemoteInvitation::ForId(env, Live(env).calls(), info[0]);
}

Napi::Value RtmClient::SetLogFile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ClientCore& core = Live(env);
  const std::string path = StringArg(info[0], "path");
  return Napi::Number::New(env, core.service()->setLogFile(path.c_str()));
}

Napi::Value RtmClient::SetLogFilter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ClientCore& core = Live(env);
  // Any int32 goes through unchanged, as the C ABI would carry it: the SDK answers for values
  // that are not LOG_FILTER_TYPE members (lib/ validates the documented ones first).
  const int filter = Int32Arg(info[0], "filter");
  return Napi::Number::New(env, core.service()->setLogFilter(static_cast<agora::rtm::LOG_FILTER_TYPE>(filter)));
}

Napi::Value RtmClient::SetLogFileSize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ClientCore& core = Live(env);
  const int kilobytes = Int32Arg(info[0], "kilobytes");
  return Napi::Number::New(env, core.service()->setLogFileSize(kilobytes));
}

void RtmClient::FlushRequests(const Napi::CallbackInfo& info) {
  // A microtask queued before release() may still come: nothing to do then. (For the real SDK,
  // which holds nothing, the parameter is one it does not know: lib/ never calls this for it.)
  if (core_ == nullptr) return;
  core_->service()->setParameters("{\"rtm.emulator.flush_requests\":true}");
}

void RtmClient::Ref(const Napi::CallbackInfo& info) { Live(info.Env()).queue().Ref(); }

void RtmClient::Unref(const Napi::CallbackInfo& info) { Live(info.Env()).queue().Unref(); }

Napi::Value RtmClient::PendingEvents(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(Live(info.Env()).queue().Pending()));
}

void RtmClient::Release(const Napi::CallbackInfo& info) {
  if (core_ == nullptr) return;  // idempotent
  ClientCore* core = core_;
  core_ = nullptr;  // first: a re-entrant call sees a released client
  Addon::Of(info.Env()).CloseClient(core);
}

}  // namespace rtm_binding
