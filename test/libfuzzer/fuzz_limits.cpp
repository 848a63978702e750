// libFuzzer target: the limits profile overrides (emulator/src/common/limits.cpp), the JSON object that
// createInProcess(name, limitsJson, &error) takes (README.md, "Limits").
//
// Input: any bytes, taken as limitsJson. Checks, besides crash/ASan/UBSan/leak freedom:
//   - applyLimitsOverrides agrees with a reference model written from the README's rules
//     (profile first, then rateLimits, then the other keys in document order; rate limits as
//     {"count","windowMs"}, a non-negative integer, or 0/false/null; timeouts and
//     memberEventsMaxMembers integers > 0; unknown keys refused), from two different starting
//     tables (so that keys the text does not name must keep their starting value);
//   - a refused text leaves the table untouched and explains itself ("limits: ...");
//   - an accepted table satisfies the invariants (windowMs > 0, counts >= 0, timeouts > 0),
//     written back as a full JSON object it reads back to itself, and applying the text again
//     changes nothing (idempotence);
//   - createInProcess accepts exactly what applyLimitsOverrides accepts, with the same error, and
//     the service it makes can be destroyed again.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.h"
#include "common/json.h"
#include "common/limits.h"
#include "rtm_emulator/emulator.h"

using rtm_emulator::JsonValue;
using rtm_emulator::Limits;
using rtm_emulator::RateLimit;

namespace {

struct RateKey {
  const char* key;
  RateLimit Limits::*field;
};
struct IntKey {
  const char* key;
  int Limits::*field;
};

// The keys of README.md's two tables.
const RateKey kRateKeys[] = {
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
// Integers > 0: the timeouts (ms) and memberEventsMaxMembers.
const IntKey kIntKeys[] = {
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
    {"memberEventsMaxMembers", &Limits::memberEventsMaxMembers},
};

bool equal(const Limits& a, const Limits& b) {
  for (const auto& k : kRateKeys) {
    if ((a.*(k.field)).count != (b.*(k.field)).count || (a.*(k.field)).windowMs != (b.*(k.field)).windowMs) return false;
  }
  for (const auto& k : kIntKeys) {
    if (a.*(k.field) != b.*(k.field)) return false;
  }
  return true;
}

std::string describe(const Limits& l) {
  std::string out;
  for (const auto& k : kRateKeys) {
    out += std::string(k.key) + "=" + std::to_string((l.*(k.field)).count) + "/" +
           std::to_string((l.*(k.field)).windowMs) + " ";
  }
  for (const auto& k : kIntKeys) out += std::string(k.key) + "=" + std::to_string(l.*(k.field)) + " ";
  return out;
}

// Every entry, explicitly.
std::string toJson(const Limits& l) {
  std::string out = "{";
  for (const auto& k : kRateKeys) {
    out += "\"" + std::string(k.key) + "\":{\"count\":" + std::to_string((l.*(k.field)).count) +
           ",\"windowMs\":" + std::to_string((l.*(k.field)).windowMs) + "},";
  }
  for (const auto& k : kIntKeys) out += "\"" + std::string(k.key) + "\":" + std::to_string(l.*(k.field)) + ",";
  out.back() = '}';
  return out;
}

// A table whose every entry differs from every profile's.
Limits oddStart() {
  Limits l;
  int i = 0;
  for (const auto& k : kRateKeys) {
    (l.*(k.field)).count = 7 + i;
    (l.*(k.field)).windowMs = 1234 + i;
    ++i;
  }
  for (const auto& k : kIntKeys) l.*(k.field) = 4321 + i++;
  return l;
}

// --- The reference model (README.md, "Limits") ------------------------------------------------

bool referenceProfile(const std::string& name, Limits* out) {
  Limits l;  // "v1.2": the header's values
  if (name == "v1.2") {
  } else if (name == "linux-1.4") {
    l.sendMessage = {1500, 3000};
    l.queryPeersOnlineStatus = {100, 5000};
    l.userAttributeWrites = {100, 5000};
    l.userAttributeReads = {400, 5000};
    l.channelAttributeWrites = {100, 5000};
    l.channelAttributeReads = {400, 5000};
  } else if (name == "unlimited") {
    for (const auto& k : kRateKeys) (l.*(k.field)).count = 0;
  } else {
    return false;
  }
  *out = l;
  return true;
}

// A JSON number that is an integer in 0..INT_MAX.
bool nonNegativeInt(const JsonValue& v, int* out) {
  if (!v.isNumber()) return false;
  const double d = v.asNumber();
  if (!(d >= 0 && d <= 2147483647.0) || std::trunc(d) != d) return false;
  *out = static_cast<int>(d);
  return true;
}

bool referenceApply(const std::string& text, Limits* limits) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return true;
  JsonValue root;
  if (!rtm_emulator::parseJson(text, &root, nullptr) || !root.isObject()) return false;
  Limits l = *limits;
  // A repeated key: as everywhere in the reader, the last one counts for these two.
  if (const JsonValue* profile = root.find("profile")) {
    if (!profile->isString() || !referenceProfile(profile->asString(), &l)) return false;
  }
  if (const JsonValue* rate = root.find("rateLimits")) {
    if (!rate->isBool()) return false;
    if (!rate->asBool()) {
      for (const auto& k : kRateKeys) (l.*(k.field)).count = 0;
    }
  }
  for (const auto& m : root.members()) {
    if (m.first == "profile" || m.first == "rateLimits") continue;
    bool known = false;
    for (const auto& k : kRateKeys) {
      if (m.first != k.key) continue;
      known = true;
      RateLimit& r = l.*(k.field);
      const JsonValue& v = m.second;
      if (v.isNull() || (v.isBool() && !v.asBool())) {
        r.count = 0;
      } else if (v.isNumber()) {
        if (!nonNegativeInt(v, &r.count)) return false;
      } else if (v.isObject()) {
        for (const auto& f : v.members()) {
          int n = 0;
          if (!nonNegativeInt(f.second, &n)) return false;
          if (f.first == "count") {
            r.count = n;
          } else if (f.first == "windowMs" && n > 0) {
            r.windowMs = n;
          } else {
            return false;
          }
        }
      } else {
        return false;
      }
    }
    for (const auto& k : kIntKeys) {
      if (m.first != k.key) continue;
      known = true;
      int n = 0;
      if (!nonNegativeInt(m.second, &n) || n == 0) return false;
      l.*(k.field) = n;
    }
    if (!known) return false;
  }
  *limits = l;
  return true;
}

// --- Checks -------------------------------------------------------------------------------------

void checkInvariants(const Limits& l, const std::string& text) {
  for (const auto& k : kRateKeys) {
    FUZZ_CHECK((l.*(k.field)).count >= 0, "%s.count < 0 accepted from %s", k.key, text.c_str());
    FUZZ_CHECK((l.*(k.field)).windowMs > 0, "%s.windowMs <= 0 accepted from %s", k.key, text.c_str());
  }
  for (const auto& k : kIntKeys) FUZZ_CHECK(l.*(k.field) > 0, "%s <= 0 accepted from %s", k.key, text.c_str());
}

bool applyAndCheck(const std::string& text, const Limits& start, Limits* result, std::string* error) {
  Limits l = start;
  error->clear();
  const bool ok = rtm_emulator::applyLimitsOverrides(text, &l, error);

  Limits expected = start;
  const bool expectedOk = referenceApply(text, &expected);
  FUZZ_CHECK(ok == expectedOk, "applyLimitsOverrides says %s, the README's rules say %s (error: %s)",
             ok ? "accepted" : "refused", expectedOk ? "accepted" : "refused", error->c_str());

  // Without an error pointer: the same answer, the same table.
  Limits quiet = start;
  FUZZ_CHECK(rtm_emulator::applyLimitsOverrides(text, &quiet, nullptr) == ok, "the answer depends on `error`");
  FUZZ_CHECK(equal(quiet, l), "the table depends on `error`");

  if (!ok) {
    FUZZ_CHECK(equal(l, start), "a refused text changed the table");
    FUZZ_CHECK(error->compare(0, 8, "limits: ") == 0, "error without the \"limits: \" prefix: '%s'", error->c_str());
    return false;
  }
  FUZZ_CHECK(equal(l, expected), "table differs from the README's rules:\n  got      %s\n  expected %s",
             describe(l).c_str(), describe(expected).c_str());
  checkInvariants(l, text);
  *result = l;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);

  Limits fromDefault;
  std::string error;
  const bool ok = applyAndCheck(text, rtm_emulator::defaultLimits(), &fromDefault, &error);
  Limits fromOdd;
  std::string oddError;
  FUZZ_CHECK(applyAndCheck(text, oddStart(), &fromOdd, &oddError) == ok, "the answer depends on the starting table");

  if (ok) {
    // Written back in full, the table reads back to itself from any start.
    const std::string full = toJson(fromDefault);
    Limits back = oddStart();
    std::string backError;
    FUZZ_CHECK(rtm_emulator::applyLimitsOverrides(full, &back, &backError), "the written table is refused: %s\n  %s",
               backError.c_str(), full.c_str());
    FUZZ_CHECK(equal(back, fromDefault), "the written table reads back differently: %s", full.c_str());
    // Applying the same text again changes nothing.
    Limits twice = fromDefault;
    FUZZ_CHECK(rtm_emulator::applyLimitsOverrides(text, &twice, nullptr), "refused the second time");
    FUZZ_CHECK(equal(twice, fromDefault), "not idempotent");
  }

  // The public entry point: an in-process service with these limits.
  static const std::string kName = "libfuzzer-limits";
  std::string createError;
  const bool created = rtm_emulator::createInProcess(kName, text, &createError);
  FUZZ_CHECK(created == ok, "createInProcess says %s, applyLimitsOverrides says %s (%s)", created ? "yes" : "no",
             ok ? "yes" : "no", createError.c_str());
  if (created) {
    FUZZ_CHECK(rtm_emulator::listUsers(kName) == "[]", "a new service has users");
    FUZZ_CHECK(rtm_emulator::destroyInProcess(kName), "could not destroy the service just made");
  } else {
    FUZZ_CHECK(createError == error, "createInProcess's error '%s' differs from '%s'", createError.c_str(),
               error.c_str());
  }
  FUZZ_CHECK(!rtm_emulator::destroyInProcess(kName), "the service outlived destroyInProcess");
  return 0;
}
