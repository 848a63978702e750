// IMessage in both directions, shared by peer and channel messages:
// - outgoing: NativeOutgoingMessage / NativeSendOptions (lib/native.ts) read from JS, then the
//   matching createMessage overload;
// - received: an SDK IMessage copied into a NativeMessage record inside the callback (the SDK frees
//   it when the callback returns).
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "agora_rtm.h"
#include "event_queue.h"

namespace rtm_binding {

// NativeOutgoingMessage, copied out of JS.
struct OutgoingMessage {
  bool raw = false;
  std::string text;  // the text, or the description of a raw message
  std::vector<std::uint8_t> bytes;
};

// { text } or { rawMessage: Uint8Array, description }: exactly one of text and rawMessage (an
// undefined property counts as absent); strings as StringArg. TypeError otherwise. May run JS
// (getters): callers re-check their client afterwards.
OutgoingMessage OutgoingMessageArg(const Napi::Value& value);

// NativeSendOptions | null: [enableOfflineMessaging, enableHistoricalMessaging]. Returns false
// for null/undefined (use the overload without options), fills *options otherwise.
bool SendOptionsArg(const Napi::Value& value, agora::rtm::SendMessageOptions* options);

// createMessage(text) for text; for raw, createMessage(raw, len) when the description is empty and
// createMessage(raw, len, description) otherwise. The SDK's answer (the caller releases it; NULL
// if the SDK returned NULL).
agora::rtm::IMessage* CreateMessage(agora::rtm::IRtmService* service, const OutgoingMessage& message);

// A received message's event queued: [channelRef (when not null), userId, NativeMessage], where
// NativeMessage is [MESSAGE_TYPE, messageId, text (the description for RAW), raw bytes (RAW only,
// else null), serverReceivedTs, isOfflineMessage]. Written straight into the event's record (no
// Event / Value tree: the message callbacks run on the SDK's thread, once per message). Reads the
// message only during the call; a NULL message becomes an UNDEFINED-type message with empty
// fields. Any thread; out of memory loses the event rather than throw into the SDK's thread.
void PushReceivedMessage(EventQueue& queue, int kind, const int* channelRef, const char* userId,
                         const agora::rtm::IMessage* message) noexcept;

}  // namespace rtm_binding
