// ServiceConnection to a ServiceCore in this process: direct calls, answers delivered at once on
// the calling thread. A connection to a service that does not exist (or was destroyed) simply
// never answers, which is what the client's timeouts are for.
#pragma once

#include <memory>
#include <string>

#include "transport/session_link.h"

namespace rtm_emulator {

class ServiceCore;

// For a null core, a connection that never answers.
std::shared_ptr<ServiceConnection> makeInProcessConnection(std::shared_ptr<ServiceCore> core);

}  // namespace rtm_emulator
