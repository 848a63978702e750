// The limits profile: every rate limit and timeout the emulator enforces, in one table.
//
// The default profile is the one stated by the v1.2.x C++ header (rate limits per client
// instance; timeouts measured on the client). An in-process service can override entries with
// a JSON object (createInProcess's limitsJson):
//
//   { "login": {"count": 5, "windowMs": 1000},   // N calls per W ms
//     "renewToken": 10,                          // a number: N calls per the default window
//     "getMembers": 0,                           // 0, false or null: that limit is off
//     "rateLimits": false,                       // switches every rate limit off
//     "loginTimeoutMs": 2000 }                   // timeouts in ms (integers > 0)
//
// Unknown keys are errors, so that a typo does not silently leave a limit in force.
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
  RateLimit userAttributeWrites{10, 5000};
  RateLimit userAttributeReads{40, 5000};
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
  int subscribeTimeoutMs = 10000;
  int queryPeersBySubscriptionOptionTimeoutMs = 5000;
  int attributeTimeoutMs = 5000;
  int getChannelMemberCountTimeoutMs = 5000;
  int invitationAckTimeoutMs = 30000;
  int invitationExpireMs = 60000;
  int invitationAcceptAckTimeoutMs = 5000;
};

// The header v1.2.x profile.
Limits defaultLimits();

// Applies the overrides in `json` (a JSON object, or "" / whitespace for none) to *limits.
// On failure leaves *limits unchanged, returns false and describes the problem in *error.
bool applyLimitsOverrides(const std::string& json, Limits* limits, std::string* error);

}  // namespace rtm_emulator
