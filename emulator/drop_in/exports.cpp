// The drop-in library's only exports: the SDK's two C entry points, served by the emulator.
//
// A C++ program on the drop-in library cannot call rtm_emulator's functions, so it picks the
// default service's limits profile with the environment: AGORA_RTM_EMULATOR_PROFILE="unlimited"
// (or "v1.2", "linux-1.4"), or a JSON object of overrides ('{"profile":"unlimited"}', see
// emulator/src/common/limits.h). Read once, when the first service is created; an invalid value is
// reported on stderr and leaves the default profile.
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include "rtm_emulator/emulator.h"

namespace {

void applyProfileFromEnvironment() {
  const char* value = std::getenv("AGORA_RTM_EMULATOR_PROFILE");
  if (value == nullptr || value[0] == '\0') return;
  const std::string text = value;
  const std::string json = text[0] == '{' ? text : "{\"profile\":\"" + text + "\"}";
  std::string error;
  if (text.find('"') != std::string::npos && text[0] != '{') {
    error = "not a profile name";
  } else if (rtm_emulator::configureDefaultService(json, &error)) {
    return;
  }
  std::fprintf(stderr, "agora_rtm_emulator: AGORA_RTM_EMULATOR_PROFILE ignored (%s)\n", error.c_str());
}

}  // namespace

namespace agora {
namespace rtm {
// No C++ exception may cross this C entry point: out of memory is a NULL service.
extern "C" IRtmService* createRtmService(void) {
  try {
    static std::once_flag profileOnce;
    std::call_once(profileOnce, applyProfileFromEnvironment);
    return rtm_emulator::createRtmService();
  } catch (...) {
    return nullptr;
  }
}
extern "C" const char* getRtmSdkVersion(void) { return rtm_emulator::getRtmSdkVersion(); }
}  // namespace rtm
}  // namespace agora
