// MessageImpl: IMessage. A text message, or raw bytes with an optional text description
// (setText/getText carry the description on a raw message). Sizes are checked when sending.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "agora_rtm.h"
#include "client/live_objects.h"
#include "transport/session_link.h"

namespace rtm_emulator {

class MessageImpl final : public agora::rtm::IMessage {
 public:
  static MessageImpl* makeText(long long id, std::string text);
  // A negative length or null data gives an empty payload.
  static MessageImpl* makeRaw(long long id, const uint8_t* data, int length, std::string description);
  // A received message: same type, content and id as sent, with the service's timestamp.
  static MessageImpl* makeReceived(const PeerMessageData& data, bool offline);

  long long getMessageId() const override { return id_; }
  agora::rtm::MESSAGE_TYPE getMessageType() const override { return type_; }
  void setText(const char* str) override;
  const char* getText() const override { return text_.c_str(); }
  // Never null (observed): an empty payload (a text message, an empty raw message) is "".
  const char* getRawMessageData() const override;
  int getRawMessageLength() const override { return static_cast<int>(raw_.size()); }
  long long getServerReceivedTs() const override { return serverReceivedTs_; }
  bool isOfflineMessage() const override { return offline_; }
  void release() override { delete this; }

 private:
  MessageImpl(long long id, agora::rtm::MESSAGE_TYPE type) : id_(id), type_(type) {}
  ~MessageImpl() override = default;

  LiveObject live_;
  long long id_;
  agora::rtm::MESSAGE_TYPE type_;
  std::string text_;
  std::vector<char> raw_;
  long long serverReceivedTs_ = 0;
  bool offline_ = false;
};

// A received message as the handler sees it, for the duration of one callback: a view of the
// message as it travelled (no copy, no allocation), made on the callback's stack. The handler gets
// it as const; setText (reachable only through a cast) changes this view alone, release() does
// nothing (the SDK frees received messages itself).
class ReceivedMessage final : public agora::rtm::IMessage {
 public:
  ReceivedMessage(const PeerMessageData& data, bool offline) : data_(data), offline_(offline) {}
  long long getMessageId() const override { return data_.messageId; }
  agora::rtm::MESSAGE_TYPE getMessageType() const override { return data_.type; }
  void setText(const char* str) override;
  const char* getText() const override { return textSet_ ? text_.c_str() : data_.text.c_str(); }
  const char* getRawMessageData() const override { return data_.raw.c_str(); }  // "" when empty
  int getRawMessageLength() const override { return static_cast<int>(data_.raw.size()); }
  long long getServerReceivedTs() const override { return data_.serverReceivedTs; }
  bool isOfflineMessage() const override { return offline_; }
  void release() override {}

 private:
  const PeerMessageData& data_;
  const bool offline_;
  bool textSet_ = false;
  std::string text_;
};

// Copies a caller's message for sending (peer and channel messages); false when it is null, of an
// unknown type or over kMaxMessageBytes (text, or raw bytes + description): INVALID_MESSAGE.
bool copyOutgoingMessage(const agora::rtm::IMessage* message, PeerMessageData* out);
// An empty PeerMessageData for copyOutgoingMessage, from a pool (common/object_pool.h): a used
// one keeps its text's buffer (up to 1 KB), so a flood of small messages copies each with no
// malloc, and releasing it on the receiver's thread frees nothing.
std::shared_ptr<PeerMessageData> makeOutgoingMessageData();

}  // namespace rtm_emulator
