#include "cloud/service_registry.h"

#include "cloud/token/rtm_token.h"

namespace rtm_emulator {

namespace {
constexpr const char kInProcPrefix[] = "inproc://";
}  // namespace

ServiceRegistry& ServiceRegistry::instance() {
  static ServiceRegistry* const registry = new ServiceRegistry();  // never destroyed, on purpose
  return *registry;
}

ServiceRegistry::ServiceRegistry() {
  cores_[kDefaultName] = std::make_shared<ServiceCore>(kDefaultName, defaultLimits());
}

std::shared_ptr<ServiceCore> ServiceRegistry::find(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = cores_.find(name);
  return it == cores_.end() ? nullptr : it->second;
}

bool ServiceRegistry::create(const std::string& name, const std::string& limitsJson, const std::string& appCertificate,
                             std::string* error) {
  std::string scratch;
  if (error == nullptr) error = &scratch;
  if (name.empty()) {
    *error = "the service name must not be empty";
    return false;
  }
  if (!appCertificate.empty() && !token::isHex32(appCertificate)) {
    *error = "the App Certificate must be 32 hexadecimal characters";
    return false;
  }
  Limits limits = defaultLimits();
  if (!applyLimitsOverrides(limitsJson, &limits, error)) return false;
  std::lock_guard<std::mutex> lock(mu_);
  if (cores_.count(name) != 0) {
    *error = "an in-process service named \"" + name + "\" already exists";
    return false;
  }
  cores_[name] = std::make_shared<ServiceCore>(name, limits, appCertificate);
  return true;
}

bool ServiceRegistry::destroy(const std::string& name) {
  std::shared_ptr<ServiceCore> core;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cores_.find(name);
    if (it == cores_.end()) return false;
    core = std::move(it->second);
    if (name == kDefaultName) {
      it->second = std::make_shared<ServiceCore>(kDefaultName, defaultLimits());
    } else {
      cores_.erase(it);
    }
  }
  // Clients keep their shared_ptr to the closed core; it answers nothing more.
  core->close(agora::rtm::CONNECTION_CHANGE_REASON_BANNED_BY_SERVER);
  return true;
}

bool ServiceRegistry::replaceDefault(const std::string& limitsJson, std::string* error) {
  std::string scratch;
  if (error == nullptr) error = &scratch;
  Limits limits = defaultLimits();
  if (!applyLimitsOverrides(limitsJson, &limits, error)) return false;
  std::shared_ptr<ServiceCore> old;
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::shared_ptr<ServiceCore>& slot = cores_[kDefaultName];
    old = std::move(slot);
    slot = std::make_shared<ServiceCore>(kDefaultName, limits);
  }
  if (old) old->close(agora::rtm::CONNECTION_CHANGE_REASON_BANNED_BY_SERVER);
  return true;
}

bool parseInProcessUrl(const std::string& url, std::string* name) {
  const std::string prefix = kInProcPrefix;
  if (url.size() <= prefix.size() || url.compare(0, prefix.size(), prefix) != 0) return false;
  *name = url.substr(prefix.size());
  return true;
}

}  // namespace rtm_emulator
