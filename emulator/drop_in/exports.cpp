// The drop-in library's only exports: the SDK's two C entry points, served by the emulator.
#include "rtm_emulator/emulator.h"

namespace agora {
namespace rtm {
// No C++ exception may cross this C entry point: out of memory is a NULL service.
extern "C" IRtmService* createRtmService(void) {
  try {
    return rtm_emulator::createRtmService();
  } catch (...) {
    return nullptr;
  }
}
extern "C" const char* getRtmSdkVersion(void) { return rtm_emulator::getRtmSdkVersion(); }
}  // namespace rtm
}  // namespace agora
