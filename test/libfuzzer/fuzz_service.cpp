// libFuzzer target: the emulator's C++ interface (rtm_emulator::createRtmService()) driven with
// fuzzer-made strings, lists and byte arrays, as the binding hands them over: setParameters'
// JSON, user / peer / channel ids, tokens, message text and raw bytes, user and channel
// attributes, keys, member-count ids, log settings, call invitations; in any order, before and
// after initialize / login / release.
//
// Each input is a small script, one call per line (test/libfuzzer/README.md has the grammar;
// corpus/fuzz_service/ has examples):
//
//   OP|field|field|...
//
// A field takes escapes (\n \t \r \0 \\ \p for '|', \xHH), "\N" alone for a NULL pointer,
// "*N*text" for text repeated N times (long messages and values) and, in a list, "+N+prefix"
// for N items prefix0..prefix{N-1}; a list may start with "#N" to pass N as its count (N may be
// 0, negative, or one more than the items: the array always ends with a NULL entry, as the
// binding's arrays do) or "#null" to pass a NULL array.
//
// Each input gets its own client (IRtmService) and its own in-process service "fuzz" (profile
// "unlimited", so no rate limit applies until setParameters picks another service). Checks,
// besides crash / ASan / UBSan / leak freedom:
//   - every return code and every callback code is a value of its enum in include/;
//   - where the outcome is decided synchronously by the documented local checks (not
//     initialized: 101, not logged in: 102, id / key / value / message sizes and character sets,
//     list counts), the code is exactly the expected one, and request ids are written exactly
//     when the SDK writes them;
//   - createChannel returns NULL exactly for an invalid id or an id whose channel object is
//     still alive; created messages and invitations read back what was put in;
//   - callbacks only see memory that is alive (their strings and arrays are read in full);
//   - once everything is released and the service destroyed, liveObjectCount() is 0 again.
// Nothing waits: callbacks run on the client's thread while the script goes on, and release()
// stops that thread.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "common/json.h"
#include "rtm_emulator/emulator.h"

using namespace agora::rtm;

namespace {

constexpr const char kServiceName[] = "fuzz";
constexpr std::size_t kMaxOps = 64;
constexpr std::size_t kMaxExpandedBytes = 512 * 1024;
constexpr std::size_t kMaxListItems = 1100;

// --- The rules of the SDK's local checks, as documented (README.md, emulator/src/common/rules.h) --------

constexpr std::size_t kMaxIdBytes = 64;
constexpr std::size_t kMaxMessageBytes = 32768;
constexpr std::size_t kMaxKeyBytes = 32;
constexpr std::size_t kMaxValueBytes = 8192;
constexpr std::size_t kMaxUserAttributes = 32;
constexpr std::size_t kMaxUserAttributeBytes = 16384;
constexpr std::size_t kMaxChannelAttributes = 32;
constexpr std::size_t kMaxChannelAttributeBytes = 32768;
constexpr int kMaxPeersPerQuery = 256;
constexpr std::size_t kMaxSubscribedPeers = 512;
constexpr int kMaxChannelIdsPerCount = 32;
constexpr std::size_t kMaxInvitationText = 8192;

// A user id (and channel id): 1..64 bytes of letters, digits, space and
// ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ , — and not "null".
bool validId(const char* id) {
  if (id == nullptr) return false;
  const std::size_t n = std::strlen(id);
  if (n == 0 || n > kMaxIdBytes || std::strcmp(id, "null") == 0) return false;
  static const std::string kMarks = "!#$%&()+-:;<=.>?@[]^_{}|~,";
  for (std::size_t i = 0; i < n; ++i) {
    const char c = id[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
                    kMarks.find(c) != std::string::npos;
    if (!ok) return false;
  }
  return true;
}

bool validKey(const char* key) { return key != nullptr && key[0] != '\0' && std::strlen(key) <= kMaxKeyBytes; }

bool validKeys(const char* keys[], int count) {
  if (count <= 0 || keys == nullptr) return false;
  for (int i = 0; i < count; ++i) {
    if (!validKey(keys[i])) return false;
  }
  return true;
}

enum class Attrs { kOk, kBadList, kBadItem, kOverflow };

// The local checks of an attribute write (key, value) pairs: see identifiers.h, AttributeCheck.
Attrs checkAttributes(const std::vector<std::pair<const char*, const char*>>& pairs, bool nullList, int count,
                      std::size_t maxCount, std::size_t maxBytes) {
  if (count <= 0 || nullList) return Attrs::kBadList;
  for (int i = 0; i < count; ++i) {
    if (!validKey(pairs[i].first)) return Attrs::kBadItem;
    if (pairs[i].second == nullptr || pairs[i].second[0] == '\0') return Attrs::kBadItem;
  }
  std::vector<std::pair<std::string, std::string>> merged;  // a repeated key: the last value wins
  for (int i = 0; i < count; ++i) {
    if (std::strlen(pairs[i].second) > kMaxValueBytes) return Attrs::kOverflow;
    auto it = std::find_if(merged.begin(), merged.end(), [&](const auto& kv) { return kv.first == pairs[i].first; });
    if (it != merged.end()) {
      it->second = pairs[i].second;
    } else {
      merged.emplace_back(pairs[i].first, pairs[i].second);
    }
  }
  std::size_t bytes = 0;
  for (const auto& kv : merged) bytes += kv.first.size() + kv.second.size();
  return merged.size() > maxCount || bytes > maxBytes ? Attrs::kOverflow : Attrs::kOk;
}

// --- Enum ranges (include/rtm/*.h) ---------------------------------------------------------------

bool in(int v, std::initializer_list<int> values) { return std::find(values.begin(), values.end(), v) != values.end(); }
bool inRange(int v, int lo, int hi) { return v >= lo && v <= hi; }
bool requestEnum(int v, int last) { return inRange(v, 0, last) || v == 101 || v == 102; }

// Reading callback data in full lets ASan see a use after free or an overread.
std::atomic<std::size_t> gSink{0};
void touch(const char* s) {
  FUZZ_CHECK(s != nullptr, "a callback got a NULL string");
  gSink.fetch_add(std::strlen(s), std::memory_order_relaxed);
}
void touchBytes(const char* p, int n) {
  FUZZ_CHECK(n >= 0 && (n == 0 || p != nullptr), "bad byte array (%p, %d)", static_cast<const void*>(p), n);
  std::size_t sum = 0;
  for (int i = 0; i < n; ++i) sum += static_cast<unsigned char>(p[i]);
  gSink.fetch_add(sum, std::memory_order_relaxed);
}
void touchMessage(const IMessage* m) {
  FUZZ_CHECK(m != nullptr, "a callback got a NULL message");
  FUZZ_CHECK(inRange(m->getMessageType(), 0, 2), "message type %d", m->getMessageType());
  touch(m->getText());
  touchBytes(m->getRawMessageData(), m->getRawMessageLength());
  gSink.fetch_add(static_cast<std::size_t>(m->getServerReceivedTs()) + m->isOfflineMessage(), std::memory_order_relaxed);
}
void touchChannelAttributes(const IRtmChannelAttribute* attributes[], int count) {
  FUZZ_CHECK(count >= 0 && (count == 0 || attributes != nullptr), "bad attribute array");
  for (int i = 0; i < count; ++i) {
    touch(attributes[i]->getKey());
    touch(attributes[i]->getValue());
    touch(attributes[i]->getLastUpdateUserId());
  }
}
void touchMember(IChannelMember* member) {
  FUZZ_CHECK(member != nullptr, "NULL member");
  touch(member->getUserId());
  touch(member->getChannelId());
}

class ServiceHandler final : public IRtmServiceEventHandler {
 public:
  void onLoginFailure(LOGIN_ERR_CODE code) override { FUZZ_CHECK(in(code, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 101}), "onLoginFailure %d", code); }
  void onRenewTokenResult(const char* token, RENEW_TOKEN_ERR_CODE code) override {
    touch(token);
    FUZZ_CHECK(requestEnum(code, 6), "onRenewTokenResult %d", code);
  }
  void onLogout(LOGOUT_ERR_CODE code) override { FUZZ_CHECK(in(code, {0, 1, 101, 102}), "onLogout %d", code); }
  void onConnectionStateChanged(CONNECTION_STATE state, CONNECTION_CHANGE_REASON reason) override {
    FUZZ_CHECK(inRange(state, 1, 5) && inRange(reason, 1, 8), "onConnectionStateChanged %d %d", state, reason);
  }
  void onSendMessageResult(long long id, PEER_MESSAGE_ERR_CODE code) override {
    FUZZ_CHECK(id > 0 && requestEnum(code, 7), "onSendMessageResult %lld %d", id, code);
  }
  void onMessageReceivedFromPeer(const char* peerId, const IMessage* message) override {
    FUZZ_CHECK(validId(peerId), "a message from an invalid id");
    touchMessage(message);
  }
  void onQueryPeersOnlineStatusResult(long long id, const PeerOnlineStatus* statuses, int count,
                                      QUERY_PEERS_ONLINE_STATUS_ERR code) override {
    FUZZ_CHECK(requestEnum(code, 5), "onQueryPeersOnlineStatusResult %d", code);
    checkStatuses(statuses, count);
  }
  void onSubscriptionRequestResult(long long id, PEER_SUBSCRIPTION_STATUS_ERR code) override {
    FUZZ_CHECK(requestEnum(code, 6), "onSubscriptionRequestResult %d", code);
  }
  void onQueryPeersBySubscriptionOptionResult(long long id, const char* peerIds[], int count,
                                              QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR code) override {
    FUZZ_CHECK(requestEnum(code, 3), "onQueryPeersBySubscriptionOptionResult %d", code);
    FUZZ_CHECK(count >= 0 && (count == 0 || peerIds != nullptr), "bad peer array");
    for (int i = 0; i < count; ++i) FUZZ_CHECK(validId(peerIds[i]), "an invalid subscribed peer id");
  }
  void onPeersOnlineStatusChanged(const PeerOnlineStatus statuses[], int count) override { checkStatuses(statuses, count); }
  void onSetLocalUserAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR code) override { attribute(code); }
  void onAddOrUpdateLocalUserAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR code) override { attribute(code); }
  void onDeleteLocalUserAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR code) override { attribute(code); }
  void onClearLocalUserAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR code) override { attribute(code); }
  void onGetUserAttributesResult(long long id, const char* userId, const RtmAttribute* attributes, int count,
                                 ATTRIBUTE_OPERATION_ERR code) override {
    attribute(code);
    touch(userId);
    FUZZ_CHECK(count >= 0 && (count == 0 || attributes != nullptr), "bad attribute array");
    for (int i = 0; i < count; ++i) {
      touch(attributes[i].key);
      touch(attributes[i].value);
    }
  }
  void onSetChannelAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR code) override { attribute(code); }
  void onAddOrUpdateChannelAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR code) override { attribute(code); }
  void onDeleteChannelAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR code) override { attribute(code); }
  void onClearChannelAttributesResult(long long id, ATTRIBUTE_OPERATION_ERR code) override { attribute(code); }
  void onGetChannelAttributesResult(long long id, const IRtmChannelAttribute* attributes[], int count,
                                    ATTRIBUTE_OPERATION_ERR code) override {
    attribute(code);
    touchChannelAttributes(attributes, count);
  }
  void onGetChannelMemberCountResult(long long id, const ChannelMemberCount* counts, int count,
                                     GET_CHANNEL_MEMBER_COUNT_ERR_CODE code) override {
    FUZZ_CHECK(requestEnum(code, 5), "onGetChannelMemberCountResult %d", code);
    FUZZ_CHECK(count >= 0 && (count == 0 || counts != nullptr), "bad count array");
    for (int i = 0; i < count; ++i) {
      FUZZ_CHECK(validId(counts[i].channelId) && counts[i].count >= 0, "bad member count");
    }
  }

 private:
  static void attribute(int code) { FUZZ_CHECK(requestEnum(code, 7), "attribute result %d", code); }
  static void checkStatuses(const PeerOnlineStatus* statuses, int count) {
    FUZZ_CHECK(count >= 0 && (count == 0 || statuses != nullptr), "bad status array");
    for (int i = 0; i < count; ++i) {
      FUZZ_CHECK(validId(statuses[i].peerId), "an invalid peer id in a status");
      FUZZ_CHECK(inRange(statuses[i].onlineState, 0, 2), "online state %d", statuses[i].onlineState);
      FUZZ_CHECK(statuses[i].isOnline == (statuses[i].onlineState == PEER_ONLINE_STATE_ONLINE), "isOnline mismatch");
    }
  }
};

class ChannelHandler final : public IChannelEventHandler {
 public:
  void onJoinFailure(JOIN_CHANNEL_ERR code) override { FUZZ_CHECK(requestEnum(code, 8) && code != 0, "onJoinFailure %d", code); }
  void onLeave(LEAVE_CHANNEL_ERR code) override { FUZZ_CHECK(requestEnum(code, 3), "onLeave %d", code); }
  void onMessageReceived(const char* userId, const IMessage* message) override {
    FUZZ_CHECK(validId(userId), "a channel message from an invalid id");
    touchMessage(message);
  }
  void onSendMessageResult(long long id, CHANNEL_MESSAGE_ERR_CODE code) override {
    FUZZ_CHECK(id > 0 && requestEnum(code, 4), "channel onSendMessageResult %lld %d", id, code);
  }
  void onMemberJoined(IChannelMember* member) override { touchMember(member); }
  void onMemberLeft(IChannelMember* member) override { touchMember(member); }
  void onGetMembers(IChannelMember** members, int count, GET_MEMBERS_ERR code) override {
    FUZZ_CHECK(requestEnum(code, 5), "onGetMembers %d", code);
    FUZZ_CHECK(count >= 0 && (count == 0 || members != nullptr), "bad member array");
    for (int i = 0; i < count; ++i) touchMember(members[i]);
  }
  void onAttributesUpdated(const IRtmChannelAttribute* attributes[], int count) override {
    touchChannelAttributes(attributes, count);
  }
  void onMemberCountUpdated(int count) override { FUZZ_CHECK(count >= 0, "member count %d", count); }
};

class CallHandler final : public IRtmCallEventHandler {
 public:
  void onLocalInvitationReceivedByPeer(ILocalCallInvitation* inv) override { local(inv); }
  void onLocalInvitationCanceled(ILocalCallInvitation* inv) override { local(inv); }
  void onLocalInvitationFailure(ILocalCallInvitation* inv, LOCAL_INVITATION_ERR_CODE code) override {
    local(inv);
    FUZZ_CHECK(inRange(code, 0, 4), "onLocalInvitationFailure %d", code);
  }
  void onLocalInvitationAccepted(ILocalCallInvitation* inv, const char* response) override {
    local(inv);
    touch(response);
  }
  void onLocalInvitationRefused(ILocalCallInvitation* inv, const char* response) override {
    local(inv);
    touch(response);
  }
  void onRemoteInvitationRefused(IRemoteCallInvitation* inv) override { remote(inv); }
  void onRemoteInvitationAccepted(IRemoteCallInvitation* inv) override { remote(inv); }
  // The application holds a reference to every invitation it receives, and releases it.
  void onRemoteInvitationReceived(IRemoteCallInvitation* inv) override {
    remote(inv);
    std::lock_guard<std::mutex> lock(mu_);
    received_.push_back(inv);
  }
  // Releases the invitations received so far (callbacks may still add more meanwhile).
  void releaseReceived() {
    std::vector<IRemoteCallInvitation*> taken;
    {
      std::lock_guard<std::mutex> lock(mu_);
      taken.swap(received_);
    }
    for (IRemoteCallInvitation* inv : taken) inv->release();
  }
  void onRemoteInvitationFailure(IRemoteCallInvitation* inv, REMOTE_INVITATION_ERR_CODE code) override {
    remote(inv);
    FUZZ_CHECK(inRange(code, 0, 3), "onRemoteInvitationFailure %d", code);
  }
  void onRemoteInvitationCanceled(IRemoteCallInvitation* inv) override { remote(inv); }

 private:
  static void local(ILocalCallInvitation* inv) {
    FUZZ_CHECK(inv != nullptr, "NULL local invitation");
    touch(inv->getCalleeId());
    touch(inv->getResponse());
    FUZZ_CHECK(inRange(inv->getState(), 0, 6), "local invitation state %d", inv->getState());
  }
  static void remote(IRemoteCallInvitation* inv) {
    FUZZ_CHECK(inv != nullptr, "NULL remote invitation");
    touch(inv->getCallerId());
    touch(inv->getContent());
    touch(inv->getChannelId());
    FUZZ_CHECK(inRange(inv->getState(), 0, 6), "remote invitation state %d", inv->getState());
  }

  std::mutex mu_;
  std::vector<IRemoteCallInvitation*> received_;
};

ServiceHandler gHandler;
ServiceHandler gOtherHandler;
ChannelHandler gChannelHandler;
CallHandler gCallHandler;

// --- The script ----------------------------------------------------------------------------------

struct Field {
  std::string text;
  bool null = false;
  const char* c() const { return null ? nullptr : text.c_str(); }
};

struct Line {
  char op = 0;
  std::vector<Field> fields;
};

// Splits on '\n' and '|' (before unescaping), then unescapes each field.
class Script {
 public:
  Script(const std::uint8_t* data, std::size_t size) {
    const std::string all(reinterpret_cast<const char*>(data), size);
    std::size_t pos = 0;
    while (pos < all.size() && lines_.size() < kMaxOps) {
      std::size_t end = all.find('\n', pos);
      if (end == std::string::npos) end = all.size();
      addLine(all.substr(pos, end - pos));
      pos = end + 1;
    }
  }
  const std::vector<Line>& lines() const { return lines_; }

 private:
  void addLine(const std::string& raw) {
    if (raw.empty()) return;
    Line line;
    line.op = raw[0];
    std::size_t pos = 1;
    if (pos < raw.size() && raw[pos] == '|') ++pos;
    while (pos <= raw.size() && raw.size() > 1) {
      std::size_t end = raw.find('|', pos);
      if (end == std::string::npos) end = raw.size();
      line.fields.push_back(unescape(raw.substr(pos, end - pos)));
      pos = end + 1;
    }
    lines_.push_back(std::move(line));
  }

  Field unescape(const std::string& raw) {
    Field f;
    if (raw == "\\N") {
      f.null = true;
      return f;
    }
    std::size_t start = 0;
    std::size_t repeat = 1;
    if (raw.size() > 2 && raw[0] == '*') {
      const std::size_t star = raw.find('*', 1);
      if (star != std::string::npos && star > 1 && star <= 7) {
        repeat = std::strtoul(raw.substr(1, star - 1).c_str(), nullptr, 10);
        start = star + 1;
      }
    }
    std::string unit;
    for (std::size_t i = start; i < raw.size(); ++i) {
      const char c = raw[i];
      if (c != '\\' || i + 1 == raw.size()) {
        unit.push_back(c);
        continue;
      }
      const char e = raw[++i];
      switch (e) {
        case 'n': unit.push_back('\n'); break;
        case 't': unit.push_back('\t'); break;
        case 'r': unit.push_back('\r'); break;
        case '0': unit.push_back('\0'); break;
        case 'p': unit.push_back('|'); break;
        case 'x':
          if (i + 2 < raw.size() && std::isxdigit(static_cast<unsigned char>(raw[i + 1])) &&
              std::isxdigit(static_cast<unsigned char>(raw[i + 2]))) {
            unit.push_back(static_cast<char>(std::strtoul(raw.substr(i + 1, 2).c_str(), nullptr, 16)));
            i += 2;
          } else {
            unit.push_back('x');
          }
          break;
        default: unit.push_back(e); break;
      }
    }
    repeat = unit.empty() ? 0 : std::min(repeat, (kMaxExpandedBytes - std::min(kMaxExpandedBytes, budget_)) / unit.size());
    if (repeat == 0 && start == 0) repeat = 1;  // a plain field is always kept
    budget_ += repeat * unit.size();
    f.text.reserve(repeat * unit.size());
    for (std::size_t r = 0; r < repeat; ++r) f.text += unit;
    return f;
  }

  std::vector<Line> lines_;
  std::size_t budget_ = 0;
};

long long toInt(const Field& f, long long fallback = 0) {
  if (f.null || f.text.empty()) return fallback;
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(f.text.c_str(), &end, 10);
  if (errno != 0) return fallback;
  return v;
}
int toInt32(const Field& f) { return static_cast<int>(std::max<long long>(INT_MIN, std::min<long long>(INT_MAX, toInt(f)))); }

// A `const char* x[]` argument built from fields[from..]: the items (with "+N+prefix" expanded),
// a NULL entry after them, and the count to pass ("#N" / "#null" in the first field).
struct StringList {
  std::vector<std::string> storage;
  std::vector<bool> nulls;
  std::vector<const char*> pointers;
  int count = 0;
  bool nullArray = false;
  bool overridden = false;  // "#N": count is N (at most one more than the items)
  long long override = 0;

  StringList(const std::vector<Field>& fields, std::size_t from) {
    if (from < fields.size() && !fields[from].null && fields[from].text.size() > 1 && fields[from].text[0] == '#') {
      if (fields[from].text == "#null") {
        nullArray = true;
      } else {
        overridden = true;
        override = std::strtoll(fields[from].text.c_str() + 1, nullptr, 10);
      }
      ++from;
    }
    for (std::size_t i = from; i < fields.size() && storage.size() < kMaxListItems; ++i) {
      const Field& f = fields[i];
      if (!f.null && f.text.size() > 2 && f.text[0] == '+') {
        const std::size_t plus = f.text.find('+', 1);
        if (plus != std::string::npos && plus > 1 && plus <= 5) {
          const std::string prefix = f.text.substr(plus + 1);
          const std::size_t n = std::min<std::size_t>(std::strtoul(f.text.substr(1, plus - 1).c_str(), nullptr, 10),
                                                      kMaxExpandedBytes / (prefix.size() + 8));
          for (std::size_t k = 0; k < n && storage.size() < kMaxListItems; ++k) {
            storage.push_back(prefix + std::to_string(k));
            nulls.push_back(false);
          }
          continue;
        }
      }
      storage.push_back(f.text);
      nulls.push_back(f.null);
    }
    for (std::size_t i = 0; i < storage.size(); ++i) pointers.push_back(nulls[i] ? nullptr : storage[i].c_str());
    pointers.push_back(nullptr);
    const long long size = static_cast<long long>(storage.size());
    count = static_cast<int>(overridden ? std::min(override, size + 1) : size);
  }
  const char** data() { return nullArray ? nullptr : pointers.data(); }
  // The items the callee may read: `count` of them, when positive.
  std::vector<const char*> visible() const {
    if (nullArray || count <= 0) return {};
    return std::vector<const char*>(pointers.begin(), pointers.begin() + count);
  }
};

struct Invitation {
  ILocalCallInvitation* obj = nullptr;
  std::string callee;
  std::string content;
  std::string channelId;
  bool sent = false;
};

struct Channel {
  IChannel* obj = nullptr;
  std::string id;
};

class Session {
 public:
  explicit Session(IRtmService* service) : service_(service) {}

  void run(const Line& line);
  void finish(bool objectsFirst);
  bool usedDefault() const { return usedDefault_; }

 private:
  // The code every gated request returns before its own checks: 101 / 102, or 0 to go on.
  int gate() const {
    if (!initialized_) return 101;
    if (!loggedIn_) return 102;
    return 0;
  }
  // A request code when the request got past every local check: OK, or TOO_OFTEN under limits.
  void expectAccepted(int code, int tooOften, const char* what) const {
    FUZZ_CHECK(code == 0 || (rateLimited_ && code == tooOften), "%s: %d, expected 0%s", what, code,
               rateLimited_ ? " or TOO_OFTEN" : "");
  }
  void expectRequestId(int code, long long requestId, const char* what) const {
    if (code == 0) {
      FUZZ_CHECK(requestId >= 2, "%s: accepted with request id %lld", what, requestId);
    } else {
      FUZZ_CHECK(requestId == kUnset, "%s: refused with %d but wrote request id %lld", what, code, requestId);
    }
  }

  void setParameters(const char* json);
  void sendPeer(const Field& peer, IMessage* message, bool messageValid, const Field* opts);
  IMessage* makeMessage(char kind, const std::vector<Field>& f, std::size_t from, bool* valid);
  void userAttributes(bool set, const std::vector<Field>& f);
  void channelAttributes(bool set, const std::vector<Field>& f);
  void peerList(char op, const std::vector<Field>& f);
  void memberCount(const std::vector<Field>& f);
  void channelOp(char op, const std::vector<Field>& f);
  void invitationOp(char op, const std::vector<Field>& f);
  IRtmCallManager* manager();

  static constexpr long long kUnset = -12345;

  IRtmService* service_;
  bool released_ = false;
  bool initialized_ = false;
  bool loggedIn_ = false;
  bool onDefault_ = true;    // a new client talks to "default" until setParameters says otherwise
  bool rateLimited_ = true;  // the default service (v1.2 limits) until "fuzz" is chosen
  bool usedDefault_ = false;  // logged in to "default": it gets replaced after the input
  std::vector<Channel> channels_;
  std::vector<Invitation> invitations_;
  IRtmCallManager* manager_ = nullptr;
  bool managerReplaced_ = false;
};

const Field kNoField{};
const Field& field(const std::vector<Field>& f, std::size_t i) { return i < f.size() ? f[i] : kNoField; }

void Session::setParameters(const char* json) {
  const int code = service_->setParameters(json);
  if (!initialized_) {
    FUZZ_CHECK(code == -7, "setParameters before initialize: %d", code);
    return;
  }
  // What the emulator documents: a JSON object; "rtm.emulator.url" (any number of times) must be
  // "inproc://NAME" of an existing service, and is refused once logged in; other keys are ignored.
  int expected = 0;
  std::string chosen;
  rtm_emulator::JsonValue root;
  if (json == nullptr || !rtm_emulator::parseJson(json, &root, nullptr) || !root.isObject()) {
    expected = -2;
  } else {
    for (const auto& m : root.members()) {
      if (m.first != "rtm.emulator.url") continue;
      const std::string prefix = "inproc://";
      if (!m.second.isString() || m.second.asString().size() <= prefix.size() ||
          m.second.asString().compare(0, prefix.size(), prefix) != 0) {
        expected = -2;
        break;
      }
      const std::string name = m.second.asString().substr(prefix.size());
      if (name != kServiceName && name != "default") {
        expected = -2;
        break;
      }
      chosen = name;
    }
    if (expected == 0 && !chosen.empty() && loggedIn_) expected = -2;
  }
  FUZZ_CHECK(code == expected, "setParameters(%s): %d, expected %d", json, code, expected);
  if (code == 0 && !chosen.empty()) {
    onDefault_ = chosen == "default";
    rateLimited_ = onDefault_;
  }
}

IMessage* Session::makeMessage(char kind, const std::vector<Field>& f, std::size_t from, bool* valid) {
  IMessage* m = nullptr;
  const Field& a = field(f, from);
  const Field& b = field(f, from + 1);
  MESSAGE_TYPE type = MESSAGE_TYPE_TEXT;
  std::string text;      // what getText() must give
  std::string raw;       // what getRawMessageData() must give
  switch (kind) {
    case 'T':  // createMessage(text)
      m = service_->createMessage(a.c());
      text = a.null ? "" : a.c();
      *valid = text.size() <= kMaxMessageBytes;
      break;
    case 'E':  // createMessage() + setText(text)
      m = service_->createMessage();
      FUZZ_CHECK(m != nullptr, "createMessage() returned NULL");
      m->setText(a.c());
      text = a.null ? "" : a.c();
      *valid = text.size() <= kMaxMessageBytes;
      break;
    case 'B': {  // createMessage(bytes, length[, description])
      type = MESSAGE_TYPE_RAW;
      raw = a.text;
      const auto* bytes = reinterpret_cast<const std::uint8_t*>(raw.data());
      const int length = static_cast<int>(raw.size());
      m = b.null ? service_->createMessage(bytes, length) : service_->createMessage(bytes, length, b.c());
      text = b.null ? "" : b.c();
      *valid = raw.size() + text.size() <= kMaxMessageBytes;
      break;
    }
    case 'b': {  // createMessage(NULL, length[, description]): an empty payload
      type = MESSAGE_TYPE_RAW;
      const int length = toInt32(a);
      m = b.null ? service_->createMessage(nullptr, length) : service_->createMessage(nullptr, length, b.c());
      text = b.null ? "" : b.c();
      *valid = text.size() <= kMaxMessageBytes;
      break;
    }
    default:
      return nullptr;
  }
  FUZZ_CHECK(m != nullptr, "createMessage returned NULL");
  FUZZ_CHECK(m->getMessageType() == type, "message type %d, expected %d", m->getMessageType(), type);
  FUZZ_CHECK(m->getMessageId() >= 2, "message id %lld", m->getMessageId());
  FUZZ_CHECK(text == m->getText(), "getText() differs from what was set");
  FUZZ_CHECK(m->getRawMessageData() != nullptr, "getRawMessageData() is NULL");
  FUZZ_CHECK(m->getRawMessageLength() == static_cast<int>(raw.size()) &&
                 std::memcmp(m->getRawMessageData(), raw.data(), raw.size()) == 0,
             "the raw bytes differ from what was given");
  FUZZ_CHECK(!m->isOfflineMessage() && m->getServerReceivedTs() == 0, "a new message looks received");
  return m;
}

void Session::sendPeer(const Field& peer, IMessage* message, bool messageValid, const Field* opts) {
  int code;
  if (opts != nullptr && !opts->null) {
    SendMessageOptions options;
    options.enableOfflineMessaging = opts->text.find('o') != std::string::npos;
    options.enableHistoricalMessaging = opts->text.find('h') != std::string::npos;
    code = service_->sendMessageToPeer(peer.c(), message, options);
  } else {
    code = service_->sendMessageToPeer(peer.c(), message);
  }
  if (gate() != 0) {
    FUZZ_CHECK(code == gate(), "sendMessageToPeer: %d, expected %d", code, gate());
  } else if (!messageValid) {
    FUZZ_CHECK(code == PEER_MESSAGE_ERR_INVALID_MESSAGE, "sendMessageToPeer (bad message): %d", code);
  } else if (!validId(peer.c())) {
    FUZZ_CHECK(code == PEER_MESSAGE_ERR_INVALID_USERID, "sendMessageToPeer (bad peer id): %d", code);
  } else {
    expectAccepted(code, PEER_MESSAGE_ERR_TOO_OFTEN, "sendMessageToPeer");
  }
}

// A/a: setLocalUserAttributes / addOrUpdateLocalUserAttributes(k|v|k|v...), "#N" / "#null" first.
void Session::userAttributes(bool set, const std::vector<Field>& f) {
  StringList flat(f, 0);
  std::vector<RtmAttribute> attributes;
  std::vector<std::pair<const char*, const char*>> pairs;
  for (std::size_t i = 0; i + 1 < flat.storage.size(); i += 2) {
    attributes.push_back({flat.pointers[i], flat.pointers[i + 1]});
    pairs.emplace_back(flat.pointers[i], flat.pointers[i + 1]);
  }
  attributes.push_back({nullptr, nullptr});  // as the binding's arrays end
  pairs.emplace_back(nullptr, nullptr);
  const int size = static_cast<int>(attributes.size()) - 1;
  const int count = flat.overridden ? static_cast<int>(std::min<long long>(flat.override, size + 1)) : size;
  long long requestId = kUnset;
  const RtmAttribute* array = flat.nullArray ? nullptr : attributes.data();
  const int code = set ? service_->setLocalUserAttributes(array, count, requestId)
                       : service_->addOrUpdateLocalUserAttributes(array, count, requestId);
  const char* what = set ? "setLocalUserAttributes" : "addOrUpdateLocalUserAttributes";
  if (gate() != 0) {
    FUZZ_CHECK(code == gate() && requestId == kUnset, "%s: %d, expected %d", what, code, gate());
    return;
  }
  switch (checkAttributes(pairs, flat.nullArray, count, kMaxUserAttributes, kMaxUserAttributeBytes)) {
    case Attrs::kBadList:
      FUZZ_CHECK(code == ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT && requestId == kUnset, "%s (no list): %d", what, code);
      return;
    case Attrs::kBadItem:
      // Observed on the SDK: the request id is written although the call is refused.
      FUZZ_CHECK(code == ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT && requestId >= 2, "%s (bad item): %d", what, code);
      return;
    case Attrs::kOverflow:
      FUZZ_CHECK(code == ATTRIBUTE_OPERATION_ERR_OK && requestId >= 2, "%s (overflow): %d", what, code);
      return;
    case Attrs::kOk:
      expectAccepted(code, ATTRIBUTE_OPERATION_ERR_TOO_OFTEN, what);
      expectRequestId(code, requestId, what);
      return;
  }
}

// W/w: setChannelAttributes / addOrUpdateChannelAttributes(channel|notify|k|v|k|v...).
void Session::channelAttributes(bool set, const std::vector<Field>& f) {
  const Field& channel = field(f, 0);
  ChannelAttributeOptions options;
  options.enableNotificationToChannelMembers = toInt(field(f, 1)) != 0;
  StringList flat(f, 2);
  std::vector<IRtmChannelAttribute*> owned;
  struct Releaser {  // the attributes are the caller's: released once the checks are done
    std::vector<IRtmChannelAttribute*>* owned;
    ~Releaser() {
      for (IRtmChannelAttribute* a : *owned) a->release();
    }
  } releaser{&owned};
  std::vector<const IRtmChannelAttribute*> views;
  std::vector<std::pair<const char*, const char*>> pairs;
  for (std::size_t i = 0; i + 1 < flat.storage.size(); i += 2) {
    IRtmChannelAttribute* a = service_->createChannelAttribute();
    FUZZ_CHECK(a != nullptr, "createChannelAttribute returned NULL");
    a->setKey(flat.pointers[i]);
    a->setValue(flat.pointers[i + 1]);
    FUZZ_CHECK(std::strcmp(a->getKey(), flat.pointers[i] ? flat.pointers[i] : "") == 0, "getKey differs");
    FUZZ_CHECK(std::strcmp(a->getValue(), flat.pointers[i + 1] ? flat.pointers[i + 1] : "") == 0, "getValue differs");
    FUZZ_CHECK(a->getLastUpdateUserId() != nullptr && a->getLastUpdateTs() == 0, "a new attribute looks updated");
    owned.push_back(a);
    views.push_back(a);
    pairs.emplace_back(a->getKey(), a->getValue());
  }
  views.push_back(nullptr);
  pairs.emplace_back(nullptr, nullptr);
  const int size = static_cast<int>(owned.size());
  const int count = flat.overridden ? static_cast<int>(std::min<long long>(flat.override, size + 1)) : size;
  long long requestId = kUnset;
  const IRtmChannelAttribute** array = flat.nullArray ? nullptr : views.data();
  const int code = set ? service_->setChannelAttributes(channel.c(), array, count, options, requestId)
                       : service_->addOrUpdateChannelAttributes(channel.c(), array, count, options, requestId);
  const char* what = set ? "setChannelAttributes" : "addOrUpdateChannelAttributes";
  if (gate() != 0) {
    FUZZ_CHECK(code == gate() && requestId == kUnset, "%s: %d, expected %d", what, code, gate());
    return;
  }
  if (!validId(channel.c())) {
    FUZZ_CHECK(code == ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT && requestId == kUnset, "%s (bad channel id): %d", what,
               code);
    return;
  }
  // A NULL entry within the count (the one after the items): a bad list, unless an item before it
  // is already a bad item (the items are checked in order).
  Attrs expected = checkAttributes(pairs, flat.nullArray, std::min(count, size), kMaxChannelAttributes,
                                   kMaxChannelAttributeBytes);
  if (count > size && !flat.nullArray && (size == 0 || expected != Attrs::kBadItem)) expected = Attrs::kBadList;
  switch (expected) {
    case Attrs::kBadList:
      FUZZ_CHECK(code == ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT && requestId == kUnset, "%s (no list): %d", what, code);
      return;
    case Attrs::kBadItem:
      FUZZ_CHECK(code == ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT && requestId >= 2, "%s (bad item): %d", what, code);
      return;
    case Attrs::kOverflow:
      FUZZ_CHECK(code == ATTRIBUTE_OPERATION_ERR_OK && requestId >= 2, "%s (overflow): %d", what, code);
      return;
    case Attrs::kOk:
      expectAccepted(code, ATTRIBUTE_OPERATION_ERR_TOO_OFTEN, what);
      expectRequestId(code, requestId, what);
      return;
  }
}

// Q / O / o: query / subscribe / unsubscribe peers' online status.
void Session::peerList(char op, const std::vector<Field>& f) {
  StringList peers(f, 0);
  long long requestId = kUnset;
  int code;
  const char* what;
  if (op == 'Q') {
    code = service_->queryPeersOnlineStatus(peers.data(), peers.count, requestId);
    what = "queryPeersOnlineStatus";
  } else if (op == 'O') {
    code = service_->subscribePeersOnlineStatus(peers.data(), peers.count, requestId);
    what = "subscribePeersOnlineStatus";
  } else {
    code = service_->unsubscribePeersOnlineStatus(peers.data(), peers.count, requestId);
    what = "unsubscribePeersOnlineStatus";
  }
  if (gate() != 0) {
    FUZZ_CHECK(code == gate(), "%s: %d, expected %d", what, code, gate());
  } else {
    bool valid = peers.count > 0 && !peers.nullArray;
    std::set<std::string> distinct;
    for (const char* p : peers.visible()) {
      if (!validId(p)) valid = false;
      if (p != nullptr) distinct.insert(p);
    }
    if (op == 'Q' && peers.count > kMaxPeersPerQuery) valid = false;
    if (!valid) {
      FUZZ_CHECK(code == 2, "%s (bad list): %d", what, code);  // *_INVALID_ARGUMENT
    } else if (op == 'O' && distinct.size() > kMaxSubscribedPeers) {
      FUZZ_CHECK(code == PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW, "%s (over 512): %d", what, code);
    } else {
      expectAccepted(code, 5, what);  // *_TOO_OFTEN
    }
  }
  expectRequestId(code, requestId, what);
}

void Session::memberCount(const std::vector<Field>& f) {
  StringList ids(f, 0);
  long long requestId = kUnset;
  const int code = service_->getChannelMemberCount(ids.data(), ids.count, requestId);
  if (gate() != 0) {
    FUZZ_CHECK(code == gate(), "getChannelMemberCount: %d, expected %d", code, gate());
  } else if (ids.count == 0) {
    FUZZ_CHECK(code == GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT, "getChannelMemberCount (none): %d", code);
  } else if (ids.count < 0 || ids.count > kMaxChannelIdsPerCount) {
    FUZZ_CHECK(code == GET_CHANNEL_MEMBER_COUNT_ERR_EXCEED_LIMIT, "getChannelMemberCount (%d ids): %d", ids.count, code);
  } else {
    bool valid = !ids.nullArray;
    for (const char* id : ids.visible()) valid = valid && validId(id);
    if (!valid) {
      FUZZ_CHECK(code == GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT, "getChannelMemberCount (bad id): %d", code);
    } else {
      expectAccepted(code, GET_CHANNEL_MEMBER_COUNT_ERR_TOO_OFTEN, "getChannelMemberCount");
    }
  }
  expectRequestId(code, requestId, "getChannelMemberCount");
}

// C/c create; J join, K leave, S text message, M raw message, G getMembers, X release (slot first).
void Session::channelOp(char op, const std::vector<Field>& f) {
  if (op == 'C' || op == 'c') {
    if (released_) return;
    const Field& id = field(f, 0);
    const bool live = std::any_of(channels_.begin(), channels_.end(),
                                  [&](const Channel& ch) { return !id.null && ch.id == id.c(); });
    IChannel* channel = service_->createChannel(id.c(), op == 'C' ? &gChannelHandler : nullptr);
    const bool expected = validId(id.c()) && !live;
    FUZZ_CHECK((channel != nullptr) == expected, "createChannel: %s, expected %s", channel ? "an object" : "NULL",
               expected ? "an object" : "NULL");
    if (channel != nullptr) {
      FUZZ_CHECK(std::strcmp(channel->getId(), id.c()) == 0, "getId() differs");
      channels_.push_back({channel, id.c()});
    }
    return;
  }
  if (channels_.empty()) return;
  const std::size_t slot = static_cast<std::size_t>(std::llabs(toInt(field(f, 0)))) % channels_.size();
  IChannel* channel = channels_[slot].obj;
  // A released service answers 102 to every channel request.
  const int gateCode = released_ ? 102 : gate();
  switch (op) {
    case 'J': {
      const int code = channel->join();
      if (gateCode != 0) {
        FUZZ_CHECK(code == gateCode, "join: %d, expected %d", code, gateCode);
      } else {
        FUZZ_CHECK(in(code, {0, 5, 6}) || (rateLimited_ && in(code, {7, 8})), "join: %d", code);
      }
      return;
    }
    case 'K': {
      const int code = channel->leave();
      if (gateCode != 0) {
        FUZZ_CHECK(code == gateCode, "leave: %d, expected %d", code, gateCode);
      } else {
        FUZZ_CHECK(in(code, {0, 3}), "leave: %d", code);
      }
      return;
    }
    case 'G': {
      const int code = channel->getMembers();
      if (gateCode != 0) {
        FUZZ_CHECK(code == gateCode, "getMembers: %d, expected %d", code, gateCode);
      } else {
        FUZZ_CHECK(in(code, {0, 5}) || (rateLimited_ && code == 4), "getMembers: %d", code);
      }
      return;
    }
    case 'S':
    case 'M': {
      if (released_) {
        // No service to make a message with: a NULL message still gets its 102.
        FUZZ_CHECK(channel->sendMessage(nullptr) == 102, "sendMessage on a released service");
        return;
      }
      bool valid = false;
      IMessage* message = makeMessage(op == 'S' ? 'T' : 'B', f, 1, &valid);
      const Field& opts = field(f, op == 'S' ? 2 : 3);
      int code;
      if (!opts.null && !opts.text.empty()) {
        SendMessageOptions options;
        options.enableOfflineMessaging = opts.text.find('o') != std::string::npos;
        code = channel->sendMessage(message, options);
      } else {
        code = channel->sendMessage(message);
      }
      message->release();
      if (gateCode != 0) {
        FUZZ_CHECK(code == gateCode, "channel sendMessage: %d, expected %d", code, gateCode);
      } else if (!valid) {
        FUZZ_CHECK(code == CHANNEL_MESSAGE_ERR_INVALID_MESSAGE, "channel sendMessage (bad message): %d", code);
      } else {
        expectAccepted(code, CHANNEL_MESSAGE_ERR_TOO_OFTEN, "channel sendMessage");
      }
      return;
    }
    case 'X':
      channel->release();
      channels_.erase(channels_.begin() + static_cast<std::ptrdiff_t>(slot));
      return;
    default:
      return;
  }
}

IRtmCallManager* Session::manager() {
  if (manager_ == nullptr && !released_) {
    manager_ = service_->getRtmCallManager(&gCallHandler);
    FUZZ_CHECK(manager_ != nullptr, "getRtmCallManager returned NULL");
  }
  return manager_;
}

// V create (callee|content|channelId), v send, k cancel, y release (slot); m releases the manager.
void Session::invitationOp(char op, const std::vector<Field>& f) {
  if (op == 'm') {
    if (manager_ != nullptr) {
      manager_->release();
      manager_ = nullptr;
      managerReplaced_ = true;
    }
    return;
  }
  if (op == 'V') {
    IRtmCallManager* m = manager();
    if (m == nullptr) return;
    const Field& callee = field(f, 0);
    const Field& content = field(f, 1);
    const Field& channelId = field(f, 2);
    ILocalCallInvitation* inv = m->createLocalCallInvitation(callee.c());
    FUZZ_CHECK(inv != nullptr, "createLocalCallInvitation returned NULL");
    Invitation entry;
    entry.obj = inv;
    entry.callee = callee.null ? "" : callee.c();
    FUZZ_CHECK(entry.callee == inv->getCalleeId(), "getCalleeId differs");
    if (f.size() > 1) {
      inv->setContent(content.c());
      entry.content = content.null ? "" : content.c();
    }
    if (f.size() > 2) {
      inv->setChannelId(channelId.c());
      entry.channelId = channelId.null ? "" : channelId.c();
    }
    FUZZ_CHECK(entry.content == inv->getContent(), "getContent differs");
    FUZZ_CHECK(entry.channelId == inv->getChannelId(), "getChannelId differs");
    FUZZ_CHECK(inv->getState() == LOCAL_INVITATION_STATE_IDLE, "a new invitation is in state %d", inv->getState());
    touch(inv->getResponse());
    invitations_.push_back(std::move(entry));
    return;
  }
  if (invitations_.empty()) return;
  const std::size_t slot = static_cast<std::size_t>(std::llabs(toInt(field(f, 0)))) % invitations_.size();
  Invitation& inv = invitations_[slot];
  if (op == 'y') {
    inv.obj->release();
    invitations_.erase(invitations_.begin() + static_cast<std::ptrdiff_t>(slot));
    return;
  }
  IRtmCallManager* m = manager();
  if (m == nullptr) return;
  if (op == 'v') {
    const int code = m->sendLocalInvitation(inv.obj);
    if (!inv.sent && !managerReplaced_ && !released_) {
      const bool valid = inv.content.size() <= kMaxInvitationText && inv.channelId.size() <= kMaxInvitationText &&
                         validId(inv.callee.c_str());
      FUZZ_CHECK(code == (valid ? INVITATION_API_CALL_ERR_OK : INVITATION_API_CALL_ERR_INVALID_ARGUMENT),
                 "sendLocalInvitation (first): %d", code);
    } else {
      FUZZ_CHECK(inRange(code, 0, 5), "sendLocalInvitation: %d", code);
    }
    inv.sent = inv.sent || code == 0;
  } else if (op == 'k') {
    const int code = m->cancelLocalInvitation(inv.obj);
    FUZZ_CHECK(inRange(code, 0, 5), "cancelLocalInvitation: %d", code);
  }
}

void Session::run(const Line& line) {
  const std::vector<Field>& f = line.fields;
  const char op = line.op;
  // Objects that may outlive the service: channels and invitations.
  if (std::strchr("JKGSMX", op) != nullptr) return channelOp(op, f);
  if (std::strchr("vkym", op) != nullptr) return invitationOp(op, f);
  if (released_) return;

  switch (op) {
    case 'I':
    case 'i': {  // initialize(appId, handler or NULL)
      const Field& appId = field(f, 0);
      const int code = service_->initialize(appId.c(), op == 'I' ? &gHandler : nullptr);
      int expected = INIT_ERR_OK;
      if (appId.null || std::strlen(appId.c()) != 32) {
        expected = INIT_ERR_INVALID_APP_ID;
      } else if (initialized_) {
        expected = INIT_ERR_ALREADY_INITIALIZED;
      } else if (op == 'i') {
        expected = INIT_ERR_INVALID_ARGUMENT;
      }
      FUZZ_CHECK(code == expected || (expected == 0 && code == INIT_ERR_FAILURE), "initialize: %d, expected %d", code,
                 expected);
      initialized_ = initialized_ || code == INIT_ERR_OK;
      return;
    }
    case 'e':
      service_->addEventHandler(toInt(field(f, 0)) != 0 ? &gHandler : &gOtherHandler);
      return;
    case 'u':
      service_->removeEventHandler(toInt(field(f, 0)) != 0 ? &gHandler : &gOtherHandler);
      return;
    case 'P':
      return setParameters(field(f, 0).c());
    case 'U': {  // setParameters({"rtm.emulator.url": "inproc://NAME"})
      const std::string json = "{\"rtm.emulator.url\":" + rtm_emulator::jsonQuote("inproc://" + field(f, 0).text) + "}";
      return setParameters(json.c_str());
    }
    case 'L': {  // login(token, userId)
      const Field& token = field(f, 0);
      const Field& userId = field(f, 1);
      const int code = service_->login(token.c(), userId.c());
      if (!initialized_) {
        FUZZ_CHECK(code == LOGIN_ERR_NOT_INITIALIZED, "login: %d", code);
      } else if (!validId(userId.c())) {
        FUZZ_CHECK(code == LOGIN_ERR_INVALID_ARGUMENT, "login (bad user id): %d", code);
      } else {
        expectAccepted(code, LOGIN_ERR_TOO_OFTEN, "login");
        // Logged in already: accepted, then onLoginFailure(ALREADY_LOGGED_IN).
        loggedIn_ = loggedIn_ || code == 0;
        usedDefault_ = usedDefault_ || (code == 0 && onDefault_);
      }
      return;
    }
    case 'l': {
      const int code = service_->logout();
      FUZZ_CHECK(code == (initialized_ ? LOGOUT_ERR_OK : LOGOUT_ERR_NOT_INITIALIZED), "logout: %d", code);
      loggedIn_ = false;
      return;
    }
    case 'R': {
      const Field& token = field(f, 0);
      const int code = service_->renewToken(token.c());
      if (gate() != 0) {
        FUZZ_CHECK(code == gate(), "renewToken: %d, expected %d", code, gate());
      } else if (token.null || token.c()[0] == '\0') {
        FUZZ_CHECK(code == RENEW_TOKEN_ERR_INVALID_ARGUMENT, "renewToken (empty): %d", code);
      } else {
        expectAccepted(code, RENEW_TOKEN_ERR_TOO_OFTEN, "renewToken");
      }
      return;
    }
    case 'T':
    case 'E':
    case 'B':
    case 'b': {  // peer|message fields|options
      bool valid = false;
      IMessage* message = makeMessage(op, f, 1, &valid);
      const std::size_t optsAt = (op == 'T' || op == 'E') ? 2 : 3;
      sendPeer(field(f, 0), message, valid, f.size() > optsAt ? &f[optsAt] : nullptr);
      message->release();
      return;
    }
    case 'n': {  // sendMessageToPeer(peer, NULL)
      const int code = service_->sendMessageToPeer(field(f, 0).c(), nullptr);
      FUZZ_CHECK(code == (gate() != 0 ? gate() : PEER_MESSAGE_ERR_INVALID_MESSAGE), "sendMessageToPeer(NULL): %d", code);
      return;
    }
    case 'C':
    case 'c':
      return channelOp(op, f);
    case 'V':
      return invitationOp(op, f);
    case 'A':
    case 'a':
      return userAttributes(op == 'A', f);
    case 'D': {  // deleteLocalUserAttributesByKeys(keys...)
      StringList keys(f, 0);
      long long requestId = kUnset;
      const int code = service_->deleteLocalUserAttributesByKeys(keys.data(), keys.count, requestId);
      if (gate() != 0) {
        FUZZ_CHECK(code == gate(), "deleteLocalUserAttributesByKeys: %d, expected %d", code, gate());
      } else if (!validKeys(keys.data(), keys.count)) {
        FUZZ_CHECK(code == ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT, "deleteLocalUserAttributesByKeys (bad keys): %d", code);
      } else {
        expectAccepted(code, ATTRIBUTE_OPERATION_ERR_TOO_OFTEN, "deleteLocalUserAttributesByKeys");
      }
      expectRequestId(code, requestId, "deleteLocalUserAttributesByKeys");
      return;
    }
    case 'Z': {
      long long requestId = kUnset;
      const int code = service_->clearLocalUserAttributes(requestId);
      if (gate() != 0) {
        FUZZ_CHECK(code == gate(), "clearLocalUserAttributes: %d, expected %d", code, gate());
      } else {
        expectAccepted(code, ATTRIBUTE_OPERATION_ERR_TOO_OFTEN, "clearLocalUserAttributes");
      }
      expectRequestId(code, requestId, "clearLocalUserAttributes");
      return;
    }
    case 'g':
    case 'h': {  // getUserAttributes(user) / getUserAttributesByKeys(user|keys...)
      const Field& user = field(f, 0);
      StringList keys(f, 1);
      long long requestId = kUnset;
      const int code = op == 'g' ? service_->getUserAttributes(user.c(), requestId)
                                 : service_->getUserAttributesByKeys(user.c(), keys.data(), keys.count, requestId);
      if (gate() != 0) {
        FUZZ_CHECK(code == gate(), "getUserAttributes: %d, expected %d", code, gate());
      } else if (!validId(user.c()) || (op == 'h' && !validKeys(keys.data(), keys.count))) {
        FUZZ_CHECK(code == ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT, "getUserAttributes (bad argument): %d", code);
      } else {
        expectAccepted(code, ATTRIBUTE_OPERATION_ERR_TOO_OFTEN, "getUserAttributes");
      }
      expectRequestId(code, requestId, "getUserAttributes");
      return;
    }
    case 'W':
    case 'w':
      return channelAttributes(op == 'W', f);
    case 'x':
    case 'z':
    case 'r':
    case 's': {  // delete (channel|notify|keys...), clear (channel|notify), get (channel), byKeys (channel|keys...)
      const Field& channel = field(f, 0);
      ChannelAttributeOptions options;
      options.enableNotificationToChannelMembers = toInt(field(f, 1)) != 0;
      StringList keys(f, op == 'x' ? 2 : 1);
      long long requestId = kUnset;
      int code = 0;
      bool keysUsed = false;
      switch (op) {
        case 'x':
          code = service_->deleteChannelAttributesByKeys(channel.c(), keys.data(), keys.count, options, requestId);
          keysUsed = true;
          break;
        case 'z':
          code = service_->clearChannelAttributes(channel.c(), options, requestId);
          break;
        case 'r':
          code = service_->getChannelAttributes(channel.c(), requestId);
          break;
        default:
          code = service_->getChannelAttributesByKeys(channel.c(), keys.data(), keys.count, requestId);
          keysUsed = true;
          break;
      }
      if (gate() != 0) {
        FUZZ_CHECK(code == gate(), "channel attributes '%c': %d, expected %d", op, code, gate());
      } else if (!validId(channel.c()) || (keysUsed && !validKeys(keys.data(), keys.count))) {
        FUZZ_CHECK(code == ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT, "channel attributes '%c' (bad argument): %d", op, code);
      } else {
        expectAccepted(code, ATTRIBUTE_OPERATION_ERR_TOO_OFTEN, "channel attributes");
      }
      expectRequestId(code, requestId, "channel attributes");
      return;
    }
    case 'Q':
    case 'O':
    case 'o':
      return peerList(op, f);
    case 'q': {
      long long requestId = kUnset;
      // Any int, as the binding's Int32Arg passes it (the enum has a fixed type: no UB).
      const int option = toInt32(field(f, 0));
      const int code = service_->queryPeersBySubscriptionOption(static_cast<PEER_SUBSCRIPTION_OPTION>(option), requestId);
      if (gate() != 0) {
        FUZZ_CHECK(code == gate(), "queryPeersBySubscriptionOption: %d, expected %d", code, gate());
      } else if (option != PEER_SUBSCRIPTION_OPTION_ONLINE_STATUS) {
        FUZZ_CHECK(code == QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE, "queryPeersBySubscriptionOption(%d): %d", option,
                   code);
      } else {
        expectAccepted(code, QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TOO_OFTEN, "queryPeersBySubscriptionOption");
      }
      expectRequestId(code, requestId, "queryPeersBySubscriptionOption");
      return;
    }
    case 'N':
      return memberCount(f);
    case 'F': {  // setLogFile(path): NULL, "" and directories refused
      const Field& path = field(f, 0);
      const int code = service_->setLogFile(path.c());
      FUZZ_CHECK(code == 0 || code == -1, "setLogFile: %d", code);
      if (path.null || path.c()[0] == '\0') FUZZ_CHECK(code == -1, "setLogFile(empty): %d", code);
      return;
    }
    case 'f': {
      // Any int, as the binding passes it (the enum has a fixed type: no UB).
      const int code = service_->setLogFilter(static_cast<LOG_FILTER_TYPE>(toInt32(field(f, 0))));
      FUZZ_CHECK(code == 0, "setLogFilter: %d", code);
      return;
    }
    case 'Y': {
      const int kb = toInt32(field(f, 0));
      const int code = service_->setLogFileSize(kb);
      FUZZ_CHECK(code == (kb <= 0 ? -1 : 0), "setLogFileSize(%d): %d", kb, code);
      return;
    }
    case '!':  // release(sync) now; channels and invitations may outlive it
      service_->release(toInt(field(f, 0)) != 0);
      released_ = true;
      loggedIn_ = false;
      return;
    default:
      return;
  }
}

void Session::finish(bool objectsFirst) {
  auto releaseObjects = [this] {
    for (Channel& ch : channels_) ch.obj->release();
    channels_.clear();
    for (Invitation& inv : invitations_) inv.obj->release();
    invitations_.clear();
    if (manager_ != nullptr) manager_->release();
    manager_ = nullptr;
    gCallHandler.releaseReceived();
  };
  if (objectsFirst) releaseObjects();
  if (!released_) service_->release();
  released_ = true;
  releaseObjects();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::string error;
  FUZZ_CHECK(rtm_emulator::createInProcess(kServiceName, "{\"profile\":\"unlimited\"}", &error), "%s", error.c_str());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Script script(data, size);
  IRtmService* service = rtm_emulator::createRtmService();
  FUZZ_CHECK(service != nullptr, "createRtmService returned NULL");
  Session session(service);
  for (const Line& line : script.lines()) session.run(line);
  session.finish(size > 0 && (data[size - 1] & 1) != 0);

  // A fresh service for the next input (sessions, attributes, offline messages, channels gone).
  FUZZ_CHECK(rtm_emulator::destroyInProcess(kServiceName), "the fuzz service is gone");
  std::string error;
  FUZZ_CHECK(rtm_emulator::createInProcess(kServiceName, "{\"profile\":\"unlimited\"}", &error), "%s", error.c_str());
  if (session.usedDefault()) rtm_emulator::destroyInProcess("default");  // replaced by a fresh one

  const long long live = rtm_emulator::liveObjectCount();
  FUZZ_CHECK(live == 0, "%lld emulator objects still alive after everything was released", live);
  return 0;
}
