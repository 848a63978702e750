#include "service_core.h"

#include <utility>

namespace rtm_emulator {

using namespace agora::rtm;

ServiceCore::ServiceCore(std::string name, Limits limits) : name_(std::move(name)), limits_(limits) {}

bool ServiceCore::login(const std::string& userId, const std::string& token, std::shared_ptr<SessionLink> link,
                        LoginAnswer* answer) {
  std::shared_ptr<SessionLink> replaced;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return false;
    Session& s = sessions_[userId];
    replaced = std::move(s.link);
    s.id = nextSessionId_++;
    s.token = token;
    s.link = std::move(link);
    answer->code = LOGIN_ERR_OK;
    answer->sessionId = s.id;
  }
  // Only one live session per user id: the earlier one is kicked before the new one is answered.
  if (replaced) replaced->onKicked(CONNECTION_CHANGE_REASON_REMOTE_LOGIN);
  return true;
}

void ServiceCore::logout(const std::string& userId, std::uint64_t sessionId) {
  std::shared_ptr<SessionLink> dropped;  // released outside the lock
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(userId);
  if (it == sessions_.end() || it->second.id != sessionId) return;
  dropped = std::move(it->second.link);
  sessions_.erase(it);
}

bool ServiceCore::renewToken(const std::string& userId, std::uint64_t sessionId, const std::string& token,
                             RENEW_TOKEN_ERR_CODE* result) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return false;
  auto it = sessions_.find(userId);
  if (it == sessions_.end() || it->second.id != sessionId) {
    *result = RENEW_TOKEN_ERR_FAILURE;
    return true;
  }
  it->second.token = token;
  *result = RENEW_TOKEN_ERR_OK;
  return true;
}

bool ServiceCore::kick(const std::string& userId, CONNECTION_CHANGE_REASON reason) {
  std::shared_ptr<SessionLink> link;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = sessions_.find(userId);
    if (it == sessions_.end()) return false;
    link = std::move(it->second.link);
    sessions_.erase(it);
  }
  if (link) link->onKicked(reason);
  return true;
}

bool ServiceCore::expireToken(const std::string& userId) {
  std::shared_ptr<SessionLink> link;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = sessions_.find(userId);
    if (it == sessions_.end()) return false;
    link = it->second.link;
  }
  if (link) link->onTokenExpired();
  return true;
}

void ServiceCore::close(CONNECTION_CHANGE_REASON reason) {
  std::map<std::string, Session> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    dropped.swap(sessions_);
  }
  for (auto& entry : dropped) {
    if (entry.second.link) entry.second.link->onKicked(reason);
  }
}

std::vector<std::string> ServiceCore::users() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  out.reserve(sessions_.size());
  for (const auto& entry : sessions_) out.push_back(entry.first);
  return out;
}

}  // namespace rtm_emulator
