// The IRtmServiceEventHandler of one client: each callback copies its arguments into an Event
// and pushes it onto the client's EventQueue. Runs on SDK threads, so it never blocks, never
// calls into the SDK and never touches V8.
#pragma once

#include <atomic>
#include <memory>

#include "agora_rtm.h"
#include "event_queue.h"

namespace rtm_binding {

// Event kinds: the numbers of EventKind in lib/native.ts.
enum EventKind : int {
  kLoginSuccess = 1,
  kLoginFailure = 2,
  kRenewTokenResult = 3,
  kTokenExpired = 4,
  kLogout = 5,
  kConnectionStateChanged = 6,
  kSendMessageResult = 7,
  kMessageFromPeer = 8,
  kQueryPeersOnlineStatusResult = 9,
  kSubscriptionRequestResult = 10,
  kQueryPeersBySubscriptionOptionResult = 11,
  kPeersOnlineStatusChanged = 12,
  kSetLocalUserAttributesResult = 13,
  kAddOrUpdateLocalUserAttributesResult = 14,
  kDeleteLocalUserAttributesResult = 15,
  kClearLocalUserAttributesResult = 16,
  kGetUserAttributesResult = 17,
  // 18–27: IChannelEventHandler (binding/channel_handler.h).
  kSetChannelAttributesResult = 28,
  kAddOrUpdateChannelAttributesResult = 29,
  kDeleteChannelAttributesResult = 30,
  kClearChannelAttributesResult = 31,
  kGetChannelAttributesResult = 32,
  kGetChannelMemberCountResult = 33,
};

class ServiceHandler final : public agora::rtm::IRtmServiceEventHandler {
 public:
  explicit ServiceHandler(std::shared_ptr<EventQueue> queue) : queue_(std::move(queue)) {}
  ServiceHandler(const ServiceHandler&) = delete;
  ServiceHandler& operator=(const ServiceHandler&) = delete;

  // First step of teardown: every callback after this drops its event.
  void SetClosing() { closing_.store(true, std::memory_order_release); }

  void onLoginSuccess() override;
  void onLoginFailure(agora::rtm::LOGIN_ERR_CODE errorCode) override;
  void onRenewTokenResult(const char* token, agora::rtm::RENEW_TOKEN_ERR_CODE errorCode) override;
  void onTokenExpired() override;
  void onLogout(agora::rtm::LOGOUT_ERR_CODE errorCode) override;
  void onConnectionStateChanged(agora::rtm::CONNECTION_STATE state,
                                agora::rtm::CONNECTION_CHANGE_REASON reason) override;

  // Peer messages. The IMessage is valid only during the callback: everything is copied.
  void onSendMessageResult(long long messageId, agora::rtm::PEER_MESSAGE_ERR_CODE errorCode) override;
  void onMessageReceivedFromPeer(const char* peerId, const agora::rtm::IMessage* message) override;

  // Presence. Arrays and strings are borrowed for the duration of the callback.
  void onQueryPeersOnlineStatusResult(long long requestId, const agora::rtm::PeerOnlineStatus* peersStatus,
                                      int peerCount, agora::rtm::QUERY_PEERS_ONLINE_STATUS_ERR errorCode) override;
  void onSubscriptionRequestResult(long long requestId, agora::rtm::PEER_SUBSCRIPTION_STATUS_ERR errorCode) override;
  void onQueryPeersBySubscriptionOptionResult(long long requestId, const char* peerIds[], int peerCount,
                                              agora::rtm::QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR errorCode) override;
  void onPeersOnlineStatusChanged(const agora::rtm::PeerOnlineStatus peersStatus[], int peerCount) override;

  // Local user attributes; attributes of any user.
  void onSetLocalUserAttributesResult(long long requestId, agora::rtm::ATTRIBUTE_OPERATION_ERR errorCode) override;
  void onAddOrUpdateLocalUserAttributesResult(long long requestId,
                                              agora::rtm::ATTRIBUTE_OPERATION_ERR errorCode) override;
  void onDeleteLocalUserAttributesResult(long long requestId, agora::rtm::ATTRIBUTE_OPERATION_ERR errorCode) override;
  void onClearLocalUserAttributesResult(long long requestId, agora::rtm::ATTRIBUTE_OPERATION_ERR errorCode) override;
  void onGetUserAttributesResult(long long requestId, const char* userId,
                                 const agora::rtm::RtmAttribute* attributes, int numberOfAttributes,
                                 agora::rtm::ATTRIBUTE_OPERATION_ERR errorCode) override;

  // Channel attributes and member counts. Attribute and count arrays are borrowed for the
  // duration of the callback: copied (ChannelAttributesValue in binding/channel_handler.h).
  void onSetChannelAttributesResult(long long requestId, agora::rtm::ATTRIBUTE_OPERATION_ERR errorCode) override;
  void onAddOrUpdateChannelAttributesResult(long long requestId,
                                            agora::rtm::ATTRIBUTE_OPERATION_ERR errorCode) override;
  void onDeleteChannelAttributesResult(long long requestId, agora::rtm::ATTRIBUTE_OPERATION_ERR errorCode) override;
  void onClearChannelAttributesResult(long long requestId, agora::rtm::ATTRIBUTE_OPERATION_ERR errorCode) override;
  void onGetChannelAttributesResult(long long requestId, const agora::rtm::IRtmChannelAttribute* attributes[],
                                    int numberOfAttributes, agora::rtm::ATTRIBUTE_OPERATION_ERR errorCode) override;
  void onGetChannelMemberCountResult(long long requestId, const agora::rtm::ChannelMemberCount* channelMemberCounts,
                                     int channelCount,
                                     agora::rtm::GET_CHANNEL_MEMBER_COUNT_ERR_CODE errorCode) override;

 private:
  // Copies the arguments (moved in, never copied twice) into an Event and pushes it. Nothing
  // escapes: an allocation failure loses the event rather than throw into the SDK's thread.
  template <typename... Args>
  void Emit(EventKind kind, Args&&... args) noexcept;
  // For callbacks whose copies are costly: `build(args)` runs only when the event is wanted, and
  // under the same no-throw guard.
  template <typename Build>
  void EmitBuilt(EventKind kind, Build&& build) noexcept;
  // [requestId, value(), code]: `value()` runs under EmitBuilt's guard. Without it: [requestId, code].
  template <typename MakeValue>
  void EmitResult(EventKind kind, long long requestId, MakeValue&& value, int code) noexcept;
  void EmitResult(EventKind kind, long long requestId, int code) noexcept;
  bool Closing() const { return closing_.load(std::memory_order_acquire); }

  std::atomic<bool> closing_{false};
  const std::shared_ptr<EventQueue> queue_;
};

}  // namespace rtm_binding
