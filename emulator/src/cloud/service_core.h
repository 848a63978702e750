// ServiceCore: one emulated RTM cloud. Holds the sessions by user id, their attributes and
// presence subscriptions, the offline message cache, and (later) channels and invitations. It
// knows clients only as SessionLinks and answers through the completion functions of the
// ServiceConnection calls. Thread-safe.
//
// Delivery: everything the core sends to one session (request answers, pushes) goes through that
// session's Outbox, a FIFO filled under the core's lock and emptied after it is released, so the
// order is the order of the core's decisions while no lock is held when a link or a completion
// function runs. While the session's link is down (fault injection) its outbox holds everything.
//
// The in-process "network" is modelled here: dropConnection/restoreConnection silence and revive
// one session's link, and the presence timers (unreachableAfterMs, offlineAfterMs) run on the
// core's own timer thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "client/callback_thread.h"
#include "common/inline_task.h"
#include "common/limits.h"
#include "common/ring.h"
#include "transport/session_link.h"

namespace rtm_emulator {

// The server clock, in ms since the epoch: message and attribute timestamps (service and channels).
long long nowMs();
// nowMs read once per DeferredBatch (a pump run of up to 128 requests) on this thread: the
// timestamp of the messages a run sends; nowMs() outside a batch.
long long batchNowMs();

class Outbox;
class ServiceCore;

// One peer message on its way to an online receiver (see ServiceCore::sendPeerMessage): what its
// receiver's outbox entry and the `taken` answer share by one pointer.
struct PeerDelivery {
  std::shared_ptr<SessionLink> link;  // the receiver's
  std::string senderId, peerId;
  std::shared_ptr<const PeerMessageData> message;
  std::weak_ptr<Outbox> senderBox;
  std::weak_ptr<ServiceCore> core;
  bool enableOfflineMessaging = false;
  agora::rtm::PEER_MESSAGE_ERR_CODE code = agora::rtm::PEER_MESSAGE_ERR_OK;
  ServiceConnection::PeerMessageAnswer done;
};

class Outbox : public std::enable_shared_from_this<Outbox> {
 public:
  using Item = InlineTask;  // small items (a link or completion function and a code) stay off the heap
  // Runs fn after delayMs on some timer thread (the core's); used while a latency is set.
  using Scheduler = std::function<void(int delayMs, std::function<void()> fn)>;
  void push(Item item);
  // push, and inside a DeferredBatch also queue the drain for its end (false); true: the caller
  // must drain() (once it holds no lock of the core).
  bool pushQueuingDrain(Item item);
  // A peer message for this outbox's session: queued like an item; consecutive ones for the same
  // in-process link are handed over as one run (SessionLink::onPeerMessages) when drained.
  // Inside a DeferredBatch it also queues the drain (false); true: the caller must drain() (once
  // it holds no lock of the core).
  bool pushPeer(std::shared_ptr<PeerDelivery> delivery);
  // The sender's answers (done(code)) of n peer messages, in order, with one lock; then drains.
  // Takes the pointers (they are left empty).
  void pushPeerAnswers(std::shared_ptr<PeerDelivery>* deliveries, std::size_t n);
  void pushFront(std::vector<Item> items);  // keeps their order, ahead of what is queued
  void setUp(bool up);
  // Fault injection (Emulator#setLatency): from now on each item pushed is held for latencyMs
  // plus up to jitterMs (uniformly), never overtaking the item before it. 0, 0: at once again.
  void setLatency(int latencyMs, int jitterMs, Scheduler scheduler);
  // Runs queued items that are due while the outbox is up; returns at once when another thread
  // is already running them (that thread takes the new ones too). Call without holding the core's
  // lock. Items not yet due are run by a timer when they are.
  void drain();

 private:
  enum class Kind : unsigned char { kItem, kPeer, kAnswer };
  // (By reference: the item is moved once, into its slot.)
  void pushLocked(Item&& item, std::shared_ptr<PeerDelivery>&& peer = nullptr, Kind kind = Kind::kItem);
  void drainLocked(std::unique_lock<std::mutex>& lock);  // unlocks it
  // Inside a DeferredBatch: queues one drain for the batch's end (unless one is queued); true then.
  bool deferDrainLocked();
  struct Entry {
    Item item;                          // kItem: run as it is
    std::shared_ptr<PeerDelivery> peer;  // kPeer: a peer message (ServiceCore::runPeerDeliveries),
                                         // kAnswer: its answer to the sender, peer->done(peer->code)
    std::chrono::steady_clock::time_point due;
    Kind kind = Kind::kItem;
  };
  std::mutex mu_;
  // (An empty std::deque holds ~600 bytes; this holds nothing until used. It keeps a buffer of a
  // pump run's size, kPumpBatch entries, so a flood does not regrow it from 4 after every drain.)
  Ring<Entry, 128> items_;
  std::atomic<bool> up_{false};  // written under mu_; read without it between the items of a drain
  bool draining_ = false;
  bool drainDeferred_ = false;  // a drain is queued in this thread's DeferredBatch
  int latencyMs_ = 0;
  int jitterMs_ = 0;
  Scheduler scheduler_;
  bool timerArmed_ = false;
  std::chrono::steady_clock::time_point lastDue_{};
  std::uint64_t jitterState_ = 0x9e3779b97f4a7c15ull;
};

class ChannelCore;
class InvitationCore;

class ServiceCore : public std::enable_shared_from_this<ServiceCore> {
 public:
  // appCertificate: the project's App Certificate (32 hex characters) when tokens are verified,
  // "" when any token is accepted (a project without one).
  ServiceCore(std::string name, Limits limits, std::string appCertificate = "");
  ~ServiceCore();
  ServiceCore(const ServiceCore&) = delete;
  ServiceCore& operator=(const ServiceCore&) = delete;

  const std::string& name() const { return name_; }
  const Limits& limits() const { return limits_; }

  // Opens a session for userId and calls done(answer) before returning. With an App Certificate
  // the token is verified first (cloud/token/rtm_token.h) against appId and userId: a token that
  // fails gets INVALID_TOKEN or TOKEN_EXPIRED and touches no session. An existing session of the
  // same user is dropped first and its link gets onKicked(REMOTE_LOGIN). When done() returns
  // true the session goes live: cached offline messages first, then whatever arrived meanwhile.
  // A verified token's expiry is armed on the timer thread (onTokenExpiry). A closed service
  // never answers.
  void login(const std::string& appId, const std::string& userId, const std::string& token,
             std::shared_ptr<SessionLink> link, const std::function<bool(const LoginAnswer&)>& done);
  void logout(const std::string& userId, std::uint64_t sessionId);
  // False when no such session (or the service is closed: no answer). With an App Certificate
  // the new token is verified as at login (RENEW_TOKEN_ERR_INVALID_TOKEN / _TOKEN_EXPIRED); a
  // good one replaces the old one's expiry with its own.
  bool renewToken(const std::string& userId, std::uint64_t sessionId, const std::string& token,
                  agora::rtm::RENEW_TOKEN_ERR_CODE* result);

  // Requests of a session; see ServiceConnection. A stale session gets no answer.
  void sendPeerMessage(const std::string& userId, std::uint64_t sessionId, const std::string& peerId,
                       std::shared_ptr<PeerMessageData> message, bool enableOfflineMessaging,
                       ServiceConnection::PeerMessageAnswer done);
  void queryPeersOnlineStatus(const std::string& userId, std::uint64_t sessionId,
                              const std::vector<std::string>& peerIds,
                              std::function<void(const std::vector<PeerStatusData>&)> done);
  void subscribePeers(const std::string& userId, std::uint64_t sessionId, const std::vector<std::string>& peerIds,
                      bool subscribe,
                      std::function<void(agora::rtm::PEER_SUBSCRIPTION_STATUS_ERR, const std::vector<PeerStatusData>&)> done);
  void querySubscribedPeers(const std::string& userId, std::uint64_t sessionId,
                            std::function<void(const std::vector<std::string>&)> done);
  void writeUserAttributes(const std::string& userId, std::uint64_t sessionId, AttributeWrite op,
                           const AttributeList& attributes, std::function<void(agora::rtm::ATTRIBUTE_OPERATION_ERR)> done);
  void getUserAttributes(const std::string& userId, std::uint64_t sessionId, const std::string& targetUserId, bool all,
                         const std::vector<std::string>& keys,
                         std::function<void(agora::rtm::ATTRIBUTE_OPERATION_ERR, const AttributeList&)> done);

  // Fault injection.
  bool kick(const std::string& userId, agora::rtm::CONNECTION_CHANGE_REASON reason);
  // The user's token runs out now, as its own expiry would end it (tokenExpiredLocked).
  bool expireToken(const std::string& userId);
  bool dropConnection(const std::string& userId);
  bool restoreConnection(const std::string& userId);
  // Drops every session (links get onKicked(reason)); afterwards the service answers nothing.
  void close(agora::rtm::CONNECTION_CHANGE_REASON reason);

  // The user's current session id, 0 when not logged in; *linkUp (optional) tells whether that
  // session's link is up (not silenced by dropConnection).
  std::uint64_t sessionIdOf(const std::string& userId, bool* linkUp = nullptr) const;
  // Call invitations: the routing between this service's sessions (invitation_core.h).
  InvitationCore& invitations() const { return *invitations_; }
  // Channels, members, channel attributes (channel_core.h).
  ChannelCore& channels() const { return *channels_; }
  // Runs f(outbox, drains) with the lock held when sessionId is userId's live session (false
  // otherwise, or when closed: no answer); then empties the outboxes f listed in *drains.
  bool withSession(const std::string& userId, std::uint64_t sessionId,
                   const std::function<void(const std::shared_ptr<Outbox>&, std::vector<std::shared_ptr<Outbox>>*)>& f);

  // Fault injection: everything the service sends to userId ("*": to every user, now and later,
  // unless set for that user) is delayed by latencyMs plus up to jitterMs, in order.
  void setLatency(const std::string& userId, int latencyMs, int jitterMs);

  // What the service carries: sessions and channels now, peer and channel messages accepted so
  // far with their payload bytes (for Emulator#stats and the CLI's status line).
  struct Stats {
    std::uint64_t sessions = 0, channels = 0, messages = 0, bytes = 0;
  };
  Stats stats() const;

  // Logged-in user ids, sorted (users whose session was removed while their link is down are not
  // logged in).
  std::vector<std::string> users() const;

 private:
  struct Session {
    std::uint64_t id = 0;
    std::string appId;  // the client's, for renewToken
    std::string token;
    int tokenVersion = 0;         // 6 or 7 once verified (App Certificate set), else 0
    std::uint64_t tokenGen = 0;   // the armed expiry timer; another value disarms it
    long long tokenExpiresAt = 0;  // the verified token's expiry (s since the epoch), re-armed on a new session id
    std::shared_ptr<SessionLink> link;
    std::shared_ptr<Outbox> out;
    bool confirmed = false;    // the client took the login answer
    bool linkDown = false;     // dropConnection until restoreConnection
    bool unreachable = false;  // link down for unreachableAfterMs
    std::uint64_t dropGen = 0;
    AttributeList attributes;
    // Subscribed peer -> the state last reported to this session.
    std::unordered_map<std::string, agora::rtm::PEER_ONLINE_STATE> subscriptions;
  };
  // The receiver's link answered: the sender's outbox carries the result (caching the message
  // for later when it was not taken and offline messaging is on).
  static void peerMessageTaken(const std::shared_ptr<PeerDelivery>& d, bool taken);
  // Its code: RECEIVED when taken, else CACHED_BY_SERVER (cached now) or PEER_UNREACHABLE.
  static agora::rtm::PEER_MESSAGE_ERR_CODE answerCode(const PeerDelivery& d, bool taken);
 public:
  // Runs n consecutive peer-message entries of one outbox, in order (Outbox::drain): a run for one
  // in-process link goes over in one onPeerMessages call; a TCP link gets deliverPeerMessage each.
  static void runPeerDeliveries(std::shared_ptr<PeerDelivery>* deliveries, std::size_t n);
 private:
  struct CachedMessage {
    std::string senderId;
    std::shared_ptr<const PeerMessageData> message;
  };
  // What to do once the lock is released.
  struct After {
    std::vector<std::pair<std::shared_ptr<SessionLink>, agora::rtm::CONNECTION_CHANGE_REASON>> kicks;
    std::vector<std::shared_ptr<SessionLink>> lost;
    std::vector<std::shared_ptr<Outbox>> drains;
    std::vector<Session> dropped;  // destroyed outside the lock
    void run();
  };

  Session* findLocked(const std::string& userId, std::uint64_t sessionId);
  agora::rtm::PEER_ONLINE_STATE stateOfLocked(const std::string& userId) const;
  // Pushes userId's current state to each subscriber whose last report differs.
  void notifyPresenceLocked(const std::string& userId, After* after);
  // Pushes, in one callback, the subscribed peers whose state changed since the last report.
  void catchUpPresenceLocked(Session* session, After* after);
  void addSessionLocked(const std::string& userId, Session session, After* after);
  Session removeSessionLocked(const std::string& userId, bool notify, After* after);
  std::vector<Outbox::Item> takeOfflineLocked(const std::string& userId, const std::shared_ptr<SessionLink>& link);
  // Keeps a peer message for `peerId`'s next login (kOfflineCachePerUser, newest overwrites oldest).
  void cacheOfflineLocked(const std::string& peerId, const std::string& senderId,
                          std::shared_ptr<const PeerMessageData> message);
  // The same from an outbox task, which runs without mu_; false once the service is closed.
  bool cacheOffline(const std::string& peerId, const std::string& senderId,
                    std::shared_ptr<const PeerMessageData> message);
  void confirmLogin(const std::string& userId, std::uint64_t sessionId);
  void onUnreachableTimer(const std::string& userId, std::uint64_t dropGen);
  void onOfflineTimer(const std::string& userId, std::uint64_t dropGen);
  // Arms the session's token expiry: the timer fires once `expiresAt` (Unix seconds, the last
  // second the token is valid) has passed, unless renewToken or an end of the session came first.
  void armTokenExpiryLocked(const std::string& userId, Session* session, long long expiresAt);
  void onTokenExpiryTimer(const std::string& userId, std::uint64_t sessionId, std::uint64_t tokenGen);
  // The session's token ran out: its link gets onTokenExpired; a 007 session then ends as
  // ABORTED / BANNED_BY_SERVER (v1.2.2 has no TOKEN_EXPIRED reason), a 006 one (or one whose
  // token was not verified) stays connected. Returns the link to tell (called outside the lock).
  std::shared_ptr<SessionLink> tokenExpiredLocked(const std::string& userId, After* after);
  void startTimerLocked(int delayMs, std::function<void(ServiceCore*)> task);

  const std::string name_;
  const Limits limits_;
  struct Latency {
    int ms = 0;
    int jitterMs = 0;
  };
  Latency latencyFor(const std::string& userId) const;  // with mu_ held
  void applyLatencyLocked(const std::string& userId, Outbox* out);
  std::unordered_map<std::string, Latency> latencies_;  // by user; "*" for everyone else
  std::atomic<std::uint64_t> peerMessages_{0};
  std::atomic<std::uint64_t> peerBytes_{0};
  const std::string appCertificate_;  // "" = tokens are not verified
  mutable std::mutex mu_;
  bool closed_ = false;
  std::uint64_t nextSessionId_ = 1;
  std::uint64_t nextDropGen_ = 1;
  std::uint64_t nextTokenGen_ = 1;
  std::unordered_map<std::string, Session> sessions_;
  // Sessions removed (OFFLINE) while their link was down, kept for restoreConnection, which logs
  // them in again as the SDK would on reconnecting: same link, attributes and subscriptions.
  std::unordered_map<std::string, Session> limbo_;
  // Peer -> users subscribed to it (live sessions only).
  std::unordered_map<std::string, std::unordered_set<std::string>> watchers_;
  std::unordered_map<std::string, std::deque<CachedMessage>> offline_;
  CallbackThread timers_;  // presence and token-expiry timers; started on first use
  const std::shared_ptr<InvitationCore> invitations_;
  const std::shared_ptr<ChannelCore> channels_;
};

}  // namespace rtm_emulator
