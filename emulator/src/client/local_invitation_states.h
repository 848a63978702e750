// inFlight: whether a local invitation still waits for the callee's answer. One test for the
// caller side (send, cancel, a late answer) and the service hooks (a session that ends fails the
// invitations in flight), so both always agree on what "in flight" means.
#pragma once

#include "agora_rtm.h"

namespace rtm_emulator {

inline bool inFlight(agora::rtm::LOCAL_INVITATION_STATE s) {
  using namespace agora::rtm;
  return s == LOCAL_INVITATION_STATE_SENT_TO_REMOTE || s == LOCAL_INVITATION_STATE_RECEIVED_BY_REMOTE;
}

}  // namespace rtm_emulator
