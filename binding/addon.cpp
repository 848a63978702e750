// Placeholder until the binding lands.
#include <napi.h>
class Addon : public Napi::Addon<Addon> {
 public:
  Addon(Napi::Env env, Napi::Object exports) {}
};
using AgoraRtmAddon = Addon;
NODE_API_NAMED_ADDON(agora_rtm_node, AgoraRtmAddon)
