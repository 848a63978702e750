// The limits profile: every rate limit and timeout the emulator enforces, in one table.
//
// The default profile ("v1.2") is the one stated by the v1.2.x C++ header (rate limits per
// client instance; timeouts measured on the client, presence thresholds on the service).
// An in-process service can pick another profile and override entries with a JSON object
// (createInProcess's limitsJson):
//
//   { "profile": "linux-1.4",                    // "v1.2" (default), "linux-1.4" or "unlimited"
//     "login": {"count": 5, "windowMs": 1000},   // N calls per W ms
//     "renewToken": 10,                          // a number: N calls per the entry's window
//     "getMembers": 0,                           // 0, false or null: that limit is off
//     "rateLimits": false,                       // switches every rate limit off
//     "loginTimeoutMs": 2000 }                   // timeouts in ms (integers > 0)
//
// "profile" is applied first, then "rateLimits", then the other keys, whatever their order in
// the object. Unknown keys and profile names are errors, so that a typo does not silently leave
// a limit in force. README.md ("Limits profile") documents every key.
#pragma once

#include <string>

namespace rtm_emulator {

// At most `count` calls in any window of `windowMs` milliseconds; count <= 0 means no limit.
struct RateLimit {
  int count = 0;
  int windowMs = 1000;
  bool enabled() const { return count > 0 && windowMs > 0; }
};

struct Limits {
  // Call-frequency limits (per client instance; one budget per entry).
  RateLimit login{2, 1000};
  RateLimit renewToken{2, 1000};
  RateLimit join{50, 3000};
  RateLimit joinSameChannel{2, 5000};
  RateLimit sendMessage{60, 1000};  // peer and channel messages together
  RateLimit getMembers{5, 2000};
  RateLimit queryPeersOnlineStatus{10, 5000};
  RateLimit subscribePeersOnlineStatus{10, 5000};
  RateLimit unsubscribePeersOnlineStatus{10, 5000};
  RateLimit queryPeersBySubscriptionOption{10, 5000};
  RateLimit userAttributeWrites{10, 5000};    // set / addOrUpdate / delete / clear together
  RateLimit userAttributeReads{40, 5000};     // get all / get by keys together
  RateLimit channelAttributeWrites{10, 5000};
  RateLimit channelAttributeReads{10, 5000};
  RateLimit getChannelMemberCount{1, 1000};

  // Client-side timeouts, milliseconds.
  int loginTimeoutMs = 6000;
  int interruptedAfterMs = 4000;  // link lost this long -> RECONNECTING / INTERRUPTED
  int peerMessageTimeoutMs = 10000;
  int channelMessageTimeoutMs = 5000;
  int joinTimeoutMs = 5000;
  int getMembersTimeoutMs = 5000;
  int queryPeersOnlineStatusTimeoutMs = 10000;
  int subscribeTimeoutMs = 10000;  // subscribe and unsubscribe
  int queryPeersBySubscriptionOptionTimeoutMs = 5000;
  int attributeTimeoutMs = 5000;
  int getChannelMemberCountTimeoutMs = 5000;
  int invitationAckTimeoutMs = 30000;
  int invitationExpireMs = 60000;
  int invitationAcceptAckTimeoutMs = 5000;

  // Service-side presence thresholds, milliseconds since the user's link went silent.
  int unreachableAfterMs = 6000;  // subscribers see UNREACHABLE
  int offlineAfterMs = 30000;     // the session is removed: OFFLINE, attributes gone

  // Service-side channel behaviour. onMemberJoined / onMemberLeft are sent while a channel has
  // at most memberEventsMaxMembers members; onMemberCountUpdated at most once per
  // memberCountIntervalMs at that size, once per memberCountLargeIntervalMs above it.
  int memberEventsMaxMembers = 512;
  int memberCountIntervalMs = 1000;
  int memberCountLargeIntervalMs = 3000;
};

// The header v1.2.x profile ("v1.2").
Limits defaultLimits();

// A named profile: "v1.2", "linux-1.4" (the Linux C++ SDK >= 1.4 rate limits) or "unlimited"
// (every rate limit off, timeouts as in v1.2). False for an unknown name.
bool namedLimits(const std::string& name, Limits* limits);

// Applies the overrides in `json` (a JSON object, or "" / whitespace for none) to *limits.
// On failure leaves *limits unchanged, returns false and describes the problem in *error.
bool applyLimitsOverrides(const std::string& json, Limits* limits, std::string* error);

// The whole table as the JSON object applyLimitsOverrides reads back (how a TCP service tells
// its clients the timeouts and rate limits they run).
std::string limitsToJson(const Limits& limits);

}  // namespace rtm_emulator
