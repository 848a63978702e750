// The emulator's own entry points. The addon and the drop-in library reach the emulator only
// through createRtmService()/getRtmSdkVersion(), exactly as they reach the real SDK; the other
// functions here control the emulated *service* (what the cloud would do) and are used by the
// 'agora-rtm-node/emulator' module and by tests.
#pragma once

#include <string>

#include "agora_rtm.h"

namespace rtm_emulator {

// Same contract as the SDK's exported createRtmService / getRtmSdkVersion.
agora::rtm::IRtmService* createRtmService();
const char* getRtmSdkVersion();

// Objects the emulator has handed out and not yet freed (services, channels, messages, channel
// attributes, call managers, invitations). Back to 0 once everything is released.
long long liveObjectCount();

// Clients choose the emulated service they talk to with
//   setParameters("{\"rtm.emulator.url\":\"inproc://NAME\"}")   (before login)
// "inproc://default" always exists and is used when nothing is chosen.
//
// createInProcess makes another, independent in-process service (its own users, channels and
// limits). limitsJson is a JSON object of overrides for the limits profile (see limits.h), or "".
// Returns false and sets *error when the name exists or the JSON is invalid.
bool createInProcess(const std::string& name, const std::string& limitsJson, std::string* error);
// The same for a project with an App Certificate (32 hex characters; "" = none, as above): the
// service then verifies AccessToken (006) and AccessToken2 (007) RTM tokens at login and
// renewToken (INVALID_TOKEN, TOKEN_EXPIRED) and lets them run out while connected (006: the
// session stays, onTokenExpired; 007: onTokenExpired, then ABORTED / BANNED_BY_SERVER). False
// and *error for a certificate of another form, too.
bool createInProcess(const std::string& name, const std::string& limitsJson, const std::string& appCertificate,
                     std::string* error);
// Replaces the default service ("inproc://default") by a fresh one whose limits are the default
// profile with limitsJson's overrides (as for createInProcess); its sessions are kicked as by
// destroyInProcess. False and *error for invalid JSON. The drop-in library calls it once, before
// its first service, with the AGORA_RTM_EMULATOR_PROFILE environment variable (a profile name
// such as "unlimited", or a JSON object of overrides).
bool configureDefaultService(const std::string& limitsJson, std::string* error);

// Kicks every session of that service (as if the service went away) and forgets it.
bool destroyInProcess(const std::string& name);

// Fault injection on an in-process service: the user's session is removed as by a remote login
// elsewhere (state ABORTED, reason REMOTE_LOGIN). Returns false when no such session.
bool kickUser(const std::string& serviceName, const std::string& userId);

// Fault injection: the user's token runs out now. The session gets onTokenExpired and stays
// connected (AccessToken 006, or a service without an App Certificate), or is then ended as
// ABORTED / BANNED_BY_SERVER (a verified AccessToken2 007). Returns false when no such session.
bool expireToken(const std::string& serviceName, const std::string& userId);

// Fault injection: the user's network link goes silent (nothing passes either way) until
// restoreConnection. Client side: RECONNECTING / INTERRUPTED after the profile's
// interruptedAfterMs; service side: the peer shows UNREACHABLE after unreachableAfterMs and is
// OFFLINE (session gone) after offlineAfterMs. Restoring reconnects the client (CONNECTED,
// LOGIN_SUCCESS, no onLoginSuccess) or, once the session is gone, logs it in again.
// Return false when no such session.
bool dropConnection(const std::string& serviceName, const std::string& userId);
bool restoreConnection(const std::string& serviceName, const std::string& userId);

// Fault injection for call invitations: with enabled = false, the acknowledgements that user's
// client sends are lost on the way (the user need not be logged in; the setting stays until
// changed). As callee, its receipt of an invitation never reaches the caller, who gets
// onLocalInvitationFailure(PEER_NO_RESPONSE) at invitationAckTimeoutMs; as caller, its receipt
// of an accept never reaches the callee, who gets onRemoteInvitationFailure(ACCEPT_FAILURE) at
// invitationAcceptAckTimeoutMs. Returns false when no such service.
bool setInvitationAutoAck(const std::string& serviceName, const std::string& userId, bool enabled);

// Fault injection: a slow network. Everything the service sends to userId ("*": to every user,
// now and later, replacing per-user settings) arrives latencyMs plus up to jitterMs later, in
// order (answers, messages, presence, channel events). 0, 0 turns it off. False when no such
// service.
bool setLatency(const std::string& serviceName, const std::string& userId, int latencyMs, int jitterMs);

// JSON array of the logged-in user ids of that service, e.g. ["alice","bob"].
std::string listUsers(const std::string& serviceName);

// JSON object of what the service carries: {sessions, channels, messages, bytes} (sessions and
// channels with members now; peer and channel messages accepted so far and their payload bytes).
// "null" when no such service.
std::string serviceStats(const std::string& serviceName);

// Serves an in-process service over TCP (docs/PROTOCOL.md) on host:port (port 0: any free one);
// clients elsewhere reach it with the URL "rtm://HOST:PORT" (setParameters as above, or the
// AGORA_RTM_EMULATOR environment variable). *boundPort is the port listened on. False with
// *error when the service does not exist, is already served, or the address cannot be bound.
bool listenTcp(const std::string& serviceName, const std::string& host, int port, int* boundPort, std::string* error);
// Stops serving it (its TCP clients lose their link). destroyInProcess does this too.
bool stopTcp(const std::string& serviceName);
// JSON object of the server's counters ({connections, framesIn, framesOut, bytesIn, bytesOut}),
// "null" when the service is not served over TCP.
std::string tcpStats(const std::string& serviceName);
// Runs a control command (transport/control_commands.h: users, kick, expireToken, dropConnection,
// restoreConnection, setInvitationAutoAck) on the service at `url` ("rtm://HOST:PORT"), which may
// run in another process; waits at most timeoutMs. *result is the JSON answer, or the reason
// when false is returned.
bool controlRemote(const std::string& url, const std::string& command, const std::string& argsJson, int timeoutMs,
                   std::string* result);

// Load generation for benchmarks: one sender, driven only through IRtmService on the calling
// thread, logs in as `senderId` on the in-process service at `serviceUrl` ("inproc://NAME"),
// sends `count` text messages of `textBytes` bytes to the user `target` (peer) or into the
// channel `target` (channel: the sender joins it first), then waits for the results, logs out
// and releases. At most `window` sends wait for their result at any time ("as fast as the service
// accepts them"); `ratePerSecond` > 0 paces the sends instead of sending back to back. With
// `stampTime`, each text starts with the CLOCK_MONOTONIC time of its send in ns (decimal, then a
// space), the clock process.hrtime.bigint() reads, so a receiver can measure latency. The limits
// profile is the service's: use 'unlimited' or sends fail with TOO_OFTEN.
struct FloodOptions {
  std::string serviceUrl;
  std::string senderId;
  std::string target;
  bool channel = false;
  long long count = 0;
  int textBytes = 16;
  long long window = 4096;
  long long ratePerSecond = 0;
  bool stampTime = false;
  // Peer floods only: `target` is logged in here too, as a C++ client whose handler only counts,
  // the ceiling a JS listener is compared with (FloodResult::received, receiveMs).
  bool cppReceiver = false;
};
struct FloodResult {
  long long sent = 0;      // sends the SDK accepted (returned 0)
  long long delivered = 0; // results OK (peer: received; channel: sent)
  long long failed = 0;    // any other result, refused sends included
  double elapsedMs = 0;    // first send to last result
  long long received = 0;  // cppReceiver: messages its handler got
  double receiveMs = 0;    // cppReceiver: first send to last message received
  double latencyP50Us = 0; // cppReceiver + stampTime: send → its handler, after a 10 % warm-up
  double latencyP99Us = 0;
  std::string error;       // why it stopped early ("" when it ran to the end)
};
// Blocks until done; false (with result->error) when the sender could not log in / join.
bool runFlood(const FloodOptions& options, FloodResult* result);

}  // namespace rtm_emulator
