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
// Kicks every session of that service (as if the service went away) and forgets it.
bool destroyInProcess(const std::string& name);

// Fault injection on an in-process service: the user's session is removed as by a remote login
// elsewhere (state ABORTED, reason REMOTE_LOGIN). Returns false when no such session.
bool kickUser(const std::string& serviceName, const std::string& userId);

// Fault injection: the user's token runs out. With AccessToken (006) semantics the session stays
// connected and gets onTokenExpired. Returns false when no such session.
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

// JSON array of the logged-in user ids of that service, e.g. ["alice","bob"].
std::string listUsers(const std::string& serviceName);

}  // namespace rtm_emulator
