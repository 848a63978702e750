#include "client/message_impl.h"

#include <cstring>
#include <utility>

#include "common/object_pool.h"
#include "common/rules.h"

namespace rtm_emulator {

MessageImpl* MessageImpl::makeText(long long id, std::string text) {
  auto* m = new MessageImpl(id, agora::rtm::MESSAGE_TYPE_TEXT);
  m->text_ = std::move(text);
  return m;
}

MessageImpl* MessageImpl::makeRaw(long long id, const uint8_t* data, int length, std::string description) {
  auto* m = new MessageImpl(id, agora::rtm::MESSAGE_TYPE_RAW);
  if (data != nullptr && length > 0) {
    const char* bytes = reinterpret_cast<const char*>(data);
    m->raw_.assign(bytes, bytes + length);
  }
  m->text_ = std::move(description);
  return m;
}

MessageImpl* MessageImpl::makeReceived(const PeerMessageData& data, bool offline) {
  auto* m = new MessageImpl(data.messageId, data.type);
  m->text_ = data.text;
  m->raw_.assign(data.raw.begin(), data.raw.end());
  m->serverReceivedTs_ = data.serverReceivedTs;
  m->offline_ = offline;
  return m;
}

void ReceivedMessage::setText(const char* str) {
  text_ = str == nullptr ? std::string() : std::string(str);
  textSet_ = true;
}

void MessageImpl::setText(const char* str) {
  // (assign: a message reused for many sends keeps its buffer, no malloc per setText)
  if (str == nullptr) {
    text_.clear();
  } else {
    text_.assign(str);
  }
}

const char* MessageImpl::getRawMessageData() const {
  static const char kEmpty[1] = {'\0'};
  return raw_.empty() ? kEmpty : raw_.data();
}

namespace {
// What a released PeerMessageData is reset to before it is reused; false: not kept (a big one).
bool recycleMessageData(PeerMessageData& d) {
  constexpr std::size_t kKeepBytes = 1024;
  if (d.text.capacity() > kKeepBytes || d.raw.capacity() > kKeepBytes) return false;
  d.type = agora::rtm::MESSAGE_TYPE_TEXT;
  d.text.clear();  // (keeps its buffer)
  d.raw.clear();
  d.messageId = 0;
  d.serverReceivedTs = 0;
  return true;
}
}  // namespace

std::shared_ptr<PeerMessageData> makeOutgoingMessageData() {
  return ObjectPool<PeerMessageData>::make(&recycleMessageData);
}

bool copyOutgoingMessage(const agora::rtm::IMessage* message, PeerMessageData* out) {
  using namespace agora::rtm;
  if (message == nullptr) return false;
  const char* text = message->getText();
  const std::size_t textBytes = text == nullptr ? 0 : std::strlen(text);
  out->type = message->getMessageType();
  out->messageId = message->getMessageId();
  out->text.assign(text == nullptr ? "" : text, textBytes);
  if (out->type == MESSAGE_TYPE_TEXT) return textBytes <= kMaxMessageBytes;
  if (out->type != MESSAGE_TYPE_RAW) return false;
  const int length = message->getRawMessageLength();
  const char* data = message->getRawMessageData();
  if (length < 0 || (length > 0 && data == nullptr)) return false;
  if (static_cast<std::size_t>(length) + textBytes > kMaxMessageBytes) return false;
  out->raw.assign(data == nullptr ? "" : data, static_cast<std::size_t>(length));
  return true;
}

}  // namespace rtm_emulator
