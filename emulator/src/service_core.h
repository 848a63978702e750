// ServiceCore: one emulated RTM cloud. Holds the sessions by user id (later also channels,
// attributes and invitations). It knows clients only as SessionLinks. Thread-safe; it never
// calls a SessionLink while holding its own lock.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "limits.h"
#include "session_link.h"

namespace rtm_emulator {

class ServiceCore {
 public:
  ServiceCore(std::string name, Limits limits);
  ServiceCore(const ServiceCore&) = delete;
  ServiceCore& operator=(const ServiceCore&) = delete;

  const std::string& name() const { return name_; }
  const Limits& limits() const { return limits_; }

  // Opens a session for userId. An existing session of the same user is dropped first and its
  // link gets onKicked(REMOTE_LOGIN). A closed service never answers: returns false and the
  // caller must not expect an answer (the client times out).
  bool login(const std::string& userId, const std::string& token, std::shared_ptr<SessionLink> link,
             LoginAnswer* answer);
  void logout(const std::string& userId, std::uint64_t sessionId);
  // False when no such session (or the service is closed: no answer).
  bool renewToken(const std::string& userId, std::uint64_t sessionId, const std::string& token,
                  agora::rtm::RENEW_TOKEN_ERR_CODE* result);

  // Fault injection.
  bool kick(const std::string& userId, agora::rtm::CONNECTION_CHANGE_REASON reason);
  bool expireToken(const std::string& userId);
  // Drops every session (links get onKicked(reason)); afterwards the service answers nothing.
  void close(agora::rtm::CONNECTION_CHANGE_REASON reason);

  std::vector<std::string> users() const;

 private:
  struct Session {
    std::uint64_t id = 0;
    std::string token;
    std::shared_ptr<SessionLink> link;
  };

  const std::string name_;
  const Limits limits_;
  mutable std::mutex mu_;
  bool closed_ = false;
  std::uint64_t nextSessionId_ = 1;
  std::map<std::string, Session> sessions_;
};

}  // namespace rtm_emulator
