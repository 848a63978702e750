// The control commands a TCP client with the Control role may run on the service it is connected
// to (Emulator.connect(url) in another process): the same fault injection and inspection the
// in-process API offers (rtm_emulator/emulator.h), addressed by user id.
#pragma once

#include <memory>
#include <string>

namespace rtm_emulator {

class ServiceCore;

// Runs `command` with its JSON object of arguments; *result is a JSON value (the answer, or an
// error message string when false is returned).
//   users                           -> ["alice", ...]
//   stats                           -> {"sessions", "channels", "messages", "bytes"} (totals)
//   kick | expireToken | dropConnection | restoreConnection   {"uid"} -> true / false
//   setInvitationAutoAck            {"uid", "enabled"} -> true
//   setLatency                      {"uid" (or "*"), "ms", "jitterMs"?} -> true
bool runControlCommand(const std::shared_ptr<ServiceCore>& core, const std::string& command, const std::string& argsJson,
                       std::string* result);

// The logged-in user ids of a service as a JSON array.
std::string usersJson(const ServiceCore& core);
// ServiceCore::stats() as a JSON object.
std::string statsJson(const ServiceCore& core);

}  // namespace rtm_emulator
