// One-shot requests to a TCP service from a short-lived control connection: what a client asks
// before it logs in (the service's limits profile), and the fault-injection commands another
// process sends (Emulator.connect(url)). Both block the caller for at most timeoutMs.
#pragma once

#include <string>

#include "common/limits.h"

namespace rtm_emulator {

// The limits profile of the service at host:port (its Welcome frame). False when it cannot be
// reached in time.
bool fetchServiceLimits(const std::string& host, int port, int timeoutMs, Limits* limits);

// Runs a control command (control_commands.h) on the service at url ("rtm://HOST:PORT").
bool runRemoteControl(const std::string& url, const std::string& command, const std::string& argsJson, int timeoutMs,
                      std::string* result);

}  // namespace rtm_emulator
