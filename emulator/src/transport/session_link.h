// The two interfaces between a client (RtmServiceImpl) and the emulated cloud (ServiceCore).
// Nothing else crosses that boundary, so a transport (e.g. TCP) can later sit in between: its
// client half implements ServiceConnection, its server half implements SessionLink.
//
// Everything the service sends to one session (answers to that session's requests and pushes)
// reaches it in the order the service produced it, as it would over one TCP connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "agora_rtm.h"
#include "common/inline_task.h"

namespace rtm_emulator {

// A peer message as it travels: copied out of the sender's IMessage when it is sent.
struct PeerMessageData {
  agora::rtm::MESSAGE_TYPE type = agora::rtm::MESSAGE_TYPE_TEXT;
  std::string text;  // the text, or the description of a raw message
  std::string raw;   // raw bytes (raw messages only)
  long long messageId = 0;
  long long serverReceivedTs = 0;  // set by the service (ms since the Unix epoch)
};

struct PeerStatusData {
  std::string peerId;
  agora::rtm::PEER_ONLINE_STATE state = agora::rtm::PEER_ONLINE_STATE_OFFLINE;
};

// Key/value pairs in the order the service keeps them.
using AttributeList = std::vector<std::pair<std::string, std::string>>;

enum class AttributeWrite { Set, AddOrUpdate, Delete, Clear };

class ChannelConnection;     // channel_link.h
class InvitationConnection;  // invitation_link.h

// Cloud -> client: what the service pushes to one logged-in session. May be called on any thread;
// implementations must not block for long and must not call back into the service synchronously.
class SessionLink {
 public:
  virtual ~SessionLink() = default;
  // The service dropped this session (another login with the same user id, a kick, the service
  // going away). The client becomes ABORTED with this reason.
  virtual void onKicked(agora::rtm::CONNECTION_CHANGE_REASON reason) = 0;
  // The session's token ran out. AccessToken (006): the session stays connected. AccessToken2
  // (007): onKicked(BANNED_BY_SERVER) follows, the session is gone.
  virtual void onTokenExpired() = 0;
  // A peer message for this user (offline: it was cached by the service while the user was away).
  // False when the client did not take it: it logged out or was released while the message was
  // on its way (the service then answers the sender as for a user who is not online).
  virtual bool onPeerMessage(const std::string& senderId, const std::shared_ptr<const PeerMessageData>& message,
                             bool offline) = 0;
  // The same, answered through taken(bool) once, on any thread, and possibly later: a transport
  // learns whether its client took the message only when the client says so. By default (in
  // process) the answer is onPeerMessage's, at once.
  virtual void deliverPeerMessage(const std::string& senderId, const std::shared_ptr<const PeerMessageData>& message,
                                  bool offline, std::function<void(bool taken)> taken) {
    taken(onPeerMessage(senderId, message, offline));
  }
  // True when deliverPeerMessage is onPeerMessage answered at once (the default implementation,
  // not overridden): the service may then call onPeerMessage and use its result itself.
  virtual bool answersAtOnce() const { return false; }
  // A run of peer messages for this user, in order, each answered in taken[i] as onPeerMessage
  // would (for a link that answersAtOnce). By default one onPeerMessage each; an in-process
  // client takes the whole run with one lock and one hand-off to its callback strand.
  struct PeerMessageRef {
    const std::string* senderId;
    const std::shared_ptr<const PeerMessageData>* message;
    bool offline;
  };
  virtual void onPeerMessages(const PeerMessageRef* messages, std::size_t n, bool* taken) {
    for (std::size_t i = 0; i < n; ++i) taken[i] = onPeerMessage(*messages[i].senderId, *messages[i].message, messages[i].offline);
  }
  // State changes of peers this session subscribes to.
  virtual void onPeersOnlineStatusChanged(const std::vector<PeerStatusData>& changes) = 0;
  // Fault injection stands in for the network: the link went silent (the client notices and
  // reconnects), and later came back. After a restore the session id may differ (the service
  // had removed the session and the client logged in again).
  virtual void onConnectionLost() = 0;
  virtual void onConnectionRestored(std::uint64_t sessionId) = 0;
};

struct LoginAnswer {
  agora::rtm::LOGIN_ERR_CODE code = agora::rtm::LOGIN_ERR_UNKNOWN;
  std::uint64_t sessionId = 0;  // non-zero when code == LOGIN_ERR_OK
};

// Client -> cloud. Answers arrive through the completion functions, possibly on another thread,
// possibly never (an unreachable service): the client runs its own timeouts. Every request after
// login names the session (user id + session id); a stale session gets no answer.
class ServiceConnection {
 public:
  virtual ~ServiceConnection() = default;
  // `appId` is the App ID the client was initialized with: a service with an App Certificate
  // verifies `token` against it and the user id (LOGIN_ERR_INVALID_TOKEN, LOGIN_ERR_TOKEN_EXPIRED;
  // without a certificate any token is accepted). `done` returns whether the client took the
  // session; when it did not (it logged out or was released meanwhile), the service ends the session.
  virtual void login(const std::string& appId, const std::string& userId, const std::string& token,
                     std::shared_ptr<SessionLink> link, std::function<bool(const LoginAnswer&)> done) = 0;
  // Ends the session (the user goes offline). Unknown or stale session ids are ignored.
  virtual void logout(const std::string& userId, std::uint64_t sessionId) = 0;
  // Verified as at login (against the App ID the session logged in with).
  virtual void renewToken(const std::string& userId, std::uint64_t sessionId, const std::string& token,
                          std::function<void(agora::rtm::RENEW_TOKEN_ERR_CODE)> done) = 0;

  // (done is move-only and keeps its captures inline: no allocation per message.)
  using PeerMessageAnswer = InlineFunction<void(agora::rtm::PEER_MESSAGE_ERR_CODE)>;
  virtual void sendPeerMessage(const std::string& userId, std::uint64_t sessionId, const std::string& peerId,
                               std::shared_ptr<PeerMessageData> message, bool enableOfflineMessaging,
                               PeerMessageAnswer done) = 0;

  // States of the peers, in the order asked (never UNREACHABLE).
  virtual void queryPeersOnlineStatus(const std::string& userId, std::uint64_t sessionId,
                                      std::vector<std::string> peerIds,
                                      std::function<void(const std::vector<PeerStatusData>&)> done) = 0;
  // Subscribe (or unsubscribe) the peers. On success of a subscribe, `snapshot` holds the
  // current states of the peers that were not subscribed before.
  virtual void subscribePeers(const std::string& userId, std::uint64_t sessionId, std::vector<std::string> peerIds,
                              bool subscribe,
                              std::function<void(agora::rtm::PEER_SUBSCRIPTION_STATUS_ERR,
                                                 const std::vector<PeerStatusData>& snapshot)> done) = 0;
  virtual void querySubscribedPeers(const std::string& userId, std::uint64_t sessionId,
                                    std::function<void(const std::vector<std::string>&)> done) = 0;

  // Local user attribute writes. `attributes` holds the pairs (Set, AddOrUpdate) or the keys in
  // .first (Delete); Clear uses neither.
  virtual void writeUserAttributes(const std::string& userId, std::uint64_t sessionId, AttributeWrite op,
                                   AttributeList attributes,
                                   std::function<void(agora::rtm::ATTRIBUTE_OPERATION_ERR)> done) = 0;
  // Attributes of `targetUserId` (all of them when `all`, else those of `keys`).
  virtual void getUserAttributes(const std::string& userId, std::uint64_t sessionId, const std::string& targetUserId,
                                 bool all, std::vector<std::string> keys,
                                 std::function<void(agora::rtm::ATTRIBUTE_OPERATION_ERR, const AttributeList&)> done) = 0;

  // Channel requests (channel_link.h); valid as long as this connection. Null: none of them is
  // ever answered.
  virtual ChannelConnection* channels() { return nullptr; }
  // Call-invitation messages (invitation_link.h); valid as long as this connection. Null: they
  // are all lost.
  virtual InvitationConnection* invitations() { return nullptr; }
};

}  // namespace rtm_emulator
