// runFlood (rtm_emulator/emulator.h): a benchmark's load generator. One client of the emulator,
// driven only through the RTM C++ interface exactly as an application would drive the SDK, sends
// a flood of text messages; its handler counts the results. Nothing here reaches into the cloud:
// the figures it produces are those of the same path any SDK user takes.
#include <sys/prctl.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "rtm_emulator/emulator.h"

namespace rtm_emulator {
namespace {

using namespace agora::rtm;

constexpr const char kAppId[] = "00000000000000000000000000f100d0";  // any 32 characters
constexpr auto kStepTimeout = std::chrono::seconds(10);               // login, join, leave, logout
constexpr auto kResultsTimeout = std::chrono::seconds(60);            // the last results after the last send

long long MonotonicNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

// The sender's handlers: counts results, and signals the few state changes the sender waits for.
class FloodHandler final : public IRtmServiceEventHandler, public IChannelEventHandler {
 public:
  void onLoginSuccess() override { Signal(login_, 1); }
  void onLoginFailure(LOGIN_ERR_CODE errorCode) override { Signal(login_, -static_cast<int>(errorCode) - 1); }
  void onLogout(LOGOUT_ERR_CODE) override { Signal(logout_, 1); }
  void onSendMessageResult(long long, PEER_MESSAGE_ERR_CODE code) override { Count(code == PEER_MESSAGE_ERR_OK); }
  void onJoinSuccess() override { Signal(join_, 1); }
  void onJoinFailure(JOIN_CHANNEL_ERR errorCode) override { Signal(join_, -static_cast<int>(errorCode) - 1); }
  void onLeave(LEAVE_CHANNEL_ERR) override { Signal(leave_, 1); }
  void onSendMessageResult(long long, CHANNEL_MESSAGE_ERR_CODE code) override {
    Count(code == CHANNEL_MESSAGE_ERR_OK);
  }

  // Waits until `flag` is set; its value (1: success, < 0: -(code) - 1), 0 on timeout.
  int Wait(int& flag) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, kStepTimeout, [&] { return flag != 0; });
    return flag;
  }
  int login_ = 0, logout_ = 0, join_ = 0, leave_ = 0;  // guarded by mutex_

  long long Results() const { return ok_.load(std::memory_order_acquire) + failed_.load(std::memory_order_acquire); }
  long long Ok() const { return ok_.load(std::memory_order_acquire); }
  long long Failed() const { return failed_.load(std::memory_order_acquire); }
  long long LastResultNs() const { return last_ns_.load(std::memory_order_acquire); }

  // The sender sleeps here while its window is full: woken by the result that frees a slot.
  bool WaitResults(long long atLeast, std::chrono::steady_clock::duration timeout) {
    if (Results() >= atLeast) return true;
    std::unique_lock<std::mutex> lock(mutex_);
    waiting_for_ = atLeast;
    const bool ok = changed_.wait_for(lock, timeout, [&] { return Results() >= atLeast; });
    waiting_for_ = -1;
    return ok;
  }

 private:
  void Signal(int& flag, int value) {
    std::lock_guard<std::mutex> lock(mutex_);
    flag = value;
    changed_.notify_all();
  }
  void Count(bool ok) {
    (ok ? ok_ : failed_).fetch_add(1, std::memory_order_acq_rel);
    last_ns_.store(MonotonicNs(), std::memory_order_release);
    // Results come one by one on the callback thread: the lock only when the sender may sleep.
    std::lock_guard<std::mutex> lock(mutex_);
    if (waiting_for_ >= 0 && Results() >= waiting_for_) changed_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  long long waiting_for_ = -1;  // guarded by mutex_
  std::atomic<long long> ok_{0};
  std::atomic<long long> failed_{0};
  std::atomic<long long> last_ns_{0};
};

// The cppReceiver: counts messages, notes when the last one came; with stamped texts, each
// message's latency (send → this handler), the floor under what a JS listener sees: paced, it
// takes inline callbacks as the binding does (it only counts), so its path is the JS listener's
// but for the JS thread's wake-up and work.
class CountingReceiver final : public IRtmServiceEventHandler {
 public:
  void onLoginSuccess() override { login_.store(1, std::memory_order_release); }
  void onLoginFailure(LOGIN_ERR_CODE) override { login_.store(-1, std::memory_order_release); }
  void onMessageReceivedFromPeer(const char*, const IMessage* message) override {
    const long long now = MonotonicNs();
    const long long n = received_.load(std::memory_order_relaxed);
    // One client's callbacks never overlap, so the slot is this callback's alone.
    if (n < static_cast<long long>(latencies_ns_.size()) && message != nullptr) {
      latencies_ns_[static_cast<std::size_t>(n)] = now - std::strtoll(message->getText(), nullptr, 10);
    }
    received_.store(n + 1, std::memory_order_release);
    last_ns_.store(now, std::memory_order_release);
  }
  std::atomic<int> login_{0};
  std::atomic<long long> received_{0};
  std::atomic<long long> last_ns_{0};
  std::vector<long long> latencies_ns_;  // sized before login when texts are stamped
};

// p50 / p99 in µs of the latencies after the first 10 % (warm-up), as the JS bench counts them.
void Percentiles(std::vector<long long> ns, long long count, FloodResult* result) {
  ns.resize(static_cast<std::size_t>(std::min<long long>(count, static_cast<long long>(ns.size()))));
  ns.erase(ns.begin(), ns.begin() + static_cast<std::ptrdiff_t>(ns.size() / 10));
  if (ns.empty()) return;
  std::sort(ns.begin(), ns.end());
  auto at = [&](double p) {
    return static_cast<double>(ns[std::min(ns.size() - 1, static_cast<std::size_t>(static_cast<double>(ns.size()) * p))]) / 1e3;
  };
  result->latencyP50Us = at(0.5);
  result->latencyP99Us = at(0.99);
}

// Polls `done` every millisecond for at most `timeout`.
template <typename Done>
bool PollFor(Done done, std::chrono::steady_clock::duration timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// "<ns> " then padding up to textBytes (at least the stamp), or textBytes of 'x'.
void FillText(std::string& text, const FloodOptions& options) {
  const std::size_t size = static_cast<std::size_t>(std::max(1, options.textBytes));
  if (!options.stampTime) {
    if (text.size() != size) text.assign(size, 'x');
    return;
  }
  char stamp[32];
  const int n = std::snprintf(stamp, sizeof stamp, "%lld ", MonotonicNs());
  text.assign(stamp, static_cast<std::size_t>(n));
  if (text.size() < size) text.append(size - text.size(), 'x');
}

}  // namespace

bool runFlood(const FloodOptions& options, FloodResult* result) {
  *result = FloodResult{};
  if (options.serviceUrl.rfind("inproc://", 0) != 0) {
    result->error = "serviceUrl must be inproc://NAME";
    return false;
  }
  FloodHandler handler;
  IRtmService* service = createRtmService();
  if (service == nullptr || service->initialize(kAppId, &handler) != 0) {
    result->error = "initialize failed";
    if (service != nullptr) service->release();
    return false;
  }
  const std::string parameters = "{\"rtm.emulator.url\":\"" + options.serviceUrl + "\"}";
  IChannel* channel = nullptr;
  CountingReceiver counting;
  IRtmService* receiver = nullptr;
  auto finish = [&](const char* error) {
    if (receiver != nullptr) {
      receiver->logout();
      receiver->release();
    }
    if (error != nullptr) result->error = error;
    if (channel != nullptr) {
      if (handler.join_ == 1 && channel->leave() == 0) handler.Wait(handler.leave_);
      channel->release();
    }
    if (handler.login_ == 1 && service->logout() == 0) handler.Wait(handler.logout_);
    service->release();
    return error == nullptr;
  };
  if (service->setParameters(parameters.c_str()) != 0) return finish("setParameters refused the url");
  // Paced: each message is routed on this thread as it is sent (the pump is idle between sends),
  // not by a pool thread woken for it: the latency measured is the receiving side's. (A flood
  // leaves the routing to the pump beside it.)
  if (options.ratePerSecond > 0 && service->setParameters("{\"rtm.emulator.inline_requests\":true}") != 0) {
    return finish("setParameters refused inline requests");
  }
  if (options.cppReceiver && !options.channel) {
    if (options.stampTime) counting.latencies_ns_.assign(static_cast<std::size_t>(std::max(0LL, options.count)), 0);
    receiver = createRtmService();
    if (receiver == nullptr || receiver->initialize(kAppId, &counting) != 0 ||
        receiver->setParameters(parameters.c_str()) != 0 ||
        (options.ratePerSecond > 0 && receiver->setParameters("{\"rtm.emulator.inline_callbacks\":true}") != 0) ||
        receiver->login(nullptr, options.target.c_str()) != 0 ||
        !PollFor([&] { return counting.login_.load() != 0; }, kStepTimeout) || counting.login_.load() != 1) {
      if (receiver != nullptr && counting.login_.load() != 1) {
        receiver->release();
        receiver = nullptr;
      }
      return finish("the C++ receiver could not log in");
    }
  }
  if (service->login(nullptr, options.senderId.c_str()) != 0 || handler.Wait(handler.login_) != 1) {
    return finish("login failed");
  }
  if (options.channel) {
    channel = service->createChannel(options.target.c_str(), &handler);
    if (channel == nullptr) return finish("createChannel failed");
    if (channel->join() != 0 || handler.Wait(handler.join_) != 1) return finish("join failed");
  }

  // A paced run sleeps between sends of a few µs: without the default 50 µs timer slack of a
  // thread, so the pace holds. Restored after: this runs on a libuv worker thread.
  const int slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
  if (options.ratePerSecond > 0) prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  struct SlackRestore {
    int value;
    ~SlackRestore() {
      if (value > 0) prctl(PR_SET_TIMERSLACK, static_cast<unsigned long>(value), 0, 0, 0);
    }
  } slack_restore{slack};
  std::string text;
  const long long window = std::max(1LL, options.window);
  const long long start = MonotonicNs();
  const double interval_ns = options.ratePerSecond > 0 ? 1e9 / static_cast<double>(options.ratePerSecond) : 0;
  long long refused = 0;
  const char* error = nullptr;
  for (long long i = 0; i < options.count; ++i) {
    if (i - handler.Results() - refused >= window &&
        !handler.WaitResults(i - refused - window + 1, kResultsTimeout)) {
      error = "results stopped coming";
      break;
    }
    if (interval_ns > 0) {
      // Paced: the i-th send is due at start + i·interval; sleep only when far ahead.
      // Sleeps, never spins: a spinning sender takes a whole core, which on a small machine is the
      // core the callback and JS threads need, so it would measure the benchmark, not the path.
      // Sends that fell due while asleep go out at once (their stamps are taken when sent).
      const long long due = start + static_cast<long long>(static_cast<double>(i) * interval_ns);
      const long long now = MonotonicNs();
      if (due > now) std::this_thread::sleep_for(std::chrono::nanoseconds(due - now));
    }
    FillText(text, options);
    IMessage* message = service->createMessage(text.c_str());
    if (message == nullptr) {
      error = "createMessage returned NULL";
      break;
    }
    const int rc = options.channel ? channel->sendMessage(message) : service->sendMessageToPeer(options.target.c_str(), message);
    message->release();
    if (rc == 0) ++result->sent;
    else ++refused;
  }
  if (error == nullptr && !handler.WaitResults(result->sent, kResultsTimeout)) error = "results stopped coming";
  const long long last = std::max(handler.LastResultNs(), start);
  result->elapsedMs = static_cast<double>(last - start) / 1e6;
  result->delivered = handler.Ok();
  result->failed = handler.Failed() + refused;
  if (receiver != nullptr) {
    PollFor([&] { return counting.received_.load() >= result->delivered; }, kResultsTimeout);
    result->received = counting.received_.load();
    result->receiveMs = static_cast<double>(std::max(counting.last_ns_.load(), start) - start) / 1e6;
    if (options.stampTime) Percentiles(std::move(counting.latencies_ns_), result->received, result);
  }
  return finish(error);
}

}  // namespace rtm_emulator
