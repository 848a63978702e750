// Checks the emulator's call invitations (IRtmCallManager, ILocalCallInvitation,
// IRemoteCallInvitation): both sides' state sequences and callbacks, the failures (offline, no
// response, expiry, accept failure, a party leaving), the API's misuse codes, and object
// lifetimes (liveObjectCount back to 0). Plain C++: drives rtm_emulator::createRtmService()
// directly, on in-process services with shortened timers.
// Prints one line per failed check and a summary; exits non-zero when anything failed.
#define CHECK_STR_MAX 80  // failures print only the start of long contents

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
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
constexpr auto kSettle = std::chrono::milliseconds(150);  // long enough for a stray callback
struct LogTiming {
  static constexpr auto timeout = kWait;
  static constexpr auto settle = kSettle;
  static constexpr auto quiet = kSettle;
  static constexpr bool countWaitAsCheck = false;
};

// The timers of the service most tests use.
constexpr int kAckMs = 400;
constexpr int kExpireMs = 600;
constexpr int kAcceptAckMs = 250;
const char kService[] = "inv";

long long msSince(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
}

using Log = BasicEventLog<LogTiming>;

class ServiceLog : public IRtmServiceEventHandler, public Log {
 public:
  void onLoginSuccess() override { add("loginSuccess"); }
  void onLoginFailure(LOGIN_ERR_CODE c) override { add("loginFailure " + std::to_string(c)); }
  void onLogout(LOGOUT_ERR_CODE c) override { add("logout " + std::to_string(c)); }
  void onConnectionStateChanged(CONNECTION_STATE s, CONNECTION_CHANGE_REASON r) override {
    add("state " + std::to_string(s) + " " + std::to_string(r));
  }
};

// Call events: "L <what> s<state read inside the callback>" for the caller's invitations,
// "R <what> s<state>" for the callee's. Remote invitations are kept for the test to answer
// and release.
class CallLog : public IRtmCallEventHandler, public Log {
 public:
  void onLocalInvitationReceivedByPeer(ILocalCallInvitation* inv) override { local(inv, "received"); }
  void onLocalInvitationCanceled(ILocalCallInvitation* inv) override { local(inv, "canceled"); }
  void onLocalInvitationFailure(ILocalCallInvitation* inv, LOCAL_INVITATION_ERR_CODE c) override {
    local(inv, "failure " + std::to_string(c));
  }
  void onLocalInvitationAccepted(ILocalCallInvitation* inv, const char* response) override {
    local(inv, std::string("accepted '") + (response ? response : "(null)") + "'");
  }
  void onLocalInvitationRefused(ILocalCallInvitation* inv, const char* response) override {
    local(inv, std::string("refused '") + (response ? response : "(null)") + "'");
  }
  void onRemoteInvitationReceived(IRemoteCallInvitation* inv) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      remotes_.push_back(inv);
    }
    if (verbose_) {
      remote(inv, std::string("received from=") + inv->getCallerId() + " content=" + inv->getContent() +
                      " channel=" + inv->getChannelId());
    } else {
      remote(inv, "received");
    }
    std::function<void(IRemoteCallInvitation*)> hook;
    {
      std::lock_guard<std::mutex> lock(mu_);
      hook = onReceived_;
    }
    if (hook) hook(inv);
  }
  void onRemoteInvitationRefused(IRemoteCallInvitation* inv) override { remote(inv, "refused"); }
  void onRemoteInvitationAccepted(IRemoteCallInvitation* inv) override { remote(inv, "accepted"); }
  void onRemoteInvitationFailure(IRemoteCallInvitation* inv, REMOTE_INVITATION_ERR_CODE c) override {
    remote(inv, "failure " + std::to_string(c));
  }
  void onRemoteInvitationCanceled(IRemoteCallInvitation* inv) override { remote(inv, "canceled"); }

  IRemoteCallInvitation* lastRemote() {
    std::lock_guard<std::mutex> lock(mu_);
    return remotes_.empty() ? nullptr : remotes_.back();
  }
  std::vector<IRemoteCallInvitation*> remotes() {
    std::lock_guard<std::mutex> lock(mu_);
    return remotes_;
  }
  void releaseRemotes() {
    std::vector<IRemoteCallInvitation*> all;
    {
      std::lock_guard<std::mutex> lock(mu_);
      all.swap(remotes_);
    }
    for (IRemoteCallInvitation* r : all) r->release();
  }
  // Per-object event history (tests with many invitations).
  std::map<const void*, Events> byObject() {
    std::lock_guard<std::mutex> lock(mu_);
    return byObject_;
  }
  void setVerbose(bool v) { verbose_ = v; }  // before any invitation arrives
  void setOnReceived(std::function<void(IRemoteCallInvitation*)> f) {
    std::lock_guard<std::mutex> lock(mu_);
    onReceived_ = std::move(f);
  }
  // Runs after a caller-side event has been recorded (on the callback thread).
  void setOnLocal(std::function<void(ILocalCallInvitation*, const std::string&)> f) {
    std::lock_guard<std::mutex> lock(mu_);
    onLocal_ = std::move(f);
  }

 private:
  void local(ILocalCallInvitation* inv, const std::string& what) {
    const std::string e = "L " + what + " s" + std::to_string(inv->getState());
    record(inv, e);
    std::function<void(ILocalCallInvitation*, const std::string&)> hook;
    {
      std::lock_guard<std::mutex> lock(mu_);
      hook = onLocal_;
    }
    if (hook) hook(inv, e);
  }
  void remote(IRemoteCallInvitation* inv, const std::string& what) {
    const std::string e = "R " + what + " s" + std::to_string(inv->getState());
    record(inv, e);
  }
  void record(const void* inv, const std::string& e) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      byObject_[inv].push_back(e);
    }
    add(e);
  }

  std::mutex mu_;
  std::vector<IRemoteCallInvitation*> remotes_;
  std::map<const void*, Events> byObject_;
  std::atomic<bool> verbose_{true};
  std::function<void(IRemoteCallInvitation*)> onReceived_;
  std::function<void(ILocalCallInvitation*, const std::string&)> onLocal_;
};

// One client: a service logged in (or not) on an in-process service, with its call manager.
struct Client {
  ServiceLog svc;
  CallLog calls;
  IRtmService* s = nullptr;
  IRtmCallManager* cm = nullptr;
  std::string uid;

  Client(const std::string& serviceName, const std::string& userId, bool login = true, bool callManager = true)
      : uid(userId) {
    s = rtm_emulator::createRtmService();
    CHECK_EQ(s->initialize(kAppId, &svc), 0);
    const std::string params = "{\"rtm.emulator.url\":\"inproc://" + serviceName + "\"}";
    CHECK_EQ(s->setParameters(params.c_str()), 0);
    if (callManager) cm = s->getRtmCallManager(&calls);
    if (login) this->login();
  }
  void login() {
    CHECK_EQ(s->login(nullptr, uid.c_str()), 0);
    CHECK(svc.waitFor("loginSuccess"));
    svc.take();
  }
  void logout() {
    CHECK_EQ(s->logout(), 0);
    CHECK(svc.waitFor("logout 0"));
    svc.take();
  }
  void release() {
    if (cm != nullptr) cm->release();
    cm = nullptr;
    calls.releaseRemotes();
    if (s != nullptr) s->release(true);
    s = nullptr;
  }
  ~Client() { release(); }

  ILocalCallInvitation* invite(const std::string& callee, const char* content = nullptr,
                               const char* channel = nullptr) {
    ILocalCallInvitation* inv = cm->createLocalCallInvitation(callee.c_str());
    if (content != nullptr) inv->setContent(content);
    if (channel != nullptr) inv->setChannelId(channel);
    return inv;
  }
};

std::string limitsJson(int ackMs, int expireMs, int acceptAckMs) {
  return "{\"rateLimits\": false, \"invitationAckTimeoutMs\": " + std::to_string(ackMs) +
         ", \"invitationExpireMs\": " + std::to_string(expireMs) +
         ", \"invitationAcceptAckTimeoutMs\": " + std::to_string(acceptAckMs) + "}";
}

// ---------------------------------------------------------------------------------------------

void testObjectsAndCallsBeforeLogin() {
  Client a(kService, "pre-a", /*login=*/false);
  // One call manager per service.
  CHECK(a.s->getRtmCallManager(&a.calls) == a.cm);
  CHECK(a.s->getRtmCallManager(nullptr) == a.cm);

  const std::string longId(65, 'x');
  ILocalCallInvitation* big = a.cm->createLocalCallInvitation(longId.c_str());
  CHECK(big != nullptr);  // observed: no check at creation
  CHECK_STR(big->getCalleeId(), longId);

  ILocalCallInvitation* inv = a.invite("pre-b", "hello", "chan");
  CHECK_STR(inv->getCalleeId(), "pre-b");
  CHECK_STR(inv->getContent(), "hello");
  CHECK_STR(inv->getChannelId(), "chan");
  CHECK_STR(inv->getResponse(), "");
  CHECK_EQ(inv->getState(), LOCAL_INVITATION_STATE_IDLE);

  CHECK_EQ(a.cm->cancelLocalInvitation(inv), INVITATION_API_CALL_ERR_NOT_STARTED);  // observed
  // Observed: before login, send is accepted; the state stays IDLE (cancel: NOT_STARTED) until,
  // a few ms later on the callback thread, onLocalInvitationFailure(NOT_LOGGEDIN), state FAILURE.
  CHECK_EQ(a.cm->sendLocalInvitation(inv), INVITATION_API_CALL_ERR_OK);
  CHECK_EQ(inv->getState(), LOCAL_INVITATION_STATE_IDLE);
  CHECK_EQ(a.cm->cancelLocalInvitation(inv), INVITATION_API_CALL_ERR_NOT_STARTED);
  CHECK_SEQ(a.calls.takeAfter("L failure 4 s6"), "L failure 4 s6");
  CHECK_EQ(inv->getState(), LOCAL_INVITATION_STATE_FAILURE);
  CHECK_EQ(a.cm->sendLocalInvitation(inv), INVITATION_API_CALL_ERR_ALREADY_END);
  CHECK_EQ(a.cm->cancelLocalInvitation(inv), INVITATION_API_CALL_ERR_ALREADY_END);

  // Sent twice before the failure arrives: one failure. Released before it arrives: none.
  ILocalCallInvitation* twice = a.invite("pre-c", "", "");
  CHECK_EQ(a.cm->sendLocalInvitation(twice), INVITATION_API_CALL_ERR_OK);
  CHECK_EQ(a.cm->sendLocalInvitation(twice), INVITATION_API_CALL_ERR_OK);
  CHECK_SEQ(a.calls.takeAfter("L failure 4 s6"), "L failure 4 s6");
  twice->release();
  ILocalCallInvitation* gone = a.invite("pre-d", "", "");
  CHECK_EQ(a.cm->sendLocalInvitation(gone), INVITATION_API_CALL_ERR_OK);
  gone->release();
  CHECK_SEQ(a.calls.settleAndTake());

  // Null arguments.
  CHECK_EQ(a.cm->acceptRemoteInvitation(nullptr), INVITATION_API_CALL_ERR_ALREADY_END);  // observed
  CHECK_EQ(a.cm->refuseRemoteInvitation(nullptr), INVITATION_API_CALL_ERR_ALREADY_END);
  CHECK_EQ(a.cm->sendLocalInvitation(nullptr), INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a.cm->cancelLocalInvitation(nullptr), INVITATION_API_CALL_ERR_INVALID_ARGUMENT);

  // Callbacks ran on the emulator's callback pool (the service's serial queue), not on this thread.
  const std::set<std::thread::id> threads = a.calls.threads();
  CHECK(!threads.empty());
  CHECK(threads.count(std::this_thread::get_id()) == 0);

  // After login, an invalid callee id is refused at send; the invitation stays IDLE.
  a.login();
  CHECK_EQ(a.cm->sendLocalInvitation(big), INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
  CHECK_EQ(big->getState(), LOCAL_INVITATION_STATE_IDLE);
  CHECK_SEQ(a.calls.settleAndTake());

  big->release();
  inv->release();
  // The call manager can be released and obtained again; a new one is a new object.
  a.cm->release();
  a.cm = a.s->getRtmCallManager(&a.calls);
  CHECK(a.cm != nullptr);
}

void testAccept() {
  Client a(kService, "acc-a"), b(kService, "acc-b");
  ILocalCallInvitation* inv = a.invite("acc-b", "hello", "ch1");
  CHECK_EQ(a.cm->sendLocalInvitation(inv), 0);
  // In flight at once: SENT_TO_REMOTE, or already RECEIVED_BY_REMOTE when a pool thread delivered
  // the offer before this line ran (in process that takes microseconds; both are the SDK's states
  // of an invitation on its way).
  CHECK(inv->getState() == LOCAL_INVITATION_STATE_SENT_TO_REMOTE ||
        inv->getState() == LOCAL_INVITATION_STATE_RECEIVED_BY_REMOTE);
  CHECK_EQ(a.cm->sendLocalInvitation(inv), INVITATION_API_CALL_ERR_ALREADY_SENT);  // send twice
  inv->setContent("changed after send");  // the sent content is a snapshot

  CHECK_SEQ(b.calls.takeAfter("R received from=acc-a content=hello channel=ch1 s1"),
            "R received from=acc-a content=hello channel=ch1 s1");
  CHECK_SEQ(a.calls.takeAfter("L received s2"), "L received s2");
  CHECK_EQ(inv->getState(), LOCAL_INVITATION_STATE_RECEIVED_BY_REMOTE);

  IRemoteCallInvitation* r = b.calls.lastRemote();
  CHECK(r != nullptr);
  if (r == nullptr) return;
  CHECK_STR(r->getResponse(), "");
  r->setResponse("see you");
  CHECK_STR(r->getResponse(), "see you");
  CHECK_EQ(b.cm->acceptRemoteInvitation(r), 0);
  CHECK_EQ(r->getState(), REMOTE_INVITATION_STATE_ACCEPT_SENT_TO_LOCAL);
  CHECK_EQ(b.cm->acceptRemoteInvitation(r), INVITATION_API_CALL_ERR_ALREADY_ACCEPT);  // accept twice
  CHECK_EQ(b.cm->refuseRemoteInvitation(r), INVITATION_API_CALL_ERR_ALREADY_ACCEPT);

  CHECK_SEQ(a.calls.takeAfter("L accepted 'see you' s3"), "L accepted 'see you' s3");
  CHECK_SEQ(b.calls.takeAfter("R accepted s4"), "R accepted s4");
  CHECK_EQ(inv->getState(), LOCAL_INVITATION_STATE_ACCEPTED_BY_REMOTE);
  CHECK_STR(inv->getResponse(), "see you");
  CHECK_EQ(r->getState(), REMOTE_INVITATION_STATE_ACCEPTED);

  // Misuse after the end; one-shot objects.
  CHECK_EQ(a.cm->cancelLocalInvitation(inv), INVITATION_API_CALL_ERR_ALREADY_END);  // cancel after accept
  CHECK_EQ(a.cm->sendLocalInvitation(inv), INVITATION_API_CALL_ERR_ALREADY_END);
  CHECK_EQ(b.cm->acceptRemoteInvitation(r), INVITATION_API_CALL_ERR_ALREADY_ACCEPT);

  // An invitation belongs to the service that made it.
  CHECK_EQ(b.cm->sendLocalInvitation(inv), INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
  CHECK_EQ(b.cm->cancelLocalInvitation(inv), INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a.cm->acceptRemoteInvitation(r), INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
  CHECK_EQ(a.cm->refuseRemoteInvitation(r), INVITATION_API_CALL_ERR_INVALID_ARGUMENT);

  // Every callback ran on its own service's thread, not on this one.
  // (Both services' strands share the callback pool, so their thread sets may overlap.)
  const auto ta = a.calls.threads(), tb = b.calls.threads();
  CHECK(!ta.empty());
  CHECK(!tb.empty());
  CHECK(ta.count(std::this_thread::get_id()) == 0);
  CHECK(tb.count(std::this_thread::get_id()) == 0);
  CHECK_SEQ(a.calls.settleAndTake());
  CHECK_SEQ(b.calls.settleAndTake());
  inv->release();
}

void testRefuse() {
  Client a(kService, "ref-a"), b(kService, "ref-b");
  ILocalCallInvitation* inv = a.invite("ref-b", "ring");
  CHECK_EQ(a.cm->sendLocalInvitation(inv), 0);
  CHECK_SEQ(b.calls.takeAfter("R received from=ref-a content=ring channel= s1"),
            "R received from=ref-a content=ring channel= s1");
  CHECK_SEQ(a.calls.takeAfter("L received s2"), "L received s2");
  IRemoteCallInvitation* r = b.calls.lastRemote();
  if (r == nullptr) return;
  r->setResponse("busy");
  CHECK_EQ(b.cm->refuseRemoteInvitation(r), 0);
  CHECK_EQ(r->getState(), REMOTE_INVITATION_STATE_REFUSED);
  CHECK_SEQ(b.calls.takeAfter("R refused s3"), "R refused s3");
  CHECK_SEQ(a.calls.takeAfter("L refused 'busy' s4"), "L refused 'busy' s4");
  CHECK_EQ(inv->getState(), LOCAL_INVITATION_STATE_REFUSED_BY_REMOTE);
  CHECK_STR(inv->getResponse(), "busy");
  CHECK_EQ(b.cm->acceptRemoteInvitation(r), INVITATION_API_CALL_ERR_ALREADY_END);
  CHECK_EQ(b.cm->refuseRemoteInvitation(r), INVITATION_API_CALL_ERR_ALREADY_END);
  CHECK_EQ(a.cm->cancelLocalInvitation(inv), INVITATION_API_CALL_ERR_ALREADY_END);
  inv->release();
}

void testCancel() {
  Client a(kService, "can-a"), b(kService, "can-b");
  ILocalCallInvitation* inv = a.invite("can-b");
  CHECK_EQ(a.cm->sendLocalInvitation(inv), 0);
  CHECK_SEQ(b.calls.takeAfter("R received from=can-a content= channel= s1"),
            "R received from=can-a content= channel= s1");
  CHECK_SEQ(a.calls.takeAfter("L received s2"), "L received s2");
  CHECK_EQ(a.cm->cancelLocalInvitation(inv), 0);
  CHECK_EQ(inv->getState(), LOCAL_INVITATION_STATE_CANCELED);
  CHECK_SEQ(a.calls.takeAfter("L canceled s5"), "L canceled s5");
  CHECK_SEQ(b.calls.takeAfter("R canceled s5"), "R canceled s5");
  IRemoteCallInvitation* r = b.calls.lastRemote();
  if (r == nullptr) return;
  CHECK_EQ(r->getState(), REMOTE_INVITATION_STATE_CANCELED);
  CHECK_EQ(b.cm->acceptRemoteInvitation(r), INVITATION_API_CALL_ERR_ALREADY_END);  // accept after cancel
  CHECK_EQ(b.cm->refuseRemoteInvitation(r), INVITATION_API_CALL_ERR_ALREADY_END);
  CHECK_EQ(a.cm->cancelLocalInvitation(inv), INVITATION_API_CALL_ERR_ALREADY_END);
  CHECK_EQ(a.cm->sendLocalInvitation(inv), INVITATION_API_CALL_ERR_ALREADY_END);
  // Nothing more arrives, not even when the timers would have fired.
  std::this_thread::sleep_for(std::chrono::milliseconds(kExpireMs));
  CHECK_SEQ(a.calls.settleAndTake());
  CHECK_SEQ(b.calls.settleAndTake());

  // Cancel while the callee is offline (before anyone got it): only the caller hears of it.
  ILocalCallInvitation* inv2 = a.invite("can-nobody");
  CHECK_EQ(a.cm->sendLocalInvitation(inv2), 0);
  CHECK_EQ(a.cm->cancelLocalInvitation(inv2), 0);
  CHECK_SEQ(a.calls.takeAfter("L canceled s5"), "L canceled s5");
  std::this_thread::sleep_for(std::chrono::milliseconds(kAckMs));
  CHECK_SEQ(a.calls.settleAndTake());
  inv->release();
  inv2->release();
}

void testCalleeOffline() {
  Client a(kService, "off-a");
  ILocalCallInvitation* inv = a.invite("off-b");
  const auto t0 = Clock::now();
  CHECK_EQ(a.cm->sendLocalInvitation(inv), 0);
  CHECK(a.calls.waitFor("L failure 1 s6"));  // PEER_OFFLINE
  const long long elapsed = msSince(t0);
  report(elapsed >= kAckMs - 20 && elapsed < kAckMs + 1500, "PEER_OFFLINE after " + std::to_string(elapsed) + " ms",
         __FILE__, __LINE__);
  CHECK_SEQ(a.calls.settleAndTake(), "L failure 1 s6");
  CHECK_EQ(inv->getState(), LOCAL_INVITATION_STATE_FAILURE);
  inv->release();

  // The callee logs in before the acknowledgement timeout: the caller kept trying, it arrives.
  Client b(kService, "off-c", /*login=*/false);
  ILocalCallInvitation* inv2 = a.invite("off-c", "late");
  CHECK_EQ(a.cm->sendLocalInvitation(inv2), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(kAckMs / 3));
  CHECK_SEQ(b.calls.take());
  b.login();
  CHECK_SEQ(b.calls.takeAfter("R received from=off-a content=late channel= s1"),
            "R received from=off-a content=late channel= s1");
  CHECK_SEQ(a.calls.takeAfter("L received s2"), "L received s2");
  CHECK_EQ(a.cm->cancelLocalInvitation(inv2), 0);
  CHECK_SEQ(a.calls.takeAfter("L canceled s5"), "L canceled s5");
  CHECK_SEQ(b.calls.takeAfter("R canceled s5"), "R canceled s5");
  inv2->release();
}

void testNoResponse() {
  // The callee's acknowledgement is lost (fault hook): PEER_NO_RESPONSE for the caller; the
  // callee still has the invitation and it expires there.
  Client a(kService, "nr-a"), b(kService, "nr-b");
  CHECK(rtm_emulator::setInvitationAutoAck(kService, "nr-b", false));
  CHECK(!rtm_emulator::setInvitationAutoAck("no-such-service", "nr-b", false));
  ILocalCallInvitation* inv = a.invite("nr-b");
  const auto t0 = Clock::now();
  CHECK_EQ(a.cm->sendLocalInvitation(inv), 0);
  CHECK_SEQ(b.calls.takeAfter("R received from=nr-a content= channel= s1"),
            "R received from=nr-a content= channel= s1");
  CHECK(a.calls.waitFor("L failure 2 s6"));
  const long long elapsed = msSince(t0);
  report(elapsed >= kAckMs - 20, "PEER_NO_RESPONSE after " + std::to_string(elapsed) + " ms", __FILE__, __LINE__);
  CHECK_SEQ(a.calls.settleAndTake(), "L failure 2 s6");
  CHECK_SEQ(b.calls.takeAfter("R failure 3 s6"), "R failure 3 s6");
  CHECK(rtm_emulator::setInvitationAutoAck(kService, "nr-b", true));
  inv->release();

  // A callee that is online without a call manager does not acknowledge either.
  Client c(kService, "nr-c", /*login=*/true, /*callManager=*/false);
  ILocalCallInvitation* inv2 = a.invite("nr-c");
  CHECK_EQ(a.cm->sendLocalInvitation(inv2), 0);
  CHECK_SEQ(a.calls.takeAfter("L failure 2 s6"), "L failure 2 s6");
  inv2->release();
}

void testExpire() {
  Client a(kService, "exp-a"), b(kService, "exp-b");
  ILocalCallInvitation* inv = a.invite("exp-b");
  CHECK_EQ(a.cm->sendLocalInvitation(inv), 0);
  CHECK(b.calls.waitFor("R received from=exp-a content= channel= s1"));
  CHECK(a.calls.waitFor("L received s2"));
  const auto t0 = Clock::now();
  CHECK_SEQ(a.calls.takeAfter("L failure 3 s6"), "L received s2", "L failure 3 s6");
  CHECK_SEQ(b.calls.takeAfter("R failure 3 s6"), "R received from=exp-a content= channel= s1", "R failure 3 s6");
  const long long elapsed = msSince(t0);
  report(elapsed >= kExpireMs - 100, "INVITATION_EXPIRE after " + std::to_string(elapsed) + " ms", __FILE__, __LINE__);
  IRemoteCallInvitation* r = b.calls.lastRemote();
  if (r == nullptr) return;
  CHECK_EQ(r->getState(), REMOTE_INVITATION_STATE_FAILURE);
  CHECK_EQ(inv->getState(), LOCAL_INVITATION_STATE_FAILURE);
  CHECK_EQ(b.cm->acceptRemoteInvitation(r), INVITATION_API_CALL_ERR_ALREADY_END);
  CHECK_EQ(a.cm->cancelLocalInvitation(inv), INVITATION_API_CALL_ERR_ALREADY_END);
  inv->release();
}

void testAcceptFailure() {
  // The caller's acknowledgement of the accept is lost: the caller sees ACCEPTED_BY_REMOTE, the
  // callee ACCEPT_FAILURE (what a network loss at that moment gives).
  Client a(kService, "af-a"), b(kService, "af-b");
  CHECK(rtm_emulator::setInvitationAutoAck(kService, "af-a", false));
  ILocalCallInvitation* inv = a.invite("af-b");
  CHECK_EQ(a.cm->sendLocalInvitation(inv), 0);
  CHECK(b.calls.waitFor("R received from=af-a content= channel= s1"));
  CHECK_SEQ(a.calls.takeAfter("L received s2"), "L received s2");
  IRemoteCallInvitation* r = b.calls.lastRemote();
  if (r == nullptr) return;
  const auto t0 = Clock::now();
  CHECK_EQ(b.cm->acceptRemoteInvitation(r), 0);
  CHECK_SEQ(a.calls.takeAfter("L accepted '' s3"), "L accepted '' s3");
  CHECK_SEQ(b.calls.takeAfter("R failure 2 s6"), "R received from=af-a content= channel= s1", "R failure 2 s6");
  const long long elapsed = msSince(t0);
  report(elapsed >= kAcceptAckMs - 20, "ACCEPT_FAILURE after " + std::to_string(elapsed) + " ms", __FILE__, __LINE__);
  CHECK(rtm_emulator::setInvitationAutoAck(kService, "af-a", true));
  inv->release();
}

void testCallerLeaves() {
  // The caller logs out while the callee decides. Caller: its invitation fails at once with
  // NOT_LOGGEDIN (after onLogout). Callee: nothing at once; accepting then fails with
  // ACCEPT_FAILURE (nobody acknowledges), not accepting ends with INVITATION_EXPIRE.
  Client a(kService, "cl-a"), b(kService, "cl-b");
  ILocalCallInvitation* one = a.invite("cl-b", "one");
  ILocalCallInvitation* two = a.invite("cl-b", "two");
  CHECK_EQ(a.cm->sendLocalInvitation(one), 0);
  CHECK(b.calls.waitFor("R received from=cl-a content=one channel= s1"));
  CHECK(a.calls.waitFor("L received s2"));
  CHECK_EQ(a.cm->sendLocalInvitation(two), 0);
  CHECK(b.calls.waitFor("R received from=cl-a content=two channel= s1"));
  CHECK_SEQ(a.calls.takeAfter("L received s2"), "L received s2", "L received s2");
  CHECK_SEQ(b.calls.take(), "R received from=cl-a content=one channel= s1", "R received from=cl-a content=two channel= s1");
  const std::vector<IRemoteCallInvitation*> rs = b.calls.remotes();
  CHECK_EQ(rs.size(), 2);
  if (rs.size() != 2) return;

  CHECK_EQ(a.s->logout(), 0);
  CHECK_SEQ(a.svc.takeAfter("logout 0"), "state 1 6", "logout 0");
  CHECK_SEQ(a.calls.takeAfter("L failure 4 s6"), "L failure 4 s6", "L failure 4 s6");
  CHECK_EQ(one->getState(), LOCAL_INVITATION_STATE_FAILURE);
  CHECK_EQ(two->getState(), LOCAL_INVITATION_STATE_FAILURE);
  CHECK_SEQ(b.calls.take());

  CHECK_EQ(b.cm->acceptRemoteInvitation(rs[0]), 0);
  CHECK_EQ(rs[0]->getState(), REMOTE_INVITATION_STATE_ACCEPT_SENT_TO_LOCAL);
  CHECK(b.calls.waitFor("R failure 2 s6"));
  CHECK(b.calls.waitFor("R failure 3 s6"));
  Events ends = b.calls.settleAndTake();
  std::sort(ends.begin(), ends.end());  // the two timers may fire in either order
  CHECK_SEQ(ends, "R failure 2 s6", "R failure 3 s6");
  CHECK_EQ(rs[0]->getState(), REMOTE_INVITATION_STATE_FAILURE);
  CHECK_EQ(rs[1]->getState(), REMOTE_INVITATION_STATE_FAILURE);
  CHECK_SEQ(a.calls.settleAndTake());
  one->release();
  two->release();

  // The caller's service is released while the callee decides: the same for the callee.
  Client c(kService, "cl-c");
  ILocalCallInvitation* three = c.invite("cl-b");
  CHECK_EQ(c.cm->sendLocalInvitation(three), 0);
  CHECK(c.calls.waitFor("L received s2"));
  CHECK(b.calls.waitFor("R received from=cl-c content= channel= s1"));
  b.calls.take();
  three->release();  // an invitation in flight can be released: no more callbacks for it
  c.release();
  CHECK_SEQ(b.calls.takeAfter("R failure 3 s6"), "R failure 3 s6");
}

void testCalleeLeaves() {
  // The callee logs out while deciding: its invitation fails with PEER_OFFLINE; the caller,
  // which got the acknowledgement, waits until expiry.
  Client a(kService, "ce-a"), b(kService, "ce-b");
  ILocalCallInvitation* inv = a.invite("ce-b");
  CHECK_EQ(a.cm->sendLocalInvitation(inv), 0);
  CHECK(b.calls.waitFor("R received from=ce-a content= channel= s1"));
  CHECK(a.calls.waitFor("L received s2"));
  b.calls.take();
  CHECK_EQ(b.s->logout(), 0);
  CHECK_SEQ(b.svc.takeAfter("logout 0"), "state 1 6", "logout 0");
  CHECK_SEQ(b.calls.takeAfter("R failure 1 s6"), "R failure 1 s6");
  IRemoteCallInvitation* r = b.calls.lastRemote();
  if (r != nullptr) CHECK_EQ(b.cm->acceptRemoteInvitation(r), INVITATION_API_CALL_ERR_ALREADY_END);
  CHECK_SEQ(a.calls.takeAfter("L failure 3 s6"), "L received s2", "L failure 3 s6");
  inv->release();
}

void testDroppedLinks() {
  // dropConnection: nothing passes either way on that user's link. A callee whose link is down
  // is still online for the service but never acknowledges: PEER_NO_RESPONSE.
  Client a(kService, "dl-a"), b(kService, "dl-b");
  CHECK(rtm_emulator::dropConnection(kService, "dl-b"));
  ILocalCallInvitation* inv = a.invite("dl-b");
  CHECK_EQ(a.cm->sendLocalInvitation(inv), 0);
  CHECK_SEQ(a.calls.takeAfter("L failure 2 s6"), "L failure 2 s6");
  CHECK_SEQ(b.calls.take());
  CHECK(rtm_emulator::restoreConnection(kService, "dl-b"));
  inv->release();

  // The caller's link goes down while the callee decides: the accept never reaches it, so the
  // callee gets ACCEPT_FAILURE and the caller, still waiting, INVITATION_EXPIRE.
  ILocalCallInvitation* inv2 = a.invite("dl-b");
  CHECK_EQ(a.cm->sendLocalInvitation(inv2), 0);
  CHECK(b.calls.waitFor("R received from=dl-a content= channel= s1"));
  CHECK(a.calls.waitFor("L received s2"));
  b.calls.take();
  CHECK(rtm_emulator::dropConnection(kService, "dl-a"));
  IRemoteCallInvitation* r = b.calls.lastRemote();
  if (r != nullptr) CHECK_EQ(b.cm->acceptRemoteInvitation(r), 0);
  CHECK_SEQ(b.calls.takeAfter("R failure 2 s6"), "R failure 2 s6");
  CHECK_SEQ(a.calls.takeAfter("L failure 3 s6"), "L received s2", "L failure 3 s6");
  CHECK(rtm_emulator::restoreConnection(kService, "dl-a"));
  inv2->release();
}

void testSizes() {
  Client a(kService, "sz-a"), b(kService, "sz-b");
  const std::string max(8192, 'c'), over(8193, 'c');
  ILocalCallInvitation* inv = a.invite("sz-b");
  inv->setContent(over.c_str());
  CHECK_EQ(a.cm->sendLocalInvitation(inv), INVITATION_API_CALL_ERR_INVALID_ARGUMENT);  // content over 8 KB
  CHECK_EQ(inv->getState(), LOCAL_INVITATION_STATE_IDLE);
  inv->setContent("");
  inv->setChannelId(over.c_str());
  CHECK_EQ(a.cm->sendLocalInvitation(inv), INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
  CHECK_EQ(inv->getState(), LOCAL_INVITATION_STATE_IDLE);
  CHECK_SEQ(a.calls.settleAndTake());

  // 8 KB exactly, carried both ways.
  inv->setContent(max.c_str());
  inv->setChannelId(max.c_str());
  b.calls.setVerbose(false);
  CHECK_EQ(a.cm->sendLocalInvitation(inv), 0);
  CHECK_SEQ(b.calls.takeAfter("R received s1"), "R received s1");
  CHECK_SEQ(a.calls.takeAfter("L received s2"), "L received s2");
  IRemoteCallInvitation* r = b.calls.lastRemote();
  if (r == nullptr) return;
  CHECK_STR(r->getContent(), max);
  CHECK_STR(r->getChannelId(), max);
  r->setResponse(over.c_str());
  CHECK_EQ(b.cm->acceptRemoteInvitation(r), INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
  CHECK_EQ(b.cm->refuseRemoteInvitation(r), INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
  CHECK_EQ(r->getState(), REMOTE_INVITATION_STATE_INVITATION_RECEIVED);
  r->setResponse(max.c_str());
  CHECK_EQ(b.cm->refuseRemoteInvitation(r), 0);
  CHECK(a.calls.waitFor("L refused '" + max + "' s4"));
  CHECK_STR(inv->getResponse(), max);
  inv->release();
}

void testReleaseAtAnyState() {
  const long long before = rtm_emulator::liveObjectCount();
  {
    Client a(kService, "rel-a"), b(kService, "rel-b");
    // A remote invitation released by the application gets no further callback.
    ILocalCallInvitation* inv = a.invite("rel-b");
    CHECK_EQ(a.cm->sendLocalInvitation(inv), 0);
    CHECK(b.calls.waitFor("R received from=rel-a content= channel= s1"));
    CHECK(a.calls.waitFor("L received s2"));
    a.calls.take();
    b.calls.take();
    b.calls.releaseRemotes();
    CHECK_EQ(a.cm->cancelLocalInvitation(inv), 0);
    CHECK_SEQ(a.calls.takeAfter("L canceled s5"), "L canceled s5");
    CHECK_SEQ(b.calls.settleAndTake());
    inv->release();

    // Released inside its own callback: the callback finishes safely, nothing follows.
    a.calls.setOnLocal([](ILocalCallInvitation* inv, const std::string&) { inv->release(); });
    ILocalCallInvitation* inv2 = a.invite("rel-b");
    CHECK_EQ(a.cm->sendLocalInvitation(inv2), 0);
    CHECK(a.calls.waitFor("L received s2"));
    std::this_thread::sleep_for(std::chrono::milliseconds(kExpireMs));
    CHECK_SEQ(a.calls.settleAndTake(), "L received s2");  // no expiry callback for a released one
    a.calls.setOnLocal(nullptr);
    CHECK(b.calls.waitFor("R failure 3 s6"));  // the callee's copy expires as usual
    b.calls.take();

    // Remote invitations that the callee never got (no handler yet) do not leak.
    b.s->getRtmCallManager(nullptr);
    b.cm->release();
    b.cm = b.s->getRtmCallManager(nullptr);  // a call manager without a handler
    ILocalCallInvitation* inv3 = a.invite("rel-b");
    CHECK_EQ(a.cm->sendLocalInvitation(inv3), 0);
    CHECK(a.calls.waitFor("L received s2"));
    // Services and call managers released with invitations still live, in any order.
    ILocalCallInvitation* inv4 = a.invite("rel-b");
    CHECK_EQ(a.cm->sendLocalInvitation(inv4), 0);
    ILocalCallInvitation* idle = a.invite("rel-b");
    a.s->release(true);
    a.s = nullptr;
    CHECK_EQ(inv3->getState(), LOCAL_INVITATION_STATE_RECEIVED_BY_REMOTE);
    CHECK_EQ(a.cm->sendLocalInvitation(idle), INVITATION_API_CALL_ERR_INVALID_ARGUMENT);
    inv3->release();
    a.cm->release();
    a.cm = nullptr;
    inv4->release();
    idle->release();
    b.release();
  }
  CHECK_EQ(rtm_emulator::liveObjectCount(), before);
}

void testManyInvitations() {
  // 20 clients, 200 invitations (each client calls the 10 next ones). Once every invitation is
  // acknowledged: 4 in 10 accepted, 3 refused, 1 cancelled by the caller, 2 left to expire.
  const std::string svc = "inv-many";
  makeNamed(svc, limitsJson(3000, 1000, 500));
  constexpr int kClients = 20;
  constexpr int kPerClient = 10;
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<Client>(svc, "m" + std::to_string(i)));
    clients.back()->calls.setVerbose(false);
  }
  struct Sent {
    int caller;
    int callee;
    int action;  // 0-3 accept, 4-6 refuse, 7 cancel, 8-9 nothing
    ILocalCallInvitation* inv;
  };
  std::vector<Sent> sent;
  // Send from several threads at once.
  std::vector<std::thread> senders;
  std::mutex sentMu;
  for (int i = 0; i < kClients; ++i) {
    senders.emplace_back([&, i] {
      for (int k = 1; k <= kPerClient; ++k) {
        const int callee = (i + k) % kClients;
        ILocalCallInvitation* inv = clients[i]->invite("m" + std::to_string(callee), std::to_string(i * 100 + k).c_str());
        CHECK_EQ(clients[i]->cm->sendLocalInvitation(inv), 0);
        std::lock_guard<std::mutex> lock(sentMu);
        sent.push_back({i, callee, (i * kPerClient + k) % 10, inv});
      }
    });
  }
  for (auto& t : senders) t.join();
  CHECK_EQ(sent.size(), kClients * kPerClient);
  for (auto& c : clients) {
    CHECK(c->calls.waitCount(2 * kPerClient));  // 10 "received by peer" + 10 "received"
  }

  // Answer from the main thread. Content tells which invitation a remote one is.
  std::map<std::string, IRemoteCallInvitation*> byContent;
  for (auto& c : clients) {
    for (IRemoteCallInvitation* r : c->calls.remotes()) byContent[r->getContent()] = r;
  }
  CHECK_EQ(byContent.size(), kClients * kPerClient);
  for (const Sent& s : sent) {
    const int k = (s.callee - s.caller + kClients) % kClients;
    IRemoteCallInvitation* r = byContent[std::to_string(s.caller * 100 + k)];
    if (r == nullptr) continue;
    Client& callee = *clients[s.callee];
    if (s.action <= 3) {
      r->setResponse("yes");
      CHECK_EQ(callee.cm->acceptRemoteInvitation(r), 0);
    } else if (s.action <= 6) {
      CHECK_EQ(callee.cm->refuseRemoteInvitation(r), 0);
    } else if (s.action == 7) {
      CHECK_EQ(clients[s.caller]->cm->cancelLocalInvitation(s.inv), 0);
    }
  }

  // Everything reaches a final state, the expected one.
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  auto allFinal = [&] {
    for (const Sent& s : sent) {
      const int st = s.inv->getState();
      if (st < LOCAL_INVITATION_STATE_ACCEPTED_BY_REMOTE) return false;
    }
    for (const auto& entry : byContent) {
      const int st = entry.second->getState();
      if (st == REMOTE_INVITATION_STATE_INVITATION_RECEIVED || st == REMOTE_INVITATION_STATE_ACCEPT_SENT_TO_LOCAL) {
        return false;
      }
    }
    return true;
  };
  while (!allFinal() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(allFinal());
  std::this_thread::sleep_for(kSettle);
  int wrong = 0;
  for (const Sent& s : sent) {
    const int k = (s.callee - s.caller + kClients) % kClients;
    IRemoteCallInvitation* r = byContent[std::to_string(s.caller * 100 + k)];
    int wantLocal = LOCAL_INVITATION_STATE_FAILURE, wantRemote = REMOTE_INVITATION_STATE_FAILURE;
    if (s.action <= 3) {
      wantLocal = LOCAL_INVITATION_STATE_ACCEPTED_BY_REMOTE;
      wantRemote = REMOTE_INVITATION_STATE_ACCEPTED;
    } else if (s.action <= 6) {
      wantLocal = LOCAL_INVITATION_STATE_REFUSED_BY_REMOTE;
      wantRemote = REMOTE_INVITATION_STATE_REFUSED;
    } else if (s.action == 7) {
      wantLocal = LOCAL_INVITATION_STATE_CANCELED;
      wantRemote = REMOTE_INVITATION_STATE_CANCELED;
    }
    if (s.inv->getState() != wantLocal || r == nullptr || r->getState() != wantRemote) ++wrong;
  }
  CHECK_EQ(wrong, 0);
  // Each side got exactly one final callback per invitation, after its first one.
  int badHistories = 0;
  for (auto& c : clients) {
    for (const auto& entry : c->calls.byObject()) {
      const Events& ev = entry.second;
      if (ev.size() != 2) ++badHistories;
    }
  }
  CHECK_EQ(badHistories, 0);

  for (const Sent& s : sent) s.inv->release();
  // Release in a mixed order: some services before their call managers, some after.
  for (int i = 0; i < kClients; ++i) {
    Client& c = *clients[i];
    if (i % 2 == 0) {
      c.s->release();
      c.s = nullptr;
    }
    c.release();
  }
  clients.clear();
  CHECK_EQ(rtm_emulator::liveObjectCount(), 0);
  CHECK(rtm_emulator::destroyInProcess(svc));
}

}  // namespace

int main() {
  CHECK_EQ(rtm_emulator::liveObjectCount(), 0);
  makeNamed(kService, limitsJson(kAckMs, kExpireMs, kAcceptAckMs));
  testObjectsAndCallsBeforeLogin();
  testAccept();
  testRefuse();
  testCancel();
  testCalleeOffline();
  testNoResponse();
  testExpire();
  testAcceptFailure();
  testCallerLeaves();
  testCalleeLeaves();
  testDroppedLinks();
  testSizes();
  testReleaseAtAnyState();
  testManyInvitations();
  CHECK(rtm_emulator::destroyInProcess(kService));
  CHECK_EQ(rtm_emulator::liveObjectCount(), 0);
  return finish("invitation_semantics");
}
