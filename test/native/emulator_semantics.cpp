// Checks the emulator's client-side semantics against the observed behaviour of the real SDK
// (shared/rtm-abi.md §8, §8.1) and the choices in docs/ARCHITECTURE.md, with exact callback
// sequences. Plain C++: drives rtm_emulator::createRtmService() directly.
// Prints one line per failed check and a summary; exits non-zero when anything failed.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "check.h"

using namespace agora::rtm;

namespace {

constexpr auto kWait = std::chrono::seconds(3);
// In process, a stray callback follows the expected one within microseconds: takeAfter waits
// this long after the awaited event; absence checks (settleAndTake) wait kQuiet.
constexpr auto kSettle = std::chrono::milliseconds(30);
constexpr auto kQuiet = std::chrono::milliseconds(100);
struct LogTiming {
  static constexpr auto timeout = kWait;
  static constexpr auto settle = kSettle;
  static constexpr auto quiet = kQuiet;
  static constexpr bool countWaitAsCheck = false;
};

std::string shortText(const std::string& text) {
  return text.size() <= 64 ? text : "#" + std::to_string(text.size());
}

std::string statusList(const PeerOnlineStatus* statuses, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    out += std::string(" ") + statuses[i].peerId + ":" + std::to_string(statuses[i].onlineState);
    if (statuses[i].isOnline != (statuses[i].onlineState == PEER_ONLINE_STATE_ONLINE)) out += "!";  // must mirror
  }
  return out;
}

// A received peer message, copied inside the callback.
struct Received {
  std::string from;
  int type = 0;
  std::string text;
  std::string raw;
  long long id = 0;
  long long ts = 0;
  bool offline = false;
};

// Records every callback as a short string, with the thread it ran on.
class Recorder : public IRtmServiceEventHandler, public BasicEventLog<LogTiming> {
 public:
  void onSendMessageResult(long long id, PEER_MESSAGE_ERR_CODE c) override { add(ev("sent", id, c)); }
  void onMessageReceivedFromPeer(const char* peerId, const IMessage* m) override {
    Received r;
    r.from = peerId;
    r.type = m->getMessageType();
    r.text = m->getText();
    if (m->getRawMessageLength() > 0) r.raw.assign(m->getRawMessageData(), m->getRawMessageLength());
    r.id = m->getMessageId();
    r.ts = m->getServerReceivedTs();
    r.offline = m->isOfflineMessage();
    const std::string e = "msg " + r.from + " " + (r.type == MESSAGE_TYPE_RAW ? "raw:" : "") + shortText(r.text) +
                          (r.offline ? " offline" : "");
    {
      std::lock_guard<std::mutex> lock(mu_);
      received_.push_back(std::move(r));
    }
    add(e);
  }
  void onQueryPeersOnlineStatusResult(long long id, const PeerOnlineStatus* st, int n,
                                      QUERY_PEERS_ONLINE_STATUS_ERR c) override {
    add(ev("query", id, c) + statusList(st, n));
  }
  void onSubscriptionRequestResult(long long id, PEER_SUBSCRIPTION_STATUS_ERR c) override { add(ev("sub", id, c)); }
  void onQueryPeersBySubscriptionOptionResult(long long id, const char* peers[], int n,
                                              QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR c) override {
    std::string e = ev("subscribed", id, c);
    for (int i = 0; i < n; ++i) e += std::string(i ? "," : " ") + peers[i];
    add(e);
  }
  void onPeersOnlineStatusChanged(const PeerOnlineStatus st[], int n) override { add("presence" + statusList(st, n)); }
  void onSetLocalUserAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR c) override { add(ev("setAttr", id, c)); }
  void onAddOrUpdateLocalUserAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR c) override {
    add(ev("addAttr", id, c));
  }
  void onDeleteLocalUserAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR c) override { add(ev("delAttr", id, c)); }
  void onClearLocalUserAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR c) override {
    add(ev("clearAttr", id, c));
  }
  void onGetUserAttributesResult(long long id, const char* uid, const RtmAttribute* a, int n,
                                 ATTRIBUTE_OPERATION_ERR c) override {
    std::string e = "getAttr " + std::to_string(id) + " " + uid + " " + std::to_string(c);
    for (int i = 0; i < n; ++i) e += std::string(i ? "," : " ") + a[i].key + "=" + shortText(a[i].value);
    add(e);
  }

  std::vector<Received> takeReceived() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<Received> out;
    out.swap(received_);
    return out;
  }
  void onLoginSuccess() override { add("loginSuccess"); }
  void onLoginFailure(LOGIN_ERR_CODE c) override { add("loginFailure " + std::to_string(c)); }
  void onRenewTokenResult(const char* token, RENEW_TOKEN_ERR_CODE c) override {
    add(std::string("renewToken ") + (token ? token : "(null)") + " " + std::to_string(c));
  }
  void onTokenExpired() override { add("tokenExpired"); }
  void onLogout(LOGOUT_ERR_CODE c) override { add("logout " + std::to_string(c)); }
  void onConnectionStateChanged(CONNECTION_STATE s, CONNECTION_CHANGE_REASON r) override {
    add("state " + std::to_string(s) + " " + std::to_string(r));
  }

 private:
  std::vector<Received> received_;
};

const Events kLoginOk = {"state 2 1", "state 3 2", "loginSuccess"};
const Events kLogoutOk = {"state 1 6", "logout 0"};

IRtmService* makeService(Recorder* r, const std::string& serviceName = "") {
  IRtmService* s = rtm_emulator::createRtmService();
  CHECK_EQ(s->initialize(kAppId, r), 0);
  if (!serviceName.empty()) {
    const std::string params = "{\"rtm.emulator.url\":\"inproc://" + serviceName + "\"}";
    CHECK_EQ(s->setParameters(params.c_str()), 0);
  }
  return s;
}

bool loginOk(IRtmService* s, Recorder* r, const char* uid) {
  const int rc = s->login(nullptr, uid);
  CHECK_EQ(rc, 0);
  const Events ev = r->takeAfter("loginSuccess");
  CHECK_SEQ(ev, "state 2 1", "state 3 2", "loginSuccess");
  return rc == 0 && ev == kLoginOk;
}

// ---------------------------------------------------------------------------------------------

void testInitialize() {
  Recorder r;
  IRtmService* s = rtm_emulator::createRtmService();
  // Before initialize: every request says NOT_INITIALIZED.
  CHECK_EQ(s->login(nullptr, "u"), LOGIN_ERR_NOT_INITIALIZED);
  CHECK_EQ(s->logout(), LOGOUT_ERR_NOT_INITIALIZED);
  CHECK_EQ(s->renewToken("t"), RENEW_TOKEN_ERR_NOT_INITIALIZED);
  CHECK_EQ(s->sendMessageToPeer("p", nullptr), PEER_MESSAGE_ERR_NOT_INITIALIZED);
  CHECK_EQ(s->setParameters("{}"), -7);  // observed: setParameters needs initialize
  // The real SDK crashes here (rtm-abi.md §8.2); the emulator does nothing.
  s->removeEventHandler(&r);

  CHECK_EQ(s->initialize("bad", &r), INIT_ERR_INVALID_APP_ID);
  CHECK_EQ(s->initialize("", &r), INIT_ERR_INVALID_APP_ID);
  CHECK_EQ(s->initialize(nullptr, &r), INIT_ERR_INVALID_APP_ID);
  CHECK_EQ(s->initialize(std::string(31, 'a').c_str(), &r), INIT_ERR_INVALID_APP_ID);
  CHECK_EQ(s->initialize(std::string(33, 'a').c_str(), &r), INIT_ERR_INVALID_APP_ID);
  CHECK_EQ(s->initialize(std::string(32, 'z').c_str(), nullptr), INIT_ERR_INVALID_ARGUMENT);
  CHECK_EQ(s->initialize(std::string(32, 'z').c_str(), &r), INIT_ERR_OK);
  CHECK_EQ(s->initialize(std::string(32, 'z').c_str(), &r), INIT_ERR_ALREADY_INITIALIZED);
  // Observed: the App ID's length is checked first, also on an initialized service.
  CHECK_EQ(s->initialize("bad", &r), INIT_ERR_INVALID_APP_ID);
  CHECK_EQ(s->setParameters("{}"), 0);
  CHECK_SEQ(r.settleAndTake());
  s->release();

  // A service whose initialize failed: removeEventHandler (a crash on the real SDK) is a no-op,
  // and it releases cleanly.
  IRtmService* bad = rtm_emulator::createRtmService();
  CHECK_EQ(bad->initialize("bad", &r), INIT_ERR_INVALID_APP_ID);
  CHECK_EQ(bad->setParameters("{}"), -7);
  bad->removeEventHandler(&r);
  bad->release(true);
  CHECK_STR(rtm_emulator::getRtmSdkVersion(), "1.2.2-emulator");
}

void testLoginLogoutSequences() {
  makeNamed("seq", "{\"rateLimits\": false}");
  Recorder r;
  IRtmService* s = makeService(&r, "seq");

  // Logout while not logged in: accepted, then refused asynchronously.
  CHECK_EQ(s->logout(), 0);
  CHECK_SEQ(r.takeAfter("logout 102"), "logout 102");

  CHECK_STR(rtm_emulator::listUsers("seq"), "[]");
  loginOk(s, &r, "alice");
  CHECK_STR(rtm_emulator::listUsers("seq"), "[\"alice\"]");

  // Callbacks come from threads the emulator owns (its callback pool), never the caller's. (Which
  // pool thread runs a client's next callback is not fixed: a client is a serial queue on the pool.)
  const std::set<std::thread::id> threads = r.threads();
  CHECK(!threads.empty());
  CHECK(threads.count(std::this_thread::get_id()) == 0);

  // Double login: 0, then onLoginFailure(ALREADY_LOGGED_IN), no state change.
  CHECK_EQ(s->login(nullptr, "alice"), 0);
  CHECK_SEQ(r.takeAfter("loginFailure 8"), "loginFailure 8");
  CHECK_EQ(s->login(nullptr, "someone-else"), 0);
  CHECK_SEQ(r.takeAfter("loginFailure 8"), "loginFailure 8");

  // Logout: state first, then the result; the user is offline when logout() returns.
  CHECK_EQ(s->logout(), 0);
  CHECK_STR(rtm_emulator::listUsers("seq"), "[]");
  CHECK_SEQ(r.takeAfter("logout 0"), "state 1 6", "logout 0");

  // Logging in again works; logout right after login (before the answer) is clean too.
  loginOk(s, &r, "alice");
  CHECK_EQ(s->logout(), 0);
  CHECK_SEQ(r.takeAfter("logout 0"), "state 1 6", "logout 0");
  CHECK_EQ(s->login(nullptr, "bob"), 0);
  CHECK_EQ(s->logout(), 0);
  // Either the answer came first or the logout did; both end DISCONNECTED with the user offline.
  // From CONNECTING the result comes before the state change (observed), from CONNECTED after it.
  r.waitFor("state 1 6");
  const Events quick = r.takeAfter("logout 0");
  const bool quickOk = quick == Events({"state 2 1", "logout 0", "state 1 6"}) ||
                       quick == Events({"state 2 1", "state 3 2", "loginSuccess", "state 1 6", "logout 0"});
  report(quickOk, "login+logout sequence " + join(quick), __FILE__, __LINE__);
  CHECK_STR(rtm_emulator::listUsers("seq"), "[]");

  s->release(true);
  CHECK(rtm_emulator::destroyInProcess("seq"));
}

void testUserIdValidation() {
  makeNamed("uids", "{\"rateLimits\": false}");
  Recorder r;
  IRtmService* s = makeService(&r, "uids");
  const std::string tooLong(65, 'x');
  CHECK_EQ(s->login(nullptr, ""), LOGIN_ERR_INVALID_ARGUMENT);
  CHECK_EQ(s->login(nullptr, nullptr), LOGIN_ERR_INVALID_ARGUMENT);
  CHECK_EQ(s->login(nullptr, tooLong.c_str()), LOGIN_ERR_INVALID_ARGUMENT);
  CHECK_EQ(s->login(nullptr, "null"), LOGIN_ERR_INVALID_ARGUMENT);
  CHECK_EQ(s->login(nullptr, "tab\there"), LOGIN_ERR_INVALID_ARGUMENT);
  CHECK_EQ(s->login(nullptr, "caf\xc3\xa9"), LOGIN_ERR_INVALID_ARGUMENT);
  CHECK_EQ(s->login(nullptr, "quote\"d"), LOGIN_ERR_INVALID_ARGUMENT);
  CHECK_EQ(s->login(nullptr, "slash/"), LOGIN_ERR_INVALID_ARGUMENT);
  CHECK_SEQ(r.settleAndTake());  // no callback, no state change

  loginOk(s, &r, "a b!");
  CHECK_STR(rtm_emulator::listUsers("uids"), "[\"a b!\"]");
  CHECK_EQ(s->logout(), 0);
  CHECK_SEQ(r.takeAfter("logout 0"), "state 1 6", "logout 0");

  const std::string max64(64, 'y');
  loginOk(s, &r, max64.c_str());
  CHECK_EQ(s->logout(), 0);
  r.takeAfter("logout 0");
  loginOk(s, &r, "Null#$%&()+-:;<=.>?@[]^_{}|~,");
  s->release(true);
  CHECK_STR(rtm_emulator::listUsers("uids"), "[]");  // release takes the user offline
  CHECK(rtm_emulator::destroyInProcess("uids"));
}

void testCallsBeforeLogin() {
  Recorder r;
  IRtmService* s = makeService(&r);
  long long requestId = 12345;
  const char* peers[] = {"p1"};
  IMessage* m = s->createMessage("hi");
  SendMessageOptions options;
  CHECK_EQ(s->sendMessageToPeer("p1", m), PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ(s->sendMessageToPeer("", m, options), PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN);  // login check first
  CHECK_EQ(s->renewToken("t"), RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ(s->queryPeersOnlineStatus(peers, 1, requestId), QUERY_PEERS_ONLINE_STATUS_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ(s->subscribePeersOnlineStatus(peers, 1, requestId), PEER_SUBSCRIPTION_STATUS_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ(s->getUserAttributes("p1", requestId), ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ(s->getChannelMemberCount(peers, 33, requestId), GET_CHANNEL_MEMBER_COUNT_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ(requestId, 12345);

  IChannel* c = s->createChannel("chan1", nullptr);
  CHECK(c != nullptr);
  CHECK_STR(c->getId(), "chan1");
  CHECK_EQ(c->join(), JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ(c->leave(), LEAVE_CHANNEL_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ(c->getMembers(), GET_MEMBERS_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ(c->sendMessage(m), CHANNEL_MESSAGE_ERR_USER_NOT_LOGGED_IN);
  CHECK_SEQ(r.settleAndTake());

  // After login the same calls are accepted (channels: test/native/channel_semantics.cpp).
  loginOk(s, &r, "before-login-user");
  CHECK_EQ(s->getChannelMemberCount(peers, 1, requestId), GET_CHANNEL_MEMBER_COUNT_ERR_OK);
  CHECK(requestId != 12345);
  CHECK_EQ(c->join(), JOIN_CHANNEL_ERR_OK);
  c->release();
  m->release();
  s->release();
}

void testRemoteLoginAndKick() {
  makeNamed("remote", "{\"rateLimits\": false}");
  Recorder ra, rb;
  IRtmService* a = makeService(&ra, "remote");
  IRtmService* b = makeService(&rb, "remote");
  loginOk(a, &ra, "same");
  loginOk(b, &rb, "same");
  CHECK_SEQ(ra.takeAfter("state 5 8"), "state 5 8");  // ABORTED / REMOTE_LOGIN
  CHECK_STR(rtm_emulator::listUsers("remote"), "[\"same\"]");

  // ABORTED: requests need a login (102); login is refused asynchronously; logout works.
  long long requestId = 7;
  const char* peers[] = {"x"};
  CHECK_EQ(a->renewToken("t"), RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ(a->queryPeersOnlineStatus(peers, 1, requestId), QUERY_PEERS_ONLINE_STATUS_ERR_USER_NOT_LOGGED_IN);
  CHECK_EQ(requestId, 7);
  CHECK_EQ(a->login(nullptr, "same"), 0);
  CHECK_SEQ(ra.takeAfter("loginFailure 8"), "loginFailure 8");
  CHECK_EQ(a->logout(), 0);
  CHECK_SEQ(ra.takeAfter("logout 0"), "state 1 6", "logout 0");
  // A's logout must not end B's session.
  CHECK_STR(rtm_emulator::listUsers("remote"), "[\"same\"]");
  CHECK_SEQ(rb.settleAndTake());

  // Fault injection: kickUser and expireToken.
  CHECK(rtm_emulator::expireToken("remote", "same"));
  CHECK_SEQ(rb.takeAfter("tokenExpired"), "tokenExpired");  // AccessToken: stays connected
  CHECK(!rtm_emulator::expireToken("remote", "nobody"));
  CHECK(rtm_emulator::kickUser("remote", "same"));
  CHECK_SEQ(rb.takeAfter("state 5 8"), "state 5 8");
  CHECK(!rtm_emulator::kickUser("remote", "same"));
  CHECK(!rtm_emulator::kickUser("no-such-service", "same"));
  CHECK_STR(rtm_emulator::listUsers("remote"), "[]");
  CHECK_EQ(b->logout(), 0);
  CHECK_SEQ(rb.takeAfter("logout 0"), "state 1 6", "logout 0");

  a->release();
  b->release();
  CHECK(rtm_emulator::destroyInProcess("remote"));
}

void testIsolationAndRegistry() {
  makeNamed("iso1", "");
  makeNamed("iso2", "");
  std::string error;
  CHECK(!rtm_emulator::createInProcess("iso1", "", &error));
  CHECK(!error.empty());
  CHECK(!rtm_emulator::createInProcess("bad-json", "{", &error));
  CHECK(!rtm_emulator::createInProcess("bad-key", "{\"loginPerMinute\": 3}", &error));
  CHECK(!rtm_emulator::createInProcess("bad-value", "{\"login\": -1}", &error));
  CHECK(!rtm_emulator::createInProcess("", "", &error));
  CHECK(!rtm_emulator::destroyInProcess("bad-json"));
  CHECK_STR(rtm_emulator::listUsers("no-such-service"), "[]");

  Recorder r1, r2;
  IRtmService* s1 = makeService(&r1, "iso1");
  IRtmService* s2 = makeService(&r2, "iso2");
  loginOk(s1, &r1, "twin");
  loginOk(s2, &r2, "twin");
  CHECK_SEQ(r1.settleAndTake());  // different services: no kick
  CHECK_STR(rtm_emulator::listUsers("iso1"), "[\"twin\"]");
  CHECK_STR(rtm_emulator::listUsers("iso2"), "[\"twin\"]");
  CHECK_STR(rtm_emulator::listUsers("default"), "[]");

  // setParameters: the url only before login, only known in-process names.
  CHECK_EQ(s1->setParameters("{\"rtm.emulator.url\":\"inproc://iso2\"}"), -2);
  CHECK_EQ(s1->setParameters("{}"), 0);
  CHECK_EQ(s1->setParameters("garbage"), -2);
  CHECK_EQ(s1->setParameters("[1]"), -2);
  CHECK_EQ(s1->setParameters(nullptr), -2);
  CHECK_EQ(s1->setParameters("{\"some.private.option\": true}"), 0);
  Recorder r3;
  IRtmService* s3 = rtm_emulator::createRtmService();
  CHECK_EQ(s3->initialize(kAppId, &r3), 0);
  CHECK_EQ(s3->setParameters("{\"rtm.emulator.url\":\"inproc://nope\"}"), -2);
  CHECK_EQ(s3->setParameters("{\"rtm.emulator.url\":\"tcp://127.0.0.1:1\"}"), -2);
  CHECK_EQ(s3->setParameters("{\"rtm.emulator.url\":7}"), -2);
  // Log settings, with the codes observed on the real SDK (the emulator writes no log).
  CHECK_EQ(s3->setLogFile("/tmp/agorartm.log"), 0);
  CHECK_EQ(s3->setLogFile("/nonexistent-dir/agorartm.log"), 0);
  CHECK_EQ(s3->setLogFile(""), -1);
  CHECK_EQ(s3->setLogFile(nullptr), -1);
  CHECK_EQ(s3->setLogFile("/tmp"), -1);  // a directory
  CHECK_EQ(s3->setLogFilter(LOG_FILTER_INFO), 0);
  CHECK_EQ(s3->setLogFilter(LOG_FILTER_OFF), 0);
  CHECK_EQ(s3->setLogFileSize(1), 0);      // raised to the 512 KB minimum
  CHECK_EQ(s3->setLogFileSize(10241), 0);  // lowered to the 10 MB maximum
  CHECK_EQ(s3->setLogFileSize(0), -1);
  CHECK_EQ(s3->setLogFileSize(-1), -1);
  s3->release();

  // Destroying a service kicks its sessions.
  CHECK(rtm_emulator::destroyInProcess("iso2"));
  CHECK_SEQ(r2.takeAfter("state 5 7"), "state 5 7");  // ABORTED / BANNED_BY_SERVER
  CHECK_STR(rtm_emulator::listUsers("iso2"), "[]");
  CHECK_SEQ(r1.settleAndTake());
  s1->release();
  s2->release();
  CHECK(rtm_emulator::destroyInProcess("iso1"));
  CHECK(!rtm_emulator::destroyInProcess("iso1"));
}

void testLoginTimeout() {
  // A client whose service has gone away gets no answer: the login times out.
  makeNamed("vanishing", "{\"loginTimeoutMs\": 300}");
  Recorder r;
  IRtmService* s = makeService(&r, "vanishing");
  CHECK(rtm_emulator::destroyInProcess("vanishing"));
  const auto start = std::chrono::steady_clock::now();
  CHECK_EQ(s->login(nullptr, "lonely"), 0);
  CHECK_SEQ(r.takeAfter("state 1 4"), "state 2 1", "loginFailure 9", "state 1 4");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(elapsed >= std::chrono::milliseconds(300));
  // Afterwards the client is DISCONNECTED: logout is refused.
  CHECK_EQ(s->logout(), 0);
  CHECK_SEQ(r.takeAfter("logout 102"), "logout 102");

  // Logout while CONNECTING (no answer yet): onLogout(0), then DISCONNECTED / LOGOUT (observed:
  // in this order, unlike a logout when CONNECTED), and the pending login timeout never fires.
  CHECK_EQ(s->login(nullptr, "lonely"), 0);
  CHECK(r.waitFor("state 2 1"));
  CHECK_EQ(s->logout(), 0);
  CHECK_SEQ(r.takeAfter("state 1 6"), "state 2 1", "logout 0", "state 1 6");
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  CHECK_SEQ(r.take());
  s->release();
}

void testRateLimits() {
  makeNamed("rates", "");  // the default (header v1.2) profile
  Recorder r;
  IRtmService* s = makeService(&r, "rates");
  loginOk(s, &r, "hasty");
  CHECK_EQ(s->login(nullptr, "hasty"), 0);                  // 2nd call within 1 s
  CHECK_EQ(s->login(nullptr, "hasty"), LOGIN_ERR_TOO_OFTEN);  // 3rd call within 1 s
  CHECK_SEQ(r.takeAfter("loginFailure 8"), "loginFailure 8");  // only the 2nd is answered

  CHECK_EQ(s->renewToken(""), RENEW_TOKEN_ERR_INVALID_ARGUMENT);  // observed; not counted
  CHECK_EQ(s->renewToken(nullptr), RENEW_TOKEN_ERR_INVALID_ARGUMENT);
  CHECK_EQ(s->renewToken("tok1"), 0);
  CHECK_EQ(s->renewToken("tok2"), 0);
  CHECK_EQ(s->renewToken("tok3"), RENEW_TOKEN_ERR_TOO_OFTEN);
  CHECK_SEQ(r.takeAfter("renewToken tok2 0"), "renewToken tok1 0", "renewToken tok2 0");
  s->release();

  // "login": 0 switches the limit off.
  makeNamed("norates", "{\"login\": 0}");
  Recorder r2;
  IRtmService* s2 = makeService(&r2, "norates");
  for (int i = 0; i < 5; ++i) CHECK_EQ(s2->login(nullptr, "calm"), 0);
  s2->release(true);
  CHECK(rtm_emulator::destroyInProcess("rates"));
  CHECK(rtm_emulator::destroyInProcess("norates"));
}

void testObjectsAndIds() {
  Recorder r;
  IRtmService* s = makeService(&r);
  IMessage* m1 = s->createMessage();
  IMessage* m2 = s->createMessage("hello");
  const uint8_t raw[] = {1, 2, 3};
  IMessage* m3 = s->createMessage(raw, 3, "desc");
  IMessage* m4 = s->createMessage(raw, 3);
  CHECK_EQ(m1->getMessageId(), 2);  // the first id handed out is 2
  CHECK_EQ(m2->getMessageId(), 3);
  CHECK_EQ(m3->getMessageId(), 4);
  CHECK_EQ(m4->getMessageId(), 5);
  m1->setText("hello");
  CHECK_EQ(m1->getMessageType(), MESSAGE_TYPE_TEXT);
  CHECK_STR(m1->getText(), "hello");
  CHECK_EQ(m2->getMessageType(), MESSAGE_TYPE_TEXT);
  CHECK_EQ(m3->getMessageType(), MESSAGE_TYPE_RAW);
  CHECK_EQ(m3->getRawMessageLength(), 3);
  CHECK(std::memcmp(m3->getRawMessageData(), raw, 3) == 0);
  CHECK_STR(m3->getText(), "desc");
  m3->setText("other");
  CHECK_STR(m3->getText(), "other");
  CHECK_EQ(m3->getMessageType(), MESSAGE_TYPE_RAW);
  CHECK_STR(m4->getText(), "");
  CHECK_EQ(m4->getServerReceivedTs(), 0);
  CHECK(!m4->isOfflineMessage());
  // getRawMessageData is never NULL (observed): "" for a text message or an empty raw payload.
  CHECK(m1->getRawMessageData() != nullptr);
  CHECK_EQ(m1->getRawMessageLength(), 0);
  CHECK(m2->getRawMessageData() != nullptr);
  IMessage* emptyRaw = s->createMessage(raw, 0);  // takes id 6
  CHECK(emptyRaw->getRawMessageData() != nullptr);
  CHECK_EQ(emptyRaw->getRawMessageLength(), 0);
  CHECK_EQ(emptyRaw->getMessageType(), MESSAGE_TYPE_RAW);
  emptyRaw->release();

  IRtmChannelAttribute* attr = s->createChannelAttribute();
  attr->setKey("k");
  attr->setValue("v");
  CHECK_STR(attr->getKey(), "k");
  CHECK_STR(attr->getValue(), "v");
  CHECK_STR(attr->getLastUpdateUserId(), "");
  CHECK_EQ(attr->getLastUpdateTs(), 0);

  IRtmCallManager* cm = s->getRtmCallManager(nullptr);
  CHECK(cm != nullptr);
  CHECK(s->getRtmCallManager(nullptr) == cm);
  ILocalCallInvitation* inv = cm->createLocalCallInvitation("callee1");
  inv->setContent("content");
  inv->setChannelId("room");
  CHECK_STR(inv->getCalleeId(), "callee1");
  CHECK_STR(inv->getContent(), "content");
  CHECK_STR(inv->getChannelId(), "room");
  CHECK_STR(inv->getResponse(), "");
  CHECK_EQ(inv->getState(), LOCAL_INVITATION_STATE_IDLE);
  CHECK_EQ(cm->cancelLocalInvitation(inv), INVITATION_API_CALL_ERR_NOT_STARTED);
  CHECK_EQ(cm->acceptRemoteInvitation(nullptr), INVITATION_API_CALL_ERR_ALREADY_END);

  // Ids keep increasing: channels and attributes take none. Channel ids are checked as the
  // header says (the v1.2.2 binary was observed not to check before login).
  CHECK(s->createChannel("bad\tid", nullptr) == nullptr);
  IChannel* odd = s->createChannel("odd id!", nullptr);
  CHECK(odd != nullptr);
  IMessage* m5 = s->createMessage("x");
  CHECK_EQ(m5->getMessageId(), 7);

  CHECK(rtm_emulator::liveObjectCount() >= 10);
  inv->release();
  cm->release();
  IRtmCallManager* cm2 = s->getRtmCallManager(nullptr);  // a fresh one after release
  CHECK(cm2 != nullptr);
  cm2->release();
  // Release the service first: the remaining objects must stay usable and releasable.
  s->release();
  CHECK_STR(odd->getId(), "odd id!");
  CHECK_EQ(odd->join(), JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN);
  CHECK_STR(m2->getText(), "hello");
  odd->release();
  attr->release();
  for (IMessage* m : {m1, m2, m3, m4, m5}) m->release();
}

void testHandlersAndRelease() {
  makeNamed("handlers", "{\"rateLimits\": false}");
  // Two handlers get every callback; a removed handler gets none.
  Recorder r1, r2;
  IRtmService* s = makeService(&r1, "handlers");
  s->addEventHandler(&r2);
  s->addEventHandler(&r2);  // added once only
  loginOk(s, &r1, "twohanded");
  CHECK_SEQ(r2.takeAfter("loginSuccess"), "state 2 1", "state 3 2", "loginSuccess");
  s->removeEventHandler(&r2);
  CHECK_EQ(s->logout(), 0);
  CHECK_SEQ(r1.takeAfter("logout 0"), "state 1 6", "logout 0");
  CHECK_SEQ(r2.settleAndTake());

  // release() from inside a callback: no later callback, no crash, the user goes offline.
  std::atomic<IRtmService*> target{s};
  std::atomic<int> released{0};
  r1.setHook([&](const std::string& e) {
    if (e == "state 3 2") {
      target.load()->release(true);
      released = 1;
    }
  });
  s->addEventHandler(&r2);  // would be called after r1 for every event
  CHECK_EQ(s->login(nullptr, "selfrelease"), 0);
  CHECK(r1.waitFor("state 3 2"));
  std::this_thread::sleep_for(kSettle);
  CHECK_EQ(released.load(), 1);
  CHECK_SEQ(r1.take(), "state 2 1", "state 3 2");
  CHECK_SEQ(r2.take(), "state 2 1");  // r1 released the service before r2's turn
  CHECK_STR(rtm_emulator::listUsers("handlers"), "[]");
  r1.setHook(nullptr);

  // release() while callbacks are still queued: none arrives after release returns.
  Recorder r3;
  IRtmService* s3 = makeService(&r3, "handlers");
  for (int i = 0; i < 20; ++i) s3->logout();
  s3->release(false);
  const std::size_t seen = r3.take().size();
  std::this_thread::sleep_for(kSettle);
  CHECK_EQ(r3.take().size(), 0);
  CHECK(seen <= 20);

  // release() while logged in with objects still alive.
  Recorder r4;
  IRtmService* s4 = makeService(&r4, "handlers");
  loginOk(s4, &r4, "leaver");
  IChannel* c = s4->createChannel("c", nullptr);
  IMessage* m = s4->createMessage("m");
  s4->release();
  CHECK_STR(rtm_emulator::listUsers("handlers"), "[]");
  CHECK_SEQ(r4.settleAndTake());
  c->release();
  m->release();
  CHECK(rtm_emulator::destroyInProcess("handlers"));
}

// ---------------------------------------------------------------------------------------------
// Peer messages, presence, user attributes

long long nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string sent(long long id, int code) { return ev("sent", id, code); }

void testPeerMessages() {
  makeNamed("peer", "{\"rateLimits\": false}");
  Recorder ra, rb;
  IRtmService* a = makeService(&ra, "peer");
  IRtmService* b = makeService(&rb, "peer");
  loginOk(a, &ra, "alice");
  loginOk(b, &rb, "bob");
  SendMessageOptions offline;
  offline.enableOfflineMessaging = true;

  // Synchronous checks, in order: message, then peer id.
  const std::string max(32768, 't'), over(32769, 't');
  IMessage* big = a->createMessage(over.c_str());
  CHECK_EQ(a->sendMessageToPeer("bob", nullptr), PEER_MESSAGE_ERR_INVALID_MESSAGE);
  CHECK_EQ(a->sendMessageToPeer("bob", big), PEER_MESSAGE_ERR_INVALID_MESSAGE);
  CHECK_EQ(a->sendMessageToPeer("", big, offline), PEER_MESSAGE_ERR_INVALID_MESSAGE);  // message first
  std::vector<uint8_t> rawMax(32764, 7);
  IMessage* rawBig = a->createMessage(rawMax.data(), static_cast<int>(rawMax.size()), "12345");  // 32769 bytes
  CHECK_EQ(a->sendMessageToPeer("bob", rawBig), PEER_MESSAGE_ERR_INVALID_MESSAGE);
  IMessage* hello = a->createMessage("hello");
  for (const char* bad : {"", "null", "a/b", "tab\tx", "caf\xc3\xa9"}) {
    CHECK_EQ(a->sendMessageToPeer(bad, hello), PEER_MESSAGE_ERR_INVALID_USERID);
  }
  CHECK_EQ(a->sendMessageToPeer(nullptr, hello), PEER_MESSAGE_ERR_INVALID_USERID);
  CHECK_EQ(a->sendMessageToPeer(std::string(65, 'p').c_str(), hello), PEER_MESSAGE_ERR_INVALID_USERID);
  CHECK_SEQ(ra.settleAndTake());
  CHECK_SEQ(rb.take());

  // Text, 2-arg overload: the receiver gets it with the same id and the service time; the
  // sender then hears RECEIVED (0). The caller's message may be released at once.
  const long long t0 = nowMs();
  const long long helloId = hello->getMessageId();
  CHECK_EQ(a->sendMessageToPeer("bob", hello), 0);
  hello->release();
  CHECK_SEQ(rb.takeAfter("msg alice hello"), "msg alice hello");
  CHECK_SEQ(ra.takeAfter(sent(helloId, 0)), sent(helloId, 0));
  std::vector<Received> got = rb.takeReceived();
  CHECK_EQ(got.size(), 1);
  if (got.size() == 1) {
    CHECK_EQ(got[0].id, helloId);
    CHECK_EQ(got[0].type, MESSAGE_TYPE_TEXT);
    CHECK(got[0].ts >= t0 && got[0].ts <= nowMs());
    CHECK(!got[0].offline);
    CHECK(got[0].raw.empty());
  }

  // Raw with every byte value and a description; text at exactly 32 KB; multi-byte UTF-8.
  std::vector<uint8_t> bytes(256);
  for (int i = 0; i < 256; ++i) bytes[i] = static_cast<uint8_t>(i);
  IMessage* raw = a->createMessage(bytes.data(), 256, "d\xc3\xa9sc");
  IMessage* full = a->createMessage(max.c_str());
  IMessage* utf8 = a->createMessage("\xe4\xbd\xa0\xe5\xa5\xbd \xf0\x9f\x98\x80");
  CHECK_EQ(a->sendMessageToPeer("bob", raw, offline), 0);
  CHECK_EQ(a->sendMessageToPeer("bob", full), 0);
  CHECK_EQ(a->sendMessageToPeer("bob", utf8), 0);
  CHECK_SEQ(rb.takeAfter("msg alice \xe4\xbd\xa0\xe5\xa5\xbd \xf0\x9f\x98\x80"), "msg alice raw:d\xc3\xa9sc",
            "msg alice #32768", "msg alice \xe4\xbd\xa0\xe5\xa5\xbd \xf0\x9f\x98\x80");
  CHECK_SEQ(ra.takeAfter(sent(utf8->getMessageId(), 0)), sent(raw->getMessageId(), 0), sent(full->getMessageId(), 0),
            sent(utf8->getMessageId(), 0));
  got = rb.takeReceived();
  CHECK_EQ(got.size(), 3);
  if (got.size() == 3) {
    CHECK_EQ(got[0].type, MESSAGE_TYPE_RAW);
    CHECK(got[0].raw == std::string(bytes.begin(), bytes.end()));
    CHECK_EQ(got[0].id, raw->getMessageId());
    CHECK(got[1].text == max);
  }

  // Offline peer: PEER_UNREACHABLE (3), or CACHED_BY_SERVER (4) with enableOfflineMessaging.
  IMessage* m = a->createMessage("to carol");
  CHECK_EQ(a->sendMessageToPeer("carol", m), 0);
  CHECK_SEQ(ra.takeAfter(sent(m->getMessageId(), 3)), sent(m->getMessageId(), 3));
  CHECK_EQ(a->sendMessageToPeer("carol", m, offline), 0);
  CHECK_SEQ(ra.takeAfter(sent(m->getMessageId(), 4)), sent(m->getMessageId(), 4));

  // To oneself: delivered like any peer, then RECEIVED.
  CHECK_EQ(a->sendMessageToPeer("alice", m), 0);
  CHECK_SEQ(ra.takeAfter(sent(m->getMessageId(), 0)), "msg alice to carol", sent(m->getMessageId(), 0));
  ra.takeReceived();

  // The cached message reaches carol at her next login, after the login callbacks.
  Recorder rc;
  IRtmService* c = makeService(&rc, "peer");
  CHECK_EQ(c->login(nullptr, "carol"), 0);
  CHECK_SEQ(rc.takeAfter("msg alice to carol offline"), "state 2 1", "state 3 2", "loginSuccess",
            "msg alice to carol offline");
  got = rc.takeReceived();
  CHECK(got.size() == 1 && got[0].offline && got[0].id == m->getMessageId() && got[0].ts > 0);

  for (IMessage* x : {big, rawBig, raw, full, utf8, m}) x->release();
  a->release();
  b->release();
  c->release();
  CHECK(rtm_emulator::destroyInProcess("peer"));
}

void testOfflineCache() {
  makeNamed("cache", "{\"rateLimits\": false}");
  Recorder ra, rd;
  IRtmService* a = makeService(&ra, "cache");
  IRtmService* d = makeService(&rd, "cache");
  loginOk(a, &ra, "alice");
  SendMessageOptions offline;
  offline.enableOfflineMessaging = true;
  // 205 cached for dave: the service keeps the newest 200.
  long long lastId = 0;
  for (int i = 0; i < 205; ++i) {
    IMessage* m = a->createMessage(("n" + std::to_string(i)).c_str());
    lastId = m->getMessageId();
    CHECK_EQ(a->sendMessageToPeer("dave", m, offline), 0);
    m->release();
  }
  CHECK(ra.waitFor(sent(lastId, 4)));
  CHECK(ra.waitCount(205));
  const Events results = ra.take();
  CHECK_EQ(std::count_if(results.begin(), results.end(), [](const std::string& e) { return e.size() > 2 && e.substr(e.size() - 2) == " 4"; }), 205);

  CHECK_EQ(d->login(nullptr, "dave"), 0);
  CHECK(rd.waitCount(3 + 200));
  std::this_thread::sleep_for(kSettle);
  const Events ev = rd.take();
  CHECK_EQ(ev.size(), 203);
  if (ev.size() == 203) {
    CHECK_SEQ(Events(ev.begin(), ev.begin() + 3), "state 2 1", "state 3 2", "loginSuccess");
    bool inOrder = true;
    for (int i = 0; i < 200; ++i) inOrder = inOrder && ev[3 + i] == "msg alice n" + std::to_string(i + 5) + " offline";
    CHECK(inOrder);
  }
  rd.takeReceived();
  // Exactly once: nothing at the next login.
  CHECK_EQ(d->logout(), 0);
  rd.takeAfter("logout 0");
  loginOk(d, &rd, "dave");
  CHECK_SEQ(rd.settleAndTake());
  a->release();
  d->release();
  CHECK(rtm_emulator::destroyInProcess("cache"));
}

void testRequestsWhileConnecting() {
  makeNamed("early", "{\"rateLimits\": false}");
  Recorder ra, rb;
  IRtmService* b = makeService(&rb, "early");
  loginOk(b, &rb, "bob");
  IRtmService* a = makeService(&ra, "early");
  IMessage* m = a->createMessage("early bird");
  const char* peers[] = {"bob"};
  long long q = 0, attr = 0;
  RtmAttribute kv[] = {{"k", "v"}};
  // CONNECTING: accepted (argument checks still apply), sent once the login succeeds.
  CHECK_EQ(a->login(nullptr, "alice"), 0);
  CHECK_EQ(a->sendMessageToPeer("bob", m), 0);
  CHECK_EQ(a->sendMessageToPeer("bob", nullptr), PEER_MESSAGE_ERR_INVALID_MESSAGE);
  CHECK_EQ(a->queryPeersOnlineStatus(peers, 1, q), 0);
  CHECK_EQ(a->setLocalUserAttributes(kv, 1, attr), 0);
  CHECK_SEQ(ra.takeAfter(ev("setAttr", attr, 0)), "state 2 1", "state 3 2", "loginSuccess", sent(m->getMessageId(), 0),
            ev("query", q, 0) + " bob:0", ev("setAttr", attr, 0));
  CHECK_SEQ(rb.takeAfter("msg alice early bird"), "msg alice early bird");
  a->release();

  // A login that fails (the service is gone: timeout) drops them unanswered.
  makeNamed("gone", "{\"loginTimeoutMs\": 200}");
  Recorder rg;
  IRtmService* g = makeService(&rg, "gone");
  CHECK(rtm_emulator::destroyInProcess("gone"));
  CHECK_EQ(g->login(nullptr, "ghost"), 0);
  CHECK_EQ(g->sendMessageToPeer("bob", m), 0);
  CHECK_EQ(g->subscribePeersOnlineStatus(peers, 1, q), 0);
  CHECK_EQ(g->getUserAttributes("bob", attr), 0);
  CHECK_SEQ(rg.takeAfter("state 1 4"), "state 2 1", "loginFailure 9", "state 1 4");
  // Logout first: dropped unanswered as well.
  CHECK_EQ(g->login(nullptr, "ghost"), 0);
  CHECK_EQ(g->sendMessageToPeer("bob", m), 0);
  CHECK_EQ(g->logout(), 0);
  CHECK_SEQ(rg.takeAfter("state 1 6"), "state 2 1", "logout 0", "state 1 6");
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  CHECK_SEQ(rg.take());
  g->release();
  m->release();
  b->release();
  CHECK(rtm_emulator::destroyInProcess("early"));
}

void testPresence() {
  makeNamed("presence", "{\"rateLimits\": false}");
  Recorder ra, rb, rc;
  IRtmService* a = makeService(&ra, "presence");
  IRtmService* b = makeService(&rb, "presence");
  IRtmService* c = makeService(&rc, "presence");
  loginOk(a, &ra, "alice");
  loginOk(b, &rb, "bob");

  // Synchronous argument checks; the request id stays untouched.
  long long id = 99;
  const char* none[] = {nullptr};
  const char* badId[] = {"bob", "bad/id"};
  std::vector<std::string> many;
  for (int i = 0; i < 600; ++i) many.push_back("u" + std::to_string(i));
  std::vector<const char*> manyPtr;
  for (const std::string& x : many) manyPtr.push_back(x.c_str());
  CHECK_EQ(a->queryPeersOnlineStatus(none, 0, id), QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a->queryPeersOnlineStatus(nullptr, 1, id), QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a->queryPeersOnlineStatus(badId, 2, id), QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a->queryPeersOnlineStatus(manyPtr.data(), 257, id), QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a->subscribePeersOnlineStatus(badId, 2, id), PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a->subscribePeersOnlineStatus(none, -1, id), PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a->subscribePeersOnlineStatus(manyPtr.data(), 513, id), PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW);
  CHECK_EQ(a->unsubscribePeersOnlineStatus(badId, 2, id), PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a->queryPeersBySubscriptionOption(static_cast<PEER_SUBSCRIPTION_OPTION>(1), id),
           QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE);
  CHECK_EQ(id, 99);
  CHECK_SEQ(ra.settleAndTake());

  // Query: ONLINE / OFFLINE, in the order asked (256 ids is fine).
  const char* bc[] = {"bob", "carol"};
  CHECK_EQ(a->queryPeersOnlineStatus(bc, 2, id), 0);
  CHECK_SEQ(ra.takeAfter(ev("query", id, 0) + " bob:0 carol:2"), ev("query", id, 0) + " bob:0 carol:2");
  CHECK_EQ(a->queryPeersOnlineStatus(manyPtr.data(), 256, id), 0);
  CHECK(ra.waitCount(1));
  ra.take();

  // Subscribe: the result, then the snapshot of the newly subscribed peers; then each change.
  CHECK_EQ(a->subscribePeersOnlineStatus(bc, 2, id), 0);
  CHECK_SEQ(ra.takeAfter("presence bob:0 carol:2"), ev("sub", id, 0), "presence bob:0 carol:2");
  CHECK_EQ(a->subscribePeersOnlineStatus(bc, 1, id), 0);  // bob again: no snapshot
  CHECK_SEQ(ra.takeAfter(ev("sub", id, 0)), ev("sub", id, 0));
  loginOk(c, &rc, "carol");
  CHECK_SEQ(ra.takeAfter("presence carol:0"), "presence carol:0");
  CHECK_EQ(c->logout(), 0);
  CHECK_SEQ(ra.takeAfter("presence carol:2"), "presence carol:2");
  rc.takeAfter("logout 0");
  loginOk(c, &rc, "carol");
  CHECK(rtm_emulator::kickUser("presence", "carol"));
  CHECK_SEQ(ra.takeAfter("presence carol:2"), "presence carol:0", "presence carol:2");
  c->logout();
  CHECK_EQ(b->login(nullptr, "bob"), 0);  // ALREADY_LOGGED_IN is not a change
  rb.takeAfter("loginFailure 8");
  CHECK_SEQ(ra.settleAndTake());

  CHECK_EQ(a->queryPeersBySubscriptionOption(PEER_SUBSCRIPTION_OPTION_ONLINE_STATUS, id), 0);
  CHECK_SEQ(ra.takeAfter(ev("subscribed", id, 0) + " bob,carol"), ev("subscribed", id, 0) + " bob,carol");
  CHECK_EQ(a->unsubscribePeersOnlineStatus(bc + 1, 1, id), 0);
  CHECK_SEQ(ra.takeAfter(ev("sub", id, 0)), ev("sub", id, 0));
  rc.take();
  CHECK_EQ(c->login(nullptr, "carol"), 0);
  CHECK(rc.waitFor("loginSuccess"));
  CHECK_SEQ(ra.settleAndTake());  // no longer subscribed

  // At most 512 in total: OVERFLOW (6) as the result, nothing changes.
  CHECK_EQ(a->subscribePeersOnlineStatus(manyPtr.data(), 500, id), 0);
  CHECK(ra.waitFor("sub " + std::to_string(id) + " 0"));
  CHECK_EQ(a->subscribePeersOnlineStatus(manyPtr.data() + 500, 12, id), 0);  // 1 + 500 + 12 = 513
  CHECK(ra.waitFor(ev("sub", id, 6)));
  CHECK_EQ(a->subscribePeersOnlineStatus(manyPtr.data() + 500, 11, id), 0);  // 512
  CHECK(ra.waitFor(ev("sub", id, 0)));
  ra.take();

  // Logout drops every subscription.
  CHECK_EQ(a->logout(), 0);
  ra.takeAfter("logout 0");
  loginOk(a, &ra, "alice");
  CHECK_EQ(a->queryPeersBySubscriptionOption(PEER_SUBSCRIPTION_OPTION_ONLINE_STATUS, id), 0);
  CHECK_SEQ(ra.takeAfter(ev("subscribed", id, 0)), ev("subscribed", id, 0));
  b->logout();
  CHECK_SEQ(ra.settleAndTake());

  a->release();
  b->release();
  c->release();
  CHECK(rtm_emulator::destroyInProcess("presence"));
}

void testUserAttributes() {
  makeNamed("attrs", "{\"rateLimits\": false}");
  Recorder ra, rb;
  IRtmService* a = makeService(&ra, "attrs");
  IRtmService* b = makeService(&rb, "attrs");
  loginOk(a, &ra, "alice");
  loginOk(b, &rb, "bob");
  long long id = 5;

  // Refused at once with INVALID_ARGUMENT (3), the request id untouched: no attributes or keys
  // at all (observed: an empty list is refused), an invalid key in a key list, a bad user id.
  const std::string key32(32, 'k'), key33(33, 'k'), v8k(8192, 'v'), v8k1(8193, 'v'), v8000(8000, 'v');
  RtmAttribute kv[] = {{"k", "v"}};
  const char* oneKey[] = {"k"};
  CHECK_EQ(a->setLocalUserAttributes(nullptr, 1, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a->addOrUpdateLocalUserAttributes(nullptr, -1, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a->setLocalUserAttributes(kv, 0, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a->setLocalUserAttributes(kv, -1, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a->addOrUpdateLocalUserAttributes(kv, 0, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a->deleteLocalUserAttributesByKeys(oneKey, 0, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a->getUserAttributesByKeys("bob", oneKey, 0, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  const char* badKeys[] = {"ok", ""};
  CHECK_EQ(a->deleteLocalUserAttributesByKeys(badKeys, 2, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a->getUserAttributesByKeys("bob", badKeys, 2, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a->getUserAttributes("", id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a->getUserAttributes(nullptr, id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a->getUserAttributes("x/y", id), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK_EQ(id, 5);

  // A bad attribute (empty or over-long key, empty value): INVALID_ARGUMENT too, but the request
  // id is written (a new one each time, observed), and no callback follows.
  auto set1 = [&](const char* k, const char* v) {
    RtmAttribute at[] = {{k, v}};
    return a->setLocalUserAttributes(at, 1, id);
  };
  long long last = 0;  // ids only grow
  auto fresh = [&] {
    const bool f = id > last;
    last = id;
    return f;
  };
  CHECK_EQ(set1("", "v"), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK(fresh());
  CHECK_EQ(set1(nullptr, "v"), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK(fresh());
  CHECK_EQ(set1(key33.c_str(), "v"), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK(fresh());
  CHECK_EQ(set1("k", ""), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK(fresh());
  CHECK_EQ(set1("k", nullptr), ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  CHECK(fresh());
  CHECK_SEQ(ra.settleAndTake());

  // Keys are checked for their length only (observed: a space, a tab are accepted).
  CHECK_EQ(set1("sp ace", "v"), 0);
  CHECK_SEQ(ra.takeAfter(ev("setAttr", id, 0)), ev("setAttr", id, 0));
  CHECK_EQ(set1("t\tab", "v"), 0);
  CHECK_SEQ(ra.takeAfter(ev("setAttr", id, 0)), ev("setAttr", id, 0));
  CHECK_EQ(set1("caf\xc3\xa9", "v"), 0);
  CHECK_SEQ(ra.takeAfter(ev("setAttr", id, 0)), ev("setAttr", id, 0));

  // What the arguments alone exceed (a value over 8 KB, more than 32 attributes or 16 KB in one
  // call): accepted, then the result callback with SIZE_OVERFLOW (4) (observed for a value of
  // 8 193 bytes). Nothing is written.
  CHECK_EQ(set1("k", v8k1.c_str()), 0);
  CHECK(fresh());
  CHECK_SEQ(ra.takeAfter(ev("setAttr", id, 4)), ev("setAttr", id, 4));
  std::vector<std::string> keys;
  for (int i = 0; i < 40; ++i) keys.push_back("key" + std::to_string(i));
  std::vector<RtmAttribute> attrs33;
  for (int i = 0; i < 33; ++i) attrs33.push_back({keys[i].c_str(), "v"});
  CHECK_EQ(a->setLocalUserAttributes(attrs33.data(), 33, id), 0);
  CHECK(fresh());
  CHECK_SEQ(ra.takeAfter(ev("setAttr", id, 4)), ev("setAttr", id, 4));
  CHECK_EQ(a->addOrUpdateLocalUserAttributes(attrs33.data(), 33, id), 0);
  CHECK(fresh());
  CHECK_SEQ(ra.takeAfter(ev("addAttr", id, 4)), ev("addAttr", id, 4));
  RtmAttribute heavy[] = {{"a", v8000.c_str()}, {"b", v8000.c_str()}, {"c", v8000.c_str()}};
  CHECK_EQ(a->setLocalUserAttributes(heavy, 3, id), 0);
  CHECK(fresh());
  CHECK_SEQ(ra.takeAfter(ev("setAttr", id, 4)), ev("setAttr", id, 4));
  CHECK_EQ(a->getUserAttributes("alice", id), 0);
  const std::string kept = "getAttr " + std::to_string(id) + " alice 0 caf\xc3\xa9=v";  // the last set
  CHECK_SEQ(ra.takeAfter(kept), kept);

  // Writes and reads; keys keep the order in which they were first set.
  RtmAttribute ab[] = {{"a", "1"}, {"b", "2"}, {key32.c_str(), "!~"}};
  CHECK_EQ(a->setLocalUserAttributes(ab, 3, id), 0);
  CHECK_SEQ(ra.takeAfter(ev("setAttr", id, 0)), ev("setAttr", id, 0));
  RtmAttribute bc[] = {{"b", "3"}, {"c", "4"}};
  CHECK_EQ(a->addOrUpdateLocalUserAttributes(bc, 2, id), 0);
  CHECK_SEQ(ra.takeAfter(ev("addAttr", id, 0)), ev("addAttr", id, 0));
  CHECK_EQ(a->getUserAttributes("alice", id), 0);
  const std::string all = "a=1,b=3," + key32 + "=!~,c=4";
  CHECK_SEQ(ra.takeAfter("getAttr " + std::to_string(id) + " alice 0 " + all),
            "getAttr " + std::to_string(id) + " alice 0 " + all);
  const char* ca[] = {"c", "a", "zz"};
  CHECK_EQ(a->getUserAttributesByKeys("alice", ca, 3, id), 0);
  CHECK_SEQ(ra.takeAfter("getAttr " + std::to_string(id) + " alice 0 a=1,c=4"),
            "getAttr " + std::to_string(id) + " alice 0 a=1,c=4");
  const char* del[] = {"a", "nope", key32.c_str()};
  CHECK_EQ(a->deleteLocalUserAttributesByKeys(del, 3, id), 0);
  CHECK_SEQ(ra.takeAfter(ev("delAttr", id, 0)), ev("delAttr", id, 0));
  // Another online user reads them; an offline or unknown one is USER_NOT_FOUND (6).
  CHECK_EQ(b->getUserAttributes("alice", id), 0);
  CHECK_SEQ(rb.takeAfter("getAttr " + std::to_string(id) + " alice 0 b=3,c=4"),
            "getAttr " + std::to_string(id) + " alice 0 b=3,c=4");
  CHECK_EQ(b->getUserAttributes("carol", id), 0);
  CHECK_SEQ(rb.takeAfter("getAttr " + std::to_string(id) + " carol 6"), "getAttr " + std::to_string(id) + " carol 6");
  CHECK_EQ(b->getUserAttributesByKeys("nobody", ca, 1, id), 0);
  CHECK_SEQ(rb.takeAfter("getAttr " + std::to_string(id) + " nobody 6"), "getAttr " + std::to_string(id) + " nobody 6");

  // Limits after the operation: SIZE_OVERFLOW as the result; nothing changes.
  std::vector<RtmAttribute> thirty;
  for (int i = 0; i < 30; ++i) thirty.push_back({keys[i].c_str(), "x"});
  CHECK_EQ(a->addOrUpdateLocalUserAttributes(thirty.data(), 30, id), 0);  // 2 + 30 = 32
  CHECK(ra.waitFor(ev("addAttr", id, 0)));
  CHECK_EQ(a->addOrUpdateLocalUserAttributes(thirty.data() + 29, 1, id), 0);  // an update: still 32
  CHECK(ra.waitFor(ev("addAttr", id, 0)));
  RtmAttribute one[] = {{"extra", "1"}};
  CHECK_EQ(a->addOrUpdateLocalUserAttributes(one, 1, id), 0);  // 33
  CHECK(ra.waitFor(ev("addAttr", id, 4)));
  CHECK_EQ(a->setLocalUserAttributes(heavy, 2, id), 0);  // 16002 bytes: fine
  CHECK(ra.waitFor(ev("setAttr", id, 0)));
  const std::string w400(400, 'w');
  RtmAttribute more[] = {{"d", w400.c_str()}};
  CHECK_EQ(a->addOrUpdateLocalUserAttributes(more, 1, id), 0);  // 16403 > 16384
  CHECK(ra.waitFor(ev("addAttr", id, 4)));
  RtmAttribute bigValue[] = {{"a", v8k.c_str()}};
  CHECK_EQ(a->addOrUpdateLocalUserAttributes(bigValue, 1, id), 0);  // 8192-byte value, 16194 in all
  CHECK(ra.waitFor(ev("addAttr", id, 0)));
  ra.take();
  CHECK_EQ(a->getUserAttributes("alice", id), 0);
  CHECK_SEQ(ra.takeAfter("getAttr " + std::to_string(id) + " alice 0 a=#8192,b=#8000"),
            "getAttr " + std::to_string(id) + " alice 0 a=#8192,b=#8000");
  CHECK_EQ(a->clearLocalUserAttributes(id), 0);
  CHECK_SEQ(ra.takeAfter(ev("clearAttr", id, 0)), ev("clearAttr", id, 0));
  CHECK_EQ(a->getUserAttributes("alice", id), 0);
  CHECK_SEQ(ra.takeAfter("getAttr " + std::to_string(id) + " alice 0"), "getAttr " + std::to_string(id) + " alice 0");

  // Cleared at logout.
  CHECK_EQ(a->setLocalUserAttributes(ab, 2, id), 0);
  CHECK(ra.waitFor(ev("setAttr", id, 0)));
  CHECK_EQ(a->logout(), 0);
  ra.takeAfter("logout 0");
  CHECK_EQ(b->getUserAttributes("alice", id), 0);
  CHECK_SEQ(rb.takeAfter("getAttr " + std::to_string(id) + " alice 6"), "getAttr " + std::to_string(id) + " alice 6");
  loginOk(a, &ra, "alice");
  CHECK_EQ(a->getUserAttributes("alice", id), 0);
  CHECK_SEQ(ra.takeAfter("getAttr " + std::to_string(id) + " alice 0"), "getAttr " + std::to_string(id) + " alice 0");

  a->release();
  b->release();
  CHECK(rtm_emulator::destroyInProcess("attrs"));
}

void testLinkDrop() {
  // The steps between two timers must fit in the gap between them, also on a loaded machine
  // (100 ms gaps failed there): 400 ms gaps.
  makeNamed("drop",
            "{\"rateLimits\": false, \"interruptedAfterMs\": 400, \"unreachableAfterMs\": 800, "
            "\"offlineAfterMs\": 2000, \"peerMessageTimeoutMs\": 1200}");
  Recorder ra, rb;
  IRtmService* a = makeService(&ra, "drop");
  IRtmService* b = makeService(&rb, "drop");
  loginOk(a, &ra, "alice");
  loginOk(b, &rb, "bob");
  long long id = 0;
  const char* bob[] = {"bob"};
  RtmAttribute kv[] = {{"mood", "ok"}};
  CHECK_EQ(b->setLocalUserAttributes(kv, 1, id), 0);
  CHECK(rb.waitFor(ev("setAttr", id, 0)));
  rb.take();
  CHECK_EQ(a->subscribePeersOnlineStatus(bob, 1, id), 0);
  CHECK_SEQ(ra.takeAfter("presence bob:0"), ev("sub", id, 0), "presence bob:0");
  CHECK(!rtm_emulator::dropConnection("drop", "nobody"));
  CHECK(!rtm_emulator::restoreConnection("drop", "nobody"));
  CHECK(!rtm_emulator::dropConnection("no-such-service", "bob"));

  // Bob's link goes silent: RECONNECTING/INTERRUPTED for him after interruptedAfterMs;
  // UNREACHABLE for his subscribers after unreachableAfterMs. A message to him is held.
  CHECK(rtm_emulator::dropConnection("drop", "bob"));
  CHECK(rtm_emulator::dropConnection("drop", "bob"));  // already down: nothing more
  IMessage* m1 = a->createMessage("m1");
  CHECK_EQ(a->sendMessageToPeer("bob", m1), 0);
  CHECK_SEQ(rb.takeAfter("state 4 5"), "state 4 5");
  CHECK_SEQ(ra.takeAfter("presence bob:1"), "presence bob:1");
  // A query says ONLINE (never UNREACHABLE); his attributes are still there.
  CHECK_EQ(a->queryPeersOnlineStatus(bob, 1, id), 0);
  CHECK_SEQ(ra.takeAfter(ev("query", id, 0) + " bob:0"), ev("query", id, 0) + " bob:0");
  CHECK_EQ(a->getUserAttributes("bob", id), 0);
  CHECK_SEQ(ra.takeAfter("getAttr " + std::to_string(id) + " bob 0 mood=ok"),
            "getAttr " + std::to_string(id) + " bob 0 mood=ok");
  // Back within the message timeout: CONNECTED/LOGIN_SUCCESS (no onLoginSuccess), then the
  // held message; the sender hears RECEIVED; subscribers see ONLINE.
  CHECK(rtm_emulator::restoreConnection("drop", "bob"));
  CHECK_SEQ(rb.takeAfter("msg alice m1"), "state 3 2", "msg alice m1");
  CHECK(ra.waitFor("presence bob:0"));
  CHECK(ra.waitFor(sent(m1->getMessageId(), 0)));
  CHECK_EQ(ra.take().size(), 2);

  // Silent past the message timeout: SENT_TIMEOUT (2); past offlineAfterMs: OFFLINE, the
  // session is gone (and its attributes with it); the held message still arrives on restore.
  CHECK(rtm_emulator::dropConnection("drop", "bob"));
  IMessage* m2 = a->createMessage("m2");
  CHECK_EQ(a->sendMessageToPeer("bob", m2), 0);
  CHECK_SEQ(ra.takeAfter(sent(m2->getMessageId(), 2)), "presence bob:1", sent(m2->getMessageId(), 2));
  CHECK_SEQ(ra.takeAfter("presence bob:2"), "presence bob:2");
  CHECK_STR(rtm_emulator::listUsers("drop"), "[\"alice\"]");
  CHECK_EQ(a->getUserAttributes("bob", id), 0);
  CHECK_SEQ(ra.takeAfter("getAttr " + std::to_string(id) + " bob 6"), "getAttr " + std::to_string(id) + " bob 6");
  SendMessageOptions offline;
  offline.enableOfflineMessaging = true;
  IMessage* m3 = a->createMessage("m3");
  CHECK_EQ(a->sendMessageToPeer("bob", m3, offline), 0);
  CHECK_SEQ(ra.takeAfter(sent(m3->getMessageId(), 4)), sent(m3->getMessageId(), 4));
  CHECK_SEQ(rb.take(), "state 4 5");
  // Restore: logged in again (same state sequence, no onLoginSuccess), held then cached message;
  // ONLINE again with attributes and subscriptions restored.
  CHECK(rtm_emulator::restoreConnection("drop", "bob"));
  CHECK_SEQ(rb.takeAfter("msg alice m3 offline"), "state 3 2", "msg alice m2", "msg alice m3 offline");
  CHECK_SEQ(ra.takeAfter("presence bob:0"), "presence bob:0");
  CHECK_STR(rtm_emulator::listUsers("drop"), "[\"alice\",\"bob\"]");
  CHECK_EQ(a->getUserAttributes("bob", id), 0);
  CHECK_SEQ(ra.takeAfter("getAttr " + std::to_string(id) + " bob 0 mood=ok"),
            "getAttr " + std::to_string(id) + " bob 0 mood=ok");

  // The sender's own link: sends wait for it; those that time out are not sent later.
  const char* alice[] = {"alice"};
  CHECK_EQ(b->subscribePeersOnlineStatus(alice, 1, id), 0);
  CHECK_SEQ(rb.takeAfter("presence alice:0"), ev("sub", id, 0), "presence alice:0");
  CHECK(rtm_emulator::dropConnection("drop", "alice"));
  IMessage* m4 = a->createMessage("m4");
  CHECK_EQ(a->sendMessageToPeer("bob", m4), 0);
  CHECK_SEQ(ra.takeAfter(sent(m4->getMessageId(), 2)), "state 4 5", sent(m4->getMessageId(), 2));
  IMessage* m5 = a->createMessage("m5");
  CHECK_EQ(a->sendMessageToPeer("bob", m5), 0);
  CHECK(rb.waitFor("presence alice:1"));
  CHECK(rtm_emulator::restoreConnection("drop", "alice"));
  CHECK(ra.waitFor(sent(m5->getMessageId(), 0)));
  CHECK_SEQ(ra.take(), "state 3 2", sent(m5->getMessageId(), 0));
  CHECK_SEQ(rb.takeAfter("msg alice m5"), "presence alice:1", "presence alice:0", "msg alice m5");
  // Drop then restore before interruptedAfterMs: nothing visible at all.
  CHECK(rtm_emulator::dropConnection("drop", "alice"));
  CHECK(rtm_emulator::restoreConnection("drop", "alice"));
  CHECK_SEQ(ra.settleAndTake());
  CHECK_SEQ(rb.take());

  // Logout while the link is down ends the session at once.
  CHECK(rtm_emulator::dropConnection("drop", "bob"));
  CHECK_EQ(b->logout(), 0);
  CHECK_SEQ(rb.takeAfter("logout 0"), "state 1 6", "logout 0");
  CHECK_SEQ(ra.takeAfter("presence bob:2"), "presence bob:2");
  CHECK(!rtm_emulator::restoreConnection("drop", "bob"));

  for (IMessage* x : {m1, m2, m3, m4, m5}) x->release();
  a->release();
  b->release();
  CHECK(rtm_emulator::destroyInProcess("drop"));
}

void testRateLimitsDefaultProfile() {
  makeNamed("rates-v12", "");
  Recorder ra;
  IRtmService* a = makeService(&ra, "rates-v12");
  loginOk(a, &ra, "hasty");
  // Peer messages: 60 per second, both overloads on one budget.
  IMessage* m = a->createMessage("x");
  SendMessageOptions options;
  for (int i = 0; i < 30; ++i) CHECK_EQ(a->sendMessageToPeer("nobody", m), 0);
  for (int i = 0; i < 30; ++i) CHECK_EQ(a->sendMessageToPeer("nobody", m, options), 0);
  CHECK_EQ(a->sendMessageToPeer("nobody", m), PEER_MESSAGE_ERR_TOO_OFTEN);
  CHECK_EQ(a->sendMessageToPeer("nobody", m, options), PEER_MESSAGE_ERR_TOO_OFTEN);
  CHECK_EQ(a->sendMessageToPeer("nobody", nullptr), PEER_MESSAGE_ERR_INVALID_MESSAGE);  // checked before the rate
  // Presence: 10 per 5 s each, separate budgets.
  long long id = 0;
  const char* p[] = {"nobody"};
  for (int i = 0; i < 10; ++i) CHECK_EQ(a->queryPeersOnlineStatus(p, 1, id), 0);
  CHECK_EQ(a->queryPeersOnlineStatus(p, 1, id), QUERY_PEERS_ONLINE_STATUS_ERR_TOO_OFTEN);
  for (int i = 0; i < 10; ++i) CHECK_EQ(a->subscribePeersOnlineStatus(p, 1, id), 0);
  CHECK_EQ(a->subscribePeersOnlineStatus(p, 1, id), PEER_SUBSCRIPTION_STATUS_ERR_TOO_OFTEN);
  for (int i = 0; i < 10; ++i) CHECK_EQ(a->unsubscribePeersOnlineStatus(p, 1, id), 0);
  CHECK_EQ(a->unsubscribePeersOnlineStatus(p, 1, id), PEER_SUBSCRIPTION_STATUS_ERR_TOO_OFTEN);
  for (int i = 0; i < 10; ++i) CHECK_EQ(a->queryPeersBySubscriptionOption(PEER_SUBSCRIPTION_OPTION_ONLINE_STATUS, id), 0);
  CHECK_EQ(a->queryPeersBySubscriptionOption(PEER_SUBSCRIPTION_OPTION_ONLINE_STATUS, id),
           QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TOO_OFTEN);
  // User attributes: writes 10 per 5 s together, reads 40 per 5 s together.
  RtmAttribute kv[] = {{"k", "v"}};
  const char* k[] = {"k"};
  for (int i = 0; i < 3; ++i) CHECK_EQ(a->setLocalUserAttributes(kv, 1, id), 0);
  for (int i = 0; i < 3; ++i) CHECK_EQ(a->addOrUpdateLocalUserAttributes(kv, 1, id), 0);
  for (int i = 0; i < 2; ++i) CHECK_EQ(a->deleteLocalUserAttributesByKeys(k, 1, id), 0);
  for (int i = 0; i < 2; ++i) CHECK_EQ(a->clearLocalUserAttributes(id), 0);
  CHECK_EQ(a->clearLocalUserAttributes(id), ATTRIBUTE_OPERATION_ERR_TOO_OFTEN);
  CHECK_EQ(a->setLocalUserAttributes(kv, 1, id), ATTRIBUTE_OPERATION_ERR_TOO_OFTEN);
  for (int i = 0; i < 20; ++i) CHECK_EQ(a->getUserAttributes("hasty", id), 0);
  for (int i = 0; i < 20; ++i) CHECK_EQ(a->getUserAttributesByKeys("hasty", k, 1, id), 0);
  CHECK_EQ(a->getUserAttributes("hasty", id), ATTRIBUTE_OPERATION_ERR_TOO_OFTEN);
  CHECK(ra.waitCount(60 + 40 + 10 + 40));
  m->release();
  a->release();
  CHECK(rtm_emulator::destroyInProcess("rates-v12"));
}

void testProfiles() {
  std::string error;
  CHECK(!rtm_emulator::createInProcess("p-bad", "{\"profile\": \"v9\"}", &error));
  CHECK(error.find("profile") != std::string::npos);
  CHECK(!rtm_emulator::createInProcess("p-bad", "{\"profile\": 5}", &error));
  CHECK(!rtm_emulator::createInProcess("p-bad", "{\"offlineAfterMs\": 0}", &error));
  makeNamed("p-linux", "{\"profile\": \"linux-1.4\"}");
  // An override applies after the profile, wherever it stands in the object.
  makeNamed("p-unlimited", "{\"queryPeersOnlineStatus\": 3, \"profile\": \"unlimited\"}");
  makeNamed("p-v12", "{\"profile\": \"v1.2\", \"rateLimits\": false, \"login\": 1}");

  long long id = 0;
  const char* p[] = {"nobody"};
  Recorder r1, r2, r3;
  IRtmService* s1 = makeService(&r1, "p-linux");
  IRtmService* s2 = makeService(&r2, "p-unlimited");
  IRtmService* s3 = makeService(&r3, "p-v12");
  loginOk(s1, &r1, "one");
  loginOk(s2, &r2, "two");
  loginOk(s3, &r3, "three");
  // linux-1.4: 100 queries per 5 s, 1500 messages per 3 s.
  for (int i = 0; i < 100; ++i) CHECK_EQ(s1->queryPeersOnlineStatus(p, 1, id), 0);
  CHECK_EQ(s1->queryPeersOnlineStatus(p, 1, id), QUERY_PEERS_ONLINE_STATUS_ERR_TOO_OFTEN);
  IMessage* m = s1->createMessage("x");
  int accepted = 0;
  while (s1->sendMessageToPeer("nobody", m) == 0 && accepted < 2000) ++accepted;
  CHECK_EQ(accepted, 1500);
  // unlimited, with one override.
  for (int i = 0; i < 3; ++i) CHECK_EQ(s2->queryPeersOnlineStatus(p, 1, id), 0);
  CHECK_EQ(s2->queryPeersOnlineStatus(p, 1, id), QUERY_PEERS_ONLINE_STATUS_ERR_TOO_OFTEN);
  for (int i = 0; i < 100; ++i) CHECK_EQ(s2->sendMessageToPeer("nobody", m), 0);
  for (int i = 0; i < 50; ++i) CHECK_EQ(s2->subscribePeersOnlineStatus(p, 1, id), 0);
  // rateLimits:false applies after the profile; the login override after that.
  for (int i = 0; i < 100; ++i) CHECK_EQ(s3->sendMessageToPeer("nobody", m), 0);
  CHECK_EQ(s3->login(nullptr, "three"), LOGIN_ERR_TOO_OFTEN);
  m->release();
  s1->release();
  s2->release();
  s3->release();
  for (const char* n : {"p-linux", "p-unlimited", "p-v12"}) CHECK(rtm_emulator::destroyInProcess(n));
}

// Two clients flood each other; every message arrives once, in order, and every send is answered.
class BurstHandler : public IRtmServiceEventHandler {
 public:
  void onLoginSuccess() override { bump(&logins_); }
  void onSendMessageResult(long long, PEER_MESSAGE_ERR_CODE c) override {
    if (c != PEER_MESSAGE_ERR_OK) ++badResults_;
    bump(&results_);
  }
  void onMessageReceivedFromPeer(const char*, const IMessage* m) override {
    const std::string expected = "m" + std::to_string(received_.load());
    const bool isText = m->getMessageType() == MESSAGE_TYPE_TEXT;
    const std::string got = isText ? std::string(m->getText())
                                   : std::string(m->getRawMessageData(), m->getRawMessageLength());
    if (got != expected) ++outOfOrder_;
    bump(&received_);
  }
  bool waitFor(std::atomic<int>* counter, int n, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return counter->load() >= n; });
  }
  std::atomic<int> logins_{0}, results_{0}, badResults_{0}, received_{0}, outOfOrder_{0};

 private:
  void bump(std::atomic<int>* c) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++*c;
    }
    cv_.notify_all();
  }
  std::mutex mu_;
  std::condition_variable cv_;
};

void testBurst() {
  makeNamed("burst", "{\"profile\": \"unlimited\"}");
  BurstHandler ha, hb;
  IRtmService* a = rtm_emulator::createRtmService();
  IRtmService* b = rtm_emulator::createRtmService();
  CHECK_EQ(a->initialize(kAppId, &ha), 0);
  CHECK_EQ(b->initialize(kAppId, &hb), 0);
  CHECK_EQ(a->setParameters("{\"rtm.emulator.url\":\"inproc://burst\"}"), 0);
  CHECK_EQ(b->setParameters("{\"rtm.emulator.url\":\"inproc://burst\"}"), 0);
  CHECK_EQ(a->login(nullptr, "burst-a"), 0);
  CHECK_EQ(b->login(nullptr, "burst-b"), 0);
  CHECK(ha.waitFor(&ha.logins_, 1, kWait) && hb.waitFor(&hb.logins_, 1, kWait));
  constexpr int kCount = 10000;
  const auto start = std::chrono::steady_clock::now();
  std::thread other([&] {
    for (int i = 0; i < kCount; ++i) {
      const std::string text = "m" + std::to_string(i);
      IMessage* m = b->createMessage(reinterpret_cast<const uint8_t*>(text.data()), static_cast<int>(text.size()));
      if (b->sendMessageToPeer("burst-a", m) != 0) ++hb.badResults_;
      m->release();
    }
  });
  for (int i = 0; i < kCount; ++i) {
    IMessage* m = a->createMessage(("m" + std::to_string(i)).c_str());
    if (a->sendMessageToPeer("burst-b", m) != 0) ++ha.badResults_;
    m->release();
  }
  other.join();
  const auto timeout = std::chrono::seconds(5);
  CHECK(ha.waitFor(&ha.results_, kCount, timeout) && hb.waitFor(&hb.results_, kCount, timeout));
  CHECK(ha.waitFor(&ha.received_, kCount, timeout) && hb.waitFor(&hb.received_, kCount, timeout));
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  std::this_thread::sleep_for(kSettle);
  CHECK_EQ(ha.received_.load(), kCount);
  CHECK_EQ(hb.received_.load(), kCount);
  CHECK_EQ(ha.results_.load(), kCount);
  CHECK_EQ(hb.results_.load(), kCount);
  CHECK_EQ(ha.outOfOrder_.load() + hb.outOfOrder_.load(), 0);
  CHECK_EQ(ha.badResults_.load() + hb.badResults_.load(), 0);
  CHECK(ms < 3000);
  std::printf("burst: 2 x %d messages in %lld ms\n", kCount, static_cast<long long>(ms));
  a->release();
  b->release();
  CHECK(rtm_emulator::destroyInProcess("burst"));
}

}  // namespace

int main() {
  CHECK_EQ(rtm_emulator::liveObjectCount(), 0);
  RUN(testInitialize);
  RUN(testLoginLogoutSequences);
  RUN(testUserIdValidation);
  RUN(testCallsBeforeLogin);
  RUN(testRemoteLoginAndKick);
  RUN(testIsolationAndRegistry);
  RUN(testLoginTimeout);
  RUN(testRateLimits);
  RUN(testObjectsAndIds);
  RUN(testHandlersAndRelease);
  RUN(testPeerMessages);
  RUN(testOfflineCache);
  RUN(testRequestsWhileConnecting);
  RUN(testPresence);
  RUN(testUserAttributes);
  RUN(testLinkDrop);
  RUN(testRateLimitsDefaultProfile);
  RUN(testProfiles);
  RUN(testBurst);
  CHECK_EQ(rtm_emulator::liveObjectCount(), 0);
  return finish("emulator_semantics");
}
