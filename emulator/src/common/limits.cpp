#include "common/limits.h"

#include <cmath>
#include <cstddef>

#include "common/json.h"

namespace rtm_emulator {

Limits defaultLimits() { return Limits{}; }

namespace {
void disableRateLimits(Limits* limits);
}  // namespace

bool namedLimits(const std::string& name, Limits* limits) {
  Limits l;
  if (name == "v1.2") {
    // the defaults
  } else if (name == "linux-1.4") {
    l.sendMessage = {1500, 3000};
    l.queryPeersOnlineStatus = {100, 5000};
    l.userAttributeWrites = {100, 5000};
    l.userAttributeReads = {400, 5000};
    l.channelAttributeWrites = {100, 5000};
    l.channelAttributeReads = {400, 5000};
  } else if (name == "unlimited") {
    disableRateLimits(&l);
  } else {
    return false;
  }
  *limits = l;
  return true;
}

namespace {

struct RateEntry {
  const char* key;
  RateLimit Limits::*field;
};

struct TimeoutEntry {
  const char* key;
  int Limits::*field;
};

const RateEntry kRateEntries[] = {
    {"login", &Limits::login},
    {"renewToken", &Limits::renewToken},
    {"join", &Limits::join},
    {"joinSameChannel", &Limits::joinSameChannel},
    {"sendMessage", &Limits::sendMessage},
    {"getMembers", &Limits::getMembers},
    {"queryPeersOnlineStatus", &Limits::queryPeersOnlineStatus},
    {"subscribePeersOnlineStatus", &Limits::subscribePeersOnlineStatus},
    {"unsubscribePeersOnlineStatus", &Limits::unsubscribePeersOnlineStatus},
    {"queryPeersBySubscriptionOption", &Limits::queryPeersBySubscriptionOption},
    {"userAttributeWrites", &Limits::userAttributeWrites},
    {"userAttributeReads", &Limits::userAttributeReads},
    {"channelAttributeWrites", &Limits::channelAttributeWrites},
    {"channelAttributeReads", &Limits::channelAttributeReads},
    {"getChannelMemberCount", &Limits::getChannelMemberCount},
};

const TimeoutEntry kTimeoutEntries[] = {
    {"loginTimeoutMs", &Limits::loginTimeoutMs},
    {"interruptedAfterMs", &Limits::interruptedAfterMs},
    {"peerMessageTimeoutMs", &Limits::peerMessageTimeoutMs},
    {"channelMessageTimeoutMs", &Limits::channelMessageTimeoutMs},
    {"joinTimeoutMs", &Limits::joinTimeoutMs},
    {"getMembersTimeoutMs", &Limits::getMembersTimeoutMs},
    {"queryPeersOnlineStatusTimeoutMs", &Limits::queryPeersOnlineStatusTimeoutMs},
    {"subscribeTimeoutMs", &Limits::subscribeTimeoutMs},
    {"queryPeersBySubscriptionOptionTimeoutMs", &Limits::queryPeersBySubscriptionOptionTimeoutMs},
    {"attributeTimeoutMs", &Limits::attributeTimeoutMs},
    {"getChannelMemberCountTimeoutMs", &Limits::getChannelMemberCountTimeoutMs},
    {"invitationAckTimeoutMs", &Limits::invitationAckTimeoutMs},
    {"invitationExpireMs", &Limits::invitationExpireMs},
    {"invitationAcceptAckTimeoutMs", &Limits::invitationAcceptAckTimeoutMs},
    {"unreachableAfterMs", &Limits::unreachableAfterMs},
    {"offlineAfterMs", &Limits::offlineAfterMs},
    {"memberCountIntervalMs", &Limits::memberCountIntervalMs},
    {"memberCountLargeIntervalMs", &Limits::memberCountLargeIntervalMs},
};

// Other positive integers (not durations).
const TimeoutEntry kCountEntries[] = {
    {"memberEventsMaxMembers", &Limits::memberEventsMaxMembers},
};

void disableRateLimits(Limits* limits) {
  for (const auto& e : kRateEntries) (limits->*(e.field)).count = 0;
}

constexpr double kMaxInt = 2147483647.0;

bool toNonNegativeInt(const JsonValue& v, int* out) {
  if (!v.isNumber()) return false;
  const double d = v.asNumber();
  if (d < 0 || d > kMaxInt || std::floor(d) != d) return false;
  *out = static_cast<int>(d);
  return true;
}

bool applyRate(const std::string& key, const JsonValue& v, RateLimit* rate, std::string* error) {
  if (v.isNull() || (v.isBool() && !v.asBool())) {
    rate->count = 0;
    return true;
  }
  if (v.isNumber()) {
    if (!toNonNegativeInt(v, &rate->count)) {
      *error = "\"" + key + "\": expected a non-negative integer";
      return false;
    }
    return true;
  }
  if (v.isObject()) {
    for (const auto& m : v.members()) {
      int n = 0;
      if (!toNonNegativeInt(m.second, &n)) {
        *error = "\"" + key + "." + m.first + "\": expected a non-negative integer";
        return false;
      }
      if (m.first == "count") {
        rate->count = n;
      } else if (m.first == "windowMs") {
        if (n == 0) {
          *error = "\"" + key + ".windowMs\": must be > 0";
          return false;
        }
        rate->windowMs = n;
      } else {
        *error = "\"" + key + "\": unknown field \"" + m.first + "\"";
        return false;
      }
    }
    return true;
  }
  *error = "\"" + key + "\": expected {\"count\",\"windowMs\"}, a number, false or null";
  return false;
}

}  // namespace

bool applyLimitsOverrides(const std::string& json, Limits* limits, std::string* error) {
  std::string scratch;
  if (error == nullptr) error = &scratch;
  if (json.find_first_not_of(" \t\r\n") == std::string::npos) return true;

  JsonValue root;
  std::string parseError;
  if (!parseJson(json, &root, &parseError)) {
    *error = "limits: invalid JSON: " + parseError;
    return false;
  }
  if (!root.isObject()) {
    *error = "limits: expected a JSON object";
    return false;
  }

  Limits result = *limits;
  // Pass 1: "profile", then "rateLimits"; pass 2: every other key.
  if (const JsonValue* profile = root.find("profile")) {
    if (!profile->isString() || !namedLimits(profile->asString(), &result)) {
      *error = "limits: \"profile\": expected \"v1.2\", \"linux-1.4\" or \"unlimited\"";
      return false;
    }
  }
  if (const JsonValue* rate = root.find("rateLimits")) {
    if (!rate->isBool()) {
      *error = "limits: \"rateLimits\": expected true or false";
      return false;
    }
    if (!rate->asBool()) disableRateLimits(&result);
  }
  for (const auto& m : root.members()) {
    const std::string& key = m.first;
    const JsonValue& v = m.second;
    bool known = key == "profile" || key == "rateLimits";
    for (const auto& e : kRateEntries) {
      if (key == e.key) {
        known = true;
        if (!applyRate(key, v, &(result.*(e.field)), error)) {
          *error = "limits: " + *error;
          return false;
        }
      }
    }
    for (const auto& e : kTimeoutEntries) {
      if (key == e.key) {
        known = true;
        int ms = 0;
        if (!toNonNegativeInt(v, &ms) || ms == 0) {
          *error = "limits: \"" + key + "\": expected an integer number of ms > 0";
          return false;
        }
        result.*(e.field) = ms;
      }
    }
    for (const auto& e : kCountEntries) {
      if (key == e.key) {
        known = true;
        int n = 0;
        if (!toNonNegativeInt(v, &n) || n == 0) {
          *error = "limits: \"" + key + "\": expected an integer > 0";
          return false;
        }
        result.*(e.field) = n;
      }
    }
    if (!known) {
      *error = "limits: unknown key \"" + key + "\"";
      return false;
    }
  }
  *limits = result;
  return true;
}

}  // namespace rtm_emulator

namespace rtm_emulator {

std::string limitsToJson(const Limits& limits) {
  std::string out = "{";
  auto add = [&out](const char* key, const std::string& value) {
    if (out.size() > 1) out += ",";
    out += jsonQuote(key) + ":" + value;
  };
  for (const auto& e : kRateEntries) {
    const RateLimit& r = limits.*(e.field);
    add(e.key, r.count == 0 ? std::string("false")
                            : "{\"count\":" + std::to_string(r.count) + ",\"windowMs\":" + std::to_string(r.windowMs) + "}");
  }
  for (const auto& e : kTimeoutEntries) add(e.key, std::to_string(limits.*(e.field)));
  for (const auto& e : kCountEntries) add(e.key, std::to_string(limits.*(e.field)));
  return out + "}";
}

}  // namespace rtm_emulator
