// Checks the emulator's channels: createChannel, join / leave / getMembers / sendMessage with
// every code (sync vs async), who gets which channel callback, member events and their 512
// cut-off, member-count updates and their throttling, channel attributes (limits, notification,
// lastUpdate fields), getChannelMemberCount, and what logout, kicks, link loss and release do to
// memberships. Plain C++: drives rtm_emulator::createRtmService() directly.
// Prints one line per failed check and a summary; exits non-zero when anything failed.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "check.h"

using namespace agora::rtm;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kWait = std::chrono::seconds(5);
constexpr auto kSettle = std::chrono::milliseconds(20);
constexpr auto kQuiet = std::chrono::milliseconds(80);
struct LogTiming {
  static constexpr auto timeout = kWait;
  static constexpr auto settle = kSettle;
  static constexpr auto quiet = kQuiet;
  static constexpr bool countWaitAsCheck = true;
};

std::string num(long long n) { return std::to_string(n); }

long long nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string attrList(const IRtmChannelAttribute* const* a, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    const std::string value = a[i]->getValue();
    out += std::string(i ? "," : " ") + a[i]->getKey() + "=" + (value.size() <= 16 ? value : "#" + num(value.size()));
  }
  return out;
}

using EventLog = BasicEventLog<LogTiming>;

// A received channel attribute, copied inside the callback.
struct Attr {
  std::string key, value, user;
  long long ts = 0;
};

class ServiceRecorder : public IRtmServiceEventHandler, public EventLog {
 public:
  void onLoginSuccess() override { add("loginSuccess"); }
  void onLoginFailure(LOGIN_ERR_CODE c) override { add("loginFailure " + num(c)); }
  void onLogout(LOGOUT_ERR_CODE c) override { add("logout " + num(c)); }
  void onConnectionStateChanged(CONNECTION_STATE s, CONNECTION_CHANGE_REASON r) override {
    add("state " + num(s) + " " + num(r));
  }
  void onSendMessageResult(long long id, PEER_MESSAGE_ERR_CODE c) override { add(ev("peerSent", id, c)); }
  void onSetChannelAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR c) override { add(ev("setCA", id, c)); }
  void onAddOrUpdateChannelAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR c) override {
    add(ev("addCA", id, c));
  }
  void onDeleteChannelAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR c) override { add(ev("delCA", id, c)); }
  void onClearChannelAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR c) override { add(ev("clearCA", id, c)); }
  void onGetChannelAttributesResult(long long id, const IRtmChannelAttribute* a[], int n,
                                    ATTRIBUTE_OPERATION_ERR c) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      got_.clear();
      for (int i = 0; i < n; ++i) {
        got_.push_back(Attr{a[i]->getKey(), a[i]->getValue(), a[i]->getLastUpdateUserId(), a[i]->getLastUpdateTs()});
      }
    }
    add(ev("getCA", id, c) + attrList(a, n));
  }
  void onGetChannelMemberCountResult(long long id, const ChannelMemberCount* counts, int n,
                                     GET_CHANNEL_MEMBER_COUNT_ERR_CODE c) override {
    std::string e = ev("counts", id, c);
    for (int i = 0; i < n; ++i) e += std::string(i ? "," : " ") + counts[i].channelId + ":" + num(counts[i].count);
    add(e);
  }
  std::vector<Attr> lastGet() {
    std::lock_guard<std::mutex> lock(mu_);
    return got_;
  }

 private:
  std::vector<Attr> got_;
};

class ChannelRecorder : public IChannelEventHandler, public EventLog {
 public:
  void onJoinSuccess() override { add("joined"); }
  void onJoinFailure(JOIN_CHANNEL_ERR c) override { add("joinFailure " + num(c)); }
  void onLeave(LEAVE_CHANNEL_ERR c) override { add("leave " + num(c)); }
  void onMessageReceived(const char* userId, const IMessage* m) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      lastTs_ = m->getServerReceivedTs();
      lastId_ = m->getMessageId();
      lastOffline_ = m->isOfflineMessage();
      lastRaw_.assign(m->getRawMessageData() == nullptr ? "" : m->getRawMessageData(),
                      static_cast<std::size_t>(m->getRawMessageLength()));
    }
    add(std::string("msg ") + userId + " " + (m->getMessageType() == MESSAGE_TYPE_RAW ? "raw:" : "") + m->getText());
  }
  void onSendMessageResult(long long id, CHANNEL_MESSAGE_ERR_CODE c) override { add(ev("sent", id, c)); }
  void onMemberJoined(IChannelMember* m) override {
    add(std::string("+") + m->getUserId() + (std::strcmp(m->getChannelId(), expectedId_.c_str()) == 0 ? "" : "!"));
  }
  void onMemberLeft(IChannelMember* m) override {
    add(std::string("-") + m->getUserId() + (std::strcmp(m->getChannelId(), expectedId_.c_str()) == 0 ? "" : "!"));
  }
  void onGetMembers(IChannelMember** members, int n, GET_MEMBERS_ERR c) override {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) ids.push_back(members[i]->getUserId());
    std::sort(ids.begin(), ids.end());
    std::string e = "members " + num(c);
    for (std::size_t i = 0; i < ids.size(); ++i) e += std::string(i ? "," : " ") + ids[i];
    add(e);
  }
  void onAttributesUpdated(const IRtmChannelAttribute* a[], int n) override { add("attrs" + attrList(a, n)); }
  void onMemberCountUpdated(int n) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      countTimes_.emplace_back(n, Clock::now());
    }
    add("count " + num(n));
  }

  void expectChannel(const std::string& id) { expectedId_ = id; }
  long long lastTs() {
    std::lock_guard<std::mutex> lock(mu_);
    return lastTs_;
  }
  long long lastId() {
    std::lock_guard<std::mutex> lock(mu_);
    return lastId_;
  }
  std::string lastRaw() {
    std::lock_guard<std::mutex> lock(mu_);
    return lastRaw_;
  }
  std::vector<std::pair<int, Clock::time_point>> takeCountTimes() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::pair<int, Clock::time_point>> out;
    out.swap(countTimes_);
    return out;
  }

 private:
  std::string expectedId_;
  long long lastTs_ = 0;
  long long lastId_ = 0;
  bool lastOffline_ = false;
  std::string lastRaw_;
  std::vector<std::pair<int, Clock::time_point>> countTimes_;
};

// One client of an in-process service; logged in as `uid` unless uid is empty.
struct Client {
  ServiceRecorder r;
  IRtmService* s = nullptr;

  Client(const std::string& service, const std::string& uid) {
    s = rtm_emulator::createRtmService();
    CHECK_EQ(s->initialize(kAppId, &r), 0);
    const std::string params = "{\"rtm.emulator.url\":\"inproc://" + service + "\"}";
    CHECK_EQ(s->setParameters(params.c_str()), 0);
    if (!uid.empty()) login(uid);
  }
  ~Client() {
    if (s != nullptr) s->release();
  }
  void login(const std::string& uid) {
    CHECK_EQ(s->login(nullptr, uid.c_str()), 0);
    CHECK_SEQ(r.takeAfter("loginSuccess"), "state 2 1", "state 3 2", "loginSuccess");
  }
  void logout() {
    CHECK_EQ(s->logout(), 0);
    CHECK_SEQ(r.takeAfter("logout 0"), "state 1 6", "logout 0");
  }
  void release() {
    s->release();
    s = nullptr;
  }
};

// A channel object and its handler (the handler outlives the object).
struct Chan {
  ChannelRecorder h;
  IChannel* c = nullptr;

  Chan(IRtmService* s, const std::string& id) {
    h.expectChannel(id);
    c = s->createChannel(id.c_str(), &h);
    CHECK(c != nullptr);
  }
  ~Chan() {
    if (c != nullptr) c->release();
  }
  // Joins and takes the join's callbacks (onJoinSuccess, then the member count).
  void joinOk(int expectedCount) {
    CHECK_EQ(c->join(), 0);
    CHECK_SEQ(h.takeAfter("count " + num(expectedCount)), "joined", "count " + num(expectedCount));
  }
  void release() {
    c->release();
    c = nullptr;
  }
};

// ---------------------------------------------------------------------------------------------

void testCreateChannel() {
  const long long live = rtm_emulator::liveObjectCount();
  IRtmService* s = rtm_emulator::createRtmService();
  ChannelRecorder h;
  // Allowed before initialize and before login.
  IChannel* c = s->createChannel("room", &h);
  CHECK(c != nullptr);
  CHECK_STR(c->getId(), "room");
  CHECK_EQ(c->join(), JOIN_CHANNEL_ERR_NOT_INITIALIZED);
  CHECK_EQ(c->leave(), LEAVE_CHANNEL_ERR_NOT_INITIALIZED);
  CHECK_EQ(c->getMembers(), GET_MEMBERS_ERR_NOT_INITIALIZED);
  CHECK_EQ(c->sendMessage(nullptr), CHANNEL_MESSAGE_ERR_NOT_INITIALIZED);
  // A second object with the same id: NULL until the first is released.
  CHECK(s->createChannel("room", &h) == nullptr);
  c->release();
  IChannel* again = s->createChannel("room", nullptr);  // a NULL handler is accepted
  CHECK(again != nullptr);
  // Invalid ids.
  CHECK(s->createChannel(nullptr, &h) == nullptr);
  CHECK(s->createChannel("", &h) == nullptr);
  CHECK(s->createChannel("null", &h) == nullptr);
  CHECK(s->createChannel(std::string(65, 'x').c_str(), &h) == nullptr);
  CHECK(s->createChannel("tab\there", &h) == nullptr);
  CHECK(s->createChannel("slash/", &h) == nullptr);
  CHECK(s->createChannel("quote'", &h) == nullptr);
  CHECK(s->createChannel("caf\xc3\xa9", &h) == nullptr);
  IChannel* longest = s->createChannel(std::string(64, 'x').c_str(), &h);
  CHECK(longest != nullptr);
  IChannel* marks = s->createChannel("a b!#$%&()+-:;<=.>?@[]^_{}|~,", &h);
  CHECK(marks != nullptr);
  IChannel* upper = s->createChannel("NULL", &h);  // only the exact "null" is refused
  CHECK(upper != nullptr);
  CHECK_EQ(rtm_emulator::liveObjectCount(), live + 5);  // the service and 4 channels

  // Before login: 102 for every request (the login check comes first).
  ServiceRecorder r;
  CHECK_EQ(s->initialize(kAppId, &r), 0);
  CHECK_EQ(again->join(), JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ(again->leave(), LEAVE_CHANNEL_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ(again->getMembers(), GET_MEMBERS_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ(again->sendMessage(nullptr), CHANNEL_MESSAGE_ERR_USER_NOT_LOGGED_IN);
  long long requestId = 77;
  const char* ids[] = {"room"};
  CHECK_EQ(s->getChannelMemberCount(ids, 1, requestId), GET_CHANNEL_MEMBER_COUNT_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ(s->getChannelAttributes("room", requestId), ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ(s->getChannelAttributes("", requestId), ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ(s->clearChannelAttributes("room", ChannelAttributeOptions(), requestId),
           ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ(requestId, 77);
  CHECK_SEQ(h.settleAndTake());

  // Releasing the service first: the channels answer 102 and can still be released.
  s->release();
  CHECK_EQ(again->join(), JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN);
  CHECK_STR(again->getId(), "room");
  again->release();
  longest->release();
  marks->release();
  upper->release();
  CHECK_EQ(rtm_emulator::liveObjectCount(), live);
}

void testJoinLeaveMembers() {
  makeNamed("ch-basic", "{\"rateLimits\": false, \"memberCountIntervalMs\": 50}");
  Client a("ch-basic", "alice"), b("ch-basic", "bob"), c("ch-basic", "carol");
  Chan ar(a.s, "room"), br(b.s, "room"), cr(c.s, "room"), co(c.s, "other"), ao(a.s, "other");

  // Not joined: sync codes, no callback; except sendMessage, accepted and then failed (observed:
  // onSendMessageResult(id, FAILURE)).
  CHECK_EQ(ar.c->leave(), LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL);
  CHECK_EQ(ar.c->getMembers(), GET_MEMBERS_ERR_NOT_IN_CHANNEL);
  IMessage* m = a.s->createMessage("hi");
  const std::string sentFailed = "sent " + std::to_string(m->getMessageId()) + " 1";
  CHECK_EQ(ar.c->sendMessage(nullptr), CHANNEL_MESSAGE_ERR_INVALID_MESSAGE);  // the message check first
  CHECK_EQ(ar.c->sendMessage(m), 0);
  CHECK_SEQ(ar.h.takeAfter(sentFailed), sentFailed);

  // Join: 0, then onJoinSuccess and the count; joining twice (or while joining) is ALREADY_JOINED.
  CHECK_EQ(ar.c->join(), 0);
  CHECK_EQ(ar.c->join(), JOIN_CHANNEL_ERR_ALREADY_JOINED);
  CHECK_SEQ(ar.h.takeAfter("count 1"), "joined", "count 1");
  CHECK_EQ(ar.c->join(), JOIN_CHANNEL_ERR_ALREADY_JOINED);

  // Bob joins: alice sees him and the new count; bob only his own join.
  br.joinOk(2);
  CHECK_SEQ(ar.h.takeAfter("count 2"), "+bob", "count 2");
  // Carol joins "other" first: nobody in "room" hears of it.
  co.joinOk(1);
  cr.joinOk(3);
  CHECK_SEQ(ar.h.takeAfter("count 3"), "+carol", "count 3");
  CHECK_SEQ(br.h.takeAfter("count 3"), "+carol", "count 3");
  CHECK_SEQ(co.h.settleAndTake());

  // getMembers: everybody, the caller included; rate limits are off here.
  CHECK_EQ(br.c->getMembers(), 0);
  CHECK_SEQ(br.h.takeAfter("members 0 alice,bob,carol"), "members 0 alice,bob,carol");
  CHECK_EQ(co.c->getMembers(), 0);
  CHECK_SEQ(co.h.takeAfter("members 0 carol"), "members 0 carol");

  // Leave: onLeave(0) to the leaver; the others see MemberLeft and the count.
  CHECK_EQ(br.c->leave(), 0);
  CHECK_EQ(br.c->leave(), LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL);  // not joined any more at once
  CHECK_EQ(br.c->getMembers(), GET_MEMBERS_ERR_NOT_IN_CHANNEL);
  CHECK_SEQ(br.h.takeAfter("leave 0"), "leave 0");
  CHECK_EQ(br.c->sendMessage(m), 0);
  CHECK_SEQ(br.h.takeAfter(sentFailed), sentFailed);
  CHECK_SEQ(ar.h.takeAfter("count 2"), "-bob", "count 2");
  CHECK_SEQ(cr.h.takeAfter("count 2"), "-bob", "count 2");
  CHECK_SEQ(br.h.settleAndTake());

  // Alice joins "other" as well: carol sees her there.
  ao.joinOk(2);
  CHECK_SEQ(co.h.takeAfter("count 2"), "+alice", "count 2");
  CHECK_SEQ(ar.h.settleAndTake());
  CHECK_SEQ(cr.h.settleAndTake());

  // A channel can be joined again after leaving.
  br.joinOk(3);
  CHECK_SEQ(ar.h.takeAfter("count 3"), "+bob", "count 3");
  CHECK_SEQ(cr.h.takeAfter("count 3"), "+bob", "count 3");

  // Releasing a joined channel leaves it silently; the others see MemberLeft.
  br.release();
  CHECK_SEQ(ar.h.takeAfter("count 2"), "-bob", "count 2");
  CHECK_SEQ(cr.h.takeAfter("count 2"), "-bob", "count 2");
  CHECK_SEQ(br.h.settleAndTake());
  m->release();
  for (Chan* ch : {&ar, &cr, &co, &ao}) ch->release();
  CHECK_SEQ(ar.h.settleAndTake());
  CHECK_SEQ(co.h.settleAndTake());
  CHECK(rtm_emulator::destroyInProcess("ch-basic"));
}

void testChannelMessages() {
  makeNamed("ch-msg", "{\"rateLimits\": false}");
  Client a("ch-msg", "alice"), b("ch-msg", "bob"), c("ch-msg", "carol");
  Chan ar(a.s, "talk"), br(b.s, "talk"), cr(c.s, "talk");
  ar.joinOk(1);
  br.joinOk(2);
  cr.joinOk(3);
  ar.h.settleAndTake();
  br.h.settleAndTake();

  // Text: the sender gets onSendMessageResult(id, 0), every other member the message.
  IMessage* m = a.s->createMessage("hello room");
  const long long id = m->getMessageId();
  const long long before = nowMs();
  CHECK_EQ(ar.c->sendMessage(m), 0);
  m->release();  // the emulator copied it
  CHECK_SEQ(ar.h.takeAfter(ev("sent", id, 0)), ev("sent", id, 0));
  CHECK_SEQ(br.h.takeAfter("msg alice hello room"), "msg alice hello room");
  CHECK_SEQ(cr.h.takeAfter("msg alice hello room"), "msg alice hello room");
  CHECK_EQ(br.h.lastId(), id);
  CHECK(br.h.lastTs() >= before && br.h.lastTs() <= nowMs());

  // Raw with a description, through the overload with options.
  const uint8_t raw[] = {1, 0, 2};
  IMessage* r = b.s->createMessage(raw, 3, "desc");
  SendMessageOptions options;
  options.enableOfflineMessaging = true;  // means nothing for channels
  CHECK_EQ(br.c->sendMessage(r, options), 0);
  CHECK_SEQ(br.h.takeAfter(ev("sent", r->getMessageId(), 0)), ev("sent", r->getMessageId(), 0));
  CHECK_SEQ(ar.h.takeAfter("msg bob raw:desc"), "msg bob raw:desc");
  CHECK_SEQ(cr.h.takeAfter("msg bob raw:desc"), "msg bob raw:desc");
  CHECK(ar.h.lastRaw() == std::string("\x01\x00\x02", 3));
  r->release();

  // Sizes: 32768 bytes pass, one more is INVALID_MESSAGE (4), synchronously.
  IMessage* big = a.s->createMessage(std::string(32768, 'x').c_str());
  IMessage* tooBig = a.s->createMessage(std::string(32769, 'x').c_str());
  const std::string half(16384, 'y');
  IMessage* rawMax = a.s->createMessage(reinterpret_cast<const uint8_t*>(half.data()), 16384, half.c_str());
  IMessage* rawOver =
      a.s->createMessage(reinterpret_cast<const uint8_t*>(half.data()), 16384, (half + "z").c_str());
  CHECK_EQ(ar.c->sendMessage(tooBig), CHANNEL_MESSAGE_ERR_INVALID_MESSAGE);
  CHECK_EQ(ar.c->sendMessage(rawOver), CHANNEL_MESSAGE_ERR_INVALID_MESSAGE);
  CHECK_EQ(ar.c->sendMessage(nullptr), CHANNEL_MESSAGE_ERR_INVALID_MESSAGE);
  CHECK_EQ(ar.c->sendMessage(big), 0);
  CHECK_EQ(ar.c->sendMessage(rawMax), 0);
  CHECK_SEQ(ar.h.takeAfter(ev("sent", rawMax->getMessageId(), 0)), ev("sent", big->getMessageId(), 0),
            ev("sent", rawMax->getMessageId(), 0));
  CHECK(br.h.waitCount(2));
  CHECK_EQ(br.h.take().size(), 2);
  CHECK(cr.h.waitCount(2));
  CHECK_EQ(cr.h.take().size(), 2);
  for (IMessage* x : {big, tooBig, rawMax, rawOver}) x->release();

  // Only members receive: carol leaves, then gets nothing.
  CHECK_EQ(cr.c->leave(), 0);
  CHECK_SEQ(cr.h.takeAfter("leave 0"), "leave 0");
  IMessage* after = b.s->createMessage("after");
  CHECK_EQ(br.c->sendMessage(after), 0);
  CHECK(ar.h.waitFor("msg bob after"));
  CHECK_SEQ(cr.h.settleAndTake());
  after->release();
  br.h.take();

  // A handler may release its own channel inside a callback: nothing arrives afterwards.
  // (ar.c is written on the callback thread, after the recorder's lock: read here only once the
  // hook says it is done, not after a sleep, which orders nothing.)
  std::atomic<bool> releasedInHook{false};
  ar.h.setHook([&](const std::string& e) {
    if (e != "msg bob bye") return;
    ar.release();
    releasedInHook = true;
  });
  ar.h.take();
  for (const char* text : {"bye", "again", "and again"}) {
    IMessage* x = b.s->createMessage(text);
    CHECK_EQ(br.c->sendMessage(x), 0);
    x->release();
  }
  CHECK(ar.h.waitFor("msg bob bye"));
  CHECK_SEQ(ar.h.settleAndTake(), "msg bob bye");
  CHECK(eventually([&] { return releasedInHook.load(); }));
  CHECK(ar.c == nullptr);
  CHECK(br.h.waitFor("-alice"));  // the release left the channel
  ar.h.setHook(nullptr);
  CHECK(rtm_emulator::destroyInProcess("ch-msg"));
}

void testMessageRateLimit() {
  // One budget for peer and channel messages.
  makeNamed("ch-msgrate", "{\"sendMessage\": {\"count\": 3, \"windowMs\": 60000}}");
  Client a("ch-msgrate", "alice");
  Chan ar(a.s, "r");
  ar.joinOk(1);
  IMessage* m = a.s->createMessage("x");
  CHECK_EQ(a.s->sendMessageToPeer("nobody", m), 0);
  CHECK_EQ(ar.c->sendMessage(m), 0);
  CHECK_EQ(ar.c->sendMessage(m), 0);
  CHECK_EQ(ar.c->sendMessage(m), CHANNEL_MESSAGE_ERR_TOO_OFTEN);
  CHECK_EQ(a.s->sendMessageToPeer("nobody", m), PEER_MESSAGE_ERR_TOO_OFTEN);
  // Refused by another check first: no budget used, and the check order is message, joined, rate.
  CHECK_EQ(ar.c->sendMessage(nullptr), CHANNEL_MESSAGE_ERR_INVALID_MESSAGE);
  m->release();
  CHECK(rtm_emulator::destroyInProcess("ch-msgrate"));
}

void testJoinLimits() {
  // The v1.2 profile: 50 joins / 3 s, 2 joins of one channel / 5 s, getMembers 5 / 2 s.
  makeNamed("ch-join", "");
  Client a("ch-join", "alice");
  std::vector<std::unique_ptr<Chan>> chans;
  for (int i = 0; i < 21; ++i) chans.emplace_back(new Chan(a.s, "c" + num(i)));
  for (int i = 0; i < 20; ++i) CHECK_EQ(chans[i]->c->join(), 0);
  // The 21st: joining ones count too.
  CHECK_EQ(chans[20]->c->join(), JOIN_CHANNEL_ERR_EXCEED_LIMIT);
  CHECK_EQ(chans[0]->c->join(), JOIN_CHANNEL_ERR_ALREADY_JOINED);
  for (int i = 0; i < 20; ++i) CHECK(chans[i]->h.waitFor("count 1"));

  // Same channel: join, leave, join, leave -> the third join within 5 s is refused.
  Chan& c0 = *chans[0];
  CHECK_EQ(c0.c->leave(), 0);
  CHECK(c0.h.waitFor("leave 0"));
  CHECK_EQ(chans[20]->c->join(), 0);  // 20 again
  CHECK(chans[20]->h.waitFor("count 1"));
  CHECK_EQ(c0.c->join(), JOIN_CHANNEL_ERR_EXCEED_LIMIT);
  CHECK_EQ(chans[20]->c->leave(), 0);
  CHECK_EQ(chans[19]->c->leave(), 0);
  c0.h.take();
  CHECK_EQ(c0.c->join(), 0);  // the second join of c0
  CHECK(c0.h.waitFor("joined"));
  CHECK_EQ(c0.c->leave(), 0);
  CHECK_EQ(c0.c->join(), JOIN_CHANNEL_ERR_JOIN_SAME_CHANNEL_TOO_OFTEN);
  // A released and re-created object of that id shares the budget.
  chans[0].reset();
  chans[0].reset(new Chan(a.s, "c0"));
  CHECK_EQ(chans[0]->c->join(), JOIN_CHANNEL_ERR_JOIN_SAME_CHANNEL_TOO_OFTEN);

  // getMembers: 5 per 2 s.
  Chan& c1 = *chans[1];
  c1.h.take();
  for (int i = 0; i < 5; ++i) CHECK_EQ(c1.c->getMembers(), 0);
  CHECK_EQ(c1.c->getMembers(), GET_MEMBERS_ERR_TOO_OFTEN);
  CHECK(c1.h.waitCount(5));
  CHECK_SEQ(c1.h.settleAndTake(), "members 0 alice", "members 0 alice", "members 0 alice", "members 0 alice",
            "members 0 alice");
  chans.clear();

  // 50 joins per 3 s, counted over every channel; a join refused by JOIN_SAME_CHANNEL_TOO_OFTEN
  // (or any other check) uses no budget.
  makeNamed("ch-join2", "{\"join\": {\"count\": 3, \"windowMs\": 60000}, \"joinSameChannel\": {\"count\": 1, \"windowMs\": 60000}}");
  Client b("ch-join2", "bob");
  Chan x(b.s, "x"), y(b.s, "y"), z(b.s, "z"), w(b.s, "w");
  x.joinOk(1);
  CHECK_EQ(x.c->leave(), 0);
  CHECK(x.h.waitFor("leave 0"));
  CHECK_EQ(x.c->join(), JOIN_CHANNEL_ERR_JOIN_SAME_CHANNEL_TOO_OFTEN);
  y.joinOk(1);
  z.joinOk(1);
  CHECK_EQ(w.c->join(), JOIN_CHANNEL_ERR_TOO_OFTEN);
  CHECK_EQ(x.c->join(), JOIN_CHANNEL_ERR_TOO_OFTEN);  // TOO_OFTEN is checked first
  CHECK(rtm_emulator::destroyInProcess("ch-join"));
  CHECK(rtm_emulator::destroyInProcess("ch-join2"));
}

void testJoinWhileConnecting() {
  // A service that never answers: the login stays CONNECTING.
  makeNamed("ch-void", "{\"joinTimeoutMs\": 300, \"loginTimeoutMs\": 2000, \"rateLimits\": false}");
  Client a("ch-void", "");
  CHECK(rtm_emulator::destroyInProcess("ch-void"));
  Chan ar(a.s, "room"), ar2(a.s, "room2");
  CHECK_EQ(a.s->login(nullptr, "alice"), 0);
  CHECK_EQ(ar.c->join(), 0);  // accepted while CONNECTING
  CHECK_EQ(ar.c->join(), JOIN_CHANNEL_ERR_ALREADY_JOINED);
  CHECK_EQ(ar.c->leave(), LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL);  // joining is not joined
  const auto t0 = Clock::now();
  CHECK_SEQ(ar.h.takeAfter("joinFailure 4"), "joinFailure 4");
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
  CHECK(ms >= 250 && ms < 1500);
  CHECK_EQ(ar.c->join(), 0);  // not joining any more
  // A logout before the timeout: no callback at all.
  CHECK_EQ(ar2.c->join(), 0);
  ar.h.take();
  CHECK_EQ(a.s->logout(), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  CHECK_SEQ(ar.h.take());
  CHECK_SEQ(ar2.h.take());
  a.r.take();

  // A join while CONNECTING to a live service goes out once the login succeeds.
  makeNamed("ch-conn", "{\"rateLimits\": false}");
  Client b("ch-conn", "");
  Chan br(b.s, "room");
  CHECK_EQ(b.s->login(nullptr, "bob"), 0);
  CHECK_EQ(br.c->join(), 0);
  CHECK_SEQ(br.h.takeAfter("count 1"), "joined", "count 1");
  CHECK(b.r.waitFor("loginSuccess"));
  CHECK(rtm_emulator::destroyInProcess("ch-conn"));
}

void testSessionEnds() {
  makeNamed("ch-end", "{\"rateLimits\": false, \"memberCountIntervalMs\": 50}");
  Client a("ch-end", "alice"), b("ch-end", "bob");
  Chan ar(a.s, "room"), br(b.s, "room"), br2(b.s, "room2"), ar2(a.s, "room2");
  ar.joinOk(1);
  br.joinOk(2);
  ar2.joinOk(1);
  br2.joinOk(2);
  CHECK_SEQ(ar.h.takeAfter("count 2"), "+bob", "count 2");
  CHECK_SEQ(ar2.h.takeAfter("count 2"), "+bob", "count 2");

  // Logout: bob leaves both channels (alice sees it); bob's channels get no callback and are
  // simply not joined any more.
  b.logout();
  CHECK_SEQ(ar.h.takeAfter("count 1"), "-bob", "count 1");
  CHECK_SEQ(ar2.h.takeAfter("count 1"), "-bob", "count 1");
  CHECK_SEQ(br.h.settleAndTake());
  CHECK_EQ(br.c->leave(), LEAVE_CHANNEL_ERR_USER_NOT_LOGGED_IN);
  b.login("bob");
  CHECK_EQ(br.c->leave(), LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL);
  br.joinOk(2);
  CHECK_SEQ(ar.h.takeAfter("count 2"), "+bob", "count 2");

  // Remote login: the old session is removed from its channels; the new one is in none.
  Client b2("ch-end", "bob");
  CHECK(b.r.waitFor("state 5 8"));
  CHECK_SEQ(ar.h.takeAfter("count 1"), "-bob", "count 1");
  CHECK_EQ(br.c->leave(), LEAVE_CHANNEL_ERR_USER_NOT_LOGGED_IN);  // ABORTED
  CHECK_SEQ(br.h.settleAndTake());
  Chan b2r(b2.s, "room");
  b2r.joinOk(2);
  CHECK_SEQ(ar.h.takeAfter("count 2"), "+bob", "count 2");

  // Kick (fault injection).
  CHECK(rtm_emulator::kickUser("ch-end", "bob"));
  CHECK_SEQ(ar.h.takeAfter("count 1"), "-bob", "count 1");
  CHECK_SEQ(b2r.h.settleAndTake());

  // Releasing the service: its user leaves; its channel objects stay releasable.
  Client c("ch-end", "carol");
  Chan cr(c.s, "room");
  cr.joinOk(2);
  CHECK_SEQ(ar.h.takeAfter("count 2"), "+carol", "count 2");
  c.release();
  CHECK_SEQ(ar.h.takeAfter("count 1"), "-carol", "count 1");
  CHECK_EQ(cr.c->join(), JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN);
  CHECK_SEQ(cr.h.settleAndTake());

  // getChannelMemberCount sees all of it.
  long long requestId = 0;
  const char* ids[] = {"room", "room2", "nobody-here"};
  CHECK_EQ(a.s->getChannelMemberCount(ids, 3, requestId), 0);
  const std::string expected = ev("counts", requestId, 0) + " room:1,room2:1,nobody-here:0";
  CHECK_SEQ(a.r.takeAfter(expected), expected);
  CHECK(rtm_emulator::destroyInProcess("ch-end"));
}

void testLinkLoss() {
  makeNamed("ch-link",
            "{\"rateLimits\": false, \"memberCountIntervalMs\": 20, \"interruptedAfterMs\": 50, "
            "\"unreachableAfterMs\": 100, \"offlineAfterMs\": 400}");
  Client a("ch-link", "alice"), b("ch-link", "bob");
  Chan ar(a.s, "room"), br(b.s, "room");
  ar.joinOk(1);
  br.joinOk(2);
  CHECK_SEQ(ar.h.takeAfter("count 2"), "+bob", "count 2");

  // A short outage: bob stays a member; what was sent meanwhile reaches him afterwards.
  CHECK(rtm_emulator::dropConnection("ch-link", "bob"));
  IMessage* m = a.s->createMessage("while away");
  CHECK_EQ(ar.c->sendMessage(m), 0);
  m->release();
  CHECK_SEQ(br.h.settleAndTake());
  CHECK(rtm_emulator::restoreConnection("ch-link", "bob"));
  CHECK_SEQ(br.h.takeAfter("msg alice while away"), "msg alice while away");
  ar.h.take();

  // A long one: the service removes bob (alice sees him leave); on restore the client is logged
  // in again and rejoins, as the SDK does (alice sees him join; bob gets no callback).
  CHECK(rtm_emulator::dropConnection("ch-link", "bob"));
  CHECK_SEQ(ar.h.takeAfter("count 1"), "-bob", "count 1");
  CHECK(rtm_emulator::restoreConnection("ch-link", "bob"));
  CHECK_SEQ(ar.h.takeAfter("count 2"), "+bob", "count 2");
  CHECK(br.h.waitFor("count 2"));
  const Events bobs = br.h.settleAndTake();
  CHECK(std::find(bobs.begin(), bobs.end(), "joined") == bobs.end());
  IMessage* back = b.s->createMessage("back");
  CHECK_EQ(br.c->sendMessage(back), 0);
  back->release();
  CHECK(ar.h.waitFor("msg bob back"));
  CHECK(rtm_emulator::destroyInProcess("ch-link"));
}

IRtmChannelAttribute* attr(IRtmService* s, const std::string& key, const std::string& value) {
  IRtmChannelAttribute* a = s->createChannelAttribute();
  a->setKey(key.c_str());
  a->setValue(value.c_str());
  return a;
}

// Runs a channel-attribute write with these pairs and releases the attribute objects.
int writeAttrs(IRtmService* s, bool add, const char* channelId,
               const std::vector<std::pair<std::string, std::string>>& pairs, bool notify, long long& requestId) {
  std::vector<IRtmChannelAttribute*> objects;
  for (const auto& kv : pairs) objects.push_back(attr(s, kv.first, kv.second));
  std::vector<const IRtmChannelAttribute*> array(objects.begin(), objects.end());
  ChannelAttributeOptions options;
  options.enableNotificationToChannelMembers = notify;
  const int rc = add ? s->addOrUpdateChannelAttributes(channelId, array.data(), static_cast<int>(array.size()), options,
                                                       requestId)
                     : s->setChannelAttributes(channelId, array.data(), static_cast<int>(array.size()), options,
                                               requestId);
  for (IRtmChannelAttribute* o : objects) o->release();
  return rc;
}

void testChannelAttributes() {
  makeNamed("ch-attr", "{\"rateLimits\": false}");
  Client a("ch-attr", "alice"), b("ch-attr", "bob"), c("ch-attr", "carol");
  Chan br(b.s, "deck"), cr(c.s, "deck");
  br.joinOk(1);
  cr.joinOk(2);
  br.h.settleAndTake();
  long long id = 0;

  // Refused at once with INVALID_ARGUMENT (3), requestId untouched: a bad channel id, no
  // attributes or keys at all (observed for empty lists), a missing attribute, a bad key in a list.
  id = 5;
  ChannelAttributeOptions none;
  CHECK_EQ(writeAttrs(a.s, false, "bad/id", {{"k", "v"}}, false, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(writeAttrs(a.s, false, "deck", {}, false, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(writeAttrs(a.s, true, "deck", {}, false, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a.s->setChannelAttributes("deck", nullptr, 1, none, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a.s->setChannelAttributes("deck", nullptr, -1, none, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  const IRtmChannelAttribute* nullAttr[] = {nullptr};
  CHECK_EQ(a.s->setChannelAttributes("deck", nullAttr, 1, none, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  const char* badKeys[] = {"ok", ""};
  CHECK_EQ(a.s->deleteChannelAttributesByKeys("deck", badKeys, 2, none, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a.s->getChannelAttributesByKeys("deck", badKeys, 2, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a.s->deleteChannelAttributesByKeys("deck", badKeys, 0, none, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a.s->getChannelAttributesByKeys("deck", badKeys, 0, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a.s->getChannelAttributes(nullptr, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a.s->clearChannelAttributes("null", none, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(id, 5);

  // A bad attribute (empty or over-long key, empty value): 3 as well, with a new requestId written
  // (observed), and no callback.
  id = 0;
  long long last = 0;
  auto fresh = [&] {
    const bool f = id > last;
    last = id;
    return f;
  };
  CHECK_EQ(writeAttrs(a.s, false, "deck", {{"", "v"}}, false, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK(fresh());
  CHECK_EQ(writeAttrs(a.s, true, "deck", {{std::string(33, 'k'), "v"}}, false, id),
           ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK(fresh());
  CHECK_EQ(writeAttrs(a.s, true, "deck", {{"k", ""}}, false, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK(fresh());
  CHECK_SEQ(a.r.settleAndTake());

  // What the arguments alone exceed: accepted, then the result with SIZE_OVERFLOW (4) (observed
  // for a value of 8 193 bytes); nothing is written.
  CHECK_EQ(writeAttrs(a.s, true, "deck", {{"k", std::string(8193, 'v')}}, false, id), 0);
  CHECK(fresh());
  CHECK_SEQ(a.r.takeAfter(ev("addCA", id, 4)), ev("addCA", id, 4));
  std::vector<std::pair<std::string, std::string>> many;
  for (int i = 0; i < 33; ++i) many.emplace_back("k" + num(i), "v");
  CHECK_EQ(writeAttrs(a.s, false, "deck", many, false, id), 0);
  CHECK(fresh());
  CHECK_SEQ(a.r.takeAfter(ev("setCA", id, 4)), ev("setCA", id, 4));
  CHECK_EQ(writeAttrs(a.s, false, "deck",
                      {{"a", std::string(8192, 'v')}, {"b", std::string(8192, 'v')}, {"c", std::string(8192, 'v')},
                       {"d", std::string(8192, 'v')}},
                      false, id),
           0);  // 4 x (1 + 8192) > 32768
  CHECK(fresh());
  CHECK_SEQ(a.r.takeAfter(ev("setCA", id, 4)), ev("setCA", id, 4));

  // Keys are checked for their length only (observed: a space is accepted). Set, without
  // notification; the next set replaces it.
  CHECK_EQ(writeAttrs(a.s, false, "deck", {{"sp ace", "v"}}, false, id), 0);
  CHECK_SEQ(a.r.takeAfter(ev("setCA", id, 0)), ev("setCA", id, 0));
  CHECK_SEQ(br.h.settleAndTake());

  // Set from outside the channel, with notification: every member gets the full set.
  const long long t0 = nowMs();
  CHECK_EQ(writeAttrs(a.s, false, "deck", {{"topic", "cards"}, {"round", "1"}}, true, id), 0);
  CHECK_SEQ(a.r.takeAfter(ev("setCA", id, 0)), ev("setCA", id, 0));
  CHECK_SEQ(br.h.takeAfter("attrs topic=cards,round=1"), "attrs topic=cards,round=1");
  CHECK_SEQ(cr.h.takeAfter("attrs topic=cards,round=1"), "attrs topic=cards,round=1");

  // addOrUpdate by a member, with notification: the writer (a member) gets it too.
  CHECK_EQ(writeAttrs(b.s, true, "deck", {{"round", "2"}, {"dealer", "bob"}}, true, id), 0);
  CHECK_SEQ(b.r.takeAfter(ev("addCA", id, 0)), ev("addCA", id, 0));
  CHECK_SEQ(br.h.takeAfter("attrs topic=cards,round=2,dealer=bob"), "attrs topic=cards,round=2,dealer=bob");
  CHECK_SEQ(cr.h.takeAfter("attrs topic=cards,round=2,dealer=bob"), "attrs topic=cards,round=2,dealer=bob");

  // Get all: values with who wrote each last, and when.
  CHECK_EQ(a.s->getChannelAttributes("deck", id), 0);
  const std::string all = ev("getCA", id, 0) + " topic=cards,round=2,dealer=bob";
  CHECK_SEQ(a.r.takeAfter(all), all);
  const std::vector<Attr> got = a.r.lastGet();
  CHECK_EQ(got.size(), 3);
  if (got.size() == 3) {
    CHECK_STR(got[0].user, "alice");
    CHECK_STR(got[1].user, "bob");
    CHECK_STR(got[2].user, "bob");
    CHECK(got[0].ts >= t0 && got[0].ts <= got[1].ts && got[1].ts <= nowMs());
  }
  // By keys (missing keys are not an error; duplicates count once), in the channel's order.
  const char* keys[] = {"dealer", "topic", "missing", "dealer"};
  CHECK_EQ(a.s->getChannelAttributesByKeys("deck", keys, 4, id), 0);
  const std::string some = ev("getCA", id, 0) + " topic=cards,dealer=bob";
  CHECK_SEQ(a.r.takeAfter(some), some);
  // An unknown channel has none.
  CHECK_EQ(a.s->getChannelAttributes("empty-channel", id), 0);
  CHECK_SEQ(a.r.takeAfter(ev("getCA", id, 0)), ev("getCA", id, 0));

  // Without notification nobody hears of a write.
  const char* dealer[] = {"dealer"};
  CHECK_EQ(a.s->deleteChannelAttributesByKeys("deck", dealer, 1, none, id), 0);
  CHECK_SEQ(a.r.takeAfter(ev("delCA", id, 0)), ev("delCA", id, 0));
  CHECK_SEQ(br.h.settleAndTake());

  // Asynchronous overflow: the result says 4 and nothing changes.
  std::vector<std::pair<std::string, std::string>> thirty;
  for (int i = 0; i < 31; ++i) thirty.emplace_back("n" + num(i), "v");
  CHECK_EQ(writeAttrs(a.s, true, "deck", thirty, true, id), 0);  // 2 + 31 = 33 keys
  CHECK_SEQ(a.r.takeAfter(ev("addCA", id, 4)), ev("addCA", id, 4));
  CHECK_SEQ(br.h.settleAndTake());
  CHECK_EQ(writeAttrs(a.s, true, "deck", {{"big1", std::string(8192, 'x')}, {"big2", std::string(8192, 'x')},
                                          {"big3", std::string(8192, 'x')}},
                      false, id),
           0);
  CHECK_SEQ(a.r.takeAfter(ev("addCA", id, 0)), ev("addCA", id, 0));
  CHECK_EQ(writeAttrs(a.s, true, "deck", {{"big4", std::string(8192, 'x')}}, false, id), 0);
  CHECK_SEQ(a.r.takeAfter(ev("addCA", id, 4)), ev("addCA", id, 4));
  CHECK_EQ(writeAttrs(a.s, false, "deck", {{"only", "one"}}, true, id), 0);  // set replaces all
  CHECK_SEQ(a.r.takeAfter(ev("setCA", id, 0)), ev("setCA", id, 0));
  CHECK_SEQ(br.h.takeAfter("attrs only=one"), "attrs only=one");

  // The attributes outlive the members.
  br.release();
  cr.release();
  CHECK_EQ(a.s->getChannelAttributes("deck", id), 0);
  const std::string kept = ev("getCA", id, 0) + " only=one";
  CHECK_SEQ(a.r.takeAfter(kept), kept);
  // Clear with notification: a member hears of the empty set.
  Chan ar(a.s, "deck");
  ar.joinOk(1);
  CHECK_EQ(a.s->clearChannelAttributes("deck", ChannelAttributeOptions{}, id), 0);
  CHECK_SEQ(a.r.takeAfter(ev("clearCA", id, 0)), ev("clearCA", id, 0));
  ChannelAttributeOptions notify;
  notify.enableNotificationToChannelMembers = true;
  CHECK_EQ(a.s->clearChannelAttributes("deck", notify, id), 0);
  CHECK_SEQ(a.r.takeAfter(ev("clearCA", id, 0)), ev("clearCA", id, 0));
  CHECK_SEQ(ar.h.takeAfter("attrs"), "attrs");
  CHECK(rtm_emulator::destroyInProcess("ch-attr"));

  // Rate limits of the v1.2 profile: writes 10 / 5 s, reads 10 / 5 s, separate budgets.
  makeNamed("ch-attr-rate", "");
  Client d("ch-attr-rate", "dave");
  for (int i = 0; i < 10; ++i) CHECK_EQ(d.s->clearChannelAttributes("x", none, id), 0);
  CHECK_EQ(d.s->clearChannelAttributes("x", none, id), ATTRIBUTE_OPERATION_ERR_TOO_OFTEN);
  CHECK_EQ(writeAttrs(d.s, false, "x", {{"k", "v"}}, false, id), ATTRIBUTE_OPERATION_ERR_TOO_OFTEN);
  for (int i = 0; i < 10; ++i) CHECK_EQ(d.s->getChannelAttributes("x", id), 0);
  CHECK_EQ(d.s->getChannelAttributesByKeys("x", dealer, 1, id), ATTRIBUTE_OPERATION_ERR_TOO_OFTEN);
  CHECK(d.r.waitCount(20));
  CHECK(rtm_emulator::destroyInProcess("ch-attr-rate"));
}

void testMemberCountCalls() {
  makeNamed("ch-count", "");  // v1.2: 1 call per second
  Client a("ch-count", "alice");
  Chan ar(a.s, "room");
  ar.joinOk(1);
  long long id = 9;
  std::vector<std::string> names;
  for (int i = 0; i < 33; ++i) names.push_back("c" + num(i));
  std::vector<const char*> ids;
  for (const std::string& n : names) ids.push_back(n.c_str());
  CHECK_EQ(a.s->getChannelMemberCount(ids.data(), 33, id), GET_CHANNEL_MEMBER_COUNT_ERR_EXCEED_LIMIT);
  // Observed: a negative count is EXCEED_LIMIT (read as unsigned), no ids at all INVALID_ARGUMENT.
  CHECK_EQ(a.s->getChannelMemberCount(ids.data(), -1, id), GET_CHANNEL_MEMBER_COUNT_ERR_EXCEED_LIMIT);
  CHECK_EQ(a.s->getChannelMemberCount(ids.data(), 0, id), GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a.s->getChannelMemberCount(nullptr, 2, id), GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT);
  const char* bad[] = {"room", "no/slash"};
  CHECK_EQ(a.s->getChannelMemberCount(bad, 2, id), GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT);
  CHECK_EQ(id, 9);
  ids[0] = "room";
  CHECK_EQ(a.s->getChannelMemberCount(ids.data(), 32, id), 0);
  CHECK(id != 9);
  std::string expected = ev("counts", id, 0) + " room:1";
  for (int i = 1; i < 32; ++i) expected += ",c" + num(i) + ":0";
  CHECK_SEQ(a.r.takeAfter(expected), expected);
  CHECK_EQ(a.s->getChannelMemberCount(ids.data(), 1, id), GET_CHANNEL_MEMBER_COUNT_ERR_TOO_OFTEN);
  CHECK(rtm_emulator::destroyInProcess("ch-count"));
}

// onMemberCountUpdated: right after a join; then on change, coalesced, at most once per interval
// (the large interval above memberEventsMaxMembers, which also ends member events).
void testCountThrottle() {
  makeNamed("ch-throttle",
            "{\"rateLimits\": false, \"memberCountIntervalMs\": 150, \"memberCountLargeIntervalMs\": 450, "
            "\"memberEventsMaxMembers\": 3}");
  Client a("ch-throttle", "a"), b("ch-throttle", "b"), c("ch-throttle", "c"), d("ch-throttle", "d"),
      e("ch-throttle", "e");
  Chan ar(a.s, "t"), br(b.s, "t"), cr(c.s, "t"), dr(d.s, "t"), er(e.s, "t");
  ar.joinOk(1);
  br.joinOk(2);
  CHECK(ar.h.waitFor("count 2"));  // at once: nothing was sent in the last interval
  const auto t2 = Clock::now();
  cr.joinOk(3);
  dr.joinOk(4);  // above 3 members: no member event for d
  // a: +b, count 2, +c, then the coalesced count 4 at the end of the interval (no 3).
  CHECK(ar.h.waitFor("count 4"));
  const auto t4 = Clock::now();
  CHECK_SEQ(ar.h.settleAndTake(), "+b", "count 2", "+c", "count 4");
  CHECK(t4 - t2 >= std::chrono::milliseconds(120));
  CHECK_SEQ(cr.h.takeAfter("count 4"), "count 4");  // c joined at 3, then 4 with the others
  CHECK_SEQ(dr.h.settleAndTake());

  // Above the threshold: no member events; updates at most once per 450 ms.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ar.h.takeCountTimes();
  er.joinOk(5);
  CHECK_EQ(er.c->leave(), 0);
  CHECK_SEQ(er.h.takeAfter("leave 0"), "leave 0");
  er.joinOk(5);  // the second join of that channel in 5 s: still allowed
  CHECK(ar.h.waitFor("count 5", std::chrono::milliseconds(3000)));
  CHECK_SEQ(ar.h.settleAndTake(), "count 5");  // 5 -> 4 -> 5 within an interval: one update
  // Leaving down to the threshold: the leave of a 4th member from 4 is not announced (4 > 3),
  // the next one is.
  CHECK_EQ(er.c->leave(), 0);
  CHECK_EQ(dr.c->leave(), 0);
  CHECK(ar.h.waitFor("count 3", std::chrono::milliseconds(3000)));
  CHECK_SEQ(ar.h.settleAndTake(), "count 3");
  CHECK_EQ(cr.c->leave(), 0);
  CHECK(ar.h.waitFor("count 2", std::chrono::milliseconds(3000)));
  CHECK_SEQ(ar.h.settleAndTake(), "-c", "count 2");
  const auto times = ar.h.takeCountTimes();
  for (std::size_t i = 1; i < times.size(); ++i) {
    const bool large = times[i - 1].first > 3;
    const auto gap = times[i].second - times[i - 1].second;
    report(gap >= std::chrono::milliseconds(large ? 420 : 130),
           "count updates " + num(times[i - 1].first) + " -> " + num(times[i].first) + " " +
               num(std::chrono::duration_cast<std::chrono::milliseconds>(gap).count()) + " ms apart",
           __FILE__, __LINE__);
  }
  CHECK(rtm_emulator::destroyInProcess("ch-throttle"));
}

// --- scale ---------------------------------------------------------------------------------

// Counts instead of recording: 600 of these run at once.
class CountingHandler : public IChannelEventHandler {
 public:
  void onJoinSuccess() override { joined_ = 1; }
  void onMemberJoined(IChannelMember*) override { ++memberJoined_; }
  void onMemberLeft(IChannelMember*) override { ++memberLeft_; }
  void onMemberCountUpdated(int n) override {
    lastCount_ = n;
    ++countUpdates_;
  }
  void onGetMembers(IChannelMember** members, int n, GET_MEMBERS_ERR c) override {
    std::lock_guard<std::mutex> lock(mu_);
    for (int i = 0; i < n; ++i) members_.insert(members[i]->getUserId());
    membersListed_ = n;
    membersCode_ = c;
  }
  void onMessageReceived(const char* userId, const IMessage* m) override {
    if (std::strcmp(userId, expectedSender_) != 0) ++wrong_;
    const long long seq = std::atoll(m->getText());
    if (seq != nextSeq_) ++wrong_;
    nextSeq_ = seq + 1;
    ++received_;
  }
  void onSendMessageResult(long long, CHANNEL_MESSAGE_ERR_CODE c) override {
    if (c != CHANNEL_MESSAGE_ERR_OK) ++wrong_;
    ++sent_;
  }

  std::atomic<int> joined_{0}, memberJoined_{0}, memberLeft_{0}, lastCount_{0}, countUpdates_{0};
  std::atomic<int> received_{0}, sent_{0}, wrong_{0};
  long long nextSeq_ = 0;  // callback thread only
  const char* expectedSender_ = "m0";
  std::mutex mu_;
  std::set<std::string> members_;
  int membersListed_ = -1;
  int membersCode_ = -1;
};

bool waitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto end = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return true;
}

void testScale() {
  constexpr int kMembers = 600;
  makeNamed("ch-big", "{\"rateLimits\": false, \"memberCountIntervalMs\": 50, \"memberCountLargeIntervalMs\": 150}");
  std::vector<std::unique_ptr<ServiceRecorder>> recorders;
  std::vector<std::unique_ptr<CountingHandler>> handlers;
  std::vector<IRtmService*> services;
  std::vector<IChannel*> channels;
  const auto start = Clock::now();
  for (int i = 0; i < kMembers; ++i) {
    recorders.emplace_back(new ServiceRecorder);
    handlers.emplace_back(new CountingHandler);
    IRtmService* s = rtm_emulator::createRtmService();
    s->initialize(kAppId, recorders.back().get());
    s->setParameters("{\"rtm.emulator.url\":\"inproc://ch-big\"}");
    s->login(nullptr, ("m" + num(i)).c_str());
    services.push_back(s);
    channels.push_back(s->createChannel("big", handlers.back().get()));
  }
  for (int i = 0; i < kMembers; ++i) CHECK(recorders[i]->waitFor("loginSuccess"));
  // Join one at a time, so that the join order is known.
  for (int i = 0; i < kMembers; ++i) {
    CHECK_EQ(channels[i]->join(), 0);
    CHECK(waitUntil([&] { return handlers[i]->joined_.load() == 1; }, kWait));
  }
  const auto joined = Clock::now();
  // Member i hears of the joins of members i+1 .. 511 (events stop above 512 members).
  CHECK(waitUntil([&] { return handlers[0]->memberJoined_.load() == 511; }, kWait));
  CHECK(waitUntil([&] { return handlers[kMembers - 1]->lastCount_.load() == kMembers; }, kWait));
  CHECK(waitUntil([&] { return handlers[0]->lastCount_.load() == kMembers; }, kWait));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  long long joinedEvents = 0;
  int badJoined = 0, badCount = 0;
  for (int i = 0; i < kMembers; ++i) {
    joinedEvents += handlers[i]->memberJoined_.load();
    const int expected = i < 512 ? 511 - i : 0;
    if (handlers[i]->memberJoined_.load() != expected) ++badJoined;
    if (handlers[i]->lastCount_.load() != kMembers) ++badCount;
  }
  CHECK_EQ(joinedEvents, 512LL * 511 / 2);
  CHECK_EQ(badJoined, 0);
  CHECK_EQ(badCount, 0);

  // getMembers: 512 of them, the caller among them.
  CHECK_EQ(channels[599]->getMembers(), 0);
  CHECK(waitUntil([&] {
    std::lock_guard<std::mutex> lock(handlers[599]->mu_);
    return handlers[599]->membersListed_ >= 0;
  }, kWait));
  {
    std::lock_guard<std::mutex> lock(handlers[599]->mu_);
    CHECK_EQ(handlers[599]->membersCode_, 0);
    CHECK_EQ(handlers[599]->membersListed_, 512);
    CHECK_EQ(handlers[599]->members_.size(), 512);
    CHECK_EQ(handlers[599]->members_.count("m599"), 1);
  }

  // A burst from m0 reaches each of the 599 others once, in order (200 messages by default: each
  // delivery wakes another client's callback thread; CHAN_SCALE_MESSAGES=5000 takes ~1 min).
  const int kMessages = std::getenv("CHAN_SCALE_MESSAGES") ? std::atoi(std::getenv("CHAN_SCALE_MESSAGES")) : 200;
  const auto burst = Clock::now();
  for (int i = 0; i < kMessages; ++i) {
    IMessage* m = services[0]->createMessage(num(i).c_str());
    if (channels[0]->sendMessage(m) != 0) ++handlers[0]->wrong_;
    m->release();
  }
  const auto burstWait = std::chrono::milliseconds(20000 + 20LL * kMessages);
  CHECK(waitUntil([&] { return handlers[0]->sent_.load() == kMessages; }, burstWait));
  bool all = waitUntil([&] {
    for (int i = 1; i < kMembers; ++i) {
      if (handlers[i]->received_.load() < kMessages) return false;
    }
    return true;
  }, burstWait);
  CHECK(all);
  const auto burstMs = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - burst).count();
  std::this_thread::sleep_for(kSettle);
  int wrong = 0, extra = 0;
  for (int i = 0; i < kMembers; ++i) {
    wrong += handlers[i]->wrong_.load();
    if (handlers[i]->received_.load() != (i == 0 ? 0 : kMessages)) ++extra;
  }
  CHECK_EQ(wrong, 0);
  CHECK_EQ(extra, 0);

  // Leaves above 512 are not announced; the counts keep coming.
  for (int i = kMembers - 1; i >= 500; --i) CHECK_EQ(channels[i]->leave(), 0);
  // (Both handlers: each client's callbacks run on its own strand, which may lag another's.)
  CHECK(waitUntil([&] { return handlers[0]->lastCount_.load() == 500 && handlers[499]->lastCount_.load() == 500; },
                  kWait));
  // From 600 down to 500: announced only once the channel had at most 512 (members 511 .. 500).
  CHECK_EQ(handlers[0]->memberLeft_.load(), 12);
  CHECK_EQ(handlers[499]->memberLeft_.load(), 12);

  for (IChannel* c : channels) c->release();
  for (IRtmService* s : services) s->release();
  std::printf("scale: %d members joined in %lld ms; %d x %d channel messages delivered in %lld ms\n", kMembers,
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(joined - start).count()),
              kMessages, kMembers - 1, static_cast<long long>(burstMs));
  CHECK(rtm_emulator::destroyInProcess("ch-big"));
}

// 5 000 channel messages from each of two members at once: the third gets all 10 000, each other
// sender the other's 5 000, each exactly once and in send order; every send is answered with 0.
class BurstHandler : public IChannelEventHandler {
 public:
  void onJoinSuccess() override { joined_ = 1; }
  void onMessageReceived(const char* userId, const IMessage* m) override {
    const int sender = userId[0] == 'a' ? 0 : userId[0] == 'b' ? 1 : 2;
    const long long seq = std::atoll(m->getText());
    if (sender == 2 || seq != next_[sender]) ++wrong_;
    next_[sender < 2 ? sender : 0] = seq + 1;
    ++received_;
  }
  void onSendMessageResult(long long, CHANNEL_MESSAGE_ERR_CODE c) override {
    if (c != CHANNEL_MESSAGE_ERR_OK) ++wrong_;
    ++sent_;
  }
  std::atomic<int> joined_{0}, received_{0}, sent_{0}, wrong_{0};
  long long next_[2] = {0, 0};  // callback thread only
};

// With `inlineCallbacks`, every member's handlers take inline callbacks (rtm.emulator.inline_callbacks,
// as the Node binding's do): channel messages reach them on the routing thread when their strand
// is idle, in the same order, none lost or repeated.
void burst(bool inlineCallbacks) {
  makeNamed("ch-burst", "{\"rateLimits\": false}");
  constexpr int kCount = 5000;
  ServiceRecorder ra, rb, rc;
  BurstHandler ha, hb, hc;
  IRtmService* services[3] = {rtm_emulator::createRtmService(), rtm_emulator::createRtmService(),
                              rtm_emulator::createRtmService()};
  ServiceRecorder* recorders[3] = {&ra, &rb, &rc};
  BurstHandler* handlers[3] = {&ha, &hb, &hc};
  IChannel* channels[3] = {};
  const char* names[3] = {"a-sender", "b-sender", "c-listener"};
  for (int i = 0; i < 3; ++i) {
    services[i]->initialize(kAppId, recorders[i]);
    services[i]->setParameters("{\"rtm.emulator.url\":\"inproc://ch-burst\"}");
    if (inlineCallbacks) CHECK_EQ(services[i]->setParameters("{\"rtm.emulator.inline_callbacks\":true}"), 0);
    CHECK_EQ(services[i]->login(nullptr, names[i]), 0);
    CHECK(recorders[i]->waitFor("loginSuccess"));
    channels[i] = services[i]->createChannel("burst", handlers[i]);
    CHECK_EQ(channels[i]->join(), 0);
    CHECK(waitUntil([&] { return handlers[i]->joined_.load() == 1; }, kWait));
  }
  const auto start = Clock::now();
  auto send = [&](int who) {
    for (int i = 0; i < kCount; ++i) {
      IMessage* m = services[who]->createMessage(num(i).c_str());
      if (channels[who]->sendMessage(m) != 0) ++handlers[who]->wrong_;
      m->release();
    }
  };
  std::thread other(send, 1);
  send(0);
  other.join();
  CHECK(waitUntil([&] {
    return ha.sent_.load() == kCount && hb.sent_.load() == kCount && ha.received_.load() == kCount &&
           hb.received_.load() == kCount && hc.received_.load() == 2 * kCount;
  }, std::chrono::seconds(20)));
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  std::this_thread::sleep_for(kSettle);
  CHECK_EQ(ha.received_.load(), kCount);
  CHECK_EQ(hb.received_.load(), kCount);
  CHECK_EQ(hc.received_.load(), 2 * kCount);
  CHECK_EQ(hc.sent_.load(), 0);
  CHECK_EQ(ha.wrong_.load() + hb.wrong_.load() + hc.wrong_.load(), 0);
  CHECK_EQ(ha.next_[1], kCount);
  CHECK_EQ(hb.next_[0], kCount);
  CHECK_EQ(hc.next_[0], kCount);
  CHECK_EQ(hc.next_[1], kCount);
  std::printf("burst%s: 2 x %d channel messages to 3 members in %lld ms\n", inlineCallbacks ? " (inline)" : "", kCount,
              static_cast<long long>(ms));
  for (int i = 0; i < 3; ++i) channels[i]->release();
  for (int i = 0; i < 3; ++i) services[i]->release();
  CHECK(rtm_emulator::destroyInProcess("ch-burst"));
}

void testBurst() { burst(false); }
void testBurstInline() { burst(true); }

// Release orders: channel after service, service from a channel callback.
void testReleaseOrders() {
  makeNamed("ch-release", "{\"rateLimits\": false}");
  Client a("ch-release", "alice");
  Client b("ch-release", "bob");
  Chan ar(a.s, "r"), br(b.s, "r");
  ar.joinOk(1);
  br.joinOk(2);
  // Bob's service released from inside his channel callback: nothing afterwards, no crash.
  IRtmService* bs = b.s;
  br.h.setHook([&](const std::string& e) {
    if (e == "msg alice first") bs->release();
  });
  b.s = nullptr;
  for (const char* text : {"first", "second"}) {
    IMessage* m = a.s->createMessage(text);
    CHECK_EQ(ar.c->sendMessage(m), 0);
    m->release();
  }
  CHECK(br.h.waitFor("msg alice first"));
  CHECK(ar.h.waitFor("-bob"));
  br.h.settleAndTake();
  CHECK_EQ(br.c->join(), JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN);
  br.h.setHook(nullptr);
  br.release();
  CHECK(rtm_emulator::destroyInProcess("ch-release"));
}

}  // namespace

int main() {
  CHECK_EQ(rtm_emulator::liveObjectCount(), 0);
  RUN(testCreateChannel);
  const long long leaked = rtm_emulator::liveObjectCount();  // the one channel testCreateChannel keeps
  RUN(testJoinLeaveMembers);
  RUN(testChannelMessages);
  RUN(testMessageRateLimit);
  RUN(testJoinLimits);
  RUN(testJoinWhileConnecting);
  RUN(testSessionEnds);
  RUN(testLinkLoss);
  RUN(testChannelAttributes);
  RUN(testMemberCountCalls);
  RUN(testCountThrottle);
  RUN(testReleaseOrders);
  RUN(testBurst);
  RUN(testBurstInline);
  RUN(testScale);
  CHECK_EQ(rtm_emulator::liveObjectCount(), leaked);
  return finish("channel_semantics");
}
