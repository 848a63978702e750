// ServiceCore, presence: online states as subscribers see them (a session whose link is down is
// UNREACHABLE before it goes OFFLINE), the subscriptions, and the pushes of state changes, one per
// change or, after the link comes back, one catching up on all of them.
#include <algorithm>
#include <functional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "cloud/service_core.h"
#include "common/rules.h"

namespace rtm_emulator {

using namespace agora::rtm;

PEER_ONLINE_STATE ServiceCore::stateOfLocked(const std::string& userId) const {
  auto it = sessions_.find(userId);
  if (it == sessions_.end()) return PEER_ONLINE_STATE_OFFLINE;
  return it->second.unreachable ? PEER_ONLINE_STATE_UNREACHABLE : PEER_ONLINE_STATE_ONLINE;
}

void ServiceCore::notifyPresenceLocked(const std::string& userId, After* after) {
  auto w = watchers_.find(userId);
  if (w == watchers_.end()) return;
  const PEER_ONLINE_STATE state = stateOfLocked(userId);
  for (const std::string& subscriber : w->second) {
    auto s = sessions_.find(subscriber);
    if (s == sessions_.end()) continue;
    Session& session = s->second;
    if (session.linkDown) continue;  // caught up when the link is restored
    auto sub = session.subscriptions.find(userId);
    if (sub == session.subscriptions.end() || sub->second == state) continue;
    sub->second = state;
    std::vector<PeerStatusData> changes{PeerStatusData{userId, state}};
    session.out->push([link = session.link, changes] { link->onPeersOnlineStatusChanged(changes); });
    after->drains.push_back(session.out);
  }
}

void ServiceCore::catchUpPresenceLocked(Session* session, After* after) {
  std::vector<PeerStatusData> changes;
  for (auto& sub : session->subscriptions) {
    const PEER_ONLINE_STATE state = stateOfLocked(sub.first);
    if (state == sub.second) continue;
    sub.second = state;
    changes.push_back(PeerStatusData{sub.first, state});
  }
  if (changes.empty()) return;
  std::sort(changes.begin(), changes.end(),
            [](const PeerStatusData& a, const PeerStatusData& b) { return a.peerId < b.peerId; });
  session->out->push([link = session->link, changes] { link->onPeersOnlineStatusChanged(changes); });
  after->drains.push_back(session->out);
}

void ServiceCore::queryPeersOnlineStatus(const std::string& userId, std::uint64_t sessionId,
                                         const std::vector<std::string>& peerIds,
                                         std::function<void(const std::vector<PeerStatusData>&)> done) {
  After after;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    Session* s = findLocked(userId, sessionId);
    if (s == nullptr) return;
    std::vector<PeerStatusData> result;
    result.reserve(peerIds.size());
    for (const std::string& peer : peerIds) {
      // A query reports only ONLINE or OFFLINE: an unreachable user is still logged in.
      const PEER_ONLINE_STATE state = stateOfLocked(peer) == PEER_ONLINE_STATE_OFFLINE ? PEER_ONLINE_STATE_OFFLINE
                                                                                       : PEER_ONLINE_STATE_ONLINE;
      result.push_back(PeerStatusData{peer, state});
    }
    s->out->push([done = std::move(done), result = std::move(result)] { done(result); });
    after.drains.push_back(s->out);
  }
  after.run();
}

void ServiceCore::subscribePeers(const std::string& userId, std::uint64_t sessionId,
                                 const std::vector<std::string>& peerIds, bool subscribe,
                                 std::function<void(PEER_SUBSCRIPTION_STATUS_ERR, const std::vector<PeerStatusData>&)> done) {
  After after;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    Session* s = findLocked(userId, sessionId);
    if (s == nullptr) return;
    PEER_SUBSCRIPTION_STATUS_ERR code = PEER_SUBSCRIPTION_STATUS_ERR_OK;
    std::vector<PeerStatusData> snapshot;
    if (subscribe) {
      std::vector<const std::string*> added;
      std::unordered_set<std::string> seen;
      for (const std::string& peer : peerIds) {
        if (s->subscriptions.count(peer) == 0 && seen.insert(peer).second) added.push_back(&peer);
      }
      if (s->subscriptions.size() + added.size() > kMaxSubscribedPeers) {
        code = PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW;  // nothing changes
      } else {
        for (const std::string* peer : added) {
          const PEER_ONLINE_STATE state = stateOfLocked(*peer);
          s->subscriptions[*peer] = state;
          watchers_[*peer].insert(userId);
          snapshot.push_back(PeerStatusData{*peer, state});
        }
      }
    } else {
      for (const std::string& peer : peerIds) {
        if (s->subscriptions.erase(peer) == 0) continue;
        auto w = watchers_.find(peer);
        if (w == watchers_.end()) continue;
        w->second.erase(userId);
        if (w->second.empty()) watchers_.erase(w);
      }
    }
    s->out->push([done = std::move(done), code, snapshot = std::move(snapshot)] { done(code, snapshot); });
    after.drains.push_back(s->out);
  }
  after.run();
}

void ServiceCore::querySubscribedPeers(const std::string& userId, std::uint64_t sessionId,
                                       std::function<void(const std::vector<std::string>&)> done) {
  After after;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_) return;
    Session* s = findLocked(userId, sessionId);
    if (s == nullptr) return;
    std::vector<std::string> peers;
    peers.reserve(s->subscriptions.size());
    for (const auto& sub : s->subscriptions) peers.push_back(sub.first);
    std::sort(peers.begin(), peers.end());
    s->out->push([done = std::move(done), peers = std::move(peers)] { done(peers); });
    after.drains.push_back(s->out);
  }
  after.run();
}
}  // namespace rtm_emulator
