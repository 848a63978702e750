#include "transport/control_commands.h"

#include "cloud/invitation_core.h"
#include "cloud/service_core.h"
#include "common/json.h"

namespace rtm_emulator {

std::string usersJson(const ServiceCore& core) {
  std::string out = "[";
  for (const std::string& user : core.users()) {
    if (out.size() > 1) out += ",";
    out += jsonQuote(user);
  }
  return out + "]";
}

std::string statsJson(const ServiceCore& core) {
  const ServiceCore::Stats st = core.stats();
  return "{\"sessions\":" + std::to_string(st.sessions) + ",\"channels\":" + std::to_string(st.channels) +
         ",\"messages\":" + std::to_string(st.messages) + ",\"bytes\":" + std::to_string(st.bytes) + "}";
}

bool runControlCommand(const std::shared_ptr<ServiceCore>& core, const std::string& command, const std::string& argsJson,
                       std::string* result) {
  JsonValue args;
  if (!parseJson(argsJson.empty() ? "{}" : argsJson, &args, nullptr) || !args.isObject()) {
    *result = jsonQuote("arguments: expected a JSON object");
    return false;
  }
  if (command == "users") {
    *result = usersJson(*core);
    return true;
  }
  if (command == "stats") {
    *result = statsJson(*core);
    return true;
  }
  const JsonValue* uid = args.find("uid");
  if (uid == nullptr || !uid->isString()) {
    *result = jsonQuote(command + ": expected {\"uid\": string}");
    return false;
  }
  const std::string& userId = uid->asString();
  bool done = false;
  if (command == "kick") {
    done = core->kick(userId, agora::rtm::CONNECTION_CHANGE_REASON_REMOTE_LOGIN);
  } else if (command == "expireToken") {
    done = core->expireToken(userId);
  } else if (command == "dropConnection") {
    done = core->dropConnection(userId);
  } else if (command == "restoreConnection") {
    done = core->restoreConnection(userId);
  } else if (command == "setLatency") {
    const JsonValue* ms = args.find("ms");
    const JsonValue* jitter = args.find("jitterMs");
    const bool ok = ms != nullptr && ms->isNumber() && ms->asNumber() >= 0 && ms->asNumber() <= 600000 &&
                    (jitter == nullptr || (jitter->isNumber() && jitter->asNumber() >= 0 && jitter->asNumber() <= 600000));
    if (!ok) {
      *result = jsonQuote("setLatency: expected {\"uid\", \"ms\": 0..600000, \"jitterMs\"?: 0..600000}");
      return false;
    }
    core->setLatency(userId, static_cast<int>(ms->asNumber()), jitter == nullptr ? 0 : static_cast<int>(jitter->asNumber()));
    done = true;
  } else if (command == "setInvitationAutoAck") {
    const JsonValue* enabled = args.find("enabled");
    if (enabled == nullptr || !enabled->isBool()) {
      *result = jsonQuote("setInvitationAutoAck: expected {\"uid\", \"enabled\": boolean}");
      return false;
    }
    core->invitations().setAutoAck(userId, enabled->asBool());
    done = true;
  } else {
    *result = jsonQuote("unknown command: " + command);
    return false;
  }
  *result = done ? "true" : "false";
  return true;
}

}  // namespace rtm_emulator
