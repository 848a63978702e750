// RtmServiceImpl: the emulator's IRtmService. Does the checks the real SDK does locally, runs
// the client-side connection state machine, hands out ids, and delivers every callback on its
// own CallbackThread. It reaches the emulated cloud only through a ServiceConnection.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/adaptive_mutex.h"
#include "agora_rtm.h"
#include "client/callback_thread.h"
#include "client/identifiers.h"
#include "common/limits.h"
#include "client/live_objects.h"
#include "client/rate_limiter.h"
#include "common/inline_task.h"
#include "common/keyed_window.h"
#include "common/chunk_queue.h"
#include "common/ring.h"
#include "transport/session_link.h"

namespace rtm_emulator {

class CallManagerImpl;
class ClientLink;
class ServiceAnchor;
struct ChannelState;

// The service a URL names: "inproc://NAME" (an existing in-process service) or "rtm://HOST:PORT"
// (a TCP one, asked for its limits profile; one that cannot be reached keeps the default profile
// and is simply never answered, like the real SDK offline).
struct ServiceChoice {
  std::string name;  // in-process
  std::string host;  // TCP, when port != 0
  int port = 0;
  Limits limits;
};
bool resolveServiceUrl(const std::string& url, ServiceChoice* choice);

class RtmServiceImpl final : public agora::rtm::IRtmService {
 public:
  using HandlerCall = std::function<void(agora::rtm::IRtmServiceEventHandler*)>;

  // The values every request enum uses for these two cases.
  static constexpr int kNotInitialized = 101;
  static constexpr int kNotLoggedIn = 102;

  RtmServiceImpl();

  // --- IRtmService ---
  int initialize(const char* appId, agora::rtm::IRtmServiceEventHandler* eventHandler) override;
  void addEventHandler(agora::rtm::IRtmServiceEventHandler* eventHandler) override;
  void removeEventHandler(agora::rtm::IRtmServiceEventHandler* eventHandler) override;
  void release(bool sync = false) override;
  int login(const char* token, const char* userId) override;
  int logout() override;
  int renewToken(const char* token) override;
  int sendMessageToPeer(const char* peerId, const agora::rtm::IMessage* message) override;
  int sendMessageToPeer(const char* peerId, const agora::rtm::IMessage* message,
                        const agora::rtm::SendMessageOptions& options) override;
  agora::rtm::IChannel* createChannel(const char* channelId, agora::rtm::IChannelEventHandler* eventHandler) override;
  agora::rtm::IRtmCallManager* getRtmCallManager(agora::rtm::IRtmCallEventHandler* eventHandler) override;
  agora::rtm::IMessage* createMessage() override;
  agora::rtm::IMessage* createMessage(const char* message) override;
  agora::rtm::IMessage* createMessage(const uint8_t* rawData, int length) override;
  agora::rtm::IMessage* createMessage(const uint8_t* rawData, int length, const char* description) override;
  agora::rtm::IRtmChannelAttribute* createChannelAttribute() override;
  int setParameters(const char* parameters) override;
  int queryPeersOnlineStatus(const char* peerIds[], int peerCount, long long& requestId) override;
  int subscribePeersOnlineStatus(const char* peerIds[], int peerCount, long long& requestId) override;
  int unsubscribePeersOnlineStatus(const char* peerIds[], int peerCount, long long& requestId) override;
  int queryPeersBySubscriptionOption(agora::rtm::PEER_SUBSCRIPTION_OPTION option, long long& requestId) override;
  int setLocalUserAttributes(const agora::rtm::RtmAttribute* attributes, int numberOfAttributes,
                             long long& requestId) override;
  int addOrUpdateLocalUserAttributes(const agora::rtm::RtmAttribute* attributes, int numberOfAttributes,
                                     long long& requestId) override;
  int deleteLocalUserAttributesByKeys(const char* attributeKeys[], int numberOfKeys, long long& requestId) override;
  int clearLocalUserAttributes(long long& requestId) override;
  int getUserAttributes(const char* userId, long long& requestId) override;
  int getUserAttributesByKeys(const char* userId, const char* attributeKeys[], int numberOfKeys,
                              long long& requestId) override;
  int setChannelAttributes(const char* channelId, const agora::rtm::IRtmChannelAttribute* attributes[],
                           int numberOfAttributes, const agora::rtm::ChannelAttributeOptions& options,
                           long long& requestId) override;
  int addOrUpdateChannelAttributes(const char* channelId, const agora::rtm::IRtmChannelAttribute* attributes[],
                                   int numberOfAttributes, const agora::rtm::ChannelAttributeOptions& options,
                                   long long& requestId) override;
  int deleteChannelAttributesByKeys(const char* channelId, const char* attributeKeys[], int numberOfKeys,
                                    const agora::rtm::ChannelAttributeOptions& options, long long& requestId) override;
  int clearChannelAttributes(const char* channelId, const agora::rtm::ChannelAttributeOptions& options,
                             long long& requestId) override;
  int getChannelAttributes(const char* channelId, long long& requestId) override;
  int getChannelAttributesByKeys(const char* channelId, const char* attributeKeys[], int numberOfKeys,
                                 long long& requestId) override;
  int getChannelMemberCount(const char* channelIds[], int channelCount, long long& requestId) override;
  int setLogFile(const char* logfile) override;
  int setLogFilter(agora::rtm::LOG_FILTER_TYPE filter) override;
  int setLogFileSize(int fileSizeInKBytes) override;

  // --- for the objects this service creates (through ServiceAnchor) ---
  int loginGate() const;  // 0, kNotInitialized or kNotLoggedIn
  void forgetCallManager(CallManagerImpl* manager);
  long long nextId() { return nextId_.fetch_add(1); }

  // --- from the service, through ClientLink (called with the link's mutex held) ---
  bool handleLoginAnswer(std::uint64_t epoch, const LoginAnswer& answer);
  void handleKicked(std::uint64_t epoch, agora::rtm::CONNECTION_CHANGE_REASON reason);
  void handleTokenExpired(std::uint64_t epoch);
  void handleRenewTokenResult(std::uint64_t epoch, const std::string& token, agora::rtm::RENEW_TOKEN_ERR_CODE code);
  // A run of peer messages (ClientLink::onPeerMessages), each taken[i] false when this client is
  // not the one it was for any more (logged out, released): one lock, one hand-off to the strand. True when
  // instead the strand was claimed for them (inline callbacks, CallbackThread::claimIdle): the
  // caller then lets go of the link's lock and calls deliverClaimedPeerMessages, this client
  // staying alive until that returns (release() waits for it).
  bool handlePeerMessages(std::uint64_t epoch, const SessionLink::PeerMessageRef* messages, std::size_t n,
                          bool* taken);
  void deliverClaimedPeerMessages(const SessionLink::PeerMessageRef* messages, std::size_t n);
  // On the callback strand (a task of it, or a claimed run): one received message to the handlers.
  void deliverPeerMessage(const std::string& senderId, const PeerMessageData& message, bool offline);
  void handlePeersOnlineStatusChanged(std::uint64_t epoch, const std::vector<PeerStatusData>& changes);
  void handleConnectionLost(std::uint64_t epoch);
  void handleConnectionRestored(std::uint64_t epoch, std::uint64_t sessionId);
  // The answer to the pending request `key`: emits `result` unless the request already timed out
  // or was dropped.
  void completeRequest(std::uint64_t epoch, std::uint64_t key, HandlerCall result);
  // completeRequest without the link's lock when this thread runs the pump of the link's client
  // (that client is alive then, and the answer is checked against its epoch and pending requests
  // when the pump settles its answers: one from a detached link has a stale epoch). False, and
  // nothing done, on any other thread.
  static bool completeOnOwnPump(const ClientLink& link, std::uint64_t key, HandlerCall& result);

  // --- channels (rtm_service_channels.cpp) ---
  using ChannelCall = std::function<void(agora::rtm::IChannelEventHandler*)>;
  // IChannel methods, from ChannelImpl through the ServiceAnchor.
  int joinChannel(const std::shared_ptr<ChannelState>& channel);
  int leaveChannel(const std::shared_ptr<ChannelState>& channel);
  int sendChannelMessage(const std::shared_ptr<ChannelState>& channel, const agora::rtm::IMessage* message);
  int getChannelMembers(const std::shared_ptr<ChannelState>& channel);
  void channelReleased(const std::shared_ptr<ChannelState>& channel);
  // From the service (through ClientLink::forward): a push for the join `attempt` of a channel;
  // the answer to a join; the answer to another channel request (`result` runs with mu_ held
  // unless the request timed out or was dropped).
  void handleChannelPush(std::uint64_t epoch, const std::shared_ptr<ChannelState>& channel, std::uint64_t attempt,
                         ChannelCall call);
  // The same for a channel message, with no ChannelCall (a std::function holding the sender id
  // and the message would be a heap allocation per delivery): one task, inline.
  // True when instead the strand was claimed for it (inline callbacks): the caller then lets go of
  // the link's lock and calls deliverClaimedChannelMessage, as for peer messages.
  bool handleChannelMessage(std::uint64_t epoch, const std::shared_ptr<ChannelState>& channel, std::uint64_t attempt,
                            const std::string& senderId, const std::shared_ptr<const PeerMessageData>& message);
  void deliverClaimedChannelMessage(const std::shared_ptr<ChannelState>& channel, const std::string& senderId,
                                    const PeerMessageData& message);
  static void deliverChannelMessage(ChannelState& channel, const std::string& senderId, const PeerMessageData& message);
  void handleJoinAnswer(std::uint64_t epoch, std::uint64_t key, const std::shared_ptr<ChannelState>& channel,
                        std::uint64_t attempt, agora::rtm::JOIN_CHANNEL_ERR code, int memberCount);
  void completeChannelRequest(std::uint64_t epoch, std::uint64_t key,
                              const std::function<void(RtmServiceImpl&)>& result);
  // completeOnOwnPump for a batchable channel request (a channel message): its result runs with
  // the client's mutex held when the pump settles its answers, in call order with the others.
  static bool completeChannelOnOwnPump(const ClientLink& link, std::uint64_t key,
                                       const std::function<void(RtmServiceImpl&)>& result);

 private:
  // What a request needs to reach the service, read when it is sent.
  struct SessionContext {
    std::shared_ptr<ClientLink> link;
    std::shared_ptr<ServiceConnection> connection;
    std::string userId;
    std::uint64_t sessionId = 0;
  };
  // A request's sending (captures of up to 64 bytes stay inside it: no allocation per request).
  using RequestFn = InlineFunction<void(const SessionContext&, std::uint64_t key)>;
  struct Deferred {
    std::uint64_t key;
    RequestFn run;
    bool batchable;
  };
  // A request on its way out: the pump sends it unless its login epoch is over.
  // batchable: a peer message to another user or a channel message, whose only answer is its
  // result callback (answered through completeOnOwnPump / completeChannelOnOwnPump); the
  // pump sends a run of them with the follow-up work (emptying outboxes, applying answers) done
  // once at the run's end, results sorted back into call order. Any other request first
  // completes what is in progress, so every answer keeps the order of the calls.
  struct Outgoing {
    std::uint64_t epoch = 0;
    std::uint64_t key = 0;
    RequestFn run;
    bool batchable = false;
  };
  static constexpr std::size_t kPumpBatch = 128;  // requests sent per run of the pump
  static constexpr std::size_t kMaxHeld = 256;    // requests held at most (held requests)
  // An answer that came back while the pump was sending (in process, most do): applied with the
  // batch's one lock afterwards.
  struct Completion {
    std::uint64_t epoch = 0;
    std::uint64_t key = 0;
    HandlerCall result;
    std::function<void(RtmServiceImpl&)> locked;  // instead of result (a channel message's answer)
  };
  struct Pending {
    int timeoutMs = 0;
    bool armed = false;     // its timeout is running
    HandlerCall onTimeout;  // the result callback with the request's TIMEOUT code
    std::function<void()> onTimeoutLocked;  // instead of onTimeout (channel requests); runs with mu_ held
  };

  ~RtmServiceImpl() override;

  // Requests that need a session. Accepted requests become pending: answered by the service, or
  // timed out. While CONNECTING or while the link is down they wait (in order) and are sent when
  // the login succeeds / the link is back. Returns the request's key.
  // Who queues a request, for what happens when the pump is idle. kOther: it is scheduled at once.
  // kAppSend (an application's sendMessageToPeer / channel sendMessage): with held requests its
  // wake-up waits for flushRequestsLocked() or the next kOther request. kAppSendInline: that, or
  // with inline requests the caller runs runClaimedPump() after letting go of mu_ when
  // pumpClaimed_ is then set.
  enum class Caller { kOther, kAppSend, kAppSendInline };
  std::uint64_t submitLocked(int timeoutMs, HandlerCall onTimeout, RequestFn run, bool batchable = false,
                             Caller caller = Caller::kOther);
  // Queues a request for the pump, and the pump on the callback strand when it is not queued yet:
  // a burst of calls costs one task (and at most one wake-up), not one per call.
  void queueOutgoingLocked(std::uint64_t key, RequestFn run, bool batchable, Caller caller = Caller::kOther);
  // Held requests: schedules the pump whose wake-up was held, if any.
  void flushRequestsLocked();
  // Queues a pump run on pumpOn_ (pumpScheduled_ is set).
  void postPumpLocked();
  // The pump as a task of the strand claimed by queueOutgoingLocked, on the caller's thread.
  void runClaimedPump();
  // On the callback strand: sends up to kPumpBatch queued requests in call order, the other
  // clients' strands it makes runnable woken once for the batch (HandOffBatch).
  void pumpRequests();
  // In the pump: runs the deferred follow-ups of what was sent so far, then emits the answers
  // collected meanwhile (in call order) with one lock, under which it runs thenLocked (if any).
  void settlePumpAnswers(InlineFunction<void()> thenLocked = nullptr);
  void armLocked(std::uint64_t key, Pending* pending);
  // The strand task that gives one received peer message to the handlers.
  CallbackThread::Task peerMessageTask(const std::string& senderId, const std::shared_ptr<const PeerMessageData>& message,
                                       bool offline);
  void armIfWaitingLocked(std::uint64_t key);  // its timeout starts unless answered or running
  void handleRequestTimeout(std::uint64_t key);
  void flushDeferredLocked();
  void dropRequestsLocked();  // logout, failed login, release: nothing pending is answered
  void resetLimitersLocked();
  // Talks to that service from now on, with its limits profile.
  void adoptServiceLocked(const ServiceChoice& choice);
  // When `url` is the rtm:// service this client uses already: that choice, with its limits.
  bool currentTcpService(const std::string& url, ServiceChoice* choice) const;
  // A new connection to the chosen service, for one login attempt.
  std::shared_ptr<ServiceConnection> connectLocked() const;
  long long submitUserAttributeWriteLocked(AttributeWrite op, AttributeList list);
  // The result callback of a user / channel attribute write.
  using AttributeResult = void (agora::rtm::IRtmServiceEventHandler::*)(long long, agora::rtm::ATTRIBUTE_OPERATION_ERR);
  static AttributeResult userAttributeResult(AttributeWrite op);
  static AttributeResult channelAttributeResult(AttributeWrite op);
  // A write whose attributes failed the local checks (check != kOk): the synchronous answer, and
  // for an overflow the id and the SIZE_OVERFLOW callback, as the SDK answers.
  int refuseAttributeWriteLocked(AttributeCheck check, AttributeResult result, long long& requestId);
  long long submitGetUserAttributesLocked(const std::string& target, bool all, std::vector<std::string> keys);
  // setLocalUserAttributes / addOrUpdateLocalUserAttributes: the same checks, op the only difference.
  int writeLocalUserAttributes(AttributeWrite op, const agora::rtm::RtmAttribute* attributes, int numberOfAttributes,
                               long long& requestId);
  // The four attribute reads (user or channel, all or by keys) make the same checks in the same
  // order: login, target id, keys (byKeys only), read rate limit; then `submit` sends the read.
  using SubmitRead = long long (RtmServiceImpl::*)(const std::string& target, bool all, std::vector<std::string> keys);
  int readAttributes(const char* target, bool (*isValidTarget)(const char*), bool byKeys, const char* attributeKeys[],
                     int numberOfKeys, RateLimiter* limiter, SubmitRead submit, long long& requestId);
  void handleInterrupted(std::uint64_t epoch, std::uint64_t dropSeq);

  // Channels (rtm_service_channels.cpp).
  // A request whose outcome goes to a channel handler; returns its key.
  std::uint64_t submitChannelLocked(int timeoutMs, std::function<void()> onTimeoutLocked, RequestFn run,
                                    bool batchable = false, Caller caller = Caller::kOther);
  void emitChannelLocked(const std::shared_ptr<ChannelState>& channel, ChannelCall call);
  // The session ended (logout, failed login, kick, release): no channel is joined or joining any
  // more; no callback (what is pending is dropped or times out with the other requests).
  void resetChannelsLocked();
  // Tells the service that this user is not in the channel (no callback).
  void submitChannelLeaveLocked(const std::string& channelId);
  int channelAttributeWriteLocked(AttributeWrite op, const char* channelId, AttributeList list,
                                  const agora::rtm::ChannelAttributeOptions& options, long long& requestId);
  long long submitGetChannelAttributesLocked(const std::string& channelId, bool all, std::vector<std::string> keys);
  // setChannelAttributes / addOrUpdateChannelAttributes: the same checks, op the only difference.
  int writeChannelAttributes(AttributeWrite op, const char* channelId,
                             const agora::rtm::IRtmChannelAttribute* attributes[], int numberOfAttributes,
                             const agora::rtm::ChannelAttributeOptions& options, long long& requestId);

  bool loggedInLocked() const;  // CONNECTING, CONNECTED or RECONNECTING
  int loginGateLocked() const;
  // Queue a callback to every registered handler. Call with mu_ held so that callbacks keep
  // the order of the state changes they report.
  void emitLocked(HandlerCall call);
  void emitStateLocked(agora::rtm::CONNECTION_STATE state, agora::rtm::CONNECTION_CHANGE_REASON reason);
  using HandlerList = std::vector<agora::rtm::IRtmServiceEventHandler*>;
  void deliver(const HandlerCall& call);  // on the callback thread
  // Calls call(h) for every registered handler, on the callback thread; stops when one of them
  // released this service, skips one removed meanwhile.
  template <typename Call>
  void deliverEach(const Call& call);
  void setHandlersLocked(HandlerList list) {
    handlers_ = std::make_shared<const HandlerList>(std::move(list));
    handlersVersion_.fetch_add(1, std::memory_order_release);
  }
  void handleLoginTimeout(std::uint64_t epoch);
  void processRenewToken(std::uint64_t epoch, const std::string& token);

  LiveObject live_;
  const std::shared_ptr<ServiceAnchor> anchor_;

  mutable AdaptiveMutex mu_;
  bool initialized_ = false;
  bool released_ = false;
  // `rtm.emulator.inline_callbacks`: the handlers never block nor call into the service, so
  // received messages may be handed to them on the thread that routes them when the callback
  // strand is idle (saving a pool thread's wake-up), rather than always through the strand.
  bool inlineCallbacks_ = false;
  // `rtm.emulator.inline_requests`: a peer message sent while the pump is idle is routed on the
  // caller's thread, before sendMessageToPeer returns (the pump claimed as a task of its strand:
  // CallbackThread::claimIdle), rather than by a pool thread woken for it: lower latency for a
  // caller that sends now and then (a paced load generator), at the price of the routing's time
  // in the caller's thread. A caller that floods should not: it would route every message itself
  // instead of leaving that to the pump running beside it. The pump then has a strand of its own
  // (pumpThread_), so that the answers of the last message, waiting on the callback strand for a
  // pool thread, do not keep the next one from being routed at once.
  bool inlineRequests_ = false;
  // Held requests (`rtm.emulator.hold_requests`, set by the Node binding): a message the
  // application sends while the pump is idle does not wake a pool thread for it; the pump is
  // scheduled by flushRequestsLocked() (`rtm.emulator.flush_requests`, which the binding calls
  // once at the end of the JS tick that sent), by any other request queued meanwhile, or once
  // kMaxHeld requests wait. A JS
  // thread that sends a burst per tick thus pays one wake-up per tick instead of one each time the
  // pump has drained between two calls (a futex wake costs this VM's JS thread ~10 µs).
  bool holdRequests_ = false;
  bool pumpHeld_ = false;  // pumpScheduled_, but not posted yet (held requests)
  // Guarded by mu_: the strand the pump is queued or running on while pumpScheduled_ (thread_,
  // or pumpThread_ with inline requests); its next run goes there too.
  CallbackThread* pumpOn_ = nullptr;
  // Set under mu_ by queueOutgoingLocked when it claimed the strand for the pump (inline requests);
  // read and cleared by the same caller before it lets go of mu_, which then runs the pump.
  bool pumpClaimed_ = false;
  std::string appId_;
  // Copy-on-write: a callback takes the current list with one lock and no copy.
  std::shared_ptr<const HandlerList> handlers_ = std::make_shared<const HandlerList>();
  // Bumped (under mu_) whenever handlers_ changes: the callback strand keeps its own copy of the
  // list and takes the lock only when the version moved (not once per callback).
  std::atomic<std::uint64_t> handlersVersion_{1};
  std::shared_ptr<const HandlerList> strandHandlers_;  // the callback strand's only
  std::uint64_t strandHandlersVersion_ = 0;

  agora::rtm::CONNECTION_STATE state_ = agora::rtm::CONNECTION_STATE_DISCONNECTED;
  std::uint64_t epoch_ = 0;  // bumped whenever a login attempt or session ends or starts
  std::string userId_;
  std::string token_;
  std::uint64_t sessionId_ = 0;
  std::shared_ptr<ClientLink> link_;
  std::shared_ptr<ServiceConnection> connection_;

  std::string serviceName_;  // in-process service chosen with rtm.emulator.url
  std::string tcpHost_;      // or a TCP one ("rtm://HOST:PORT"): tcpPort_ != 0
  int tcpPort_ = 0;
  Limits limits_;
  RateLimiter loginLimiter_;
  RateLimiter renewTokenLimiter_;
  RateLimiter sendMessageLimiter_;  // peer and channel messages, one budget
  RateLimiter queryPeersLimiter_;
  RateLimiter subscribeLimiter_;
  RateLimiter unsubscribeLimiter_;
  RateLimiter querySubscriptionLimiter_;
  RateLimiter userAttributeWriteLimiter_;
  RateLimiter userAttributeReadLimiter_;
  RateLimiter joinLimiter_;
  std::unordered_map<std::string, RateLimiter> joinSameChannelLimiters_;  // by channel id
  RateLimiter getMembersLimiter_;
  RateLimiter channelAttributeWriteLimiter_;
  RateLimiter channelAttributeReadLimiter_;
  RateLimiter memberCountLimiter_;

  bool linkDown_ = false;     // the service's link is silent (fault injection)
  std::uint64_t dropSeq_ = 0;
  std::uint64_t nextRequestKey_ = 1;
  std::deque<Deferred> deferred_;
  ChunkQueue<Outgoing> outgoing_;  // accepted, to be sent by the pump (in call order)
  // The pump's share: swapped with outgoing_ (under mu_) when used up; popped without mu_, by the
  // pump only. Its items come before outgoing_'s.
  ChunkQueue<Outgoing> pumpQueue_;
  bool pumpScheduled_ = false;  // a pumpRequests task is queued or running
  struct PendingArmed {  // a request leaves the window for a map only while its timeout runs
    bool operator()(const Pending& p) const { return p.armed; }
  };
  KeyedWindow<Pending, PendingArmed> pending_;  // by request key
  std::vector<Completion> pumpCompletions_;      // touched only by the pump, on its strand

  CallManagerImpl* callManager_ = nullptr;
  // The channel objects not yet released, by id (one per id).
  std::unordered_map<std::string, std::shared_ptr<ChannelState>> channels_;

  std::string logFile_;
  int logFilter_ = agora::rtm::LOG_FILTER_INFO;
  int logFileSizeKb_ = 512;

  std::atomic<long long> nextId_{2};  // message ids and request ids; the first one is 2
  CallbackThread thread_;
  CallbackThread pumpThread_;  // inline requests only (started with them): the pump's own strand
};

}  // namespace rtm_emulator
