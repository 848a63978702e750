// RtmServiceImpl, parameters and logging: setParameters (where `rtm.emulator.url` picks the
// service, in-process or TCP, and with it the limits profile; AGORA_RTM_EMULATOR does the same at
// construction) and the log settings, which the emulator only
// checks and remembers as the SDK does (it writes no log).
#include <sys/stat.h>

#include <algorithm>
#include <memory>
#include <string>

#include "client/rtm_service_impl.h"
#include "cloud/service_core.h"
#include "cloud/service_registry.h"
#include "common/json.h"
#include "transport/inproc_connection.h"
#include "transport/tcp_connection.h"
#include "transport/tcp_control.h"
#include "transport/wire.h"

namespace rtm_emulator {

using namespace agora::rtm;

namespace {

constexpr int kMinLogFileSizeKb = 512;
constexpr int kMaxLogFileSizeKb = 10 * 1024;
constexpr int kSetParametersInvalid = -2;
constexpr int kSetParametersNotInitialized = -7;
constexpr int kLogSettingRefused = -1;
constexpr const char kUrlParameter[] = "rtm.emulator.url";
// true: this service's handlers never block nor call into it (the Node binding's, which only copy
// and queue), so the emulator may call them on its routing threads (RtmServiceImpl::inlineCallbacks_).
constexpr const char kInlineCallbacksParameter[] = "rtm.emulator.inline_callbacks";
// true: a peer message sent while the pump is idle is routed on the caller's thread
// (RtmServiceImpl::inlineRequests_).
constexpr const char kInlineRequestsParameter[] = "rtm.emulator.inline_requests";
// true: a message the application sends while the pump is idle waits for flush_requests (or any
// other request) before a pool thread is woken for it (RtmServiceImpl::holdRequests_); false
// sends what is held.
constexpr const char kHoldRequestsParameter[] = "rtm.emulator.hold_requests";
// true: what hold_requests held goes now (the binding, at the end of each JS tick that sent).
constexpr const char kFlushRequestsParameter[] = "rtm.emulator.flush_requests";
// Asking a TCP service for its limits: a loopback round trip takes well under a millisecond.
constexpr int kFetchLimitsTimeoutMs = 1000;

}  // namespace

int RtmServiceImpl::setParameters(const char* parameters) {
  {
    std::lock_guard<AdaptiveMutex> lock(mu_);
    if (!initialized_) return kSetParametersNotInitialized;  // observed
  }
  JsonValue root;
  if (parameters == nullptr || !parseJson(parameters, &root, nullptr) || !root.isObject()) return kSetParametersInvalid;

  ServiceChoice choice;
  bool chosen = false;
  for (const auto& m : root.members()) {
    if (m.first == kInlineCallbacksParameter || m.first == kInlineRequestsParameter) {
      if (!m.second.isBool()) return kSetParametersInvalid;
      std::lock_guard<AdaptiveMutex> lock(mu_);
      const bool on = m.second.asBool();
      // Inline requests give the pump a strand of its own (a scheduled pump keeps the strand it
      // is on: pumpOn_).
      if (m.first == kInlineRequestsParameter && on && !pumpThread_.start()) return kSetParametersInvalid;
      (m.first == kInlineCallbacksParameter ? inlineCallbacks_ : inlineRequests_) = on;
      continue;
    }
    if (m.first == kHoldRequestsParameter || m.first == kFlushRequestsParameter) {
      if (!m.second.isBool()) return kSetParametersInvalid;
      std::lock_guard<AdaptiveMutex> lock(mu_);
      if (m.first == kHoldRequestsParameter) holdRequests_ = m.second.asBool();
      if (!holdRequests_ || (m.first == kFlushRequestsParameter && m.second.asBool())) flushRequestsLocked();
      continue;
    }
    if (m.first != kUrlParameter) continue;  // other (private) options: accepted and ignored
    if (!m.second.isString()) return kSetParametersInvalid;
    // The service chosen already (AGORA_RTM_EMULATOR at construction) is not asked for its limits twice.
    if (!currentTcpService(m.second.asString(), &choice) && !resolveServiceUrl(m.second.asString(), &choice)) {
      return kSetParametersInvalid;
    }
    chosen = true;
  }
  if (chosen) {
    std::lock_guard<AdaptiveMutex> lock(mu_);
    if (state_ != CONNECTION_STATE_DISCONNECTED) return kSetParametersInvalid;  // only before login
    adoptServiceLocked(choice);
  }
  return 0;
}

bool resolveServiceUrl(const std::string& url, ServiceChoice* choice) {
  ServiceChoice c;
  if (wire::parseTcpUrl(url, &c.host, &c.port)) {
    if (!fetchServiceLimits(c.host, c.port, kFetchLimitsTimeoutMs, &c.limits)) c.limits = defaultLimits();
    *choice = c;
    return true;
  }
  if (!parseInProcessUrl(url, &c.name)) return false;
  std::shared_ptr<ServiceCore> core = ServiceRegistry::instance().find(c.name);
  if (!core) return false;
  c.limits = core->limits();
  *choice = c;
  return true;
}

bool RtmServiceImpl::currentTcpService(const std::string& url, ServiceChoice* choice) const {
  ServiceChoice c;
  if (!wire::parseTcpUrl(url, &c.host, &c.port)) return false;
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (tcpPort_ == 0 || c.port != tcpPort_ || c.host != tcpHost_) return false;
  c.limits = limits_;
  *choice = c;
  return true;
}

void RtmServiceImpl::adoptServiceLocked(const ServiceChoice& choice) {
  serviceName_ = choice.name;
  tcpHost_ = choice.host;
  tcpPort_ = choice.port;
  limits_ = choice.limits;
  resetLimitersLocked();
}

std::shared_ptr<ServiceConnection> RtmServiceImpl::connectLocked() const {
  if (tcpPort_ != 0) return makeTcpConnection(tcpHost_, tcpPort_, appId_);
  return makeInProcessConnection(ServiceRegistry::instance().find(serviceName_));
}

int RtmServiceImpl::setLogFile(const char* logfile) {
  // Observed: NULL, "" and a directory are refused; a path in a missing directory is accepted.
  // (The emulator writes no log; it only remembers the path.)
  if (logfile == nullptr || logfile[0] == '\0') return kLogSettingRefused;
  struct stat st;
  if (::stat(logfile, &st) == 0 && S_ISDIR(st.st_mode)) return kLogSettingRefused;
  std::lock_guard<AdaptiveMutex> lock(mu_);
  logFile_ = logfile;
  return 0;
}

int RtmServiceImpl::setLogFilter(LOG_FILTER_TYPE filter) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  logFilter_ = filter;
  return 0;
}

int RtmServiceImpl::setLogFileSize(int fileSizeInKBytes) {
  if (fileSizeInKBytes <= 0) return kLogSettingRefused;  // observed: 0 and -1 are refused
  std::lock_guard<AdaptiveMutex> lock(mu_);
  // Observed: other out-of-range sizes are raised to the 512 KB minimum rather than refused.
  logFileSizeKb_ = std::min(std::max(fileSizeInKBytes, kMinLogFileSizeKb), kMaxLogFileSizeKb);
  return 0;
}
}  // namespace rtm_emulator
