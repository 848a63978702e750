#include "inproc_connection.h"

#include <utility>

#include "service_core.h"

namespace rtm_emulator {

namespace {

class InProcessConnection final : public ServiceConnection {
 public:
  explicit InProcessConnection(std::shared_ptr<ServiceCore> core) : core_(std::move(core)) {}

  void login(const std::string& userId, const std::string& token, std::shared_ptr<SessionLink> link,
             std::function<void(const LoginAnswer&)> done) override {
    if (!core_) return;
    LoginAnswer answer;
    if (core_->login(userId, token, std::move(link), &answer)) done(answer);
  }

  void logout(const std::string& userId, std::uint64_t sessionId) override {
    if (core_) core_->logout(userId, sessionId);
  }

  void renewToken(const std::string& userId, std::uint64_t sessionId, const std::string& token,
                  std::function<void(agora::rtm::RENEW_TOKEN_ERR_CODE)> done) override {
    if (!core_) return;
    agora::rtm::RENEW_TOKEN_ERR_CODE result = agora::rtm::RENEW_TOKEN_ERR_FAILURE;
    if (core_->renewToken(userId, sessionId, token, &result)) done(result);
  }

 private:
  std::shared_ptr<ServiceCore> core_;
};

}  // namespace

std::shared_ptr<ServiceConnection> makeInProcessConnection(std::shared_ptr<ServiceCore> core) {
  return std::make_shared<InProcessConnection>(std::move(core));
}

}  // namespace rtm_emulator
