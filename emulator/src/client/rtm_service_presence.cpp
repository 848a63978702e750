// RtmServiceImpl, presence: querying peers' online status, (un)subscribing to it, listing the
// subscriptions, and the status pushes. Kept apart because its argument checks (peer id lists,
// the per-query and per-session caps) and its result arrays concern presence alone.
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "client/identifiers.h"
#include "client/request_answers.h"
#include "client/rtm_service_impl.h"
#include "common/rules.h"

namespace rtm_emulator {

using namespace agora::rtm;

namespace {

// Peer ids of a presence call: 1..maxCount ids, each a valid user id; duplicates dropped.
// Returns 0, or the failing check: 1 = bad count or id (INVALID_ARGUMENT), 2 = too many.
int collectPeerIds(const char* peerIds[], int peerCount, int maxCount, std::vector<std::string>* out) {
  if (peerCount <= 0 || peerIds == nullptr) return 1;
  for (int i = 0; i < peerCount; ++i) {
    if (!isValidUserId(peerIds[i])) return 1;
  }
  std::unordered_set<std::string> seen;
  for (int i = 0; i < peerCount; ++i) {
    if (seen.insert(peerIds[i]).second) out->emplace_back(peerIds[i]);
  }
  return out->size() > static_cast<std::size_t>(maxCount) ? 2 : 0;
}

std::vector<PeerOnlineStatus> toStatusArray(const std::vector<PeerStatusData>& statuses) {
  std::vector<PeerOnlineStatus> out(statuses.size());
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    out[i].peerId = statuses[i].peerId.c_str();
    out[i].onlineState = statuses[i].state;
    out[i].isOnline = statuses[i].state == PEER_ONLINE_STATE_ONLINE;
  }
  return out;
}

}  // namespace

int RtmServiceImpl::queryPeersOnlineStatus(const char* peerIds[], int peerCount, long long& requestId) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  std::vector<std::string> peers;
  if (peerCount > kMaxPeersPerQuery || collectPeerIds(peerIds, peerCount, kMaxPeersPerQuery, &peers) != 0) {
    return QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT;
  }
  if (!queryPeersLimiter_.tryAcquire()) return QUERY_PEERS_ONLINE_STATUS_ERR_TOO_OFTEN;
  const long long id = nextId();
  requestId = id;
  submitLocked(
      limits_.queryPeersOnlineStatusTimeoutMs,
      [id](IRtmServiceEventHandler* h) {
        h->onQueryPeersOnlineStatusResult(id, nullptr, 0, QUERY_PEERS_ONLINE_STATUS_ERR_TIMEOUT);
      },
      [id, peers = std::move(peers)](const SessionContext& c, std::uint64_t key) {
        c.connection->queryPeersOnlineStatus(
            c.userId, c.sessionId, peers, answerTo(c.link, key, [id](const std::vector<PeerStatusData>& statuses) {
              return RtmServiceImpl::HandlerCall([id, statuses](IRtmServiceEventHandler* h) {
                const std::vector<PeerOnlineStatus> array = toStatusArray(statuses);
                h->onQueryPeersOnlineStatusResult(id, array.data(), static_cast<int>(array.size()),
                                                  QUERY_PEERS_ONLINE_STATUS_ERR_OK);
              });
            }));
      });
  return QUERY_PEERS_ONLINE_STATUS_ERR_OK;
}

int RtmServiceImpl::subscribePeersOnlineStatus(const char* peerIds[], int peerCount, long long& requestId) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  std::vector<std::string> peers;
  switch (collectPeerIds(peerIds, peerCount, static_cast<int>(kMaxSubscribedPeers), &peers)) {
    case 0:
      break;
    case 2:
      return PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW;  // more than 512 in this call alone
    default:
      return PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT;
  }
  if (!subscribeLimiter_.tryAcquire()) return PEER_SUBSCRIPTION_STATUS_ERR_TOO_OFTEN;
  const long long id = nextId();
  requestId = id;
  submitLocked(
      limits_.subscribeTimeoutMs,
      [id](IRtmServiceEventHandler* h) { h->onSubscriptionRequestResult(id, PEER_SUBSCRIPTION_STATUS_ERR_TIMEOUT); },
      [id, peers = std::move(peers)](const SessionContext& c, std::uint64_t key) {
        c.connection->subscribePeers(
            c.userId, c.sessionId, peers, true,
            answerTo(c.link, key, [id](PEER_SUBSCRIPTION_STATUS_ERR code, const std::vector<PeerStatusData>& snapshot) {
              // The result, then at once the current state of the newly subscribed peers.
              return RtmServiceImpl::HandlerCall([id, code, snapshot](IRtmServiceEventHandler* h) {
                h->onSubscriptionRequestResult(id, code);
                if (snapshot.empty()) return;
                const std::vector<PeerOnlineStatus> array = toStatusArray(snapshot);
                h->onPeersOnlineStatusChanged(array.data(), static_cast<int>(array.size()));
              });
            }));
      });
  return PEER_SUBSCRIPTION_STATUS_ERR_OK;
}

int RtmServiceImpl::unsubscribePeersOnlineStatus(const char* peerIds[], int peerCount, long long& requestId) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  std::vector<std::string> peers;
  if (collectPeerIds(peerIds, peerCount, peerCount, &peers) != 0) return PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT;
  if (!unsubscribeLimiter_.tryAcquire()) return PEER_SUBSCRIPTION_STATUS_ERR_TOO_OFTEN;
  const long long id = nextId();
  requestId = id;
  submitLocked(
      limits_.subscribeTimeoutMs,
      [id](IRtmServiceEventHandler* h) { h->onSubscriptionRequestResult(id, PEER_SUBSCRIPTION_STATUS_ERR_TIMEOUT); },
      [id, peers = std::move(peers)](const SessionContext& c, std::uint64_t key) {
        c.connection->subscribePeers(
            c.userId, c.sessionId, peers, false,
            answerTo(c.link, key, [id](PEER_SUBSCRIPTION_STATUS_ERR code, const std::vector<PeerStatusData>&) {
              return RtmServiceImpl::HandlerCall(
                  [id, code](IRtmServiceEventHandler* h) { h->onSubscriptionRequestResult(id, code); });
            }));
      });
  return PEER_SUBSCRIPTION_STATUS_ERR_OK;
}

int RtmServiceImpl::queryPeersBySubscriptionOption(PEER_SUBSCRIPTION_OPTION option, long long& requestId) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  const int gate = loginGateLocked();
  if (gate != 0) return gate;
  // The enum has no INVALID_ARGUMENT: an unknown option fails with FAILURE.
  if (option != PEER_SUBSCRIPTION_OPTION_ONLINE_STATUS) return QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE;
  if (!querySubscriptionLimiter_.tryAcquire()) return QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TOO_OFTEN;
  const long long id = nextId();
  requestId = id;
  submitLocked(
      limits_.queryPeersBySubscriptionOptionTimeoutMs,
      [id](IRtmServiceEventHandler* h) {
        h->onQueryPeersBySubscriptionOptionResult(id, nullptr, 0, QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TIMEOUT);
      },
      [id](const SessionContext& c, std::uint64_t key) {
        c.connection->querySubscribedPeers(
            c.userId, c.sessionId, answerTo(c.link, key, [id](const std::vector<std::string>& peers) {
              return RtmServiceImpl::HandlerCall([id, peers](IRtmServiceEventHandler* h) {
                std::vector<const char*> array;
                array.reserve(peers.size());
                for (const std::string& p : peers) array.push_back(p.c_str());
                h->onQueryPeersBySubscriptionOptionResult(id, array.data(), static_cast<int>(array.size()),
                                                          QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_OK);
              });
            }));
      });
  return QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_OK;
}

void RtmServiceImpl::handlePeersOnlineStatusChanged(std::uint64_t epoch, const std::vector<PeerStatusData>& changes) {
  std::lock_guard<AdaptiveMutex> lock(mu_);
  if (released_ || epoch != epoch_) return;
  if (state_ != CONNECTION_STATE_CONNECTED && state_ != CONNECTION_STATE_RECONNECTING) return;
  emitLocked([changes](IRtmServiceEventHandler* h) {
    const std::vector<PeerOnlineStatus> array = toStatusArray(changes);
    h->onPeersOnlineStatusChanged(array.data(), static_cast<int>(array.size()));
  });
}
}  // namespace rtm_emulator
