// RtmClient (lib/native.ts): one IRtmService with its event handler and event queue (delivered
// through the environment's one thread-safe function, binding/event_hub.h).
//
// Two objects: ClientCore owns the SDK objects and is owned by the environment's Addon (its set
// of live clients); RtmClient is the JS wrapper and only points at its core. A wrapper collected
// by GC before release() does nothing in its destructor: the core stays in the live set until
// environment teardown closes it. So no SDK or JS work ever runs in a GC finalizer.
#pragma once

#include <napi.h>

#include <chrono>
#include <memory>

#include "agora_rtm.h"
#include "channel_registry.h"
#include "event_queue.h"
#include "invitation_registry.h"
#include "service_handler.h"

namespace rtm_binding {

class ClientCore {
 public:
  ClientCore(agora::rtm::IRtmService* service, std::unique_ptr<ServiceHandler> handler,
             std::shared_ptr<EventQueue> queue);
  ClientCore(const ClientCore&) = delete;
  ClientCore& operator=(const ClientCore&) = delete;
  ~ClientCore();  // Close() if still open

  // initialize() returned 0. Only then may Close() call removeEventHandler: the real SDK
  // crashes in it on a service whose initialize failed (rtm-abi.md §8.2); release() is fine.
  void MarkInitialized() { initialized_ = true; }
  // The real SDK finishes initialize(), login(), createChannel() and IChannel::release() on its
  // own thread, and that thread crashed (later, in strlen) when the service was released before
  // it was done: within ~1 ms of login (rtm-abi.md §8.2), a few ms of a channel release, or soon
  // after initialize under load (test/agora; none with 20–30 ms between). So for the real SDK,
  // Close() keeps IRtmService::release at least kSettleTime after the last of them. The
  // emulator needs no such wait (settle time 0).
  static constexpr std::chrono::milliseconds kSettleTime{30};
  void SetSettleTime(std::chrono::milliseconds settle) { settle_time_ = settle; }
  // initialize() or login() returned now (createChannel / IChannel::release: ChannelRegistry).
  void NoteLifecycleCall() { last_lifecycle_call_ = std::chrono::steady_clock::now(); }

  agora::rtm::IRtmService* service() const { return service_; }
  EventQueue& queue() const { return *queue_; }
  // The call manager, its handler and the invitations (binding/invitation_registry.h).
  CallCore& calls() const { return *calls_; }
  // The channels (binding/channel_registry.h); shared with the RtmChannel wrappers.
  const std::shared_ptr<ChannelRegistry>& channels() const { return channels_; }

  // Teardown, the same for release() and environment teardown: closing flag (the handlers drop
  // further events) → removeEventHandler → release every channel (then delete its handler) →
  // release every invitation, then the call manager → IRtmService::release(true) → delete the
  // handlers → close the event queue, dropping the events still queued (TypeScript ignores events
  // after release anyway); the Addon then releases the environment's thread-safe function if this
  // was its last client. Idempotent; never calls JS. JS thread.
  void Close();

 private:
  agora::rtm::IRtmService* service_;
  bool initialized_ = false;
  std::chrono::milliseconds settle_time_{0};
  std::chrono::steady_clock::time_point last_lifecycle_call_{};
  std::unique_ptr<ServiceHandler> handler_;
  std::shared_ptr<EventQueue> queue_;
  std::unique_ptr<CallCore> calls_;  // made with the core; Start()ed after initialize
  std::shared_ptr<ChannelRegistry> channels_;  // emptied and closed by Close()
};

class RtmClient : public Napi::ObjectWrap<RtmClient> {
 public:
  static Napi::Function Define(Napi::Env env);

  // new RtmClient(spec, appId, dispatch)
  explicit RtmClient(const Napi::CallbackInfo& info);

 private:
  Napi::Value Login(const Napi::CallbackInfo& info);
  Napi::Value Logout(const Napi::CallbackInfo& info);
  Napi::Value RenewToken(const Napi::CallbackInfo& info);
  Napi::Value SetParameters(const Napi::CallbackInfo& info);
  // Request methods: each returns Accepted = [the SDK's int result, the id it wrote (bigint)].
  Napi::Value SendMessageToPeer(const Napi::CallbackInfo& info);
  Napi::Value QueryPeersOnlineStatus(const Napi::CallbackInfo& info);
  Napi::Value SubscribePeersOnlineStatus(const Napi::CallbackInfo& info);
  Napi::Value UnsubscribePeersOnlineStatus(const Napi::CallbackInfo& info);
  Napi::Value QueryPeersBySubscriptionOption(const Napi::CallbackInfo& info);
  Napi::Value SetLocalUserAttributes(const Napi::CallbackInfo& info);
  Napi::Value AddOrUpdateLocalUserAttributes(const Napi::CallbackInfo& info);
  Napi::Value DeleteLocalUserAttributesByKeys(const Napi::CallbackInfo& info);
  Napi::Value ClearLocalUserAttributes(const Napi::CallbackInfo& info);
  Napi::Value GetUserAttributes(const Napi::CallbackInfo& info);
  Napi::Value GetUserAttributesByKeys(const Napi::CallbackInfo& info);
  // Channels (binding/rtm_channel.*), channel attributes and member counts.
  Napi::Value CreateChannel(const Napi::CallbackInfo& info);
  Napi::Value SetChannelAttributes(const Napi::CallbackInfo& info);
  Napi::Value AddOrUpdateChannelAttributes(const Napi::CallbackInfo& info);
  Napi::Value DeleteChannelAttributesByKeys(const Napi::CallbackInfo& info);
  Napi::Value ClearChannelAttributes(const Napi::CallbackInfo& info);
  Napi::Value GetChannelAttributes(const Napi::CallbackInfo& info);
  Napi::Value GetChannelAttributesByKeys(const Napi::CallbackInfo& info);
  Napi::Value GetChannelMemberCount(const Napi::CallbackInfo& info);
  // Call invitations (binding/local_invitation.*, binding/remote_invitation.*).
  Napi::Value CreateLocalInvitation(const Napi::CallbackInfo& info);
  Napi::Value RemoteInvitationFor(const Napi::CallbackInfo& info);
  Napi::Value SetLogFile(const Napi::CallbackInfo& info);
  Napi::Value SetLogFilter(const Napi::CallbackInfo& info);
  Napi::Value SetLogFileSize(const Napi::CallbackInfo& info);
  // The compiled-in emulator: schedules what it held of this tick's sends (hold_requests).
  void FlushRequests(const Napi::CallbackInfo& info);
  void Ref(const Napi::CallbackInfo& info);
  void Unref(const Napi::CallbackInfo& info);
  // Events queued for the dispatcher, not yet handed to JS.
  Napi::Value PendingEvents(const Napi::CallbackInfo& info);
  void Release(const Napi::CallbackInfo& info);

  // The live core, or throws Error{code:'ERR_RTM_RELEASED'}. Methods whose arguments are arrays
  // or objects call it twice: first so that a released client reports ERR_RTM_RELEASED whatever
  // the arguments, then again after reading them, since reading them may run JS (getters,
  // proxies) that releases the client.
  ClientCore& Live(Napi::Env env) const;

  // The three peer-status methods: same shape, different SDK method.
  using PeerListMethod = int (agora::rtm::IRtmService::*)(const char* [], int, long long&);
  Napi::Value CallWithPeerList(const Napi::CallbackInfo& info, PeerListMethod method);
  // set / addOrUpdate local user attributes.
  using AttributesMethod = int (agora::rtm::IRtmService::*)(const agora::rtm::RtmAttribute*, int, long long&);
  Napi::Value CallWithAttributes(const Napi::CallbackInfo& info, AttributesMethod method);
  // set / addOrUpdate channel attributes.
  using ChannelAttributesMethod = int (agora::rtm::IRtmService::*)(const char*, const agora::rtm::IRtmChannelAttribute*[],
                                                                   int, const agora::rtm::ChannelAttributeOptions&,
                                                                   long long&);
  Napi::Value CallWithChannelAttributes(const Napi::CallbackInfo& info, ChannelAttributesMethod method);

  ClientCore* core_ = nullptr;  // owned by the Addon; null after release()
};

}  // namespace rtm_binding
