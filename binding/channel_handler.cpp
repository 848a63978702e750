#include "channel_handler.h"

#include <cstddef>
#include <utility>
#include <vector>

#include "message.h"

namespace rtm_binding {

namespace {

Value Code(int value) { return Value::Number(value); }

// A count from the SDK used to walk one of its arrays: 0 for a NULL array or a negative count.
std::size_t Count(const void* array, int count) {
  return array != nullptr && count > 0 ? static_cast<std::size_t>(count) : 0;
}

Value UserIdOf(const agora::rtm::IChannelMember* member) {
  return Value::String(member != nullptr ? member->getUserId() : nullptr);
}

}  // namespace

Value ChannelAttributesValue(const agora::rtm::IRtmChannelAttribute* const* attributes, int count) {
  const std::size_t n = Count(attributes, count);
  std::vector<Value> items;
  items.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const agora::rtm::IRtmChannelAttribute* attribute = attributes[i];
    if (attribute == nullptr) continue;
    std::vector<Value> fields;
    fields.reserve(4);
    fields.push_back(Value::String(attribute->getKey()));
    fields.push_back(Value::String(attribute->getValue()));
    fields.push_back(Value::String(attribute->getLastUpdateUserId()));
    fields.push_back(Value::Number(static_cast<double>(attribute->getLastUpdateTs())));
    items.push_back(Value::Array(std::move(fields)));
  }
  return Value::Array(std::move(items));
}

template <typename Build>
void ChannelHandler::Emit(ChannelEventKind kind, Build&& build) noexcept {
  if (Closing()) return;
  try {
    Event event;
    event.kind = kind;
    event.args.reserve(4);
    event.args.push_back(Value::Number(ref_));
    build(event.args);
    queue_->Push(std::move(event));
  } catch (...) {
    // Out of memory: lose the event rather than throw into the SDK's thread.
  }
}

void ChannelHandler::onJoinSuccess() {
  Emit(kJoinSuccess, [](std::vector<Value>&) {});
}

void ChannelHandler::onJoinFailure(agora::rtm::JOIN_CHANNEL_ERR errorCode) {
  Emit(kJoinFailure, [&](std::vector<Value>& args) { args.push_back(Code(errorCode)); });
}

void ChannelHandler::onLeave(agora::rtm::LEAVE_CHANNEL_ERR errorCode) {
  Emit(kLeave, [&](std::vector<Value>& args) { args.push_back(Code(errorCode)); });
}

void ChannelHandler::onMessageReceived(const char* userId, const agora::rtm::IMessage* message) {
  if (!Closing()) PushReceivedMessage(*queue_, kChannelMessage, &ref_, userId, message);
}

void ChannelHandler::onSendMessageResult(long long messageId, agora::rtm::CHANNEL_MESSAGE_ERR_CODE state) {
  Emit(kChannelSendMessageResult, [&](std::vector<Value>& args) {
    args.push_back(Value::BigInt(messageId));
    args.push_back(Code(state));
  });
}

void ChannelHandler::onMemberJoined(agora::rtm::IChannelMember* member) {
  Emit(kMemberJoined, [&](std::vector<Value>& args) { args.push_back(UserIdOf(member)); });
}

void ChannelHandler::onMemberLeft(agora::rtm::IChannelMember* member) {
  Emit(kMemberLeft, [&](std::vector<Value>& args) { args.push_back(UserIdOf(member)); });
}

void ChannelHandler::onGetMembers(agora::rtm::IChannelMember** members, int userCount,
                                  agora::rtm::GET_MEMBERS_ERR errorCode) {
  Emit(kGetMembers, [&](std::vector<Value>& args) {
    const std::size_t n = Count(members, userCount);
    std::vector<Value> ids;
    ids.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (members[i] != nullptr) ids.push_back(Value::String(members[i]->getUserId()));
    }
    args.push_back(Value::Array(std::move(ids)));
    args.push_back(Code(errorCode));
  });
}

void ChannelHandler::onAttributesUpdated(const agora::rtm::IRtmChannelAttribute* attributes[],
                                         int numberOfAttributes) {
  Emit(kAttributesUpdated,
       [&](std::vector<Value>& args) { args.push_back(ChannelAttributesValue(attributes, numberOfAttributes)); });
}

void ChannelHandler::onMemberCountUpdated(int memberCount) {
  Emit(kMemberCountUpdated, [&](std::vector<Value>& args) { args.push_back(Value::Number(memberCount)); });
}

}  // namespace rtm_binding
