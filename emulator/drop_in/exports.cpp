// The drop-in library's only exports: the SDK's two C entry points, served by the emulator.
#include "rtm_emulator/emulator.h"

namespace agora {
namespace rtm {
extern "C" IRtmService* createRtmService(void) { return rtm_emulator::createRtmService(); }
extern "C" const char* getRtmSdkVersion(void) { return rtm_emulator::getRtmSdkVersion(); }
}  // namespace rtm
}  // namespace agora
