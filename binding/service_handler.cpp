#include "service_handler.h"

#include <cstddef>
#include <utility>

#include "channel_handler.h"
#include "message.h"

namespace rtm_binding {

namespace {

Value Code(int value) { return Value::Number(value); }

// A count from the SDK used to walk one of its arrays: 0 for a NULL array or a negative count.
std::size_t Count(const void* array, int count) {
  return array != nullptr && count > 0 ? static_cast<std::size_t>(count) : 0;
}

// [first, second][] from an SDK array: `pair(item)` gives the two values of one item.
template <typename T, typename Pair>
Value PairArray(const T* items, int count, Pair pair) {
  const std::size_t n = Count(items, count);
  std::vector<Value> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::pair<Value, Value> values = pair(items[i]);
    std::vector<Value> two;
    two.reserve(2);
    two.push_back(std::move(values.first));
    two.push_back(std::move(values.second));
    out.push_back(Value::Array(std::move(two)));
  }
  return Value::Array(std::move(out));
}

// [peerId, PEER_ONLINE_STATE][] (NativePeerStatus in lib/native.ts).
Value PeerStatuses(const agora::rtm::PeerOnlineStatus* statuses, int count) {
  return PairArray(statuses, count, [](const agora::rtm::PeerOnlineStatus& s) {
    return std::make_pair(Value::String(s.peerId), Code(s.onlineState));
  });
}

}  // namespace

template <typename... Args>
void ServiceHandler::Emit(EventKind kind, Args&&... args) noexcept {
  EmitBuilt(kind, [&](std::vector<Value>& out) {
    out.reserve(sizeof...(Args));
    (out.push_back(std::forward<Args>(args)), ...);
  });
}

template <typename Build>
void ServiceHandler::EmitBuilt(EventKind kind, Build&& build) noexcept {
  if (Closing()) return;
  try {
    Event event;
    event.kind = kind;
    build(event.args);
    queue_->Push(std::move(event));
  } catch (...) {
    // Out of memory: lose the event rather than throw into the SDK's thread.
  }
}

template <typename MakeValue>
void ServiceHandler::EmitResult(EventKind kind, long long requestId, MakeValue&& value, int code) noexcept {
  EmitBuilt(kind, [&](std::vector<Value>& args) {
    args.reserve(3);
    args.push_back(Value::BigInt(requestId));
    args.push_back(value());
    args.push_back(Code(code));
  });
}

void ServiceHandler::EmitResult(EventKind kind, long long requestId, int code) noexcept {
  Emit(kind, Value::BigInt(requestId), Code(code));
}

// --- Session --------------------------------------------------------------------------------

void ServiceHandler::onLoginSuccess() { Emit(kLoginSuccess); }

void ServiceHandler::onLoginFailure(agora::rtm::LOGIN_ERR_CODE errorCode) { Emit(kLoginFailure, Code(errorCode)); }

void ServiceHandler::onRenewTokenResult(const char* token, agora::rtm::RENEW_TOKEN_ERR_CODE errorCode) {
  EmitBuilt(kRenewTokenResult, [&](std::vector<Value>& args) {
    args.reserve(2);
    args.push_back(Value::String(token));
    args.push_back(Code(errorCode));
  });
}

void ServiceHandler::onTokenExpired() { Emit(kTokenExpired); }

void ServiceHandler::onLogout(agora::rtm::LOGOUT_ERR_CODE errorCode) { Emit(kLogout, Code(errorCode)); }

void ServiceHandler::onConnectionStateChanged(agora::rtm::CONNECTION_STATE state,
                                              agora::rtm::CONNECTION_CHANGE_REASON reason) {
  Emit(kConnectionStateChanged, Code(state), Code(reason));
}

// --- Peer messages --------------------------------------------------------------------------

void ServiceHandler::onSendMessageResult(long long messageId, agora::rtm::PEER_MESSAGE_ERR_CODE errorCode) {
  Emit(kSendMessageResult, Value::BigInt(messageId), Code(errorCode));
}

void ServiceHandler::onMessageReceivedFromPeer(const char* peerId, const agora::rtm::IMessage* message) {
  // The busiest event: no Event, no Value tree, no allocation once this thread's buffer has grown.
  if (!Closing()) PushReceivedMessage(*queue_, kMessageFromPeer, nullptr, peerId, message);
}

// --- Presence -------------------------------------------------------------------------------

void ServiceHandler::onQueryPeersOnlineStatusResult(long long requestId,
                                                    const agora::rtm::PeerOnlineStatus* peersStatus, int peerCount,
                                                    agora::rtm::QUERY_PEERS_ONLINE_STATUS_ERR errorCode) {
  EmitResult(kQueryPeersOnlineStatusResult, requestId, [&] { return PeerStatuses(peersStatus, peerCount); },
             errorCode);
}

void ServiceHandler::onSubscriptionRequestResult(long long requestId,
                                                 agora::rtm::PEER_SUBSCRIPTION_STATUS_ERR errorCode) {
  EmitResult(kSubscriptionRequestResult, requestId, errorCode);
}

void ServiceHandler::onQueryPeersBySubscriptionOptionResult(
    long long requestId, const char* peerIds[], int peerCount,
    agora::rtm::QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR errorCode) {
  EmitResult(
      kQueryPeersBySubscriptionOptionResult, requestId,
      [&] {
        const std::size_t n = Count(peerIds, peerCount);
        std::vector<Value> ids;
        ids.reserve(n);
        for (std::size_t i = 0; i < n; ++i) ids.push_back(Value::String(peerIds[i]));
        return Value::Array(std::move(ids));
      },
      errorCode);
}

void ServiceHandler::onPeersOnlineStatusChanged(const agora::rtm::PeerOnlineStatus peersStatus[], int peerCount) {
  EmitBuilt(kPeersOnlineStatusChanged,
            [&](std::vector<Value>& args) { args.push_back(PeerStatuses(peersStatus, peerCount)); });
}

// --- User attributes ------------------------------------------------------------------------

void ServiceHandler::onSetLocalUserAttributesResult(long long requestId,
                                                    agora::rtm::ATTRIBUTE_OPERATION_ERR errorCode) {
  EmitResult(kSetLocalUserAttributesResult, requestId, errorCode);
}

void ServiceHandler::onAddOrUpdateLocalUserAttributesResult(long long requestId,
                                                            agora::rtm::ATTRIBUTE_OPERATION_ERR errorCode) {
  EmitResult(kAddOrUpdateLocalUserAttributesResult, requestId, errorCode);
}

void ServiceHandler::onDeleteLocalUserAttributesResult(long long requestId,
                                                       agora::rtm::ATTRIBUTE_OPERATION_ERR errorCode) {
  EmitResult(kDeleteLocalUserAttributesResult, requestId, errorCode);
}

void ServiceHandler::onClearLocalUserAttributesResult(long long requestId,
                                                      agora::rtm::ATTRIBUTE_OPERATION_ERR errorCode) {
  EmitResult(kClearLocalUserAttributesResult, requestId, errorCode);
}

void ServiceHandler::onGetUserAttributesResult(long long requestId, const char* userId,
                                               const agora::rtm::RtmAttribute* attributes, int numberOfAttributes,
                                               agora::rtm::ATTRIBUTE_OPERATION_ERR errorCode) {
  EmitBuilt(kGetUserAttributesResult, [&](std::vector<Value>& args) {
    Value pairs = PairArray(attributes, numberOfAttributes, [](const agora::rtm::RtmAttribute& a) {
      return std::make_pair(Value::String(a.key), Value::String(a.value));
    });
    args.reserve(4);
    args.push_back(Value::BigInt(requestId));
    args.push_back(Value::String(userId));
    args.push_back(std::move(pairs));
    args.push_back(Code(errorCode));
  });
}

// --- Channel attributes and member counts --------------------------------------------------

void ServiceHandler::onSetChannelAttributesResult(long long requestId,
                                                  agora::rtm::ATTRIBUTE_OPERATION_ERR errorCode) {
  EmitResult(kSetChannelAttributesResult, requestId, errorCode);
}

void ServiceHandler::onAddOrUpdateChannelAttributesResult(long long requestId,
                                                          agora::rtm::ATTRIBUTE_OPERATION_ERR errorCode) {
  EmitResult(kAddOrUpdateChannelAttributesResult, requestId, errorCode);
}

void ServiceHandler::onDeleteChannelAttributesResult(long long requestId,
                                                     agora::rtm::ATTRIBUTE_OPERATION_ERR errorCode) {
  EmitResult(kDeleteChannelAttributesResult, requestId, errorCode);
}

void ServiceHandler::onClearChannelAttributesResult(long long requestId,
                                                    agora::rtm::ATTRIBUTE_OPERATION_ERR errorCode) {
  EmitResult(kClearChannelAttributesResult, requestId, errorCode);
}

void ServiceHandler::onGetChannelAttributesResult(long long requestId,
                                                  const agora::rtm::IRtmChannelAttribute* attributes[],
                                                  int numberOfAttributes,
                                                  agora::rtm::ATTRIBUTE_OPERATION_ERR errorCode) {
  EmitResult(kGetChannelAttributesResult, requestId,
             [&] { return ChannelAttributesValue(attributes, numberOfAttributes); }, errorCode);
}

void ServiceHandler::onGetChannelMemberCountResult(long long requestId,
                                                   const agora::rtm::ChannelMemberCount* channelMemberCounts,
                                                   int channelCount,
                                                   agora::rtm::GET_CHANNEL_MEMBER_COUNT_ERR_CODE errorCode) {
  EmitResult(
      kGetChannelMemberCountResult, requestId,
      [&] {
        return PairArray(channelMemberCounts, channelCount, [](const agora::rtm::ChannelMemberCount& c) {
          return std::make_pair(Value::String(c.channelId), Value::Number(c.count));
        });
      },
      errorCode);
}

}  // namespace rtm_binding
