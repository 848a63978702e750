// MessageImpl: IMessage. A text message, or raw bytes with an optional text description
// (setText/getText carry the description on a raw message). Sizes are checked when sending.
#pragma once

#include <cstdint>
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

// Copies a caller's message for sending (peer and channel messages); false when it is null, of an
// unknown type or over kMaxMessageBytes (text, or raw bytes + description): INVALID_MESSAGE.
bool copyOutgoingMessage(const agora::rtm::IMessage* message, PeerMessageData* out);

}  // namespace rtm_emulator
