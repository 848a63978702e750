// emulatorFlood (lib/native.ts): the benchmarks' load generator, rtm_emulator::runFlood on a
// worker thread, settled as a Promise. Internal: only bench/ and lib/bench-load.ts use it.
#pragma once

#include <napi.h>

namespace rtm_binding {

// exports.emulatorFlood = function (serviceUrl, senderId, target, channel, count, textBytes,
// window, ratePerSecond, stampTime, cppReceiver?) → Promise<{ sent, delivered, failed, elapsedMs,
// received, receiveMs }>.
void ExportLoadGenerator(Napi::Env env, Napi::Object exports);

}  // namespace rtm_binding
