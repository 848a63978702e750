// InvitationClient: one client's call-invitation machinery (what the SDK does behind
// IRtmCallManager), one per RtmServiceImpl, reached through its ServiceAnchor. It owns the
// state machines of the client's local (caller) and remote (callee) invitations, runs their
// timers and queues the IRtmCallEventHandler callbacks on the service's callback thread. It
// talks to the cloud only through InvitationCore (requests) and InvitationLink (what the cloud
// pushes), see invitation_link.h.
//
// Locking: its mutex nests inside the service's (the session hooks are called with the service
// mutex held) and outside the invitation objects' own mutexes. It never calls the service, the
// cloud or a handler while holding it: cloud requests go out from tasks on the callback thread.
//
// State changes happen when the callback that reports them is queued, so a getter called inside
// that callback already sees the new state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "agora_rtm.h"
#include "transport/invitation_link.h"
#include "common/limits.h"

namespace rtm_emulator {

class CallbackThread;
class LocalCallInvitationImpl;
class RemoteCallInvitationImpl;
class ServiceConnection;

class InvitationClient final : public InvitationLink, public std::enable_shared_from_this<InvitationClient> {
 public:
  // Content, channel id and response: at most 8 KB each (UTF-8 bytes).
  static constexpr std::size_t kMaxTextBytes = 8192;
  // How long after a send before login the NOT_LOGGEDIN failure comes (observed: 1–10 ms).
  static constexpr int kNotLoggedInFailureMs = 5;

  InvitationClient() = default;
  InvitationClient(const InvitationClient&) = delete;
  InvitationClient& operator=(const InvitationClient&) = delete;

  // --- from the service (RtmServiceImpl, ServiceAnchor) ---
  // The thread callbacks run on; valid until detach().
  void setCallbackThread(CallbackThread* thread);
  // A session is live on `connection` (login answered, or a reconnect opened a new session):
  // invitations to userId reach this client from now on; timeouts follow `limits`.
  void sessionStarted(const std::shared_ptr<ServiceConnection>& connection, const Limits& limits,
                      const std::string& userId, std::uint64_t sessionId);
  // The session ended (logout, kicked / ABORTED): invitations in flight fail at once. Caller
  // side: LOCAL_INVITATION_ERR_NOT_LOGGEDIN. Callee side: REMOTE_INVITATION_ERR_PEER_OFFLINE,
  // or ACCEPT_FAILURE for an accept still waiting for the caller's acknowledgement.
  void sessionEnded();
  // The service is released: no callback, timer or cloud message from now on; the objects the
  // application still holds stay valid (getters, release()).
  void detach();

  // --- from CallManagerImpl (one at a time) ---
  void attachManager(const void* manager, agora::rtm::IRtmCallEventHandler* handler);
  void setHandler(const void* manager, agora::rtm::IRtmCallEventHandler* handler);
  void detachManager(const void* manager);
  agora::rtm::ILocalCallInvitation* createLocal(const char* calleeId);
  // INVITATION_API_CALL_ERR_CODE values. `loggedIn`: the service is CONNECTING, CONNECTED or
  // RECONNECTING.
  int send(agora::rtm::ILocalCallInvitation* invitation, bool loggedIn);
  int cancel(agora::rtm::ILocalCallInvitation* invitation);
  int accept(agora::rtm::IRemoteCallInvitation* invitation);
  int refuse(agora::rtm::IRemoteCallInvitation* invitation);

  // --- from the invitation objects' release() ---
  void localReleased(std::uint64_t serial);
  void remoteReleased(std::uint64_t serial);

  // --- InvitationLink (from the cloud) ---
  void invitationOffered(std::uint64_t sessionId, const InvitationOffer& offer) override;
  void invitationAcknowledged(std::uint64_t sessionId, std::uint64_t invitationId,
                              std::uint64_t calleeSessionId) override;
  void invitationAnswered(std::uint64_t sessionId, std::uint64_t invitationId, bool accepted,
                          const std::string& response, std::uint64_t calleeSessionId) override;
  void invitationCanceled(std::uint64_t sessionId, const std::string& callerId, std::uint64_t invitationId) override;
  void acceptAcknowledged(std::uint64_t sessionId, const std::string& callerId, std::uint64_t invitationId) override;

 private:
  using LocalCall = std::function<void(agora::rtm::IRtmCallEventHandler*, agora::rtm::ILocalCallInvitation*)>;
  using RemoteCall = std::function<void(agora::rtm::IRtmCallEventHandler*, agora::rtm::IRemoteCallInvitation*)>;
  using Task = std::function<void()>;
  enum class RemoteEvent { kReceived, kFinal };

  // A local invitation, from createLocal until the application releases it. The serial is also
  // the invitation's id on the wire.
  // The failure of a send made before login, if the invitation is still IDLE.
  void failNotLoggedIn(std::uint64_t serial);

  struct Local {
    LocalCallInvitationImpl* obj = nullptr;  // the application's reference keeps it alive
    std::string calleeId;
    std::string content;    // snapshot taken by send
    std::string channelId;  // snapshot taken by send
    bool delivered = false;  // the cloud handed it to a callee session
    std::uint64_t calleeSessionId = 0;
  };
  // A remote invitation, from its arrival until the application releases it (or, when it was
  // never handed to the application, until its final callback).
  struct Remote {
    RemoteCallInvitationImpl* obj = nullptr;  // holds one reference (ours)
    std::string callerId;
    std::uint64_t callerSessionId = 0;
    std::uint64_t invitationId = 0;
    std::uint64_t sessionId = 0;  // our session it arrived on
    bool handedOut = false;       // onRemoteInvitationReceived reached a handler
  };

  static std::uint64_t nextSerial();

  void postLocked(Task task);
  void postAfterLocked(int delayMs, Task task);
  // Queue one handler callback about an invitation; at run time it is dropped when the
  // application has released the invitation, or there is no handler.
  void emitLocalLocked(std::uint64_t serial, LocalCall call);
  void emitRemoteLocked(std::uint64_t serial, RemoteEvent event, RemoteCall call);
  void runLocal(std::uint64_t serial, const LocalCall& call);
  void runRemote(std::uint64_t serial, RemoteEvent event, const RemoteCall& call);
  void failLocalLocked(std::uint64_t serial, Local* local, agora::rtm::LOCAL_INVITATION_ERR_CODE code);
  void failRemoteLocked(std::uint64_t serial, Remote* remote, agora::rtm::REMOTE_INVITATION_ERR_CODE code);
  // Erases the record; returns the reference it held (to drop outside the lock).
  RemoteCallInvitationImpl* eraseRemoteLocked(std::map<std::uint64_t, Remote>::iterator it);
  int resendIntervalMsLocked() const;
  int checkAnswerLocked(agora::rtm::IRemoteCallInvitation* invitation, std::uint64_t* serial, std::string* response);
  void postAnswerLocked(const Remote& remote, bool accepted, std::string response);

  // Tasks and timers (callback thread).
  void attemptOffer(std::uint64_t serial);
  // The cloud's answer to an offer: taken by the callee's session, or to be retried.
  void offerAnswered(std::uint64_t serial, bool delivered, std::uint64_t calleeSessionId);
  void sendCancel(std::uint64_t serial);
  void onLocalAckTimeout(std::uint64_t serial);
  void onLocalExpired(std::uint64_t serial);
  void onRemoteExpired(std::uint64_t serial);
  void onAcceptAckTimeout(std::uint64_t serial);
  // Runs f(core, userId) when the session `sessionId` is still the live one.
  void withSession(std::uint64_t sessionId, const std::function<void(InvitationConnection&, const std::string&)>& f);

  std::mutex mu_;
  CallbackThread* thread_ = nullptr;
  bool detached_ = false;
  const void* manager_ = nullptr;
  agora::rtm::IRtmCallEventHandler* handler_ = nullptr;

  std::string userId_;
  std::uint64_t sessionId_ = 0;  // 0: no session
  std::shared_ptr<ServiceConnection> connection_;  // the session's, while there is one
  Limits limits_ = defaultLimits();  // of the service of the last session

  std::map<std::uint64_t, Local> locals_;
  // Cancels accepted but not yet sent to the cloud, by serial. Kept apart from locals_ because
  // the application may release the invitation (erasing it from locals_) right after
  // onLocalInvitationCanceled, before the queued send runs.
  struct PendingCancel {
    std::string calleeId;
    bool delivered = false;
    std::uint64_t calleeSessionId = 0;
  };
  std::map<std::uint64_t, PendingCancel> pendingCancels_;
  std::map<const agora::rtm::ILocalCallInvitation*, std::uint64_t> localByObject_;
  std::map<std::uint64_t, Remote> remotes_;
  std::map<const agora::rtm::IRemoteCallInvitation*, std::uint64_t> remoteByObject_;
  std::map<std::pair<std::string, std::uint64_t>, std::uint64_t> remoteByWire_;  // (caller, id)
};

}  // namespace rtm_emulator
