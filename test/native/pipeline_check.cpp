// The emulator's request pipeline (no Node): HandOffBatch (strands woken when the batch ends) and
// DeferredBatch (follow-ups run at the batch's end, in order); then the pipeline itself through the
// RTM interface: a burst of peer messages to several receivers, to a user who is offline and to
// oneself, whose results must come back once each, in call order, with the right codes; and
// several senders flooding one receiver, whose runs of messages go over to it in one hand-off each
// (SessionLink::onPeerMessages): each sender's messages once each, in order, and a receiver that
// logs out in the middle gets exactly the messages whose senders heard RECEIVED. Both also with
// inline callbacks and inline requests (rtm.emulator.inline_callbacks / inline_requests). Held
// requests (rtm.emulator.hold_requests / flush_requests): what waits, and what sends it. The
// containers underneath are checked by containers_check.cpp.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "check.h"
#include "client/callback_thread.h"
#include "common/deferred_batch.h"

using namespace agora::rtm;
using rtm_emulator::CallbackThread;
using rtm_emulator::DeferredBatch;
using rtm_emulator::HandOffBatch;

namespace {

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

// A client of the in-process service `service`, logged in as `user`; NULL if any step failed.
IRtmService* client(Recorder* r, const char* user, const std::string& service = "pipeline") {
  const std::string url = "{\"rtm.emulator.url\":\"inproc://" + service + "\"}";
  IRtmService* s = rtm_emulator::createRtmService();
  if (s == nullptr || s->initialize(kAppId, r) != 0 || s->setParameters(url.c_str()) != 0 ||
      s->login(nullptr, user) != 0) {
    return nullptr;
  }
  return eventually([&] { return r->logins.load() == 1; }) ? s : nullptr;
}

// How alice sends in testBurstResultsInCallOrder.
enum class Sender { kPlain, kInline, kHeld };

// With Sender::kInline, alice routes each message on her own thread when her pump is idle
// (rtm.emulator.inline_requests); with kHeld her pump's wake-up waits for a flush_requests after
// every 7 sends, as the binding's once per JS tick (rtm.emulator.hold_requests): the same order
// of answers and deliveries.
void testBurstResultsInCallOrder(Sender sender) {
  std::string error;
  CHECK(rtm_emulator::createInProcess("pipeline", "{\"profile\":\"unlimited\"}", &error));
  Recorder ra, rb, rc;
  IRtmService* a = client(&ra, "alice");
  IRtmService* b = client(&rb, "bob");
  IRtmService* c = client(&rc, "carol");
  CHECK(a && b && c);
  if (!a || !b || !c) return;
  if (sender == Sender::kInline) CHECK_EQ(a->setParameters("{\"rtm.emulator.inline_requests\":true}"), 0);
  if (sender == Sender::kHeld) CHECK_EQ(a->setParameters("{\"rtm.emulator.hold_requests\":true}"), 0);
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
      if (sender == Sender::kHeld && expected.size() % 7 == 0) {
        CHECK_EQ(a->setParameters("{\"rtm.emulator.flush_requests\":true}"), 0);
      }
    }
  }
  if (sender == Sender::kHeld) CHECK_EQ(a->setParameters("{\"rtm.emulator.flush_requests\":true}"), 0);
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

// Held requests (rtm.emulator.hold_requests): messages sent while the pump is idle stay unrouted
// until flush_requests, another kind of request, hold_requests false, or release (which drops them,
// unanswered, as it drops everything pending).
void testHeldRequests() {
  std::string error;
  CHECK(rtm_emulator::createInProcess("pipeline-held", "{\"profile\":\"unlimited\"}", &error));
  Recorder ra, rb;
  IRtmService* a = client(&ra, "alice", "pipeline-held");
  IRtmService* b = client(&rb, "bob", "pipeline-held");
  CHECK(a && b);
  if (!a || !b) return;
  CHECK_EQ(a->setParameters("{\"rtm.emulator.hold_requests\":\"yes\"}"), -2);  // a boolean only
  CHECK_EQ(a->setParameters("{\"rtm.emulator.flush_requests\":1}"), -2);
  CHECK_EQ(a->setParameters("{\"rtm.emulator.hold_requests\":true}"), 0);
  const auto send = [&](const char* text) {
    IMessage* m = a->createMessage(text);
    CHECK_EQ(a->sendMessageToPeer("bob", m), 0);
    m->release();
  };
  const auto quiet = [] { std::this_thread::sleep_for(std::chrono::milliseconds(100)); };

  // Held until flush_requests; a flush with nothing held does nothing.
  send("1");
  send("2");
  quiet();
  CHECK_EQ(rb.received.load(), 0);
  CHECK_EQ(ra.results.load(), 0);
  CHECK_EQ(a->setParameters("{\"rtm.emulator.flush_requests\":true}"), 0);
  CHECK(eventually([&] { return rb.received.load() == 2 && ra.results.load() == 2; }));
  CHECK_EQ(a->setParameters("{\"rtm.emulator.flush_requests\":true}"), 0);

  // Another kind of request takes the held messages along, in call order.
  send("3");
  quiet();
  CHECK_EQ(rb.received.load(), 2);
  const char* peers[] = {"bob"};
  long long requestId = 0;
  CHECK_EQ(a->queryPeersOnlineStatus(peers, 1, requestId), 0);
  CHECK(eventually([&] { return rb.received.load() == 3 && ra.results.load() == 3; }));

  // A long burst is not held whole: past 256 requests the pump runs while the rest is sent.
  for (int i = 0; i < 300; ++i) send("burst");
  CHECK(eventually([&] { return rb.received.load() >= 3 + 256; }));
  CHECK_EQ(a->setParameters("{\"rtm.emulator.flush_requests\":true}"), 0);
  CHECK(eventually([&] { return rb.received.load() == 303 && ra.results.load() == 303; }));

  // hold_requests false sends what is held and holds nothing more.
  send("4");
  quiet();
  CHECK_EQ(rb.received.load(), 303);
  CHECK_EQ(a->setParameters("{\"rtm.emulator.hold_requests\":false}"), 0);
  CHECK(eventually([&] { return rb.received.load() == 304; }));
  send("5");
  CHECK(eventually([&] { return rb.received.load() == 305 && ra.results.load() == 305; }));
  {
    std::lock_guard<std::mutex> lock(rb.mu);
    std::vector<std::string> want = {"recv alice 1", "recv alice 2", "recv alice 3"};
    want.insert(want.end(), 300, "recv alice burst");
    want.push_back("recv alice 4");
    want.push_back("recv alice 5");
    CHECK(rb.events == want);
  }

  // Released with a message held: nothing routed, nothing leaked (the sanitizer builds).
  CHECK_EQ(a->setParameters("{\"rtm.emulator.hold_requests\":true}"), 0);
  send("6");
  a->release();
  quiet();
  CHECK_EQ(rb.received.load(), 305);
  b->release();
  CHECK(rtm_emulator::destroyInProcess("pipeline-held"));
}

// A channel message is held as a peer message is.
void testHeldChannelMessages() {
  std::string error;
  CHECK(rtm_emulator::createInProcess("pipeline-held-channel", "{\"profile\":\"unlimited\"}", &error));
  class Members : public IChannelEventHandler {
   public:
    std::atomic<int> joined{0}, received{0}, results{0};
    void onJoinSuccess() override { ++joined; }
    void onMessageReceived(const char*, const IMessage*) override { ++received; }
    void onSendMessageResult(long long, CHANNEL_MESSAGE_ERR_CODE) override { ++results; }
  };
  Recorder ra, rb;
  Members ma, mb;
  IRtmService* services[2] = {nullptr, nullptr};
  IChannel* channels[2] = {nullptr, nullptr};
  Recorder* recorders[2] = {&ra, &rb};
  Members* members[2] = {&ma, &mb};
  const char* users[2] = {"alice", "bob"};
  for (int i = 0; i < 2; ++i) {
    IRtmService* s = client(recorders[i], users[i], "pipeline-held-channel");
    services[i] = s;
    CHECK(s != nullptr);
    if (s == nullptr) return;
    channels[i] = s->createChannel("room", members[i]);
    CHECK(channels[i] != nullptr);
    if (channels[i] == nullptr) return;
    CHECK_EQ(channels[i]->join(), 0);
    CHECK(eventually([&] { return members[i]->joined.load() == 1; }));
  }
  CHECK_EQ(services[0]->setParameters("{\"rtm.emulator.hold_requests\":true}"), 0);
  IMessage* m = services[0]->createMessage("hello");
  CHECK_EQ(channels[0]->sendMessage(m), 0);
  m->release();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK_EQ(mb.received.load(), 0);
  CHECK_EQ(ma.results.load(), 0);
  CHECK_EQ(services[0]->setParameters("{\"rtm.emulator.flush_requests\":true}"), 0);
  CHECK(eventually([&] { return mb.received.load() == 1 && ma.results.load() == 1; }));
  for (int i = 0; i < 2; ++i) {
    channels[i]->release();
    services[i]->release();
  }
  CHECK(rtm_emulator::destroyInProcess("pipeline-held-channel"));
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
  constexpr int kSenders = 3, kEach = 4000;
  LogoutRecorder receiverLog;
  IRtmService* receiver = client(&receiverLog, "sink", service);
  if (inlineReceiver && receiver != nullptr) {
    CHECK_EQ(receiver->setParameters("{\"rtm.emulator.inline_callbacks\":true}"), 0);
  }
  receiverLog.service = receiver;
  receiverLog.logoutAfter = logoutAfter;
  Recorder senderLogs[kSenders];
  IRtmService* senders[kSenders];
  const char* names[kSenders] = {"s0", "s1", "s2"};
  for (int i = 0; i < kSenders; ++i) {
    senders[i] = client(&senderLogs[i], names[i], service);
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
  // RECEIVED means the receiving client took the message; its handler may run a little later
  // (much later on a slow, instrumented build): wait for as many as were answered RECEIVED.
  const auto answeredOk = [&] {
    int ok = 0;
    for (int i = 0; i < kSenders; ++i) {
      std::lock_guard<std::mutex> lock(senderLogs[i].mu);
      for (const std::string& e : senderLogs[i].events) {
        if (std::atoi(e.substr(e.rfind(' ') + 1).c_str()) == PEER_MESSAGE_ERR_OK) ++ok;
      }
    }
    return ok;
  };
  const int expectReceived = answeredOk();
  CHECK(eventually([&] {
    std::lock_guard<std::mutex> lock(receiverLog.mu);
    int got = 0;
    for (const std::string& e : receiverLog.events) got += e.rfind("recv ", 0) == 0 ? 1 : 0;
    return got >= expectReceived;
  }));
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
  testDeferredBatch();
  testHandOffBatch();
  testBurstResultsInCallOrder(Sender::kPlain);
  testBurstResultsInCallOrder(Sender::kInline);
  testBurstResultsInCallOrder(Sender::kHeld);
  testHeldRequests();
  testHeldChannelMessages();
  testSendersFloodOneReceiver();
  return finish("pipeline_check");
}
