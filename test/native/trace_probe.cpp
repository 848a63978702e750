// trace_probe: runs ONE fixed sequence of calls through the RTM 1.x C++ interface of the library
// named on the command line (the real libagora_rtm_sdk.so, or the drop-in
// libagora_rtm_emulator.so) and prints one line per observation, so that the two libraries can be
// compared line by line (test/agora/trace-probe.test.ts).
//
// Usage: trace_probe <path to a library exporting createRtmService / getRtmSdkVersion>
//
// Output: one line per observation, "<step key> <value>". The key is stable across runs and
// libraries; the value is everything observed (return codes, out-parameters, getter values).
// Callbacks are recorded (with a mutex) in arrival order and printed at fixed sync points, after
// a fixed wait, on one line per sync point: "<step>.callbacks <handler>.<callback>(<args>) ; ..."
// in arrival order, or "<step>.callbacks none" (one line, so that one missing or extra callback
// is one difference, not a shifted list).
// Nothing that varies between runs of the real SDK is printed (pointers, timings, paths).
//
// The sequence never calls what crashes the real v1.2.2 SDK (shared/rtm-abi.md §8.2):
// removeEventHandler on a service whose initialize failed or was never called,
// sendLocalInvitation before initialize, NULL string arguments, releasing a duplicate channel
// after its original, release within a few ms of login while a call manager exists. It also
// leaves out what the real SDK does at random (sendLocalInvitation before login).
//
// The run is offline for the real SDK: login stays CONNECTING (its timeout is 6 s), so the probe
// looks at the login only while it is CONNECTING: the handler holds the first
// onConnectionStateChanged(CONNECTING) callback (blocking the callback thread, at most 2 s) while
// the main thread makes the calls of the "connecting" step and logs out. That keeps an emulator,
// whose login would otherwise complete within microseconds, in CONNECTING for the same calls.
#include <dlfcn.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "agora_rtm.h"

using namespace agora::rtm;

namespace {

constexpr auto kSettle = std::chrono::milliseconds(300);  // before each sync point

std::string str(const char* s) {
  if (s == nullptr) return "(null)";
  std::string out = "\"";
  for (const char* p = s; *p != '\0'; ++p) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// The probe's own output. The real SDK prints notes on stdout (without a newline), so the probe
// keeps the original stdout for itself and points fd 1 at stderr before loading the library.
FILE* g_out = stdout;

void line(const std::string& key, const std::string& value) {
  std::fprintf(g_out, "%s %s\n", key.c_str(), value.c_str());
  std::fflush(g_out);
}

// With TRACE_PROBE_DEBUG set, progress notes on stderr (to find where a library crashed).
void note(const char* what) {
  static const bool on = std::getenv("TRACE_PROBE_DEBUG") != nullptr;
  if (on) std::fprintf(stderr, "trace_probe: %s\n", what);
}

std::string rc(int code) { return "rc=" + std::to_string(code); }
// Ids (message ids and request ids share one counter). The real SDK also takes ids from that
// counter on its own threads once a login is under way, so ids handed out after login() differ
// from run to run: they are printed as "fresh" (above every id seen so far) or "reused", and
// callbacks name every id they carry by the step that received it ("#<step>").
class IdNames {
 public:
  // Registers `id` as received by `step`; says whether it is above every id seen before.
  std::string add(const std::string& step, long long id) {
    std::lock_guard<std::mutex> lock(mu_);
    const bool fresh = id > max_;
    if (fresh) max_ = id;
    names_.emplace_back(id, step);
    return fresh ? "fresh" : "reused";
  }
  bool fresh(long long id) {
    std::lock_guard<std::mutex> lock(mu_);
    return id > max_;
  }
  std::string name(long long id) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& entry : names_) {
      if (entry.first == id) return "#" + entry.second;
    }
    return std::to_string(id);
  }

 private:
  std::mutex mu_;
  long long max_ = 0;
  std::vector<std::pair<long long, std::string>> names_;
};

IdNames g_ids;

// A request with a request id out-parameter (initialised to -1 by the caller): its return code,
// then "id=-1" when untouched, else whether the id written is fresh.
void request(const std::string& step, int code, long long id) {
  line(step, rc(code) + " id=" + (id == -1 ? std::string("-1") : g_ids.add(step, id)));
}
// The call runs before `id` is read.
#define REQUEST(step, call, id) \
  do {                          \
    const int code_ = (call);   \
    request(step, code_, id);   \
  } while (0)

// Every callback, in arrival order, as text; and which objects they named.
class Recorder {
 public:
  void add(std::string event) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      events_.push_back(std::move(event));
      if (std::this_thread::get_id() == caller_) ++onCaller_;
    }
    cv_.notify_all();
  }
  // Lets stray callbacks arrive, then prints and forgets what arrived since the last sync point.
  void sync(const std::string& step) {
    std::this_thread::sleep_for(kSettle);
    std::vector<std::string> events;
    {
      std::lock_guard<std::mutex> lock(mu_);
      events.swap(events_);
    }
    std::string all;
    for (const std::string& e : events) all += (all.empty() ? "" : " ; ") + e;
    line(step + ".callbacks", events.empty() ? "none" : all);
  }
  int onCallerThread() {
    std::lock_guard<std::mutex> lock(mu_);
    return onCaller_;
  }

  // The hold on the first onConnectionStateChanged(CONNECTING): armed by the main thread before
  // login; the callback thread waits in the handler until released (at most 2 s).
  void armHold() {
    std::lock_guard<std::mutex> lock(mu_);
    holdArmed_ = true;
    held_ = false;
    holdReleased_ = false;
  }
  void maybeHold() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!holdArmed_) return;
    holdArmed_ = false;
    held_ = true;
    cv_.notify_all();
    cv_.wait_for(lock, std::chrono::seconds(2), [this] { return holdReleased_; });
  }
  bool waitHeld(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [this] { return held_; });
  }
  void releaseHold() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      holdArmed_ = false;
      holdReleased_ = true;
    }
    cv_.notify_all();
  }

  // Names for invitation pointers handed to callbacks.
  void nameInvitation(const void* p, const char* name) {
    std::lock_guard<std::mutex> lock(mu_);
    invitations_.emplace_back(p, name);
  }
  std::string invitationName(const void* p) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& entry : invitations_) {
      if (entry.first == p) return entry.second;
    }
    return p == nullptr ? "(null)" : "other";
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> events_;
  const std::thread::id caller_ = std::this_thread::get_id();
  int onCaller_ = 0;
  bool holdArmed_ = false;
  bool held_ = false;
  bool holdReleased_ = false;
  std::vector<std::pair<const void*, std::string>> invitations_;
};

Recorder g_rec;

std::string args(std::initializer_list<long long> values) {
  std::string out = "(";
  bool first = true;
  for (long long v : values) {
    out += (first ? "" : ",") + std::to_string(v);
    first = false;
  }
  return out + ")";
}

class ServiceHandler final : public IRtmServiceEventHandler {
 public:
  explicit ServiceHandler(std::string name) : name_(std::move(name)) {}
  void onLoginSuccess() override { add("onLoginSuccess()"); }
  void onLoginFailure(LOGIN_ERR_CODE c) override { add("onLoginFailure" + args({c})); }
  void onRenewTokenResult(const char* token, RENEW_TOKEN_ERR_CODE c) override {
    add("onRenewTokenResult(" + str(token) + "," + std::to_string(c) + ")");
  }
  void onTokenExpired() override { add("onTokenExpired()"); }
  void onLogout(LOGOUT_ERR_CODE c) override { add("onLogout" + args({c})); }
  void onConnectionStateChanged(CONNECTION_STATE s, CONNECTION_CHANGE_REASON r) override {
    add("onConnectionStateChanged" + args({s, r}));
    if (s == CONNECTION_STATE_CONNECTING) g_rec.maybeHold();
  }
  void onSendMessageResult(long long id, PEER_MESSAGE_ERR_CODE c) override { add("onSendMessageResult(" + g_ids.name(id) + "," + std::to_string(c) + ")"); }
  void onMessageReceivedFromPeer(const char* peerId, const IMessage*) override {
    add("onMessageReceivedFromPeer(" + str(peerId) + ")");
  }
  void onQueryPeersOnlineStatusResult(long long id, const PeerOnlineStatus*, int n,
                                      QUERY_PEERS_ONLINE_STATUS_ERR c) override {
    add("onQueryPeersOnlineStatusResult(" + g_ids.name(id) + "," + std::to_string(n) + "," + std::to_string(c) + ")");
  }
  void onSubscriptionRequestResult(long long id, PEER_SUBSCRIPTION_STATUS_ERR c) override {
    idResult("onSubscriptionRequestResult", id, c);
  }
  void onQueryPeersBySubscriptionOptionResult(long long id, const char*[], int n,
                                              QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR c) override {
    add("onQueryPeersBySubscriptionOptionResult(" + g_ids.name(id) + "," + std::to_string(n) + "," + std::to_string(c) + ")");
  }
  void onPeersOnlineStatusChanged(const PeerOnlineStatus[], int n) override { add("onPeersOnlineStatusChanged" + args({n})); }
  void onSetLocalUserAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR c) override {
    idResult("onSetLocalUserAttributesResult", id, c);
  }
  void onAddOrUpdateLocalUserAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR c) override {
    idResult("onAddOrUpdateLocalUserAttributesResult", id, c);
  }
  void onDeleteLocalUserAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR c) override {
    idResult("onDeleteLocalUserAttributesResult", id, c);
  }
  void onClearLocalUserAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR c) override {
    idResult("onClearLocalUserAttributesResult", id, c);
  }
  void onGetUserAttributesResult(long long id, const char* userId, const RtmAttribute*, int n,
                                 ATTRIBUTE_OPERATION_ERR c) override {
    add("onGetUserAttributesResult(" + g_ids.name(id) + "," + str(userId) + "," + std::to_string(n) + "," +
        std::to_string(c) + ")");
  }
  void onSetChannelAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR c) override {
    idResult("onSetChannelAttributesResult", id, c);
  }
  void onAddOrUpdateChannelAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR c) override {
    idResult("onAddOrUpdateChannelAttributesResult", id, c);
  }
  void onDeleteChannelAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR c) override {
    idResult("onDeleteChannelAttributesResult", id, c);
  }
  void onClearChannelAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR c) override {
    idResult("onClearChannelAttributesResult", id, c);
  }
  void onGetChannelAttributesResult(long long id, const IRtmChannelAttribute*[], int n,
                                    ATTRIBUTE_OPERATION_ERR c) override {
    add("onGetChannelAttributesResult(" + g_ids.name(id) + "," + std::to_string(n) + "," + std::to_string(c) + ")");
  }
  void onGetChannelMemberCountResult(long long id, const ChannelMemberCount*, int n,
                                     GET_CHANNEL_MEMBER_COUNT_ERR_CODE c) override {
    add("onGetChannelMemberCountResult(" + g_ids.name(id) + "," + std::to_string(n) + "," + std::to_string(c) + ")");
  }

 private:
  void add(const std::string& e) { g_rec.add(name_ + "." + e); }
  // A result that carries only a request id and a code.
  void idResult(const char* what, long long id, int c) {
    add(std::string(what) + "(" + g_ids.name(id) + "," + std::to_string(c) + ")");
  }
  const std::string name_;
};

class ChannelHandler final : public IChannelEventHandler {
 public:
  explicit ChannelHandler(std::string name) : name_(std::move(name)) {}
  void onJoinSuccess() override { add("onJoinSuccess()"); }
  void onJoinFailure(JOIN_CHANNEL_ERR c) override { add("onJoinFailure" + args({c})); }
  void onLeave(LEAVE_CHANNEL_ERR c) override { add("onLeave" + args({c})); }
  void onMessageReceived(const char* userId, const IMessage*) override { add("onMessageReceived(" + str(userId) + ")"); }
  void onSendMessageResult(long long id, CHANNEL_MESSAGE_ERR_CODE c) override { add("onSendMessageResult(" + g_ids.name(id) + "," + std::to_string(c) + ")"); }
  void onMemberJoined(IChannelMember*) override { add("onMemberJoined()"); }
  void onMemberLeft(IChannelMember*) override { add("onMemberLeft()"); }
  void onGetMembers(IChannelMember**, int n, GET_MEMBERS_ERR c) override { add("onGetMembers" + args({n, c})); }
  void onAttributesUpdated(const IRtmChannelAttribute*[], int n) override { add("onAttributesUpdated" + args({n})); }
  void onMemberCountUpdated(int n) override { add("onMemberCountUpdated" + args({n})); }

 private:
  void add(const std::string& e) { g_rec.add(name_ + "." + e); }
  const std::string name_;
};

class CallHandler final : public IRtmCallEventHandler {
 public:
  void onLocalInvitationReceivedByPeer(ILocalCallInvitation* i) override { add("onLocalInvitationReceivedByPeer", i, ""); }
  void onLocalInvitationCanceled(ILocalCallInvitation* i) override { add("onLocalInvitationCanceled", i, ""); }
  void onLocalInvitationFailure(ILocalCallInvitation* i, LOCAL_INVITATION_ERR_CODE c) override {
    add("onLocalInvitationFailure", i, "," + std::to_string(c));
  }
  void onLocalInvitationAccepted(ILocalCallInvitation* i, const char* r) override {
    add("onLocalInvitationAccepted", i, "," + str(r));
  }
  void onLocalInvitationRefused(ILocalCallInvitation* i, const char* r) override {
    add("onLocalInvitationRefused", i, "," + str(r));
  }
  void onRemoteInvitationRefused(IRemoteCallInvitation* i) override { add("onRemoteInvitationRefused", i, ""); }
  void onRemoteInvitationAccepted(IRemoteCallInvitation* i) override { add("onRemoteInvitationAccepted", i, ""); }
  void onRemoteInvitationReceived(IRemoteCallInvitation* i) override { add("onRemoteInvitationReceived", i, ""); }
  void onRemoteInvitationFailure(IRemoteCallInvitation* i, REMOTE_INVITATION_ERR_CODE c) override {
    add("onRemoteInvitationFailure", i, "," + std::to_string(c));
  }
  void onRemoteInvitationCanceled(IRemoteCallInvitation* i) override { add("onRemoteInvitationCanceled", i, ""); }

 private:
  void add(const char* what, const void* invitation, const std::string& rest) {
    g_rec.add(std::string("call.") + what + "(" + g_rec.invitationName(invitation) + rest + ")");
  }
};

std::string messageFacts(const IMessage* m) {
  if (m == nullptr) return "(null)";
  const char* raw = m->getRawMessageData();
  return "type=" + std::to_string(m->getMessageType()) + " text=" + str(m->getText()) +
         " raw=" + (raw == nullptr ? "null" : "non-null") + " rawLength=" + std::to_string(m->getRawMessageLength()) +
         " ts=" + std::to_string(m->getServerReceivedTs()) + " offline=" + std::to_string(m->isOfflineMessage());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: trace_probe <libagora_rtm_sdk.so or libagora_rtm_emulator.so>\n");
    return 2;
  }
  std::fflush(stdout);
  const int outFd = dup(1);
  if (outFd < 0 || dup2(2, 1) < 0 || (g_out = fdopen(outFd, "w")) == nullptr) {
    std::perror("trace_probe: stdout");
    return 2;
  }
  void* lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    std::fprintf(stderr, "trace_probe: dlopen failed: %s\n", dlerror());
    return 2;
  }
  using CreateFn = IRtmService* (*)();
  using VersionFn = const char* (*)();
  auto create = reinterpret_cast<CreateFn>(dlsym(lib, "createRtmService"));
  auto version = reinterpret_cast<VersionFn>(dlsym(lib, "getRtmSdkVersion"));
  if (create == nullptr || version == nullptr) {
    std::fprintf(stderr, "trace_probe: the library does not export createRtmService / getRtmSdkVersion\n");
    return 2;
  }

  const std::string hexAppId = "0123456789abcdef0123456789abcdef";
  const std::string nonHexAppId(32, 'z');
  const std::string uid = "trace-probe-user";
  const std::string logFile = "/tmp/trace-probe-" + std::to_string(getpid()) + ".log";

  line("version", str(version()));

  // --- A service whose initialize fails, and initialize's checks ------------------------------
  ServiceHandler failedHandler("failed");
  IRtmService* failed = create();
  line("failed.create", failed != nullptr ? "non-null" : "null");
  if (failed == nullptr) return 1;
  line("init.setParameters_before_initialize", rc(failed->setParameters("{}")));
  line("init.bad_id", rc(failed->initialize("bad", &failedHandler)));
  line("init.empty_id", rc(failed->initialize("", &failedHandler)));
  line("init.31_chars", rc(failed->initialize(std::string(31, 'a').c_str(), &failedHandler)));
  line("init.33_chars", rc(failed->initialize(std::string(33, 'a').c_str(), &failedHandler)));
  g_rec.sync("init.failed");
  failed->release();  // removeEventHandler here would crash the real SDK
  line("init.failed_release", "done");

  // --- The service used from here on ------------------------------------------------------------
  ServiceHandler handler("svc");
  IRtmService* svc = create();
  line("svc.create", svc != nullptr ? "non-null" : "null");
  if (svc == nullptr) return 1;
  line("init.32_non_hex", rc(svc->initialize(nonHexAppId.c_str(), &handler)));
  line("init.again", rc(svc->initialize(hexAppId.c_str(), &handler)));
  line("init.bad_after_ok", rc(svc->initialize("bad", &handler)));
  g_rec.sync("init");

  // --- Parameters and log settings --------------------------------------------------------------
  line("params.empty_object", rc(svc->setParameters("{}")));
  line("params.garbage", rc(svc->setParameters("garbage")));
  line("log.file_valid", rc(svc->setLogFile(logFile.c_str())));
  line("log.file_empty", rc(svc->setLogFile("")));
  line("log.file_directory", rc(svc->setLogFile("/tmp")));
  line("log.size_0", rc(svc->setLogFileSize(0)));
  line("log.size_minus_1", rc(svc->setLogFileSize(-1)));
  line("log.size_1", rc(svc->setLogFileSize(1)));
  line("log.size_1024", rc(svc->setLogFileSize(1024)));
  line("log.size_511", rc(svc->setLogFileSize(511)));
  line("log.size_10241", rc(svc->setLogFileSize(10241)));
  line("log.file_missing_directory", rc(svc->setLogFile("/nonexistent-trace-probe-dir/x.log")));
  line("log.file_valid_again", rc(svc->setLogFile(logFile.c_str())));
  line("log.filter_15", rc(svc->setLogFilter(LOG_FILTER_INFO)));
  line("log.filter_0", rc(svc->setLogFilter(LOG_FILTER_OFF)));
  line("log.filter_15_again", rc(svc->setLogFilter(LOG_FILTER_INFO)));
  g_rec.sync("log");

  // --- Messages and ids --------------------------------------------------------------------------
  IMessage* textEmpty = svc->createMessage();
  line("msg.create_empty", textEmpty != nullptr ? "non-null" : "null");
  line("msg.create_empty.id", std::to_string(textEmpty->getMessageId()));
  g_ids.add("msg.create_empty", textEmpty->getMessageId());
  line("msg.create_empty.facts", messageFacts(textEmpty));
  textEmpty->setText("hello");
  line("msg.set_text.facts", messageFacts(textEmpty));
  IMessage* text = svc->createMessage("text body");
  line("msg.create_text.id", std::to_string(text->getMessageId()));
  g_ids.add("msg.create_text", text->getMessageId());
  line("msg.create_text.facts", messageFacts(text));
  const uint8_t rawBytes[] = {0x01, 0x00, 0xff};
  IMessage* raw = svc->createMessage(rawBytes, 3);
  line("msg.create_raw.id", std::to_string(raw->getMessageId()));
  g_ids.add("msg.create_raw", raw->getMessageId());
  line("msg.create_raw.facts", messageFacts(raw));
  {
    const char* data = raw->getRawMessageData();
    line("msg.create_raw.bytes", data != nullptr && std::memcmp(data, rawBytes, 3) == 0 ? "equal" : "different");
    line("msg.create_raw.copied", data != reinterpret_cast<const char*>(rawBytes) ? "yes" : "no");
  }
  raw->setText("set on raw");
  line("msg.raw_set_text.facts", messageFacts(raw));
  IMessage* rawDesc = svc->createMessage(rawBytes, 3, "desc");
  line("msg.create_raw_desc.id", std::to_string(rawDesc->getMessageId()));
  g_ids.add("msg.create_raw_desc", rawDesc->getMessageId());
  line("msg.create_raw_desc.facts", messageFacts(rawDesc));
  IMessage* rawEmpty = svc->createMessage(rawBytes, 0);
  line("msg.create_raw_empty.id", std::to_string(rawEmpty->getMessageId()));
  g_ids.add("msg.create_raw_empty", rawEmpty->getMessageId());
  line("msg.create_raw_empty.facts", messageFacts(rawEmpty));
  IMessage* rawEmptyDesc = svc->createMessage(rawBytes, 0, "");
  line("msg.create_raw_empty_desc.facts", messageFacts(rawEmptyDesc));
  IMessage* big = svc->createMessage();
  big->setText(std::string(32 * 1024 + 1, 'x').c_str());
  line("msg.set_text_32k_plus_1.length", std::to_string(std::strlen(big->getText())));
  g_rec.sync("msg");

  // --- Channel attributes (local objects) -------------------------------------------------------
  IRtmChannelAttribute* attr = svc->createChannelAttribute();
  line("attr.create", attr != nullptr ? "non-null" : "null");
  line("attr.fresh", "key=" + str(attr->getKey()) + " value=" + str(attr->getValue()) + " user=" +
                         str(attr->getLastUpdateUserId()) + " ts=" + std::to_string(attr->getLastUpdateTs()));
  attr->setKey("k1");
  attr->setValue("v1");
  line("attr.set", "key=" + str(attr->getKey()) + " value=" + str(attr->getValue()));

  // --- Channels -----------------------------------------------------------------------------------
  ChannelHandler ch1Handler("chan1");
  ChannelHandler chOtherHandler("chanX");
  IChannel* chan1 = svc->createChannel("chan1", &ch1Handler);
  line("chan.create_valid", chan1 != nullptr ? "non-null" : "null");
  line("chan.create_valid.id", chan1 != nullptr ? str(chan1->getId()) : "-");
  struct Extra {
    const char* key;
    std::string id;
  };
  const Extra extras[] = {
      {"chan.create_space_bang", "a b!"},
      {"chan.create_64_bytes", std::string(64, 'c')},
      {"chan.create_65_bytes", std::string(65, 'c')},
      {"chan.create_empty", ""},
      {"chan.create_null_literal", "null"},
      {"chan.create_tab", "a\tb"},
      {"chan.create_dup_original", "dup"},
      {"chan.create_duplicate", "dup"},
  };
  std::vector<IChannel*> extraChannels;
  for (const Extra& e : extras) {
    IChannel* c = svc->createChannel(e.id.c_str(), &chOtherHandler);
    if (c == nullptr) {
      line(e.key, "null");
    } else {
      const std::string got = c->getId() == nullptr ? "(null)" : c->getId();
      line(e.key, std::string("non-null id_matches=") + (got == e.id ? "yes" : "no"));
    }
    extraChannels.push_back(c);
  }
  line("chan.join_before_login", rc(chan1->join()));
  line("chan.leave_before_login", rc(chan1->leave()));
  line("chan.get_members_before_login", rc(chan1->getMembers()));
  line("chan.send_before_login", rc(chan1->sendMessage(text)));
  line("chan.send_options_before_login", rc(chan1->sendMessage(text, SendMessageOptions())));
  g_rec.sync("chan");

  // --- Call manager and a local invitation ---------------------------------------------------------
  CallHandler callHandler;
  IRtmCallManager* cm = svc->getRtmCallManager(&callHandler);
  line("call.manager", cm != nullptr ? "non-null" : "null");
  IRtmCallManager* cm2 = svc->getRtmCallManager(&callHandler);
  line("call.manager_again_same", cm2 == cm ? "yes" : "no");
  ILocalCallInvitation* inv = cm->createLocalCallInvitation("callee1");
  line("call.create_invitation", inv != nullptr ? "non-null" : "null");
  g_rec.nameInvitation(inv, "inv1");
  line("call.fresh", "callee=" + str(inv->getCalleeId()) + " content=" + str(inv->getContent()) +
                         " channel=" + str(inv->getChannelId()) + " response=" + str(inv->getResponse()) +
                         " state=" + std::to_string(inv->getState()));
  inv->setContent("content");
  inv->setChannelId("chanX");
  line("call.after_set", "content=" + str(inv->getContent()) + " channel=" + str(inv->getChannelId()) +
                             " state=" + std::to_string(inv->getState()));
  inv->setContent("");
  line("call.set_content_empty", "content=" + str(inv->getContent()));
  inv->setContent("content");
  line("call.cancel_before_send", rc(cm->cancelLocalInvitation(inv)));
  line("call.accept_null", rc(cm->acceptRemoteInvitation(nullptr)));
  line("call.refuse_null", rc(cm->refuseRemoteInvitation(nullptr)));
  line("call.state_after_misuse", std::to_string(inv->getState()));
  ILocalCallInvitation* inv65 = cm->createLocalCallInvitation(std::string(65, 'u').c_str());
  line("call.create_invitation_65_bytes", inv65 != nullptr ? "non-null" : "null");
  ILocalCallInvitation* invEmpty = cm->createLocalCallInvitation("");
  line("call.create_invitation_empty", invEmpty != nullptr ? "non-null" : "null");
  g_rec.sync("call");

  // --- Every request before login: 102, the request id untouched, no callback ----------------------
  {
    const char* peers[] = {"peer1"};
    const char* keys[] = {"k1"};
    const char* channels[] = {"chan1"};
    RtmAttribute attrs[] = {{"k1", "v1"}};
    const IRtmChannelAttribute* chAttrs[] = {attr};
    ChannelAttributeOptions opts;
    long long id = -1;
    line("before_login.send_peer", rc(svc->sendMessageToPeer("peer1", text)));
    line("before_login.send_peer_options", rc(svc->sendMessageToPeer("peer1", text, SendMessageOptions())));
    line("before_login.send_peer_empty_id", rc(svc->sendMessageToPeer("", text)));
    line("before_login.send_peer_32k_plus_1", rc(svc->sendMessageToPeer("peer1", big)));
    line("before_login.renew_token", rc(svc->renewToken("token")));
    REQUEST("before_login.query_peers", svc->queryPeersOnlineStatus(peers, 1, id), id);
    REQUEST("before_login.subscribe", svc->subscribePeersOnlineStatus(peers, 1, id), id);
    REQUEST("before_login.unsubscribe", svc->unsubscribePeersOnlineStatus(peers, 1, id), id);
    REQUEST("before_login.query_by_option", svc->queryPeersBySubscriptionOption(PEER_SUBSCRIPTION_OPTION_ONLINE_STATUS, id), id);
    REQUEST("before_login.set_user_attrs", svc->setLocalUserAttributes(attrs, 1, id), id);
    REQUEST("before_login.add_user_attrs", svc->addOrUpdateLocalUserAttributes(attrs, 1, id), id);
    REQUEST("before_login.delete_user_attrs", svc->deleteLocalUserAttributesByKeys(keys, 1, id), id);
    REQUEST("before_login.clear_user_attrs", svc->clearLocalUserAttributes(id), id);
    REQUEST("before_login.get_user_attrs", svc->getUserAttributes("peer1", id), id);
    REQUEST("before_login.get_user_attrs_by_keys", svc->getUserAttributesByKeys("peer1", keys, 1, id), id);
    REQUEST("before_login.set_channel_attrs", svc->setChannelAttributes("chan1", chAttrs, 1, opts, id), id);
    REQUEST("before_login.add_channel_attrs", svc->addOrUpdateChannelAttributes("chan1", chAttrs, 1, opts, id), id);
    REQUEST("before_login.delete_channel_attrs", svc->deleteChannelAttributesByKeys("chan1", keys, 1, opts, id), id);
    REQUEST("before_login.clear_channel_attrs", svc->clearChannelAttributes("chan1", opts, id), id);
    REQUEST("before_login.get_channel_attrs", svc->getChannelAttributes("chan1", id), id);
    REQUEST("before_login.get_channel_attrs_by_keys", svc->getChannelAttributesByKeys("chan1", keys, 1, id), id);
    REQUEST("before_login.member_count", svc->getChannelMemberCount(channels, 1, id), id);
    std::vector<const char*> many(33, "chan1");
    REQUEST("before_login.member_count_33", svc->getChannelMemberCount(many.data(), 33, id), id);
    IMessage* after = svc->createMessage();
    line("before_login.next_message_id", std::to_string(after->getMessageId()));
    after->release();
    g_rec.sync("before_login");
  }

  // --- logout while not logged in ----------------------------------------------------------------
  line("logout.not_logged_in", rc(svc->logout()));
  g_rec.sync("logout.not_logged_in");

  // --- login with invalid user ids: refused at once, no callback -----------------------------------
  line("login.uid_empty", rc(svc->login(nullptr, "")));
  line("login.uid_65_bytes", rc(svc->login(nullptr, std::string(65, 'u').c_str())));
  line("login.uid_null_literal", rc(svc->login(nullptr, "null")));
  line("login.uid_tab", rc(svc->login(nullptr, "a\tb")));
  line("login.uid_non_ascii", rc(svc->login(nullptr, "caf\xc3\xa9")));
  line("login.uid_quote", rc(svc->login(nullptr, "a'b")));
  g_rec.sync("login.invalid");

  // --- login, then (held in CONNECTING) the synchronous answers, then logout -----------------------
  {
    g_rec.armHold();
    line("connecting.login", rc(svc->login(nullptr, uid.c_str())));
    line("connecting.held", g_rec.waitHeld(std::chrono::milliseconds(2000)) ? "yes" : "no");
    // Empty lists, passed as valid arrays with a count of 0.
    RtmAttribute noAttrs[] = {{"k1", "v1"}};
    const char* noKeys[] = {"k1"};
    const IRtmChannelAttribute* noChAttrs[] = {attr};
    const char* noChannels[] = {"chan1"};
    long long id = -1;
    REQUEST("connecting.set_user_attrs_0", svc->setLocalUserAttributes(noAttrs, 0, id), id);
    id = -1;
    REQUEST("connecting.delete_user_attrs_0", svc->deleteLocalUserAttributesByKeys(noKeys, 0, id), id);
    id = -1;
    REQUEST("connecting.get_user_attrs_by_keys_0", svc->getUserAttributesByKeys(uid.c_str(), noKeys, 0, id), id);
    id = -1;
    ChannelAttributeOptions opts;
    REQUEST("connecting.set_channel_attrs_0", svc->setChannelAttributes("chan1", noChAttrs, 0, opts, id), id);
    id = -1;
    REQUEST("connecting.member_count_0", svc->getChannelMemberCount(noChannels, 0, id), id);
    id = -1;
    REQUEST("connecting.add_user_attrs_0", svc->addOrUpdateLocalUserAttributes(noAttrs, 0, id), id);
    id = -1;
    REQUEST("connecting.set_user_attrs_minus_1", svc->setLocalUserAttributes(noAttrs, -1, id), id);
    id = -1;
    REQUEST("connecting.add_channel_attrs_0", svc->addOrUpdateChannelAttributes("chan1", noChAttrs, 0, opts, id), id);
    id = -1;
    REQUEST("connecting.delete_channel_attrs_0", svc->deleteChannelAttributesByKeys("chan1", noKeys, 0, opts, id), id);
    id = -1;
    REQUEST("connecting.get_channel_attrs_by_keys_0", svc->getChannelAttributesByKeys("chan1", noKeys, 0, id), id);
    id = -1;
    REQUEST("connecting.query_peers_0", svc->queryPeersOnlineStatus(noKeys, 0, id), id);
    id = -1;
    REQUEST("connecting.subscribe_0", svc->subscribePeersOnlineStatus(noKeys, 0, id), id);
    id = -1;
    REQUEST("connecting.unsubscribe_0", svc->unsubscribePeersOnlineStatus(noKeys, 0, id), id);
    id = -1;
    REQUEST("connecting.member_count_minus_1", svc->getChannelMemberCount(noChannels, -1, id), id);
    // A bad attribute (rather than a bad list): 3, and the request id is written.
    {
      RtmAttribute emptyValue[] = {{"k", ""}};
      id = -1;
      REQUEST("connecting.user_attr_empty_value", svc->addOrUpdateLocalUserAttributes(emptyValue, 1, id), id);
      RtmAttribute emptyKey[] = {{"", "v"}};
      id = -1;
      REQUEST("connecting.user_attr_empty_key", svc->addOrUpdateLocalUserAttributes(emptyKey, 1, id), id);
      const std::string key33(33, 'k');
      RtmAttribute longKey[] = {{key33.c_str(), "v"}};
      id = -1;
      REQUEST("connecting.user_attr_key_33_bytes", svc->addOrUpdateLocalUserAttributes(longKey, 1, id), id);
    }
    line("connecting.renew_token_empty", rc(svc->renewToken("")));
    line("connecting.login_again", rc(svc->login(nullptr, uid.c_str())));
    id = -1;
    RtmAttribute spaceKey[] = {{"a b", "v"}};
    REQUEST("connecting.user_attr_key_space", svc->addOrUpdateLocalUserAttributes(spaceKey, 1, id), id);
    id = -1;
    RtmAttribute tabKey[] = {{"a\tb", "v"}};
    REQUEST("connecting.user_attr_key_tab", svc->addOrUpdateLocalUserAttributes(tabKey, 1, id), id);
    id = -1;
    const std::string bigValue(8193, 'v');
    RtmAttribute bigAttr[] = {{"big", bigValue.c_str()}};
    REQUEST("connecting.user_attr_value_8193", svc->addOrUpdateLocalUserAttributes(bigAttr, 1, id), id);
    {
      IRtmChannelAttribute* ca = svc->createChannelAttribute();
      ca->setKey("c d");
      ca->setValue("v");
      const IRtmChannelAttribute* cas[] = {ca};
      id = -1;
      REQUEST("connecting.channel_attr_key_space", svc->addOrUpdateChannelAttributes("chan1", cas, 1, opts, id), id);
      const std::string bigChannelValue(8193, 'v');
      ca->setKey("big");
      ca->setValue(bigChannelValue.c_str());
      id = -1;
      REQUEST("connecting.channel_attr_value_8193", svc->addOrUpdateChannelAttributes("chan1", cas, 1, opts, id), id);
      ca->release();
    }
    line("connecting.channel_send_not_joined", rc(chan1->sendMessage(textEmpty)));
    line("connecting.channel_send_not_joined.message_id", std::to_string(textEmpty->getMessageId()));
    line("connecting.logout", rc(svc->logout()));
    g_rec.releaseHold();
    g_rec.sync("connecting");
  }

  // --- after logout: back to DISCONNECTED ---------------------------------------------------------
  {
    long long id = -1;
    const char* peers[] = {"peer1"};
    REQUEST("after_logout.query_peers", svc->queryPeersOnlineStatus(peers, 1, id), id);
    line("after_logout.join", rc(chan1->join()));
    IMessage* after = svc->createMessage();
    line("after_logout.next_message_id", g_ids.fresh(after->getMessageId()) ? "fresh" : "reused");
    after->release();
    g_rec.sync("after_logout");
  }

  // --- release, in the binding's order --------------------------------------------------------------
  note("addEventHandler");
  svc->addEventHandler(&handler);  // already registered
  note("removeEventHandler");
  svc->removeEventHandler(&handler);  // on an initialized service: fine on the real SDK
  note("messages");
  for (IMessage* m : {textEmpty, text, raw, rawDesc, rawEmpty, rawEmptyDesc, big}) m->release();
  note("attribute");
  attr->release();
  note("invitations");
  invEmpty->release();
  inv65->release();
  inv->release();
  note("call manager");
  cm->release();
  // The real SDK shares one channel between an original and its duplicate: releasing both, in
  // either order, crashes it. The duplicate is released, the original ("dup") is left alone.
  for (std::size_t i = 0; i < extraChannels.size(); ++i) {
    note("extra channel");
    if (std::string(extras[i].key) == "chan.create_dup_original") continue;
    if (extraChannels[i] != nullptr) extraChannels[i]->release();
  }
  note("chan1");
  chan1->release();
  note("service");
  svc->release(true);
  line("release", "done");
  g_rec.sync("release");
  line("threads.callbacks_on_caller_thread", std::to_string(g_rec.onCallerThread()));
  std::remove(logFile.c_str());
  line("end", "ok");
  return 0;
}
