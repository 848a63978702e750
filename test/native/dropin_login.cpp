// A plain C++ program (no Node) that uses libagora_rtm_emulator.so exactly as it would use
// libagora_rtm_sdk.so: createRtmService, initialize, login, wait for onLoginSuccess, logout,
// wait for onLogout(0), release. Prints one line per callback, then "OK".
// Usage: dropin_login [userId] [burst]     exit 0 on success, 1 (with a message on stderr) on failure.
// With `burst` (a count), it then calls login() + logout() that many times at once and prints
// "burst N refused K" (K logins answered LOGIN_ERR_TOO_OFTEN): the default profile allows 2 logins
// per second; AGORA_RTM_EMULATOR_PROFILE=unlimited none refused.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include "agora_rtm.h"

namespace {

class Handler final : public agora::rtm::IRtmServiceEventHandler {
 public:
  void onLoginSuccess() override {
    std::printf("onLoginSuccess\n");
    signal([this] { loggedIn_ = true; });
  }
  void onLoginFailure(agora::rtm::LOGIN_ERR_CODE code) override {
    std::printf("onLoginFailure %d\n", static_cast<int>(code));
    signal([this, code] { loginFailure_ = static_cast<int>(code); });
  }
  void onLogout(agora::rtm::LOGOUT_ERR_CODE code) override {
    std::printf("onLogout %d\n", static_cast<int>(code));
    signal([this, code] { logoutCode_ = static_cast<int>(code); });
  }
  void onConnectionStateChanged(agora::rtm::CONNECTION_STATE state, agora::rtm::CONNECTION_CHANGE_REASON reason) override {
    std::printf("onConnectionStateChanged %d %d\n", static_cast<int>(state), static_cast<int>(reason));
  }

  // Waits until login succeeded (true) or failed / timed out (false).
  bool waitLogin() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(5), [this] { return loggedIn_ || loginFailure_ >= 0; });
    return loggedIn_;
  }
  // The onLogout code, or -1 on timeout.
  int waitLogout() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(5), [this] { return logoutCode_ >= 0; });
    return logoutCode_;
  }
  int loginFailure() {
    std::lock_guard<std::mutex> lock(mu_);
    return loginFailure_;
  }

 private:
  template <typename F>
  void signal(F update) {
    std::fflush(stdout);
    {
      std::lock_guard<std::mutex> lock(mu_);
      update();
    }
    cv_.notify_all();
  }

  std::mutex mu_;
  std::condition_variable cv_;
  bool loggedIn_ = false;
  int loginFailure_ = -1;
  int logoutCode_ = -1;
};

int fail(agora::rtm::IRtmService* service, const std::string& message) {
  std::fprintf(stderr, "dropin_login: %s\n", message.c_str());
  if (service != nullptr) service->release(true);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const char* userId = argc > 1 ? argv[1] : "dropin-user";
  std::printf("sdk %s\n", agora::rtm::getRtmSdkVersion());

  agora::rtm::IRtmService* service = agora::rtm::createRtmService();
  if (service == nullptr) return fail(nullptr, "createRtmService returned NULL");

  Handler handler;
  const int init = service->initialize("0123456789abcdef0123456789abcdef", &handler);
  if (init != 0) return fail(service, "initialize returned " + std::to_string(init));

  const int login = service->login(nullptr, userId);
  if (login != 0) return fail(service, "login returned " + std::to_string(login));
  if (!handler.waitLogin()) {
    const int code = handler.loginFailure();
    return fail(service, code >= 0 ? "onLoginFailure " + std::to_string(code) : "no onLoginSuccess within 5 s");
  }

  const int logout = service->logout();
  if (logout != 0) return fail(service, "logout returned " + std::to_string(logout));
  const int logoutCode = handler.waitLogout();
  if (logoutCode != 0) {
    return fail(service, logoutCode < 0 ? "no onLogout within 5 s" : "onLogout " + std::to_string(logoutCode));
  }

  const int burst = argc > 2 ? std::atoi(argv[2]) : 0;
  if (burst > 0) {
    int refused = 0;
    for (int i = 0; i < burst; ++i) {
      const int code = service->login(nullptr, userId);
      if (code == agora::rtm::LOGIN_ERR_TOO_OFTEN) {
        ++refused;
      } else if (code != 0) {
        return fail(service, "burst login returned " + std::to_string(code));
      } else {
        service->logout();
      }
    }
    std::printf("burst %d refused %d\n", burst, refused);
  }

  service->release(true);
  std::printf("OK\n");
  return 0;
}
