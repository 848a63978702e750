// The two interfaces between a client (RtmServiceImpl) and the emulated cloud (ServiceCore).
// Nothing else crosses that boundary, so a transport (e.g. TCP) can later sit in between: its
// client half implements ServiceConnection, its server half implements SessionLink.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "agora_rtm.h"

namespace rtm_emulator {

// Cloud -> client: what the service pushes to one logged-in session. May be called on any thread;
// implementations must not block for long and must not call back into the service synchronously.
class SessionLink {
 public:
  virtual ~SessionLink() = default;
  // The service dropped this session (another login with the same user id, a kick, the service
  // going away). The client becomes ABORTED with this reason.
  virtual void onKicked(agora::rtm::CONNECTION_CHANGE_REASON reason) = 0;
  // The session's token ran out (AccessToken semantics: the session stays connected).
  virtual void onTokenExpired() = 0;
};

struct LoginAnswer {
  agora::rtm::LOGIN_ERR_CODE code = agora::rtm::LOGIN_ERR_UNKNOWN;
  std::uint64_t sessionId = 0;  // non-zero when code == LOGIN_ERR_OK
};

// Client -> cloud. Answers arrive through the completion functions, possibly on another thread,
// possibly never (an unreachable service): the client runs its own timeouts.
class ServiceConnection {
 public:
  virtual ~ServiceConnection() = default;
  virtual void login(const std::string& userId, const std::string& token, std::shared_ptr<SessionLink> link,
                     std::function<void(const LoginAnswer&)> done) = 0;
  // Ends the session (the user goes offline). Unknown or stale session ids are ignored.
  virtual void logout(const std::string& userId, std::uint64_t sessionId) = 0;
  virtual void renewToken(const std::string& userId, std::uint64_t sessionId, const std::string& token,
                          std::function<void(agora::rtm::RENEW_TOKEN_ERR_CODE)> done) = 0;
};

}  // namespace rtm_emulator
