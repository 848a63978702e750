#include "message_impl.h"

#include <utility>

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

void MessageImpl::setText(const char* str) { text_ = str == nullptr ? std::string() : std::string(str); }

const char* MessageImpl::getRawMessageData() const { return raw_.empty() ? nullptr : raw_.data(); }

}  // namespace rtm_emulator
