// encodeEventSlices (lib/native.ts, internal): the encoder and the slicing of the event path, run
// on events given from JS, for the decoder's tests (test/event-decoder.test.ts): JS values →
// Event → EventLog::Encode → EventLog → the ArrayBuffers CallJs would hand the dispatcher.
#pragma once

#include <napi.h>

namespace rtm_binding {

void ExportEventEncoder(Napi::Env env, Napi::Object exports);

}  // namespace rtm_binding
