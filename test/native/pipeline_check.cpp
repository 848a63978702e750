// The structures of the emulator's request pipeline (no Node): Ring (a FIFO that grows and gives
// its buffer back), KeyedWindow (pending requests by key: a ring window plus a map for the ones
// left behind), InlineFunction with arguments, HandOffBatch (strands woken when the batch ends)
// and DeferredBatch (follow-ups run at the batch's end, in order). Then the pipeline itself through
// the RTM interface: a burst of peer messages to several receivers, to a user who is offline and
// to oneself, whose results must come back once each, in call order, with the right codes; and
// several senders flooding one receiver, whose runs of messages go over to it in one hand-off each
// (SessionLink::onPeerMessages): each sender's messages once each, in order, and a receiver that
// logs out in the middle gets exactly the messages whose senders heard RECEIVED.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "check.h"
#include "client/callback_thread.h"
#include "common/block_cache.h"
#include "common/deferred_batch.h"
#include "common/inline_task.h"
#include "common/keyed_window.h"
#include "common/ring.h"

using namespace agora::rtm;
using rtm_emulator::BlockCache;
using rtm_emulator::CallbackThread;
using rtm_emulator::DeferredBatch;
using rtm_emulator::HandOffBatch;
using rtm_emulator::InlineFunction;
using rtm_emulator::InlineTask;
using rtm_emulator::KeyedWindow;
using rtm_emulator::PooledAllocator;
using rtm_emulator::Ring;

namespace {


void testRing() {
  Ring<int> ring;
  CHECK(ring.empty());
  // Interleaved pushes and pops across growth and wrap-around keep FIFO order.
  int next = 0, expect = 0;
  bool inOrder = true;
  for (int round = 0; round < 200; ++round) {
    for (int k = 0; k < round % 7 + 3; ++k) ring.push(int(next++));
    for (int k = 0; k < round % 5 + 1 && !ring.empty(); ++k) inOrder = inOrder && ring.pop() == expect++;
  }
  while (!ring.empty()) inOrder = inOrder && ring.pop() == expect++;
  CHECK(inOrder);
  CHECK_EQ(expect, next);
  // pushFront: popped next, ahead of what is queued, also when it has to grow.
  for (int i = 0; i < 4; ++i) ring.push(int(i));
  ring.pushFront(-1);
  ring.pushFront(-2);
  std::vector<int> got;
  while (!ring.empty()) got.push_back(ring.pop());
  CHECK(got == std::vector<int>({-2, -1, 0, 1, 2, 3}));
  // Values are released when popped or dropped, and by clear(), not when their slot is reused.
  auto token = std::make_shared<int>(1);
  Ring<std::shared_ptr<int>> owners;
  for (int i = 0; i < 100; ++i) owners.push(std::shared_ptr<int>(token));
  CHECK_EQ(token.use_count(), 101);
  owners.pop();
  owners.dropFront();
  CHECK_EQ(token.use_count(), 99);
  owners.clear();
  CHECK_EQ(token.use_count(), 1);
  CHECK(owners.empty());
  owners.push(std::shared_ptr<int>(token));  // usable again after release()
  CHECK_EQ(*owners.front(), 1);
}

struct Entry {
  int value = 0;
  bool armed = false;
};
struct EvictArmed {
  bool operator()(const Entry& e) const { return e.armed; }
};

void testKeyedWindow() {
  KeyedWindow<Entry> window;
  for (std::uint64_t k = 10; k < 20; ++k) window.add(k).value = static_cast<int>(k);
  CHECK_EQ(window.size(), 10u);
  CHECK(window.find(9) == nullptr);
  CHECK(window.find(20) == nullptr);
  CHECK_EQ(window.find(15)->value, 15);
  // Out of order removal; a second removal of a key finds nothing.
  CHECK(window.erase(15));
  CHECK(!window.erase(15));
  CHECK(window.find(15) == nullptr);
  CHECK(window.erase(10));
  CHECK(window.erase(11));
  CHECK_EQ(window.find(12)->value, 12);
  // Skipped keys are no entries.
  window.add(25).value = 25;
  CHECK(window.find(22) == nullptr);
  CHECK(!window.erase(22));
  std::vector<std::uint64_t> keys;
  window.forEach([&](std::uint64_t k, Entry& e) {
    keys.push_back(k);
    CHECK_EQ(e.value, static_cast<int>(k));
  });
  CHECK(keys == std::vector<std::uint64_t>({12, 13, 14, 16, 17, 18, 19, 25}));
  window.clear();
  CHECK(window.empty());
  CHECK(window.find(12) == nullptr);

  // An oldest entry that may leave (EvictAny) moves to the map once kMaxWindow newer keys came:
  // it is still found, removed, listed first.
  const std::size_t max = KeyedWindow<Entry>::kMaxWindow;
  window.add(1).value = 1;
  for (std::uint64_t k = 2; k < 2 + 3 * max; ++k) {
    window.add(k).value = static_cast<int>(k);
    window.erase(k);  // answered at once
  }
  CHECK_EQ(window.size(), 1u);
  CHECK_EQ(window.find(1)->value, 1);
  window.add(5 * max).value = 7;
  keys.clear();
  window.forEach([&](std::uint64_t k, Entry&) { keys.push_back(k); });
  CHECK(keys == std::vector<std::uint64_t>({1, 5 * max}));
  CHECK(window.erase(1));
  CHECK(!window.erase(1));
  CHECK_EQ(window.find(5 * max)->value, 7);

  // With a policy: an entry not armed (queued) keeps the window open; once armed, it moves out.
  KeyedWindow<Entry, EvictArmed> pending;
  pending.add(100).value = 100;
  for (std::uint64_t k = 101; k < 101 + 2 * max; ++k) pending.add(k).value = static_cast<int>(k);
  bool all = true;
  for (std::uint64_t k = 100; k < 101 + 2 * max; ++k) all = all && pending.find(k) && pending.find(k)->value == static_cast<int>(k);
  CHECK(all);
  for (std::uint64_t k = 101; k < 101 + 2 * max; ++k) pending.erase(k);
  pending.find(100)->armed = true;
  for (std::uint64_t k = 101 + 2 * max; k < 101 + 4 * max; ++k) {
    pending.add(k);
    pending.erase(k);
  }
  CHECK_EQ(pending.size(), 1u);
  CHECK(pending.find(100) != nullptr && pending.find(100)->armed);
  CHECK(pending.erase(100));
  CHECK(pending.empty());
}

void testInlineFunctionArguments() {
  InlineFunction<int(int, const std::string&)> add = [base = 5](int x, const std::string& s) {
    return base + x + static_cast<int>(s.size());
  };
  CHECK_EQ(add(1, "abc"), 9);
  // Move-only captures; a large capture goes to the heap and still runs and is freed once.
  auto token = std::make_shared<int>(2);
  struct Big {
    char pad[128];
  } big{};
  InlineFunction<int(int)> large = [token, big, owned = std::make_unique<int>(3)](int x) {
    return *token * x + *owned + big.pad[0];
  };
  InlineFunction<int(int)> moved = std::move(large);
  CHECK(!large);
  CHECK_EQ(moved(10), 23);
  CHECK_EQ(token.use_count(), 2);
  moved = nullptr;
  CHECK_EQ(token.use_count(), 1);
  // An argument passed by value reaches the callable moved, not copied.
  InlineFunction<std::size_t(std::string)> size = [](std::string s) { return s.size(); };
  CHECK_EQ(size(std::string(100, 'x')), 100u);
}

void testHandOffBatch() {
  CallbackThread a, b;
  CHECK(a.start());
  CHECK(b.start());
  std::mutex mu;
  std::vector<std::string> ran;
  auto record = [&](const std::string& what) {
    std::lock_guard<std::mutex> lock(mu);
    ran.push_back(what);
  };
  {
    HandOffBatch batch;
    a.post([&] { record("a1"); });
    b.post([&] { record("b1"); });
    {
      HandOffBatch inner;  // an inner batch hands nothing over when it ends
      a.post([&] { record("a2"); });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::lock_guard<std::mutex> lock(mu);
    CHECK(ran.empty());  // idle strands made runnable in a batch wait for its end
  }
  CHECK(eventually([&] {
    std::lock_guard<std::mutex> lock(mu);
    return ran.size() == 3;
  }));
  {
    std::lock_guard<std::mutex> lock(mu);
    std::vector<std::string> onA;
    for (const auto& r : ran) {
      if (r[0] == 'a') onA.push_back(r);
    }
    CHECK(onA == std::vector<std::string>({"a1", "a2"}));
  }
  // Posts from a task to its own (running) strand and to another one, inside a batch.
  std::atomic<int> count{0};
  a.post([&] {
    HandOffBatch batch;
    for (int i = 0; i < 1000; ++i) {
      b.post([&count, i] {
        if (count.load() == i) count.fetch_add(1);
      });
    }
  });
  CHECK(eventually([&] { return count.load() == 1000; }));
  a.stop();
  b.stop();
}

void testDeferredBatch() {
  std::vector<int> order;
  DeferredBatch::defer([&] { order.push_back(0); });  // no batch: at once
  CHECK(order == std::vector<int>({0}));
  CHECK(!DeferredBatch::active());
  {
    DeferredBatch batch;
    CHECK(DeferredBatch::active());
    DeferredBatch::defer([&] {
      order.push_back(2);
      DeferredBatch::defer([&] { order.push_back(4); });  // queued behind what is queued
    });
    DeferredBatch::defer([&] { order.push_back(3); });
    {
      DeferredBatch inner;
      DeferredBatch::defer([&] { order.push_back(5); });
    }
    order.push_back(1);
    CHECK(order == std::vector<int>({0, 1}));
    DeferredBatch::runQueued();
    CHECK(order == std::vector<int>({0, 1, 2, 3, 5, 4}));
    DeferredBatch::defer([&] { order.push_back(6); });
  }
  CHECK(order == std::vector<int>({0, 1, 2, 3, 5, 4, 6}));
  CHECK(!DeferredBatch::active());
}

// --- the pipeline through the RTM interface ---

class Recorder : public IRtmServiceEventHandler {
 public:
  std::mutex mu;
  std::vector<std::string> events;
  std::atomic<int> logins{0}, results{0}, received{0};
  void onLoginSuccess() override { ++logins; }
  void onMessageReceivedFromPeer(const char* peerId, const IMessage* message) override {
    std::lock_guard<std::mutex> lock(mu);
    events.push_back(std::string("recv ") + peerId + " " + message->getText());
    ++received;
  }
  void onSendMessageResult(long long id, PEER_MESSAGE_ERR_CODE code) override {
    std::lock_guard<std::mutex> lock(mu);
    events.push_back("result " + std::to_string(id) + " " + std::to_string(code));
    ++results;
  }
};

IRtmService* client(Recorder* r, const char* user) {
  IRtmService* s = rtm_emulator::createRtmService();
  if (s == nullptr || s->initialize(kAppId, r) != 0 ||
      s->setParameters("{\"rtm.emulator.url\":\"inproc://pipeline\"}") != 0 || s->login(nullptr, user) != 0) {
    return nullptr;
  }
  return eventually([&] { return r->logins.load() == 1; }) ? s : nullptr;
}

// With `inlineSender`, alice routes each message on her own thread when her pump is idle
// (rtm.emulator.inline_requests): the same order of answers and deliveries.
void testBurstResultsInCallOrder(bool inlineSender) {
  std::string error;
  CHECK(rtm_emulator::createInProcess("pipeline", "{\"profile\":\"unlimited\"}", &error));
  Recorder ra, rb, rc;
  IRtmService* a = client(&ra, "alice");
  IRtmService* b = client(&rb, "bob");
  IRtmService* c = client(&rc, "carol");
  CHECK(a && b && c);
  if (!a || !b || !c) return;
  if (inlineSender) CHECK_EQ(a->setParameters("{\"rtm.emulator.inline_requests\":true}"), 0);
  // A burst to two receivers, an offline user and oneself, interleaved: the pump sends runs of
  // them, empties the receivers' outboxes one after the other and must still answer in call order.
  const char* targets[] = {"bob", "carol", "nobody", "bob", "alice", "carol"};
  constexpr int kRounds = 500;
  std::vector<std::pair<long long, int>> expected;  // message id, result code
  std::vector<std::string> toBob, toCarol, toSelf;
  for (int i = 0; i < kRounds; ++i) {
    for (const char* t : targets) {
      const std::string text = std::to_string(expected.size());
      IMessage* m = a->createMessage(text.c_str());
      CHECK_EQ(a->sendMessageToPeer(t, m), 0);
      const std::string who(t);
      expected.emplace_back(m->getMessageId(), who == "nobody" ? PEER_MESSAGE_ERR_PEER_UNREACHABLE : PEER_MESSAGE_ERR_OK);
      if (who == "bob") toBob.push_back("recv alice " + text);
      if (who == "carol") toCarol.push_back("recv alice " + text);
      if (who == "alice") toSelf.push_back("recv alice " + text);
      m->release();
    }
  }
  const int n = static_cast<int>(expected.size());
  CHECK(eventually([&] { return ra.results.load() == n; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // nothing more may come
  CHECK_EQ(ra.results.load(), n);
  CHECK(eventually([&] { return rb.received.load() == static_cast<int>(toBob.size()); }));
  CHECK(eventually([&] { return rc.received.load() == static_cast<int>(toCarol.size()); }));
  std::vector<std::string> results, self;
  {
    std::lock_guard<std::mutex> lock(ra.mu);
    // Each message to oneself arrives before its own result.
    std::size_t selfSeen = 0;
    bool selfFirst = true;
    for (const std::string& e : ra.events) {
      if (e.rfind("result ", 0) == 0) {
        results.push_back(e);
      } else {
        self.push_back(e);
        ++selfSeen;
      }
      if (e.rfind("result ", 0) == 0 && results.size() <= expected.size()) {
        // The result of the k-th self message comes after the k-th self delivery.
        const std::size_t idx = results.size() - 1;
        if (idx % 6 == 4 && selfSeen < idx / 6 + 1) selfFirst = false;
      }
    }
    CHECK(selfFirst);
  }
  std::vector<std::string> want;
  for (const auto& e : expected) want.push_back("result " + std::to_string(e.first) + " " + std::to_string(e.second));
  CHECK(results == want);  // once each, in call order, with its code
  CHECK(self == toSelf);
  {
    std::lock_guard<std::mutex> lock(rb.mu);
    CHECK(rb.events == toBob);
  }
  {
    std::lock_guard<std::mutex> lock(rc.mu);
    CHECK(rc.events == toCarol);
  }
  a->release();
  b->release();
  c->release();
  CHECK(rtm_emulator::destroyInProcess("pipeline"));
}

// A receiver that logs out from its handler once it has `logoutAfter` messages (0: never).
class LogoutRecorder : public Recorder {
 public:
  IRtmService* service = nullptr;
  int logoutAfter = 0;
  std::atomic<bool> loggedOut{false};
  void onMessageReceivedFromPeer(const char* peerId, const IMessage* message) override {
    Recorder::onMessageReceivedFromPeer(peerId, message);
    if (logoutAfter > 0 && received.load() == logoutAfter) {
      loggedOut = true;
      service->logout();
    }
  }
};

// Three clients flood a fourth from three threads. With `logoutAfter` > 0 the receiver logs out
// (from its handler) once it has that many messages: what it got must be exactly the messages answered RECEIVED
// (taken), the rest PEER_UNREACHABLE (not taken), each answered once. With `inlineReceiver` the
// receiver's handlers are declared inline-safe (rtm.emulator.inline_callbacks): messages reach them
// on the senders' pump threads whenever its strand is idle, with the same guarantees; with
// `inlineSenders` each sender routes its message on its own thread when its pump is idle
// (rtm.emulator.inline_requests).
void floodOneReceiver(const char* service, int logoutAfter, bool inlineReceiver, bool inlineSenders = false) {
  std::string error;
  CHECK(rtm_emulator::createInProcess(service, "{\"profile\":\"unlimited\"}", &error));
  const std::string url = std::string("{\"rtm.emulator.url\":\"inproc://") + service + "\"}";
  auto make = [&](Recorder* r, const char* user) -> IRtmService* {
    IRtmService* s = rtm_emulator::createRtmService();
    if (s == nullptr || s->initialize(kAppId, r) != 0 || s->setParameters(url.c_str()) != 0 ||
        s->login(nullptr, user) != 0) {
      return nullptr;
    }
    return eventually([&] { return r->logins.load() == 1; }) ? s : nullptr;
  };
  constexpr int kSenders = 3, kEach = 4000;
  LogoutRecorder receiverLog;
  IRtmService* receiver = make(&receiverLog, "sink");
  if (inlineReceiver && receiver != nullptr) {
    CHECK_EQ(receiver->setParameters("{\"rtm.emulator.inline_callbacks\":true}"), 0);
  }
  receiverLog.service = receiver;
  receiverLog.logoutAfter = logoutAfter;
  Recorder senderLogs[kSenders];
  IRtmService* senders[kSenders];
  const char* names[kSenders] = {"s0", "s1", "s2"};
  for (int i = 0; i < kSenders; ++i) {
    senders[i] = make(&senderLogs[i], names[i]);
    if (inlineSenders && senders[i] != nullptr) {
      CHECK_EQ(senders[i]->setParameters("{\"rtm.emulator.inline_requests\":true}"), 0);
    }
  }
  CHECK(receiver != nullptr);
  for (IRtmService* s : senders) CHECK(s != nullptr);
  if (receiver == nullptr || !senders[0] || !senders[1] || !senders[2]) return;
  std::vector<std::thread> threads;
  for (int i = 0; i < kSenders; ++i) {
    threads.emplace_back([&, i] {
      IMessage* m = senders[i]->createMessage("");
      for (int k = 0; k < kEach; ++k) {
        m->setText(std::to_string(k).c_str());
        CHECK_EQ(senders[i]->sendMessageToPeer("sink", m), 0);
      }
      m->release();
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kSenders; ++i) CHECK(eventually([&] { return senderLogs[i].results.load() == kEach; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // nothing more may come
  int okResults = 0;
  for (int i = 0; i < kSenders; ++i) {
    CHECK_EQ(senderLogs[i].results.load(), kEach);
    std::lock_guard<std::mutex> lock(senderLogs[i].mu);
    for (const std::string& e : senderLogs[i].events) {
      const int code = std::atoi(e.substr(e.rfind(' ') + 1).c_str());
      if (code == PEER_MESSAGE_ERR_OK) ++okResults;
      if (logoutAfter == 0) CHECK_EQ(code, PEER_MESSAGE_ERR_OK);
      if (code != PEER_MESSAGE_ERR_OK) CHECK_EQ(code, PEER_MESSAGE_ERR_PEER_UNREACHABLE);
    }
  }
  // RECEIVED means the receiver's link took the message, not that its handler ran: a receiver
  // whose callbacks lag (a slow machine, ThreadSanitizer) still has them queued. Wait for them,
  // then for anything beyond them.
  CHECK(eventually([&] { return receiverLog.received.load() >= okResults; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  {
    std::lock_guard<std::mutex> lock(receiverLog.mu);
    // Per sender: 0, 1, 2, ... with no gap or repeat (after a logout: a prefix of that).
    int next[kSenders] = {0, 0, 0};
    bool ordered = true;
    int got = 0;
    for (const std::string& e : receiverLog.events) {
      if (e.rfind("recv ", 0) != 0) continue;
      ++got;
      const std::size_t sp = e.find(' ', 5);
      const std::string from = e.substr(5, sp - 5);
      const int seq = std::atoi(e.c_str() + sp + 1);
      for (int i = 0; i < kSenders; ++i) {
        if (from == names[i]) ordered = ordered && seq == next[i]++;
      }
    }
    CHECK(ordered);
    CHECK_EQ(got, okResults);  // taken exactly when answered RECEIVED
    if (logoutAfter == 0) CHECK_EQ(got, kSenders * kEach);
  }
  if (logoutAfter > 0) CHECK(receiverLog.loggedOut.load());
  for (IRtmService* s : senders) s->release();
  receiver->release();
  CHECK(rtm_emulator::destroyInProcess(service));
}

// BlockCache / PooledAllocator (what a PeerDelivery is made with): a freed block is reused by the
// next allocation on that thread, a thread keeps at most kMaxCached, and objects handed between
// threads (made on one, released on another, as a delivery's answer may be) are neither lost nor
// shared: each keeps its own value until released.
struct PooledThing {
  std::uint64_t id = 0;
  std::string text;
  char pad[96] = {};
};

void testBlockCache() {
  using Cache = BlockCache<64>;
  void* a = Cache::allocate();
  const std::size_t before = Cache::cachedOnThisThread();
  Cache::deallocate(a);
  CHECK_EQ(Cache::cachedOnThisThread(), before + 1);
  CHECK(Cache::allocate() == a);  // reused, not a new block
  CHECK_EQ(Cache::cachedOnThisThread(), before);
  Cache::deallocate(a);
  std::vector<void*> many;
  for (std::size_t i = 0; i < Cache::kMaxCached + 50; ++i) many.push_back(Cache::allocate());
  for (void* p : many) Cache::deallocate(p);
  CHECK_EQ(Cache::cachedOnThisThread(), Cache::kMaxCached);  // bounded: the rest went back to the heap

  // Three threads make objects and hand them to the next one, which checks and releases them.
  constexpr int kThreads = 3;
  constexpr std::uint64_t kEach = 20000;
  std::mutex mu;
  std::vector<std::shared_ptr<PooledThing>> inbox[kThreads];
  std::atomic<std::uint64_t> released{0}, bad{0};
  std::atomic<int> producing{kThreads};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      PooledAllocator<PooledThing> alloc;
      std::vector<std::shared_ptr<PooledThing>> mine;
      auto check = [&](std::vector<std::shared_ptr<PooledThing>>& got) {
        for (auto& p : got) {
          if (p->text != "thing " + std::to_string(p->id)) ++bad;
          ++released;
        }
        got.clear();
      };
      for (std::uint64_t i = 0; i < kEach; ++i) {
        auto p = std::allocate_shared<PooledThing>(alloc);
        p->id = static_cast<std::uint64_t>(t) * kEach + i;
        p->text = "thing " + std::to_string(p->id);
        mine.push_back(std::move(p));
        if (mine.size() == 64) {
          std::vector<std::shared_ptr<PooledThing>> got;
          {
            std::lock_guard<std::mutex> lock(mu);
            for (auto& q : mine) inbox[(t + 1) % kThreads].push_back(std::move(q));
            got.swap(inbox[t]);
          }
          mine.clear();
          check(got);
        }
      }
      {
        std::lock_guard<std::mutex> lock(mu);
        for (auto& q : mine) inbox[(t + 1) % kThreads].push_back(std::move(q));
      }
      --producing;
      while (producing.load() > 0) std::this_thread::yield();
      std::vector<std::shared_ptr<PooledThing>> got;
      {
        std::lock_guard<std::mutex> lock(mu);
        got.swap(inbox[t]);
      }
      check(got);
    });
  }
  for (auto& th : threads) th.join();
  CHECK_EQ(released.load(), kThreads * kEach);  // every object reached its consumer once
  CHECK_EQ(bad.load(), 0u);                       // with its own value: no block was shared
}

void testSendersFloodOneReceiver() {
  floodOneReceiver("pipeline-flood", 0, false);
  floodOneReceiver("pipeline-flood-logout", 2000, false);
  floodOneReceiver("pipeline-flood-inline", 0, true);
  floodOneReceiver("pipeline-flood-inline-logout", 2000, true);
  floodOneReceiver("pipeline-flood-inline-both", 0, true, true);
  floodOneReceiver("pipeline-flood-inline-both-logout", 2000, true, true);
}

}  // namespace

int main() {
  testRing();
  testKeyedWindow();
  testInlineFunctionArguments();
  testBlockCache();
  testDeferredBatch();
  testHandOffBatch();
  testBurstResultsInCallOrder(false);
  testBurstResultsInCallOrder(true);
  testSendersFloodOneReceiver();
  return finish("pipeline_check");
}
