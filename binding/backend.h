// Where createRtmService / getRtmSdkVersion come from: the emulator compiled into the addon, or
// the real SDK (libagora_rtm_sdk.so) loaded at run time with dlopen.
#pragma once

#include <napi.h>

#include <string>
#include <vector>

#include "agora_rtm.h"

namespace rtm_binding {

struct Backend {
  agora::rtm::CreateRtmServiceFn createRtmService = nullptr;
  agora::rtm::GetRtmSdkVersionFn getRtmSdkVersion = nullptr;
  std::string description;  // "emulator", or the path the SDK was loaded from
};

// One failed candidate (SdkAttempt in lib/native.ts).
struct SdkAttempt {
  std::string path;
  std::string reason;
};

// The emulator's entry points.
Backend EmulatorBackend();

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
