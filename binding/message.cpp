#include "message.h"

#include <utility>

#include "args.h"

namespace rtm_binding {

OutgoingMessage OutgoingMessageArg(const Napi::Value& value) {
  Napi::Env env = value.Env();
  if (!value.IsObject() || value.IsFunction() || value.IsArray()) {
    throw Napi::TypeError::New(env, "The \"message\" argument must be { text } or { rawMessage, description }");
  }
  Napi::Object object = value.As<Napi::Object>();
  OutgoingMessage out;
  // Each property is read once, and raw bytes are copied the moment they are read: a later getter
  // could otherwise detach or resize the buffer under us.
  Napi::Value raw = object.Get("rawMessage");
  if (!raw.IsUndefined()) {
    out.raw = true;
    out.bytes = BytesArg(raw, "message.rawMessage");
    out.text = StringArg(object.Get("description"), "message.description");
    if (!object.Get("text").IsUndefined()) {
      throw Napi::TypeError::New(env, "The \"message\" argument must not have both text and rawMessage");
    }
  } else {
    out.text = StringArg(object.Get("text"), "message.text");
  }
  return out;
}

// NativeSendOptions | null: [enableOfflineMessaging, enableHistoricalMessaging]. False when null.
bool SendOptionsArg(const Napi::Value& value, agora::rtm::SendMessageOptions* options) {
  if (value.IsNull() || value.IsUndefined()) return false;
  if (!value.IsArray() || value.As<Napi::Array>().Length() != 2) {
    throw Napi::TypeError::New(value.Env(), "The \"options\" argument must be null or [boolean, boolean]");
  }
  Napi::Array array = value.As<Napi::Array>();
  options->enableOfflineMessaging = BoolArg(array.Get(0u), "options[0]");
  options->enableHistoricalMessaging = BoolArg(array.Get(1u), "options[1]");
  return true;
}

agora::rtm::IMessage* CreateMessage(agora::rtm::IRtmService* service, const OutgoingMessage& message) {
  if (!message.raw) return service->createMessage(message.text.c_str());
  static const std::uint8_t kNoBytes = 0;  // never hand the SDK a NULL buffer
  const std::uint8_t* bytes = message.bytes.empty() ? &kNoBytes : message.bytes.data();
  const int length = static_cast<int>(message.bytes.size());  // fits: BytesArg checks
  return message.text.empty() ? service->createMessage(bytes, length)
                              : service->createMessage(bytes, length, message.text.c_str());
}

namespace {

void WriteReceivedMessage(RecordWriter& out, const agora::rtm::IMessage* message) {
  out.Array(6);
  if (message == nullptr) {
    out.Number(agora::rtm::MESSAGE_TYPE_UNDEFINED);
    out.BigInt(0);
    out.String("");
    out.Null();
    out.Number(0);
    out.Bool(false);
    return;
  }
  const agora::rtm::MESSAGE_TYPE type = message->getMessageType();
  out.Number(type);
  out.BigInt(message->getMessageId());
  out.String(message->getText());
  if (type == agora::rtm::MESSAGE_TYPE_RAW) {
    const char* data = message->getRawMessageData();
    const int length = message->getRawMessageLength();
    const std::size_t size = data != nullptr && length > 0 ? static_cast<std::size_t>(length) : 0;
    out.Bytes(reinterpret_cast<const std::uint8_t*>(data), size);
  } else {
    out.Null();
  }
  out.Number(static_cast<double>(message->getServerReceivedTs()));
  out.Bool(message->isOfflineMessage());
}

}  // namespace

void PushReceivedMessage(EventQueue& queue, int kind, const int* channelRef, const char* userId,
                         const agora::rtm::IMessage* message) noexcept {
  try {
    thread_local std::vector<std::uint8_t> record;
    RecordWriter out(record, kind, channelRef != nullptr ? 3 : 2);
    if (channelRef != nullptr) out.Number(*channelRef);
    out.String(userId);
    WriteReceivedMessage(out, message);
    out.Finish();
    queue.PushRecord(record);
  } catch (...) {
    // Out of memory: lose the event rather than throw into the SDK's thread.
  }
}

}  // namespace rtm_binding
