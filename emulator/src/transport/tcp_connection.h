// The client half of the TCP transport: a ServiceConnection (with its ChannelConnection and
// InvitationConnection) that talks to a TcpServer over one socket (docs/PROTOCOL.md). Its own
// I/O thread connects, reconnects, sends heartbeats and hands answers and pushes to the client's
// links. A service that cannot be reached simply never answers (the client's timeouts decide,
// as with the real SDK offline). When the socket is lost the client's SessionLink hears
// onConnectionLost; the connection keeps retrying, and on reconnecting resumes the session, or,
// when the service no longer knows it (restarted), logs in again and rejoins the channels,
// re-subscribes and re-sets the user attributes it had, then reports onConnectionRestored.
#pragma once

#include <memory>
#include <string>

#include "transport/session_link.h"

namespace rtm_emulator {

std::shared_ptr<ServiceConnection> makeTcpConnection(const std::string& host, int port, const std::string& appId);

}  // namespace rtm_emulator
