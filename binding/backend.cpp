#include "backend.h"

#include <dlfcn.h>

#include <cstring>
#include <map>
#include <mutex>

#include "args.h"
#include "rtm_emulator/emulator.h"

namespace rtm_binding {

namespace {

// Process-wide, shared by every environment (workers included). Heap objects that are never
// destroyed, so nothing runs at static-destruction time while SDK threads may still be alive.
std::mutex& CacheMutex() {
  static auto* mutex = new std::mutex();
  return *mutex;
}
std::map<std::string, Backend>& Cache() {
  static auto* cache = new std::map<std::string, Backend>();
  return *cache;
}

std::string DlErrorText(const char* fallback) {
  const char* text = dlerror();
  return text != nullptr ? text : fallback;
}

// Loads one candidate. The handle is deliberately never dlclose()d, on failure too: a library
// whose code already ran may have started threads or registered handlers.
bool TryLoad(const std::string& path, Backend* out, std::string* reason) {
  if (path.empty()) {
    *reason = "empty path";
    return false;
  }
  dlerror();  // clear any stale error
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    *reason = DlErrorText("dlopen failed");
    return false;
  }
  Backend backend;
  backend.description = path;
  backend.loaded = true;
  const char* const names[] = {"createRtmService", "getRtmSdkVersion"};
  void* symbols[2] = {nullptr, nullptr};
  for (int i = 0; i < 2; ++i) {
    dlerror();
    symbols[i] = dlsym(handle, names[i]);
    if (symbols[i] == nullptr) {
      *reason = std::string("symbol ") + names[i] + " not found (" + DlErrorText("NULL") + ")";
      return false;
    }
  }
  backend.createRtmService = reinterpret_cast<agora::rtm::CreateRtmServiceFn>(symbols[0]);
  backend.getRtmSdkVersion = reinterpret_cast<agora::rtm::GetRtmSdkVersionFn>(symbols[1]);
  const char* version = backend.getRtmSdkVersion();
  if (version == nullptr || std::strncmp(version, "1.", 2) != 0) {
    *reason = std::string("getRtmSdkVersion() returned ") +
              (version == nullptr ? std::string("NULL") : "\"" + std::string(version) + "\"") +
              "; an RTM 1.x SDK is needed";
    return false;
  }
  *out = backend;
  return true;
}

}  // namespace

std::recursive_mutex& ServiceLifecycleMutex() {
  static auto* mutex = new std::recursive_mutex();  // never destroyed: SDK threads may outlive statics
  return *mutex;
}

Backend EmulatorBackend() {
  Backend backend;
  backend.createRtmService = &rtm_emulator::createRtmService;
  backend.getRtmSdkVersion = &rtm_emulator::getRtmSdkVersion;
  backend.description = "emulator";
  return backend;
}

bool LoadAgoraBackend(const std::vector<std::string>& candidates, Backend* out,
                      std::vector<SdkAttempt>* attempts) {
  std::lock_guard<std::mutex> lock(CacheMutex());
  for (const std::string& path : candidates) {
    auto cached = Cache().find(path);
    if (cached != Cache().end()) {
      *out = cached->second;
      return true;
    }
    std::string reason;
    if (TryLoad(path, out, &reason)) {
      Cache().emplace(path, *out);
      return true;
    }
    attempts->push_back({path, reason});
  }
  return false;
}

Backend LoadBackend(Napi::Env env, const Napi::Value& spec) {
  if (!spec.IsObject() || spec.IsFunction()) {
    throw Napi::TypeError::New(env, "The \"spec\" argument must be a backend spec object");
  }
  Napi::Object object = spec.As<Napi::Object>();
  Napi::Value kind = object.Get("backend");
  const std::string name = kind.IsString() ? kind.As<Napi::String>().Utf8Value() : std::string();
  if (name == "emulator") return EmulatorBackend();
  if (name != "agora") {
    throw Napi::TypeError::New(env, "spec.backend must be 'agora' or 'emulator'");
  }

  Napi::Value list = object.Get("candidates");
  if (!list.IsArray()) throw Napi::TypeError::New(env, "spec.candidates must be an array of strings");
  Napi::Array array = list.As<Napi::Array>();
  std::vector<std::string> candidates;
  for (std::uint32_t i = 0; i < array.Length(); ++i) {
    candidates.push_back(StringArg(array.Get(i), "spec.candidates[]"));
  }

  Backend backend;
  std::vector<SdkAttempt> attempts;
  if (LoadAgoraBackend(candidates, &backend, &attempts)) return backend;

  std::string message = "Agora RTM SDK not found:";
  if (attempts.empty()) message += " no candidate paths were given";
  Napi::Array list_out = Napi::Array::New(env, attempts.size());
  for (std::size_t i = 0; i < attempts.size(); ++i) {
    message += "\n  " + attempts[i].path + ": " + attempts[i].reason;
    Napi::Object attempt = Napi::Object::New(env);
    attempt.Set("path", attempts[i].path);
    attempt.Set("reason", attempts[i].reason);
    list_out.Set(static_cast<std::uint32_t>(i), attempt);
  }
  Napi::Error error = ErrorWithCode(env, message, "ERR_RTM_SDK_NOT_FOUND");
  error.Set("attempts", list_out);
  throw error;
}

}  // namespace rtm_binding
