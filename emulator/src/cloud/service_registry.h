// The named in-process services ("inproc://NAME"). A process-lifetime singleton allocated on the
// heap and never destroyed, so no static destructor runs under a live callback thread at exit.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <map>

#include "cloud/service_core.h"

namespace rtm_emulator {

class ServiceRegistry {
 public:
  static constexpr const char* kDefaultName = "default";

  static ServiceRegistry& instance();

  // Null when no service has that name. "default" always exists.
  std::shared_ptr<ServiceCore> find(const std::string& name) const;
  // appCertificate: "" (tokens are not verified) or 32 hex characters.
  bool create(const std::string& name, const std::string& limitsJson, const std::string& appCertificate,
              std::string* error);
  // Closes the service (sessions are kicked) and forgets it. Destroying "default" closes it and
  // puts a fresh default service in its place.
  bool destroy(const std::string& name);
  // Puts a fresh default service with these limits (overrides of the default profile, as for
  // create) in place of "default", whose sessions are kicked as by destroy.
  bool replaceDefault(const std::string& limitsJson, std::string* error);

 private:
  ServiceRegistry();

  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<ServiceCore>> cores_;
};

// "inproc://NAME" -> NAME; false for any other form.
bool parseInProcessUrl(const std::string& url, std::string* name);

}  // namespace rtm_emulator
