// core_bench: the emulator core's ceiling, measured through the RTM C++ interface only (no Node).
// Built by CMake under -DRTM_BUILD_BENCH=ON (target core_bench), never by install or npm test.
//
//   core_bench peer    [messages=1000000]            one sender floods a receiver's C++ handler
//   core_bench channel [messages=200000] [receivers=10]  1 sender -> R receivers in one channel
//   core_bench outbound [messages=300000] [gapNs=2000]  one caller thread sends to an offline user,
//                                                    doing gapNs of its own work between calls (as
//                                                    a JS thread does): its CPU time per call,
//                                                    and the whole process's (pool threads too)
//   core_bench scale   [clients=100000] [sampled=100] [perClient=50]
//                                                    N idle logged-in clients in one process
//
// Every mode runs on an in-process service with the 'unlimited' limits profile (no rate limit).
// Each result is one machine-readable line, `RESULT <name> <value>`, for the bench table; other
// lines are for people. Exit status 1 when something expected did not arrive (lost, duplicated
// or out-of-order events), so a broken core cannot report a figure.
#include <sys/resource.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "rtm_emulator/emulator.h"

using namespace agora::rtm;
using Clock = std::chrono::steady_clock;

namespace {

const char kAppId[] = "0123456789abcdef0123456789abcdef";
const char kService[] = "core-bench";

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

double cpuSeconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}
double processCpuSeconds() { return cpuSeconds(CLOCK_PROCESS_CPUTIME_ID); }
double threadCpuSeconds() { return cpuSeconds(CLOCK_THREAD_CPUTIME_ID); }

// A field of /proc/self/status in kB (VmRSS, VmHWM) or as a count (Threads); -1 if absent.
long long procStatus(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::size_t n = std::strlen(key);
  while (std::getline(in, line)) {
    if (line.compare(0, n, key) == 0 && line.size() > n && line[n] == ':') return std::atoll(line.c_str() + n + 1);
  }
  return -1;
}

// The decimal number at the start of text (the sequence numbers the senders write).
long long parseSeq(const char* text) {
  long long v = 0;
  for (; *text >= '0' && *text <= '9'; ++text) v = v * 10 + (*text - '0');
  return v;
}

// Writes i as the message's text, padded to a 32-byte payload (the same IMessage is reused: the
// SDK copies it when it is sent). No printf: the sender's own cost stays small beside the SDK's.
void setSeq(IMessage* message, long long i) {
  char text[33];
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + i % 10);
    i /= 10;
  } while (i > 0);
  int k = 0;
  while (n > 0) text[k++] = digits[--n];
  text[k++] = ':';
  while (k < 32) text[k++] = 'x';
  text[32] = '\0';
  message->setText(text);
}

void result(const char* name, double value) {
  std::printf("RESULT %s %.6g\n", name, value);
  std::fflush(stdout);
}

// Waits until pred() holds, polling (the counters are atomics bumped by callback threads);
// false after `limit`.
template <typename Pred>
bool waitFor(Pred pred, std::chrono::seconds limit) {
  const auto end = Clock::now() + limit;
  while (!pred()) {
    if (Clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return true;
}

// Counts logins and peer messages; remembers whether the texts "0", "1", ... (the sender's
// sequence numbers) arrived in that order.
class Counter : public IRtmServiceEventHandler {
 public:
  std::atomic<long long> logins{0}, loginFailures{0}, received{0}, results{0}, failedResults{0};
  std::atomic<bool> outOfOrder{false};
  long long next = 0;  // touched by this client's callbacks only: one at a time
  bool checkOrder = true;

  void onLoginSuccess() override { logins.fetch_add(1, std::memory_order_relaxed); }
  void onLoginFailure(LOGIN_ERR_CODE) override { loginFailures.fetch_add(1, std::memory_order_relaxed); }
  void onMessageReceivedFromPeer(const char*, const IMessage* message) override {
    if (checkOrder && parseSeq(message->getText()) != next++) outOfOrder.store(true, std::memory_order_relaxed);
    received.fetch_add(1, std::memory_order_relaxed);
  }
  void onSendMessageResult(long long, PEER_MESSAGE_ERR_CODE code) override {
    if (code != PEER_MESSAGE_ERR_OK) failedResults.fetch_add(1, std::memory_order_relaxed);
    results.fetch_add(1, std::memory_order_relaxed);
  }
};

struct Client {
  IRtmService* service = nullptr;
};

IRtmService* makeClient(IRtmServiceEventHandler* handler) {
  IRtmService* s = rtm_emulator::createRtmService();
  if (s == nullptr) return nullptr;
  const std::string params = std::string("{\"rtm.emulator.url\":\"inproc://") + kService + "\"}";
  if (s->initialize(kAppId, handler) != 0 || s->setParameters(params.c_str()) != 0) {
    s->release();
    return nullptr;
  }
  return s;
}

bool loginAndWait(IRtmService* s, Counter* c, const std::string& user) {
  const long long before = c->logins.load();
  if (s->login(nullptr, user.c_str()) != 0) return false;
  return waitFor([&] { return c->logins.load() > before; }, std::chrono::seconds(10));
}

// ---------------------------------------------------------------------------------------------

int benchPeer(long long n) {
  Counter senderH, receiverH;
  senderH.checkOrder = false;
  IRtmService* sender = makeClient(&senderH);
  IRtmService* receiver = makeClient(&receiverH);
  if (!sender || !receiver || !loginAndWait(sender, &senderH, "bench-sender") ||
      !loginAndWait(receiver, &receiverH, "bench-receiver")) {
    std::fprintf(stderr, "peer: setup failed\n");
    return 1;
  }
  IMessage* msg = sender->createMessage("0123456789abcdef0123456789abcdef");  // 32 bytes
  const long long rssBefore = procStatus("VmRSS");
  const double cpu0 = processCpuSeconds();
  const auto t0 = Clock::now();
  long long refused = 0;
  for (long long i = 0; i < n; ++i) {
    setSeq(msg, i);
    if (sender->sendMessageToPeer("bench-receiver", msg) != 0) ++refused;
  }
  const auto tSent = Clock::now();
  const bool all = waitFor([&] { return receiverH.received.load() >= n; }, std::chrono::seconds(120));
  const auto tReceived = Clock::now();
  const bool answered = waitFor([&] { return senderH.results.load() >= n; }, std::chrono::seconds(60));
  const auto tAnswered = Clock::now();
  const double cpu = processCpuSeconds() - cpu0;
  const long long hwm = procStatus("VmHWM");
  msg->release();

  std::printf("peer: %lld sent (%lld refused) in %.3f s, received %lld in %.3f s, %lld results in %.3f s\n", n,
              refused, seconds(t0, tSent), receiverH.received.load(), seconds(t0, tReceived), senderH.results.load(),
              seconds(t0, tAnswered));
  result("peer_msgs_per_s", static_cast<double>(receiverH.received.load()) / seconds(t0, tReceived));
  result("peer_results_per_s", static_cast<double>(senderH.results.load()) / seconds(t0, tAnswered));
  result("peer_send_call_us", seconds(t0, tSent) * 1e6 / static_cast<double>(n));
  result("peer_cpu_us_per_msg", cpu * 1e6 / static_cast<double>(n));
  result("peer_rss_growth_mb", static_cast<double>(procStatus("VmRSS") - rssBefore) / 1024.0);
  result("peer_peak_rss_mb", static_cast<double>(hwm) / 1024.0);
  sender->release();
  receiver->release();
  const bool ok = refused == 0 && all && answered && receiverH.received.load() == n && !receiverH.outOfOrder &&
                  senderH.failedResults.load() == 0;
  if (!ok) std::fprintf(stderr, "peer: FAILED (lost, duplicated, refused or out-of-order messages)\n");
  return ok ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------

long long voluntarySwitches() {  // of the whole process: wake-ups that put a thread to sleep
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_nvcsw;
}

// The caller's side of sendMessageToPeer: what one call costs the calling thread (locks, copies,
// and any wake-up of a pool thread it has to make), with the caller busy between calls.
int benchOutbound(long long n, long long gapNs) {
  Counter senderH;
  senderH.checkOrder = false;
  IRtmService* sender = makeClient(&senderH);
  if (!sender || !loginAndWait(sender, &senderH, "outbound-sender")) {
    std::fprintf(stderr, "outbound: setup failed\n");
    return 1;
  }
  IMessage* msg = sender->createMessage("hello, outbound");
  auto busy = [](long long ns) {
    const auto end = Clock::now() + std::chrono::nanoseconds(ns);
    while (Clock::now() < end) {
    }
  };
  // The caller's own work alone first, to subtract it.
  const double calib0 = threadCpuSeconds();
  for (long long i = 0; i < n; ++i) busy(gapNs);
  const double ownWork = threadCpuSeconds() - calib0;
  const long long switches0 = voluntarySwitches();
  const auto t0 = Clock::now();
  const double processCpu0 = processCpuSeconds();
  const double cpu0 = threadCpuSeconds();
  long long refused = 0;
  for (long long i = 0; i < n; ++i) {
    busy(gapNs);
    if (sender->sendMessageToPeer("nobody", msg) != 0) ++refused;
  }
  const double callCpu = threadCpuSeconds() - cpu0 - ownWork;
  const bool answered = waitFor([&] { return senderH.results.load() >= n; }, std::chrono::seconds(60));
  const double wall = seconds(t0, Clock::now());
  // Every thread's CPU (the pool's too: its wake-ups, any spinning) minus the caller's own work.
  const double processCpu = processCpuSeconds() - processCpu0 - ownWork;
  const long long switches = voluntarySwitches() - switches0;
  msg->release();
  std::printf("outbound: %lld calls (gap %lld ns) in %.3f s, %lld results, %lld voluntary context switches\n", n,
              gapNs, wall, senderH.results.load(), switches);
  result("outbound_caller_cpu_us_per_call", callCpu * 1e6 / static_cast<double>(n));
  result("outbound_process_cpu_us_per_call", processCpu * 1e6 / static_cast<double>(n));
  result("outbound_switches_per_call", static_cast<double>(switches) / static_cast<double>(n));
  sender->release();
  const bool ok = refused == 0 && answered && senderH.results.load() == n;
  if (!ok) std::fprintf(stderr, "outbound: FAILED\n");
  return ok ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------

class ChannelCounter : public IChannelEventHandler {
 public:
  std::atomic<bool> joined{false};
  std::atomic<long long> received{0}, results{0};
  std::atomic<bool> outOfOrder{false};
  long long next = 0;
  void onJoinSuccess() override { joined = true; }
  void onMessageReceived(const char*, const IMessage* message) override {
    if (parseSeq(message->getText()) != next++) outOfOrder.store(true, std::memory_order_relaxed);
    received.fetch_add(1, std::memory_order_relaxed);
  }
  void onSendMessageResult(long long, CHANNEL_MESSAGE_ERR_CODE) override { results.fetch_add(1); }
};

int benchChannel(long long n, int receivers) {
  const int members = receivers + 1;
  std::vector<std::unique_ptr<Counter>> handlers;
  std::vector<std::unique_ptr<ChannelCounter>> channelHandlers;
  std::vector<IRtmService*> services;
  std::vector<IChannel*> channels;
  for (int i = 0; i < members; ++i) {
    handlers.push_back(std::make_unique<Counter>());
    channelHandlers.push_back(std::make_unique<ChannelCounter>());
    IRtmService* s = makeClient(handlers.back().get());
    if (!s || !loginAndWait(s, handlers.back().get(), "bench-ch-" + std::to_string(i))) {
      std::fprintf(stderr, "channel: setup failed\n");
      return 1;
    }
    IChannel* ch = s->createChannel("bench-channel", channelHandlers.back().get());
    if (!ch || ch->join() != 0 || !waitFor([&] { return channelHandlers.back()->joined.load(); }, std::chrono::seconds(10))) {
      std::fprintf(stderr, "channel: join failed\n");
      return 1;
    }
    services.push_back(s);
    channels.push_back(ch);
  }
  IMessage* msg = services[0]->createMessage("0123456789abcdef0123456789abcdef");
  const double cpu0 = processCpuSeconds();
  const auto t0 = Clock::now();
  long long refused = 0;
  for (long long i = 0; i < n; ++i) {
    setSeq(msg, i);
    if (channels[0]->sendMessage(msg) != 0) ++refused;
  }
  const auto tSent = Clock::now();
  auto delivered = [&] {
    long long total = 0;
    for (int i = 1; i < members; ++i) total += channelHandlers[i]->received.load();
    return total;
  };
  const long long expected = n * receivers;
  const bool all = waitFor([&] { return delivered() >= expected; }, std::chrono::seconds(180));
  const auto tDone = Clock::now();
  const bool answered = waitFor([&] { return channelHandlers[0]->results.load() >= n; }, std::chrono::seconds(60));
  const double cpu = processCpuSeconds() - cpu0;
  msg->release();
  bool ordered = channelHandlers[0]->received.load() == 0;  // the sender gets none of its own
  for (int i = 1; i < members; ++i) ordered = ordered && !channelHandlers[i]->outOfOrder;

  std::printf("channel: %lld messages to %d receivers sent in %.3f s, %lld deliveries in %.3f s\n", n, receivers,
              seconds(t0, tSent), delivered(), seconds(t0, tDone));
  result("channel_deliveries_per_s", static_cast<double>(delivered()) / seconds(t0, tDone));
  result("channel_cpu_us_per_delivery", cpu * 1e6 / static_cast<double>(expected));
  for (IChannel* ch : channels) ch->release();
  for (IRtmService* s : services) s->release();
  const bool ok = refused == 0 && all && answered && delivered() == expected && ordered;
  if (!ok) std::fprintf(stderr, "channel: FAILED (lost, duplicated, refused or out-of-order messages)\n");
  return ok ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------

// The handler every idle client shares: counts logins.
class SharedLogins : public IRtmServiceEventHandler {
 public:
  std::atomic<long long> logins{0}, failures{0};
  void onLoginSuccess() override { logins.fetch_add(1, std::memory_order_relaxed); }
  void onLoginFailure(LOGIN_ERR_CODE) override { failures.fetch_add(1, std::memory_order_relaxed); }
};

// A sampled client's handler: checks that the texts "0", "1", ... arrive in that order.
class Sequence : public IRtmServiceEventHandler {
 public:
  explicit Sequence(SharedLogins* shared) : shared_(shared) {}
  std::atomic<long long> next{0};
  std::atomic<bool> outOfOrder{false};
  void onLoginSuccess() override { shared_->onLoginSuccess(); }
  void onLoginFailure(LOGIN_ERR_CODE c) override { shared_->onLoginFailure(c); }
  void onMessageReceivedFromPeer(const char*, const IMessage* message) override {
    const long long n = next.load(std::memory_order_relaxed);
    if (parseSeq(message->getText()) != n) outOfOrder = true;
    next.store(n + 1, std::memory_order_relaxed);
  }

 private:
  SharedLogins* shared_;
};

int benchScale(long long n, long long sampled, int perClient) {
  if (sampled > n) sampled = n;
  SharedLogins shared;
  const long long rss0 = procStatus("VmRSS");
  const long long threads0 = procStatus("Threads");
  std::vector<IRtmService*> services;
  services.reserve(static_cast<std::size_t>(n));
  std::vector<std::unique_ptr<Sequence>> sequences;
  const long long stride = sampled > 0 ? n / sampled : 0;
  std::vector<std::pair<long long, Sequence*>> samples;
  const auto t0 = Clock::now();
  long long refused = 0;
  for (long long i = 0; i < n; ++i) {
    IRtmServiceEventHandler* h = &shared;
    if (stride > 0 && i % stride == 0 && static_cast<long long>(samples.size()) < sampled) {
      sequences.push_back(std::make_unique<Sequence>(&shared));
      samples.emplace_back(i, sequences.back().get());
      h = sequences.back().get();
    }
    IRtmService* s = makeClient(h);
    if (s == nullptr) {
      std::fprintf(stderr, "scale: client %lld could not be initialized (out of threads or memory?)\n", i);
      break;
    }
    services.push_back(s);
    if (s->login(nullptr, ("idle-" + std::to_string(i)).c_str()) != 0) ++refused;
  }
  const long long made = static_cast<long long>(services.size());
  const bool allIn = waitFor([&] { return shared.logins.load() + shared.failures.load() >= made; },
                             std::chrono::seconds(300));
  const auto tIn = Clock::now();
  // Let the login bookkeeping settle before reading memory.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const long long rss1 = procStatus("VmRSS");
  const long long threads1 = procStatus("Threads");
  std::printf("scale: %lld of %lld clients initialized, %lld logged in (%lld refused, %lld failed) in %.3f s\n", made,
              n, shared.logins.load(), refused, shared.failures.load(), seconds(t0, tIn));
  result("scale_clients", static_cast<double>(shared.logins.load()));
  result("scale_login_all_s", seconds(t0, tIn));
  result("scale_bytes_per_client", made > 0 ? static_cast<double>(rss1 - rss0) * 1024.0 / static_cast<double>(made) : 0);
  result("scale_threads", static_cast<double>(threads1));
  std::printf("scale: threads %lld before, %lld with the clients logged in\n", threads0, threads1);

  // Events still arrive, per client in order: a sender sends each sampled client a sequence.
  bool ordered = true;
  if (!samples.empty() && allIn && made == n) {
    Counter senderH;
    senderH.checkOrder = false;
    IRtmService* sender = makeClient(&senderH);
    if (!sender || !loginAndWait(sender, &senderH, "scale-sender")) {
      std::fprintf(stderr, "scale: sender setup failed\n");
      return 1;
    }
    std::vector<IMessage*> texts;
    for (int k = 0; k < perClient; ++k) texts.push_back(sender->createMessage(std::to_string(k).c_str()));
    const auto ts = Clock::now();
    for (int k = 0; k < perClient; ++k) {
      for (auto& sample : samples) {
        const std::string peer = "idle-" + std::to_string(sample.first);
        if (sender->sendMessageToPeer(peer.c_str(), texts[k]) != 0) ++refused;
      }
    }
    const long long expected = perClient * static_cast<long long>(samples.size());
    auto got = [&] {
      long long total = 0;
      for (auto& sample : samples) total += sample.second->next.load();
      return total;
    };
    const bool all = waitFor([&] { return got() >= expected; }, std::chrono::seconds(60));
    const auto te = Clock::now();
    for (auto& sample : samples) ordered = ordered && !sample.second->outOfOrder && sample.second->next == perClient;
    ordered = ordered && all;
    std::printf("scale: %lld messages to %zu sampled clients delivered in %.3f s, in order: %s\n", got(),
                samples.size(), seconds(ts, te), ordered ? "yes" : "NO");
    result("scale_sample_in_order", ordered ? 1 : 0);
    for (IMessage* m : texts) m->release();
    sender->release();
  }
  const auto tr = Clock::now();
  for (IRtmService* s : services) s->release();
  result("scale_release_all_s", seconds(tr, Clock::now()));
  const bool ok = made == n && allIn && shared.failures.load() == 0 && refused == 0 && ordered;
  if (!ok) std::fprintf(stderr, "scale: FAILED\n");
  return ok ? 0 : 1;
}

long long arg(int argc, char** argv, int i, long long fallback) {
  return argc > i ? std::atoll(argv[i]) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  std::string error;
  if (!rtm_emulator::createInProcess(kService, "{\"profile\":\"unlimited\"}", &error)) {
    std::fprintf(stderr, "core_bench: %s\n", error.c_str());
    return 2;
  }
  std::printf("core_bench %s on %u cores\n", mode.c_str(), std::thread::hardware_concurrency());
  if (mode == "peer") return benchPeer(arg(argc, argv, 2, 1000000));
  if (mode == "channel") return benchChannel(arg(argc, argv, 2, 200000), static_cast<int>(arg(argc, argv, 3, 10)));
  if (mode == "outbound") return benchOutbound(arg(argc, argv, 2, 300000), arg(argc, argv, 3, 2000));
  if (mode == "scale") {
    return benchScale(arg(argc, argv, 2, 100000), arg(argc, argv, 3, 100), static_cast<int>(arg(argc, argv, 4, 50)));
  }
  std::fprintf(stderr,
               "usage: core_bench peer [messages] | channel [messages] [receivers] | outbound [messages] [gapNs] | "
               "scale [clients] [sampled] [messagesPerClient]\n");
  return 2;
}
