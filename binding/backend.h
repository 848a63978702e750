// Where createRtmService / getRtmSdkVersion come from: the emulator compiled into the addon, or
// the real SDK (libagora_rtm_sdk.so) loaded at run time with dlopen.
#pragma once

#include <napi.h>

#include <mutex>
#include <string>
#include <vector>

#include "agora_rtm.h"

namespace rtm_binding {

struct Backend {
  agora::rtm::CreateRtmServiceFn createRtmService = nullptr;
  agora::rtm::GetRtmSdkVersionFn getRtmSdkVersion = nullptr;
  std::string description;  // "emulator", or the path the SDK was loaded from
  // A library loaded with dlopen: treated as the real SDK (ClientCore::kSettleTime applies).
  bool loaded = false;
};

// One failed candidate (SdkAttempt in lib/native.ts).
struct SdkAttempt {
  std::string path;
  std::string reason;
};

// The emulator's entry points.
Backend EmulatorBackend();

// Held, process-wide (every worker and Electron context), around a service's set-up —
// createRtmService, initialize, getRtmCallManager — and its teardown. The real v1.2.2 SDK crashed
// when services were set up on several threads at once (6 of 8 runs of 4 threads × 20 rounds;
// none with set-up serialized). Never taken on an SDK callback thread. Recursive: a failed
// set-up closes its client (which takes it too) on the same thread.
std::recursive_mutex& ServiceLifecycleMutex();

// Tries each path in order: dlopen, both symbols, a 1.x version. The first success wins and is
// cached process-wide by path (the library is never unloaded: SDK threads may outlive a client).
// Returns false with one attempt per path when none loads. Any thread.
bool LoadAgoraBackend(const std::vector<std::string>& candidates, Backend* out,
                      std::vector<SdkAttempt>* attempts);

// Reads a BackendSpec ({backend:'emulator'} | {backend:'agora', candidates:string[]}) and loads
// it. Throws a TypeError for a malformed spec, and an Error with code 'ERR_RTM_SDK_NOT_FOUND'
// and `attempts` when no candidate loads. JS thread.
Backend LoadBackend(Napi::Env env, const Napi::Value& spec);

}  // namespace rtm_binding
